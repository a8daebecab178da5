"""What a run reports: the machine and versions, ``metrics.json``, and the final table."""

from __future__ import annotations

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


def final_table(history: dict) -> str:
    """The per-epoch history as a text table."""
    lines = [f"{'epoch':>5} {'train loss':>11} {'train acc':>10} {'test loss':>10} {'test acc':>9} "
             f"{'seconds':>8}"]
    for i, epoch in enumerate(history["epoch"]):
        lines.append(f"{epoch:>5} {history['train_loss'][i]:>11.4f} {history['train_accuracy'][i]:>10.2%} "
                     f"{history['test_loss'][i]:>10.4f} {history['test_accuracy'][i]:>9.2%} "
                     f"{history['seconds'][i]:>8.2f}")
    return "\n".join(lines)
