"""How many BLAS threads a training run uses, chosen from the size of its matrix products.

At the lecture's sizes the products are small: one step of 784-64-32-10 at batch 64 multiplies
(64, 784) by (784, 64), about 3 million multiply-adds, and splitting that over two threads costs
about what it saves (benchmarks/results.md has the side-by-side numbers). Worse, when another
process keeps a core busy, OpenBLAS's threads wait on each other: an epoch of the lecture's network
took 9.4 s with two threads against 0.37 s with one on a busy 2-core machine. So runs use one
thread below ``LARGE_PRODUCT`` multiply-adds per product and every core above it (wide layers,
large batches), unless told otherwise. The choice depends only on the sizes and the machine, so a
run and its resumed half, or two runs of one seed, compute with the same threads, bit for bit.
"""

from __future__ import annotations

import contextlib
import os

LARGE_PRODUCT = 1 << 24  # multiply-adds in one product, where two threads start to pay off here


def blas_threads(widths, batch_size, cores=None) -> int:
    """1 for small products, ``cores`` (default: all) when the largest product is large.

    >>> blas_threads([784, 64, 32, 10], 64, cores=2), blas_threads([784, 1024, 1024, 10], 64, cores=2)
    (1, 2)
    """
    largest = max(batch_size * k_in * k_out for k_in, k_out in zip(widths[:-1], widths[1:]))
    return 1 if largest < LARGE_PRODUCT else (cores or os.cpu_count() or 1)


@contextlib.contextmanager
def limited(threads):
    """BLAS (and OpenMP) use at most ``threads`` threads inside the block; None: no limit."""
    if threads is None:
        yield
        return
    from threadpoolctl import threadpool_limits
    with threadpool_limits(threads):
        yield
