"""Labelled 2D points for the lecture's classification figures: moons, circles, XOR, spirals and
Gaussian blobs. Each maker takes ``(n, noise, seed)`` and returns ``x`` float32 (n, 2) and ``y``
int64 (n,); the classes share the n points as evenly as possible, the rows come shuffled, and
``noise`` is the standard deviation of the Gaussian noise added to each coordinate (for the
blobs, their spread). The same seed always gives the same points.

>>> x, y = make_moons(6, noise=0.0, seed=0)
>>> x.shape, x.dtype, sorted(y.tolist())
((6, 2), dtype('float32'), [0, 0, 0, 1, 1, 1])
>>> x, y = make_toy("spirals", 300, noise=0.05, seed=1, classes=3)
>>> np.bincount(y).tolist()
[100, 100, 100]
"""

from __future__ import annotations

import numpy as np

from ..checks import Dl101Error, get, positive


def _counts(n, classes) -> list[int]:
    """How many of the ``n`` points each class gets: as even as possible, the first ones first."""
    positive(n, "n", integer=True)
    positive(classes, "classes", integer=True)
    if n < classes:
        raise Dl101Error(f"n = {n} points cannot cover {classes} classes; use n >= {classes}")
    return [n // classes + (k < n % classes) for k in range(classes)]


def _finish(parts, noise, rng):
    """Stack the clean points of each class, add the noise, shuffle: (x float32, y int64)."""
    if isinstance(noise, (bool, str)) or not np.isscalar(noise) or not 0 <= noise < np.inf:
        raise Dl101Error(f"noise must be a finite number >= 0, got {noise!r}")
    x = np.concatenate(parts)                                     # (n, 2)
    y = np.concatenate([np.full(len(p), k, dtype=np.int64) for k, p in enumerate(parts)])
    x = x + rng.normal(scale=noise, size=x.shape)
    order = rng.permutation(len(y))
    return x[order].astype(np.float32), y[order]


def _on_circle(t, radius=1.0, centre=(0.0, 0.0)):
    """Points at angles ``t`` on a circle: (len(t), 2)."""
    return np.column_stack([centre[0] + radius * np.cos(t), centre[1] + radius * np.sin(t)])


def make_moons(n=200, noise=0.1, seed=0):
    """Two interleaving half circles, as in scikit-learn: not separable by a straight line."""
    rng = np.random.default_rng(seed)
    upper, lower = _counts(n, 2)
    return _finish([_on_circle(np.linspace(0, np.pi, upper)),
                    _on_circle(np.linspace(np.pi, 2 * np.pi, lower), centre=(1.0, 0.5))], noise, rng)


def make_circles(n=200, noise=0.1, seed=0, factor=0.5):
    """A circle of radius ``factor`` (class 1) inside one of radius 1 (class 0)."""
    rng = np.random.default_rng(seed)
    outer, inner = _counts(n, 2)
    return _finish([_on_circle(np.linspace(0, 2 * np.pi, outer, endpoint=False)),
                    _on_circle(np.linspace(0, 2 * np.pi, inner, endpoint=False), factor)], noise, rng)


def make_xor(n=200, noise=0.1, seed=0):
    """Points in [-1, 1]², class 1 where the two coordinates have opposite signs: the problem a
    single perceptron cannot solve. The class is set before the noise is added."""
    rng = np.random.default_rng(seed)
    positive(n, "n", integer=True)
    points = rng.uniform(-1, 1, size=(n, 2))
    differ = points[:, 0] * points[:, 1] < 0
    return _finish([points[~differ], points[differ]], noise, rng)


def make_spirals(n=200, noise=0.1, seed=0, classes=2):
    """``classes`` spiral arms winding 1.5 turns out from the centre, one per class."""
    rng = np.random.default_rng(seed)
    parts = []
    for k, count in enumerate(_counts(n, classes)):
        r = np.linspace(0.05, 1, count)
        parts.append(r[:, None] * _on_circle(2 * np.pi * k / classes + 3 * np.pi * r))
    return _finish(parts, noise, rng)


def make_blobs(n=200, noise=0.1, seed=0, classes=3):
    """``classes`` Gaussian blobs of spread ``noise``, centred evenly on the unit circle."""
    rng = np.random.default_rng(seed)
    counts = _counts(n, classes)
    centres = _on_circle(np.pi / 2 + 2 * np.pi * np.arange(classes) / classes)
    return _finish([np.repeat(c[None], count, axis=0) for c, count in zip(centres, counts)],
                   noise, rng)


TOY_SETS = {"moons": make_moons, "circles": make_circles, "xor": make_xor,
            "spirals": make_spirals, "blobs": make_blobs}


def make_toy(name, n=200, noise=0.1, seed=0, **options):
    """A toy set by name (moons, circles, xor, spirals, blobs); ``options`` go to its maker."""
    return get(TOY_SETS, name, "toy dataset")(n, noise, seed, **options)
