"""Checkpoints: everything a run needs to continue exactly where it stopped.

Arrays (weights, optimiser state, this epoch's sample order) go to ``checkpoint.npz``; numbers and
the random generator's state to ``checkpoint.json``. Resuming restores them all, so the resumed run
ends with bit-for-bit the weights of an uninterrupted one.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ..checks import Dl101Error
from ..files import atomic_write

NPZ, JSON = "checkpoint.npz", "checkpoint.json"


def save(folder, settings, trainer, history, epoch):
    """Write the state of ``trainer`` (between two steps of epoch ``epoch``) to ``folder``."""
    arrays = {name: theta for name, theta, _ in trainer.model.parameters()}
    arrays.update({f"opt_{k}": v for k, v in trainer.opt.state_dict().items()})
    arrays["order"] = trainer.order
    with atomic_write(Path(folder) / NPZ) as f:
        np.savez(f, **arrays)
    state = {"settings": settings.as_dict(), "epoch": epoch, "position": trainer.position,
             "total_loss": trainer.total_loss, "correct": trainer.correct,
             "rng": trainer.rng.bit_generator.state, "history": history}
    with atomic_write(Path(folder) / JSON, "w") as f:
        json.dump(state, f, indent=1)


def load_state(folder) -> dict:
    """The JSON half of a checkpoint, with a clear error when there is none."""
    path = Path(folder) / JSON
    if not path.is_file() or not (Path(folder) / NPZ).is_file():
        raise Dl101Error(f"cannot resume {folder}: no checkpoint there (a run leaves {NPZ} and {JSON} "
                         f"when Ctrl-C or SIGTERM stops it; a finished run has nothing to resume)")
    try:
        return json.loads(path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise Dl101Error(f"{path} is corrupt ({err}); cannot resume") from None


def restore(folder, state, trainer):
    """Put the saved arrays and counters back into ``trainer`` (model, optimiser, order, rng)."""
    with np.load(Path(folder) / NPZ, allow_pickle=False) as npz:
        for name, theta, _ in trainer.model.parameters():
            theta[...] = npz[name]
        trainer.opt.load_state_dict({k[4:]: npz[k] for k in npz.files if k.startswith("opt_")})
        trainer.order = npz["order"]
    trainer.position, trainer.total_loss = state["position"], state["total_loss"]
    trainer.correct = state["correct"]
    trainer.rng.bit_generator.state = state["rng"]


def remove(folder):
    for name in (NPZ, JSON):
        (Path(folder) / name).unlink(missing_ok=True)
