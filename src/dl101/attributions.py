"""Pixel attributions through the engine's backward pass: which inputs made the network say "c".

All three explain f_c(x), the network's output c for the input x (the class probability, for a
softmax output; the same quantity SHAP explains on ``predict_proba``), against a baseline x'
(default: the black image, x' = 0).

- the input gradient ∂f_c/∂x_0: back-propagation seeded with ∂f_c/∂x_L = e_c instead of a loss;
- gradient × input, x ⊙ ∂f_c/∂x_0: the first-order share of each pixel;
- integrated gradients (Sundararajan et al., 2017): (x - x') ⊙ ∫₀¹ ∂f_c/∂x_0(x' + α(x - x')) dα.
  By the fundamental theorem of calculus along the straight path from x' to x, they add up to
  f_c(x) - f_c(x') ("completeness"); the integral is taken by the trapezoid rule on ``steps``
  intervals, so the sum is off only by the rule's error, which :func:`completeness_error` measures.

Each call runs a backward pass, so it overwrites the model's gradient buffers ∂l/∂θ as training does.

>>> import dl101
>>> model = dl101.MLP([3, 5, 2], "tanh", "softmax", seed=0, dtype="float64")
>>> x = np.array([[0.5, -1.0, 2.0]])
>>> ig = integrated_gradients(model, x, [1], steps=100)
>>> bool(completeness_error(model, x, [1], ig)[0] < 1e-3)
True
"""

from __future__ import annotations

import numpy as np

from .checks import as_matrix


def outputs(model, x, target):
    """f_c(x) for each row of ``x`` (N, k_0) and its class c = ``target[n]``: shape (N,)."""
    return model.predict_proba(x)[np.arange(len(x)), np.asarray(target)]


def input_gradient(model, x, target):
    """∂f_c/∂x_0 for each row of ``x`` (N, k_0) and its class c = ``target[n]``: shape (N, k_0)."""
    x = as_matrix(x, "x", model.widths[0])
    x_L = model.forward(x)                                   # (N, k_L), latents kept for backward
    e_c = np.zeros_like(x_L)
    e_c[np.arange(len(x)), np.asarray(target)] = 1           # ∂f_c/∂x_L: one-hot, row by row
    return model.backward(e_c, input_grad=True)              # (N, k_0)


def gradient_times_input(model, x, target):
    """x ⊙ ∂f_c/∂x_0: each pixel's value times how fast f_c changes with it, shape (N, k_0)."""
    return np.asarray(x) * input_gradient(model, x, target)


def integrated_gradients(model, x, target, baseline=None, steps=128):
    """(x - x') ⊙ ∫₀¹ ∂f_c/∂x_0(x' + α(x - x')) dα by the trapezoid rule on ``steps`` intervals.

    ``baseline`` x' is one input (k_0,) or one per row (N, k_0); default: zeros, the black image.
    All N (steps + 1) points of the paths go through one forward and one backward pass.
    """
    x = as_matrix(x, "x", model.widths[0])
    x_base = np.zeros_like(x) if baseline is None else np.broadcast_to(baseline, x.shape)
    alpha = np.linspace(0, 1, steps + 1)                                      # (m + 1,)
    path = x_base[:, None] + alpha[None, :, None] * (x - x_base)[:, None]    # (N, m + 1, k_0)
    c = np.repeat(np.asarray(target), steps + 1)                             # (N (m + 1),)
    grads = input_gradient(model, path.reshape(-1, x.shape[1]), c).reshape(path.shape)
    weights = np.full(steps + 1, 1.0 / steps)
    weights[[0, -1]] /= 2                                                     # trapezoid: ends count half
    return (x - x_base) * np.einsum("m,nmk->nk", weights, grads)              # (N, k_0)


def completeness_error(model, x, target, attributions, baseline=None):
    """|Σ attributions - (f_c(x) - f_c(x'))| / |f_c(x) - f_c(x')| per row: 0 for exact
    integrated gradients; their trapezoid rule's error otherwise."""
    x = as_matrix(x, "x", model.widths[0])
    x_base = np.zeros_like(x) if baseline is None else np.broadcast_to(baseline, x.shape)
    gap = outputs(model, x, target) - outputs(model, x_base, target)
    return np.abs(np.asarray(attributions).sum(axis=1) - gap) / np.abs(gap)
