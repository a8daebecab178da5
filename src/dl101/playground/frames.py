"""Compact binary frames: a small JSON header, then the raw arrays (float32 or uint8), and the
one-place mailbox that holds the latest frame until the socket takes it.

Layout of a frame (little-endian): ``uint32 n``, ``n`` bytes of UTF-8 JSON (padded with spaces to
a multiple of 4), then each array's bytes, each padded to a multiple of 4, so that the page reads
every float32 array in place (``new Float32Array(buffer, offset, size)``). The header lists the
arrays as ``[name, dtype, shape, offset]``, offsets counted from the end of the header (4 + n).

>>> blob = encode({"type": "frame", "step": 3}, {"A1": np.ones((2, 3), np.float32)})
>>> header, arrays = decode(blob)
>>> header["step"], arrays["A1"].shape, arrays["A1"].dtype
(3, (2, 3), dtype('float32'))
"""

from __future__ import annotations

import asyncio
import json
import struct

import numpy as np

DTYPES = {"float32": np.float32, "uint8": np.uint8}


def _pad(n):
    return -n % 4


def encode(header: dict, arrays: dict) -> bytes:
    """A frame from a JSON-ready ``header`` and named arrays (cast to float32 unless uint8)."""
    blobs, table, at = [], [], 0
    for name, array in arrays.items():
        array = np.asarray(array)
        array = np.ascontiguousarray(array if array.dtype == np.uint8 else array.astype(np.float32))
        blob = array.tobytes()
        table.append([name, array.dtype.name, list(array.shape), at])
        blobs += [blob, b"\0" * _pad(len(blob))]
        at += len(blob) + _pad(len(blob))
    text = json.dumps({**header, "arrays": table}, separators=(",", ":"), allow_nan=False).encode()
    text += b" " * _pad(len(text))
    return b"".join([struct.pack("<I", len(text)), text, *blobs])


def decode(frame: bytes):
    """``(header, {name: array})`` of a frame: the page's reading, in Python (for tests)."""
    (n,) = struct.unpack_from("<I", frame)
    header = json.loads(frame[4:4 + n])
    arrays = {}
    for name, dtype, shape, offset in header.pop("arrays"):
        count = int(np.prod(shape)) if shape else 1
        arrays[name] = np.frombuffer(frame, DTYPES[dtype], count, 4 + n + offset).reshape(shape)
    return header, arrays


class Latest:
    """A mailbox of one: ``put`` replaces a frame the socket has not taken yet (latest frame wins,
    never a queue); ``take`` waits for one; ``taken`` is set once the box is empty again."""

    def __init__(self):
        self.frame = None
        self.ready = asyncio.Event()
        self.taken = asyncio.Event()
        self.taken.set()
        self.replaced = 0  # frames dropped because a newer one came first

    def put(self, frame):
        if self.frame is not None:
            self.replaced += 1
        self.frame = frame
        self.ready.set()
        self.taken.clear()

    async def take(self):
        await self.ready.wait()
        frame, self.frame = self.frame, None
        self.ready.clear()
        self.taken.set()
        return frame
