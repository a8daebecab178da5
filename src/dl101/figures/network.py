"""The network drawn as the lecture draws it, for one input: neurons as circles, one edge per weight
[A_i]_{m,k} from x_{i-1}^m to x_i^k, red where A > 0 and blue where A < 0, each edge as opaque as
the previous neuron x_{i-1}^m is active (|x_{i-1}^m| divided by the largest of its layer).

The input x_0 is drawn as the digit image on the left, and the first layer's edges start at the
centres of its pixels, under the image, so they seem to leave it on its right. Only the pixels
that are not zero get edges: a background pixel's would be fully transparent anyway (x_0^m = 0),
and leaving them out keeps the figure to a few thousand lines (one LineCollection per layer).

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


def neuron_positions(widths):
    """(x, y) of each neuron of layers 1..L: one column per layer, evenly spaced and centred, the
    widest layer spanning y in [-1, 1], neuron 1 on top as in the lecture."""
    gap = 2 / max(max(widths[1:]) - 1, 1)
    return [(np.full(k, FIRST_COLUMN + i * COLUMN_GAP), ((k - 1) / 2 - np.arange(k)) * gap)
            for i, k in enumerate(widths[1:])]


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
    """Layer i's edges: a segment from each drawn neuron m of x_{i-1} (``starts``: the indices
    drawn, and the points of all) to each neuron k of x_i, coloured by the sign of [A_i]_{m,k}.
    Returns ``{"m", "k", "rgba", "segments"}``, one row per edge."""
    m_drawn, (x0, y0) = starts
    x1, y1 = ends
    m, k = np.meshgrid(m_drawn, np.arange(layer.A.shape[1]), indexing="ij")
    m, k = m.ravel(), k.ravel()                                                  # one per edge
    segments = np.stack([np.column_stack([x0[m], y0[m]]), np.column_stack([x1[k], y1[k]])], axis=1)
    colours = np.where((layer.A[m, k] > 0)[:, None], to_rgb(POSITIVE), to_rgb(NEGATIVE))
    alpha = edge_alpha(x_prev, m, None if flow is None else flow[m, k], opacity)
    return {"m": m, "k": k, "rgba": np.column_stack([colours, alpha]), "segments": segments}


def edges(model, x0, image_shape, flows=None):
    """``{layer i: {"m", "k", "rgba", "segments"}}``: every edge :func:`draw_network` draws for
    the one input ``x0`` (``flows`` as there). Runs the forward pass."""
    model.forward(np.asarray(x0).reshape(1, -1))
    latents = [x[0] for x in model.latents]
    flows = flows or {}
    previous, found = (np.flatnonzero(latents[0]), pixel_centres(image_shape)), {}
    for i, (layer, ends) in enumerate(zip(model.layers, neuron_positions(model.widths)), 1):
        opacity = INPUT_OPACITY if i == 1 else 1.0
        found[i] = layer_edges(layer, latents[i - 1], previous, ends, flows.get(i), opacity)
        previous = (np.arange(len(ends[0])), ends)
    return found


def draw_network(ax, model, x0, image_shape, class_names, flows=None):
    """Draw ``model`` on ``ax`` in the state of its forward pass for the one input ``x0``;
    ``flows`` ({layer i: (k_{i-1}, k_i) array}) highlights the edges back-propagation runs through.
    Returns the output x_L."""
    drawn = edges(model, x0, image_shape, flows)
    x_L, latents = model.latents[-1][0], [x[0] for x in model.latents]
    for i, (layer, (x, y)) in enumerate(zip(model.layers, neuron_positions(model.widths)), 1):
        ax.add_collection(LineCollection(drawn[i]["segments"], colors=drawn[i]["rgba"], zorder=1,
                                         linewidths=0.4 if i == 1 else 1.4))
        size = np.abs(latents[i])  # the neuron's grey: how active it is, as for its edges' opacity
        ax.scatter(x, y, s=110, c=size / size.max() if size.max() > 0 else size, cmap="Greys", vmin=0, vmax=1.25, edgecolors="black",
                   linewidths=1, zorder=3)
        ax.text(x[0], -1.17, f"$x_{i}$: {len(x)} {NAMES.get(layer.sigma.name, layer.sigma.name)}",
                ha="center", va="top", fontsize=11)
        previous = (np.arange(len(x)), (x, y))
    for name, p, x, y in zip(class_names, x_L, *previous[1]):
        ax.text(x + 0.15, y, f"{name}: {p:.0%}", va="center", fontsize=11)
    ax.imshow(np.reshape(x0, image_shape), cmap="gray_r", vmin=0, vmax=1, zorder=2,
              extent=(0, IMAGE_RIGHT, -1, 1))
    ax.add_patch(Rectangle((0, -1), IMAGE_RIGHT, 2, fill=False, edgecolor="grey", lw=0.8, zorder=2))
    ax.text(IMAGE_RIGHT / 2, -1.17, f"$x_0$: {np.prod(image_shape)} pixels", ha="center", va="top",
            fontsize=11)
    ax.set(xlim=(-0.05, previous[1][0][0] + 0.9), ylim=(-1.35, 1.1), aspect="equal")
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
