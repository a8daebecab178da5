"""The lecture's data helpers: pixels to floats, flattening, one-hot targets, a subset of the
classes, and a train/validation split.

>>> images = np.array([[[0, 255], [51, 102]]], dtype=np.uint8)      # one 2×2 image
>>> flatten(scale_pixels(images))
array([[0. , 1. , 0.2, 0.4]], dtype=float32)
>>> x, y = keep_classes(np.arange(6), np.array([3, 1, 4, 1, 5, 9]), [1, 4])
>>> x, y                                  # the 1s become class 0, the 4 becomes class 1
(array([1, 2, 3]), array([0, 1, 0]))
>>> one_hot(y, 2)
array([[1., 0.],
       [0., 1.],
       [1., 0.]], dtype=float32)
"""

from __future__ import annotations

import numpy as np

from ..checks import Dl101Error
from ..losses import one_hot  # noqa: F401  (one definition, shared with the losses)


def scale_pixels(images, max_value=255) -> np.ndarray:
    """Pixels as float32 in [0, 1]: ``images / max_value`` (255 for MNIST, 16 for the 8×8 digits)."""
    return np.divide(images, np.float32(max_value), dtype=np.float32)  # one pass, no float64 copy


def flatten(images) -> np.ndarray:
    """Images (N, h, w) as rows (N, h·w): the input vectors x_0 of the multi-layer perceptron."""
    images = np.asarray(images)
    return images.reshape(len(images), -1)


def _labels(x, y, name="y") -> np.ndarray:
    """``y`` as integer labels (N,) matching the N samples of ``x``."""
    y = np.asarray(y)
    if y.ndim != 1 or y.dtype.kind not in "iu":
        raise Dl101Error(f"{name} must be integer class labels of shape (N,), got {y.dtype} of "
                         f"shape {y.shape}")
    if len(y) != len(x):
        raise Dl101Error(f"x has {len(x)} samples but {name} has {len(y)} labels")
    return y


def keep_classes(x, y, classes):
    """The samples of the given ``classes`` only, relabelled 0 .. len(classes) - 1 in the order
    given: ``keep_classes(x, y, [3, 5])`` makes the 3s class 0 and the 5s class 1. The lecture's
    illustration keeps 4 of MNIST's 10 digits. Returns (x kept, y relabelled as int64).
    """
    y = _labels(x, y)
    classes = [int(c) for c in np.atleast_1d(classes)]
    if not classes or len(set(classes)) != len(classes):
        raise Dl101Error(f"classes must list distinct labels, at least one, got {classes}")
    absent = [c for c in classes if not np.any(y == c)]
    if absent:
        raise Dl101Error(f"classes {absent} do not occur in y (its labels: "
                         f"{', '.join(map(str, np.unique(y)))})")
    keep = np.isin(y, classes)
    relabelled = np.empty(int(keep.sum()), dtype=np.int64)
    for new, old in enumerate(classes):
        relabelled[y[keep] == old] = new
    return np.asarray(x)[keep], relabelled


def train_validation_split(x, y, fraction=0.1, seed=0):
    """Hold out a ``fraction`` of the samples for validation: ``((x_train, y_train), (x_val,
    y_val))``. Stratified (each class gives the same share, rounded) and deterministic for a given
    ``seed``; both parts keep the samples' original order.

    >>> (x_train, y_train), (x_val, y_val) = train_validation_split(np.arange(10), np.arange(10) % 2, 0.2)
    >>> y_val.tolist(), len(x_train)
    ([0, 1], 8)
    """
    y = _labels(x, y)
    if not 0 < fraction < 1:
        raise Dl101Error(f"fraction must lie strictly between 0 and 1, got {fraction!r}")
    rng = np.random.default_rng(seed)
    held = []
    for c in np.unique(y):  # each class in turn, so that the split does not depend on their mix
        members = np.flatnonzero(y == c)
        held.append(rng.permutation(members)[:int(np.floor(fraction * len(members) + 0.5))])
    validation = np.zeros(len(y), dtype=bool)
    validation[np.concatenate(held)] = True
    if validation.all() or not validation.any():
        raise Dl101Error(f"fraction {fraction} of {len(y)} samples leaves one part empty; "
                         f"choose a fraction that keeps samples on both sides")
    x = np.asarray(x)
    return (x[~validation], y[~validation]), (x[validation], y[validation])
