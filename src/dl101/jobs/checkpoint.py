"""Checkpoints: a run's settings and its trainer's :meth:`~dl101.train.Trainer.state_dict`, so that
it continues exactly where it stopped.

One file, ``checkpoint.npz``, written atomically (:func:`dl101.files.atomic_write`): the state's
arrays (weights, optimiser state, this epoch's sample order) and, as one more array of bytes
(``__meta__``), a JSON text holding the rest of the state (counters, the random generator, the
history), the settings, the run options to keep (figures, data cache), the run's id from
``run.json`` and the SHA-256 of the arrays. So a checkpoint is replaced whole or not at all, never half from another moment,
and one copied from another run is refused. Resuming checks the file (a readable archive whose
CRCs match, the run's id, the settings, the epoch) and the trainer checks every entry of the state
(:mod:`dl101.trainer_state`); any problem is one error naming the file.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import numpy as np

from ..callbacks import Callback
from ..checks import Dl101Error
from ..files import atomic_write
from . import manifest

NAME, META = "checkpoint.npz", "__meta__"
OLD = "checkpoint.json"  # the second half of an older dl101's checkpoint
FORMAT, VERSION = "dl101-checkpoint", 1


def save(folder, settings, state, run_id, options=None):
    """Write ``settings`` and a trainer's ``state`` (its state_dict) to ``folder/checkpoint.npz``."""
    arrays = {k: v for k, v in state.items() if isinstance(v, np.ndarray)}
    meta = {"format": FORMAT, "version": VERSION, "run_id": run_id, "settings": settings.as_dict(),
            "options": options or {}, "state": {k: v for k, v in state.items() if k not in arrays},
            "arrays_sha256": digest(arrays)}
    text = np.frombuffer(json.dumps(meta).encode(), np.uint8)
    with atomic_write(Path(folder) / NAME) as f:
        np.savez(f, **arrays, **{META: text})


def load(folder) -> tuple[dict, dict, dict]:
    """``(settings as a dict, run options as a dict, trainer state)`` from the checkpoint in
    ``folder``, its file checked; the state's entries are checked when a trainer loads them."""
    folder = Path(folder)
    path = folder / NAME
    if not path.is_file():
        if (folder / OLD).is_file():
            raise Dl101Error(f"cannot resume {folder}: its checkpoint ({NAME} + {OLD}) was written by "
                             f"an older dl101, whose two files may come from different moments; "
                             f"start the run again")
        raise Dl101Error(f"cannot resume {folder}: no checkpoint there (a run leaves {NAME} when "
                         f"Ctrl-C or SIGTERM stops it; a finished run has nothing to resume)")
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, KeyError) as err:
        raise Dl101Error(f"{path} is truncated or damaged ({err}); cannot resume") from None
    meta = _meta(arrays.pop(META, None), path)
    if meta.get("arrays_sha256") != digest(arrays):
        raise Dl101Error(f"{path}: its arrays are not the ones its record was saved with (SHA-256 "
                         f"differs): pieces of two checkpoints; cannot resume")
    record = manifest.read(folder)
    if record is None or record["run_id"] != meta["run_id"]:
        found = f"this folder's run is {record['run_id']}" if record else f"the folder has no {manifest.NAME}"
        raise Dl101Error(f"{path} belongs to another run (run id {meta['run_id']}; {found}): it was "
                         f"copied from elsewhere; resume the folder it came from")
    clash = sorted(set(arrays) & set(meta["state"]))
    if clash:
        raise Dl101Error(f"{path} holds {', '.join(clash)} twice; it is not a dl101 checkpoint")
    settings = _settings(meta["settings"], path)
    epoch = meta["state"].get("epoch_count")
    if not isinstance(epoch, int) or isinstance(epoch, bool) or not 0 <= epoch < settings.epochs:
        raise Dl101Error(f"{path} is at epoch {str(epoch)[:20]} of a {settings.epochs}-epoch run; "
                         f"there is nothing to resume")
    options = meta["options"]
    if not isinstance(options.get("figures", True), bool) or not isinstance(options.get("cache_dir"), (str, type(None))):
        raise Dl101Error(f"{path} records run options that are not figures (true/false) and "
                         f"cache_dir (a folder or null); cannot resume")
    return settings.as_dict(), options, {**meta["state"], **arrays}


def digest(arrays) -> str:
    """SHA-256 of the arrays (names, dtypes, shapes and bytes): ties them to the JSON record."""
    h = hashlib.sha256()
    for name in sorted(arrays):
        a = np.ascontiguousarray(arrays[name])
        h.update(f"{name} {a.dtype.str} {a.shape}\n".encode())
        h.update(a.tobytes())
    return h.hexdigest()


