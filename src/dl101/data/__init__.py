"""The data layer: MNIST and Fashion-MNIST, verified and cached, and the IDX format they come in.

``load_mnist()`` and ``load_fashion_mnist()`` give the uint8 images as ``((x_train, y_train),
(x_test, y_test))``, like Keras. They are fetched once, verified by SHA-256, and kept in a
per-user cache: ``cache_dir=``, else the environment variable ``DL101_DATA``, else
``$XDG_CACHE_HOME/dl101``, else ``~/.cache/dl101`` (see :mod:`dl101.data.cache`).
"""

from .cache import cache_root
from .idx import IdxError, decode_idx, encode_idx, read_idx, write_idx
from .mnist import FASHION_MNIST, MNIST, load_fashion_mnist, load_mnist

__all__ = ["load_mnist", "load_fashion_mnist", "MNIST", "FASHION_MNIST", "cache_root",
           "read_idx", "write_idx", "decode_idx", "encode_idx", "IdxError"]
