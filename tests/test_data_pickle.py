"""The restricted unpickler, and recovering MNIST's uint8 files from the classic pickle."""

import gzip
import os
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dl101.checks import Dl101Error
from dl101.data.idx import decode_idx
from dl101.data.mnist import NAMES, idx_from_pickle
from dl101.data.pickle_safe import load_arrays


def dumps(obj):
    return pickle.dumps(obj, protocol=4)


class ArraySubclass(np.ndarray):
    pass


class RunsAShellCommand:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return os.system, (f"touch {self.marker}",)


def test_refuses_a_pickle_that_would_call_a_function(tmp_path):
    marker = tmp_path / "ran"
    data = dumps(RunsAShellCommand(marker))
    pickle.loads(data)  # the plain unpickler runs the command: the danger is real
    assert marker.exists()
    marker.unlink()
    with pytest.raises(Dl101Error, match=r"evil\.pkl: refused to unpickle posix\.system: only "
                                         r"NumPy arrays are admitted \(a pickle can run code\)"):
        load_arrays(data, "evil.pkl")
    assert not marker.exists()


@pytest.mark.parametrize("obj, name", [
    (eval, "builtins.eval"),
    (np.ma.array([1, 2]), "numpy.ma.core._mareconstruct"),
    (np.zeros(2).view(ArraySubclass), "test_data_pickle.ArraySubclass"),  # could bring code
    (np.float32(1), "numpy"),               # a NumPy scalar is not an array
])
def test_refuses_every_other_global(obj, name):
    with pytest.raises(Dl101Error, match=f"refused to unpickle {name}"):
        load_arrays(dumps(obj), "x.pkl")


@pytest.mark.parametrize("obj, reason", [
    (np.array([1, "a"], dtype=object), "dtype object is not a plain numeric type"),
    (np.zeros(2, [("a", "f4")]), "not a plain numeric type"),
    (np.zeros(2, "U3"), "not a plain numeric type"),
    (np.dtype("f4"), "found a _Dtype"),
    ({"x": np.arange(2)}, "found a dict"),
    ({1, 2}, "found a set"),
])
def test_refuses_what_is_not_a_numeric_array(obj, reason):
    with pytest.raises(Dl101Error, match=reason):
        load_arrays(dumps(obj), "x.pkl")


@pytest.mark.parametrize("array", [
    np.arange(5), np.zeros((2, 3), ">f4"), np.asfortranarray(np.arange(6).reshape(2, 3)),
    np.array([True, False]), np.zeros((0, 784), np.float32), np.arange(10)[::3]])
@pytest.mark.parametrize("protocol", [3, 4])
def test_reads_numeric_arrays_exactly(array, protocol):
    back = load_arrays(pickle.dumps((array, [1, 2.5, None, "s"]), protocol=protocol), "ok.pkl")
    assert back[0].dtype == array.dtype and back[0].shape == array.shape
    np.testing.assert_array_equal(back[0], array)
    assert back[1] == [1, 2.5, None, "s"]


def test_a_truncated_pickle_is_a_clear_error():
    with pytest.raises(Dl101Error, match="cut.pkl: not a readable pickle of arrays"):
        load_arrays(dumps(np.arange(100))[:-20], "cut.pkl")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_fuzz_any_bytes_load_or_raise_the_documented_error(data):
    try:
        load_arrays(data, "fuzz.pkl")
    except Dl101Error as err:
        assert str(err).startswith("fuzz.pkl: ")


# --- the classic mnist.pkl.gz, in miniature ------------------------------------------------------

COUNTS = (5, 2, 3)


def classic(counts=COUNTS, seed=0):
    """A small pickle shaped like mnist.pkl.gz: (train, validation, test) of (x = uint8/256, y)."""
    rng = np.random.default_rng(seed)
    pixels = [rng.integers(0, 256, (n, 784), dtype=np.uint8) for n in counts]
    labels = [rng.integers(0, 10, n) for n in counts]
    splits = tuple((p.astype(np.float32) / 256, y) for p, y in zip(pixels, labels))
    return splits, pixels, labels


def gz(obj):
    return gzip.compress(dumps(obj))


def test_recovers_the_uint8_files_exactly():
    splits, pixels, labels = classic()
    files = idx_from_pickle(gz(splits), "mini.pkl.gz", COUNTS)
    assert list(files) == list(NAMES)
    train_x, train_y, test_x, test_y = (decode_idx(files[n], n) for n in NAMES)
    np.testing.assert_array_equal(train_x, np.concatenate(pixels[:2]).reshape(-1, 28, 28))
    np.testing.assert_array_equal(train_y, np.concatenate(labels[:2]))
    np.testing.assert_array_equal(test_x, pixels[2].reshape(-1, 28, 28))
    assert train_x.dtype == train_y.dtype == np.uint8 and test_y.tolist() == labels[2].tolist()


def mangled(change):
    splits, _, _ = classic()
    splits = [list(s) for s in splits]
    change(splits)
    return gz(tuple(tuple(s) for s in splits))


@pytest.mark.parametrize("change, reason", [
    (lambda s: s.pop(), "does not hold the expected \\(train, validation, test\\) pairs"),
    (lambda s: s[0].append(1), "does not hold the expected"),
    (lambda s: s.__setitem__(0, [np.zeros((5, 783), np.float32), s[0][1]]),
     "train images: expected an array of shape \\(5, 784\\)"),
    (lambda s: s[1].__setitem__(0, s[1][0] + np.float32(1 / 1024)),
     "validation images: values are not whole numbers in 0..255 after × 256"),
    (lambda s: s[2].__setitem__(0, s[2][0] + 1), "test images: values are not whole numbers"),
    (lambda s: s[2].__setitem__(1, s[2][1] + 10), "test labels: values are not whole numbers in 0..9"),
    (lambda s: s[0].__setitem__(1, "labels"), "train labels: expected an array"),
])
def test_refuses_a_pickle_that_holds_anything_else(change, reason):
    with pytest.raises(Dl101Error, match=reason):
        idx_from_pickle(mangled(change), "mini.pkl.gz", COUNTS)


def test_refuses_a_pickle_that_is_not_gzipped_or_cut():
    splits, _, _ = classic()
    with pytest.raises(Dl101Error, match="truncated gzip stream"):
        idx_from_pickle(gz(splits)[:-100], "mini.pkl.gz", COUNTS)
