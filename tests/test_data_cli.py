"""``dl101 data fetch`` and ``dl101 data info``, run as a user runs them."""

import gzip
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dl101.data import MNIST, cache
import system

SRC = Path(__file__).resolve().parents[1] / "src"


def dl101(*args, env=None):
    environment = {**os.environ, "PYTHONPATH": str(SRC), **(env or {})}
    return subprocess.run([sys.executable, "-m", "dl101", *args], capture_output=True, text=True,
                          env=environment, timeout=300)


@pytest.fixture
def mnist_cache(tmp_path):
    """A cache folder holding MNIST, copied from the default cache (fetched there if need be)."""
    from dl101.data import load_mnist
    load_mnist(verbose=False)
    shutil.copytree(cache.dataset_dir(MNIST), tmp_path / "mnist")
    return tmp_path


@pytest.mark.slow
def test_fetch_mnist_from_the_cache(mnist_cache):
    done = dl101("data", "fetch", "mnist", "--cache-dir", str(mnist_cache))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"mnist: 60,000 training + 10,000 test images of 28×28 in "
                                  f"{mnist_cache}/mnist; source: cache {mnist_cache}/mnist")
    assert done.stderr == f"mnist: cache {mnist_cache}/mnist ... ok (sha256 verified)\n"


@pytest.mark.slow
def test_info_shows_each_file_verified_and_the_cache_folder_from_the_environment(mnist_cache):
    (mnist_cache / "mnist" / "t10k-labels-idx1-ubyte.gz").write_bytes(gzip.compress(b"\x00\x00"))
    done = dl101("data", "info", env={"DL101_DATA": str(mnist_cache)})
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"cache: {mnist_cache} (chosen by DL101_DATA)"
    assert lines[1].startswith(f"mnist: {mnist_cache}/mnist")
    name, size, *state = lines[2].split()  # the size depends on the gzip that was cached
    assert name == "train-images-idx3-ubyte.gz" and int(size.replace(",", "")) > 9_000_000
    assert state == ["B", "sha256", "verified", "ba891046e650"]
    assert "t10k-labels-idx1-ubyte.gz" in lines[5] and "corrupt: " in lines[5]
    assert lines[6] == "fashion-mnist: not fetched (dl101 data fetch fashion-mnist)"
    assert lines[7].startswith("digits: embedded (scikit-learn's digits.csv.gz, shipped with dl101)")


def test_an_unwritable_cache_is_a_one_line_error(tmp_path):
    (tmp_path / "file").write_text("")
    done = dl101("data", "fetch", "mnist", "--cache-dir", str(tmp_path / "file" / "sub"))
    assert done.returncode == 2
    errors = [line for line in done.stderr.splitlines() if "error" in line]
    assert errors == [f"dl101 data: error: cannot write the cache directory {tmp_path}/file/sub/mnist: "
                      f"Not a directory; choose a writable one with --cache-dir DIR or DL101_DATA=DIR"]
    assert done.stdout == ""


def test_an_unknown_dataset_is_refused_by_the_parser():
    done = dl101("data", "fetch", "cifar")
    assert done.returncode == 2
    assert "invalid choice: 'cifar'" in done.stderr


def test_help_documents_the_cache_variable():
    done = dl101("data", "--help")
    assert done.returncode == 0 and "DL101_DATA" in done.stdout
    assert "fetch" in done.stdout and "info" in done.stdout


@pytest.mark.slow
def test_fetch_all_gets_both(mnist_cache):
    system.require_fashion_mnist()
    done = dl101("data", "fetch", "all", "--cache-dir", str(mnist_cache))
    assert done.returncode == 0, done.stderr
    assert [line.split(":")[0] for line in done.stdout.splitlines()] == ["mnist", "fashion-mnist"]
    served = [line for line in done.stderr.splitlines() if line.startswith("fashion-mnist: ")
              and " ... ok (" in line]
    assert len(served) == 1  # Debian's files here; a mirror on a machine with internet
