"""Back-propagation: one network worked by hand, central differences on deep mixed networks,
and the mini-batch gradient as the mean of single-sample gradients."""

import numpy as np
import pytest

import dl101
from dl101 import MLP

HIDDEN_SETS = [  # every hidden activation, three per 4-layer network
    ["sigmoid", "tanh", "relu"],
    ["leaky_relu", "elu", "swish"],
    ["linear", "tanh", "elu"],
]
OUTPUTS = [("softmax", "cross_entropy"), ("linear", "mse"), ("sigmoid", "mse"), ("tanh", "mse"),
           ("sigmoid", "cross_entropy")]


def test_tiny_network_worked_by_hand():
    # x_0 = (1, 2); layer 1: A_1 = [[1, -1], [0.5, 1]], b_1 = 0, ReLU; layer 2: A_2 = [[1], [-2]],
    # b_2 = 0.5, linear; loss (x_2 - y)² with y = 1.
    # Forward:  z_1 = x_0 A_1 = (1·1 + 2·0.5, 1·(-1) + 2·1) = (2, 1);  x_1 = ReLU(z_1) = (2, 1)
    #           x_2 = x_1 A_2 + b_2 = 2·1 + 1·(-2) + 0.5 = 0.5;      l = (0.5 - 1)² = 0.25
    # Backward: ∂l/∂x_2 = 2 (x_2 - y) = -1  (linear: ∂l/∂z_2 = -1)
    #           ∂l/∂A_2 = x_1ᵀ ∂l/∂z_2 = (-2, -1)ᵀ,  ∂l/∂b_2 = -1
    #           ∂l/∂x_1 = ∂l/∂z_2 A_2ᵀ = (-1, 2);  both z_1 > 0, so ∂l/∂z_1 = (-1, 2)
    #           ∂l/∂A_1 = x_0ᵀ ∂l/∂z_1 = [[-1, 2], [-2, 4]],  ∂l/∂b_1 = (-1, 2)
    #           ∂l/∂x_0 = ∂l/∂z_1 A_1ᵀ = (-1·1 + 2·(-1), -1·0.5 + 2·1) = (-3, 1.5)
    model = MLP.from_arrays([(np.array([[1, -1], [0.5, 1]]), np.zeros(2)),
                             (np.array([[1.0], [-2.0]]), np.array([0.5]))], ["relu", "linear"], "float64")
    value, dl_dx0 = model.loss_backward(np.array([[1.0, 2.0]]), np.array([[1.0]]), "mse", input_grad=True)
    assert value == 0.25
    grads = {name: grad for name, _, grad in model.parameters()}
    np.testing.assert_array_equal(grads["A2"], [[-2], [-1]])
    np.testing.assert_array_equal(grads["b2"], [-1])
    np.testing.assert_array_equal(grads["A1"], [[-1, 2], [-2, 4]])
    np.testing.assert_array_equal(grads["b1"], [-1, 2])
    np.testing.assert_array_equal(dl_dx0, [[-3, 1.5]])
    np.testing.assert_array_equal(model.latents[1], [[2, 1]])


def batch_away_from_kinks(model, x, margin=1e-4):
    """Assert no pre-activation of the batch lies within ``margin`` of 0, where ReLU, leaky ReLU and
    ELU switch formula: a central difference of step 1e-6 then never straddles a kink, and the
    comparison tests the derivative itself rather than a subgradient convention."""
    model = model.astype("float64")
    model.forward(x)
    closest = min(np.abs(layer.z).min() for layer in model.layers)
    assert closest > margin, f"pre-activation {closest:g} too close to a kink: pick another seed"


