"""``dl101 notebook``: run a practical session's notebook in a fresh kernel, optionally as HTML."""

from __future__ import annotations

HELP = "run the practical notebook (TP1) top to bottom in a fresh kernel; --html writes it as one page"
SLOW = 5.0  # seconds: a code cell that takes longer is marked slow as it ends


def add_arguments(parser):
    parser.add_argument("name", metavar="NAME",
                        help="TP1, or the path of a .ipynb file. TP1 is the checkout's notebooks/TP1.ipynb "
                             "when dl101 runs from a checkout, else the copy built into the package")
    parser.add_argument("--solutions", action="store_true", help="the notebook with the exercises' solutions")
    parser.add_argument("--html", metavar="OUT", default=None,
                        help="write the executed notebook as a self-contained HTML page: a file, or a "
                             "folder (an existing one, or any path ending in /, created) for NAME.html; "
                             "images embedded, nothing loaded from the network")
    parser.add_argument("--timeout", type=float, default=600,
                        help="seconds one cell may run before the run fails (default: %(default)s)")


def run(args):
    import tempfile
    import time
    from pathlib import Path

    from ..checks import Dl101Error, positive
    from ..files import atomic_write
    from ..notebook import execute, require, to_html

    positive(args.timeout, "--timeout")
    require()
    nb, title, path = locate(args.name, args.solutions)
    out = html_path(args.html, title) if args.html else None
    print(f"{title}: starting a fresh kernel ({path or 'built from the copy in the dl101 package'})",
          flush=True)
    progress = Progress()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="dl101-notebook-") as scratch:
        execute(nb, title, path.parent if path else scratch, args.timeout, progress)  # where Jupyter would
    print(f"{title}: {len(nb.cells)} cells ran in {time.perf_counter() - start:.1f} s; "
          f"slowest: {progress.slowest()}")
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        page = to_html(nb, title)
        with atomic_write(out) as f:
            f.write(page.encode("utf-8"))
        print(f"wrote {out} ({len(page) / 1e6:.1f} MB, {page.count('<img ')} images)")
    return 0


def html_path(html, title):
    """Where ``--html html`` writes: ``html`` itself, or ``html/title.html`` when it names a
    folder (an existing one, or a path ending in a slash)."""
    import os
    from pathlib import Path

    from ..checks import Dl101Error
    out = Path(html)
    if out.is_dir() or html.endswith(("/", os.sep)):
        return out / f"{title}.html"
    if out.parent.exists() and not out.parent.is_dir():
        raise Dl101Error(f"--html {html}: {out.parent} is a file, not a folder")
    return out


class Progress:
    """Prints ``cell k/N  section ... 1.2 s`` as each code cell runs, marking the slow ones."""

    def __init__(self, print=print):
        self.print, self.times = print, []

    def __call__(self, k, n, section, seconds):
        if seconds is None:
            self.print(f"cell {k:>{len(str(n))}}/{n}  {section[:48]} ...", end=" ", flush=True)
            return
        self.times.append((seconds, k, n, section))
        self.print(f"{seconds:.1f} s" + ("  (slow)" if seconds >= SLOW else ""), flush=True)

    def slowest(self) -> str:
        if not self.times:
            return "none ran"
        seconds, k, n, section = max(self.times)
        return f"cell {k}/{n} ({section}), {seconds:.1f} s"


def locate(name, solutions):
    """(the notebook, its title, its file or None when built from the package's source)."""
    from pathlib import Path

    import nbformat

    from ..checks import Dl101Error
    from ..notebook import build, checkout_notebooks, file_name

    path = Path(name)
    if path.suffix == ".ipynb" or path.exists():
        if solutions:
            raise Dl101Error("--solutions picks TP1's solutions by name: use it with NAME TP1, "
                             "not with a file")
        if not path.is_file() or path.suffix != ".ipynb":
            raise Dl101Error(f"{path} is not a notebook file (.ipynb)" if path.exists() else
                             f"no notebook file {path}")
    else:
        folder = checkout_notebooks()
        path = folder / file_name(name, solutions) if folder else None
        if not (path and path.is_file()):
            return build(name, solutions), file_name(name, solutions).removesuffix(".ipynb"), None
    try:
        nb = nbformat.read(path, as_version=4)
    except (ValueError, OSError) as err:  # not JSON, not a notebook, unreadable
        raise Dl101Error(f"cannot read the notebook {path}: {err}") from None
    return nb, path.stem, path.resolve()
