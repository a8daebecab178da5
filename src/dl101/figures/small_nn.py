"""The lecture's "2D classification for small Neural Network": one hidden layer of k units on a
2D problem, its decision boundary as the network grows (k = 1, 2, 4, 8, 32) and as it trains."""

from __future__ import annotations

from matplotlib.figure import Figure

from ..callbacks import Callback
from ..mlp import MLP
from ..train import fit
from .ai_family import split_problem
from .regions import draw_regions

GROWTH = (1, 2, 4, 8, 32)
SNAPSHOTS = (0, 5, 20, 100, 400)


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
    return {"problem": problem, "x_test": x_test, "y_test": y_test, "grown": grown, "model": model,
            "saved": saved, "growth_accuracy": {k: _accuracy(net, x_test, y_test) for k, net in grown.items()},
            "training_accuracy": training_accuracy}


def small_nn_figure(problem="circles", seed=0, results=None) -> Figure:
    """Top row: k hidden units for k in 1..32 after training. Bottom row: k = 32 after 0..400 epochs
    (``results``: those of :func:`small_nn_results`, else computed here)."""
    r = results or small_nn_results(problem, seed)
    x_test, y_test, model = r["x_test"], r["y_test"], r["model"]
    fig = Figure(figsize=(3.2 * len(r["grown"]), 6.8), layout="constrained")
    top, bottom = fig.subplots(2, len(r["grown"]))
    for ax, (k, net) in zip(top, r["grown"].items()):
        draw_regions(ax, lambda p, net=net: net.predict_proba(p)[:, 1], x_test, y_test,
                     title=f"2-{k}-2, trained", accuracy=r["growth_accuracy"][k])
    for ax, (epoch, theta) in zip(bottom, sorted(r["saved"].items())):
        model.theta[...] = theta
        draw_regions(ax, lambda p: model.predict_proba(p)[:, 1], x_test, y_test,
                     title=f"2-{max(r['grown'])}-2 after {epoch} epochs", accuracy=r["training_accuracy"][epoch])
    top[0].set_ylabel("as it grows", fontsize=12)
    bottom[0].set_ylabel("as it trains", fontsize=12)
    fig.suptitle(f"A small neural network on {r['problem']}: one hidden layer of tanh units", fontsize=14)
    return fig
