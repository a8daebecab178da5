"""The lecture's data helpers and the embedded 8×8 digits."""

import numpy as np
import pytest

import dl101.losses
from dl101.checks import Dl101Error
from dl101.data import (flatten, keep_classes, load, load_digits, one_hot, scale_pixels,
                        train_validation_split)


def test_one_hot_is_the_losses_one():
    assert one_hot is dl101.losses.one_hot


def test_scale_and_flatten():
    images = np.array([[[0, 255], [255, 0]], [[51, 0], [0, 0]]], dtype=np.uint8)
    x = flatten(scale_pixels(images))
    assert x.dtype == np.float32 and x.shape == (2, 4)
    np.testing.assert_allclose(x, [[0, 1, 1, 0], [0.2, 0, 0, 0]], rtol=1e-7)
    assert scale_pixels(np.array([16]), 16).tolist() == [1.0]


def test_keep_classes_relabels_in_the_order_given():
    x = np.arange(8) * 10
    y = np.array([3, 1, 4, 1, 5, 9, 2, 6])
    kept_x, kept_y = keep_classes(x, y, [5, 1, 9, 2])  # the lecture keeps 4 classes
    assert kept_x.tolist() == [10, 30, 40, 50, 60]
    assert kept_y.tolist() == [1, 1, 0, 2, 3]
    assert kept_y.dtype == np.int64


def test_keep_classes_works_on_images():
    images = np.zeros((4, 28, 28), np.uint8)
    images[:, 0, 0] = [0, 1, 2, 3]
    kept, labels = keep_classes(images, np.array([0, 1, 2, 3], np.uint8), [2, 3])
    assert kept.shape == (2, 28, 28) and kept[:, 0, 0].tolist() == [2, 3] and labels.tolist() == [0, 1]


@pytest.mark.parametrize("classes, match", [
    ([], "at least one"), ([1, 1], "distinct"), ([1, 7], r"classes \[7\] do not occur in y"),
])
def test_keep_classes_errors(classes, match):
    with pytest.raises(Dl101Error, match=match):
        keep_classes(np.zeros(3), np.array([0, 1, 2]), classes)


def test_keep_classes_checks_the_labels():
    with pytest.raises(Dl101Error, match="x has 3 samples but y has 2 labels"):
        keep_classes(np.zeros(3), np.array([0, 1]), [0])
    with pytest.raises(Dl101Error, match="must be integer class labels"):
        keep_classes(np.zeros(2), np.array([0.0, 1.0]), [0])


def test_train_validation_split_is_stratified_deterministic_and_complete():
    y = np.repeat(np.arange(3), [50, 30, 20])
    x = np.arange(100)
    (x_train, y_train), (x_val, y_val) = train_validation_split(x, y, 0.1, seed=5)
    assert np.bincount(y_val).tolist() == [5, 3, 2]  # 10% of each class
    assert sorted([*x_train, *x_val]) == x.tolist()  # disjoint and complete
    assert (np.diff(x_train) > 0).all() and (np.diff(x_val) > 0).all()  # original order kept
    np.testing.assert_array_equal(y_train, y[x_train])
    again = train_validation_split(x, y, 0.1, seed=5)
    np.testing.assert_array_equal(again[1][0], x_val)
    other = train_validation_split(x, y, 0.1, seed=6)
    assert not np.array_equal(other[1][0], x_val)


@pytest.mark.parametrize("fraction", [0, 1, -0.1, 1.5])
def test_train_validation_split_fraction_out_of_range(fraction):
    with pytest.raises(Dl101Error, match="fraction must lie strictly between 0 and 1"):
        train_validation_split(np.zeros(10), np.zeros(10, int), fraction)


def test_train_validation_split_refuses_an_empty_part():
    with pytest.raises(Dl101Error, match="leaves one part empty"):
        train_validation_split(np.zeros(3), np.arange(3), 0.1)


# --- the embedded digits ---------------------------------------------------------------------------

def test_digits_split_sizes_are_the_documented_ones():
    (x_train, y_train), (x_test, y_test) = load_digits()
    assert x_train.shape == (1438, 8, 8) and x_test.shape == (359, 8, 8)
    assert x_train.dtype == y_train.dtype == np.uint8 and x_train.max() == 16
    assert np.bincount(y_test).tolist() == [36, 36, 35, 37, 36, 36, 36, 36, 35, 36]  # stratified


def test_digits_dataset():
    data = load("digits")
    assert data.x_train.shape == (1438, 64) and data.x_test.shape == (359, 64)
    assert data.x_train.dtype == np.float32 and data.y_train.dtype == np.int64
    assert data.x_train.max() == 1.0 and data.image_shape == (8, 8)
    assert data.class_names == list("0123456789")
    assert data.source == "scikit-learn's digits.csv.gz (embedded)"
    (x_train, y_train), _ = load_digits()
    np.testing.assert_array_equal(data.x_train * 16, x_train.reshape(len(x_train), -1))
    np.testing.assert_array_equal(data.y_train, y_train)
