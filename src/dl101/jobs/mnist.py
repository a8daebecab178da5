"""The main job: the lecture's handwritten-digit example from A to Z.

``run(MnistSettings(), RunOptions())`` loads the data, builds the lecture's 784-64-32-10 network,
trains it by mini-batch SGD with a progress bar and one summary line per epoch, evaluates it on the
test set after each epoch, and writes a run folder: ``metrics.json``, ``model.npz`` + ``model.json``
and the figures. Ctrl-C or SIGTERM stops it after the current step with a checkpoint that
``RunOptions(resume=folder)`` continues exactly.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import time
from pathlib import Path

import numpy as np

from .. import losses, optim
from ..checks import Dl101Error
from ..mlp import MLP
from ..saving import save_model
from ..threads import blas_threads, limited
from ..train import Trainer, evaluate
from . import checkpoint, report
from .run_folder import load_data, prepare_folder
from .settings import MnistSettings, RunOptions

INTERRUPTED = 130  # the exit status of a run stopped by Ctrl-C or SIGTERM, as shells report SIGINT


def build_model(settings, dataset):
    """The lecture's MLP, its input and output sizes checked against the data."""
    d, k = dataset.x_train.shape[1], len(dataset.class_names)
    widths = settings.widths or [d, 64, 32, k]
    if widths[0] != d or widths[-1] != k:
        raise Dl101Error(f"--widths {' '.join(map(str, widths))} do not fit {settings.dataset}: its "
                         f"inputs have {d} values and it has {k} classes, so the widths must start "
                         f"with {d} and end with {k}")
    return MLP(widths, settings.activation, "softmax", settings.init, settings.seed, settings.dtype)


