"""PyTorch autograd as an independent oracle: same weights, same batch -> same loss and gradients;
100 optimiser steps -> the same weights as torch.optim."""

import numpy as np
import pytest
import torch

import dl101
from dl101 import MLP

from oracle import torch_gradients, torch_loss, torch_params

HIDDEN = ["linear", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "swish"]


def rel_err(a, b):
    """‖a - b‖ / ‖b‖, per parameter: robust where single entries are near 0."""
    return np.linalg.norm(np.asarray(a, np.float64) - b) / max(np.linalg.norm(b), 1e-300)


def dl101_gradients(model, x, y, loss):
    value = model.loss_backward(x, y, loss)
    return value, [grad.copy() for _, _, grad in model.parameters()]


@pytest.mark.parametrize("dtype, tol", [("float64", 1e-10), ("float32", 1e-5)])
def test_lecture_network_loss_and_gradients_match_autograd(dtype, tol):
    model = MLP([784, 64, 32, 10], "relu", "softmax", seed=0, dtype=dtype)
    rng = np.random.default_rng(0)
    x, y = rng.uniform(0, 1, size=(64, 784)).astype(dtype), rng.integers(0, 10, 64)
    value, grads = dl101_gradients(model, x, y, "cross_entropy")
    t_value, t_grads = torch_gradients(model, x, y, "cross_entropy")
    assert abs(value - t_value) <= tol * abs(t_value)
    for (name, _, _), g, t in zip(model.parameters(), grads, t_grads):
        assert rel_err(g, t) <= tol, name


def random_architecture(seed):
    """A seeded random network: 1 to 4 hidden layers of random widths and activations."""
    rng = np.random.default_rng(seed)
    depth = int(rng.integers(1, 5))
    widths = [int(w) for w in rng.integers(2, 12, depth + 2)]
    hidden = [dl101.activations.get(h, **({"alpha": float(rng.uniform(0.05, 0.9))}
                                         if h in ("leaky_relu", "elu") else {}))
              for h in rng.choice(HIDDEN, depth)]
    output, loss = [("softmax", "cross_entropy"), ("linear", "mse"), ("sigmoid", "mse"),
                    ("sigmoid", "cross_entropy")][seed % 4]
    return widths, hidden, output, loss


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("dtype, tol", [("float64", 1e-10), ("float32", 1e-5)])
def test_random_architectures_match_autograd(seed, dtype, tol):
    widths, hidden, output, loss = random_architecture(seed)
    model = MLP(widths, hidden, output, init="torch", seed=seed, dtype=dtype)
    rng = np.random.default_rng(100 + seed)
    x = rng.normal(size=(13, widths[0])).astype(dtype)
    y = rng.integers(0, widths[-1], 13) if loss == "cross_entropy" else \
        rng.normal(size=(13, widths[-1])).astype(dtype)
    value, grads = dl101_gradients(model, x, y, loss)
    t_value, t_grads = torch_gradients(model, x, y, loss)
    assert abs(value - t_value) <= tol * abs(t_value)
    for (name, _, _), g, t in zip(model.parameters(), grads, t_grads):
        assert rel_err(g, t) <= tol, (name, widths, hidden, output)


def test_every_activation_appears_in_the_random_architectures():
    seen = {h.name for seed in range(12) for h in random_architecture(seed)[1]}
    assert seen == set(HIDDEN)


OPTIMISERS = [
    ("sgd", {}, lambda p, lr: torch.optim.SGD(p, lr=lr)),
    ("momentum", {}, lambda p, lr: torch.optim.SGD(p, lr=lr, momentum=0.9)),
    ("nesterov", {}, lambda p, lr: torch.optim.SGD(p, lr=lr, momentum=0.9, nesterov=True)),
    ("adam", {}, lambda p, lr: torch.optim.Adam(p, lr=lr)),
    ("adam", {"beta1": 0.8, "beta2": 0.99, "eps": 1e-6},
     lambda p, lr: torch.optim.Adam(p, lr=lr, betas=(0.8, 0.99), eps=1e-6)),
]


@pytest.mark.parametrize("name, options, make_torch", OPTIMISERS, ids=lambda v: v if isinstance(v, str) else "")
def test_hundred_steps_give_the_weights_torch_optim_gives(name, options, make_torch):
    lr = 0.001 if name == "adam" else 0.05
    model = MLP([20, 16, 12, 5], ["tanh", "relu"], "softmax", init="torch", seed=1)
    params = torch_params(model)
    start = model.layers[0].A.copy()
    opt = dl101.optim.get(name, model.parameters(), lr, **options)
    t_opt = make_torch(params, lr)
    rng = np.random.default_rng(2)
    for step in range(100):
        x, y = rng.normal(size=(8, 20)).astype(np.float32), rng.integers(0, 5, 8)
        model.loss_backward(x, y)
        opt.step()
        t_opt.zero_grad()
        torch_loss(model, params, x, y, "cross_entropy").backward()
        t_opt.step()
    for (pname, theta, _), t in zip(model.parameters(), params):
        np.testing.assert_allclose(theta, t.detach().numpy(), rtol=1e-5, atol=1e-5, err_msg=pname)
    assert np.abs(model.layers[0].A - start).max() > 100 * 1e-5  # the weights did move, far more than the tolerance
