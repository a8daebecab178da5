"""Never lose a finished training: when the run folder cannot take what a run wrote (the disk
filled up, its permissions changed while training), write it to a new temporary folder instead
and say where, in the one line of the error (the command then exits with status 2)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from ..checks import Dl101Error


def reason(err: OSError) -> str:
    return err.strerror or str(err)


def elsewhere(folder, err: OSError, what: str, write, then: str):
    """``write(place)`` into a new temporary folder, after writing ``what`` into ``folder``
    failed with ``err``; always raises a Dl101Error saying where it went (``then``: what to do
    next, ``{place}`` replaced by the folder)."""
    try:
        place = Path(tempfile.mkdtemp(prefix=f"dl101-rescued-{Path(folder).name}-"))
        write(place)
    except OSError as again:
        raise Dl101Error(f"cannot write {what} in {folder} ({reason(err)}), nor in a temporary folder "
                         f"({reason(again)}: {getattr(again, 'filename', '') or tempfile.gettempdir()}); "
                         f"it is lost: free some space and run again") from None
    raise Dl101Error(f"cannot write {what} in {folder} ({reason(err)}); it is kept in {place} "
                     f"instead: {then.format(place=place)}") from None
