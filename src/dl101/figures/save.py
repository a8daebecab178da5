"""Saving a figure as PNG and SVG, and a sequence of figures as an animated GIF; each file written
atomically."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from ..files import atomic_write


def save(fig, folder, name, formats=("png", "svg"), dpi=150):
    """Write ``folder/name.png`` and ``folder/name.svg``; returns the paths written."""
    import matplotlib
    paths = []
    for fmt in formats:
        buffer = io.BytesIO()
        # reproducible SVG: no date, and element ids from a fixed salt rather than a random one
        with matplotlib.rc_context({"svg.hashsalt": name}):
            # every figure lays itself out (layout="constrained"), so no second, "tight" pass
            fig.savefig(buffer, format=fmt, dpi=dpi, metadata={"Date": None} if fmt == "svg" else None)
        paths.append(_write(buffer, Path(folder) / f"{name}.{fmt}"))
    return paths


@dataclass
class Animation:
    """Figures shown one after the other, ``seconds`` each, in a loop: saved as an animated GIF.
    The frames should share one size: each is rendered whole (no tight bounding box), so that they
    line up."""

    frames: list
    seconds: float = 1.5

    def save(self, folder, name, dpi=80):
        """Write ``folder/name.gif``; returns ``[its path]``."""
        from PIL import Image
        images = []
        for fig in self.frames:
            buffer = io.BytesIO()
            fig.savefig(buffer, format="png", dpi=dpi)
            # GIF holds up to 256 colours; 128 look the same here and make the file a third smaller
            images.append(Image.open(buffer).convert("RGB").quantize(128))
        buffer = io.BytesIO()
        images[0].save(buffer, format="GIF", save_all=True, append_images=images[1:],
                       duration=int(1000 * self.seconds), loop=0, optimize=True)
        return [_write(buffer, Path(folder) / f"{name}.gif")]


def _write(buffer, path):
    with atomic_write(path) as f:
        f.write(buffer.getvalue())
    return path
