"""Losses: the lecture's cross-entropy, softmax + cross-entropy fused, and mean squared error.

A :class:`Loss` is a pair like the activations: ``f(x, y)`` is the mean loss over the N rows of a
batch and ``df(x, y)`` is ∂l/∂x, the gradient that back-propagation starts from (it already carries
the 1/N of the mean). Targets ``y`` are integer labels (N,) or a matrix (N, K), one-hot for
classification.

The lecture's cross-entropy works on probabilities: L = -1/N Σ_i Σ_j y_ij log ŷ_ij. After a softmax
its gradient through the softmax collapses to ``(p - y) / N`` on the pre-activation z (see
:func:`softmax_cross_entropy`). The model takes that fused path whenever cross-entropy follows a
softmax (``Loss.fused``); it is exact, cheaper, and computes log p from z so it never takes log 0.

>>> p = np.array([[0.7, 0.2, 0.1]])
>>> round(get("cross_entropy").f(p, np.array([0])), 6)   # -log 0.7
0.356675
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from . import checks


@dataclass(frozen=True)
class Loss:
    """A loss ``f(x, y)`` (mean over the batch) and its gradient ``df(x, y)`` = ∂l/∂x."""

    name: str
    f: Callable
    df: Callable
    fused: dict = field(default_factory=dict)  # activation name -> (value, ∂l/∂z) from (z, x, y)
    classification: bool = True


def one_hot(y, n_classes: int, dtype=np.float32):
    """Integer labels (N,) as a one-hot matrix (N, n_classes).

    >>> one_hot(np.array([2, 0]), 3)
    array([[0., 0., 1.],
           [1., 0., 0.]], dtype=float32)
    """
    out = np.zeros((len(y), n_classes), dtype=dtype)
    out[np.arange(len(y)), y] = 1
    return out


def _targets(y, x):
    """``y`` as a dense matrix like ``x``: one-hot when it holds integer labels."""
    return one_hot(y, x.shape[1], x.dtype) if y.ndim == 1 else y.astype(x.dtype, copy=False)


# --- cross-entropy, as the lecture writes it: on probabilities -----------------------------------

def _log(p):
    return np.log(np.maximum(p, np.finfo(p.dtype).tiny))  # log 0 would be -inf: clip at the tiniest


def cross_entropy(p, y):
    """L = -1/N Σ_i Σ_j y_ij log p_ij, for probabilities p (N, K)."""
    if y.ndim == 1:  # integer labels: only the true class's term is non-zero
        return float(-_log(p[np.arange(len(y)), y]).mean())
    return float(-(y * _log(p)).sum() / len(p))


def cross_entropy_grad(p, y):
    """∂L/∂p = -y / (N p)."""
    return -_targets(y, p) / (len(p) * np.maximum(p, np.finfo(p.dtype).tiny))


# --- softmax + cross-entropy, fused: from the logits z ---------------------------------------------

def log_softmax(z):
    """log softmax(z), row by row, computed as z - logsumexp(z): exact where softmax underflows."""
    shifted = z - z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def softmax_cross_entropy(z, p, y):
    """The cross-entropy of p = softmax(z) and ∂L/∂z = (p - y) / N.

    Valid only when the output activation is a softmax and the loss a cross-entropy: the Jacobian
    of the softmax, diag(p) - p pᵀ, times -y/(N p) sums to (p - y)/N because Σ_j y_j = 1.
    """
    n = len(z)
    if y.ndim == 1:
        true = np.arange(n) * p.shape[1] + y            # (N,) where p_{i, y_i} sits in p.ravel()
        p_true = p.ravel()[true]                        # (N,) the probability of the true class
        if p_true.min() > 1e-30:                        # log p is exact enough: no need for z
            value = -np.log(p_true).sum() / n
        else:                                           # p underflowed: take log p from z
            value = -log_softmax(z).ravel()[true].sum() / n
        dl_dz = p / n                                   # (N, K), a new array: p stays the output
        dl_dz.ravel()[true] -= 1 / n
    else:
        value = -(y * log_softmax(z)).sum() / n
        dl_dz = (p - y) / n                             # (N, K)
    return float(value), dl_dz.astype(p.dtype, copy=False)


# --- mean squared error, for regression with a linear output -------------------------------------

def mse(x, y):
    """L = mean of (x - y)² over every entry, as PyTorch's ``MSELoss``."""
    return float(np.mean((x - y) ** 2))


def mse_grad(x, y):
    """∂L/∂x = 2 (x - y) / (N m)."""
    return 2 * (x - y) / x.size


LOSSES = {
    "cross_entropy": Loss("cross_entropy", cross_entropy, cross_entropy_grad,
                          fused={"softmax": softmax_cross_entropy}),
    "mse": Loss("mse", mse, mse_grad, classification=False),
}


def get(spec="cross_entropy") -> Loss:
    """A :class:`Loss` by name (``cross_entropy``, ``mse``) or the Loss itself."""
    return spec if isinstance(spec, Loss) else checks.get(LOSSES, spec, "loss")


def output_error(loss: Loss, sigma, z, x, y):
    """The loss value and ∂l/∂z at the last layer: fused when the pair has a fused form, otherwise
    the lecture's general path, ∂l/∂x through σ's derivative."""
    fused = loss.fused.get(sigma.name)
    if fused is not None:
        return fused(z, x, y)
    return loss.f(x, y), sigma.backward(loss.df(x, y), z, x)
