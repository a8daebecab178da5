"""Saving a figure as PNG and SVG, each file written atomically."""

from __future__ import annotations

import io
from pathlib import Path

from ..files import atomic_write


def save(fig, folder, name, formats=("png", "svg"), dpi=150):
    """Write ``folder/name.png`` and ``folder/name.svg``; returns the paths written."""
    paths = []
    for fmt in formats:
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt, dpi=dpi, bbox_inches="tight",
                    metadata={"Date": None} if fmt == "svg" else None)  # reproducible SVG
        path = Path(folder) / f"{name}.{fmt}"
        with atomic_write(path) as f:
            f.write(buffer.getvalue())
        paths.append(path)
    return paths
