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
    """Test accuracies as the hidden layer grows and, for the widest, as training goes on."""
    x, y, x_test, y_test = split_problem(problem, seed)
    grown = {k: train_small_nn(k, x, y, seed=seed)[0] for k in growth}
    model, saved = train_small_nn(max(growth), x, y, epochs=max(snapshots), seed=seed,
                                  snapshot_epochs=snapshots)
    return x_test, y_test, grown, model, saved


def small_nn_figure(problem="circles", seed=0) -> Figure:
    """Top row: k hidden units for k in 1..32 after training. Bottom row: k = 32 after 0..400 epochs."""
    x_test, y_test, grown, model, saved = small_nn_results(problem, seed)
    fig = Figure(figsize=(3.2 * len(GROWTH), 6.8), layout="constrained")
    top, bottom = fig.subplots(2, len(GROWTH))
    fig.growth_accuracy, fig.training_accuracy = {}, {}
    for ax, (k, net) in zip(top, grown.items()):
        fig.growth_accuracy[k] = _accuracy(net, x_test, y_test)
        draw_regions(ax, lambda p, net=net: net.predict_proba(p)[:, 1], x_test, y_test,
                     title=f"2-{k}-2, trained", accuracy=fig.growth_accuracy[k])
    for ax, (epoch, theta) in zip(bottom, sorted(saved.items())):
        model.theta[...] = theta
        fig.training_accuracy[epoch] = _accuracy(model, x_test, y_test)
        draw_regions(ax, lambda p: model.predict_proba(p)[:, 1], x_test, y_test,
                     title=f"2-{max(GROWTH)}-2 after {epoch} epochs", accuracy=fig.training_accuracy[epoch])
    top[0].set_ylabel("as it grows", fontsize=12)
    bottom[0].set_ylabel("as it trains", fontsize=12)
    fig.suptitle(f"A small neural network on {problem}: one hidden layer of tanh units", fontsize=14)
    return fig
