"""The Trainer: the state of a training run between two SGD steps, moved on by one step, k steps or
an epoch, saved and restored bit for bit. :func:`dl101.fit` is the epoch loop around it; the job,
the notebook and the playground drive it the same way.

One step is the lecture's: a mini-batch of the epoch's shuffled order, forward, loss,
back-propagation, θ ← θ - λ ∇_θ (the optimiser). The last batch of an epoch holds the remainder
when b does not divide N, as PyTorch's DataLoader does by default.
"""

from __future__ import annotations

import dataclasses
import math
import time
from dataclasses import dataclass, field

import numpy as np

from . import losses, trainer_state
from .checks import Dl101Error, positive
from .divergence import DIVERGENCE, TrainingDiverged, baseline_loss, suggest_lr
from .mlp import classes_of


@dataclass
class History:
    """Per-epoch metrics under Keras's names: ``loss`` and ``accuracy`` (the running mean over the
    epoch's batches, as Keras reports them), ``val_loss`` and ``val_accuracy`` (on the validation
    data, after the epoch), ``seconds`` (the epoch's training steps) and the ``epoch`` numbers."""

    epoch: list = field(default_factory=list)
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
        """Add one epoch's logs (the keys a callback adds beyond these fields are not kept)."""
        for key, value in logs.items():
            if key in METRICS:
                getattr(self, key).append(value)


METRICS = [f.name for f in dataclasses.fields(History) if f.name != "stopped_because"]


@dataclass
class Advance:
    """What one :meth:`Trainer.advance` did: its steps, each step's mini-batch loss, the logs of
    each epoch it finished, and why it stopped early (None when it took every step asked)."""

    steps: int = 0
    losses: list = field(default_factory=list)
    epochs: list = field(default_factory=list)
    stopped: str | None = None


