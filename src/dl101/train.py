"""Training: the lecture's stochastic gradient descent, in mini-batches, "while θ has not converged".

    1: initialise θ                      (the model, seeded)
    3: while θ has not converged:        (at most ``epochs``; optionally a tolerance on the loss)
    4:   for each of the ⌈N / b⌉ batches: (the data reshuffled every epoch)
    6:     ∇_θ = 1/b Σ ∇_θ l(x_i, f_θ(x_i))   (back-propagation, the mean over the batch)
    7:     θ ← θ - λ ∇_θ                      (the optimiser)

``batch_size=1`` is the lecture's single-sample SGD. The last batch of an epoch holds the remainder
when b does not divide N, as PyTorch's DataLoader does by default.

:func:`fit` is the one epoch loop: it composes a :class:`~dl101.trainer.Trainer` (the state of a
run between two steps, which it moves on an epoch at a time) with callbacks (validation, the
``tol`` rule, the progress bar).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import losses, optim
from .checks import Dl101Error, as_matrix, check_targets, finite, non_negative, one_of, positive
from .checks import seed as check_seed
from .divergence import DIVERGENCE
from .mlp import classes_of
from .trainer import Advance, History, Trainer, TrainingDiverged

__all__ = ["fit", "evaluate", "Evaluation", "History", "Trainer", "Advance", "TrainingDiverged"]


@dataclass
class Evaluation:
    """What :func:`evaluate` returns: mean loss, accuracy, predicted classes and probabilities."""

    loss: float
    accuracy: float | None
    predictions: np.ndarray
    probabilities: np.ndarray


def evaluate(model, x, y, loss="cross_entropy", batch_size=8192) -> Evaluation:
    """The model's mean loss and accuracy on ``(x, y)``, with its predictions."""
    loss = losses.get(loss)
    x = as_matrix(x, "x", model.widths[0], into=model.dtype)
    y = check_targets(model, y, len(x), loss)
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is reported just below
        proba = model.forward_batches(x, batch_size)  # x is checked above: no second pass over it
    finite(proba, "the model's output", "its weights are NaN or inf, or so large that the outputs overflow")
    value = loss.f(proba, y)
    predictions = classes_of(proba)
    accuracy = float((predictions == y).mean()) if loss.classification else None
    return Evaluation(value, accuracy, predictions, proba)


def fit(model, x, y, *, epochs=12, batch_size=64, lr=0.01, loss="cross_entropy", optimizer="sgd",
        validation_data=None, validation_split=None, tol=None, patience=2, callbacks=(), seed=0,
        optimizer_options=None, verbose=1, state=None, divergence=DIVERGENCE) -> History:
    """Train ``model`` on ``(x, y)`` by mini-batch SGD; return its :class:`History`.

    ``seed`` fixes the order of the samples (``np.random.default_rng(seed)``), so one seed gives
    one result. ``validation_data=(x_val, y_val)``, or ``validation_split=v`` (the last fraction v
    of the samples, as Keras takes it), is evaluated after each epoch (``val_loss``,
    ``val_accuracy``). ``tol`` (optional): stop once the training loss has not fallen by more than
    ``tol`` for ``patience`` epochs in a row, the rule of :class:`~dl101.callbacks.EarlyStopping`;
    ``epochs`` bounds the run either way. ``verbose``: 0 silent, 1 a progress bar per epoch with the
    live loss (the default, as Keras), 2 one line per epoch. ``state``: a
    :meth:`Trainer.state_dict` to continue from (a checkpoint); training goes on to ``epochs``.
    ``divergence`` (k): stop with :class:`TrainingDiverged` once the loss, smoothed over the last
    ~50 steps, exceeds k × max(first step's loss, the loss of a model that knows nothing) (the
    rule of :class:`Trainer`, :mod:`dl101.divergence`), or at once
    when it is NaN or infinite; ``None`` keeps only the NaN check. The error's ``suggested_lr``
    is a learning rate to try.
    """
    from . import callbacks as cbs
    loss = losses.get(loss)
    x = as_matrix(x, "x", model.widths[0], into=model.dtype).astype(model.dtype, copy=False)  # cast once
    seed = check_seed(seed)
    y = check_targets(model, y, len(x), loss)
    positive(epochs, "epochs", integer=True)
    positive(batch_size, "batch_size", integer=True)
    one_of(verbose, "verbose", (0, 1, 2), "0 (silent), 1 (a progress bar) or 2 (one line per epoch)")
    if tol is not None:
        non_negative(tol, "tol")
        positive(patience, "patience", integer=True)
    if validation_split is not None:
        if validation_data is not None:
            raise Dl101Error("give validation_data or validation_split, not both")
        x, y, validation_data = _split(x, y, validation_split)
    if batch_size > len(x):
        raise Dl101Error(f"batch_size {batch_size} is larger than the {len(x)} training samples; "
                         f"use batch_size <= {len(x)}")
    pieces = []
    if validation_data is not None:
        pieces.append(cbs.Validation(*validation_data, loss=loss))
    pieces += list(callbacks)
    if tol is not None:
        pieces.append(cbs.Converged(tol, patience))
    if verbose:
        pieces.append(cbs.ProgressBar(epochs) if verbose == 1 else cbs.PrintProgress(epochs))
    opt = optimizer if isinstance(optimizer, optim.Optimizer) else optim.get(
        optimizer, model.parameters(flat=True), lr, **(optimizer_options or {}))
    trainer = Trainer(model, x, y, loss, opt, batch_size, np.random.default_rng(seed), divergence)
    if state is not None:
        trainer.load_state_dict(state)
    for cb in pieces:
        cb.set_trainer(trainer)
        cb.on_train_begin(model, trainer.n_batches)
    try:
        while trainer.epoch_count < epochs:
            report = trainer.advance(epochs=1, callbacks=pieces)
            if report.stopped and trainer.stop_requested is not None:
                trainer.history.stopped_because = (
                    f"{report.stopped}: stopped in epoch {trainer.epoch_count + 1} after step "
                    f"{trainer.position}/{trainer.n_batches}")
            if report.stopped:
                break
    finally:
        for cb in pieces:
            cb.on_train_end(trainer.history)
    return trainer.history


def _split(x, y, fraction):
    """Keras's validation_split: the last ``fraction`` of the samples, taken before any shuffle."""
    ok = isinstance(fraction, (float, int, np.floating)) and not isinstance(fraction, bool)
    if not ok or not 0 < fraction < 1:
        raise Dl101Error(f"validation_split must be a number between 0 and 1 (exclusive), e.g. 0.1; "
                         f"got {fraction!r}")
    n_val = int(len(x) * fraction)
    if n_val < 1 or n_val > len(x) - 1:
        raise Dl101Error(f"validation_split={fraction} of {len(x)} samples leaves {n_val} for "
                         f"validation and {len(x) - n_val} for training; each needs at least 1")
    return x[:-n_val], y[:-n_val], (x[-n_val:], y[-n_val:])
