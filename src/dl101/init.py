"""Initialisers: the first θ of the lecture's "Initialize parameters θ".

Each returns ``(A, b)`` for one layer, A of shape (k_in, k_out) and b of shape (k_out,), drawn from
the one seeded ``numpy.random.Generator`` it is given, in float64 (then cast by the model, so the
float32 and float64 models of one seed start from the same numbers).

- ``glorot``: A ~ U(±√(6 / (k_in + k_out))), b = 0 (Glorot & Bengio, 2010; keeps the variance of
  tanh/sigmoid layers steady both ways).
- ``he``: A ~ N(0, 2 / k_in), b = 0 (He et al., 2015; the factor 2 makes up for ReLU zeroing half).
- ``torch``: A and b ~ U(±1/√k_in), what PyTorch's ``nn.Linear`` does, to compare like with like.
- ``auto`` (the default): ``he`` for a layer of the ReLU family, ``glorot`` otherwise.

>>> A, b = get("torch")(784, 64, "relu", np.random.default_rng(0))
>>> A.shape, b.shape, bool(abs(A).max() <= 1 / 28)
((784, 64), (64,), True)
"""

from __future__ import annotations

import numpy as np

from . import checks
from .activations import RELU_FAMILY


def glorot(k_in, k_out, sigma_name, rng):
    limit = np.sqrt(6 / (k_in + k_out))
    return rng.uniform(-limit, limit, size=(k_in, k_out)), np.zeros(k_out)


def he(k_in, k_out, sigma_name, rng):
    return rng.normal(0, np.sqrt(2 / k_in), size=(k_in, k_out)), np.zeros(k_out)


def torch(k_in, k_out, sigma_name, rng):
    bound = 1 / np.sqrt(k_in)
    return rng.uniform(-bound, bound, size=(k_in, k_out)), rng.uniform(-bound, bound, size=k_out)


def auto(k_in, k_out, sigma_name, rng):
    return (he if sigma_name in RELU_FAMILY else glorot)(k_in, k_out, sigma_name, rng)


INITIALISERS = {"auto": auto, "glorot": glorot, "he": he, "torch": torch}


def get(name="auto"):
    """An initialiser by name: ``auto``, ``glorot``, ``he`` or ``torch``."""
    return name if callable(name) else checks.get(INITIALISERS, name, "initialiser")
