"""One run at a time in a run folder: a lock file holding the running process's id.

``RunLock(folder).acquire()`` creates ``folder/.dl101.lock`` with ``O_CREAT | O_EXCL`` (so of two
processes, exactly one creates it) and writes its PID there; ``release()`` removes it. A lock whose
process no longer exists (killed by SIGKILL, the machine restarted) is stale and taken over. A PID
the system has since given to another process would look alive: the message names the lock file
to remove in that case.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from ..checks import Dl101Error

NAME = ".dl101.lock"


def _pid_in(path) -> int | None:
    """The PID written in a lock file (None if it cannot be read)."""
    try:
        return int(Path(path).read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


class RunLock:
    def __init__(self, folder):
        self.folder, self.path, self.held = Path(folder), Path(folder) / NAME, False

    def owner(self) -> int | None:
        return _pid_in(self.path)

    def refuse_if_held(self):
        """A clear error if another living process holds the lock."""
        pid = self.owner()
        if pid is not None and pid != os.getpid() and alive(pid):
            raise Dl101Error(f"run folder {self.folder} is in use by another dl101 run (process {pid}); "
                             f"wait for it to end or choose another --out (if no such run is going "
                             f"on, remove {self.path})")
        return pid

    def acquire(self):
        for _ in range(3):
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                self._take_over_stale(self.refuse_if_held())
                continue
            with os.fdopen(fd, "w") as f:
                f.write(f"{os.getpid()}\n")
            self.held = True
            return self
        raise Dl101Error(f"cannot take the lock {self.path}: other processes keep taking it")

    def _take_over_stale(self, pid):
        """Move a dead process's lock aside (a rename: of two processes, one wins) and drop it."""
        aside = self.path.with_name(f"{NAME}.stale.{os.getpid()}")
        with contextlib.suppress(FileNotFoundError):
            os.rename(self.path, aside)
            if _pid_in(aside) not in (pid, None):  # not the lock we saw dead: put it back
                with contextlib.suppress(FileExistsError):
                    os.link(aside, self.path)
            os.unlink(aside)

    def release(self):
        if self.held and self.owner() == os.getpid():
            self.path.unlink(missing_ok=True)
        self.held = False

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()
