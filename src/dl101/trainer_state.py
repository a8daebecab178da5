"""What a saved :meth:`~dl101.trainer.Trainer.state_dict` must hold before a trainer takes it.

A checkpoint is read from disk, so it may be truncated, hand-edited, mixed from two moments or
copied from another run. :func:`check` looks at every entry before anything is restored: arrays of
exactly the shape and dtype the trainer holds (no broadcasting: a one-element θ is refused),
counters that are integers in range and agree with each other, an order that is a permutation of
the samples, the optimiser's whole state and a random generator state it can take. Any problem is
one :class:`StateError` naming the entry.
"""

from __future__ import annotations

import math

import numpy as np

from .checks import Dl101Error


class StateError(Dl101Error):
    """A saved trainer state that this trainer cannot take (missing, malformed or inconsistent)."""


KEYS = ["theta", "order", "lr", "n_samples", "batch_size", "position", "total_loss", "correct",
        "seconds", "step_count", "epoch_count", "rng", "history", "loss_start", "loss_smoothed"]


def check(trainer, state) -> dict:
    """The parts of ``state`` ready to restore, all checked against ``trainer``; else StateError."""
    if not isinstance(state, dict):
        raise StateError(f"the saved state is a {type(state).__name__}, not a Trainer.state_dict()")
    missing = [k for k in KEYS if k not in state]
    if missing:
        raise StateError(f"the saved state lacks {', '.join(missing)}; it is not a whole Trainer.state_dict()")
    n = len(trainer.x)
    _array(state["theta"], "theta", trainer.model.theta)
    for key, value in (("n_samples", n), ("batch_size", trainer.batch_size)):
        if _integer(state, key) != value:
            raise StateError(f"the saved state was trained with {key}={state[key]}, this trainer has "
                             f"{key}={value}; restore it with the same data and batch size")
    position, epochs = _integer(state, "position"), _integer(state, "epoch_count")
    steps, correct = _integer(state, "step_count"), _integer(state, "correct")
    if not 0 <= position < trainer.n_batches or epochs < 0:
        raise StateError(f"the saved state is inconsistent: position {position} of {trainer.n_batches} "
                         f"batches, epoch {epochs}")
    if steps != epochs * trainer.n_batches + position:
        raise StateError(f"the saved state is inconsistent: {steps} steps taken, but {epochs} whole "
                         f"epochs of {trainer.n_batches} batches and {position} more make "
                         f"{epochs * trainer.n_batches + position}")
    seen = min(n, position * trainer.batch_size) if position else n  # at 0: the last epoch's sums
    if not 0 <= correct <= seen:
        raise StateError(f"the saved state counts {correct} correct answers after {position} batches")
    order = _order(state["order"], n, position)
    lr = _number(state, "lr")
    if lr <= 0:
        raise StateError(f"the saved state's lr must be > 0, got {lr}")
    numbers = {k: _number(state, k) for k in ("total_loss", "seconds")}
    if numbers["seconds"] < 0 or numbers["total_loss"] < 0:
        raise StateError("the saved state's total_loss and seconds must be >= 0")
    loss_start = _number(state, "loss_start", none=steps == 0)
    loss_smoothed = _number(state, "loss_smoothed", none=steps == 0)
    opt = _optimiser(trainer.opt, state)
    _rng(trainer.rng, state["rng"])
    history = _history(state["history"], epochs)
    return {"theta": state["theta"], "order": order, "lr": lr, "position": position, "correct": correct,
            "step_count": steps, "epoch_count": epochs, "rng": state["rng"], "history": history,
            "opt": opt, "loss_start": loss_start, "loss_smoothed": loss_smoothed, **numbers}


def _array(value, name, like):
    if not isinstance(value, np.ndarray) or value.shape != like.shape or value.dtype != like.dtype:
        got = (f"shape {value.shape}, {value.dtype}" if isinstance(value, np.ndarray)
               else type(value).__name__)
        raise StateError(f"the saved state's {name} must be an array of shape {like.shape}, {like.dtype} "
                         f"(this trainer's); got {got}")
    if value.dtype.kind in "fc" and not np.isfinite(value).all():
        raise StateError(f"the saved state's {name} holds NaN or infinite values")


def _integer(state, key) -> int:
    value = state[key]
    if isinstance(value, np.ndarray) and value.shape == () and value.dtype.kind in "iu":
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise StateError(f"the saved state's {key} must be an integer, got {str(value)[:40]!r}")
    return int(value)


def _number(state, key, none=False):
    value = state[key]
    if value is None and none:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or not math.isfinite(value):
        raise StateError(f"the saved state's {key} must be a finite number, got {str(value)[:40]!r}")
    return float(value)


def _order(order, n, position):
    """This epoch's order: a permutation of range(n) (or empty, before the first epoch)."""
    if isinstance(order, np.ndarray) and order.shape == (0,) and position == 0:
        return None
    if not isinstance(order, np.ndarray) or order.shape != (n,) or order.dtype.kind not in "iu" \
            or not np.array_equal(np.sort(order), np.arange(n)):
        got = f"shape {order.shape}, {order.dtype}" if isinstance(order, np.ndarray) else type(order).__name__
        raise StateError(f"the saved state's order must be a permutation of the {n} samples; got {got}")
    return order.astype(np.intp, copy=True)


def _optimiser(opt, state) -> dict:
    """The ``opt.*`` entries: exactly the optimiser's own keys, shapes and dtypes."""
    own = opt.state_dict()
    saved = {k[4:]: v for k, v in state.items() if k.startswith("opt.")}
    if sorted(saved) != sorted(own):
        raise StateError(f"the saved optimiser state holds {', '.join(sorted(saved)) or 'nothing'}; this "
                         f"{type(opt).__name__} needs {', '.join(sorted(own))} (another optimiser?)")
    for key, like in own.items():
        _array(saved[key], f"opt.{key}", np.asarray(like))
    if int(saved["t"]) < 0:
        raise StateError(f"the saved optimiser state counts {int(saved['t'])} steps")
    return saved


def _rng(rng, saved):
    """A state the trainer's generator takes (tried on a copy: nothing changes on failure)."""
    probe = type(rng.bit_generator)()
    try:
        probe.state = saved
    except (TypeError, ValueError, KeyError) as err:
        raise StateError(f"the saved state's rng is not a {type(probe).__name__} state ({err})") from None


def _history(history, epochs):
    from .trainer import METRICS, History
    if not isinstance(history, dict) or set(history) - {*METRICS, "stopped_because"}:
        raise StateError("the saved state's history is not a History")
    if any(not isinstance(history.get(k, []), list) or len(history.get(k, [])) != epochs
           for k in ("epoch", "loss")):
        raise StateError(f"the saved state's history does not hold {epochs} epochs")
    try:
        return History(**history)
    except TypeError as err:
        raise StateError(f"the saved state's history is not a History ({err})") from None
