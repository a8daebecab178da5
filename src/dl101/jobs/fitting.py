"""How the main job's settings become :func:`dl101.fit`'s arguments: the optimiser and its
momentum, what the history's ``val_*`` are measured on, and early stopping.

- ``--momentum μ``: with ``--optimizer sgd`` (the default) it makes SGD with momentum, as Keras's
  and PyTorch's ``SGD(momentum=μ)`` do; with ``momentum`` or ``nesterov`` it sets their μ (else
  0.9). Refused: ``adam`` with it (Adam's β1 plays that role), and ``momentum`` or ``nesterov``
  with μ = 0 (that is plain SGD: ``--optimizer sgd``).
- ``--validation-split v``: fit's ``validation_split``, as in Keras: the last fraction v of the
  training images is held out (never trained on), and the history's ``val_loss`` and
  ``val_accuracy`` are measured on it after each epoch; the test set is then evaluated once, at
  the end (``final.test_*`` and ``confusion_matrix`` in ``metrics.json``). Without it, ``val_*``
  are the test set after each epoch, as the lecture does. The history keeps Keras's four names
  either way; ``metrics.json``'s ``validation`` says which set ``val_*`` are.
- ``--early-stopping P``: :class:`~dl101.callbacks.EarlyStopping` on ``val_loss`` with patience
  P. As Keras's default (``restore_best_weights=False``), the model saved is the last epoch's;
  a resumed run replays its history into the rule, so it stops where the uninterrupted run would.
"""

from __future__ import annotations

from ..callbacks import EarlyStopping
from ..checks import Dl101Error, number, positive


def check(settings):
    """The three options' ranges and how ``--momentum`` combines with ``--optimizer``."""
    if settings.momentum is not None:
        number(settings.momentum, "--momentum", 0, 1, high_open=True)
    if settings.validation_split is not None:
        v = number(settings.validation_split, "--validation-split")
        if not 0 < v < 1:
            raise Dl101Error(f"--validation-split must be between 0 and 1 (exclusive), e.g. 0.1 to "
                             f"hold out the last 10% of the training images; got {v!r}")
    if settings.early_stopping is not None:
        positive(settings.early_stopping, "--early-stopping", integer=True)
    optimizer(settings)


def optimizer(settings) -> tuple[str, dict]:
    """``(name, options)`` for :func:`dl101.optim.get`."""
    name, mu = settings.optimizer, settings.momentum
    if mu is None:
        return name, {}
    if name == "sgd":
        return ("momentum", {"momentum": mu}) if mu > 0 else ("sgd", {})
    if name in ("momentum", "nesterov"):
        if mu == 0:
            raise Dl101Error(f"--optimizer {name} with --momentum 0 is plain SGD: use --optimizer sgd, "
                             f"or a momentum in (0, 1) such as 0.9")
        return name, {"momentum": mu}
    raise Dl101Error(f"--optimizer {name} takes no --momentum (Adam's beta1 plays that role); drop "
                     f"--momentum, or use --optimizer sgd --momentum {mu:g}")


def describe(settings) -> str:
    """The optimiser as the job's first lines name it, e.g. ``sgd, momentum 0.9``."""
    name, options = optimizer(settings)
    return settings.optimizer + (f", momentum {options['momentum']:g}" if options else "")


def check_data(settings, n_train):
    """``--validation-split`` on ``n_train`` images leaves at least one on each side, and at
    least a batch to train on."""
    v = settings.validation_split
    if v is None:
        return
    n_val = int(n_train * v)  # fit's rule: the last int(N v) samples
    if n_val < 1 or n_val > n_train - 1:
        raise Dl101Error(f"--validation-split {v:g} of the {n_train:,} training images leaves "
                         f"{n_val:,} for validation and {n_train - n_val:,} for training; each needs "
                         f"at least 1")
    if settings.batch_size > n_train - n_val:
        raise Dl101Error(f"--batch-size {settings.batch_size} is larger than the {n_train - n_val:,} "
                         f"images left to train on after --validation-split {v:g}")


def validation(settings, n_train) -> dict:
    """What the history's ``val_*`` are measured on, as ``metrics.json`` records it."""
    if settings.validation_split is None:
        return {"set": "test", "split": None}
    n_val = int(n_train * settings.validation_split)
    return {"set": "held-out", "split": settings.validation_split, "n_validation": n_val,
            "n_trained": n_train - n_val}


def val_name(settings) -> str:
    """``test`` or ``validation``: the name of the set ``val_*`` are measured on."""
    return "test" if settings.validation_split is None else "validation"


class ResumableEarlyStopping(EarlyStopping):
    """:class:`EarlyStopping` that, on a resumed trainer, first replays the history's ``val_loss``,
    so its best value and its count of epochs without improvement are the uninterrupted run's."""

    def on_train_begin(self, model, n_batches):
        super().on_train_begin(model, n_batches)
        for epoch, value in enumerate(self.trainer.history.val_loss if self.trainer else (), 1):
            self.on_epoch_end(epoch, {self.monitor: value})


def early_stopping(settings) -> list:
    """The job's early-stopping callback, as a list: empty without ``--early-stopping``."""
    if settings.early_stopping is None:
        return []
    return [ResumableEarlyStopping("val_loss", settings.early_stopping, restore_best=False)]
