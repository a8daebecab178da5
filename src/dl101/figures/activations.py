"""The eight activations of the lecture and their derivatives, computed by the engine's registry."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from .. import activations
from .style import BLUE, ORANGE


TITLES = {  # the lecture's names and formulas
    "linear": "Linear: σ(z) = z",
    "sigmoid": "Sigmoid: σ(z) = 1 / (1 + e⁻ᶻ)",
    "tanh": "Hyperbolic tangent",
    "relu": "ReLU: σ(z) = max{0, z}",
    "leaky_relu": "Leaky ReLU: max{αz, z}, α = {alpha}",
    "elu": "ELU: α(eᶻ - 1) for z < 0, α = {alpha}",
    "swish": "Swish: σ(z) = z / (1 + e⁻ᶻ)",
    "softmax": "Softmax of (z, 0), first output",
}


def activations_figure(z_range=4.0) -> Figure:
    """σ (solid) and σ' (dashed) for each activation. Softmax, which acts on a vector, is shown on
    (z, 0): its first output, e^z / (e^z + 1), and the diagonal of its Jacobian."""
    z = np.linspace(-z_range, z_range, 801)
    fig = Figure(figsize=(14, 6.5), layout="constrained")
    for ax, name in zip(fig.subplots(2, 4).ravel(), activations.ACTIVATIONS):
        sigma = activations.get(name)
        if name == "softmax":
            pair = np.stack([z, np.zeros_like(z)], axis=1)  # (801, 2)
            x, dx = sigma.f(pair)[:, 0], sigma.df(pair, sigma.f(pair))[:, 0]
        else:
            x, dx = sigma.f(z), sigma.df(z, sigma.f(z))
        title = TITLES[name].replace("{alpha}", str(sigma.params.get("alpha")))
        ax.plot(z, x, color=BLUE, lw=2, label="σ(z)")
        ax.plot(z, dx, color=ORANGE, lw=2, ls="--", label="σ'(z)")
        ax.axhline(0, color="grey", lw=0.6)
        ax.axvline(0, color="grey", lw=0.6)
        ax.set(title=title, xlabel="z", ylim=(-1.6, 2.6))
        ax.grid(alpha=0.3)
        ax.legend(loc="upper left", fontsize=9)
    fig.suptitle("The activation functions of the lecture and their derivatives")
    return fig
