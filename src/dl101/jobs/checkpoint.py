"""Checkpoints: a run's settings and its trainer's :meth:`~dl101.train.Trainer.state_dict`, so that
it continues exactly where it stopped.

The state's arrays (weights, optimiser state, this epoch's sample order) go to ``checkpoint.npz``;
its numbers, the random generator's state, the history and the settings to ``checkpoint.json``.
Resuming restores them all, so the resumed run ends with bit-for-bit the weights of an
uninterrupted one.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ..callbacks import Callback
from ..checks import Dl101Error
from ..files import atomic_write

NPZ, JSON = "checkpoint.npz", "checkpoint.json"


def save(folder, settings, state):
    """Write ``settings`` and a trainer's ``state`` (its state_dict) to ``folder``."""
    arrays = {k: v for k, v in state.items() if isinstance(v, np.ndarray)}
    with atomic_write(Path(folder) / NPZ) as f:
        np.savez(f, **arrays)
    rest = {k: v for k, v in state.items() if k not in arrays}
    with atomic_write(Path(folder) / JSON, "w") as f:
        json.dump({"settings": settings.as_dict(), "state": rest}, f, indent=1)


def load(folder) -> tuple[dict, dict]:
    """``(settings as a dict, trainer state)`` from the checkpoint in ``folder``, checked."""
    folder = Path(folder)
    path = folder / JSON
    if not path.is_file() or not (folder / NPZ).is_file():
        raise Dl101Error(f"cannot resume {folder}: no checkpoint there (a run leaves {NPZ} and {JSON} "
                         f"when Ctrl-C or SIGTERM stops it; a finished run has nothing to resume)")
    try:
        saved = json.loads(path.read_text())
        with np.load(folder / NPZ, allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
        settings, state = saved["settings"], {**saved["state"], **arrays}
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise Dl101Error(f"the checkpoint in {folder} is corrupt ({err}); cannot resume") from None
    return settings, state


def remove(folder):
    for name in (NPZ, JSON):
        (Path(folder) / name).unlink(missing_ok=True)


class SaveOnStop(Callback):
    """Saves a checkpoint when a stop request (Ctrl-C, SIGTERM) ends training before its last
    epoch: ``saved`` is then True."""

    def __init__(self, folder, settings):
        self.folder, self.settings, self.saved = folder, settings, False

    def on_train_end(self, history):
        if self.trainer.stop_requested is not None and self.trainer.epoch_count < self.settings.epochs:
            save(self.folder, self.settings, self.trainer.state_dict())
            self.saved = True
