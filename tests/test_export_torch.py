"""dl101 <-> PyTorch: the same function both ways, every activation, and clear refusals."""

import re

import numpy as np
import pytest

import dl101
from dl101 import activations
from dl101.export import from_torch, to_torch, torch_source
from dl101.export.torch_interop import NN_ACTIVATIONS

torch = pytest.importorskip("torch")
nn = torch.nn


def run_torch(module, x):
    with torch.no_grad():
        return module(torch.from_numpy(x)).numpy()


def inputs(n, k, dtype=np.float64):
    return (2 * np.random.default_rng(1).normal(size=(n, k))).astype(dtype)  # both signs, some large


def test_every_dl101_activation_has_a_torch_module():
    assert set(NN_ACTIVATIONS) == set(activations.ACTIVATIONS)


def test_to_torch_computes_what_dl101_computes(sigma):
    model = dl101.MLP([5, 8, 6, 4], sigma, sigma, seed=2, dtype="float64")  # σ hidden and output
    x = inputs(64, 5)
    assert np.abs(run_torch(to_torch(model), x) - model.forward(x)).max() < 1e-12


def test_dl101_to_torch_to_dl101_gives_back_the_same_model(sigma):
    model = dl101.MLP([5, 8, 6, 4], sigma, sigma, seed=2)
    back = from_torch(to_torch(model))
    assert back.dtype == model.dtype and back.widths == model.widths
    for ours, theirs in zip(model.layers, back.layers):
        np.testing.assert_array_equal(ours.A, theirs.A)
        np.testing.assert_array_equal(ours.b, theirs.b)
        assert (ours.sigma.name, ours.sigma.params) == (theirs.sigma.name, theirs.sigma.params)


def test_from_torch_computes_what_torch_computes(sigma):
    # Written on the PyTorch side, as a user would, from the one table of class names.
    cls, names = NN_ACTIVATIONS[sigma.name]
    options = {"dim": 1} if sigma.name == "softmax" else {}
    act = lambda: getattr(nn, cls)(**options, **{a: sigma.params[p] for p, a in names.items()})  # noqa: E731
    torch.manual_seed(0)
    module = nn.Sequential(nn.Linear(5, 8), act(), nn.Linear(8, 4), act()).double()
    model = from_torch(module)
    assert [l.sigma.name for l in model.layers] == [sigma.name] * 2
    x = inputs(64, 5)
    assert np.abs(model.forward(x) - run_torch(module, x)).max() < 1e-12


def test_trained_run_round_trips_through_torch(trained_run, digits, float32_tolerance):
    model = dl101.load_model(trained_run)
    x_test = digits[2]
    p = model.predict_proba(x_test)
    module = to_torch(model)
    assert np.abs(run_torch(module, x_test) - p).max() <= float32_tolerance(model, x_test)
    assert np.abs(from_torch(module).predict_proba(x_test) - p).max() == 0  # the same weights
    x64, model64 = x_test.astype(np.float64), model.astype("float64")  # float64: only the mapping
    assert np.abs(run_torch(to_torch(model64), x64) - model64.predict_proba(x64)).max() < 1e-12


def test_a_linear_without_activation_is_linear_and_extras_are_skipped():
    torch.manual_seed(0)
    module = nn.Sequential(nn.Flatten(), nn.Linear(6, 5, bias=False), nn.Linear(5, 4), nn.Dropout(0.5),
                           nn.ReLU(), nn.Linear(4, 3)).eval()
    model = from_torch(module)
    assert [l.sigma.name for l in model.layers] == ["linear", "relu", "linear"]
    np.testing.assert_array_equal(model.layers[0].b, np.zeros(5, np.float32))
    x = inputs(10, 6, np.float32)
    assert np.abs(model.forward(x) - run_torch(module, x)).max() < 1e-6


