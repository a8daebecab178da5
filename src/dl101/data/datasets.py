"""One way to load every dataset for training: :func:`load` returns a :class:`Dataset`.

>>> data = load("digits", verbose=False)
>>> data  # doctest: +ELLIPSIS
Dataset('digits': 1438 train + 359 test, 64 features, 10 classes, from scikit-learn... (embedded))
>>> data.x_train.dtype, data.y_train.dtype, float(data.x_train.max())
(dtype('float32'), dtype('int64'), 1.0)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..checks import get
from . import digits, mnist
from .fetch import fetch
from .helpers import flatten, scale_pixels


@dataclass(repr=False)
class Dataset:
    """A dataset ready for the multi-layer perceptron: each image a row of floats in [0, 1].

    ``x_*`` are float32 (N, d), d = the pixels of ``image_shape``; ``y_*`` int64 class indices
    (N,). ``source`` says what served the data; ``checksums`` maps each file verified to the
    SHA-256 of its content.
    """

    name: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    image_shape: tuple
    class_names: list
    source: str
    checksums: dict = field(default_factory=dict)

    def __repr__(self):
        return (f"Dataset({self.name!r}: {len(self.x_train)} train + {len(self.x_test)} test, "
                f"{self.x_train.shape[1]} features, {len(self.class_names)} classes, "
                f"from {self.source})")


def _dataset(name, arrays, max_value, class_names, source, checksums):
    """A :class:`Dataset` from uint8 (train images, train labels, test images, test labels)."""
    x_train, y_train, x_test, y_test = arrays
    return Dataset(name, flatten(scale_pixels(x_train, max_value)), y_train.astype(np.int64),
                   flatten(scale_pixels(x_test, max_value)), y_test.astype(np.int64),
                   tuple(x_train.shape[1:]), list(class_names), source, checksums)


def _idx_loader(spec):
    def load_idx_dataset(cache_dir, verbose):
        got = fetch(spec, cache_dir, verbose)
        return _dataset(spec.name, got.arrays, 255, spec.class_names, got.source, got.checksums)
    return load_idx_dataset


def _load_digits(cache_dir, verbose):  # embedded: no cache, nothing to report
    (x_train, y_train), (x_test, y_test) = digits.load_digits()
    return _dataset("digits", (x_train, y_train, x_test, y_test), digits.MAX_VALUE,
                    [str(d) for d in range(10)], digits.source(), {"digits": digits.SHA256})


LOADERS = {"mnist": _idx_loader(mnist.MNIST), "fashion_mnist": _idx_loader(mnist.FASHION_MNIST),
           "digits": _load_digits}


def load(name, cache_dir=None, verbose=True) -> Dataset:
    """The dataset ``name`` ('mnist', 'fashion-mnist' or 'digits') as a :class:`Dataset`."""
    return get(LOADERS, name, "dataset")(cache_dir, verbose)
