"""Bad input: every documented mistake raises Dl101Error naming the argument, what was expected
and what was given."""

import numpy as np
import pytest

import dl101
from dl101 import MLP, Dl101Error

from clitools import run_cli

X = np.random.default_rng(0).normal(size=(10, 4)).astype(np.float32)
Y = np.arange(10) % 3


def fit(**overrides):
    args = {"x": X, "y": Y, "epochs": 1, "batch_size": 5}
    args.update(overrides)
    return dl101.fit(MLP([4, 5, 3]), args.pop("x"), args.pop("y"), **args)


@pytest.mark.parametrize("overrides, message", [
    ({"x": X[:, :3]}, r"x has 3 features per sample but the model expects 4: shape \(10, 3\)"),
    ({"x": X.ravel()}, r"x must be 2D \(samples, features\), got shape \(40,\).*reshape"),
    ({"x": X[None]}, r"x must be 2D .* got shape \(1, 10, 4\)"),
    ({"x": np.where(X > 0.5, np.nan, X)}, r"x contains \d+ NaN or infinite values"),
    ({"x": np.full((10, 4), np.inf)}, r"x contains 40 NaN or infinite values"),
    ({"x": np.zeros((0, 4)), "y": np.zeros(0, int)}, r"x is empty: shape \(0, 4\)"),
    ({"x": [["a", "b", "c", "d"]] * 10}, "x must hold numbers, got dtype <U1"),
    ({"y": Y[:7]}, "y has 7 labels but the inputs have 10 samples"),
    ({"y": Y + 1}, r"y must lie in \[0, 2\] for a model with 3 outputs, got values from 1 to 3"),
    ({"y": Y - 1}, r"y must lie in \[0, 2\] .* got values from -1 to 1"),
    ({"y": Y + 0.5}, "y must be whole numbers .* such as 0.5"),
    ({"y": Y.astype(str)}, "y must be integer class indices, got dtype <U"),
    ({"y": np.ones((10, 3))}, "y looks one-hot .* but a row is not a single 1"),
    ({"y": np.ones((10, 2))}, r"y must be integer labels of shape \(10,\) or one-hot of shape \(10, 3\)"),
    ({"batch_size": 0}, "batch_size must be an integer >= 1, got 0"),
    ({"batch_size": 2.5}, "batch_size must be an integer >= 1, got 2.5"),
    ({"batch_size": 11}, "batch_size 11 is larger than the 10 training samples"),
    ({"epochs": 0}, "epochs must be an integer >= 1, got 0"),
    ({"lr": 0}, r"lr \(the learning rate λ\) must be a finite number > 0, got 0"),
    ({"lr": -0.1}, "must be a finite number > 0, got -0.1"),
    ({"lr": float("nan")}, "must be a finite number > 0, got nan"),
    ({"optimizer": "sdg"}, "unknown optimiser 'sdg'; valid names: adam, momentum, nesterov, sgd .did you mean 'sgd'"),
    ({"loss": "hinge"}, "unknown loss 'hinge'; valid names: cross_entropy, mse"),
    ({"validation_data": (X[:, :2], Y)}, "validation x has 2 features per sample but the model expects 4"),
])
def test_fit_rejects_bad_input_clearly(overrides, message):
    with pytest.raises(Dl101Error, match=message):
        fit(**overrides)


@pytest.mark.parametrize("make, message", [
    (lambda: MLP([4, 5, 3], "rleu"), "unknown activation 'rleu'; valid names: elu, leaky_relu, linear, relu"),
    (lambda: MLP([4, 5, 3], output="softmx"), "unknown activation 'softmx'.*did you mean 'softmax'"),
    (lambda: MLP([4, 5, 3], init="xavier"), "unknown initialiser 'xavier'; valid names: auto, glorot, he, torch"),
    (lambda: MLP([4, 5, 3], dtype="float16"), "unknown dtype 'float16'; valid names: float32, float64"),
    (lambda: MLP([4]), "widths must list at least an input and an output size"),
    (lambda: MLP([4, 0, 3]), r"each >= 1, e.g. \[784, 64, 32, 10\]; got \[4, 0, 3\]"),
    (lambda: MLP([4, 5, 5, 3], ["relu"]), "activation lists 1 names but widths .* have 2 hidden layers"),
    (lambda: dl101.optim.get("sgd", [], lr=0.1, momentum=1.5), r"momentum must be in \[0, 1\)"),
    (lambda: dl101.optim.get("sgd", [], lr=0.1, nesterov=True), "nesterov=True needs a momentum > 0"),
    (lambda: dl101.optim.get("adam", [], lr=0.1, beta1=1.0), r"beta1 must be in \[0, 1\)"),
])
def test_construction_rejects_unknown_names_and_impossible_settings(make, message):
    with pytest.raises(Dl101Error, match=message):
        make()


def test_prediction_and_evaluation_check_their_input():
    model = MLP([4, 5, 3])
    with pytest.raises(Dl101Error, match="x has 5 features per sample but the model expects 4"):
        model.predict(np.zeros((2, 5)))
    with pytest.raises(Dl101Error, match="x contains 1 NaN"):
        dl101.evaluate(model, np.array([[0, 0, 0, np.nan]]), [0])
    with pytest.raises(Dl101Error, match="y must lie in"):
        dl101.gradcheck(model, np.zeros((1, 4)), [3])


def test_errors_are_value_errors_for_code_written_for_numpy():
    assert issubclass(Dl101Error, ValueError)


def test_cli_gradcheck_reports_every_parameter_and_passes():
    result = run_cli("gradcheck", "--widths", "5", "7", "3", "--activation", "elu", "--samples", "4")
    assert result.returncode == 0, result.stderr
    for name in ("A1", "b1", "A2", "b2"):
        assert f"\n{name} " in result.stdout
    assert "PASSED: largest relative error" in result.stdout
    assert result.stdout.startswith("checked in float64, on a float64 copy of MLP([5, 7, 3]")
    assert "float32" not in result.stdout  # the header once said float32, checking in float64


def test_cli_errors_are_one_line_without_traceback_unless_debug():
    result = run_cli("gradcheck", "--activation", "rleu")
    assert result.returncode == 2
    assert result.stderr.strip() == ("dl101 gradcheck: error: unknown activation 'rleu'; valid names: "
                                     "elu, leaky_relu, linear, relu, sigmoid, softmax, swish, tanh "
                                     "(did you mean 'relu'?)")
    debug = run_cli("gradcheck", "--activation", "rleu", "--debug")
    assert debug.returncode != 0 and "Traceback" in debug.stderr


def test_a_single_output_cannot_be_trained_with_cross_entropy_but_predicts_classes():
    model = MLP([4, 3, 1], "tanh", "sigmoid")
    with pytest.raises(Dl101Error, match="cross-entropy needs one output per class"):
        dl101.fit(model, X, Y % 2, epochs=1, batch_size=5)
    proba = model.predict_proba(X)
    np.testing.assert_array_equal(model.predict(X), (proba[:, 0] > 0.5).astype(int))


def test_one_custom_activation_pair_serves_every_hidden_layer():
    pair = (np.tanh, lambda z, x: 1 - x * x)
    model = MLP([4, 5, 5, 3], pair)
    assert [layer.sigma.name for layer in model.layers] == ["custom:tanh", "custom:tanh", "softmax"]