class Trainer:
    """The state of a run between two steps: model, data, optimiser, this epoch's order and
    position, running sums, counters and history. :meth:`advance` moves it on; setting
    ``stop_requested`` (a str naming why, e.g. ``"SIGINT"``) stops it after the current step; and
    :meth:`state_dict` / :meth:`load_state_dict` save and restore it, so that a restored trainer
    continues bit for bit as the original would have.

    Divergence (:mod:`dl101.divergence`): after each step, the mini-batch loss is smoothed,
    s ← s + (l - s) / w with w = min(50, ⌈N / b⌉) steps (s starts at the first step's loss l₀);
    once s > k × max(l₀, l_c), with k = ``divergence`` (default 10) and l_c the loss of a model
    that knows nothing (ln K for K classes, the targets' variance for MSE), the trainer raises
    :class:`TrainingDiverged`, as it does at once for a NaN or infinite loss. The floor l_c keeps a
    trainer that starts from an already good model (a tiny l₀) from calling ordinary noise a
    divergence. The lecture's runs (MNIST and digits, batch 1 to 64, SGD at λ = 0.01 to 0.1, Adam)
    stay below 2 l₀; noisy batch-1 spikes move s by only 1/w of themselves. ``divergence=None``
    keeps only the NaN check.
    """

    def __init__(self, model, x, y, loss, opt, batch_size, rng, divergence=DIVERGENCE):
        self.model, self.x, self.y, self.loss, self.opt = model, x, y, losses.get(loss), opt
        self.batch_size, self.rng = positive(batch_size, "batch_size", integer=True), rng
        self.n_batches = -(-len(x) // batch_size)  # ⌈N / b⌉
        self.order, self.position, self.total_loss, self.correct, self.seconds = None, 0, 0.0, 0, 0.0
        self.step_count, self.epoch_count = 0, 0
        self.divergence = None if divergence is None else positive(divergence, "divergence")
        self.loss_start = self.loss_smoothed = None  # l₀ and s of the divergence rule
        self.loss_floor = baseline_loss(self.loss, y, model.widths[-1]) if self.divergence else 0.0  # l_c
        self.history = History()
        self.stop_requested: str | None = None

    # --- moving on ----------------------------------------------------------------------------
    def advance(self, steps=None, epochs=None, callbacks=()) -> Advance:
        """Take ``steps`` SGD steps (crossing epoch boundaries as needed), or run to the end of the
        ``epochs``-th epoch from here (``epochs=1``: the end of the current one).

        Callbacks get ``on_epoch_begin(epoch)`` when an epoch starts, ``on_batch_end(position,
        loss)`` after each step and ``on_epoch_end(epoch, logs)`` when one ends; a true value
        returned by ``on_epoch_end`` stops the trainer there (a str says why). ``stop_requested``
        is checked before the first step and after each one: while it is set, advance stops (it is
        not cleared; set it back to None to go on).
        """
        if (steps is None) == (epochs is None):
            raise Dl101Error(f"advance takes steps= or epochs=, exactly one of them; got steps={steps!r}, "
                             f"epochs={epochs!r}")
        if steps is not None:
            total = positive(steps, "steps", integer=True)
        else:
            total = self.n_batches - self.position + (positive(epochs, "epochs", integer=True) - 1) * self.n_batches
        report = Advance()
        while report.steps < total and report.stopped is None:
            if self.stop_requested is not None:
                report.stopped = self.stop_requested
                break
            if self.position == 0:
                self._begin_epoch(callbacks)
            self._steps(min(total - report.steps, self.n_batches - self.position), callbacks, report)
            if self.position == self.n_batches:
                logs, stop = self._end_epoch(callbacks)
                report.epochs.append(logs)
                if stop:
                    report.stopped = stop
        return report

    def epoch(self, callbacks=(), max_steps=None):
        """Run (the rest of) one epoch; return its logs, or None when it stopped between two steps:
        ``stop_requested`` was set, or ``max_steps`` steps were taken (the next call goes on)."""
        left = self.n_batches - self.position
        report = self.advance(steps=left if max_steps is None else min(max_steps, left), callbacks=callbacks)
        return report.epochs[-1] if report.epochs else None

    def _begin_epoch(self, callbacks):
        """A new epoch: a fresh shuffle, sums from zero."""
        self.order = self.rng.permutation(len(self.x))
        self.total_loss, self.correct, self.seconds = 0.0, 0, 0.0
        for cb in callbacks:
            cb.on_epoch_begin(self.epoch_count + 1)

    def _steps(self, k, callbacks, report):
        """Up to ``k`` steps of the current epoch (fewer when ``stop_requested`` is set)."""
        b, start = self.batch_size, time.perf_counter()
        classification = self.loss.classification
        window = min(50, self.n_batches)  # w, the divergence rule's smoothing
        rate, smoothed, limit = 1 / window, self.loss_smoothed, self._divergence_limit()
        with np.errstate(over="ignore", invalid="ignore"):  # divergence is caught by the loss check
            for _ in range(k):
                idx = self.order[self.position * b:(self.position + 1) * b]
                yb = self.y[idx]
                value = self.step(self.x[idx], yb)
                if smoothed is None:  # the first step: l₀, the loss of the initial weights
                    self.loss_start = smoothed = value
                    limit = self._divergence_limit()
                smoothed += (value - smoothed) * rate
                self.loss_smoothed = smoothed
                if smoothed > limit:
                    self.seconds += time.perf_counter() - start
                    k = self.divergence
                    self._diverged(f"the loss grew from {self.loss_start:.4g} at the first step to "
                                   f"{smoothed:.4g} (smoothed over {window} steps) at step "
                                   f"{self.step_count + 1}, more than {k:g} times its starting value "
                                   f"(and than {k:g} times {self.loss_floor:.4g}, the loss of a model "
                                   f"that knows nothing)")
                self.total_loss += value * len(idx)
                if classification:
                    self.correct += int(np.count_nonzero(classes_of(self.model.layers[-1].x) == yb))
                report.losses.append(value)
                report.steps += 1
                for cb in callbacks:
                    cb.on_batch_end(self.position, value)
                self.position += 1
                self.step_count += 1
                if self.stop_requested is not None:
                    if self.position < self.n_batches:  # at an epoch's end, the epoch ends first
                        report.stopped = self.stop_requested
                    break
        self.seconds += time.perf_counter() - start

    def _divergence_limit(self):
        """k × max(l₀, l_c), the bound of the divergence rule; none before the first step or with
        the rule off."""
        if self.divergence is None or self.loss_start is None:
            return math.inf
        return self.divergence * max(self.loss_start, self.loss_floor)

    def _end_epoch(self, callbacks):
        """The epoch's logs, passed to the callbacks and recorded; returns (logs, why to stop)."""
        if not np.isfinite(self.model.theta).all():
            self._diverged("the weights hold NaN or inf after this epoch")
        self.position, self.epoch_count = 0, self.epoch_count + 1
        n = len(self.x)
        logs = {"epoch": self.epoch_count, "loss": self.total_loss / n,
                "accuracy": self.correct / n if self.loss.classification else None,
                "seconds": self.seconds}
        answers = [cb.on_epoch_end(self.epoch_count, logs) for cb in callbacks]  # every one runs
        self.history.append(logs)
        stop = next((a for a in answers if a), None)
        if stop is True or (stop and not isinstance(stop, str)):
            stop = f"a callback stopped training after epoch {self.epoch_count}"
        if stop:
            self.history.stopped_because = stop
        return logs, stop

    def step(self, xb, yb):
        """One SGD step on a batch: forward, loss, back-propagation, update. Returns the loss."""
        value = self.model.loss_backward(xb, yb, self.loss)
        if not math.isfinite(value):
            self._diverged(f"the loss became {value} at step {self.opt.t + 1}")
        self.opt.step()
        return value

    def _diverged(self, what):
        lr = suggest_lr(self.opt)
        raise TrainingDiverged(f"training diverged: {what}; the learning rate lr={self.opt.lr:g} is "
                               f"probably too large, try lr={lr:g}", suggested_lr=lr)

    # --- saving and restoring -----------------------------------------------------------------
    def state_dict(self) -> dict:
        """Everything the run needs to continue: NumPy arrays (under ``theta``, ``order`` and
        ``opt.*``) and plain numbers, lists and dicts (the rest), so that arrays go to ``.npz`` and
        the rest to JSON. A copy: training on does not change it."""
        order = self.order if self.order is not None else np.zeros(0, np.intp)
        return {"theta": self.model.theta.copy(), "order": order.copy(),
                **{f"opt.{k}": np.array(v, copy=True) for k, v in self.opt.state_dict().items()},
                "lr": float(self.opt.lr), "n_samples": len(self.x), "batch_size": self.batch_size,
                "position": self.position, "total_loss": float(self.total_loss),
                "correct": int(self.correct), "seconds": float(self.seconds),
                "step_count": self.step_count, "epoch_count": self.epoch_count,
                "rng": self.rng.bit_generator.state, "history": dataclasses.asdict(self.history),
                "loss_start": self.loss_start, "loss_smoothed": self.loss_smoothed}

    def load_state_dict(self, state):
        """Restore a :meth:`state_dict` (from this trainer or one built the same way). Every entry
        is checked first (:func:`dl101.trainer_state.check`): on any problem, one
        :class:`~dl101.trainer_state.StateError` and the trainer is left as it was."""
        ok = trainer_state.check(self, state)
        self.model.theta[...] = ok["theta"]
        self.opt.load_state_dict(ok["opt"])
        self.opt.lr = ok["lr"]
        self.order, self.position, self.total_loss = ok["order"], ok["position"], ok["total_loss"]
        self.correct, self.seconds = ok["correct"], ok["seconds"]
        self.step_count, self.epoch_count = ok["step_count"], ok["epoch_count"]
        self.loss_start, self.loss_smoothed = ok["loss_start"], ok["loss_smoothed"]
        self.rng.bit_generator.state = ok["rng"]
        self.history = ok["history"]
        self.stop_requested = None

