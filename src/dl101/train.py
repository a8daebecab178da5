"""Training: the lecture's stochastic gradient descent, in mini-batches, "while θ has not converged".

    1: initialise θ                      (the model, seeded)
    3: while θ has not converged:        (at most ``epochs``; optionally a tolerance on the loss)
    4:   for each of the ⌈N / b⌉ batches: (the data reshuffled every epoch)
    6:     ∇_θ = 1/b Σ ∇_θ l(x_i, f_θ(x_i))   (back-propagation, the mean over the batch)
    7:     θ ← θ - λ ∇_θ                      (the optimiser)

``batch_size=1`` is the lecture's single-sample SGD. The last batch of an epoch holds the remainder
when b does not divide N, as PyTorch's DataLoader does by default.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np

from . import losses, optim
from .checks import Dl101Error, as_matrix, finite, positive
from .checks import seed as check_seed
from .mlp import classes_of


class TrainingDiverged(Dl101Error):
    """The loss became NaN or infinite: the learning rate is almost always too large."""


@dataclass
class History:
    """Per-epoch metrics: training loss and accuracy (the running mean over the epoch's batches,
    as Keras reports them), validation loss and accuracy (after the epoch), and seconds."""

    loss: list = field(default_factory=list)
    accuracy: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    val_accuracy: list = field(default_factory=list)
    seconds: list = field(default_factory=list)
    stopped_because: str = ""

    @property
    def epochs(self):
        return len(self.loss)

    def append(self, logs):
        for key, value in logs.items():
            getattr(self, key).append(value)

    def as_dict(self):
        return {k: v for k, v in self.__dict__.items()}


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
    y = model.check_targets(y, len(x), loss)
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is reported just below
        proba = model.forward_batches(x, batch_size)  # x is checked above: no second pass over it
    finite(proba, "the model's output", "its weights are NaN or inf, or so large that the outputs overflow")
    value = loss.f(proba, y)
    predictions = classes_of(proba)
    accuracy = float((predictions == y).mean()) if loss.classification else None
    return Evaluation(value, accuracy, predictions, proba)


def fit(model, x, y, *, epochs=12, batch_size=64, lr=0.01, loss="cross_entropy", optimizer="sgd",
        validation_data=None, tol=None, patience=2, callbacks=(), seed=0, optimizer_options=None):
    """Train ``model`` on ``(x, y)`` by mini-batch SGD; return its :class:`History`.

    ``tol`` (optional): stop once the training loss has not fallen by more than ``tol`` for
    ``patience`` epochs in a row; ``epochs`` bounds the run either way. ``seed`` fixes the order
    of the samples, so one seed gives one result.
    """
    loss = losses.get(loss)
    x = as_matrix(x, "x", model.widths[0], into=model.dtype).astype(model.dtype, copy=False)  # cast once
    seed = check_seed(seed)
    y = model.check_targets(y, len(x), loss)
    positive(epochs, "epochs", integer=True)
    positive(batch_size, "batch_size", integer=True)
    if batch_size > len(x):
        raise Dl101Error(f"batch_size {batch_size} is larger than the {len(x)} training samples; "
                         f"use batch_size <= {len(x)}")
    if validation_data is not None:
        x_val = as_matrix(validation_data[0], "validation x", model.widths[0])
        y_val = model.check_targets(validation_data[1], len(x_val), loss)
    opt = optimizer if isinstance(optimizer, optim.Optimiser) else optim.get(
        optimizer, model.parameters(flat=True), lr, **(optimizer_options or {}))
    trainer = Trainer(model, x, y, loss, opt, batch_size, np.random.default_rng(seed))
    history, best, stale = History(), np.inf, 0
    callbacks = list(callbacks)
    for cb in callbacks:
        cb.on_train_begin(model, trainer.n_batches)
    for epoch in range(1, epochs + 1):
        for cb in callbacks:
            cb.on_epoch_begin(epoch)
        start = time.perf_counter()
        logs = trainer.epoch(callbacks)
        if validation_data is not None:
            result = evaluate(model, x_val, y_val, loss)
            logs["val_loss"], logs["val_accuracy"] = result.loss, result.accuracy
        logs["seconds"] = time.perf_counter() - start
        history.append(logs)
        stop = [cb.on_epoch_end(epoch, logs) for cb in callbacks]
        if any(stop):
            history.stopped_because = f"a callback stopped training after epoch {epoch}"
            break
        if tol is not None:
            stale = 0 if logs["loss"] < best - tol else stale + 1
            best = min(best, logs["loss"])
            if stale >= patience:
                history.stopped_because = (f"converged: the loss fell by less than tol={tol} "
                                           f"for {patience} epochs")
                break
    return history


class Trainer:
    """The state of a run between two steps: data, optimiser, this epoch's order and position, and
    running sums. A run can stop after any step (set ``stop_requested``) and, restored from that
    state, continue exactly where it stopped."""

    def __init__(self, model, x, y, loss, opt, batch_size, rng):
        self.model, self.x, self.y, self.loss, self.opt = model, x, y, loss, opt
        self.batch_size, self.rng = batch_size, rng
        self.n_batches = -(-len(x) // batch_size)  # ⌈N / b⌉
        self.order, self.position, self.total_loss, self.correct = None, 0, 0.0, 0
        self.stop_requested = False

    def epoch(self, callbacks=(), max_steps=None):
        """Run (the rest of) one epoch; return its mean training loss and accuracy, or None when it
        stopped between two steps: ``stop_requested`` was set, or ``max_steps`` steps were taken
        (the next call continues the same epoch)."""
        if self.position == 0:  # a new epoch: a fresh shuffle, sums from zero
            self.order, self.total_loss, self.correct = self.rng.permutation(len(self.x)), 0.0, 0
        b = self.batch_size
        end = self.n_batches if max_steps is None else min(self.n_batches, self.position + max_steps)
        with np.errstate(over="ignore", invalid="ignore"):  # divergence is caught by the loss check
            while self.position < end:
                idx = self.order[self.position * b:(self.position + 1) * b]
                yb = self.y[idx]
                value = self.step(self.x[idx], yb)
                self.total_loss += value * len(idx)
                if self.loss.classification:
                    self.correct += int(np.count_nonzero(classes_of(self.model.layers[-1].x) == yb))
                for cb in callbacks:
                    cb.on_batch_end(self.position, value)
                self.position += 1
                if self.stop_requested:
                    return None
        if self.position < self.n_batches:  # max_steps reached before the end of the epoch
            return None
        self.position = 0
        if not np.isfinite(self.model.theta).all():
            raise TrainingDiverged(f"training diverged: the weights hold NaN or inf after this epoch; "
                                   f"the learning rate lr={self.opt.lr:g} is probably too large")
        n = len(self.x)
        return {"loss": self.total_loss / n,
                "accuracy": self.correct / n if self.loss.classification else None}

    def step(self, xb, yb):
        """One SGD step on a batch: forward, loss, back-propagation, update. Returns the loss."""
        value = self.model.loss_backward(xb, yb, self.loss)
        if not math.isfinite(value):
            raise TrainingDiverged(
                f"training diverged: the loss became {value} at step {self.opt.t + 1}; the learning "
                f"rate lr={self.opt.lr:g} is probably too large, try lr={self.opt.lr / 10:g}")
        self.opt.step()
        return value
