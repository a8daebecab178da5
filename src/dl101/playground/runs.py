"""A finished ``dl101 mnist`` run as the playground's starting point (``--run RUN``)."""

from __future__ import annotations

from ..checks import Dl101Error
from . import problems
from .config import Config


class Start:
    """A finished ``dl101 mnist`` run as the playground's starting point."""

    def __init__(self, config, model, problem, history, steps, epochs):
        self.config, self.model, self.problem = config, model, problem
        self.history, self.steps, self.epochs = history, steps, epochs


def open_finished_run(folder) -> Start:
    """A finished run folder, read with :func:`dl101.jobs.run_folder.open_run` (the one place the
    playground reads a run): its settings as a configuration, its model, data and curves."""
    from ..jobs.run_folder import open_run
    run = open_run(folder)
    settings, model, dataset, h = run.settings, run.model, run.dataset, run.history
    if settings.dataset not in ("digits", "mnist"):
        raise Dl101Error(f"--run {folder}: the playground opens runs on digits or mnist, not "
                         f"{settings.dataset}")
    config = Config(dataset=settings.dataset, subset=list(settings.classes or []),
                    hidden=model.widths[1:-1], act=[layer.sigma.name for layer in model.layers[:-1]],
                    init=settings.init, seed=settings.seed, lr=settings.lr, bs=settings.batch_size,
                    opt=settings.optimizer, epochs=max(settings.epochs, 1000)).checked()
    problem = problems.Problem("image", dataset.x_train, dataset.y_train, dataset.x_test,
                               dataset.y_test, list(dataset.class_names), tuple(dataset.image_shape))
    per_epoch = -(-len(dataset.x_train) // settings.batch_size)
    # the curves' rows: step, batch loss, train loss, train accuracy, test loss, test accuracy
    # (the job's validation data is its test set)
    rows = [[e * per_epoch, h.loss[i], h.loss[i], h.accuracy[i], h.val_loss[i], h.val_accuracy[i]]
            for i, e in enumerate(h.epoch)]
    return Start(config, model, problem, rows, rows[-1][0] if rows else 0, len(rows))
