"""Run folders: where a run of the main job is written, and how a finished one is read back
(its settings and metrics from ``metrics.json``, its model, and the data it was trained on)."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime
from pathlib import Path

from ..checks import Dl101Error
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


def open_run(folder, cache_dir=None):
    """A finished run folder read back: ``(settings, metrics, model, dataset)``, the dataset being
    the one (and the classes) the model was trained on, as ``metrics.json`` records."""
    settings, metrics, model = read_run(folder)
    return settings, metrics, model, load_data(settings, cache_dir)


def read_run(folder):
    """A finished run folder's ``(settings, metrics, model)``, without its data."""
    from ..saving import load_model
    folder = Path(folder)
    model = load_model(folder)
    try:
        metrics = json.loads((folder / "metrics.json").read_text())
        settings = MnistSettings(**metrics["settings"])
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise Dl101Error(f"{folder}/metrics.json is missing or unreadable ({err}); it names the data "
                         f"set the model was trained on") from None
    return settings, metrics, model
