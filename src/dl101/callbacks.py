"""Callbacks: code that runs at fixed points of :func:`dl101.fit`, as Keras users know them.

A callback overrides any of ``on_train_begin``, ``on_epoch_begin``, ``on_batch_end`` and
``on_epoch_end``; the last may return True to stop training.
"""

from __future__ import annotations

import sys

import numpy as np


class Callback:
    """Does nothing; subclass it and override the hooks you need."""

    def on_train_begin(self, model, n_batches):
        pass

    def on_epoch_begin(self, epoch):
        pass

    def on_batch_end(self, step, loss):
        pass

    def on_epoch_end(self, epoch, logs) -> bool | None:
        """``logs``: this epoch's ``loss``, ``accuracy``, ``val_loss``, ``val_accuracy``, ``seconds``."""
        return None


class PrintProgress(Callback):
    """One line per epoch, e.g. ``epoch  3/12  loss 0.2412  accuracy 93.10%  ...  1.2 s``."""

    def __init__(self, epochs=None, file=None):
        self.epochs, self.file = epochs, file

    def on_epoch_end(self, epoch, logs):
        width = len(str(self.epochs or epoch))
        parts = [f"epoch {epoch:>{width}}" + (f"/{self.epochs}" if self.epochs else "")]
        for key, value in logs.items():
            if key == "seconds":
                parts.append(f"{value:.2f} s")
            elif value is not None:
                parts.append(f"{key} {value:.2%}" if key.endswith("accuracy") else f"{key} {value:.4f}")
        print("  ".join(parts), file=self.file or sys.stderr, flush=True)


class EarlyStopping(Callback):
    """Stops when ``monitor`` has not improved by ``min_delta`` for ``patience`` epochs.

    With ``restore_best`` the model gets back the weights of its best epoch at the end.
    """

    def __init__(self, monitor="val_loss", patience=3, min_delta=0.0, restore_best=True):
        self.monitor, self.patience, self.min_delta = monitor, patience, min_delta
        self.restore_best = restore_best
        self.sign = -1 if monitor.endswith("accuracy") else 1  # accuracies grow, losses fall

    def on_train_begin(self, model, n_batches):
        self.model, self.best, self.wait, self.best_weights = model, np.inf, 0, None
        self.stopped_epoch = None

    def on_epoch_end(self, epoch, logs):
        value = logs.get(self.monitor)
        if value is None:
            from .checks import Dl101Error
            raise Dl101Error(f"EarlyStopping monitors {self.monitor!r}, which this run does not log "
                             f"(it logs {', '.join(k for k, v in logs.items() if v is not None)}); "
                             f"pass validation data or monitor 'loss'")
        if self.sign * value < self.best - self.min_delta:
            self.best, self.wait = self.sign * value, 0
            self.best_weights = self.model.theta.copy()
            return False
        self.wait += 1
        if self.wait < self.patience:
            return False
        self.stopped_epoch = epoch
        if self.restore_best and self.best_weights is not None:
            self.model.theta[...] = self.best_weights
        return True