@contextlib.contextmanager
def stop_on_signals(trainer):
    """While training, Ctrl-C and SIGTERM ask the trainer to stop at the end of the current step."""
    def request_stop(signum, frame):
        trainer.stop_requested = signal.Signals(signum).name
    previous = {s: signal.signal(s, request_stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def _print(*args):
    print(*args, flush=True)  # flushed: a progress log read through a pipe must not lag behind


def run(settings: MnistSettings, options: RunOptions = RunOptions(), log=_print):
    """Train, evaluate and write the run folder; returns ``(folder, metrics)``, or
    ``(folder, None)`` when a signal interrupted the run (a checkpoint is then in the folder)."""
    state = None
    if options.resume:
        folder = Path(options.resume)
        state = checkpoint.load_state(folder)
        settings = MnistSettings(**state["settings"])
    else:
        folder = prepare_folder(settings, options)
    settings.check()
    dataset = load_data(settings, options.cache_dir)
    model = build_model(settings, dataset)
    x, y = dataset.x_train.astype(model.dtype, copy=False), dataset.y_train
    if settings.batch_size > len(x):
        raise Dl101Error(f"--batch-size {settings.batch_size} is larger than the {len(x)} training "
                         f"images; use at most {len(x)}")
    loss = losses.get("cross_entropy")
    opt = optim.get(settings.optimizer, model.parameters(flat=True), settings.lr)
    # the data order has its own stream, so changing the initialiser does not change the order
    trainer = Trainer(model, x, y, loss, opt, settings.batch_size, np.random.default_rng([1, settings.seed]))
    history = {k: [] for k in ("epoch", "train_loss", "train_accuracy", "test_loss", "test_accuracy",
                               "seconds")}
    first_epoch = 1
    if state:
        checkpoint.restore(folder, state, trainer)
        history, first_epoch = state["history"], state["epoch"]
        log(f"resuming {folder} at epoch {first_epoch}, step {trainer.position + 1}/{trainer.n_batches}")
    else:
        folder.mkdir(parents=True, exist_ok=True)
    threads = settings.threads or blas_threads(model.widths, settings.batch_size)
    log(f"{settings.dataset}: {len(x):,} training and {len(dataset.x_test):,} test images; "
        f"{model}; batch {settings.batch_size}, lr {settings.lr:g}, {settings.optimizer}, "
        f"{settings.epochs} epochs, {threads} BLAS thread{'s' * (threads > 1)} -> {folder}")
    with limited(threads), stop_on_signals(trainer):
        for epoch in range(first_epoch, settings.epochs + 1):
            start = time.perf_counter()
            with progress_bar(trainer, epoch, settings.epochs) as bar:
                logs = trainer.epoch([bar])
            if logs is None:
                checkpoint.save(folder, settings, trainer, history, epoch)
                log(f"{trainer.stop_requested}: stopped at epoch {epoch}, step {trainer.position}/"
                    f"{trainer.n_batches}; checkpoint saved. Continue with: dl101 mnist --resume {folder}")
                return folder, None
            seconds = time.perf_counter() - start
            test = evaluate(model, dataset.x_test, dataset.y_test)
            for key, value in zip(history, (epoch, logs["loss"], logs["accuracy"], test.loss,
                                            test.accuracy, seconds)):
                history[key].append(value)
            log(f"epoch {epoch:>2}/{settings.epochs}  train loss {logs['loss']:.4f}  accuracy "
                f"{logs['accuracy']:.2%}  test loss {test.loss:.4f}  accuracy {test.accuracy:.2%}  "
                f"{seconds:.2f} s")
        metrics = finish(folder, settings, options, model, dataset, history, test)
    log(report.final_table(history))
    log(f"test accuracy {test.accuracy:.2%} after {settings.epochs} epochs; run folder {folder}")
    return folder, metrics


def finish(folder, settings, options, model, dataset, history, test):
    """Save the model, the metrics and the figures; remove any checkpoint."""
    save_model(model, folder)
    metrics = {
        "settings": {**settings.as_dict(), "widths": model.widths},
        "n_parameters": model.n_parameters,
        "data": {"name": dataset.name, "source": dataset.source, "checksums": dataset.checksums,
                 "n_train": len(dataset.x_train), "n_test": len(dataset.x_test),
                 "class_names": dataset.class_names, "image_shape": list(dataset.image_shape),
                 "classes": settings.classes},
        "history": history,
        "final": {"test_loss": test.loss, "test_accuracy": test.accuracy,
                  "train_loss": history["train_loss"][-1], "train_accuracy": history["train_accuracy"][-1]},
        "seconds_per_epoch": float(np.mean(history["seconds"])),
        "environment": report.environment(),
    }
    report.write_metrics(folder / "metrics.json", metrics)
    if options.figures:
        draw_figures(folder, history, dataset, test)
    checkpoint.remove(folder)
    return metrics


def draw_figures(folder, history, dataset, test):
    """The run's pictures as PNG (``dl101 figures --run RUN`` draws them as SVG too, for slides)."""
    from ..figures import save, training
    names = dataset.class_names
    figures = {"curves": training.training_curves(history, dataset.name),
               "confusion": training.confusion_matrix(dataset.y_test, test.predictions, names),
               "misclassified": training.misclassified(dataset.x_test, dataset.y_test, test.probabilities,
                                                       names, dataset.image_shape)}
    for name, fig in figures.items():
        save(fig, folder, name, formats=("png",), dpi=100)


@contextlib.contextmanager
def progress_bar(trainer, epoch, epochs):
    """A tqdm bar over the epoch's steps with the live loss, shown only on a terminal."""
    from tqdm import tqdm
    from ..callbacks import Callback

    bar = tqdm(total=trainer.n_batches, initial=trainer.position, desc=f"epoch {epoch}/{epochs}",
               unit="batch", leave=False, disable=None, file=sys.stderr)

    class Update(Callback):
        def on_batch_end(self, step, value):
            if step % 20 == 0:
                bar.set_postfix(loss=f"{value:.4f}", refresh=False)
            bar.update()

    try:
        yield Update()
    finally:
        bar.close()
