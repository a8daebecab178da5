"""The lecture's "2D classification for different AI models": four 2D problems, four families.

- AI: a program a human wrote, one rule per problem, nothing learned.
- ML: logistic regression f(x) = sgn(Ax + b), on the raw inputs, then on features a human
  designed (polynomials of degree 3; Gaussian radial basis functions on a 10 × 10 grid): learned
  mapping, designed features.
- DL: a small neural network that learns its own features.

Every learned model is trained by dl101's engine (jobs/toy_models.py): logistic
regression is the one-layer network MLP([d, 2], output="softmax"), whose two-class softmax is
exactly the logistic function.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
from matplotlib.figure import Figure

from .regions import draw_regions

PROBLEMS = ("moons", "circles", "xor", "spirals")


def _moons_rule(x):
    """Nearer to the lower moon's half circle (centre (1, 0.5)) than to the upper one's (centre 0)."""
    upper = np.abs(np.hypot(x[:, 0], x[:, 1]) - 1) + np.maximum(-x[:, 1], 0)
    lower = np.abs(np.hypot(x[:, 0] - 1, x[:, 1] - 0.5) - 1) + np.maximum(x[:, 1] - 0.5, 0)
    return lower < upper


HAND_RULES = {  # AI: a human looked at each problem and wrote its rule (class 1 where true)
    "moons": _moons_rule,
    "circles": lambda x: np.hypot(x[:, 0], x[:, 1]) < 0.75,
    "xor": lambda x: x[:, 0] * x[:, 1] < 0,
    # the arms wind by 3π per unit of radius; class 1's arm is half a turn behind class 0's
    "spirals": lambda x: np.mod(np.arctan2(x[:, 1], x[:, 0]) - 3 * np.pi * np.hypot(x[:, 0], x[:, 1])
                                + np.pi / 2, 2 * np.pi) > np.pi,
}


def polynomial_features(x, degree=3):
    """Every monomial x1^i x2^j with 1 <= i + j <= degree: designed by a human, not learned."""
    return np.column_stack([x[:, 0] ** i * x[:, 1] ** (d - i)
                            for d in range(1, degree + 1) for i in range(d + 1)])


def rbf_features(x, centres_per_axis=10, low=-1.5, high=2.5):
    """Gaussian bumps exp(-|x - c|² / 2s²) on a fixed grid of centres c over the plane, s their
    spacing. (On a 6 × 6 grid the wider bumps overlap so much that gradient descent, in the
    epochs given here, stalls far from the best logistic regression on them: 67% on spirals where
    the optimum reaches 97%. The 10 × 10 grid is as expressive and much better conditioned.)"""
    axis = np.linspace(low, high, centres_per_axis)
    centres = np.array([(u, v) for u in axis for v in axis])                    # (m, 2)
    width = (high - low) / (centres_per_axis - 1)
    sq = ((x[:, None, :] - centres[None]) ** 2).sum(-1)                         # (n, m)
    return np.exp(-sq / (2 * width ** 2))


@dataclass
class Family:
    """A model family: its column title, the features it sees, and the network on top of them."""

    title: str
    features: Callable | None          # None: the hand-written rule, nothing trained
    hidden: tuple = ()
    epochs: int = 300


FAMILIES = [
    Family("AI: hand-written rule", None),
    Family("ML: logistic regression\nsgn(Ax + b) on x", lambda x: x),
    Family("ML: logistic regression\non polynomial features", polynomial_features),
    Family("ML: logistic regression\non radial basis functions", rbf_features),
    Family("DL: neural network\n2-16-16-2, learned features", lambda x: x, hidden=(16, 16), epochs=400),
]


def split_problem(problem, seed=0, n=400, noise=None):
    """Train and test halves of a toy problem."""
    from .. import data
    noise = {"moons": 0.15, "circles": 0.08, "xor": 0.1, "spirals": 0.05}[problem] if noise is None else noise
    x, y = data.make_toy(problem, 2 * n, noise=noise, seed=seed)
    return x[:n], y[:n], x[n:], y[n:]


def ai_family_figure(results) -> Figure:
    """Rows: moons, circles, XOR, spirals. Columns: AI, ML (three feature choices), DL.
    ``results``: {(problem, family title): (test accuracy, probability function, the data)}, as
    ai_family_results in jobs/toy_models.py trains them."""
    fig = Figure(figsize=(3.2 * len(FAMILIES), 3.2 * len(PROBLEMS)), layout="constrained")
    axes = fig.subplots(len(PROBLEMS), len(FAMILIES))
    for row, problem in zip(axes, PROBLEMS):
        for ax, family in zip(row, FAMILIES):
            accuracy, proba, (x, y, x_test, y_test) = results[problem, family.title]
            draw_regions(ax, proba, x_test, y_test, accuracy=accuracy)
        row[0].set_ylabel(problem, fontsize=13)
    for ax, family in zip(axes[0], FAMILIES):
        ax.set_title(family.title, fontsize=11)
    fig.suptitle("2D classification for different AI models (test points shown)", fontsize=14)
    return fig
