"""The practical session, TP1: its notebooks built from one source, run in a fresh kernel, as HTML.

- :func:`build` writes ``TP1.ipynb`` or ``TP1-solutions.ipynb`` (as an nbformat node) from the
  Markdown source ``TP1.md`` shipped beside this module (see :mod:`dl101.notebook.source`);
- :func:`execute` runs a notebook top to bottom in a fresh kernel of this Python;
- :func:`to_html` writes an executed notebook as one HTML page that loads nothing from the network.

The notebook extra installs what these need: ``pip install -e '.[notebook]'``. docs/notebook.md
tells how to run the session; ``dl101 notebook TP1 --html TP1.html`` does all three.
"""

from pathlib import Path

from .html import external_loads, to_html
from .run import NotebookError, execute, require
from .source import NOTEBOOKS, build, dumps, file_name, parse, source_path

__all__ = ["build", "execute", "to_html", "external_loads", "require", "NotebookError", "NOTEBOOKS",
           "parse", "source_path", "file_name", "dumps", "checkout_notebooks"]


def checkout_notebooks():
    """The ``notebooks/`` folder of the source checkout this dl101 runs from, or None when dl101
    is installed as a package (then the notebooks are built from the shipped source)."""
    root = Path(__file__).resolve().parents[3]  # src/dl101/notebook/__init__.py -> the checkout
    folder = root / "notebooks"
    return folder if (root / "pyproject.toml").is_file() and folder.is_dir() else None
