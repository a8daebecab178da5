"""The main job: the lecture's handwritten-digit example from A to Z.

``run(MnistSettings(), RunOptions())`` is settings → data → model → :func:`dl101.fit` → run folder:
it loads the data, builds the lecture's 784-64-32-10 network, trains it by mini-batch SGD with a
progress bar, one line per epoch and, after the first, an estimate for the whole run
(:mod:`.summary`), evaluates it on the test set after each epoch (the history's ``val_loss`` and
``val_accuracy``; on held-out training images with ``--validation-split``, see :mod:`.fitting`),
and writes a run folder: ``metrics.json``, ``model.npz`` + ``model.json`` and the figures, then
points ``runs/latest`` at it (:mod:`.latest`) and closes with a short summary. Ctrl-C or SIGTERM
stops it after the current step with a checkpoint that ``RunOptions(resume=folder)`` continues
exactly.

Seeding: ``--seed S`` builds ``MLP(widths, ..., seed=S)`` and calls ``fit(..., seed=S)``, so
``dl101 mnist --seed S`` and ``dl101.fit(MLP(..., seed=S), x, y, seed=S)`` give the same weights.
"""

from __future__ import annotations

import time
from pathlib import Path

from ..callbacks import PrintProgress, ProgressBar, StopOnSignals, Validation
from ..checks import Dl101Error
from ..mlp import MLP
from ..threads import blas_threads, limited
from ..train import evaluate, fit
from ..trainer_state import StateError
from . import checkpoint, fitting, latest, manifest, report, summary
from .run_folder import Run, claim, load_data, prepare_folder, save_results
from .settings import MnistSettings, RunOptions

INTERRUPTED = 130  # the exit status of a run stopped by Ctrl-C or SIGTERM, as shells report SIGINT


def build_model(settings, dataset):
    """The lecture's MLP, its input and output sizes checked against the data."""
    d, k = dataset.x_train.shape[1], len(dataset.class_names)
    fitting.check_data(settings, len(dataset.x_train))
    widths = settings.widths or [d, 64, 32, k]
    if widths[0] != d or widths[-1] != k:
        raise Dl101Error(f"--widths {' '.join(map(str, widths))} do not fit {settings.dataset}: its "
                         f"inputs have {d} values and it has {k} classes, so the widths must start "
                         f"with {d} and end with {k}")
    if settings.batch_size > len(dataset.x_train):
        raise Dl101Error(f"--batch-size {settings.batch_size} is larger than the {len(dataset.x_train)} "
                         f"training images; use at most {len(dataset.x_train)}")
    return MLP(widths, settings.activation, "softmax", settings.init, settings.seed, settings.dtype)


def train(settings: MnistSettings, dataset, model=None, callbacks=(), state=None, folder=None,
          cache_dir=None) -> Run:
    """The settings' network (``model``, else built here) trained on ``dataset`` by
    :func:`dl101.fit`, the test set (or ``--validation-split``'s held-out images, see
    :mod:`.fitting`) evaluated after each epoch, with ``callbacks`` too; ``state`` continues a
    checkpoint. Returns the :class:`Run`, its metrics None when a stop request ended it early."""
    model = model if model is not None else build_model(settings.check(), dataset)
    threads = settings.threads or blas_threads(model.widths, settings.batch_size)
    per_epoch = [] if settings.validation_split else [Validation(dataset.x_test, dataset.y_test)]
    early = fitting.early_stopping(settings)
    name, options = fitting.optimizer(settings)
    with limited(threads):
        history = fit(model, dataset.x_train, dataset.y_train, epochs=settings.epochs,
                      batch_size=settings.batch_size, lr=settings.lr, optimizer=name,
                      optimizer_options=options, validation_split=settings.validation_split,
                      seed=settings.seed, verbose=0, state=state,
                      callbacks=[*per_epoch, *early, *callbacks])
        metrics, test = None, None
        if history.epochs == settings.epochs or any(e.stopped_epoch for e in early):  # else a stop request
            # the final weights on the test set: what the last epoch's Validation computed, if it ran
            test = per_epoch[0].result if per_epoch and per_epoch[0].result is not None else \
                evaluate(model, dataset.x_test, dataset.y_test)
            metrics = report.metrics(settings, model, dataset, history, test, threads)
    return Run(folder, settings, model, history, metrics, cache_dir, dataset, test)


