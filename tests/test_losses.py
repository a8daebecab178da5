"""Losses: values by hand, gradients by central differences, the fused softmax + cross-entropy."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dl101 import activations, losses


def numeric_grad(f, x, eps=1e-6):
    g = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        d = np.zeros_like(x)
        d[idx] = eps
        g[idx] = (f(x + d) - f(x - d)) / (2 * eps)
    return g


def test_cross_entropy_by_hand_integer_and_one_hot_agree():
    p = np.array([[0.7, 0.2, 0.1], [0.25, 0.25, 0.5]])
    y = np.array([0, 2])
    expected = -(np.log(0.7) + np.log(0.5)) / 2      # the lecture's -1/N Σ_i Σ_j y_ij log ŷ_ij
    ce = losses.get("cross_entropy")
    assert ce.f(p, y) == pytest.approx(expected, rel=1e-15)
    assert ce.f(p, losses.one_hot(y, 3, np.float64)) == pytest.approx(expected, rel=1e-15)
    np.testing.assert_array_equal(ce.df(p, y), ce.df(p, losses.one_hot(y, 3, np.float64)))


@pytest.mark.parametrize("name", ["cross_entropy", "mse"])
def test_loss_gradient_matches_central_differences(name):
    rng, loss = np.random.default_rng(0), losses.get(name)
    if name == "cross_entropy":
        x, y = activations.get("softmax").f(rng.normal(size=(5, 4))), rng.integers(0, 4, 5)
    else:
        x, y = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    np.testing.assert_allclose(loss.df(x, y), numeric_grad(lambda v: loss.f(v, y), x), rtol=1e-7, atol=1e-10)


def test_mse_matches_pytorch():
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=(6, 2)), rng.normal(size=(6, 2))
    xt = torch.tensor(x, requires_grad=True)
    F.mse_loss(xt, torch.tensor(y)).backward()
    assert losses.mse(x, y) == pytest.approx(F.mse_loss(torch.tensor(x), torch.tensor(y)).item(), rel=1e-14)
    np.testing.assert_allclose(losses.mse_grad(x, y), xt.grad.numpy(), rtol=1e-14)


@pytest.mark.parametrize("labels", ["integer", "one-hot"])
def test_fused_softmax_cross_entropy_equals_the_general_path(labels):
    rng = np.random.default_rng(2)
    z = rng.normal(0, 3, size=(8, 5))
    y = rng.integers(0, 5, 8)
    y = losses.one_hot(y, 5, np.float64) if labels == "one-hot" else y
    softmax, ce = activations.get("softmax"), losses.get("cross_entropy")
    p = softmax.f(z)
    fused_value, fused_grad = losses.softmax_cross_entropy(z, p, y)
    # the general path: ∂l/∂p from the loss, then the product with the softmax Jacobian
    general_grad = softmax.backward(ce.df(p, y), z, p)
    assert fused_value == pytest.approx(ce.f(p, y), rel=1e-13)
    np.testing.assert_allclose(fused_grad, general_grad, rtol=1e-10, atol=1e-15)
    # and the documented closed form (p - y) / N
    np.testing.assert_allclose(fused_grad, (p - losses.one_hot(np.asarray(y).argmax(1) if y.ndim == 2 else y,
                                                                5, np.float64)) / 8, rtol=1e-12)
    # the model takes the fused path for this pair, the general one otherwise
    assert losses.output_error(ce, softmax, z, p, y)[0] == fused_value
    sig = activations.get("sigmoid")
    q = sig.f(z)
    value, dl_dz = losses.output_error(ce, sig, z, q, y)
    np.testing.assert_allclose(dl_dz, ce.df(q, y) * q * (1 - q))


def test_fused_loss_stays_finite_where_softmax_underflows():
    z = np.array([[0.0, 800.0]])                    # p[0] = e^-800 underflows to 0 in float64
    p = activations.get("softmax").f(z)
    value, grad = losses.softmax_cross_entropy(z, p, np.array([0]))
    assert value == pytest.approx(800.0)            # -log p_0 = 800, exactly, from the logits
    np.testing.assert_allclose(grad, [[-1.0, 1.0]])
    assert np.isfinite(losses.cross_entropy(p, np.array([0])))  # the plain path clips, no -inf


def test_unknown_loss_lists_the_valid_names():
    with pytest.raises(ValueError, match="unknown loss 'crossentropy'; valid names: cross_entropy, mse"):
        losses.get("crossentropy")
