"""The network drawn as the lecture draws it, for one input: neurons as circles, one edge per weight
[A_i]_{m,k} from x_{i-1}^m to x_i^k, red where A > 0 and blue where A < 0, each edge as opaque as
the previous neuron x_{i-1}^m is active (|x_{i-1}^m| divided by the largest of its layer).

The input x_0 is drawn as the digit image on the left, and the first layer's edges start at the
centres of its pixels, under the image, so they seem to leave it on its right. Only the pixels
that are not zero get edges: a background pixel's would be fully transparent anyway (x_0^m = 0),
and leaving them out keeps the figure to a few thousand lines (one LineCollection per layer).
A 2D (or 1D) input, ``image_shape=None``, is drawn as the lecture draws x_0 of a small network:
k_0 neurons in a column, each with its value, its edges like any layer's.

A layer wider than :data:`SLOTS` circles is drawn elided, as one writes a long vector: its first
and last neurons, with a "⋮ +n" mark between them for the n not drawn (and no edges to them); the
lecture's 784-64-32-10 shows 15 of its 64 and 32 neurons and all ten outputs, each label legible.

:func:`edges` computes what is drawn (each edge's weight indices, colour, opacity and segment),
so it can be checked against the model; :func:`draw_network` draws it.
"""

from __future__ import annotations

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from .style import NEGATIVE, POSITIVE

IMAGE_RIGHT, FIRST_COLUMN, COLUMN_GAP = 2.0, 3.2, 1.4  # the image spans x in [0, 2], y in [-1, 1]
FADED = 0.05  # the opacity of edges outside a highlight (back-propagation frames)
INPUT_OPACITY = 0.2  # the first layer's edges, thousands of them, at most this opaque: the digit's
                     # strokes are nearly all 1, so at full opacity they would merge into one block
NAMES = {"relu": "ReLU", "leaky_relu": "leaky ReLU", "elu": "ELU"}  # how the lecture writes them
SLOTS = 16  # circles a column holds with legible labels beside them; a wider layer is elided


def drawn_neurons(k, slots=SLOTS):
    """(the indices of the neurons of a layer of width ``k`` that are drawn, the slot of the "⋮"
    mark or None): all of them if they fit in ``slots``, else the first and the last ones.

    >>> drawn_neurons(4)
    (array([0, 1, 2, 3]), None)
    >>> drawn_neurons(64, slots=6)
    (array([ 0,  1,  2, 62, 63]), 3)
    """
    if k <= slots:
        return np.arange(k), None
    first = slots // 2  # neurons above the mark, which takes a slot; the rest below it
    return np.r_[np.arange(first), np.arange(k - (slots - 1 - first), k)], first


def neuron_positions(widths, slots=SLOTS, inputs=False):
    """Of each layer 1..L (0..L with ``inputs``, x_0 one column left of x_1): (indices drawn, x
    and y of every neuron, NaN where not drawn, (x, y) of the "⋮" mark or None). One column per
    layer, evenly spaced and centred, the fullest column spanning y in [-1, 1], neuron 1 on top as
    in the lecture."""
    shown = widths if inputs else widths[1:]
    gap = 2 / max(min(max(shown), slots) - 1, 1)
    first = FIRST_COLUMN - COLUMN_GAP if inputs else FIRST_COLUMN
    layers = []
    for i, k in enumerate(shown):
        drawn, mark = drawn_neurons(k, slots)
        n_slots = len(drawn) + (mark is not None)
        slot_y = ((n_slots - 1) / 2 - np.arange(n_slots)) * gap
        y = np.full(k, np.nan)
        y[drawn] = np.delete(slot_y, mark) if mark is not None else slot_y
        x = np.full(k, first + i * COLUMN_GAP)
        layers.append((drawn, x, y, None if mark is None else (x[0], slot_y[mark])))
    return layers


def pixel_centres(image_shape):
    """(x, y) of the centre of each pixel of the image drawn on [0, 2] x [-1, 1], row-major."""
    rows, cols = image_shape
    r, c = np.divmod(np.arange(rows * cols), cols)
    return (c + 0.5) * IMAGE_RIGHT / cols, 1 - (r + 0.5) * 2 / rows


