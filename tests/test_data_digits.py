"""The vendored 8×8 digits are exactly scikit-learn's, and a damaged copy is refused."""

import gzip

import numpy as np
import pytest

from dl101.checks import Dl101Error
from dl101.data import digits


def test_the_vendored_digits_equal_sklearns_load_digits():
    sklearn_datasets = pytest.importorskip("sklearn.datasets")
    bunch = sklearn_datasets.load_digits()
    images, labels = digits.read_digits()
    np.testing.assert_array_equal(images, bunch.images.astype(np.uint8))
    np.testing.assert_array_equal(labels, bunch.target)
    assert np.array_equal(bunch.images, images)  # the values were whole numbers: nothing lost


def test_a_damaged_copy_is_refused(tmp_path):
    with gzip.open(digits.FILE, "rt") as f:
        rows = f.read().splitlines()
    rows[0] = rows[0].replace("13", "12", 1)  # one pixel of the first digit changed
    bad = tmp_path / "digits.csv.gz"
    with gzip.open(bad, "wt") as f:
        f.write("\n".join(rows) + "\n")
    with pytest.raises(Dl101Error, match="damaged"):
        digits.read_digits(bad)


def test_the_licence_ships_beside_the_data():
    licence = (digits.FILE.parent / "LICENSE-scikit-learn").read_text()
    assert "BSD 3-Clause" in licence and "scikit-learn developers" in licence
