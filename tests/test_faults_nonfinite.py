"""Faults, class 3: NaN and inf are refused everywhere, never computed with and reported as a
result (issue 14). Each test failed before the fix: the NaN model loaded and evaluated to
"loss nan, accuracy 9.80%" with exit 0, predict printed "0 (0 nan%)", 1e39 became inf."""

import numpy as np
import pytest

import dl101
from dl101 import Dl101Error

from clitools import run_cli
from faults import cli, copy_run, one_line_error


def _poison(folder, value, name="A2"):
    arrays = dict(np.load(folder / "model.npz"))
    arrays[name].flat[0] = value
    np.savez(folder / "model.npz", **arrays)


@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf])
def test_a_saved_model_with_non_finite_weights_is_refused_by_evaluate_and_predict(
        digits_run, tmp_path, value, capsys):
    run = copy_run(digits_run, tmp_path)
    _poison(run, value)
    code, out, err = cli(capsys, "evaluate", run)
    assert code == 2 and "accuracy" not in out
    one_line_error(err, "evaluate", "model.npz", "A2 holds 1 NaN or infinite values")
    image = tmp_path / "digit.png"
    _digit_png(image, 8)
    code, out, err = cli(capsys, "predict", run, image)
    assert code == 2 and out == ""
    one_line_error(err, "predict", "model.npz", "NaN or infinite")


def test_predict_refuses_outputs_that_overflow_to_nan(tmp_path):
    """Finite weights, but so large that z overflows to inf and softmax gives NaN: the old
    output was '0  (0 nan%, ...)' with exit status 0."""
    model = dl101.MLP([784, 10], output="softmax", seed=0)
    model.layers[0].A[...] = 3e38
    model.layers[0].A[:, 0] = -3e38
    dl101.save_model(model, tmp_path)
    image = tmp_path / "digit.png"
    _digit_png(image, 28)
    result = run_cli("predict", tmp_path, image)
    assert result.returncode == 2 and result.stdout == ""
    one_line_error(result.stderr, "predict", "NaN or infinite", "overflow")


def test_evaluate_refuses_a_model_whose_outputs_are_nan():
    model = dl101.MLP([4, 3], seed=0)
    model.layers[0].A[...] = 3e38
    model.layers[0].A[:, 0] = -3e38
    with pytest.raises(Dl101Error, match="the model's output holds 6 NaN or infinite values"):
        dl101.evaluate(model, np.ones((2, 4)), [0, 1])


def test_from_torch_refuses_nan_weights():
    torch = pytest.importorskip("torch")
    module = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.Softmax(dim=1))
    with torch.no_grad():
        module[0].bias[1] = float("nan")
    with pytest.raises(Dl101Error, match=r"layer 1's b1 holds 1 NaN or infinite values"):
        dl101.export.from_torch(module)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_from_sklearn_refuses_infinite_weights():
    from sklearn.neural_network import MLPClassifier
    x = np.random.default_rng(0).normal(size=(30, 3))
    clf = MLPClassifier((4,), max_iter=5).fit(x, np.arange(30) % 3)
    clf.coefs_[1][0, 0] = np.inf
    with pytest.raises(Dl101Error, match=r"layer 2's A2 holds 1 NaN or infinite values"):
        dl101.export.from_sklearn(clf)


def test_save_model_refuses_nan_weights_and_leaves_the_saved_model_as_it_was(tmp_path):
    good = dl101.MLP([4, 3, 2], seed=0)
    dl101.save_model(good, tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    bad = dl101.MLP([4, 3, 2], seed=1)
    bad.theta[5] = np.nan
    with pytest.raises(Dl101Error, match="refusing to save weights that compute nothing"):
        dl101.save_model(bad, tmp_path)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


@pytest.mark.parametrize("call", ["evaluate", "predict", "fit"])
def test_inputs_that_overflow_float32_are_refused(call):
    """A float64 1e39 is finite but becomes inf in a float32 model: evaluate reported the share
    of class 0 as the accuracy, fit blamed the learning rate."""
    model = dl101.MLP([4, 3], seed=0)
    x = np.ones((6, 4))
    x[2, 1] = 1e39
    y = np.arange(6) % 3
    run = {"evaluate": lambda: dl101.evaluate(model, x, y), "predict": lambda: model.predict(x),
           "fit": lambda: dl101.fit(model, x, y, epochs=1, batch_size=2)}[call]
    with pytest.raises(Dl101Error, match=r"x holds values up to 1e\+39, beyond the range of float32"):
        run()
    assert dl101.evaluate(model.astype("float64"), x, y).loss >= 0  # float64 holds 1e39: computed


def _digit_png(path, side):
    from PIL import Image
    pixels = np.zeros((side, side), np.uint8)
    pixels[side // 4:-side // 4, side // 2 - 1:side // 2 + 1] = 255  # a "1"
    Image.fromarray(pixels).save(path)


def test_predict_refuses_to_read_classes_from_nan_outputs():
    """predict_proba shows the NaN; predict turned it into class 0 for every row."""
    model = dl101.MLP([4, 3], seed=0)
    model.theta[0] = np.nan  # a training that diverged, in memory
    with pytest.raises(Dl101Error, match="the model's output holds 6 NaN or infinite values; no class"):
        model.predict(np.ones((2, 4)))


@pytest.mark.parametrize("export", ["to_torch", "onnx_model"])
def test_exporting_a_nan_model_is_refused(export):
    pytest.importorskip("torch" if export == "to_torch" else "onnx")
    model = dl101.MLP([4, 3], seed=0)
    model.theta[2] = np.inf
    with pytest.raises(Dl101Error, match="the model to export holds 1 NaN or infinite values"):
        getattr(dl101.export, export)(model)
