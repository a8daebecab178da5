"""The small networks the lecture's first figures show, trained by the engine: the AI-family grid's
models, the growing 2-k-2 network, the universal approximation fits. Each ``*_results`` function
returns what its figure (in :mod:`dl101.figures`) draws, so tests can check the numbers."""

from __future__ import annotations

import numpy as np

from .. import activations
from ..callbacks import Callback
from ..figures.ai_family import FAMILIES, HAND_RULES, PROBLEMS, split_problem
from ..figures.small_nn import GROWTH, SNAPSHOTS
from ..figures.uat import SQUARE, WIDTHS, target
from ..mlp import MLP
from ..train import fit


def train_family(family, problem, x, y, seed=0):
    """A function points -> probability of class 1 for this family on this problem."""
    if family.features is None:
        return lambda points: HAND_RULES[problem](points).astype(float)
    phi = family.features(x.astype(np.float64))
    mean, std = phi.mean(0), phi.std(0) + 1e-12  # standardised, so one learning rate suits all
    model = MLP([phi.shape[1], *family.hidden, 2], "tanh", "softmax", seed=seed)
    fit(model, (phi - mean) / std, y, epochs=family.epochs, batch_size=32, lr=0.01,
        optimizer="adam", seed=seed, verbose=0)
    return lambda points: model.predict_proba((family.features(points) - mean) / std)[:, 1]


def ai_family_results(seed=0, problems=PROBLEMS, families=FAMILIES):
    """{(problem, family title): (test accuracy, probability function, the data)}."""
    results = {}
    for problem in problems:
        x, y, x_test, y_test = split_problem(problem, seed)
        for family in families:
            proba = train_family(family, problem, x, y, seed)
            accuracy = float(((proba(x_test) > 0.5) == y_test).mean())
            results[problem, family.title] = (accuracy, proba, (x, y, x_test, y_test))
    return results


class Snapshots(Callback):
    """Keeps a copy of the weights θ after the chosen epochs."""

    def __init__(self, model, epochs):
        self.model, self.epochs, self.saved = model, set(epochs), {}

    def on_epoch_end(self, epoch, logs):
        if epoch in self.epochs:
            self.saved[epoch] = self.model.theta.copy()


def train_small_nn(k, x, y, epochs=400, seed=0, snapshot_epochs=()):
    """A 2-k-2 tanh network trained by Adam; returns it and its weight snapshots (epoch 0 = init)."""
    model = MLP([2, k, 2], "tanh", "softmax", seed=seed)
    snapshots = Snapshots(model, snapshot_epochs)
    snapshots.saved[0] = model.theta.copy()
    fit(model, x, y, epochs=epochs, batch_size=32, lr=0.02, optimizer="adam", seed=seed,
        callbacks=[snapshots], verbose=0)
    return model, snapshots.saved


def _accuracy(model, x, y):
    return float((model.predict(x) == y).mean())


def small_nn_results(problem="circles", seed=0, growth=GROWTH, snapshots=SNAPSHOTS):
    """What the figure shows: the test data, the networks as the hidden layer grows
    (``grown``) and the widest one's weights after each of ``snapshots`` epochs (``saved``, in
    ``model``), with their test accuracies (``growth_accuracy``, ``training_accuracy``)."""
    x, y, x_test, y_test = split_problem(problem, seed)
    grown = {k: train_small_nn(k, x, y, seed=seed)[0] for k in growth}
    model, saved = train_small_nn(max(growth), x, y, epochs=max(snapshots), seed=seed,
                                  snapshot_epochs=snapshots)
    training_accuracy = {}
    for epoch, theta in sorted(saved.items()):
        model.theta[...] = theta
        training_accuracy[epoch] = _accuracy(model, x_test, y_test)
    growth_accuracy = {k: _accuracy(net, x_test, y_test) for k, net in grown.items()}
    return {"problem": problem, "x_test": x_test, "y_test": y_test, "grown": grown, "model": model,
            "saved": saved, "growth_accuracy": growth_accuracy, "training_accuracy": training_accuracy}


def fit_uat(sigma, k, seed=0, steps=2000, n=256):
    """g with ``k`` hidden units of ``sigma`` fitted to :func:`target`; returns the model and its
    sup-norm error on a fine grid.

    Plain gradient descent from a random start gets stuck here (ReLU units whose kinks all sit
    near 0 die), so the fit starts where the theorem's proofs do: each hidden unit placed at its
    own point of the interval (A random, b = -A c for centres c evenly spread over [-1, 1]), the best
    output layer C for those features by least squares (the output is linear in C), and then
    Adam on every parameter with the engine's back-propagation.
    """
    rng = np.random.default_rng(seed)
    x = np.linspace(-1, 1, n)[:, None]
    y = target(x)
    model = MLP([1, k, 1], sigma, "linear", seed=seed, dtype="float64")
    hidden, out = model.layers
    hidden.A[...] = rng.choice([-1, 1], k) * rng.uniform(1, 2 + k, k)          # (1, k)
    hidden.b[...] = -hidden.A[0] * np.linspace(-1, 1, k + 2)[1:-1]              # (k,) centres
    features = np.hstack([hidden.sigma.f(x @ hidden.A + hidden.b), np.ones((n, 1))])  # (n, k + 1)
    solution = np.linalg.lstsq(features, y, rcond=None)[0]                      # (k + 1, 1)
    out.A[...], out.b[...] = solution[:-1], solution[-1]
    # divergence=None: the figure shows what Adam makes of every σ, and for the polynomial z² (whose
    # features grow as z² does) the loss may grow from the least-squares start: the theorem's point
    fit(model, x, y, loss="mse", optimizer="adam", lr=0.003, epochs=steps, batch_size=n, seed=seed,
        verbose=0, divergence=None)
    grid = np.linspace(-1, 1, 2001)[:, None]
    return model, float(np.abs(model.forward(grid) - target(grid)).max())


def uat_results(seed=0, widths=WIDTHS):
    """What the figure shows: ``{"errors": {σ name: [sup error for each k]}, "fits": {k: g on
    the grid}}``, the fits being tanh's, for σ = tanh, ReLU and z²."""
    grid = np.linspace(-1, 1, 2001)[:, None]
    errors, fits = {}, {}
    for sigma in ("tanh", "relu", SQUARE):
        name = activations.get(sigma).name
        errors[name] = []
        for k in widths:
            model, error = fit_uat(sigma, k, seed)
            errors[name].append(error)
            if name == "tanh":
                fits[k] = model.forward(grid)[:, 0]
    return {"errors": errors, "fits": fits}
