"""dl101 and PyTorch: the same network as an ``nn.Sequential`` of Linear layers and activations.

A dl101 layer x_i = σ_i(x_{i-1} A_i + b_i) is ``nn.Linear(k_in, k_out)`` followed by σ_i's module.
``nn.Linear`` computes x Wᵀ + b and stores W as (k_out, k_in), so ``weight`` is A_iᵀ and ``bias``
is b_i. Every layer becomes exactly two modules, the Linear and its activation (``nn.Identity`` for
linear), so layer i's weights are always ``state_dict()`` keys ``f"{2*(i-1)}.weight"`` and
``f"{2*(i-1)}.bias"``, with or without the final softmax.

>>> import dl101
>>> to_torch(dl101.MLP([4, 3, 2], "relu", "softmax"))
Sequential(
  (0): Linear(in_features=4, out_features=3, bias=True)
  (1): ReLU()
  (2): Linear(in_features=3, out_features=2, bias=True)
  (3): Softmax(dim=1)
)
"""

from __future__ import annotations

import numpy as np

from .. import activations
from ..checks import Dl101Error, finite
from ..mlp import MLP
from ..extras import need

# dl101 activation -> (its torch.nn class, {dl101 parameter: nn attribute}). Both directions read
# this one table, so export and import cannot drift apart.
NN_ACTIVATIONS = {
    "linear": ("Identity", {}),
    "sigmoid": ("Sigmoid", {}),
    "tanh": ("Tanh", {}),
    "relu": ("ReLU", {}),
    "leaky_relu": ("LeakyReLU", {"alpha": "negative_slope"}),
    "elu": ("ELU", {"alpha": "alpha"}),
    "swish": ("SiLU", {}),     # SiLU(z) = z sigmoid(z): swish under its other name
    "softmax": ("Softmax", {}),  # always over each row, dim=1, as dl101's (checked on import)
}
# Modules that change nothing when a trained network predicts on a batch of vectors (N, k):
# dropout is the identity in eval mode (PyTorch rescales while training), and Flatten with its
# default start_dim=1 leaves a matrix as it is. from_torch skips them.
SKIPPED = ("Dropout", "Flatten")
OUTPUT_SQUASHES = ("softmax", "sigmoid")  # what logits=True leaves out
SUPPORTED = (f"nn.Linear layers, each followed by at most one of "
             f"{', '.join(cls for cls, _ in NN_ACTIVATIONS.values())} (over dim=1); "
             f"{' and '.join(SKIPPED)} are skipped")


def to_torch(model, logits=False):
    """An ``nn.Sequential`` (in eval mode) computing the same function as ``model``, in its dtype.

    Its output is ``model``'s: probabilities after a softmax output (``nn.Softmax(dim=1)``). To
    train on in PyTorch, pass ``logits=True``: a final softmax or sigmoid becomes ``nn.Identity``,
    so the output is the logits z_L that ``nn.CrossEntropyLoss`` (``nn.BCEWithLogitsLoss``) expects.
    Both versions have the same ``state_dict`` keys, so weights trained on one load into the other.
    The weights are copies: training the module leaves ``model`` unchanged.
    """
    finite(model.theta, "the model to export", "exporting it would copy weights that compute nothing")
    torch = need("torch", "to_torch")
    dtype = getattr(torch, model.dtype.name)  # float32 or float64, as the model
    modules = []
    for i, layer in enumerate(model.layers, 1):
        k_in, k_out = layer.A.shape
        linear = torch.nn.Linear(k_in, k_out, dtype=dtype)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(np.ascontiguousarray(layer.A.T)))  # (k_out, k_in)
            linear.bias.copy_(torch.from_numpy(layer.b))                             # (k_out,)
        sigma = layer.sigma
        if logits and i == len(model.layers) and sigma.name in OUTPUT_SQUASHES:
            sigma = activations.linear()
        modules += [linear, _nn_activation(torch.nn, sigma)]
    return torch.nn.Sequential(*modules).eval()


