"""What a dataset of IDX files is expected to be: four files, their shapes and their checksums.

A file is verified by the SHA-256 of its *uncompressed* IDX content, not of the ``.gz`` on disk.
The same pixels reach us gzipped by the official mirrors, by Debian, or re-encoded by dl101 from
another format (see :mod:`dl101.data.mnist`), and each gzip header differs (a time stamp, a file
name) while the content is identical bit for bit. One checksum per file thus verifies every copy,
including files a user places by hand, gzipped or not.
"""

from __future__ import annotations

import hashlib
import math
import os
from dataclasses import dataclass

import numpy as np

from ..checks import Dl101Error
from .idx import GZIP_MAGIC, IdxError, decode_idx, gunzip


class ChecksumError(Dl101Error):
    """A well-formed file whose content is not the one expected (corrupt, or another dataset)."""


@dataclass(frozen=True)
class IdxFile:
    """One IDX file of uint8 values: its standard name, its shape, the SHA-256 of its content."""

    name: str
    shape: tuple
    sha256: str

    @property
    def size(self) -> int:
        """Bytes of uncompressed content: the magic number, one uint32 per dimension, the values."""
        return 4 + 4 * len(self.shape) + math.prod(self.shape)

    @property
    def max_bytes(self) -> int:
        """The most bytes a copy of this file can take: its content, plus what gzip may add to
        content it cannot compress (a few bytes per 64 kB), with room to spare."""
        return self.size + (1 << 20)

    def read(self, path, where: str) -> np.ndarray:
        """The verified array in the file at ``path``, its size checked before anything is read:
        a file far larger than this one can be (a 30 GB sparse file) is refused, not loaded."""
        size = os.stat(path).st_size
        if size > self.max_bytes:
            raise IdxError(f"{self.name} from {where}: {size:,} bytes, more than the "
                           f"{self.max_bytes:,} this file can take (not {self.name})")
        with open(path, "rb") as f:
            return self.verify(f.read(self.max_bytes + 1), where)

    def verify(self, blob: bytes, where: str) -> np.ndarray:
        """The array in ``blob`` (gzipped or not) if it is exactly this file; else an error naming
        the file, ``where`` it came from and what was wrong."""
        name = f"{self.name} from {where}"
        data = gunzip(blob, name, self.size) if blob[:2] == GZIP_MAGIC else blob
        array = decode_idx(data, name)
        if array.dtype != np.uint8 or array.shape != self.shape:
            raise IdxError(f"{name}: holds {array.dtype} of shape {array.shape}, expected uint8 of "
                           f"shape {self.shape}")
        digest = hashlib.sha256(data).hexdigest()
        if digest != self.sha256:
            raise ChecksumError(f"{name}: checksum mismatch: the SHA-256 of its content is "
                                f"{digest[:16]}..., expected {self.sha256[:16]}... (corrupt, or a "
                                f"different dataset)")
        return array


@dataclass(frozen=True)
class DatasetSpec:
    """A dataset published as four IDX files, and where to get them after the cache.

    ``files`` are in the order train images, train labels, test images, test labels; ``sources``
    are tried in order (see :mod:`dl101.data.sources`).
    """

    name: str
    files: tuple
    sources: tuple
    class_names: tuple

    @property
    def file_names(self) -> str:
        return ", ".join(f.name for f in self.files)
