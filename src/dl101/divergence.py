"""Divergence: when training has gone wrong, and a learning rate to try instead.

A loss that becomes NaN or infinite has diverged. So has a finite loss that grows far beyond where
it started: the :class:`~dl101.trainer.Trainer` smooths the mini-batch loss over about 50 steps and
stops once it exceeds k × max(l₀, l_c), l₀ being the first step's loss and l_c the loss of a model
that knows nothing (:func:`baseline_loss`). ``dl101 mnist --lr 50`` used to train to 8.9% with a
loss of four million and exit 0; it now stops at its second step and suggests lr=0.1.
"""

from __future__ import annotations

import numpy as np

from .checks import Dl101Error


class TrainingDiverged(Dl101Error):
    """Training diverged: the loss became NaN or infinite, or grew far beyond its starting value
    (see :class:`~dl101.trainer.Trainer`). The learning rate is almost always too large; ``suggested_lr`` is one
    to try (:func:`suggest_lr`)."""

    def __init__(self, message, suggested_lr=None):
        super().__init__(message)
        self.suggested_lr = suggested_lr


DIVERGENCE = 10.0
"""The divergence rule's factor k: the smoothed loss may not exceed k × max(l₀, l_c)."""

SAFE_LR = {"SGD": 0.1, "Adam": 0.001}
"""A learning rate known to train the lecture's networks (784-64-32-10 on MNIST, 64-64-32-10 on
digits, batch 1 to 64): the highest :func:`suggest_lr` proposes."""


def suggest_lr(opt) -> float:
    """A learning rate to try after ``opt`` diverged: a tenth of its, at most :data:`SAFE_LR`'s
    (for momentum SGD, that times 1 - μ: momentum multiplies the step by about 1 / (1 - μ))."""
    safe = SAFE_LR.get(type(opt).__name__, 0.001) * (1 - getattr(opt, "momentum", 0.0))
    return float(f"{min(opt.lr / 10, safe):.3g}")


def baseline_loss(loss, y, n_outputs) -> float:
    """l_c, the loss of a model that knows nothing: uniform probabilities over the K classes
    (ln K) for a classification loss, the targets' mean for MSE (their variance), computed with
    the loss's own formula on at most 4096 targets.

    >>> from dl101 import losses
    >>> round(baseline_loss(losses.get("cross_entropy"), np.array([0, 1, 2, 3]), 4), 4)  # ln 4
    1.3863
    """
    y = y[:4096]
    if loss.classification:
        guess = np.full((len(y), n_outputs), 1 / n_outputs)
    else:
        guess = np.broadcast_to(np.mean(y, axis=0), np.shape(y))
    return float(loss.f(guess, y))