def _meta(text, path) -> dict:
    """The JSON part of the checkpoint, its fields checked."""
    if not isinstance(text, np.ndarray) or text.dtype != np.uint8 or text.ndim != 1:
        raise Dl101Error(f"{path} has no {META} record; it is not a checkpoint of this dl101")
    try:
        meta = json.loads(text.tobytes().decode())
    except (UnicodeDecodeError, ValueError) as err:
        raise Dl101Error(f"{path}: its {META} record is not valid JSON ({err}); cannot resume") from None
    kinds = {"run_id": str, "settings": dict, "options": dict, "state": dict}
    if not isinstance(meta, dict) or meta.get("format") != FORMAT or meta.get("version") != VERSION \
            or any(not isinstance(meta.get(k), kind) for k, kind in kinds.items()):
        raise Dl101Error(f"{path}: its {META} record is not a {FORMAT} version {VERSION} (it needs "
                         f"{', '.join(kinds)}); cannot resume")
    return meta


def _settings(saved, path):
    from .settings import MnistSettings
    try:
        return MnistSettings(**saved).check()
    except TypeError as err:
        raise Dl101Error(f"{path} holds settings this dl101 does not know ({err}); cannot resume") from None
    except Dl101Error as err:
        raise Dl101Error(f"{path} holds settings that cannot run: {err}") from None


def remove(folder):
    manifest.discard(folder, NAME)


class SaveOnStop(Callback):
    """Saves a checkpoint when a stop request (Ctrl-C, SIGTERM) ends training before its last
    epoch: ``saved`` is then True. If the folder cannot take it (a full disk, a permission), the
    checkpoint goes to a temporary folder and the error says where (:func:`rescue.elsewhere`)."""

    def __init__(self, folder, settings, run_id, options=None):
        self.folder, self.settings, self.saved = folder, settings, False
        self.run_id, self.options = run_id, options

    def on_train_end(self, history):
        if self.trainer.stop_requested is None or self.trainer.epoch_count >= self.settings.epochs:
            return
        from . import rescue
        state = self.trainer.state_dict()

        def write(folder):
            save(folder, self.settings, state, self.run_id, self.options)
            manifest.add(folder, NAME)

        try:
            write(self.folder)
        except OSError as err:
            rescue.elsewhere(self.folder, err, "the checkpoint",
                             lambda place: (manifest.start(place, self.run_id), write(place)),
                             "continue with: dl101 mnist --resume {place}")
        self.saved = True


KEPT_OPTIONS = ("figures", "cache_dir")
"""The run options a checkpoint remembers: a resumed run draws its figures (or not) and reads its
data where the interrupted one did, unless told otherwise."""


def resumed(folder, saved, saved_options, settings=None, options=None, given=None):
    """The settings and options to resume ``folder`` with: the run's own. ``settings`` and
    ``options`` are what the caller asked for; ``given`` names the fields the user set (the
    command line's options; None: every field of what was passed). A given setting must equal
    the run's (else a clear error: a run cannot change its data set or learning rate half-way);
    a given figures or cache_dir option replaces the remembered one."""
    import dataclasses
    from .settings import MnistSettings, RunOptions
    own = MnistSettings(**saved)
    if settings is not None:
        names = [f.name for f in dataclasses.fields(MnistSettings) if given is None or f.name in given]
        differ = [n for n in names if getattr(settings, n) != getattr(own, n)]
        if differ:
            said = ", ".join(f"--{n.replace('_', '-')} {_shown(getattr(settings, n))} (the run's: "
                             f"{_shown(getattr(own, n))})" for n in differ)
            raise Dl101Error(f"--resume {folder} continues the run with its own settings; {said} "
                             f"contradict{'s' * (len(differ) == 1)} them: drop "
                             f"{'it' if len(differ) == 1 else 'them'}, or start a new run with --out")
    options = options or RunOptions(resume=str(folder))
    if given is not None:
        wrong = [n for n in ("out", "force") if n in given and getattr(options, n) not in (None, False)
                 and not (n == "out" and Path(options.out) == Path(folder))]
        if wrong:
            raise Dl101Error(f"--resume {folder} writes into that folder; drop "
                             f"{' and '.join('--' + n for n in wrong)}")
        kept = {k: saved_options[k] for k in KEPT_OPTIONS if k in saved_options and k not in given}
        options = dataclasses.replace(options, **kept)
    return own, options


def _shown(value):
    return " ".join(map(str, value)) if isinstance(value, list) else value
