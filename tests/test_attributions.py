"""Pixel attributions through the backward pass: the input gradient against central differences,
integrated gradients complete (they add up to f(x) - f(baseline)), a case worked by hand."""

import numpy as np
import pytest

import dl101
from dl101 import attributions


@pytest.fixture(scope="module")
def digits_model(digits):
    """A 64-32-16-10 ReLU network trained on the 8x8 digits, in float64 for exact comparisons."""
    x, y, _, _ = digits
    model = dl101.MLP([64, 32, 16, 10], "relu", "softmax", seed=0, dtype="float64")
    dl101.fit(model, x, y, epochs=15, lr=0.01, optimizer="adam", seed=0)
    return model


def test_input_gradient_matches_central_differences(digits_model, digits):
    x, c = digits[2][:3].astype(np.float64), np.array([0, 3, 7])
    grad = attributions.input_gradient(digits_model, x, c)
    eps = 1e-6
    for n in range(len(x)):
        numeric = np.empty(x.shape[1])
        for k in range(x.shape[1]):
            step = np.zeros_like(x[n:n + 1])
            step[0, k] = eps
            f = [attributions.outputs(digits_model, x[n:n + 1] + s * step, c[n:n + 1])[0] for s in (1, -1)]
            numeric[k] = (f[0] - f[1]) / (2 * eps)
        np.testing.assert_allclose(grad[n], numeric, atol=1e-7)


def test_gradient_times_input_is_the_gradient_times_the_pixels(digits_model, digits):
    x = digits[2][:4]
    c = digits_model.predict(x)
    np.testing.assert_allclose(attributions.gradient_times_input(digits_model, x, c),
                               x * attributions.input_gradient(digits_model, x, c))


def test_integrated_gradients_are_complete_within_one_percent(digits_model, digits):
    x = digits[2][:20]
    c = digits_model.predict(x)
    ig = attributions.integrated_gradients(digits_model, x, c)  # 128 steps
    assert attributions.completeness_error(digits_model, x, c, ig).max() < 0.01


def test_the_trapezoid_rule_converges_as_steps_grow(digits_model, digits):
    x = digits[2][:10]
    c = digits_model.predict(x)
    errors = []
    for steps in (2, 8, 64):
        ig = attributions.integrated_gradients(digits_model, x, c, steps=steps)
        errors.append(attributions.completeness_error(digits_model, x, c, ig).max())
    assert errors[0] > errors[1] > errors[2], errors


def test_integrated_gradients_from_another_baseline(digits_model, digits):
    x, baseline = digits[2][:5], digits[0].mean(axis=0)  # the mean training digit
    c = digits_model.predict(x)
    ig = attributions.integrated_gradients(digits_model, x, c, baseline=baseline)
    assert attributions.completeness_error(digits_model, x, c, ig, baseline=baseline).max() < 0.01


def test_a_linear_model_worked_by_hand():
    # f(x) = x A + b with A = [[2, -1], [3, 0.5]], b = [1, 0]: output 0 is 2 x1 + 3 x2 + 1, so
    # ∂f_0/∂x = (2, 3) everywhere. For x = (1, -2): gradient × input = (2, -6), and integrated
    # gradients from 0 are the same (the gradient is constant), summing to f_0(x) - f_0(0) = -4.
    model = dl101.MLP.from_arrays([(np.array([[2.0, -1.0], [3.0, 0.5]]), np.array([1.0, 0.0]))], ["linear"])
    x = np.array([[1.0, -2.0]])
    np.testing.assert_allclose(attributions.input_gradient(model, x, [0]), [[2, 3]])
    np.testing.assert_allclose(attributions.gradient_times_input(model, x, [0]), [[2, -6]])
    ig = attributions.integrated_gradients(model, x, [0], steps=3)
    np.testing.assert_allclose(ig, [[2, -6]])
    assert attributions.completeness_error(model, x, [0], ig)[0] == pytest.approx(0, abs=1e-12)
