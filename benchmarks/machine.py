"""What the benchmark runs on, and the float32 matrix-product peak it is measured against."""

from __future__ import annotations

import os
import platform
import time

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits


def describe() -> dict:
    blas = [lib for lib in threadpool_info() if lib.get("user_api") == "blas"]
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                if line.startswith("model name")), platform.processor()) if os.path.exists("/proc/cpuinfo") else ""
    import dl101
    info = {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
            "numpy": np.__version__, "dl101": dl101.__version__,
            "blas": [{k: lib.get(k) for k in ("internal_api", "version", "architecture", "num_threads")}
                     for lib in blas],
            "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE"),
            "OPENBLAS_L2_SIZE": os.environ.get("OPENBLAS_L2_SIZE")}
    try:
        import torch
        info["torch"] = torch.__version__
    except ImportError:
        info["torch"] = None
    return info


def matmul_peak(threads, n=2048, repeats=5) -> float:
    """The best GFLOP/s of a float32 (n, n) @ (n, n) product, the machine's practical peak."""
    a = np.random.default_rng(0).random((n, n), dtype=np.float32)
    best = np.inf
    with threadpool_limits(threads, "blas"):
        a @ a
        for _ in range(repeats):
            start = time.perf_counter()
            a @ a
            best = min(best, time.perf_counter() - start)
    return 2 * n ** 3 / best / 1e9


def training_flops(widths, n_samples) -> float:
    """FLOPs of one epoch of back-propagation as dl101 runs it: the forward products, the weight
    gradients, and the input gradients of every layer but the first (dl101 skips that one)."""
    products = [a * b for a, b in zip(widths[:-1], widths[1:])]
    return 2 * n_samples * (2 * sum(products) + sum(products[1:]))


def model_flops(widths, n_samples) -> float:
    """The usual accounting of training cost, 6 FLOPs per parameter per sample (2 forward, 4
    backward), whatever the engine skips: 19 GFLOP per MNIST epoch for the lecture's network."""
    n_parameters = sum((a + 1) * b for a, b in zip(widths[:-1], widths[1:]))
    return 6 * n_parameters * n_samples