def test_logits_flag_drops_the_output_softmax_and_keeps_the_state_dict_keys(trained_run, digits,
                                                                           float32_tolerance):
    model = dl101.load_model(trained_run)
    x = digits[2][:50]
    probabilities, logits = to_torch(model), to_torch(model, logits=True)
    assert isinstance(logits[-1], nn.Identity)
    assert probabilities.state_dict().keys() == logits.state_dict().keys()
    z = run_torch(logits, x)
    p = torch.softmax(torch.from_numpy(z), 1).numpy()
    assert np.abs(p - model.predict_proba(x)).max() <= float32_tolerance(model, x)
    # One step of PyTorch training on the logits, then the weights go back into the other module.
    opt = torch.optim.SGD(logits.parameters(), lr=0.1)
    loss = nn.CrossEntropyLoss()(logits(torch.from_numpy(x)), torch.from_numpy(digits[3][:50]))
    loss.backward()
    opt.step()
    probabilities.load_state_dict(logits.state_dict())
    assert not np.allclose(from_torch(probabilities).layers[0].A, model.layers[0].A)
    assert from_torch(logits).layers[-1].sigma.name == "linear"


def test_to_torch_copies_the_weights():
    model = dl101.MLP([3, 2], "relu", "softmax")
    A = model.layers[0].A.copy()
    with torch.no_grad():
        to_torch(model)[0].weight.fill_(7)
    np.testing.assert_array_equal(model.layers[0].A, A)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_torch_source_rebuilds_the_module_without_dl101(dtype):
    model = dl101.MLP([6, 5, 4, 3], ["leaky_relu", "swish"], "softmax", dtype=dtype)
    module = eval(torch_source(model), {"nn": nn})
    module.load_state_dict(to_torch(model).state_dict())
    x = inputs(20, 6, model.dtype)
    assert np.abs(run_torch(module, x) - model.forward(x)).max() < 1e-6


def test_float64_weights_stay_float64_and_others_become_float32():
    assert from_torch(nn.Sequential(nn.Linear(3, 2).double())).dtype == np.float64
    assert from_torch(nn.Sequential(nn.Linear(3, 2).half())).dtype == np.float32


@pytest.mark.parametrize("module, message", [
    (nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU()), "cannot read module 0, Conv2d"),
    (nn.Sequential(nn.Linear(4, 3), nn.BatchNorm1d(3)), "cannot read module 1, BatchNorm1d"),
    (nn.Sequential(nn.Linear(4, 3), nn.LogSoftmax(dim=1)), "cannot read module 1, LogSoftmax"),
    (nn.Sequential(nn.Linear(4, 3), nn.Softmax(dim=0)), "dl101's softmax normalises each row"),
    (nn.Sequential(nn.ReLU(), nn.Linear(4, 3)), "module 0, ReLU(), follows no nn.Linear"),
    (nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Tanh()), "module 2, Tanh(), follows no nn.Linear"),
    (nn.Sequential(nn.Flatten(0)), "only Flatten(start_dim=1, end_dim=-1)"),
    (nn.Sequential(nn.Dropout()), "found no nn.Linear"),
    (nn.Linear(4, 3), "from_torch reads an nn.Sequential, got Linear"),
    (nn.Sequential(type("MyReLU", (nn.ReLU,), {})()), "cannot read module 0, MyReLU"),
])
def test_unsupported_modules_raise_the_documented_error(module, message):
    with pytest.raises(dl101.Dl101Error, match=re.escape(message)) as err:
        from_torch(module)
    if "cannot read" in message:  # the documented list of what is supported
        assert "dl101 reads nn.Linear layers, each followed by at most one of Identity, Sigmoid, " \
               "Tanh, ReLU, LeakyReLU, ELU, SiLU, Softmax (over dim=1); Dropout and Flatten are " \
               "skipped" in str(err.value)


def test_a_custom_activation_cannot_be_exported():
    model = dl101.MLP([3, 2], output=(np.sin, lambda z, x: np.cos(z)))
    with pytest.raises(dl101.Dl101Error, match="activation 'custom:sin' has no PyTorch module"):
        to_torch(model)


def test_missing_pytorch_names_the_extra(monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "torch", None)  # import torch now fails
    with pytest.raises(dl101.Dl101Error, match=r"to_torch needs PyTorch, which is not installed: pip install -e '[^']*\[torch\]'"):
        to_torch(dl101.MLP([3, 2]))
    with pytest.raises(dl101.Dl101Error, match=r"from_torch needs PyTorch"):
        from_torch(None)
