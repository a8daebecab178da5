"""The 8×8 handwritten digits that ship inside scikit-learn: the embedded, offline default.

1,797 images of 8×8 pixels in 0..16, ten classes. No network and no cache, so they serve instant
demos and fast tests. They come split deterministically and stratified: 20% of each class for
the test set, rounded, which gives **1,438 training and 359 test images**.

>>> (x_train, y_train), (x_test, y_test) = load_digits()
>>> x_train.shape, x_test.shape, x_train.dtype, int(x_train.max())
((1438, 8, 8), (359, 8, 8), dtype('uint8'), 16)
"""

from __future__ import annotations

import hashlib

import numpy as np

from ..checks import Dl101Error
from .helpers import train_validation_split

TEST_FRACTION, SEED = 0.2, 0
MAX_VALUE = 16
# of the images (uint8) then the labels (uint8): the split sizes above hold for exactly this data
SHA256 = "87ff0c9e40dc7e2c0e34e7257799c2e3f3aec1a016363bb11cad869ec428a826"


def source() -> str:
    """What serves the digits, e.g. 'scikit-learn 1.5.2 (embedded)'."""
    import sklearn
    return f"scikit-learn {sklearn.__version__} (embedded)"


def load_digits():
    """The digits as ``((x_train, y_train), (x_test, y_test))``, uint8 images (n, 8, 8) in 0..16
    and uint8 labels, like :func:`dl101.data.load_mnist`; verified against their checksum."""
    from sklearn.datasets import load_digits as sklearn_digits

    bunch = sklearn_digits()
    images, labels = bunch.images.astype(np.uint8), bunch.target.astype(np.uint8)
    digest = hashlib.sha256(images.tobytes() + labels.tobytes()).hexdigest()
    if digest != SHA256:
        raise Dl101Error(f"the digits of {source()} have SHA-256 {digest[:16]}..., expected "
                         f"{SHA256[:16]}...: not the data dl101 was written for")
    return train_validation_split(images, labels, TEST_FRACTION, SEED)
