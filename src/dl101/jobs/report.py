"""What a run reports: the machine and versions, and ``metrics.json``."""

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
    :class:`~dl101.train.History`) and the set its ``val_*`` are measured on (``validation``), the
    final test-set evaluation ``test`` with its confusion matrix (rows: the true class) and the
    accuracy per class, the BLAS threads and the machine. The job adds the command line
    (``command``) and its wall time (``wall_seconds``), those of the command that finished the
    run (for a resumed run, ``dl101 mnist --resume RUN`` and the time since resuming)."""
    from ..metrics import confusion_matrix, ratio
    from .fitting import validation
    counts = confusion_matrix(dataset.y_test, test.predictions, len(dataset.class_names))
    per_class = ratio(counts.diagonal(), counts.sum(axis=1))  # right / images of the class
    return {
        "settings": {**settings.as_dict(), "widths": model.widths},
        "n_parameters": model.n_parameters,
        "data": {"name": dataset.name, "source": dataset.source, "checksums": dataset.checksums,
                 "n_train": len(dataset.x_train), "n_test": len(dataset.x_test),
                 "class_names": dataset.class_names, "image_shape": list(dataset.image_shape),
                 "classes": settings.classes},
        "history": dataclasses.asdict(history),
        "validation": validation(settings, len(dataset.x_train)),
        "final": {"test_loss": test.loss, "test_accuracy": test.accuracy,
                  "loss": history.loss[-1], "accuracy": history.accuracy[-1]},
        "confusion_matrix": counts.tolist(),
        "per_class_accuracy": {str(n): float(a) for n, a in zip(dataset.class_names, per_class)},
        "seconds_per_epoch": float(np.mean(history.seconds)),
        "blas_threads": threads,
        "environment": environment(),
    }
