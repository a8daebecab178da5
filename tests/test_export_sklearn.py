"""scikit-learn's MLPs opened in dl101: the same probabilities, to float64 rounding."""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier, MLPRegressor

import dl101
from dl101.export import from_sklearn
from dl101.export.sklearn_interop import SKLEARN_ACTIVATIONS


def fitted(estimator, x, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # a few iterations are enough here
        return estimator.fit(x, y)


def mlp(activation="relu", **options):
    return MLPClassifier(hidden_layer_sizes=(16, 8), activation=activation, max_iter=30, random_state=0, **options)


@pytest.mark.parametrize("activation", ["identity", "logistic", "tanh", "relu"])
def test_multiclass_probabilities_equal_dl101s(activation, digits):
    x, y, x_test, _ = digits
    estimator = fitted(mlp(activation), x.astype(np.float64), y)
    model = from_sklearn(estimator)
    assert model.dtype == np.float64 and model.widths == [64, 16, 8, 10]
    assert [l.sigma.name for l in model.layers] == [SKLEARN_ACTIVATIONS[activation]] * 2 + ["softmax"]
    assert np.abs(model.predict_proba(x_test) - estimator.predict_proba(x_test)).max() < 1e-12
    np.testing.assert_array_equal(estimator.classes_[model.predict(x_test)], estimator.predict(x_test))


def test_binary_is_one_sigmoid_unit_the_probability_of_the_second_class(digits):
    x, y, x_test, _ = digits
    estimator = fitted(mlp("tanh"), x.astype(np.float64), y % 2)
    model = from_sklearn(estimator)
    assert model.widths[-1] == 1 and model.layers[-1].sigma.name == "sigmoid"
    p = model.predict_proba(x_test)
    assert p.shape == (len(x_test), 1)  # scikit-learn's predict_proba has two columns: [1 - p, p]
    assert np.abs(p[:, 0] - estimator.predict_proba(x_test)[:, 1]).max() < 1e-12
    np.testing.assert_array_equal((p[:, 0] > 0.5).astype(int), estimator.predict(x_test))


def test_multilabel_is_one_sigmoid_per_label(digits):
    x, y, x_test, _ = digits
    labels = np.stack([y % 2, y > 4, y == 0], axis=1).astype(int)
    estimator = fitted(mlp("relu"), x.astype(np.float64), labels)
    model = from_sklearn(estimator)
    assert model.widths[-1] == 3 and model.layers[-1].sigma.name == "sigmoid"
    assert np.abs(model.predict_proba(x_test) - estimator.predict_proba(x_test)).max() < 1e-12


def test_regressor_has_a_linear_output(digits):
    x, y, x_test, _ = digits
    estimator = fitted(MLPRegressor(hidden_layer_sizes=(16,), max_iter=30, random_state=0),
                       x.astype(np.float64), y)
    model = from_sklearn(estimator)
    assert model.layers[-1].sigma.name == "linear"
    assert np.abs(model.predict_proba(x_test)[:, 0] - estimator.predict(x_test)).max() < 1e-12


def test_a_poisson_regressor_s_exp_output_is_refused(digits):
    if "loss" not in MLPRegressor().get_params():
        pytest.skip("this scikit-learn has no Poisson MLPRegressor")
    x, y, _, _ = digits
    estimator = fitted(MLPRegressor(hidden_layer_sizes=(4,), loss="poisson", max_iter=5), x, y)
    with pytest.raises(dl101.Dl101Error, match="unknown scikit-learn activation 'exp'; valid names"):
        from_sklearn(estimator)


def test_float32_fit_gives_a_float32_model(digits):
    x, y, x_test, _ = digits
    estimator = fitted(mlp(), x, y)  # digits fixture is float32; scikit-learn keeps it
    model = from_sklearn(estimator)
    assert model.dtype == estimator.coefs_[0].dtype
    assert np.abs(model.predict_proba(x_test) - estimator.predict_proba(x_test)).max() < 1e-6


def test_scikit_learn_to_dl101_to_torch(digits):
    torch = pytest.importorskip("torch")
    from dl101.export import to_torch
    x, y, x_test, _ = digits
    estimator = fitted(mlp(), x.astype(np.float64), y)
    with torch.no_grad():
        p = to_torch(from_sklearn(estimator))(torch.from_numpy(x_test.astype(np.float64))).numpy()
    assert np.abs(p - estimator.predict_proba(x_test)).max() < 1e-12


@pytest.mark.parametrize("estimator, message", [
    (mlp(), "this MLPClassifier is not fitted yet: call .fit"),
    (LogisticRegression(), "reads a fitted MLPClassifier or MLPRegressor, got LogisticRegression"),
])
def test_what_is_not_a_fitted_mlp_raises(estimator, message):
    with pytest.raises(dl101.Dl101Error, match=message):
        from_sklearn(estimator)
