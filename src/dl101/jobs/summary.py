"""What ``dl101 mnist`` tells the user, each line at most 80 columns: its first lines (data,
network, training), a line per epoch, an estimate for the whole run after the first epoch, and a
short closing summary with the commands to try next."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from ..callbacks import Callback
from . import fitting


def header(settings, dataset, model, threads, folder) -> str:
    """The job's first lines: the data, the network, how it trains, where it writes."""
    plural = "s" * (threads > 1)
    lines = [f"{settings.dataset}: {len(dataset.x_train):,} training and {len(dataset.x_test):,} "
             f"test images -> {folder}",
             f"network {'-'.join(map(str, model.widths))} ({settings.activation}, softmax), "
             f"{model.n_parameters:,} parameters, {settings.dtype}",
             f"{fitting.describe(settings)}, batch {settings.batch_size}, lr {settings.lr:g}, "
             f"{settings.epochs} epoch{'s' * (settings.epochs != 1)}, {threads} BLAS thread{plural}"]
    if settings.validation_split is not None:
        v = fitting.validation(settings, len(dataset.x_train))
        lines.append(f"validation: the last {v['n_validation']:,} training images, held out "
                     f"(--validation-split {settings.validation_split:g})")
    if settings.early_stopping is not None:
        watched = "the test set" if settings.validation_split is None else "the held-out images"
        lines.append(f"early stopping: after {settings.early_stopping} epochs without a lower "
                     f"val_loss (on {watched})")
    return "\n".join(lines)


def epoch_line(settings):
    """``epoch  3/12  train loss 0.2412 acc 93.10%  test loss 0.2500 acc 92.80%  1.2 s``."""
    val = "val" if settings.validation_split is not None else "test"
    width = len(str(settings.epochs))

    def line(epoch, logs):
        text = f"epoch {epoch:>{width}}/{settings.epochs}  train {_pair(logs, '')}"
        if logs.get("val_loss") is not None:
            text += f"  {val} {_pair(logs, 'val_')}"
        return text + f"  {_seconds(logs['seconds'])}"
    return line


def _pair(logs, prefix):
    accuracy = logs.get(prefix + "accuracy")
    return f"loss {logs[prefix + 'loss']:.4f}" + (f" acc {accuracy:.2%}" if accuracy is not None else "")


def _seconds(s):
    return f"{s:.1f} s" if s < 100 else f"{s:.0f} s"


def duration(s) -> str:
    """``0.4 s``, ``45 s``, ``3 min 5 s``, ``1 h 20 min``."""
    if s < 10:
        return f"{s:.1f} s"
    if s < 90:
        return f"{s:.0f} s"
    if s < 3600:
        return f"{int(s // 60)} min {int(s % 60)} s"
    return f"{int(s // 3600)} h {int(s % 3600 // 60)} min"


class Estimate(Callback):
    """After the first epoch this process finishes, one line: the time left for the whole run,
    from the wall time per step so far (validation included), and the clock time it ends near."""

    def __init__(self, epochs, log, early_stopping=False, clock=time.perf_counter):
        self.epochs, self.log, self.early, self.clock, self.done = epochs, log, early_stopping, clock, False

    def on_train_begin(self, model, n_batches):
        self.start, self.steps = self.clock(), self.trainer.step_count

    def on_epoch_end(self, epoch, logs):
        if self.done or epoch >= self.epochs:
            return None
        self.done = True
        t = self.trainer
        per_step = (self.clock() - self.start) / max(t.step_count - self.steps, 1)
        left = per_step * (self.epochs - epoch) * t.n_batches
        end = datetime.now() + timedelta(seconds=left)
        when = f"{end:%H:%M}" if end.date() == datetime.now().date() else f"{end:%a %H:%M}"
        bound = "at most " if self.early else ""
        self.log(f"{bound}about {duration(left)} left for epochs {epoch + 1}-{self.epochs}, done near {when}")
        return None


EXAMPLE = "digit.png"  # a test image, written in the run folder for the suggested predict command


def write_example(folder, dataset, index=0) -> str:
    """Test image ``index`` as a picture to try ``dl101 predict`` on, ``folder/digit.png``: dark
    ink on white paper, 112 × 112, as a digit drawn or photographed would be. Returns its class."""
    import numpy as np
    from PIL import Image

    from ..files import atomic_write
    ink = dataset.x_test[index].reshape(dataset.image_shape)  # (h, w) in [0, 1]
    paper = Image.fromarray(np.round((1 - ink) * 255).astype(np.uint8), "L").resize((112, 112),
                                                                                     Image.BILINEAR)
    with atomic_write(folder / EXAMPLE) as f:
        paper.save(f, format="PNG")
    return str(dataset.class_names[int(dataset.y_test[index])])


def next_commands(folder, label=None) -> list[str]:
    """The commands the closing summary suggests, for this run folder (``label``: the class of
    the example image :func:`write_example` left there)."""
    example = f"{folder / EXAMPLE}" if label is not None else "digit.png"
    commands = [(f"dl101 evaluate {folder}", "the test set class by class"),
                (f"dl101 predict {folder} {example}",
                 f"a test image of a {label}; then yours" if label is not None else "your digit"),
                (f"dl101 figures --run {folder}", "the lecture's figures from this run"),
                (f"dl101 playground --run {folder}", "watch it in the browser")]
    width = max(len(c) for c, _ in commands)
    return [f"  {c:<{width}}  {what}" if width + len(what) < 76 else f"  {c}" for c, what in commands]


def closing(run, seconds, latest_note=None, label=None) -> str:
    """The closing summary: test accuracy (best and final), time, folder, what to try next."""
    h, s, m = run.history, run.settings, run.metrics
    lines = []
    if h.stopped_because:
        lines.append(h.stopped_because)
    best = max(range(h.epochs), key=lambda i: h.val_accuracy[i]) if h.val_accuracy else None
    test = f"test accuracy {m['final']['test_accuracy']:.2%}"
    epochs = f"{h.epochs} epoch{'s' * (h.epochs != 1)} in {duration(seconds)}"
    if best is None:
        lines.append(f"{test}; {epochs}")
    elif s.validation_split is None:
        lines.append(f"{test} (best {h.val_accuracy[best]:.2%}, epoch {h.epoch[best]}); {epochs}")
    else:
        lines.append(f"{test}; best val_accuracy {h.val_accuracy[best]:.2%} (epoch {h.epoch[best]}); "
                     f"{epochs}")
    lines.append(f"run folder {run.folder}" + (f" ({latest_note})" if latest_note else ""))
    lines += ["next, try:", *next_commands(run.folder, label)]
    return "\n".join(lines)
