"""Representation learning, seen: MNIST test digits at layer 0 (the pixels), layer 1 and layer 2 of
the trained 784-64-32-10 network, each embedded in 2D and coloured by class. The classes, mixed
in pixel space, separate as the layers go deeper; and the first layer's weights, one 28×28 image
per neuron, show the strokes that layer learned to look for.

The latents are the x_i the forward pass keeps (``model.latents``), not a re-implementation. The
2D map is t-SNE (scikit-learn, seeded, after PCA to 50 dimensions, as usual, where a layer is
wider), or PCA with ``method="pca"``. How well the classes separate in each map is measured, not
only seen: the 5-nearest-neighbour accuracy (5-fold cross-validated) and the silhouette score
(from -1 to 1, higher when each class is a compact, separate cluster), both in the 2D map.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from .style import CLASS_COLOURS

METHODS = {"tsne": "t-SNE", "pca": "PCA"}


def embed(z, method="tsne", seed=0):
    """A 2D map of the rows of ``z``: t-SNE (after PCA to 50 dimensions if wider) or PCA."""
    from sklearn.decomposition import PCA
    from sklearn.manifold import TSNE
    z = np.asarray(z, np.float64)
    if method == "pca":
        return PCA(2, random_state=seed).fit_transform(z)
    if method not in METHODS:
        raise ValueError(f"method must be one of {list(METHODS)}, got {method!r}")
    if z.shape[1] > 50:
        z = PCA(50, random_state=seed).fit_transform(z)
    # 500 iterations, not scikit-learn's 1000: the maps and their scores hardly change, in half the time
    return TSNE(2, init="pca", max_iter=500, random_state=seed).fit_transform(z)


def separation(points, y, k=5, seed=0):
    """How well the classes ``y`` separate in the map ``points``: {"knn": k-NN accuracy,
    cross-validated over 5 stratified folds, "silhouette": the silhouette score}."""
    from sklearn.metrics import silhouette_score
    from sklearn.model_selection import StratifiedKFold, cross_val_score
    from sklearn.neighbors import KNeighborsClassifier
    folds = StratifiedKFold(5, shuffle=True, random_state=seed)
    knn = cross_val_score(KNeighborsClassifier(k), points, y, cv=folds).mean()
    return {"knn": float(knn), "silhouette": float(silhouette_score(points, y))}


def layer_maps(model, x, y, method="tsne", seed=0):
    """{layer i: (2D map, separation)} for the input and each hidden layer's latents x_i."""
    model.forward(x)
    maps = {}
    for i, z in enumerate(model.latents[:-1]):  # x_0 ... x_{L-1}: the output is the prediction
        points = embed(z, method, seed)
        maps[i] = (points, separation(points, y, seed=seed))
    return maps


def representations(model, x, y, method="tsne", n=2000, seed=0):
    """What the figure shows: ``n`` of the digits ``x`` picked with ``seed``, their ``labels``
    and their ``maps`` ({layer i: (2D map, separation)}, as :func:`layer_maps`)."""
    pick = np.sort(np.random.default_rng(seed).choice(len(x), min(n, len(x)), replace=False))
    return {"labels": y[pick], "maps": layer_maps(model, x[pick], y[pick], method, seed), "method": method}


def representations_figure(model, x, y, class_names, method="tsne", n=2000, seed=0, results=None) -> Figure:
    """One panel per layer: ``n`` of the digits ``x`` (picked with ``seed``) mapped to 2D
    (``results``: those of :func:`representations`, else computed here)."""
    results = results or representations(model, x, y, method, n, seed)
    y, maps, method = results["labels"], results["maps"], results["method"]
    fig = Figure(figsize=(5 * len(maps), 5.6), layout="constrained")
    colours = np.array(CLASS_COLOURS)[y % len(CLASS_COLOURS)]
    for ax, (i, (points, sep)) in zip(np.atleast_1d(fig.subplots(1, len(maps))), maps.items()):
        ax.scatter(points[:, 0], points[:, 1], c=colours, s=5, alpha=0.8, linewidths=0)
        ax.set_title(f"Layer {i}: $x_{i}$, {model.widths[i]} {'pixels' if i == 0 else 'neurons'}\n"
                     f"5-NN accuracy {sep['knn']:.1%}, silhouette {sep['silhouette']:.2f}", fontsize=12)
        ax.set(xticks=[], yticks=[], xlabel=f"{METHODS[method]} 1", ylabel=f"{METHODS[method]} 2")
    handles = [Line2D([], [], ls="", marker="o", color=CLASS_COLOURS[c % len(CLASS_COLOURS)], label=name)
               for c, name in enumerate(class_names)]
    fig.legend(handles=handles, loc="outside right center", title="class", fontsize=11)
    fig.suptitle(f"{len(y)} MNIST test digits through the {'-'.join(map(str, model.widths))} network: "
                 f"the classes separate with depth", fontsize=14)
    return fig


def first_layer_weights(model, image_shape, columns=8) -> Figure:
    """Each first-layer neuron's weights [A_1]_{:,k} as an image: red positive, blue negative."""
    A = model.layers[0].A                                    # (pixels, k_1)
    k = A.shape[1]
    rows = -(-k // columns)
    fig = Figure(figsize=(1.4 * columns + 1, 1.4 * rows + 0.8), layout="constrained")
    axes = np.atleast_1d(fig.subplots(rows, columns)).ravel()
    vmax = np.abs(A).max()
    for j, ax in enumerate(axes):
        ax.axis("off")
        if j < k:
            image = ax.imshow(A[:, j].reshape(image_shape), cmap="RdBu_r", vmin=-vmax, vmax=vmax)
            ax.set_title(f"$x_1^{{{j + 1}}}$", fontsize=9)
    fig.colorbar(image, ax=axes.tolist(), shrink=0.6, label="weight $[A_1]_{m,k}$")
    fig.suptitle(f"The first layer's {k} neurons: their weights as {image_shape[0]}×{image_shape[1]} "
                 f"images (red > 0, blue < 0)", fontsize=13)
    return fig
