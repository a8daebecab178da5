"""Callbacks: code that runs at fixed points of :func:`dl101.fit`, as Keras users know them.

A callback overrides any of ``on_train_begin``, ``on_epoch_begin``, ``on_batch_end``,
``on_epoch_end`` and ``on_train_end``; ``on_epoch_end`` may return True (or a str saying why) to
stop training. ``self.trainer`` is the :class:`~dl101.train.Trainer` running it. ``fit`` itself is
built from the callbacks below: validation after each epoch, the ``tol`` rule, the progress bar.
"""

from __future__ import annotations

import signal
import sys

import numpy as np

from .checks import Dl101Error, non_negative, positive


class Callback:
    """Does nothing; subclass it and override the hooks you need."""

    trainer = None

    def set_trainer(self, trainer):
        self.trainer = trainer

    def on_train_begin(self, model, n_batches):
        pass

    def on_epoch_begin(self, epoch):
        pass

    def on_batch_end(self, step, loss):
        pass

    def on_epoch_end(self, epoch, logs) -> bool | str | None:
        """``logs``: this epoch's ``epoch``, ``loss``, ``accuracy``, ``seconds`` and, with validation
        data, ``val_loss``, ``val_accuracy``."""
        return None

    def on_train_end(self, history):
        pass


class Validation(Callback):
    """Evaluates the model on ``(x, y)`` after each epoch: ``val_loss`` and ``val_accuracy`` in the
    logs; ``result`` is the last :class:`~dl101.train.Evaluation` (predictions included)."""

    def __init__(self, x, y, loss="cross_entropy"):
        self.x, self.y, self.loss, self.result = x, y, loss, None

    def on_train_begin(self, model, n_batches):
        from .checks import as_matrix, check_targets
        from .losses import get
        self.loss = get(self.loss)
        self.x = as_matrix(self.x, "validation x", model.widths[0])
        self.y = check_targets(model, self.y, len(self.x), self.loss)

    def on_epoch_end(self, epoch, logs):
        from .train import evaluate
        self.result = evaluate(self.trainer.model, self.x, self.y, self.loss)
        logs["val_loss"], logs["val_accuracy"] = self.result.loss, self.result.accuracy


def _line(logs):
    """``loss 0.2412  accuracy 93.10%  val_loss ...  1.20 s``: the logs in a fixed order."""
    keys = ["loss", "accuracy", "val_loss", "val_accuracy"]
    keys += [k for k in logs if k not in keys and k not in ("epoch", "seconds")] + ["seconds"]
    parts = []
    for key in keys:
        value = logs.get(key)
        if value is None:
            continue
        parts.append(f"{value:.2f} s" if key == "seconds" else
                     f"{key} {value:.2%}" if key.endswith("accuracy") else f"{key} {value:.4f}")
    return "  ".join(parts)


class PrintProgress(Callback):
    """One line per epoch, e.g. ``epoch  3/12  loss 0.2412  accuracy 93.10%  ...  1.20 s``, printed
    to ``file`` (default: standard output) or handed to ``log`` (a function of one str);
    ``line``, a function of ``(epoch, logs)``, writes the line instead (the job's fits 80 columns)."""

    def __init__(self, epochs=None, file=None, log=None, line=None):
        self.epochs, self.file, self.log, self.line = epochs, file, log, line

    def on_epoch_end(self, epoch, logs):
        width = len(str(self.epochs or epoch))
        line = self.line(epoch, logs) if self.line else (
            f"epoch {epoch:>{width}}" + (f"/{self.epochs}" if self.epochs else "") + "  " + _line(logs))
        if self.log is not None:
            self.log(line)
        else:
            print(line, file=self.file or sys.stdout, flush=True)


