"""The playground's data: a :class:`Problem` is train and test sets with what the views need.

- the 2D sets of :mod:`dl101.data.toy` (moons, circles, XOR, spirals, blobs) with their noise,
  seed and a stratified train/test split;
- ``points``: points the user clicked in, each of a chosen class;
- ``csv``: the user's own labelled points, uploaded (bounded: 1 MB, 10,000 points, x1,x2,label),
  read by :func:`dl101.data.load_points_csv`, whose errors name the line;
- ``regression``: the 1D target of the ``uat`` figure on [-1, 1], for g(x) = C σ(Ax + b);
- ``digits`` (8×8, embedded) and ``mnist`` (28×28), optionally a subset of the classes.
"""

from __future__ import annotations

import functools
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .. import data
from ..checks import Dl101Error

MAX_UPLOAD_BYTES = 1_000_000
MAX_POINTS = 10_000
MAX_CLASSES = 8
BOX = 3.0  # clicked points lie in [-BOX, BOX]²


@dataclass
class Problem:
    """Train and test data, float32 inputs; ``kind`` is "2d", "regression" or "image"."""

    kind: str
    x_train: np.ndarray     # (N, d) float32
    y_train: np.ndarray     # (N,) int labels, or (N, 1) float32 targets for regression
    x_test: np.ndarray
    y_test: np.ndarray
    class_names: list       # [] for regression
    image_shape: tuple = ()  # (h, w) for images
    lo: tuple = ()          # the corner of the plane shown (2D: 2 values, regression: 1)
    hi: tuple = ()

    @property
    def n_classes(self):
        return len(self.class_names)

    @property
    def n_outputs(self):
        return self.n_classes or self.y_train.shape[1]


def _split(x, y, test, seed, kind="2d"):
    """A stratified split; all points in both parts when a class is too small to split."""
    try:
        (x_train, y_train), (x_test, y_test) = data.train_validation_split(x, y, test, seed)
    except Dl101Error:
        x_train, y_train, x_test, y_test = x, y, x, y
    return _plane(kind, x_train, y_train, x_test, y_test, [str(k) for k in range(int(y.max()) + 1)])


def _plane(kind, x_train, y_train, x_test, y_test, names):
    both = np.concatenate([x_train, x_test])
    span = both.max(0) - both.min(0)
    lo, hi = both.min(0) - 0.15 * span - 0.1, both.max(0) + 0.15 * span + 0.1
    return Problem(kind, x_train.astype(np.float32), y_train, x_test.astype(np.float32), y_test,
                   names, lo=tuple(map(float, lo)), hi=tuple(map(float, hi)))


def toy(config) -> Problem:
    """A 2D set of :mod:`dl101.data.toy`, split into train and test."""
    options = {"classes": config.classes} if config.dataset in ("spirals", "blobs") else {}
    x, y = data.make_toy(config.dataset, config.n, noise=config.noise, seed=config.seed, **options)
    return _split(x, y, config.test, config.seed)


def check_points(points):
    """Clicked points ``[[x1, x2, label], ...]`` as arrays, or an error naming the bad one."""
    if not isinstance(points, list) or len(points) > MAX_POINTS:
        raise Dl101Error(f"points: expected a list of at most {MAX_POINTS} [x1, x2, label]")
    for i, p in enumerate(points):
        ok = (isinstance(p, list) and len(p) == 3 and all(isinstance(v, (int, float)) and not
              isinstance(v, bool) for v in p) and all(abs(v) <= BOX for v in p[:2])
              and isinstance(p[2], int) and 0 <= p[2] < MAX_CLASSES)
        if not ok:
            raise Dl101Error(f"point {i + 1}: expected [x1, x2, label] with x1, x2 in [-{BOX:g}, "
                             f"{BOX:g}] and a class 0..{MAX_CLASSES - 1}, got {p!r}")
    return points


def from_points(points, test, seed) -> Problem:
    """The clicked points as a problem: at least 4 points of at least 2 classes."""
    check_points(points)
    if len(points) < 4 or len({p[2] for p in points}) < 2:
        raise Dl101Error("click at least 4 points of at least 2 classes (pick the class, then click "
                         "on the plane)")
    x = np.array([p[:2] for p in points], np.float32)
    y = np.array([p[2] for p in points], np.int64)
    return _split(x, y, test, seed)


def from_csv(text, test, seed, name="upload.csv"):
    """Points uploaded as CSV text: ``(x (n, 2), y (n,))`` checked against the bounds, errors
    naming the line (they come from :func:`dl101.data.load_points_csv`)."""
    if not isinstance(text, str):
        raise Dl101Error("upload: expected the CSV file's text")
    size = len(text.encode("utf-8"))
    if size > MAX_UPLOAD_BYTES:
        raise Dl101Error(f"{name}: {size:,} bytes is over the {MAX_UPLOAD_BYTES:,}-byte limit; "
                         f"upload at most {MAX_POINTS:,} points")
    safe = "".join(c for c in Path(str(name)).name if c.isalnum() or c in "._-")[:80] or "upload.csv"
    with tempfile.TemporaryDirectory(prefix="dl101-upload-") as folder:
        path = Path(folder) / safe
        path.write_text(text, encoding="utf-8")
        try:
            x, y = data.load_points_csv(path)
        except Dl101Error as err:
            raise Dl101Error(str(err).replace(str(path), safe)) from None
    if len(x) > MAX_POINTS:
        raise Dl101Error(f"{safe}: {len(x):,} points is over the limit of {MAX_POINTS:,}")
    if y.max() >= MAX_CLASSES or len(np.unique(y)) < 2:
        raise Dl101Error(f"{safe}: the labels must be 0..{MAX_CLASSES - 1} with at least two "
                         f"classes, got {sorted(set(y.tolist()))[:10]}")
    return x, y


def from_arrays(x, y, test, seed) -> Problem:
    return _split(x, y, test, seed)


def regression(config) -> Problem:
    """The ``uat`` figure's target f on [-1, 1]: n training points, a test grid in between."""
    from ..figures.uat import target
    x = np.linspace(-1, 1, config.n)[:, None]
    x_test = (x[:-1] + x[1:]) / 2
    return Problem("regression", x.astype(np.float32), target(x).astype(np.float32),
                   x_test.astype(np.float32), target(x_test).astype(np.float32), [],
                   lo=(-1.1,), hi=(1.1,))


@functools.lru_cache(maxsize=2)
def _dataset(name):
    return data.load(name, verbose=False)


def images(config) -> Problem:
    """Digits or MNIST, reduced to ``config.subset`` when given."""
    dataset = _dataset(config.dataset)
    x_train, y_train, x_test, y_test = dataset.x_train, dataset.y_train, dataset.x_test, dataset.y_test
    names = list(dataset.class_names)
    if config.subset:
        x_train, y_train = data.keep_classes(x_train, y_train, config.subset)
        x_test, y_test = data.keep_classes(x_test, y_test, config.subset)
        names = [names[c] for c in config.subset]
    return Problem("image", x_train, y_train, x_test, y_test, names, tuple(dataset.image_shape))
