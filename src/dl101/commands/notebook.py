"""``dl101 notebook``: run a practical session's notebook in a fresh kernel, optionally as HTML."""

from __future__ import annotations

HELP = "run the practical notebook (TP1) top to bottom in a fresh kernel; --html writes it as one page"


def add_arguments(parser):
    parser.add_argument("name", metavar="NAME",
                        help="TP1, or the path of a .ipynb file. TP1 is the checkout's notebooks/TP1.ipynb "
                             "when dl101 runs from a checkout, else the copy built into the package")
    parser.add_argument("--solutions", action="store_true", help="the notebook with the exercises' solutions")
    parser.add_argument("--html", metavar="OUT", default=None,
                        help="write the executed notebook as a self-contained HTML page (a file, or a "
                             "folder for NAME.html): images embedded, nothing loaded from the network")
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
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="dl101-notebook-") as scratch:
        execute(nb, title, path.parent if path else scratch, args.timeout)  # where Jupyter would
    print(f"{title}: {len(nb.cells)} cells ran in {time.perf_counter() - start:.1f} s "
          f"({path or 'built from the copy in the dl101 package'})")
    if args.html:
        out = Path(args.html)
        if out.is_dir():
            out = out / f"{title}.html"
        if not out.parent.is_dir():
            raise Dl101Error(f"--html {args.html}: the folder {out.parent} does not exist")
        page = to_html(nb, title)
        with atomic_write(out) as f:
            f.write(page.encode("utf-8"))
        print(f"wrote {out} ({len(page) / 1e6:.1f} MB, {page.count('<img ')} images)")
    return 0


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