def edge_alpha(x_prev, m, flow=None, opacity=1.0):
    """Opacity of the edges from neurons ``m`` of x_{i-1}: ``opacity`` times the activation's size
    over the layer's largest (for ReLU and pixels, the activation itself). With ``flow`` (a back-propagation highlight, one value per edge),
    ``opacity`` times 0.25 to 1 by the share of the layer's largest flow on the edges it flows
    through, and times ``FADED`` on the others."""
    if flow is not None:
        top = flow.max()
        return opacity * np.where(flow > 0, 0.25 + 0.75 * flow / (top if top > 0 else 1), FADED)
    size = np.abs(x_prev)  # a tanh neuron at -1 is as active as one at 1
    top = size.max()
    return opacity * size[m] / top if top > 0 else np.zeros(len(m))


def layer_edges(layer, x_prev, starts, ends, flow=None, opacity=1.0):
    """Layer i's edges: a segment from each drawn neuron m of x_{i-1} to each drawn neuron k of x_i
    (``starts``, ``ends``: the indices drawn, and the points of all), coloured by the sign of
    [A_i]_{m,k}. Returns ``{"m", "k", "rgba", "segments"}``, one row per edge."""
    m_drawn, (x0, y0) = starts
    k_drawn, (x1, y1) = ends
    m, k = np.meshgrid(m_drawn, k_drawn, indexing="ij")
    m, k = m.ravel(), k.ravel()                                                  # one per edge
    segments = np.stack([np.column_stack([x0[m], y0[m]]), np.column_stack([x1[k], y1[k]])], axis=1)
    colours = np.where((layer.A[m, k] > 0)[:, None], to_rgb(POSITIVE), to_rgb(NEGATIVE))
    alpha = edge_alpha(x_prev, m, None if flow is None else flow[m, k], opacity)
    return {"m": m, "k": k, "rgba": np.column_stack([colours, alpha]), "segments": segments}


def columns(model, image_shape):
    """The neuron positions of layers 1..L, and where the first layer's edges start: the pixels
    that are not zero (an image), or the k_0 input neurons (``image_shape`` None)."""
    if image_shape is None:
        inputs, *layers = neuron_positions(model.widths, inputs=True)
        return layers, lambda x0: (inputs[0], inputs[1:3])
    return neuron_positions(model.widths), lambda x0: (np.flatnonzero(x0), pixel_centres(image_shape))


def edges(model, x0, image_shape, flows=None):
    """``{layer i: {"m", "k", "rgba", "segments"}}``: every edge :func:`draw_network` draws for
    the one input ``x0`` (``flows`` as there; ``image_shape`` None for inputs drawn as neurons).
    Runs the forward pass."""
    model.forward(np.asarray(x0).reshape(1, -1))
    latents = [x[0] for x in model.latents]
    flows = flows or {}
    layers, starts = columns(model, image_shape)
    previous, found = starts(latents[0]), {}
    for i, (layer, (drawn, x, y, _)) in enumerate(zip(model.layers, layers), 1):
        opacity = INPUT_OPACITY if i == 1 and image_shape is not None else 1.0
        found[i] = layer_edges(layer, latents[i - 1], previous, (drawn, (x, y)), flows.get(i), opacity)
        previous = (drawn, (x, y))
    return found


def draw_neurons(ax, x, y, shown, values):
    """The circles of one layer, each as grey as the neuron is active (as its edges are opaque)."""
    size = np.abs(values)
    grey = size / size.max() if size.max() > 0 else size
    ax.scatter(x[shown], y[shown], s=110, c=grey[shown], cmap="Greys", vmin=0, vmax=1.25,
               edgecolors="black", linewidths=1, zorder=3)


