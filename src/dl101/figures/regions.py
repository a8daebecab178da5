"""Decision regions of a 2D classifier: the plane shaded by the predicted class, points on top."""

from __future__ import annotations

import numpy as np
from matplotlib.colors import LinearSegmentedColormap

from .style import BLUE, ORANGE

REGIONS = LinearSegmentedColormap.from_list("blue_orange", [BLUE, "#ffffff", ORANGE])


def grid_over(x, steps=200, margin=0.5):
    """A (steps², 2) grid of points covering the data, with the two axes' coordinates."""
    lo, hi = x.min(0) - margin, x.max(0) + margin
    u, v = np.linspace(lo[0], hi[0], steps), np.linspace(lo[1], hi[1], steps)
    uu, vv = np.meshgrid(u, v)
    return np.column_stack([uu.ravel(), vv.ravel()]), uu, vv


def draw_regions(ax, proba_of_class_1, x, y, title="", accuracy=None, steps=200):
    """Shade ``ax`` by ``proba_of_class_1(points)`` (a probability, or a 0/1 decision) and overlay
    the points of ``(x, y)``; put the accuracy in the corner when given."""
    points, uu, vv = grid_over(x, steps)
    p = np.asarray(proba_of_class_1(points), dtype=float).reshape(uu.shape)
    ax.contourf(uu, vv, p, levels=np.linspace(0, 1, 11), cmap=REGIONS, alpha=0.75)
    ax.contour(uu, vv, p, levels=[0.5], colors="black", linewidths=1)
    for cls, colour, marker in ((0, BLUE, "o"), (1, ORANGE, "^")):
        pts = x[y == cls]
        ax.scatter(pts[:, 0], pts[:, 1], s=12, c=colour, marker=marker, edgecolors="black",
                   linewidths=0.4, label=f"class {cls}")
    ax.set(xticks=[], yticks=[], title=title)
    if accuracy is not None:
        ax.text(0.98, 0.03, f"test {accuracy:.0%}", transform=ax.transAxes, ha="right", va="bottom",
                fontsize=10, bbox={"facecolor": "white", "alpha": 0.85, "edgecolor": "none"})
