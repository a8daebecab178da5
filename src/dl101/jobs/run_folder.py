"""Runs: the :class:`Run` object, where a run of the main job is written, and how a finished one
is read back (its settings, metrics and history from ``metrics.json``, its model, its data)."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..checks import Dl101Error
from ..train import History
from .settings import MnistSettings


def prepare_folder(settings, options) -> Path:
    if options.out is None:
        return Path("runs") / f"{settings.dataset}-{datetime.now():%Y%m%d-%H%M%S}"
    folder = Path(options.out)
    if folder.exists() and any(folder.iterdir()) and not options.force:
        raise Dl101Error(f"run folder {folder} already exists; pass --force to overwrite it, "
                         f"--resume {folder} to continue it, or choose another --out")
    return folder


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
    holds; None while interrupted) and data set, loaded on first use from the settings."""

    folder: Path | None
    settings: MnistSettings
    model: object
    history: History
    metrics: dict | None
    cache_dir: str | None = None
    loaded: object = field(default=None, repr=False)  # the data set, once loaded

    @property
    def dataset(self):
        """The data set (and the classes) the model was trained on."""
        if self.loaded is None:
            self.loaded = load_data(self.settings, self.cache_dir)
        return self.loaded

    def test_predictions(self):
        """The model's predicted class for every test image."""
        return self.model.predict(self.dataset.x_test)


def open_run(folder, cache_dir=None) -> Run:
    """A finished run folder read back: its settings, metrics, history and model; its data set
    (the one ``metrics.json`` names) loads when first used."""
    from ..saving import load_model
    folder = Path(folder)
    model = load_model(folder)
    try:
        metrics = json.loads((folder / "metrics.json").read_text())
        settings = MnistSettings(**metrics["settings"])
        history = metrics["history"]
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise Dl101Error(f"{folder}/metrics.json is missing or unreadable ({err}); it names the data "
                         f"set the model was trained on") from None
    if "train_loss" in history:
        raise Dl101Error(f"{folder}/metrics.json names its history train_loss, test_loss, ...: an "
                         f"older dl101 wrote it; train the run again")
    try:
        history = History(**history)
    except TypeError as err:
        raise Dl101Error(f"{folder}/metrics.json holds an unknown history ({err})") from None
    return Run(folder, settings, model, history, metrics, cache_dir)
