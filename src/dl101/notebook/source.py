"""The practical sessions' one source: a Markdown file per notebook, written into two notebooks.

``TP1.md`` beside this module is the session as a document: its prose becomes Markdown cells (a
heading starts a new one) and each fenced block opened by a line ```` ```python ```` becomes a code
cell. Blocks opened by ```` ```python solution ```` (or ```` ```markdown solution ````) are the
exercises' solutions: they go into ``TP1-solutions.ipynb`` only, tagged ``solution``; everything
else goes into both. So the students' notebook and the solutions' are one text and cannot drift
apart.

>>> [(c.kind, c.solution, c.source) for c in parse("# Title\\n\\n```python\\nx = 1\\n```\\n"
...                                               "```python solution\\nx = 2\\n```\\n")]
[('markdown', False, '# Title'), ('code', False, 'x = 1'), ('code', True, 'x = 2')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..checks import Dl101Error
from ..checks import get

HERE = Path(__file__).resolve().parent
NOTEBOOKS = {"tp1": "TP1"}  # name on the command line (any case) -> source file stem
SOLUTIONS_SUFFIX = "-solutions"
OPENING = re.compile(r"^```(python|markdown)( solution)?\s*$")  # a cell's fence; ```bash etc. stay prose


@dataclass(frozen=True)
class Cell:
    kind: str        # "code" or "markdown"
    source: str
    solution: bool   # in the solutions notebook only


def parse(text: str) -> list[Cell]:
    """The cells of a Markdown source, in order."""
    cells, prose, block, opening = [], [], None, None
    for line in text.splitlines():
        if block is not None:                     # inside a cell's fence: until the closing ```
            if line.strip() == "```":
                kind = "code" if opening.group(1) == "python" else "markdown"
                cells.append(Cell(kind, "\n".join(block).strip("\n"), bool(opening.group(2))))
                block = None
            else:
                block.append(line)
        elif OPENING.match(line):
            cells.extend(_prose(prose))
            prose, block, opening = [], [], OPENING.match(line)
        else:
            prose.append(line)
    if block is not None:
        raise Dl101Error(f"a cell opened by {opening.group(0)!r} is never closed by ```")
    return cells + _prose(prose)


def _prose(lines):
    """Markdown cells from prose lines: a new cell at each heading outside a fenced example."""
    chunks, fenced = [[]], False
    for line in lines:
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and re.match(r"#{1,6} ", line) and any(l.strip() for l in chunks[-1]):
            chunks.append([])
        chunks[-1].append(line)
    texts = ("\n".join(chunk).strip("\n") for chunk in chunks)
    return [Cell("markdown", text, False) for text in texts if text.strip()]


def source_path(name: str) -> Path:
    """The Markdown source of the notebook ``name`` (e.g. ``TP1``)."""
    return HERE / f"{get(NOTEBOOKS, name, 'notebook')}.md"


def build(name: str, solutions: bool = False):
    """The notebook ``name`` (an ``nbformat`` node, no outputs), or its solutions' version.

    Cell ids are the cells' positions in the source, so the same text always gives the same file
    and a cell has the same id in both notebooks.
    """
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    stem = get(NOTEBOOKS, name, "notebook")
    cells = parse(source_path(name).read_text(encoding="utf-8"))
    title = next((c.source.splitlines()[0].lstrip("# ") for c in cells if c.kind == "markdown"), stem)
    nb = new_notebook(metadata={
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "title": title + (" (solutions)" if solutions else ""),
    })
    for n, cell in enumerate(cells, 1):
        if cell.solution and not solutions:
            continue
        new = new_code_cell(cell.source) if cell.kind == "code" else new_markdown_cell(cell.source)
        new.id = f"{stem.lower()}-{n:03d}"
        if cell.solution:
            new.metadata["tags"] = ["solution"]
        nb.cells.append(new)
    nbformat.validate(nb)
    return nb


def file_name(name: str, solutions: bool = False) -> str:
    """``TP1.ipynb`` or ``TP1-solutions.ipynb``."""
    return get(NOTEBOOKS, name, "notebook") + (SOLUTIONS_SUFFIX if solutions else "") + ".ipynb"


def dumps(nb) -> str:
    """A notebook as the text Jupyter saves: JSON indented by one space, ending with a newline."""
    import nbformat
    return nbformat.writes(nb).rstrip("\n") + "\n"
