"""The lecture's figures, each a function that returns a matplotlib ``Figure``, seeded and
deterministic; :func:`save` writes it as PNG and SVG. The figures use matplotlib's object API
(``matplotlib.figure.Figure``), never pyplot's global state, so they work headless and in notebooks.
"""

from .save import save

__all__ = ["save"]
