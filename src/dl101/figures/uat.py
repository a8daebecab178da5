"""The universal approximation theorem, seen: g(x) = C σ(Ax + b) with k hidden units, fitted by the
engine (jobs/toy_models.py) to a continuous target on the compact interval [-1, 1].

For σ = tanh or ReLU the sup-norm error sup |f - g| falls as k grows. For a polynomial σ, here
σ(z) = z², g is a polynomial of degree 2 whatever k is, so the error stops falling: the theorem's
"only if".
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from .. import activations
from .style import BLACK, BLUE, ORANGE, PALETTE, VERMILLION

WIDTHS = (1, 2, 4, 8, 16, 64)
SQUARE = activations.Activation("square", lambda z: z * z, lambda z, x: 2 * z)  # a polynomial σ


def target(x):
    """A continuous function with a kink and three bumps on [-1, 1]."""
    return np.sin(2 * np.pi * x) + 0.5 * np.abs(x)


def uat_figure(results, widths=WIDTHS) -> Figure:
    """Left: tanh fits for growing k. Right: sup-norm error against k for tanh, ReLU and z².
    ``results``: as uat_results in jobs/toy_models.py fits them."""
    errors = results["errors"]
    fig = Figure(figsize=(13, 5), layout="constrained")
    left, right = fig.subplots(1, 2)
    grid = np.linspace(-1, 1, 2001)[:, None]
    left.plot(grid, target(grid), color=BLACK, lw=3, label="target f")
    for k, colour in zip(widths, PALETTE):
        if k in (1, 4, 16, 64):
            left.plot(grid, results["fits"][k], color=colour, lw=1.6, label=f"k = {k}")
    left.set(title="g(x) = C tanh(Ax + b) with k hidden units", xlabel="x", ylabel="y")
    left.legend()
    left.grid(alpha=0.3)
    for (name, values), colour, marker in zip(errors.items(), (BLUE, ORANGE, VERMILLION), "os^"):
        label = {"tanh": "σ = tanh", "relu": "σ = ReLU", "square": "σ(z) = z² (a polynomial)"}[name]
        right.plot(widths, values, marker=marker, color=colour, lw=2, label=label)
    right.set(xscale="log", yscale="log", xlabel="hidden units k", ylabel="sup |f(x) - g(x)| on [-1, 1]",
              title="Sup-norm error: falls with k unless σ is a polynomial")
    right.set_xticks(widths, [str(k) for k in widths])
    right.legend()
    right.grid(alpha=0.3, which="both")
    return fig
