"""The eight activations: derivatives by central differences, the kinks, stability, PyTorch."""

import warnings

import numpy as np
import pytest
import torch

from dl101 import activations
from dl101.checks import Dl101Error

from oracle import TORCH_ACTIVATIONS

ELEMENTWISE = ["linear", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "swish"]
ALL = ELEMENTWISE + ["softmax"]
PARAMS = {"leaky_relu": {"alpha": 0.1}, "elu": {"alpha": 0.7}}


def sigma(name):
    return activations.get(name, **PARAMS.get(name, {}))


def away_from_kinks(rng, shape):
    """Random points at least 1e-3 from 0, where ReLU, leaky ReLU and ELU change formula, so that
    a central difference of step 1e-6 never straddles a kink."""
    z = rng.normal(0, 2, size=shape)
    return np.where(np.abs(z) < 1e-3, 1e-3 * np.sign(z) + (z == 0) * 1e-3, z)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_derivative_matches_central_differences(name):
    s, eps = sigma(name), 1e-6
    z = away_from_kinks(np.random.default_rng(0), 200)
    numeric = (s.f(z + eps) - s.f(z - eps)) / (2 * eps)
    np.testing.assert_allclose(s.df(z, s.f(z)), numeric, rtol=1e-7, atol=1e-9)


def test_softmax_backward_matches_central_differences_of_the_whole_jacobian():
    s, eps, rng = sigma("softmax"), 1e-6, np.random.default_rng(1)
    z, g = rng.normal(size=(4, 5)), rng.normal(size=(4, 5))  # g plays ∂l/∂x
    numeric = np.zeros_like(z)
    for idx in np.ndindex(z.shape):  # ∂<g, softmax(z)>/∂z by central differences
        dz = np.zeros_like(z)
        dz[idx] = eps
        numeric[idx] = ((g * s.f(z + dz)).sum() - (g * s.f(z - dz)).sum()) / (2 * eps)
    np.testing.assert_allclose(s.backward(g, z, s.f(z)), numeric, rtol=1e-7, atol=1e-10)
    jac = activations.softmax_jacobian(s.f(z))
    np.testing.assert_allclose(np.einsum("nk,nkj->nj", g, jac), numeric, rtol=1e-7, atol=1e-10)
    np.testing.assert_allclose(s.df(z, s.f(z)), np.diagonal(jac, axis1=1, axis2=2))


@pytest.mark.parametrize("name, left, right, at_zero", [
    ("relu", 0.0, 1.0, 0.0),          # PyTorch's convention: σ'(0) = 0
    ("leaky_relu", 0.1, 1.0, 0.1),    # max(αz, z): the α branch at 0, as PyTorch
    ("elu", 0.7, 1.0, 1.0),           # the lecture's "z if z >= 0" branch
])
def test_kinks_one_sided_derivatives_and_the_chosen_subgradient(name, left, right, at_zero):
    s, h = sigma(name), 1e-7
    zero = np.array([0.0])
    # the one-sided difference quotients at the kink are the two branches' slopes...
    assert (s.f(zero) - s.f(-zero - h))[0] / h == pytest.approx(left, rel=1e-6)
    assert (s.f(zero + h) - s.f(zero))[0] / h == pytest.approx(right, rel=1e-6)
    # ...a central difference would average them, which is why gradient checks keep away from 0;
    # at 0 itself dl101 uses one of them, documented in the activation's docstring.
    assert s.df(zero, s.f(zero))[0] == at_zero


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_stable_up_to_ten_thousand(name, dtype):
    s = sigma(name)
    z = np.array([[-1e4, -1e3, -50.0, -1.0, 0.0, 1.0, 50.0, 1e3, 1e4]], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an overflow or invalid-value warning fails the test
        with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow to 0 is fine
            x = s.f(z)
            dx = s.df(z, x)
            dz = s.backward(np.ones_like(z), z, x)
    for arr in (x, dx, dz):
        assert np.isfinite(arr).all() and arr.dtype == dtype
    if name == "sigmoid":
        assert x[0, 0] == 0 and x[0, -1] == 1
    if name == "softmax":
        assert x.sum() == pytest.approx(1) and x[0, -1] == pytest.approx(1)


@pytest.mark.parametrize("name", ALL)
def test_forward_and_backward_match_pytorch(name):
    s, rng = sigma(name), np.random.default_rng(2)
    z, g = rng.normal(0, 3, size=(6, 5)), rng.normal(size=(6, 5))
    zt = torch.tensor(z, requires_grad=True)
    xt = TORCH_ACTIVATIONS[name](zt, PARAMS.get(name, {}))
    xt.backward(torch.tensor(g))
    x = s.f(z)
    np.testing.assert_allclose(x, xt.detach().numpy(), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(s.backward(g, z, x), zt.grad.numpy(), rtol=1e-10, atol=1e-14)


def test_registry_accepts_names_objects_and_pairs():
    assert activations.get("ReLU").name == "relu"
    assert activations.get("leaky-relu", alpha=0.2).params == {"alpha": 0.2}
    assert activations.get(None).name == "linear"
    s = activations.get("tanh")
    assert activations.get(s) is s
    square = activations.get((lambda z: z * z, lambda z, x: 2 * z))
    assert square.backward(np.array([3.0]), np.array([2.0]), np.array([4.0]))[0] == 12.0


def test_registry_errors_list_the_valid_names():
    with pytest.raises(Dl101Error, match=r"unknown activation 'rel'.*relu, sigmoid.*did you mean 'relu'"):
        activations.get("rel")
    with pytest.raises(Dl101Error, match="takes no parameters"):
        activations.get("relu", alpha=0.1)
    with pytest.raises(Dl101Error, match=r"alpha must be in \[0, 1\)"):
        activations.get("leaky_relu", alpha=2)
    with pytest.raises(Dl101Error, match="alpha must be > 0"):
        activations.get("elu", alpha=0)
