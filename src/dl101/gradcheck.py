"""Gradient check: back-propagation against central differences, parameter by parameter.

For each entry θ_j of each parameter, (l(θ + ε e_j) - l(θ - ε e_j)) / 2ε approximates ∂l/∂θ_j with
an error of order ε². In float64, with ε = 1e-6, a correct back-propagation agrees to about 1e-8;
a wrong one is off by order 1. The check runs on a float64 copy, so the model is left untouched.

>>> import dl101
>>> model = dl101.MLP([3, 4, 2], "tanh", "softmax", seed=0)
>>> x, y = np.random.default_rng(0).normal(size=(5, 3)), np.array([0, 1, 1, 0, 1])
>>> dl101.gradcheck(model, x, y).passed
True
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import losses
from .checks import as_matrix, check_targets, positive
from .checks import seed as check_seed

# Where the activations' derivatives are probed, beyond where a random batch's z go: |z| from 0.01
# to 100 on both sides (a derivative wrong only for |z| > 3 shows here), never a kink at 0.
PROBE_Z = np.concatenate([-np.geomspace(100, 0.01, 30), np.geomspace(0.01, 100, 30)])


@dataclass
class GradcheckRow:
    name: str
    shape: tuple
    checked: int
    max_abs_error: float
    relative_error: float


@dataclass
class GradcheckReport:
    """Per parameter: entries checked, the largest absolute difference, and the relative error
    ‖g_backprop - g_numeric‖ / (‖g_backprop‖ + ‖g_numeric‖), which is 0 when both are 0."""

    rows: list
    tol: float
    derivatives: list = field(default_factory=list)  # σ' of each activation over PROBE_Z

    @property
    def max_relative_error(self):
        return max(row.relative_error for row in self.rows + self.derivatives)

    @property
    def passed(self):
        return self.max_relative_error <= self.tol

    def __str__(self):
        w = max(len(r.name) for r in self.rows + self.derivatives + [GradcheckRow("parameter", (), 0, 0, 0)])
        lines = [f"{'parameter':<{w}} {'shape':>12} {'checked':>8} {'max |Δ|':>10} {'relative':>10}"]
        for r in self.rows + self.derivatives:
            lines.append(f"{r.name:<{w}} {str(r.shape):>12} {r.checked:>8} "
                         f"{r.max_abs_error:>10.2e} {r.relative_error:>10.2e}")
        verdict = "PASSED" if self.passed else "FAILED"
        lines.append(f"{verdict}: largest relative error {self.max_relative_error:.2e} "
                     f"(tolerance {self.tol:.0e})")
        return "\n".join(lines)


def numeric_gradient(f, theta, entries, eps=1e-6):
    """Central differences of the scalar function ``f()`` with respect to ``theta.flat[entries]``."""
    flat, out = theta.reshape(-1), np.empty(len(entries))
    for n, j in enumerate(entries):
        saved = flat[j]
        flat[j] = saved + eps
        up = f()
        flat[j] = saved - eps
        down = f()
        flat[j] = saved
        out[n] = (up - down) / (2 * eps)
    return out


def gradcheck(model, x, y, loss="cross_entropy", eps=1e-6, tol=1e-6, max_entries=200, seed=0):
    """Check ``model``'s back-propagation on the batch ``(x, y)``; returns a :class:`GradcheckReport`.

    ``max_entries`` bounds the entries checked per parameter (a random, seeded sample of them),
    since each costs two forward passes. Each elementwise activation's ``df`` is also checked
    against central differences of its ``f`` over :data:`PROBE_Z`, where the batch may not reach.
    """
    positive(eps, "eps")
    positive(tol, "tol")
    positive(max_entries, "max_entries", integer=True)
    check_seed(seed)
    loss = losses.get(loss)
    model = model.astype("float64")
    x = as_matrix(x, "x", model.widths[0]).astype(np.float64)
    y = check_targets(model, y, len(x), loss)
    model.loss_backward(x, y, loss)
    rng, rows = np.random.default_rng(seed), []
    for name, theta, grad in model.parameters():
        entries = np.arange(theta.size)
        if theta.size > max_entries:
            entries = np.sort(rng.choice(theta.size, max_entries, replace=False))
        analytic = grad.reshape(-1)[entries].copy()
        numeric = numeric_gradient(lambda: loss.f(model.forward(x), y), theta, entries, eps)
        rows.append(_row(name, theta.shape, analytic, numeric))
    return GradcheckReport(rows, tol, derivative_rows(model, eps))


def derivative_rows(model, eps=1e-6):
    """One row per distinct activation of ``model``, over :data:`PROBE_Z`: σ'(z) as its ``df``
    gives it, against (σ(z + ε) - σ(z - ε)) / 2ε; for softmax, whose rows mix, its Jacobian
    product ``backward(g, z, x)`` against central differences of Σ g ⊙ σ(z), on rows of 10 z."""
    rows, seen = [], set()
    for i, layer in enumerate(model.layers, 1):
        sigma = layer.sigma
        if repr(sigma) in seen:
            continue
        seen.add(repr(sigma))
        z = PROBE_Z.copy()
        if sigma.vjp is None:
            analytic = np.asarray(sigma.df(z, sigma.f(z)), dtype=np.float64).reshape(-1)
            numeric = (sigma.f(z + eps) - sigma.f(z - eps)) / (2 * eps)
        else:
            z = z.reshape(-1, 10)                                    # (6, 10): rows from -100 to 100
            g = np.linspace(-1, 1, z.size).reshape(z.shape)          # a fixed upstream ∂l/∂x
            analytic = sigma.backward(g, z, sigma.f(z)).reshape(-1)  # ∂l/∂z
            numeric = numeric_gradient(lambda: float((g * sigma.f(z)).sum()), z, np.arange(z.size), eps)
        rows.append(_row(f"σ{i}' {sigma.name}", z.shape, analytic, numeric))
    return rows


def _row(name, shape, analytic, numeric):
    diff = np.abs(analytic - numeric)
    scale = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    rel = float(np.linalg.norm(diff) / scale) if scale > 0 else 0.0
    return GradcheckRow(name, shape, len(analytic), float(diff.max()), rel)