class ProgressBar(Callback):
    """A ``tqdm.auto`` bar per epoch (a widget in a notebook) with the running mean loss; it stays
    with the epoch's metrics unless ``leave`` is False. ``disable=None`` hides it off a terminal."""

    def __init__(self, epochs=None, leave=True, disable=False, file=None):
        self.epochs, self.leave, self.disable, self.file, self.bar = epochs, leave, disable, file, None

    def _open(self):
        from tqdm.auto import tqdm
        t = self.trainer
        epoch = t.epoch_count + 1
        self.bar = tqdm(total=t.n_batches, initial=t.position, desc=f"epoch {epoch}"
                        + (f"/{self.epochs}" if self.epochs else ""), unit="batch", leave=self.leave,
                        disable=self.disable, file=self.file or sys.stderr)

    def on_batch_end(self, step, loss):
        if self.bar is None:  # a new epoch, or a resumed one
            self._open()
        if step % 20 == 0:
            t = self.trainer
            seen = min((step + 1) * t.batch_size, len(t.x))
            self.bar.set_postfix(loss=f"{t.total_loss / seen:.4f}", refresh=False)
        self.bar.update()

    def on_epoch_end(self, epoch, logs):
        if self.bar is not None:
            self.bar.set_postfix_str(_line(logs), refresh=False)
            self.bar.close()
            self.bar = None

    def on_train_end(self, history):
        if self.bar is not None:
            self.bar.close()
            self.bar = None


class EarlyStopping(Callback):
    """Stops when ``monitor`` has not improved by more than ``min_delta`` for ``patience`` epochs
    (an improvement smaller than that does not count, nor move the best, as in Keras).

    With ``restore_best`` the model gets back the weights of its best epoch at the end.
    """

    def __init__(self, monitor="val_loss", patience=3, min_delta=0.0, restore_best=True):
        self.monitor, self.patience = monitor, positive(patience, "patience", integer=True)
        self.min_delta, self.restore_best = non_negative(min_delta, "min_delta"), restore_best
        self.sign = -1 if monitor.endswith("accuracy") else 1  # accuracies grow, losses fall
        self.on_train_begin(None, None)

    def on_train_begin(self, model, n_batches):
        self.best, self.wait, self.best_weights, self.stopped_epoch = np.inf, 0, None, None

    def reason(self, epoch):
        by = f" by more than {self.min_delta:g}" if self.min_delta else ""
        return f"early stopping after epoch {epoch}: {self.monitor} did not improve{by} for {self.patience} epochs"

    def on_epoch_end(self, epoch, logs):
        value = logs.get(self.monitor)
        if value is None:
            raise Dl101Error(f"EarlyStopping monitors {self.monitor!r}, which this run does not log "
                             f"(it logs {', '.join(k for k, v in logs.items() if v is not None)}); "
                             f"pass validation data or monitor 'loss'")
        if self.sign * value < self.best - self.min_delta:
            self.best, self.wait = self.sign * value, 0
            if self.restore_best:
                self.best_weights = self.trainer.model.theta.copy()
            return None
        self.wait += 1
        if self.wait < self.patience:
            return None
        self.stopped_epoch = epoch
        if self.restore_best and self.best_weights is not None:
            self.trainer.model.theta[...] = self.best_weights
        return self.reason(epoch)


class Converged(EarlyStopping):
    """``fit``'s ``tol``: "while θ has not converged", the training loss falling by more than
    ``tol`` at least once every ``patience`` epochs (the rule of :class:`EarlyStopping`)."""

    def __init__(self, tol, patience=2):
        super().__init__("loss", patience, non_negative(tol, "tol"), restore_best=False)

    def reason(self, epoch):
        return f"converged: the loss fell by less than tol={self.min_delta:g} for {self.patience} epochs"


class StopOnSignals(Callback):
    """While training, Ctrl-C (SIGINT) and SIGTERM set the trainer's ``stop_requested`` to the
    signal's name, so that it stops at the end of the current step (from the main thread only)."""

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def on_train_begin(self, model, n_batches):
        def request_stop(signum, frame):
            self.trainer.stop_requested = signal.Signals(signum).name
        try:
            self.previous = {s: signal.signal(s, request_stop) for s in self.SIGNALS}
        except ValueError:  # not the main thread: signals go to the main thread's handlers
            self.previous = {}

    def on_train_end(self, history):
        for s, handler in self.previous.items():
            signal.signal(s, handler)
        self.previous = {}
