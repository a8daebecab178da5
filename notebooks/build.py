"""Write TP1.ipynb and TP1-solutions.ipynb from their one source, src/dl101/notebook/TP1.md.

    python notebooks/build.py           # rewrite both notebooks (outputs empty)
    python notebooks/build.py --check   # exit 1 if a committed notebook differs from its source

Edit the source, not the notebooks: tests/test_notebook.py fails when they differ.
"""

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))  # this checkout's dl101, installed or not

from dl101.files import atomic_write  # noqa: E402
from dl101.notebook import NOTEBOOKS, build, dumps, file_name  # noqa: E402


def expected():
    """{path: text} of every notebook, as its source gives it."""
    return {HERE / file_name(name, solutions): dumps(build(name, solutions))
            for name in NOTEBOOKS for solutions in (False, True)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 on a difference")
    args = parser.parse_args(argv)
    stale = []
    for path, text in expected().items():
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(path.name)
        if not args.check:
            with atomic_write(path) as f:
                f.write(text.encode("utf-8"))
    verb = "differ from their source" if args.check else "written"
    print(f"{', '.join(stale)} {verb}" if stale else "notebooks up to date")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