def draw_inputs(ax, widths, x0, image_shape):
    """x_0 on the left: the image, or k_0 neurons with their values. Returns the left edge."""
    if image_shape is not None:
        ax.imshow(np.reshape(x0, image_shape), cmap="gray_r", vmin=0, vmax=1, zorder=2,
                  extent=(0, IMAGE_RIGHT, -1, 1))
        ax.add_patch(Rectangle((0, -1), IMAGE_RIGHT, 2, fill=False, edgecolor="grey", lw=0.8, zorder=2))
        ax.text(IMAGE_RIGHT / 2, -1.17, f"$x_0$: {np.prod(image_shape)} pixels", ha="center",
                va="top", fontsize=11)
        return -0.05
    shown, x, y, _ = neuron_positions(widths, inputs=True)[0]
    draw_neurons(ax, x, y, shown, x0)
    for m in shown:
        ax.text(x[m] - 0.15, y[m], f"$x_0^{m + 1}$ = {x0[m]:.2f}", ha="right", va="center", fontsize=11)
    ax.text(x[0], -1.17, f"$x_0$: {len(x)} input{'s' if len(x) > 1 else ''}", ha="center",
            va="top", fontsize=11)
    return x[0] - 1.3


def draw_network(ax, model, x0, image_shape, class_names, flows=None):
    """Draw ``model`` on ``ax`` in the state of its forward pass for the one input ``x0`` (an image
    of ``image_shape``, or with ``image_shape`` None inputs drawn as neurons); ``flows`` ({layer i:
    (k_{i-1}, k_i) array}) highlights the edges back-propagation runs through. Returns x_L."""
    drawn = edges(model, x0, image_shape, flows)
    x_L, latents = model.latents[-1][0], [x[0] for x in model.latents]
    for i, (layer, (shown, x, y, mark)) in enumerate(zip(model.layers, columns(model, image_shape)[0]), 1):
        thin = i == 1 and image_shape is not None  # thousands of edges from the pixels
        ax.add_collection(LineCollection(drawn[i]["segments"], colors=drawn[i]["rgba"], zorder=1,
                                         linewidths=0.4 if thin else 1.4))
        draw_neurons(ax, x, y, shown, latents[i])
        if mark is not None:
            ax.text(*mark, "⋮", ha="center", va="center", fontsize=14, zorder=3)
            ax.text(mark[0] + 0.12, mark[1], f"+{len(x) - len(shown)}", ha="left", va="center",
                    fontsize=9, color="dimgrey", zorder=3)
        ax.text(x[0], -1.17, f"$x_{i}$: {len(x)} {NAMES.get(layer.sigma.name, layer.sigma.name)}",
                ha="center", va="top", fontsize=11)
        previous = (shown, (x, y))
    softmax = model.layers[-1].sigma.name == "softmax"  # probabilities, else a value such as g(x)
    for k in previous[0]:
        value = f"{x_L[k]:.0%}" if softmax else f"{x_L[k]:.3g}"
        ax.text(previous[1][0][k] + 0.15, previous[1][1][k], f"{class_names[k]}: {value}",
                va="center", fontsize=11)
    left = draw_inputs(ax, model.widths, latents[0], image_shape)
    ax.set(xlim=(left, previous[1][0][0] + 0.9), ylim=(-1.35, 1.1), aspect="equal")
    ax.axis("off")
    return x_L


def legend(ax):
    ax.legend(handles=[Line2D([], [], color=POSITIVE, lw=2, label="$A > 0$"),
                       Line2D([], [], color=NEGATIVE, lw=2, label="$A < 0$")],
              loc="upper right", fontsize=11, frameon=False)


def network_figure(model, x0, image_shape, class_names, flows=None, title=None, subtitle=None) -> Figure:
    """The network for the input ``x0``, as the lecture draws it (see the module's docstring)."""
    fig = Figure(figsize=(11, 4.9), layout="constrained")
    ax = fig.subplots()
    draw_network(ax, model, x0, image_shape, class_names, flows)
    legend(ax)
    widths = "-".join(map(str, model.widths))
    fig.suptitle(title or f"The {widths} network on a test digit: red A > 0, blue A < 0, "
                          f"opacity ∝ the previous neuron's activation", fontsize=12)
    if subtitle:
        ax.set_title(subtitle, fontsize=12)
    return fig
