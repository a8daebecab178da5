"""Reading a pickle that should hold only NumPy arrays, without letting it run code.

Unpickling calls whatever functions the file names: ``pickle.load`` on a file that says
``os.system`` runs a shell command. The classic ``mnist.pkl.gz`` names only three globals: NumPy's
array rebuilder ``_reconstruct``, ``numpy.ndarray`` and ``numpy.dtype``. :func:`load_arrays`
admits exactly those names and refuses every other one before anything is called.

Even the admitted names are not handed to NumPy's own unpickling code, which trusts the state it
is given (a forged dtype state can make NumPy read pixel bytes as object pointers). They map to
the stand-ins below, which accept plain numeric arrays only and build them with
``np.frombuffer``. That covers arrays pickled with protocols 3 and 4 and Python 2's pickles;
protocol 5's ``_frombuffer`` and protocol 2's ``_codecs.encode`` are refused like any other name.
The rest of dl101 never writes pickles.

>>> import pickle
>>> load_arrays(pickle.dumps((np.arange(3), np.zeros(2, np.float32)), protocol=4), "example")
(array([0, 1, 2]), array([0., 0.], dtype=float32))
>>> load_arrays(pickle.dumps(print), "evil.pkl")
Traceback (most recent call last):
...
dl101.checks.Dl101Error: evil.pkl: refused to unpickle builtins.print: only NumPy arrays are admitted (a pickle can run code)
"""

from __future__ import annotations

import io
import math
import pickle

import numpy as np

from ..checks import Dl101Error


class _Refused(pickle.UnpicklingError):
    """What the pickle asks for is not admitted."""


def _text(value) -> str:
    """A Python 2 string (read as bytes, see :func:`load_arrays`) or a str, as str."""
    if not isinstance(value, (bytes, str)):
        raise _Refused(f"expected a string, got {type(value).__name__}")
    return value.decode("ascii") if isinstance(value, bytes) else value


class _Dtype:
    """Stands in for ``numpy.dtype(spec, align, copy)``; ``__setstate__`` adds the byte order."""

    def __init__(self, spec, *_flags):
        self.dtype = np.dtype(_text(spec))  # a type name such as 'f4'; never a structure
        if self.dtype.kind not in "biuf":
            raise _Refused(f"dtype {self.dtype} is not a plain numeric type")

    def __setstate__(self, state):
        byteorder, rest = _text(state[1]), state[2:5]  # (version, order, subarray, names, fields, ...)
        if any(part is not None for part in rest):
            raise _Refused("structured dtypes are not admitted")
        if byteorder in ("<", ">"):
            self.dtype = self.dtype.newbyteorder(byteorder)


class _Array:
    """Stands in for ``_reconstruct(numpy.ndarray, ...)``; ``__setstate__`` gets the data."""

    def __init__(self, subtype, *_placeholder):
        if subtype is not NDARRAY:  # a subclass of ndarray would bring its own code
            raise _Refused(f"array type {subtype!r} is not numpy.ndarray")
        self.array = None

    def __setstate__(self, state):
        shape, dtype, fortran, data = state[-4:]  # (version,) shape, dtype, is_fortran, raw bytes
        if not isinstance(dtype, _Dtype) or not isinstance(data, bytes):
            raise _Refused("array state is not (shape, dtype, order, bytes)")
        shape = tuple(int(n) for n in shape)
        if any(n < 0 for n in shape) or math.prod(shape) * dtype.dtype.itemsize != len(data):
            raise _Refused(f"array of shape {shape} and dtype {dtype.dtype} "
                                         f"comes with {len(data)} bytes of data")
        self.array = np.frombuffer(data, dtype.dtype).reshape(shape, order="F" if fortran else "C")


NDARRAY = object()  # what the name numpy.ndarray gives: a marker, so a pickle cannot call it

# Every global the file may name, and what stands in for it. Nothing else is ever imported.
ADMITTED = {
    ("numpy.core.multiarray", "_reconstruct"): _Array,  # as NumPy 1 wrote it
    ("numpy._core.multiarray", "_reconstruct"): _Array,  # as NumPy 2 writes it
    ("numpy", "ndarray"): NDARRAY,
    ("numpy", "dtype"): _Dtype,
}


class ArraysOnlyUnpickler(pickle.Unpickler):
    """An unpickler whose ``find_class`` knows only :data:`ADMITTED`."""

    def find_class(self, module, name):
        if (module, name) not in ADMITTED:
            raise _Refused(f"refused to unpickle {module}.{name}")
        return ADMITTED[(module, name)]


MAX_DEPTH = 16  # tuples in tuples: mnist.pkl is 3 deep ((x, y) for train, validation, test)


def _resolved(obj, done=None, depth=0):
    """``obj`` with each stand-in replaced by the array it built; anything unexpected refused.

    A pickle can name one object many times (its memo): a few bytes per level make a tuple of two
    references to the level below, 2^levels leaves for a walk that copies each reference, where
    a 4 kB pickle took 10.7 s and 550 MB. So each object is resolved once (``done``, by id) and
    shared again where the pickle shares it; the work is then linear in the pickle's size.
    """
    done = {} if done is None else done
    if id(obj) in done:
        if done[id(obj)] is _IN_PROGRESS:
            raise _Refused("a list that contains itself")
        return done[id(obj)]
    if isinstance(obj, (tuple, list)):
        if depth >= MAX_DEPTH:
            raise _Refused(f"tuples or lists nested deeper than {MAX_DEPTH} levels")
        done[id(obj)] = _IN_PROGRESS
        resolved = type(obj)(_resolved(item, done, depth + 1) for item in obj)
    elif isinstance(obj, _Array):
        if obj.array is None:
            raise _Refused("an array came without its data")
        resolved = obj.array
    elif obj is None or isinstance(obj, (bool, int, float, str, bytes)):
        return obj
    else:
        raise _Refused(f"found a {type(obj).__name__} where only tuples, lists, numbers "
                       f"and arrays are admitted")
    done[id(obj)] = resolved
    return resolved


_IN_PROGRESS = object()


def load_arrays(data: bytes, name: str):
    """The object pickled in ``data``: tuples, lists, numbers and read-only NumPy arrays of
    numbers; ``name`` names the file in errors.

    Python 2's strings are read as bytes: an array's data then needs no decoding and re-encoding.
    """
    try:
        return _resolved(ArraysOnlyUnpickler(io.BytesIO(data), encoding="bytes").load())
    except _Refused as err:
        reason = str(err)
        if reason.startswith("refused"):
            reason += ": only NumPy arrays are admitted (a pickle can run code)"
        raise Dl101Error(f"{name}: {reason}") from None
    except Exception as err:  # a damaged pickle fails in many ways (EOFError, KeyError, ...)
        raise Dl101Error(f"{name}: not a readable pickle of arrays ({type(err).__name__}: {err})") from None
