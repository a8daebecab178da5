"""The lecture's "2D classification for small Neural Network": one hidden layer of k units on a
2D problem, its decision boundary as the network grows (k = 1, 2, 4, 8, 32) and as it trains."""

from __future__ import annotations

from matplotlib.figure import Figure

from .regions import draw_regions

GROWTH = (1, 2, 4, 8, 32)
SNAPSHOTS = (0, 5, 20, 100, 400)


def small_nn_figure(r) -> Figure:
    """Top row: k hidden units for k in 1..32 after training. Bottom row: k = 32 after 0..400 epochs.
    ``r``: the results small_nn_results in jobs/toy_models.py trains."""
    x_test, y_test, model = r["x_test"], r["y_test"], r["model"]
    fig = Figure(figsize=(3.2 * len(r["grown"]), 6.8), layout="constrained")
    top, bottom = fig.subplots(2, len(r["grown"]))
    for ax, (k, net) in zip(top, r["grown"].items()):
        draw_regions(ax, lambda p, net=net: net.predict_proba(p)[:, 1], x_test, y_test,
                     title=f"2-{k}-2, trained", accuracy=r["growth_accuracy"][k])
    for ax, (epoch, theta) in zip(bottom, sorted(r["saved"].items())):
        model.theta[...] = theta
        draw_regions(ax, lambda p: model.predict_proba(p)[:, 1], x_test, y_test,
                     title=f"2-{max(r['grown'])}-2 after {epoch} epochs",
                     accuracy=r["training_accuracy"][epoch])
    top[0].set_ylabel("as it grows", fontsize=12)
    bottom[0].set_ylabel("as it trains", fontsize=12)
    fig.suptitle(f"A small neural network on {r['problem']}: one hidden layer of tanh units", fontsize=14)
    return fig
