"""What a run reports: the machine and versions, ``metrics.json``, and the final table."""

from __future__ import annotations

import dataclasses
import json
import os
import platform
import sys

import numpy as np

from ..files import atomic_write


def environment() -> dict:
    """Python, NumPy and BLAS versions, BLAS threads and the OpenBLAS settings in force."""
    from threadpoolctl import threadpool_info
    import dl101
    blas = [{k: lib.get(k) for k in ("internal_api", "version", "num_threads", "architecture")}
            for lib in threadpool_info() if lib.get("user_api") == "blas"]
    return {"dl101": dl101.__version__, "python": sys.version.split()[0], "numpy": np.__version__,
            "blas": blas, "platform": platform.platform(), "machine": platform.machine(),
            "cpus": os.cpu_count(),
            "env": {k: os.environ.get(k) for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE",
                                                    "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")}}


def write_metrics(path, metrics: dict):
    with atomic_write(path, "w") as f:
        json.dump(metrics, f, indent=2)


def metrics(settings, model, dataset, history, test, threads) -> dict:
    """What ``metrics.json`` records: settings, data, the per-epoch history (the names of
    :class:`~dl101.train.History`), the final test-set evaluation ``test``, the BLAS threads and
    the machine."""
    return {
        "settings": {**settings.as_dict(), "widths": model.widths},
        "n_parameters": model.n_parameters,
        "data": {"name": dataset.name, "source": dataset.source, "checksums": dataset.checksums,
                 "n_train": len(dataset.x_train), "n_test": len(dataset.x_test),
                 "class_names": dataset.class_names, "image_shape": list(dataset.image_shape),
                 "classes": settings.classes},
        "history": dataclasses.asdict(history),
        "final": {"test_loss": test.loss, "test_accuracy": test.accuracy,
                  "loss": history.loss[-1], "accuracy": history.accuracy[-1]},
        "seconds_per_epoch": float(np.mean(history.seconds)),
        "blas_threads": threads,
        "environment": environment(),
    }


def final_table(history) -> str:
    """The per-epoch :class:`~dl101.train.History` as a text table (``val_*``: the test set)."""
    lines = [f"{'epoch':>5} {'loss':>8} {'accuracy':>9} {'val_loss':>9} {'val_accuracy':>13} {'seconds':>8}"]
    for row in zip(history.epoch, history.loss, history.accuracy, history.val_loss,
                   history.val_accuracy, history.seconds):
        epoch, loss, accuracy, val_loss, val_accuracy, seconds = row
        lines.append(f"{epoch:>5} {loss:>8.4f} {accuracy:>9.2%} {val_loss:>9.4f} {val_accuracy:>13.2%} "
                     f"{seconds:>8.2f}")
    return "\n".join(lines)
