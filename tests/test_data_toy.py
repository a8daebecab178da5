"""The 2D toy sets of the lecture's figures, and labelled points from CSV."""

import numpy as np
import pytest

from dl101.checks import Dl101Error
from dl101.data import (TOY_SETS, load_points_csv, make_blobs, make_circles, make_moons,
                        make_spirals, make_toy, make_xor)


@pytest.mark.parametrize("name", sorted(TOY_SETS))
def test_every_toy_set_is_seeded_shuffled_and_balanced(name):
    x, y = make_toy(name, 101, noise=0.1, seed=3)
    assert x.shape == (101, 2) and x.dtype == np.float32 and y.dtype == np.int64
    assert np.isfinite(x).all()
    counts = np.bincount(y)
    if name != "xor":  # xor's classes are where the uniform points fall
        assert counts.max() - counts.min() <= 1
    assert not (np.diff(y) >= 0).all()  # shuffled, not sorted by class
    again_x, again_y = make_toy(name, 101, noise=0.1, seed=3)
    np.testing.assert_array_equal(again_x, x)
    np.testing.assert_array_equal(again_y, y)
    assert not np.array_equal(make_toy(name, 101, noise=0.1, seed=4)[0], x)


def test_moons_without_noise_lie_on_their_half_circles():
    x, y = make_moons(50, noise=0.0)
    upper, lower = x[y == 0], x[y == 1]
    np.testing.assert_allclose(np.hypot(*upper.T), 1, atol=1e-6)
    assert (upper[:, 1] >= -1e-6).all()
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1, atol=1e-6)
    assert (lower[:, 1] <= 0.5 + 1e-6).all()


def test_circles_without_noise_have_radii_1_and_factor():
    x, y = make_circles(40, noise=0.0, factor=0.3)
    np.testing.assert_allclose(np.hypot(*x[y == 0].T), 1, atol=1e-6)
    np.testing.assert_allclose(np.hypot(*x[y == 1].T), 0.3, atol=1e-6)


def test_xor_without_noise_is_labelled_by_the_signs():
    x, y = make_xor(200, noise=0.0)
    np.testing.assert_array_equal(y, (x[:, 0] * x[:, 1] < 0).astype(int))
    assert np.abs(x).max() <= 1


def test_spirals_have_one_arm_per_class():
    x, y = make_spirals(300, noise=0.0, classes=3)
    assert np.bincount(y).tolist() == [100, 100, 100]
    assert np.hypot(*x.T).max() <= 1 + 1e-6
    # each arm starts at a different angle: arm k at 2πk/3 near the centre
    for k in range(3):
        inner = x[y == k][np.argmin(np.hypot(*x[y == k].T))]
        angle = np.arctan2(inner[1], inner[0]) % (2 * np.pi)
        assert abs(angle - (2 * np.pi * k / 3 + 3 * np.pi * 0.05) % (2 * np.pi)) < 1e-5


def test_blobs_spread_around_their_centres():
    x, y = make_blobs(3000, noise=0.2, classes=3)
    for k in range(3):
        centre = np.array([np.cos(np.pi / 2 + 2 * np.pi * k / 3), np.sin(np.pi / 2 + 2 * np.pi * k / 3)])
        np.testing.assert_allclose(x[y == k].mean(axis=0), centre, atol=0.03)
        np.testing.assert_allclose(x[y == k].std(axis=0), 0.2, atol=0.02)


@pytest.mark.parametrize("call, match", [
    (lambda: make_moons(0), "n must be an integer >= 1"),
    (lambda: make_moons(10.5), "n must be an integer >= 1"),
    (lambda: make_blobs(2, classes=3), "n = 2 points cannot cover 3 classes"),
    (lambda: make_spirals(10, classes=0), "classes must be an integer >= 1"),
    (lambda: make_circles(10, noise=-0.1), "noise must be a finite number >= 0"),
    (lambda: make_xor(10, noise=float("nan")), "noise must be a finite number >= 0"),
    (lambda: make_moons(10, noise="a lot"), "noise must be a finite number >= 0"),
    (lambda: make_toy("swiss roll"), "unknown toy dataset 'swiss roll'; valid names: blobs, "
                                     "circles, moons, spirals, xor"),
])
def test_toy_set_errors(call, match):
    with pytest.raises(Dl101Error, match=match):
        call()


# --- CSV ------------------------------------------------------------------------------------------

def csv_file(tmp_path, text):
    path = tmp_path / "points.csv"
    path.write_text(text)
    return path


def test_load_points_csv_with_header_comments_and_blank_lines(tmp_path):
    path = csv_file(tmp_path, "# my points\nx1, x2, label\n\n0.5,-1,0\n 2e-1 ,3,1\n\n4,5,2\n")
    x, y = load_points_csv(path)
    assert x.dtype == np.float32 and x.shape == (3, 2) and y.dtype == np.int64
    np.testing.assert_allclose(x, [[0.5, -1], [0.2, 3], [4, 5]])
    assert y.tolist() == [0, 1, 2]


def test_load_points_csv_without_header(tmp_path):
    x, y = load_points_csv(csv_file(tmp_path, "1,2,0\n3,4,1\n"))
    assert x.tolist() == [[1, 2], [3, 4]] and y.tolist() == [0, 1]


@pytest.mark.parametrize("text, match", [
    ("1,2,0\n3,4\n", r"points.csv, line 2: expected 3 values \(x1,x2,label\), found 2"),
    ("1,2,0,9\n", r"line 1: expected 3 values \(x1,x2,label\), found 4"),
    ("x1,x2,label\n1,two,0\n", "line 2: x1 and x2 must be numbers, got '1' and 'two'"),
    ("1,nan,0\n", "line 1: x1 and x2 must be finite"),
    ("1,2,-1\n", "line 1: the label must be a class index 0, 1, 2, ..., got '-1'"),
    ("1,2,1.5\n", "got '1.5'"),
    ("1,2,cat\n", "got 'cat'"),
    ("1,2,\n", "got ''"),
    ("a,b,c\nd,e,f\n", "line 2: x1 and x2 must be numbers"),  # only the first line may be a header
    ("", "no points found"),
    ("x1,x2,label\n# nothing else\n", "no points found"),
])
def test_load_points_csv_errors_name_the_line(tmp_path, text, match):
    with pytest.raises(Dl101Error, match=match):
        load_points_csv(csv_file(tmp_path, text))


def test_load_points_csv_missing_or_binary_file(tmp_path):
    with pytest.raises(Dl101Error, match="nope.csv: cannot read it as CSV"):
        load_points_csv(tmp_path / "nope.csv")
    (tmp_path / "bin.csv").write_bytes(b"\xff\xfe\x00\x81")
    with pytest.raises(Dl101Error, match="bin.csv: cannot read it as CSV"):
        load_points_csv(tmp_path / "bin.csv")
