"""Input checks shared by the engine, the jobs and the command line.

Every check raises :class:`Dl101Error` with a message that says which argument was wrong, what was
expected, what was given and, where there is one, the fix. It subclasses ``ValueError`` so that
code written for NumPy or scikit-learn errors still catches it.
"""

from __future__ import annotations

import difflib

import numpy as np


class Dl101Error(ValueError):
    """A problem with what the user gave dl101; the message names it and the fix."""


def get(table: dict, name, kind: str):
    """Look ``name`` up in a registry ``table``; one error, listing the valid names, for every kind.

    >>> get({"sgd": 1, "adam": 2}, "adam", "optimiser")
    2
    >>> get({"sgd": 1, "adam": 2}, "adma", "optimiser")
    Traceback (most recent call last):
    ...
    dl101.checks.Dl101Error: unknown optimiser 'adma'; valid names: adam, sgd (did you mean 'adam'?)
    """
    key = str(name).lower().replace("-", "_")
    if key in table:
        return table[key]
    hint = difflib.get_close_matches(key, list(table), n=1)
    fix = f" (did you mean '{hint[0]}'?)" if hint else ""
    raise Dl101Error(f"unknown {kind} {name!r}; valid names: {', '.join(sorted(table))}{fix}")


def positive(value, name: str, integer: bool = False):
    """``value`` if it is a finite number > 0 (an int when ``integer``), else a clear error."""
    ok_type = isinstance(value, (int, np.integer)) if integer else isinstance(value, (int, float, np.number))
    if isinstance(value, bool) or not ok_type or not np.isfinite(value) or value <= 0:
        kind = "an integer >= 1" if integer else "a finite number > 0"
        raise Dl101Error(f"{name} must be {kind}, got {value!r}")
    return value


def _is_number(value) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)


def non_negative(value, name: str, integer: bool = False):
    """``value`` if it is a finite number >= 0 (an int when ``integer``), else a clear error.

    >>> non_negative(0, "tol")
    0
    >>> non_negative(float("nan"), "tol")
    Traceback (most recent call last):
    ...
    dl101.checks.Dl101Error: tol must be a finite number >= 0, got nan
    """
    ok_type = isinstance(value, (int, np.integer)) if integer else _is_number(value)
    if isinstance(value, bool) or not ok_type or not np.isfinite(value) or value < 0:
        kind = "an integer >= 0" if integer else "a finite number >= 0"
        raise Dl101Error(f"{name} must be {kind}, got {value!r}")
    return value


def one_of(value, name: str, allowed, expected: str):
    """``value`` if it is one of ``allowed`` (compared by value and type), else a clear error."""
    if isinstance(value, bool) or not any(value == a and type(value) is type(a) for a in allowed):
        raise Dl101Error(f"{name} must be {expected}, got {value!r}")
    return value


def seed(value, name: str = "seed", allow_none: bool = False):
    """A random seed: an integer >= 0 (NumPy's generators take no negative seed); ``None`` (fresh
    randomness) only when ``allow_none``."""
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise Dl101Error(f"{name} must be an integer >= 0 (one seed, one result), got {value!r}")
    return int(value)


def number(value, name: str, low=None, high=None, high_open=False):
    """``value`` if it is a finite number in [low, high] (or [low, high) with ``high_open``)."""
    if not _is_number(value) or not np.isfinite(value):
        raise Dl101Error(f"{name} must be a finite number, got {value!r}")
    if (low is not None and value < low) or (high is not None and (
            value >= high if high_open else value > high)):
        span = f"[{low}, {high}{')' if high_open else ']'}" if high is not None else f">= {low}"
        raise Dl101Error(f"{name} must be in {span}, got {value!r}")
    return value


def widths(values, name: str = "widths") -> list:
    """Layer widths as a list of integers >= 1, at least an input and an output; a width such as
    8.7 is refused, not truncated.

    >>> widths([784, 64.0, 10])
    [784, 64, 10]
    """
    items = list(values) if np.iterable(values) and not isinstance(values, (str, bytes)) else None
    ok = items is not None and len(items) >= 2 and all(
        _is_number(k) and np.isfinite(k) and k == int(k) and k >= 1 for k in items)
    if not ok:
        raise Dl101Error(f"{name} must list at least an input and an output size, whole numbers, "
                         f"each >= 1, e.g. [784, 64, 32, 10]; got {values!r}")
    return [int(k) for k in items]


def finite(array, name: str, fix: str) -> np.ndarray:
    """``array`` if it holds no NaN or inf, else an error counting them, with ``fix``."""
    array = np.asarray(array)
    if array.dtype.kind in "fc" and not np.isfinite(array).all():
        bad = int(array.size - np.count_nonzero(np.isfinite(array)))
        raise Dl101Error(f"{name} holds {bad} NaN or infinite values; {fix}")
    return array


