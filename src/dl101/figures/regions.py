"""Decision regions of a 2D classifier: the plane shaded by the predicted class, points on top.

Two classes are shaded by the probability of class 1 (blue to orange, the boundary at 0.5), as the
lecture's figures do; K > 2 classes by the predicted class, each in its own colour, with every
class's points drawn in that colour (:func:`point_styles`).
"""

from __future__ import annotations

import numpy as np
from matplotlib.colors import LinearSegmentedColormap, ListedColormap

from .style import BLUE, CLASS_COLOURS, ORANGE

REGIONS = LinearSegmentedColormap.from_list("blue_orange", [BLUE, "#ffffff", ORANGE])
MARKERS = ("o", "^", "s", "D", "v", "P", "X", "*", "<", ">")  # one per class, beside its colour


def grid_over(x, steps=200, margin=0.5):
    """A (steps², 2) grid of points covering the data, with the two axes' coordinates."""
    lo, hi = x.min(0) - margin, x.max(0) + margin
    u, v = np.linspace(lo[0], hi[0], steps), np.linspace(lo[1], hi[1], steps)
    uu, vv = np.meshgrid(u, v)
    return np.column_stack([uu.ravel(), vv.ravel()]), uu, vv


def point_styles(y):
    """``[(class c, colour, marker), ...]`` for every class present in ``y``: class 0 blue
    circles and class 1 orange triangles, as in the two-class figures, then the palette's next."""
    return [(int(c), CLASS_COLOURS[int(c) % len(CLASS_COLOURS)], MARKERS[int(c) % len(MARKERS)])
            for c in np.unique(y)]


def class_regions(predict_class, x, steps=200):
    """The predicted class over a grid covering ``x``: ``(classes (steps, steps), uu, vv)``."""
    points, uu, vv = grid_over(x, steps)
    return np.asarray(predict_class(points)).reshape(uu.shape), uu, vv


def draw_points(ax, x, y):
    for cls, colour, marker in point_styles(y):
        pts = x[y == cls]
        ax.scatter(pts[:, 0], pts[:, 1], s=12, c=colour, marker=marker, edgecolors="black",
                   linewidths=0.4, label=f"class {cls}")


def _finish(ax, title, accuracy):
    ax.set(xticks=[], yticks=[], title=title)
    if accuracy is not None:
        ax.text(0.98, 0.03, f"test {accuracy:.0%}", transform=ax.transAxes, ha="right", va="bottom",
                fontsize=10, bbox={"facecolor": "white", "alpha": 0.85, "edgecolor": "none"})


def draw_regions(ax, proba_of_class_1, x, y, title="", accuracy=None, steps=200):
    """Shade ``ax`` by ``proba_of_class_1(points)`` (a probability, or a 0/1 decision) and overlay
    the points of ``(x, y)``; put the accuracy in the corner when given."""
    points, uu, vv = grid_over(x, steps)
    p = np.asarray(proba_of_class_1(points), dtype=float).reshape(uu.shape)
    ax.contourf(uu, vv, p, levels=np.linspace(0, 1, 11), cmap=REGIONS, alpha=0.75)
    ax.contour(uu, vv, p, levels=[0.5], colors="black", linewidths=1)
    draw_points(ax, x, y)
    _finish(ax, title, accuracy)


def draw_class_regions(ax, predict_class, x, y, n_classes, title="", accuracy=None, steps=200):
    """Shade ``ax`` by the class ``predict_class(points)`` gives, each of the ``n_classes`` in its
    colour, the boundaries in black, and overlay every class's points in the same colours."""
    classes, uu, vv = class_regions(predict_class, x, steps)
    colours = ListedColormap([CLASS_COLOURS[c % len(CLASS_COLOURS)] for c in range(n_classes)])
    levels = np.arange(n_classes + 1) - 0.5  # one band per class
    ax.contourf(uu, vv, classes, levels=levels, cmap=colours, alpha=0.35)
    ax.contour(uu, vv, classes, levels=levels[1:-1], colors="black", linewidths=1)
    draw_points(ax, x, y)
    _finish(ax, title, accuracy)
