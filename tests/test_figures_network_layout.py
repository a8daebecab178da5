"""The network drawing stays legible for any width: wide layers are elided with a mark, and no two
labels overlap (the lecture's 784-64-32-10 used to pile its ten output labels on one another)."""

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

import dl101
from dl101.figures import network


def digit(n, seed=0):
    return np.random.default_rng(seed).random(n) * (np.random.default_rng(1).random(n) > 0.8)


def drawn(widths, seed=0):
    model = dl101.MLP(widths, "relu", "softmax", seed=seed)
    fig = network.network_figure(model, digit(widths[0], seed), (28, 28), [str(d) for d in range(widths[-1])])
    FigureCanvasAgg(fig).draw()
    return model, fig


def boxes(fig, texts):
    renderer = fig.canvas.get_renderer()
    return [t.get_window_extent(renderer) for t in texts]


@pytest.mark.parametrize("widths", [[784, 64, 32, 10], [784, 16, 8, 4], [784, 300, 100, 10],
                                    [784, 10, 10]])
def test_no_two_labels_overlap(widths):
    _, fig = drawn(widths)
    texts = [t for t in fig.axes[0].texts if t.get_text()]
    found = boxes(fig, texts)
    for a in range(len(found)):
        for b in range(a):
            assert not found[a].overlaps(found[b]), (texts[a].get_text(), texts[b].get_text())


def test_wide_layers_are_elided_with_a_mark_and_their_edges_follow():
    model, fig = drawn([784, 64, 32, 10])
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts.count("⋮") == 2 and "+49" in texts and "+17" in texts  # 15 of 64, 15 of 32 drawn
    assert [f"{d}: " in " ".join(texts) for d in range(10)] == [True] * 10  # all ten outputs
    edges = network.edges(model, digit(784), (28, 28))
    drawn_64, _ = network.drawn_neurons(64)
    drawn_32, _ = network.drawn_neurons(32)
    assert sorted(zip(edges[2]["m"], edges[2]["k"])) == [(a, b) for a in drawn_64 for b in drawn_32]
    assert sorted(zip(edges[3]["m"], edges[3]["k"])) == [(a, b) for a in drawn_32 for b in range(10)]
    assert set(edges[1]["k"]) == set(drawn_64) and np.isfinite(edges[1]["segments"]).all()
    circles = [c for c in fig.axes[0].collections if type(c).__name__ == "PathCollection"]
    assert [len(c.get_offsets()) for c in circles] == [15, 15, 10]


def test_drawn_neurons_keep_the_first_and_last():
    drawn_, mark = network.drawn_neurons(64)
    assert len(drawn_) == network.SLOTS - 1 and mark == network.SLOTS // 2
    assert drawn_[:mark].tolist() == list(range(mark)) and drawn_[-1] == 63
    assert network.drawn_neurons(network.SLOTS) == (pytest.approx(np.arange(network.SLOTS)), None)
