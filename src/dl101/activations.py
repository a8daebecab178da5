"""The eight activation functions of the lecture, each beside its derivative, in one registry.

Every activation is an :class:`Activation`: ``f(z) -> x`` and ``df(z, x) -> σ'(z)``, elementwise.
``df`` receives both the pre-activation ``z`` and the output ``x = f(z)``, which the layer's forward
pass has kept, and uses whichever is cheaper (each docstring says which), so back-propagation never
recomputes the forward pass. Softmax is the exception the lecture points at: its output mixes a whole
row, so its Jacobian is not diagonal and it also carries ``vjp``, the product with that Jacobian.

Look activations up by name with :func:`get`, as the CLI and the notebook do:

>>> get("relu").f(np.array([-2.0, 0.0, 3.0]))
array([0., 0., 3.])
>>> get("leaky_relu", alpha=0.1).df(np.array([-2.0, 3.0]), None)
array([0.1, 1. ])

All are stable for inputs up to |z| = 1e4 and beyond: no overflow, no NaN.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from . import checks
from .checks import Dl101Error


@dataclass(frozen=True)
class Activation:
    """σ with its derivative σ' (``df(z, x)``, elementwise) and, for softmax, its Jacobian product."""

    name: str
    f: Callable
    df: Callable
    params: dict = field(default_factory=dict)
    vjp: Callable | None = None  # ∂l/∂z from ∂l/∂x when the Jacobian is not diagonal (softmax)

    def __call__(self, z):
        return self.f(z)

    def backward(self, dl_dx, z, x):
        """∂l/∂z = σ'(z) ⊙ ∂l/∂x, the lecture's chain rule; or the full Jacobian product (softmax)."""
        if self.vjp is not None:
            return self.vjp(dl_dx, z, x)
        return dl_dx * self.df(z, x)

    def __repr__(self):
        args = ", ".join(f"{k}={v}" for k, v in self.params.items())
        return f"{self.name}({args})"


# --- the lecture's eight, in its order --------------------------------------------------------------

def linear() -> Activation:
    """σ(z) = z. The final activation for regression. σ'(z) = 1."""
    return Activation("linear", lambda z: z, lambda z, x: np.ones_like(z))


def _sigmoid(z):
    # e = exp(-|z|) lies in (0, 1], so nothing overflows: for z >= 0 this is 1 / (1 + e^-z),
    # for z < 0 it is e^z / (1 + e^z), the same function written the safe way round.
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1, e) / (1 + e)


def sigmoid() -> Activation:
    """σ(z) = 1 / (1 + e^-z). σ'(z) = x (1 - x), from the output x."""
    return Activation("sigmoid", _sigmoid, lambda z, x: x * (1 - x))


def tanh() -> Activation:
    """σ(z) = (e^z - e^-z) / (e^z + e^-z). σ'(z) = 1 - x², from the output x."""
    return Activation("tanh", np.tanh, lambda z, x: 1 - x * x)


def relu() -> Activation:
    """σ(z) = max(0, z). σ'(z) = 1 where x > 0, else 0 (0 at the kink z = 0, as PyTorch), from x."""
    # x = max(0, z) >= 0, so sign(x) is exactly that 0/1 mask, in x's dtype, in one NumPy call
    return Activation("relu", lambda z: np.maximum(z, 0), lambda z, x: np.sign(x))


def leaky_relu(alpha: float = 0.01) -> Activation:
    """σ(z) = max(αz, z) for 0 <= α < 1. σ'(z) = 1 where z > 0, else α (α at z = 0), from z."""
    if not 0 <= alpha < 1:
        raise Dl101Error(f"leaky_relu alpha must be in [0, 1) for max(αz, z), got {alpha!r}")
    return Activation("leaky_relu", lambda z: np.where(z > 0, z, alpha * z),
                      lambda z, x: np.where(z > 0, 1, alpha).astype(z.dtype), {"alpha": alpha})


def elu(alpha: float = 1.0) -> Activation:
    """σ(z) = α(e^z - 1) if z < 0, z if z >= 0. σ'(z) = x + α for z < 0, else 1, from z and x."""
    if not alpha > 0:
        raise Dl101Error(f"elu alpha must be > 0, got {alpha!r}")
    # expm1 of min(z, 0): exact near 0 and never overflows for large positive z.
    return Activation("elu", lambda z: np.where(z >= 0, z, alpha * np.expm1(np.minimum(z, 0))),
                      lambda z, x: np.where(z >= 0, 1, x + alpha).astype(z.dtype), {"alpha": alpha})


def _swish_df(z, x):
    s = _sigmoid(z)  # the one factor x does not give back stably (x / z fails at z = 0)
    return s + x * (1 - s)


def swish() -> Activation:
    """σ(z) = z / (1 + e^-z) = z sigmoid(z). σ'(z) = s + x (1 - s) with s = sigmoid(z), from z and x."""
    return Activation("swish", lambda z: z * _sigmoid(z), _swish_df)


def _softmax(z):
    e = z - np.maximum.reduce(z, axis=-1, keepdims=True)  # shift by the row max: e^(z - max) <= 1
    np.exp(e, out=e)                                       # in place: one array throughout
    e /= np.add.reduce(e, axis=-1, keepdims=True)
    return e


def _softmax_vjp(dl_dx, z, x):
    # J = diag(x) - x xᵀ for each row, so dl_dz = x ⊙ (dl_dx - <dl_dx, x>), without forming J.
    return x * (dl_dx - (dl_dx * x).sum(axis=-1, keepdims=True))  # (N, k)


def softmax() -> Activation:
    """σ(z)_k = e^{z_k} / Σ_j e^{z_j}, row by row. ``df`` is the Jacobian's diagonal x (1 - x);
    back-propagation uses the whole Jacobian through ``vjp`` (see :func:`softmax_jacobian`)."""
    return Activation("softmax", _softmax, lambda z, x: x * (1 - x), vjp=_softmax_vjp)


def softmax_jacobian(x):
    """The full Jacobian ∂x/∂z = diag(x) - x xᵀ of softmax for each row of ``x``: shape (N, k, k)."""
    return np.einsum("nk,kj->nkj", x, np.eye(x.shape[-1], dtype=x.dtype)) - np.einsum("nk,nj->nkj", x, x)


ACTIVATIONS = {f.__name__: f for f in (linear, sigmoid, tanh, relu, leaky_relu, elu, swish, softmax)}
RELU_FAMILY = ("relu", "leaky_relu", "elu", "swish")  # the ones He initialisation was derived for


def get(spec="relu", **params) -> Activation:
    """An :class:`Activation` from a name (with its parameters), an Activation, or a pair ``(f, df)``.

    ``df`` of a custom pair receives ``(z, x)`` and returns σ'(z) elementwise. ``None`` means linear.
    """
    if spec is None:
        return linear()
    if isinstance(spec, Activation):
        return spec
    if isinstance(spec, tuple) and len(spec) == 2 and all(callable(g) for g in spec):
        # marked custom, so it is never mistaken for (or saved as) the registry's function
        return Activation(f"custom:{getattr(spec[0], '__name__', 'f')}", spec[0], spec[1])
    factory = checks.get(ACTIVATIONS, spec, "activation")
    try:
        return factory(**params)
    except TypeError:
        raise Dl101Error(f"activation {spec!r} takes no parameters {sorted(params)}") from None
