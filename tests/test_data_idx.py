"""The IDX reader and writer: round trips, every kind of bad file, and fuzzing."""

import gzip
import struct

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from dl101.data.idx import DTYPES, IdxError, decode_idx, encode_idx, gunzip, read_idx, write_idx

IMAGES = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)


@pytest.mark.parametrize("dtype", [np.dtype(t).newbyteorder("=") for t in DTYPES.values()])
@pytest.mark.parametrize("suffix", ["", ".gz"])
def test_round_trip_through_a_file_for_every_idx_type(tmp_path, dtype, suffix):
    array = (np.arange(24) - 5).reshape(2, 3, 4).astype(dtype)
    path = tmp_path / f"a-idx3{suffix}"
    write_idx(path, array)
    assert (path.read_bytes()[:2] == b"\x1f\x8b") == (suffix == ".gz")
    back = read_idx(path)
    assert back.dtype == dtype and back.shape == array.shape
    np.testing.assert_array_equal(back, array)
    back[0, 0, 0] = 1  # a writable array in native byte order, not a view of the file's bytes


def test_the_header_is_the_documented_one():
    data = encode_idx(IMAGES)
    assert data[:4] == bytes([0, 0, 0x08, 3])
    assert struct.unpack(">3I", data[4:16]) == (2, 3, 4)
    assert data[16:] == IMAGES.tobytes()
    assert encode_idx(np.array([1.5], ">f4"))[:8] == bytes([0, 0, 0x0D, 1, 0, 0, 0, 1])


def test_gzipped_files_are_the_same_bytes_every_time(tmp_path):
    write_idx(tmp_path / "a.gz", IMAGES)
    write_idx(tmp_path / "b.gz", IMAGES)
    assert (tmp_path / "a.gz").read_bytes() == (tmp_path / "b.gz").read_bytes()


def test_empty_dimensions_are_valid():
    np.testing.assert_array_equal(decode_idx(encode_idx(np.zeros((0, 28, 28), np.uint8)), "e"),
                                  np.zeros((0, 28, 28), np.uint8))


@pytest.mark.parametrize("array", [np.zeros(2, complex), np.zeros(2, bool), np.array(3, np.uint8),
                                   np.zeros(2, object)])
def test_encode_refuses_what_idx_cannot_hold(array):
    with pytest.raises(IdxError, match="IDX"):
        encode_idx(array)


def bad(data, match, name="bad-file"):
    with pytest.raises(IdxError, match=match) as caught:
        decode_idx(data, name)
    assert str(caught.value).startswith(f"{name}: ")  # every message names the file


def test_wrong_magic_number():
    bad(b"\x01\x00\x08\x01" + b"\x00" * 8, "not an IDX file: magic number 01000801")
    bad(b"P5\n28 28\n255\n", "not an IDX file")


def test_unknown_type_code():
    bad(bytes([0, 0, 0x0A, 1, 0, 0, 0, 1, 7]), "unknown IDX type code 0x0A")


def test_zero_dimensions():
    bad(bytes([0, 0, 0x08, 0]), "0 dimensions")


@pytest.mark.parametrize("n", [0, 3])
def test_too_short_for_a_header(n):
    bad(bytes(n), "too short")


def test_truncated_header():
    bad(bytes([0, 0, 0x08, 3, 0, 0, 0, 2]), r"truncated header: 3 dimensions need 16 bytes")


def test_wrong_dimensions_data_too_short():
    bad(encode_idx(IMAGES)[:-1], r"truncated: dimensions 2×3×4 of 1-byte values need 24 bytes of "
                                 r"data, the file has 23")


def test_wrong_dimensions_data_too_long():
    bad(encode_idx(IMAGES) + b"\x00", "too long: .* need 24 bytes of data, the file has 25")


def test_wrong_dimensions_in_the_header():
    header = struct.pack(">HBB3I", 0, 0x08, 3, 2, 3, 5)  # says 2×3×5 but holds 2×3×4
    bad(header + IMAGES.tobytes(), "truncated: dimensions 2×3×5")


def test_truncated_gzip_as_left_by_an_interrupted_download():
    whole = gzip.compress(encode_idx(IMAGES))
    bad(whole[: len(whole) // 2], "truncated gzip stream .*interrupted download")


def test_corrupt_gzip():
    whole = bytearray(gzip.compress(encode_idx(np.arange(2000, dtype=np.uint8))))
    whole[20:30] = b"\xff" * 10
    bad(bytes(whole), "corrupt gzip stream")


def test_bytes_after_the_gzip_stream():
    bad(gzip.compress(encode_idx(IMAGES)) + b"junk", "4 unexpected bytes after the gzip stream")


def test_gunzip_refuses_more_than_asked():
    with pytest.raises(IdxError, match="more than the 10 bytes"):
        gunzip(gzip.compress(bytes(11)), "bomb", max_bytes=10)
    assert gunzip(gzip.compress(bytes(10)), "ok", max_bytes=10) == bytes(10)


def test_read_idx_names_a_missing_file(tmp_path):
    with pytest.raises(IdxError, match=f"{tmp_path}/nope.gz: cannot read"):
        read_idx(tmp_path / "nope.gz")


# --- fuzzing: any bytes either decode to an array or raise IdxError, never anything else --------

def decodes_or_raises_idx_error(data):
    try:
        array = decode_idx(data, "fuzz", max_bytes=1 << 20)
    except IdxError as err:
        assert str(err).startswith("fuzz: ")
        return None
    assert isinstance(array, np.ndarray) and array.ndim >= 1
    return array


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=64))
def test_fuzz_any_bytes(data):
    decodes_or_raises_idx_error(data)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E, 0x0A, 0xFF]),
       st.lists(st.integers(0, 6), min_size=0, max_size=4), st.binary(max_size=200))
def test_fuzz_plausible_headers(code, dims, payload):
    header = struct.pack(f">HBB{len(dims)}I", 0, code, len(dims), *dims)
    array = decodes_or_raises_idx_error(header + payload)
    if array is not None:  # it decoded: then it is exactly what the header said
        assert array.shape == tuple(dims) and array.nbytes == len(payload)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_fuzz_cut_or_damaged_gzip(data):
    whole = gzip.compress(encode_idx(np.arange(300, dtype=np.uint8).reshape(3, 10, 10)))
    cut = data.draw(st.integers(0, len(whole)))
    blob = bytearray(whole[:cut])
    if blob and data.draw(st.booleans()):
        blob[data.draw(st.integers(0, len(blob) - 1))] ^= data.draw(st.integers(1, 255))
    array = decodes_or_raises_idx_error(bytes(blob))
    if cut < len(whole):
        assert array is None  # a cut gzip never passes


@settings(max_examples=100, deadline=None)
@given(arrays(st.sampled_from([np.uint8, np.int8, np.int16, np.int32, np.float32, np.float64]),
              array_shapes(min_dims=1, max_dims=4, min_side=0, max_side=5)))
def test_fuzz_round_trip(array):
    back = decode_idx(encode_idx(array), "round trip")
    assert back.dtype == array.dtype and back.shape == array.shape
    np.testing.assert_array_equal(back, array)
