"""The 8×8 handwritten digits, shipped with dl101: the embedded, offline default.

1,797 images of 8×8 pixels in 0..16, ten classes: scikit-learn's copy of the UCI digits (the file
``vendor/digits.csv.gz``, BSD 3-Clause, see ``vendor/README.md``), so no network, no cache and no
scikit-learn are needed. They serve instant demos and fast tests. They come split
deterministically and stratified: 20% of each class for the test set, rounded, which gives
**1,438 training and 359 test images**.

>>> (x_train, y_train), (x_test, y_test) = load_digits()
>>> x_train.shape, x_test.shape, x_train.dtype, int(x_train.max())
((1438, 8, 8), (359, 8, 8), dtype('uint8'), 16)
"""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import numpy as np

from ..checks import Dl101Error
from .helpers import train_validation_split

TEST_FRACTION, SEED = 0.2, 0
MAX_VALUE = 16
FILE = Path(__file__).with_name("vendor") / "digits.csv.gz"
# of the images (uint8) then the labels (uint8): the split sizes above hold for exactly this data
SHA256 = "87ff0c9e40dc7e2c0e34e7257799c2e3f3aec1a016363bb11cad869ec428a826"


def source() -> str:
    """What serves the digits."""
    return "scikit-learn's digits.csv.gz (embedded)"


def read_digits(path=FILE):
    """All 1,797 digits as ``(images (1797, 8, 8), labels (1797,))``, uint8, checked against
    :data:`SHA256`."""
    with gzip.open(path, "rt") as f:
        table = np.loadtxt(f, delimiter=",", dtype=np.uint8)  # (1797, 65): 64 pixels, the label
    images, labels = table[:, :-1].reshape(-1, 8, 8), table[:, -1].copy()
    digest = hashlib.sha256(images.tobytes() + labels.tobytes()).hexdigest()
    if digest != SHA256:
        raise Dl101Error(f"the digits in {path} have SHA-256 {digest[:16]}..., expected "
                         f"{SHA256[:16]}...: the file is damaged; reinstall dl101")
    return images, labels


def load_digits():
    """The digits as ``((x_train, y_train), (x_test, y_test))``, uint8 images (n, 8, 8) in 0..16
    and uint8 labels, like :func:`dl101.data.load_mnist`; verified against their checksum."""
    return train_validation_split(*read_digits(), TEST_FRACTION, SEED)
