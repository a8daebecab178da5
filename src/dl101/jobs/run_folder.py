"""Runs: the :class:`Run` object, where a run of the main job is written, and how a finished one
is read back (its settings, metrics and history from ``metrics.json``, its model, its data)."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..checks import Dl101Error
from ..train import History
from . import manifest
from .lock import NAME as LOCK
from .lock import RunLock
from .settings import MnistSettings


def prepare_folder(settings, options) -> Path:
    """The run folder for a new run, checked before any data is loaded: a valid name, and a folder
    that exists or can be made, writable, not in use by another run, and empty unless --force."""
    folder = Path(options.out) if options.out is not None else (
        Path("runs") / f"{settings.dataset}-{datetime.now():%Y%m%d-%H%M%S}")
    check_writable(folder)
    if folder.is_dir():
        RunLock(folder).refuse_if_held()
        if any(p.name != LOCK for p in folder.iterdir()) and not options.force:
            raise Dl101Error(f"run folder {folder} already exists; pass --force to overwrite it, "
                             f"--resume {folder} to continue it, or choose another --out")
    return folder


def check_writable(folder):
    """A clear error unless ``folder`` is, or can be made, a folder this process can write to."""
    name_max = 255
    for part in folder.parts:
        if len(os.fsencode(part)) > name_max:
            raise Dl101Error(f"--out {folder}: the name {part[:20]}... is {len(os.fsencode(part))} bytes "
                             f"long, more than the {name_max} a file name may have")
    existing = folder
    while not existing.exists() and existing != existing.parent:
        if existing.is_symlink():
            raise Dl101Error(f"--out {folder}: {existing} is a broken link")
        existing = existing.parent
    existing = existing if existing.exists() else Path(".")
    if not existing.is_dir():
        raise Dl101Error(f"--out {folder}: {existing} is a file, not a folder; choose another --out")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise Dl101Error(f"--out {folder}: cannot write in {existing} (permission denied or a "
                         f"read-only disk); choose another --out")


@dataclass
class Claim:
    """A run folder taken for one run: its lock held, its ``run.json`` naming the run."""

    folder: Path
    lock: RunLock
    run_id: str
    created: bool

    def release(self, failed=False):
        """Give the folder back; after a failure that wrote nothing, leave no trace of the run."""
        if failed and self.created:
            record = manifest.read(self.folder) if self.folder.is_dir() else None
            if record is not None and not record["files"]:
                (self.folder / manifest.NAME).unlink(missing_ok=True)
        self.lock.release()
        if failed and self.created:
            with contextlib.suppress(OSError):
                self.folder.rmdir()  # only if empty


def claim(folder, force=False, resume=False) -> Claim:
    """Make ``folder``, take its lock (refused while another run holds it) and, for a new run,
    remove the previous run's recorded files (``--force``) and start its ``run.json``."""
    created = not folder.exists()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise Dl101Error(f"cannot make the run folder {folder}: {err.strerror}") from None
    lock = RunLock(folder).acquire()
    try:
        manifest.sweep_parts(folder)  # what a killed run was writing
        if resume:
            return Claim(folder, lock, manifest.read(folder)["run_id"], created)
        if any(p.name != LOCK for p in folder.iterdir()) and not force:  # written since prepare_folder
            raise Dl101Error(f"run folder {folder} already exists; pass --force to overwrite it")
        manifest.remove_recorded(folder)
        return Claim(folder, lock, manifest.start(folder), created)
    except BaseException:
        lock.release()
        raise


def save_results(folder, run, draw=None):
    """Write the finished ``run``'s model and ``metrics.json`` (then its figures, ``draw(folder,
    run)`` returning the names written) into ``folder`` and drop the checkpoint. If the folder
    cannot take the model (a full disk, a permission), it goes to a temporary folder: the error
    says where (:mod:`.rescue`)."""
    from ..saving import save_model
    from . import checkpoint, report, rescue

    def write(place):
        save_model(run.model, place)
        manifest.add(place, "model.npz", "model.json")
        report.write_metrics(place / "metrics.json", run.metrics)
        manifest.add(place, "metrics.json")

    try:
        write(folder)
    except OSError as err:
        rescue.elsewhere(folder, err, "the trained model", write,
                         f"copy its files into {folder} once there is room")
    try:
        if draw is not None:
            manifest.add(folder, *draw(folder, run))
        checkpoint.remove(folder)
    except OSError as err:
        raise Dl101Error(f"the model and metrics.json are saved in {folder}, but not the rest "
                         f"({rescue.reason(err)}: {err.filename}); free some space, then draw the "
                         f"figures with: dl101 figures --run {folder}") from None


