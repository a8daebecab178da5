"""dl101 -> ONNX, run by ONNX Runtime: the same predictions, every activation, any batch size."""

import sys

import numpy as np
import pytest

import dl101
from dl101 import activations
from dl101.export import check_onnx, onnx_model, to_onnx
from dl101.export.onnx_interop import ONNX_ACTIVATIONS, OPSET

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")


def run_onnx(path, x):
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return session.run(None, {"x_0": x.astype(np.float32)})[0]


def test_every_dl101_activation_has_onnx_nodes():
    assert set(ONNX_ACTIVATIONS) == set(activations.ACTIVATIONS)


def test_onnx_runtime_computes_what_dl101_computes(sigma, tmp_path):
    model = dl101.MLP([5, 8, 6, 4], sigma, sigma, seed=2)  # σ hidden and output
    x = (2 * np.random.default_rng(1).normal(size=(64, 5))).astype(np.float32)
    path = to_onnx(model, tmp_path / "model.onnx")
    # float32 rounds relative to the numbers' size: within 1e-6 of the largest output (or of 1).
    difference = check_onnx(model, path, x, rtol=1e-6, atol=1e-6)
    assert difference <= 1e-6 * max(1.0, np.abs(model.forward(x)).max())


def test_trained_run_through_onnx_runtime(trained_run, digits, tmp_path, float32_tolerance):
    model = dl101.load_model(trained_run)
    x_test, tol = digits[2], float32_tolerance(model, digits[2])
    path = to_onnx(model, tmp_path / "model.onnx")
    assert np.abs(run_onnx(path, x_test) - model.predict_proba(x_test)).max() <= tol
    assert check_onnx(model, path, x_test, rtol=0, atol=tol) <= tol


@pytest.mark.parametrize("n", [1, 7, 397])
def test_the_batch_dimension_is_free(trained_run, digits, tmp_path, n):
    model = dl101.load_model(trained_run)
    path = to_onnx(model, tmp_path / "model.onnx")
    assert run_onnx(path, digits[2][:n]).shape == (n, 10)


def test_the_graph_is_the_lectures_forward_pass():
    proto = onnx_model(dl101.MLP([4, 3, 2], "swish", "softmax"))
    graph = proto.graph
    assert [node.op_type for node in graph.node] == ["Gemm", "Sigmoid", "Mul", "Gemm", "Softmax"]
    assert [i.name for i in graph.initializer] == ["A_1", "b_1", "A_2", "b_2"]
    assert [tuple(i.dims) for i in graph.initializer] == [(4, 3), (3,), (3, 2), (2,)]  # A as dl101's
    (x_0,), (x_L,) = graph.input, graph.output
    assert (x_0.name, x_L.name) == ("x_0", "x_L")
    assert [d.dim_param or d.dim_value for d in x_0.type.tensor_type.shape.dim] == ["N", 4]
    assert x_0.type.tensor_type.elem_type == onnx.TensorProto.FLOAT
    assert [(o.domain, o.version) for o in proto.opset_import] == [("", OPSET)]


def test_a_float64_model_is_exported_in_float32(tmp_path):
    model = dl101.MLP([6, 5, 3], "elu", "softmax", dtype="float64")
    path = to_onnx(model, tmp_path / "model.onnx")
    x = np.random.default_rng(0).random((30, 6))
    assert run_onnx(path, x).dtype == np.float32
    assert check_onnx(model, path, x) < 1e-6


def test_check_onnx_raises_when_the_file_computes_something_else(tmp_path):
    path = to_onnx(dl101.MLP([6, 5, 3], seed=0), tmp_path / "model.onnx")
    x = np.random.default_rng(0).random((30, 6))
    with pytest.raises(dl101.Dl101Error, match="ONNX Runtime's outputs .* differ from dl101's"):
        check_onnx(dl101.MLP([6, 5, 3], seed=1), path, x)
    with pytest.raises(dl101.Dl101Error, match=r"outputs shape \(30, 3\), dl101 \(30, 4\)"):
        check_onnx(dl101.MLP([6, 4], seed=1), path, x)
    (tmp_path / "bad.onnx").write_bytes(b"not a model")
    with pytest.raises(dl101.Dl101Error, match="ONNX Runtime cannot load"):
        check_onnx(dl101.MLP([6, 4]), tmp_path / "bad.onnx", x)


def test_a_custom_activation_cannot_be_exported_and_nothing_is_written(tmp_path):
    model = dl101.MLP([3, 2], output=(np.sin, lambda z, x: np.cos(z)))
    with pytest.raises(dl101.Dl101Error, match="activation 'custom:sin' has no ONNX form"):
        to_onnx(model, tmp_path / "model.onnx")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("package, call", [
    ("onnx", lambda path: to_onnx(dl101.MLP([3, 2]), path)),
    ("onnxruntime", lambda path: check_onnx(dl101.MLP([3, 2]), path, np.zeros((1, 3)))),
])
def test_missing_onnx_packages_name_the_extra(monkeypatch, tmp_path, package, call):
    monkeypatch.setitem(sys.modules, package, None)  # import now fails
    with pytest.raises(dl101.Dl101Error, match=r"needs ONNX.*: pip install -e '[^']*\[onnx\]'"):
        call(tmp_path / "model.onnx")