def as_matrix(x, name: str, n_features: int | None = None, dtype=None, into=None) -> np.ndarray:
    """``x`` as a 2D float array of shape (N, n_features), a batch as rows; never NaN or inf.

    ``into``: the float type the model computes in; values too large for it (which would become
    inf on the way, e.g. 1e39 into float32) are refused too.
    """
    try:
        x = np.asarray(x, dtype=dtype)
    except (TypeError, ValueError) as err:
        raise Dl101Error(f"{name} must be an array of numbers, got {type(x).__name__}: {err}") from None
    if x.dtype.kind not in "fiub":
        raise Dl101Error(f"{name} must hold numbers, got dtype {x.dtype}")
    if x.ndim != 2:
        fix = " (one sample? use x.reshape(1, -1); images? flatten them to (N, pixels))"
        raise Dl101Error(f"{name} must be 2D (samples, features), got shape {x.shape}{fix}")
    if x.shape[0] == 0:
        raise Dl101Error(f"{name} is empty: shape {x.shape}; give at least one sample")
    if n_features is not None and x.shape[1] != n_features:
        raise Dl101Error(f"{name} has {x.shape[1]} features per sample but the model expects "
                         f"{n_features}: shape {x.shape}")
    # one summing pass, no temporary: NaN and inf propagate into the sum (the exact count only
    # runs when the sum is not finite, which also catches a finite sum that overflowed)
    if x.dtype.kind == "f" and not np.isfinite(np.add.reduce(x, axis=None)) and not np.isfinite(x).all():
        bad = int(np.size(x) - np.count_nonzero(np.isfinite(x)))
        raise Dl101Error(f"{name} contains {bad} NaN or infinite values; clean or impute them first")
    if into is not None:
        _fits(x, name, np.dtype(into))
    return x


def _fits(x, name, into):
    """Refuse values beyond the range of the float type ``into`` (only a wider float can hold
    them: every integer type fits in float32's range)."""
    if x.dtype.kind != "f" or x.dtype.itemsize <= into.itemsize:
        return
    largest = float(max(np.max(x), -np.min(x)))
    if largest > float(np.finfo(into).max):
        raise Dl101Error(f"{name} holds values up to {largest:.3g}, beyond the range of {into} "
                         f"(the model's type, largest {np.finfo(into).max:.3g}), where they would "
                         f"become inf; scale the inputs, or use a float64 model")


def as_labels(y, name: str, n: int, n_classes: int) -> np.ndarray:
    """Integer class labels (N,) in [0, n_classes), or a one-hot (N, n_classes) matrix, checked.

    Returns the integer labels in both cases (a one-hot row must hold a single 1).
    """
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == n_classes and y.shape[1] > 1:
        rows_ok = np.isin(y, (0, 1)).all() and (y.sum(axis=1) == 1).all()
        if not rows_ok:
            raise Dl101Error(f"{name} looks one-hot (shape {y.shape}) but a row is not a single 1 "
                             f"among 0s; give integer labels or a valid one-hot matrix")
        y = y.argmax(axis=1)
    if y.ndim != 1:
        raise Dl101Error(f"{name} must be integer labels of shape ({n},) or one-hot of shape "
                         f"({n}, {n_classes}), got shape {y.shape}")
    if y.shape[0] != n:
        raise Dl101Error(f"{name} has {y.shape[0]} labels but the inputs have {n} samples")
    if y.dtype.kind == "f":
        if not np.isfinite(y).all() or (y != np.round(y)).any():
            raise Dl101Error(f"{name} must be whole numbers (class indices), got non-integer values "
                             f"such as {y[~np.isfinite(y) | (y != np.round(y))][0].item()}")
    elif y.dtype.kind not in "iub":
        raise Dl101Error(f"{name} must be integer class indices, got dtype {y.dtype}")
    y = y.astype(np.intp)
    if y.size and (y.min() < 0 or y.max() >= n_classes):
        raise Dl101Error(f"{name} must lie in [0, {n_classes - 1}] for a model with {n_classes} "
                         f"outputs, got values from {y.min()} to {y.max()}")
    return y


def check_targets(model, y, n: int, loss) -> np.ndarray:
    """``y`` checked against ``model`` for the loss object ``loss``: class labels for a
    classification loss, values (N, k_L) in the model's float type for MSE."""
    if loss.classification:
        if model.widths[-1] == 1:
            raise Dl101Error("cross-entropy needs one output per class; this model has a single "
                             "output: for two classes use two softmax outputs, e.g. widths [..., 2]")
        return as_labels(y, "y", n, model.widths[-1])
    y = as_matrix(np.asarray(y).reshape(n, -1) if np.ndim(y) == 1 else y, "y", model.widths[-1])
    if len(y) != n:
        raise Dl101Error(f"y has {len(y)} rows but the inputs have {n} samples")
    return y.astype(model.dtype, copy=False)
