"""The universal approximation theorem, seen: g(x) = C σ(Ax + b) with k hidden units, fitted by the
engine to a continuous target on the compact interval [-1, 1].

For σ = tanh or ReLU the sup-norm error sup |f - g| falls as k grows. For a polynomial σ, here
σ(z) = z², g is a polynomial of degree 2 whatever k is, so the error stops falling: the theorem's
"only if".
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from .. import activations
from ..mlp import MLP
from ..train import fit
from .style import BLACK, BLUE, ORANGE, PALETTE, VERMILLION

WIDTHS = (1, 2, 4, 8, 16, 64)
SQUARE = activations.Activation("square", lambda z: z * z, lambda z, x: 2 * z)  # a polynomial σ


def target(x):
    """A continuous function with a kink and three bumps on [-1, 1]."""
    return np.sin(2 * np.pi * x) + 0.5 * np.abs(x)


def fit_uat(sigma, k, seed=0, steps=2000, n=256):
    """g with ``k`` hidden units of ``sigma`` fitted to :func:`target`; returns the model and its
    sup-norm error on a fine grid.

    Plain gradient descent from a random start gets stuck here (ReLU units whose kinks all sit
    near 0 die), so the fit starts where the theorem's proofs do: each hidden unit placed at its
    own point of the interval (A random, b = -A c for centres c evenly spread over [-1, 1]), the best
    output layer C for those features by least squares (the output is linear in C), and then
    Adam on every parameter with the engine's back-propagation.
    """
    rng = np.random.default_rng(seed)
    x = np.linspace(-1, 1, n)[:, None]
    y = target(x)
    model = MLP([1, k, 1], sigma, "linear", seed=seed, dtype="float64")
    hidden, out = model.layers
    hidden.A[...] = rng.choice([-1, 1], k) * rng.uniform(1, 2 + k, k)          # (1, k)
    hidden.b[...] = -hidden.A[0] * np.linspace(-1, 1, k + 2)[1:-1]              # (k,) centres
    features = np.hstack([hidden.sigma.f(x @ hidden.A + hidden.b), np.ones((n, 1))])  # (n, k + 1)
    solution = np.linalg.lstsq(features, y, rcond=None)[0]                      # (k + 1, 1)
    out.A[...], out.b[...] = solution[:-1], solution[-1]
    fit(model, x, y, loss="mse", optimizer="adam", lr=0.003, epochs=steps, batch_size=n, seed=seed, verbose=0)
    grid = np.linspace(-1, 1, 2001)[:, None]
    return model, float(np.abs(model.forward(grid) - target(grid)).max())


def uat_results(seed=0, widths=WIDTHS):
    """What the figure shows: ``{"errors": {σ name: [sup error for each k]}, "fits": {k: g on
    the grid}}``, the fits being tanh's, for σ = tanh, ReLU and z²."""
    grid = np.linspace(-1, 1, 2001)[:, None]
    errors, fits = {}, {}
    for sigma in ("tanh", "relu", SQUARE):
        name = activations.get(sigma).name
        errors[name] = []
        for k in widths:
            model, error = fit_uat(sigma, k, seed)
            errors[name].append(error)
            if name == "tanh":
                fits[k] = model.forward(grid)[:, 0]
    return {"errors": errors, "fits": fits}


def uat_figure(seed=0, widths=WIDTHS, results=None) -> Figure:
    """Left: tanh fits for growing k. Right: sup-norm error against k for tanh, ReLU and z²
    (``results``: those of :func:`uat_results`, else computed here)."""
    results = results or uat_results(seed, widths)
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