def _print(*args):
    print(*args, flush=True)  # flushed: a progress log read through a pipe must not lag behind


def run(settings: MnistSettings | None = None, options: RunOptions = RunOptions(), log=_print,
        given=None, command=None) -> Run:
    """Train, evaluate and write the run folder; returns the :class:`Run`, whose ``metrics`` are
    None when a signal interrupted it (a checkpoint is then in the folder).

    With ``options.resume``, the run continues with its own settings (``settings``, when given,
    must agree with them; ``given``: the names the user set, see :func:`checkpoint.resumed`).
    ``command``: the command line, as ``metrics.json`` records it (None from Python)."""
    started = time.perf_counter()
    state = None
    if options.resume:
        folder = Path(options.resume)
        saved, saved_options, state = checkpoint.load(folder)
        settings, options = checkpoint.resumed(folder, saved, saved_options, settings, options, given)
    else:
        settings = settings if settings is not None else MnistSettings()
        folder = prepare_folder(settings.check(), options)
    settings.check()
    dataset = load_data(settings, options.cache_dir)
    model = build_model(settings, dataset)  # checked before the folder is made
    taken = claim(folder, options.force, resume=state is not None)
    try:
        result = _train_into(taken, settings, options, dataset, model, state, log, command, started)
    except BaseException:
        taken.release(failed=True)
        raise
    taken.release()
    return result


def _train_into(taken, settings, options, dataset, model, state, log, command, started) -> Run:
    folder = taken.folder
    if state:
        n_batches = -(-int(state["n_samples"]) // int(state["batch_size"]))
        log(f"resuming {folder} in epoch {int(state['epoch_count']) + 1} after step "
            f"{int(state['position'])}/{n_batches}")
    threads = settings.threads or blas_threads(model.widths, settings.batch_size)
    log(summary.header(settings, dataset, model, threads, folder))
    saver = checkpoint.SaveOnStop(folder, settings, taken.run_id,
                                  {k: getattr(options, k) for k in checkpoint.KEPT_OPTIONS})
    callbacks = [StopOnSignals(), ProgressBar(settings.epochs, leave=False, disable=None),
                 PrintProgress(settings.epochs, log=log, line=summary.epoch_line(settings)),
                 summary.Estimate(settings.epochs, log, early_stopping=settings.early_stopping is not None),
                 saver]
    try:
        result = train(settings, dataset, model, callbacks, state, folder, options.cache_dir)
    except StateError as err:
        raise Dl101Error(f"{folder / checkpoint.NAME}: {err}; cannot resume") from None
    if saver.saved:
        log(f"{result.history.stopped_because}; checkpoint saved. Continue with: dl101 mnist "
            f"--resume {folder}")
        return result
    result.metrics.update(command=command, wall_seconds=time.perf_counter() - started)
    save_results(folder, result, draw_figures if options.figures else None)
    label = summary.write_example(folder, result.dataset)
    manifest.add(folder, summary.EXAMPLE)
    log(summary.closing(result, time.perf_counter() - started, latest.point(folder), label))
    return result


def draw_figures(folder, run):
    """The run's pictures as PNG (``dl101 figures --run RUN`` draws them as SVG too, for slides)."""
    from ..figures import save, training
    d, test = run.dataset, run.test_evaluation()
    figures = {"curves": training.training_curves(run.history, d.name,
                                                  val_label=fitting.val_name(run.settings)),
               "confusion": training.confusion_matrix(d.y_test, test.predictions, d.class_names),
               "misclassified": training.misclassified(d.x_test, d.y_test, test.probabilities,
                                                       d.class_names, d.image_shape)}
    for name, fig in figures.items():
        save(fig, folder, name, formats=("png",), dpi=100)
    return [f"{name}.png" for name in figures]