def _nn_activation(nn, sigma):
    if sigma.name not in NN_ACTIVATIONS:
        raise Dl101Error(f"activation {sigma.name!r} has no PyTorch module; to_torch exports "
                         f"{', '.join(NN_ACTIVATIONS)}")
    cls, names = NN_ACTIVATIONS[sigma.name]
    options = {"dim": 1} if sigma.name == "softmax" else {}
    return getattr(nn, cls)(**options, **{attr: sigma.params[p] for p, attr in names.items()})


def torch_source(model):
    """Python code that rebuilds :func:`to_torch`'s module without dl101, for a saved state_dict.

    >>> import dl101
    >>> print(torch_source(dl101.MLP([4, 3, 2], "elu", "linear")))
    nn.Sequential(
        nn.Linear(in_features=4, out_features=3, bias=True),
        nn.ELU(alpha=1.0),
        nn.Linear(in_features=3, out_features=2, bias=True),
        nn.Identity(),
    )
    """
    # Each of these modules' repr is also its constructor call, e.g. LeakyReLU(negative_slope=0.1).
    lines = "".join(f"    nn.{module!r},\n" for module in to_torch(model))
    return f"nn.Sequential(\n{lines}){'.double()' if model.dtype == np.float64 else ''}"


def from_torch(module, dtype=None):
    """The :class:`~dl101.MLP` computing what ``module`` computes, an ``nn.Sequential`` of
    ``nn.Linear`` layers, each followed by at most one supported activation (none means linear).

    Any other module raises :class:`~dl101.Dl101Error` naming it and listing what is supported.
    ``dtype`` defaults to the weights' own (float64 stays float64, anything else becomes float32).
    """
    torch = need("torch", "from_torch")
    nn = torch.nn
    if not isinstance(module, nn.Sequential):
        raise Dl101Error(f"from_torch reads an nn.Sequential, got {type(module).__name__}; "
                         f"supported inside it: {SUPPORTED}")
    by_class = {getattr(nn, cls): name for name, (cls, _) in NN_ACTIVATIONS.items()}
    skipped = tuple(getattr(nn, cls) for cls in SKIPPED)
    arrays, sigmas = [], []
    for index, m in enumerate(module):  # exact classes only: a subclass may compute something else
        if type(m) is nn.Linear:
            if len(sigmas) < len(arrays):
                sigmas.append(activations.linear())  # the Linear before this one had no activation
            W = _numpy(torch, m.weight)              # (k_out, k_in)
            b = _numpy(torch, m.bias) if m.bias is not None else np.zeros(W.shape[0], W.dtype)
            arrays.append((W.T, b))                  # A = Wᵀ, (k_in, k_out)
        elif type(m) in skipped:
            _check_skippable(m, index)
        elif type(m) in by_class:
            if len(sigmas) == len(arrays):
                raise Dl101Error(f"module {index}, {m}, follows no nn.Linear; dl101 layers are a "
                                 f"Linear and then at most one activation")
            sigmas.append(_dl101_activation(by_class[type(m)], m, index))
        else:
            raise Dl101Error(f"from_torch cannot read module {index}, {m}: dl101 reads {SUPPORTED}")
    if not arrays:
        raise Dl101Error("from_torch found no nn.Linear layer in the Sequential")
    if len(sigmas) < len(arrays):
        sigmas.append(activations.linear())
    return MLP.from_arrays(arrays, sigmas, dtype)


def _dl101_activation(name, m, index):
    if name == "softmax" and m.dim not in (1, -1):
        raise Dl101Error(f"module {index}, {m}: dl101's softmax normalises each row (dim=1 or -1), "
                         f"got dim={m.dim}")
    _, names = NN_ACTIVATIONS[name]
    return activations.get(name, **{p: float(getattr(m, attr)) for p, attr in names.items()})


def _check_skippable(m, index):
    if type(m).__name__ == "Flatten" and (m.start_dim, m.end_dim) != (1, -1):
        raise Dl101Error(f"module {index}, {m}: only Flatten(start_dim=1, end_dim=-1) leaves a "
                         f"batch of vectors unchanged")


def _numpy(torch, tensor):
    """A parameter as a NumPy array: float64 stays float64, other floats become float32."""
    tensor = tensor.detach().cpu()
    return (tensor if tensor.dtype == torch.float64 else tensor.float()).numpy()
