"""``runs/latest``: the newest finished run of ``dl101 mnist``, so that ``dl101 evaluate``,
``predict``, ``export`` and ``figures --run`` may leave RUN out.

It is a symbolic link ``runs/latest -> NAME`` (relative, so ``runs/`` can be moved), replaced
atomically: a temporary link is made beside it and renamed over it with :func:`os.replace`, so a
reader sees the old run or the new one, never none. Where links cannot be made (a FAT drive, a
Windows account without the right), it is a small text file ``runs/latest`` holding NAME, written
atomically too; readers accept either. Only a run written directly in ``runs/`` of the current
folder moves it (the default folder, or ``--out runs/NAME``): a run written elsewhere with
``--out`` leaves ``runs/latest`` alone.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ..checks import Dl101Error
from ..files import atomic_write

ROOT = Path("runs")
NAME = "latest"
LATEST = object()  # what an option such as --run given alone holds: the latest run


def point(folder, root=ROOT) -> str | None:
    """Make ``root/latest`` name ``folder`` if it lies directly in ``root``; returns what the
    closing summary says about it (None when ``folder`` is elsewhere)."""
    folder, root = Path(folder), Path(root)
    if not root.is_dir() or folder.resolve().parent != root.resolve():
        return None
    link = root / NAME
    if folder.name == NAME:
        return f"{link} is this run"
    if link.is_dir() and not link.is_symlink():
        return f"{link} is a folder of its own, so it was not pointed at this run"
    temporary = root / f".{NAME}.{os.getpid()}.part"
    try:
        temporary.unlink(missing_ok=True)
        os.symlink(folder.name, temporary, target_is_directory=True)
        os.replace(temporary, link)
    except (OSError, NotImplementedError):  # no links here: a text file naming the folder
        temporary.unlink(missing_ok=True)
        with atomic_write(link, "w") as f:
            f.write(folder.name + "\n")
    return f"{link} points here"


def find(root=ROOT) -> Path:
    """The folder ``root/latest`` names, or a one-line error saying there is none."""
    root = Path(root)
    link = root / NAME
    if link.is_symlink():
        folder = root / os.readlink(link)
    elif link.is_dir():
        return link
    elif link.is_file():
        folder = root / link.read_text().strip()
    else:
        raise Dl101Error(f"no RUN given and no latest run: {link} does not exist in {Path.cwd()}; "
                         f"name a run folder, or train one with dl101 mnist")
    if not folder.is_dir():
        raise Dl101Error(f"no RUN given, and {link} names {folder}, which no longer exists; name a "
                         f"run folder, or train one with dl101 mnist")
    return folder


def resolve(given, root=ROOT) -> Path:
    """``given`` as a path, or (None) the latest run, said on standard error."""
    if given is not None:
        return Path(given)
    folder = find(root)
    print(f"RUN not given: the latest run, {folder}", file=sys.stderr, flush=True)
    return folder
