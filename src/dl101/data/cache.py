"""The per-user cache of datasets: where it is, reading it verified, writing it atomically.

Where (the first that is set wins):

1. the ``cache_dir`` argument, or ``--cache-dir DIR`` on the command line;
2. the environment variable ``DL101_DATA``;
3. ``$XDG_CACHE_HOME/dl101``;
4. ``~/.cache/dl101``.

Each dataset has a folder there (``mnist/``, ``fashion-mnist/``) holding its four standard IDX
files under their official names (``train-images-idx3-ubyte.gz``, ...), so that files can also
be placed by hand, and a ``source.json`` saying where they came from. Every file is checked
against its known checksum each time it is read (:meth:`dl101.data.spec.IdxFile.verify`); a
corrupt one is reported and fetched again. Files are written whole or not at all (a temporary
file, then a rename), so an interrupted fetch never leaves half a file under a real name.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

from ..checks import Dl101Error
from ..files import atomic_write
from .idx import GZIP_MAGIC, gzipped

ENV = "DL101_DATA"
ORIGIN = "source.json"


class CacheMiss(Dl101Error):
    """The cache cannot serve a dataset; the message says why (no files, some missing)."""


class CacheCorrupt(CacheMiss):
    """A cached file is damaged or not the expected one; the message says which and how."""


def cache_root(cache_dir=None) -> tuple[Path, str]:
    """The cache folder and what chose it: ``--cache-dir``, ``DL101_DATA``, ``XDG_CACHE_HOME`` or
    ``default``. Empty environment variables count as unset."""
    if cache_dir is not None and str(cache_dir) != "":
        return Path(cache_dir).expanduser(), "--cache-dir"
    if os.environ.get(ENV):
        return Path(os.environ[ENV]).expanduser(), ENV
    if os.environ.get("XDG_CACHE_HOME"):
        return Path(os.environ["XDG_CACHE_HOME"]).expanduser() / "dl101", "XDG_CACHE_HOME"
    return Path.home() / ".cache" / "dl101", "default"


def dataset_dir(spec, cache_dir=None) -> Path:
    """The folder of one dataset in the cache."""
    return cache_root(cache_dir)[0] / spec.name


def read(spec, folder: Path) -> list:
    """The dataset's four arrays from ``folder``, each verified; :class:`CacheMiss` otherwise."""
    paths = [folder / f.name for f in spec.files]
    missing = [p.name for p in paths if not p.is_file()]
    if len(missing) == len(paths):
        raise CacheMiss("miss (no files)")
    if missing:
        raise CacheMiss(f"incomplete ({', '.join(missing)} missing)")
    try:
        return [f.read(p, "the cache") for f, p in zip(spec.files, paths)]
    except (Dl101Error, OSError) as err:
        raise CacheCorrupt(f"corrupt: {err}") from None


def ensure_writable(folder: Path) -> None:
    """Make ``folder`` and check that a file can be created in it, before anything is fetched."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as err:
        raise Dl101Error(f"cannot write the cache directory {folder}: {err.strerror or err}; choose "
                         f"a writable one with --cache-dir DIR or {ENV}=DIR") from None


def write(spec, folder: Path, blobs: dict, origin: str) -> None:
    """Write the verified ``blobs`` (file name -> IDX bytes, gzipped or not) as gzip files, each
    atomically, then ``source.json``. Raw content is gzipped without a time stamp. Files are
    readable by all (0644), so that one cache can serve several users (``DL101_DATA``)."""
    try:
        for f in spec.files:
            blob = blobs[f.name]
            _write(folder / f.name, blob if blob[:2] == GZIP_MAGIC else gzipped(blob))
        record = {"source": origin, "fetched": time.strftime("%Y-%m-%d %H:%M:%S %z")}
        _write(folder / ORIGIN, json.dumps(record, indent=1).encode())
    except OSError as err:
        raise Dl101Error(f"could not write {spec.name} to the cache {folder}: "
                         f"{err.strerror or err}") from None


def _write(path: Path, data: bytes) -> None:
    with atomic_write(path) as out:
        out.write(data)
    path.chmod(0o644)  # the temporary file was private


def origin(folder: Path) -> str:
    """Where the cached files came from, as recorded by :func:`write` ('' if unknown)."""
    try:
        record = json.loads((folder / ORIGIN).read_text())
        return f"{record['source']} on {record['fetched']}"
    except (OSError, ValueError, KeyError, TypeError):
        return ""  # placed by hand, or written by an older dl101: nothing to say


def inspect(spec, folder: Path) -> list[tuple[str, int | None, str]]:
    """For ``dl101 data info``: (file name, bytes on disk or None, state) per file, the state being
    ``sha256 verified``, ``missing`` or what is wrong; leftover temporary files are listed too."""
    rows = []
    for f in spec.files:
        path = folder / f.name
        if not path.is_file():
            rows.append((f.name, None, "missing"))
            continue
        try:
            f.read(path, "the cache")
            rows.append((f.name, path.stat().st_size, "sha256 verified"))
        except (Dl101Error, OSError) as err:
            rows.append((f.name, path.stat().st_size, f"corrupt: {err}"))
    for part in sorted(folder.glob(".*.part")):  # left by a process that was killed mid-write
        rows.append((part.name, part.stat().st_size, "partial file of an interrupted write; "
                     "safe to delete"))
    return rows
