"""Training curves, the confusion matrix and a grid of digits: the main job's pictures."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from .style import BLUE, VERMILLION


def training_curves(history, title="Training", val_label="validation") -> Figure:
    """Loss and accuracy per epoch, on the training data and on the validation data (labelled
    ``val_label``: the job validates on the test set), from a :class:`~dl101.train.History` or
    anything holding one as ``.history`` (a run)."""
    history = getattr(history, "history", history)
    fig = Figure(figsize=(10, 4), layout="constrained")
    epochs = np.arange(1, len(history.loss) + 1)
    for ax, metric, label in zip(fig.subplots(1, 2), ("loss", "accuracy"), ("cross-entropy", "accuracy")):
        for prefix, name, colour, marker in (("", "train", BLUE, "o"), ("val_", val_label, VERMILLION, "s")):
            values = getattr(history, prefix + metric)
            if values and values[0] is not None:
                values = np.array(values) * (100 if metric == "accuracy" else 1)
                ax.plot(epochs, values, marker=marker, color=colour, label=name)
        ax.set(xlabel="epoch", ylabel=label + (" (%)" if metric == "accuracy" else ""),
               title=f"{title}: {metric}")
        ax.grid(alpha=0.3)
        ax.legend()
    return fig


def confusion_matrix(y_true, y_pred, class_names, title="Confusion matrix (test set)") -> Figure:
    """Counts of (true class, predicted class), the diagonal being the correct predictions."""
    k = len(class_names)
    counts = np.zeros((k, k), dtype=int)
    np.add.at(counts, (y_true, y_pred), 1)
    fig = Figure(figsize=(6.5, 5.5), layout="constrained")
    ax = fig.subplots()
    image = ax.imshow(counts, cmap="viridis")
    fig.colorbar(image, ax=ax, label="test images")
    for i, j in np.ndindex(k, k):
        ax.text(j, i, counts[i, j], ha="center", va="center", fontsize=8,
                color="black" if counts[i, j] > counts.max() / 2 else "white")
    ax.set(xticks=range(k), yticks=range(k), xticklabels=class_names, yticklabels=class_names,
           xlabel="predicted class", ylabel="true class",
           title=f"{title}: accuracy {np.trace(counts) / counts.sum():.2%}")
    return fig


def digit_grid(images, titles, image_shape, columns=8, title="") -> Figure:
    """Images (n, pixels) in a grid, each with its title above it.

    The grid is one mosaic drawn in a single axes (a title band over each image), which renders
    many times faster than one axes per image.
    """
    n, (h, w) = len(images), image_shape
    rows = max(1, -(-n // columns))
    lines = max((str(t).count("\n") + 1 for t in titles), default=1)
    band, gap = round(0.4 * h * lines), max(1, w // 7)  # room for the titles' lines; space between
    cell_h, cell_w = band + h, w + gap
    mosaic = np.zeros((rows * cell_h, columns * cell_w - gap))  # 0 is white in gray_r
    width = 1.5 * columns
    fig = Figure(figsize=(width, width * mosaic.shape[0] / mosaic.shape[1] + 0.5), layout="constrained")
    ax = fig.subplots()
    for k, (image, text) in enumerate(zip(images, titles)):
        top, left = (k // columns) * cell_h + band, (k % columns) * cell_w
        mosaic[top:top + h, left:left + w] = np.reshape(image, image_shape)
        ax.text(left + w / 2, top - 1, text, ha="center", va="bottom", fontsize=8)
    ax.imshow(mosaic, cmap="gray_r", vmin=0, vmax=1, interpolation="nearest")
    ax.axis("off")
    if title:
        fig.suptitle(title)
    return fig


def misclassified(x, y_true, probabilities, class_names, image_shape, n=24) -> Figure:
    """The test images the model gets wrong, most confident first, each titled with the true
    class and the model's top two probabilities."""
    y_pred = probabilities.argmax(1)
    wrong = np.flatnonzero(y_pred != y_true)
    wrong = wrong[np.argsort(-probabilities[wrong, y_pred[wrong]], kind="stable")][:n]
    titles = []
    for i in wrong:
        top = np.argsort(-probabilities[i], kind="stable")[:2]
        guesses = ", ".join(f"{class_names[c]}: {probabilities[i, c]:.0%}" for c in top)
        titles.append(f"true {class_names[y_true[i]]}\n{guesses}")
    return digit_grid(x[wrong], titles, image_shape,
                      title=f"Misclassified test images ({len(np.flatnonzero(y_pred != y_true))} in all)")


def samples(x, y, class_names, image_shape, per_class=8, seed=0) -> Figure:
    """A few images of each class, picked with a seed: what the data looks like."""
    rng = np.random.default_rng(seed)
    picks = [i for c in range(len(class_names))
             for i in rng.choice(np.flatnonzero(y == c), per_class, replace=False)]
    return digit_grid(x[picks], [class_names[y[i]] for i in picks], image_shape, columns=per_class,
                      title="Samples, one class per row")
