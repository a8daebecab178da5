"""Digit grids (misclassified images, samples): each title fits in the band above its image, and
the band is no taller than its text needs (the misclassified grid had a large empty band)."""

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from dl101.figures.training import digit_grid, title_band


@pytest.mark.parametrize("shape, lines", [((28, 28), 2), ((28, 28), 1), ((8, 8), 2)])
def test_titles_fill_their_band_and_touch_no_image(shape, lines):
    h, w = shape
    images = np.random.default_rng(0).random((16, h * w))
    titles = ["\n".join(["true 3", "7: 86%, 9: 4%"][:lines])] * 16
    fig = digit_grid(images, titles, shape)
    FigureCanvasAgg(fig).draw()
    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer()
    band = title_band(lines, 72 * 1.5 * 8 / (8 * (w + max(1, w // 7)) - max(1, w // 7)))
    for k, text in enumerate(ax.texts[8:], 8):  # second row: an image above each title
        box = text.get_window_extent(renderer)
        top_of_cell = (k // 8) * (band + h)  # the bottom of the image above, in mosaic rows
        above = ax.transData.transform((0, top_of_cell))[1]
        line = box.height / lines
        assert box.y1 <= above + 0.5, "a title overlaps the image above it"
        assert above - box.y1 < line, f"{above - box.y1:.1f} px of empty band, a line is {line:.1f}"
