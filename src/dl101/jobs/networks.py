"""The trained networks the MNIST figures share, each trained (or read) once per :class:`Context`.

- :func:`lecture_network`: the lecture's 784-64-32-10 MNIST network, read from the run folder
  given with ``--run``, else trained here as the main job trains it (:func:`.mnist.train`, in
  memory), ``dl101 mnist`` with its defaults (12 epochs, batch 64, λ = 0.01, SGD) and the
  context's seed; so the figures show exactly what ``dl101 mnist --seed S`` would have trained.
- :func:`four_class_network`: the network the lecture draws, 784-16-8-4 (ReLU, softmax) on the
  digits 0 to 3, with 8 neurons before the output, trained the same way with the same defaults.

Each is a :class:`~.run_folder.Run`.
"""

from __future__ import annotations

import numpy as np

from .run_folder import Run, load_data, open_run
from .settings import MnistSettings

FOUR_CLASSES = dict(widths=[784, 16, 8, 4], classes=[0, 1, 2, 3])


def dataset(ctx, settings):
    """The data set of ``settings`` (with its classes), loaded once per context."""
    key = ("data", settings.dataset, tuple(settings.classes or ()))
    return ctx.once(key, lambda: load_data(settings, ctx.cache_dir))


def from_run(ctx, folder) -> Run:
    """The run in ``folder``, its data set loaded once per context."""
    run = open_run(folder, ctx.cache_dir)
    run.loaded = dataset(ctx, run.settings)
    return run


def train(ctx, **settings) -> Run:
    """The main job's network with these settings (else its defaults), trained in memory."""
    from . import mnist
    settings = MnistSettings(**settings)
    return mnist.train(settings, dataset(ctx, settings), cache_dir=ctx.cache_dir)


def lecture_network(ctx) -> Run:
    """The 784-64-32-10 network: ``ctx.run``'s, else trained once with the job's defaults."""
    if ctx.run:
        return ctx.once("run", lambda: from_run(ctx, ctx.run))
    return ctx.once("lecture", lambda: train(ctx, seed=ctx.seed))


def lecture_data(ctx):
    """``ctx.run``'s data set, else MNIST: for the figures that need the data but no network."""
    return lecture_network(ctx).dataset if ctx.run else dataset(ctx, MnistSettings())


def four_class_network(ctx) -> Run:
    """The 784-16-8-4 network on the digits 0-3 that the lecture draws, trained once."""
    return ctx.once("four-classes", lambda: train(ctx, seed=ctx.seed, **FOUR_CLASSES))


def example_digit(run, seed=0):
    """A test image the network classifies correctly, picked with ``seed``: (x, its label)."""
    right = np.flatnonzero(run.test_predictions() == run.dataset.y_test)
    i = np.random.default_rng(seed).choice(right)
    return run.dataset.x_test[i], int(run.dataset.y_test[i])