@pytest.mark.parametrize("hidden", HIDDEN_SETS, ids="-".join)
@pytest.mark.parametrize("output, loss", OUTPUTS, ids=lambda v: v)
def test_four_layer_networks_with_every_activation_pass_central_differences(hidden, output, loss):
    rng = np.random.default_rng(3)
    model = MLP([6, 9, 7, 5, 4], [dl101.activations.get(h) for h in hidden], output, seed=4)
    x = rng.normal(size=(11, 6))
    y = rng.integers(0, 4, 11) if loss == "cross_entropy" else rng.normal(size=(11, 4))
    batch_away_from_kinks(model, x)
    report = dl101.gradcheck(model, x, y, loss, max_entries=10_000)
    assert report.passed and report.max_relative_error <= 1e-6, str(report)
    assert sum(r.checked for r in report.rows) == model.n_parameters  # every entry checked


def test_leaky_relu_and_elu_with_non_default_alpha_pass_central_differences():
    act = dl101.activations
    model = MLP([5, 8, 8, 3], [act.get("leaky_relu", alpha=0.3), act.get("elu", alpha=0.4)], seed=5)
    x, y = np.random.default_rng(5).normal(size=(9, 5)), np.arange(9) % 3
    batch_away_from_kinks(model, x)
    assert dl101.gradcheck(model, x, y).max_relative_error <= 1e-6


def test_gradcheck_catches_a_wrong_derivative():
    wrong = dl101.activations.Activation("tanh_bad", np.tanh, lambda z, x: 1 - x)  # should be 1 - x²
    model = MLP([4, 5, 3], [wrong], seed=0)
    x, y = np.random.default_rng(0).normal(size=(6, 4)), np.arange(6) % 3
    report = dl101.gradcheck(model, x, y)
    assert not report.passed and "FAILED" in str(report)
    assert report.rows[0].relative_error > 1e-2 and report.rows[-1].relative_error < 1e-6  # A1 wrong, b2 right


def test_lecture_network_passes_gradcheck_and_model_is_untouched():
    model = MLP([784, 64, 32, 10], "relu", "softmax", seed=0)
    before = [theta.copy() for _, theta, _ in model.parameters()]
    rng = np.random.default_rng(7)
    x, y = rng.uniform(0, 1, size=(8, 784)), rng.integers(0, 10, 8)
    batch_away_from_kinks(model, x, margin=1e-5)
    report = dl101.gradcheck(model, x, y, max_entries=60)
    assert report.passed, str(report)
    assert [r.name for r in report.rows] == ["A1", "b1", "A2", "b2", "A3", "b3"]
    for (_, theta, _), old in zip(model.parameters(), before):
        np.testing.assert_array_equal(theta, old)


@pytest.mark.parametrize("loss, output", [("cross_entropy", "softmax"), ("mse", "linear")])
def test_mini_batch_gradient_is_the_mean_of_single_sample_gradients(loss, output):
    rng = np.random.default_rng(8)
    model = MLP([5, 6, 3], "tanh", output, seed=1, dtype="float64")
    x = rng.normal(size=(7, 5))
    y = rng.integers(0, 3, 7) if loss == "cross_entropy" else rng.normal(size=(7, 3))
    model.loss_backward(x, y, loss)
    batch = [grad.copy() for _, _, grad in model.parameters()]
    singles = []
    for i in range(7):  # the lecture's b = 1: one sample at a time
        model.loss_backward(x[i:i + 1], y[i:i + 1], loss)
        singles.append([grad.copy() for _, _, grad in model.parameters()])
    for k, g in enumerate(batch):
        np.testing.assert_allclose(g, np.mean([s[k] for s in singles], axis=0), rtol=1e-12, atol=1e-15)


def test_input_gradient_matches_central_differences():
    model = MLP([4, 6, 3], "swish", seed=2, dtype="float64")
    rng = np.random.default_rng(9)
    x, y = rng.normal(size=(3, 4)), np.array([0, 2, 1])
    _, dl_dx0 = model.loss_backward(x, y, input_grad=True)
    ce = dl101.losses.get("cross_entropy")
    numeric = dl101.gradcheck.__globals__["numeric_gradient"](
        lambda: ce.f(model.forward(x), y), x, np.arange(x.size))
    np.testing.assert_allclose(dl_dx0.ravel(), numeric, rtol=1e-7, atol=1e-10)
