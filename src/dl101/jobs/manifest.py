"""``run.json``: which run a folder holds and which files that run wrote.

Each run of the main job gets a random id, written to ``run.json`` when it starts, and each file
it writes is added to the list there once written. The id ties a checkpoint to its folder (a
checkpoint copied from another run is refused on resume); the list is what ``--force`` removes
before a new run, so that nothing of the previous run stays behind and nothing dl101 did not
write is touched.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

from ..checks import Dl101Error
from ..files import atomic_write

NAME = "run.json"
FORMAT = "dl101-run"


def read(folder) -> dict | None:
    """The folder's manifest, None when it has none; a clear error when it is not one."""
    path = Path(folder) / NAME
    if not path.is_file():
        return None
    try:
        manifest = json.loads(path.read_text())
    except (OSError, ValueError) as err:
        raise Dl101Error(f"{path} cannot be read ({err}); it records the run in {folder}") from None
    if not (isinstance(manifest, dict) and manifest.get("format") == FORMAT
            and isinstance(manifest.get("run_id"), str) and isinstance(manifest.get("files"), list)
            and all(isinstance(f, str) for f in manifest["files"])):
        raise Dl101Error(f"{path} is not a dl101 run record (it should hold format {FORMAT!r}, "
                         f"run_id and files)")
    return manifest


def start(folder, run_id=None) -> str:
    """A new manifest (a new run id unless given) with no files yet; returns the id."""
    run_id = run_id or uuid.uuid4().hex
    _write(folder, {"format": FORMAT, "run_id": run_id, "files": []})
    return run_id


def add(folder, *names):
    """Record ``names`` (files just written in ``folder``) in its manifest."""
    manifest = read(folder) or {"format": FORMAT, "run_id": uuid.uuid4().hex, "files": []}
    manifest["files"] += [n for n in names if n not in manifest["files"]]
    _write(folder, manifest)


def discard(folder, *names):
    """Remove ``names`` from the folder and from its manifest."""
    manifest = read(folder)
    for name in names:
        (Path(folder) / name).unlink(missing_ok=True)
    if manifest is not None:
        manifest["files"] = [f for f in manifest["files"] if f not in names]
        _write(folder, manifest)


def remove_recorded(folder) -> list[str]:
    """Delete the files the folder's previous run recorded (plain names in the folder only),
    and its manifest; return their names. Files it did not record stay."""
    manifest = read(folder)
    if manifest is None:
        return []
    removed = []
    for name in manifest["files"]:
        path = Path(folder) / name
        if name != Path(name).name or name in ("", ".", "..") or not path.is_file() or path.is_symlink():
            continue  # never outside the folder, never a folder or a link
        path.unlink()
        removed.append(name)
    os.unlink(Path(folder) / NAME)
    return removed


WRITES = ["model.npz", "model.json", "metrics.json", "checkpoint.npz", NAME, "curves.png",
          "confusion.png", "misclassified.png", "digit.png",  # summary.EXAMPLE
          "model.pt", "model.onnx"]  # what `dl101 export` writes into a run by default
"""What dl101 writes into a run folder (the files :func:`add` records, and run.json): the names
whose half-written ``.part`` files :func:`sweep_parts` removes."""


def sweep_parts(folder) -> list[str]:
    """Remove the temporary ``.NAME.XXXX.part`` files that :func:`dl101.files.atomic_write` left
    beside a file dl101 writes when a process died in the middle of it (SIGKILL, power cut)."""
    record = read(folder) or {"files": []}
    names = set(WRITES) | set(record["files"])
    removed = []
    for path in Path(folder).glob(".*.part"):
        stem = path.name[1:-len(".part")].rpartition(".")[0]  # .model.npz.k3j9.part -> model.npz
        if stem in names and path.is_file():
            path.unlink()
            removed.append(path.name)
    return removed


def _write(folder, manifest):
    with atomic_write(Path(folder) / NAME, "w") as f:
        json.dump(manifest, f, indent=1)