def load_data(settings, cache_dir=None):
    """The data set of the settings, reduced to ``settings.classes`` when given."""
    from .. import data
    dataset = data.load(settings.dataset, cache_dir=cache_dir)
    if not settings.classes:
        return dataset
    classes = list(settings.classes)
    unknown = sorted(set(classes) - set(range(len(dataset.class_names))))
    if unknown or len(set(classes)) != len(classes) or len(classes) < 2:
        raise Dl101Error(f"--classes {' '.join(map(str, classes))}: give at least two distinct "
                         f"classes among 0..{len(dataset.class_names) - 1}")
    x_train, y_train = data.keep_classes(dataset.x_train, dataset.y_train, classes)
    x_test, y_test = data.keep_classes(dataset.x_test, dataset.y_test, classes)
    return dataclasses.replace(dataset, x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test,
                               class_names=[dataset.class_names[c] for c in classes])


@dataclass
class Run:
    """One run of the main job, in memory: its folder (None for a run trained in memory only),
    settings, model, per-epoch :class:`~dl101.train.History`, metrics (what ``metrics.json``
    holds; None while interrupted) and data set, loaded on first use from the settings; ``test``:
    the final model's :class:`~dl101.train.Evaluation` on the test set, once computed."""

    folder: Path | None
    settings: MnistSettings
    model: object
    history: History
    metrics: dict | None
    cache_dir: str | None = None
    loaded: object = field(default=None, repr=False)  # the data set, once loaded
    test: object = field(default=None, repr=False)

    @property
    def dataset(self):
        """The data set (and the classes) the model was trained on."""
        if self.loaded is None:
            self.loaded = load_data(self.settings, self.cache_dir)
        return self.loaded

    def test_evaluation(self):
        """The final model on the test set (computed once, then kept in ``test``)."""
        if self.test is None:
            from ..train import evaluate
            self.test = evaluate(self.model, self.dataset.x_test, self.dataset.y_test)
        return self.test

    def test_predictions(self):
        """The model's predicted class for every test image."""
        return self.test_evaluation().predictions


def open_run(folder, cache_dir=None) -> Run:
    """A finished run folder read back: its settings, metrics, history and model; its data set
    (the one ``metrics.json`` names) loads when first used."""
    from ..saving import load_model
    folder = Path(folder)
    model = load_model(folder)
    try:
        metrics = json.loads((folder / "metrics.json").read_text())
        settings = MnistSettings(**metrics["settings"])
        history = metrics.get("history")
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise Dl101Error(f"{folder}/metrics.json is missing or unreadable ({err}); it names the data "
                         f"set the model was trained on") from None
    if isinstance(history, dict) and "train_loss" in history:
        raise Dl101Error(f"{folder}/metrics.json names its history train_loss, test_loss, ...: an "
                         f"older dl101 wrote it; train the run again")
    return Run(folder, settings, model, _history(history, folder), metrics, cache_dir)


CURVES = ("loss", "accuracy", "val_loss", "val_accuracy")


def _history(history, folder) -> History:
    """``metrics["history"]`` as a :class:`History`, if it holds a list of numbers (or nulls) per
    curve, one per epoch; else a clear error (a hand-edited file must not draw wrong curves)."""
    curves = [history.get(k) for k in CURVES] if isinstance(history, dict) else [None]
    if not all(isinstance(c, list) and len(c) == len(curves[0]) and all(
            v is None or (isinstance(v, (int, float)) and not isinstance(v, bool)) for v in c)
            for c in curves):
        raise Dl101Error(f"{folder}/metrics.json: 'history' must hold lists of numbers, one per "
                         f"epoch, for {', '.join(CURVES)}")
    try:
        return History(**history)
    except TypeError as err:
        raise Dl101Error(f"{folder}/metrics.json holds an unknown history ({err})") from None
