"""The trained networks the MNIST figures share, each trained (or read) once per :class:`Context`.

- :func:`lecture_network`: the lecture's 784-64-32-10 MNIST network, read from the run folder
  given with ``--run``, else trained here by the main job itself, ``dl101 mnist`` with its defaults
  (12 epochs, batch 64, λ = 0.01, SGD) and the context's seed, in a temporary folder; so the figures
  show exactly what ``dl101 mnist --seed S`` would have trained.
- :func:`four_class_network`: the network the lecture draws, 784-16-8-4 (ReLU, softmax) on the
  digits 0 to 3, with 8 neurons before the output, trained the same way with the same defaults.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass

import numpy as np

FOUR_CLASSES = dict(widths=[784, 16, 8, 4], classes=[0, 1, 2, 3])


@dataclass
class Trained:
    """What a run folder holds, in memory: its settings, model, data set and per-epoch history."""

    settings: object
    model: object
    dataset: object
    history: dict

    def test_predictions(self):
        """The model's predicted class for every test image."""
        return self.model.predict(self.dataset.x_test)


def from_run(ctx, folder):
    """The run in ``folder``, its data set loaded once per context."""
    from ..jobs.run_folder import read_run
    settings, metrics, model = read_run(folder)
    return Trained(settings, model, dataset(ctx, settings), _history(metrics, folder))


HISTORY = ("train_loss", "train_accuracy", "test_loss", "test_accuracy")


def _history(metrics, folder):
    """``metrics["history"]`` if it holds a list of numbers (or nulls) per curve, one per epoch."""
    from ..checks import Dl101Error
    history = metrics.get("history")
    curves = [history.get(k) for k in HISTORY] if isinstance(history, dict) else [None]
    if not all(isinstance(c, list) and len(c) == len(curves[0]) and all(
            v is None or (isinstance(v, (int, float)) and not isinstance(v, bool)) for v in c)
            for c in curves):
        raise Dl101Error(f"{folder}/metrics.json: 'history' must hold lists of numbers, one per "
                         f"epoch, for {', '.join(HISTORY)}")
    return history


def train(ctx, **settings):
    """Run the main job with these settings (else its defaults) and read its run folder back."""
    from ..jobs import mnist
    from ..jobs.settings import MnistSettings, RunOptions
    with tempfile.TemporaryDirectory(prefix="dl101-figures-") as folder:
        options = RunOptions(out=folder, force=True, cache_dir=ctx.cache_dir, figures=False)
        _, metrics = mnist.run(MnistSettings(**settings), options, log=lambda *_: None)
        if metrics is None:  # the job caught Ctrl-C and stopped: so do the figures
            raise KeyboardInterrupt
        return from_run(ctx, folder)


def dataset(ctx, settings):
    """The data set of ``settings`` (with its classes), loaded once per context."""
    from ..jobs.run_folder import load_data
    key = ("data", settings.dataset, tuple(settings.classes or ()))
    return ctx.once(key, lambda: load_data(settings, ctx.cache_dir))


def lecture_network(ctx) -> Trained:
    """The 784-64-32-10 network: ``ctx.run``'s, else trained once with the job's defaults."""
    if ctx.run:
        return ctx.once("run", lambda: from_run(ctx, ctx.run))
    return ctx.once("lecture", lambda: train(ctx, seed=ctx.seed))


def lecture_data(ctx):
    """``ctx.run``'s data set, else MNIST: for the figures that need the data but no network."""
    from ..jobs.settings import MnistSettings
    return lecture_network(ctx).dataset if ctx.run else dataset(ctx, MnistSettings())


def four_class_network(ctx) -> Trained:
    """The 784-16-8-4 network on the digits 0-3 that the lecture draws, trained once."""
    return ctx.once("four-classes", lambda: train(ctx, seed=ctx.seed, **FOUR_CLASSES))


def example_digit(trained, seed=0):
    """A test image the network classifies correctly, picked with ``seed``: (x, its label)."""
    right = np.flatnonzero(trained.test_predictions() == trained.dataset.y_test)
    i = np.random.default_rng(seed).choice(right)
    return trained.dataset.x_test[i], int(trained.dataset.y_test[i])
