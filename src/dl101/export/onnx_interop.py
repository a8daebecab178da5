"""dl101 to ONNX, the file format that serving engines such as ONNX Runtime read.

The graph is the lecture's forward pass written out: for each layer i, ``Gemm`` computes
z_i = x_{i-1} A_i + b_i and one or two activation nodes compute x_i = σ_i(z_i). ONNX's Gemm takes
its second operand as (K, N), the shape dl101 keeps A_i in, so A_i is stored as it is (PyTorch's
Linear, by contrast, needs the transpose). The tensors carry the lecture's names: input ``x_0`` of
shape (N, k_0) with N free (any batch size), weights ``A_1``, ``b_1``, ..., output ``x_L``.

The file holds float32 weights and computes in float32: ONNX Runtime has no float64 kernel for
some activations (Elu, LeakyRelu), and float32 is what serving engines run. A float64 model is
rounded to float32 on export.
"""

from __future__ import annotations

import numpy as np

from ..checks import Dl101Error, as_matrix, finite
from ..files import atomic_write
from ..extras import need

# 13 is the first opset whose Softmax normalises along one axis only, as dl101's does; an old
# opset keeps the file readable by older runtimes.
OPSET = 13

# dl101 activation -> the ONNX nodes computing x from z: build(node, z, x, params) -> [nodes],
# with node = onnx.helper.make_node.
ONNX_ACTIVATIONS = {
    "linear": lambda node, z, x, p: [node("Identity", [z], [x])],
    "sigmoid": lambda node, z, x, p: [node("Sigmoid", [z], [x])],
    "tanh": lambda node, z, x, p: [node("Tanh", [z], [x])],
    "relu": lambda node, z, x, p: [node("Relu", [z], [x])],
    "leaky_relu": lambda node, z, x, p: [node("LeakyRelu", [z], [x], alpha=p["alpha"])],
    "elu": lambda node, z, x, p: [node("Elu", [z], [x], alpha=p["alpha"])],
    # swish(z) = z sigmoid(z): ONNX's own Swish op arrived only in opset 24, so two nodes.
    "swish": lambda node, z, x, p: [node("Sigmoid", [z], [f"s_{x}"]), node("Mul", [z, f"s_{x}"], [x])],
    "softmax": lambda node, z, x, p: [node("Softmax", [z], [x], axis=1)],
}


def onnx_model(model):
    """The ``onnx.ModelProto`` of ``model``'s forward pass, checked by ``onnx.checker``."""
    finite(model.theta, "the model to export", "exporting it would copy weights that compute nothing")
    onnx = need("onnx", "to_onnx")
    helper, TensorProto = onnx.helper, onnx.TensorProto
    nodes, weights, x = [], [], "x_0"
    for i, layer in enumerate(model.layers, 1):
        if layer.sigma.name not in ONNX_ACTIVATIONS:
            raise Dl101Error(f"activation {layer.sigma.name!r} has no ONNX form; to_onnx exports "
                             f"{', '.join(ONNX_ACTIVATIONS)}")
        x_i = "x_L" if i == len(model.layers) else f"x_{i}"
        weights += [onnx.numpy_helper.from_array(layer.A.astype(np.float32), f"A_{i}"),  # (k_{i-1}, k_i)
                    onnx.numpy_helper.from_array(layer.b.astype(np.float32), f"b_{i}")]  # (k_i,)
        nodes.append(helper.make_node("Gemm", [x, f"A_{i}", f"b_{i}"], [f"z_{i}"]))      # (N, k_i)
        nodes += ONNX_ACTIVATIONS[layer.sigma.name](helper.make_node, f"z_{i}", x_i, layer.sigma.params)
        x = x_i
    graph = helper.make_graph(
        nodes, "dl101_mlp",
        [helper.make_tensor_value_info("x_0", TensorProto.FLOAT, ["N", model.widths[0]])],
        [helper.make_tensor_value_info("x_L", TensorProto.FLOAT, ["N", model.widths[-1]])],
        weights)
    proto = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="dl101", doc_string=repr(model))
    onnx.checker.check_model(proto, full_check=True)
    return proto


def to_onnx(model, path):
    """Write ``model`` as an ONNX file at ``path`` (atomically); return the path.

    Run it with ONNX Runtime, input ``x_0`` (N, k_0) float32, output ``x_L``::

        session = onnxruntime.InferenceSession(path)
        (x_L,) = session.run(None, {"x_0": x.astype("float32")})
    """
    proto = onnx_model(model)
    with atomic_write(path) as f:
        f.write(proto.SerializeToString())
    return path


def check_onnx(model, path, x, rtol=1e-5, atol=1e-6, name=None):
    """Run the ONNX file at ``path`` (or its bytes) with ONNX Runtime on ``x`` and compare with
    ``model``; ``name`` names it in errors (default: the path).

    Returns the largest absolute difference between the two outputs; raises
    :class:`~dl101.Dl101Error` when it exceeds ``atol + rtol * max |dl101's output|``: float32
    rounds relative to the size of the numbers, so the allowance grows with the outputs' scale.
    """
    ort = need("onnxruntime", "check_onnx")
    x = as_matrix(x, "x", model.widths[0], into=np.float32).astype(np.float32)
    path, name = (path, name or "the ONNX model") if isinstance(path, bytes) else (str(path), name or path)
    try:
        session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    except Exception as err:  # ONNX Runtime's own error types, one per kind of bad file
        raise Dl101Error(f"ONNX Runtime cannot load {name}: {err}") from None
    (theirs,) = session.run(None, {"x_0": x})
    ours = model.predict_proba(x)
    if theirs.shape != ours.shape:
        raise Dl101Error(f"{name} outputs shape {theirs.shape}, dl101 {ours.shape}: not this model")
    difference, scale = float(np.max(np.abs(theirs - ours))), float(np.max(np.abs(ours)))
    if not difference <= atol + rtol * scale:
        raise Dl101Error(f"ONNX Runtime's outputs for {name} differ from dl101's by up to "
                         f"{difference:.3g}; allowed: {atol:g} + {rtol:g} × {scale:.3g}, the "
                         f"largest output")
    return difference
