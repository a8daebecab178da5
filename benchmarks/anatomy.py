"""Where one training step of the lecture's network goes: its matrix products against the rest.

A step of 784-64-32-10 at batch 64 is eight matrix products, two of them large (the first
layer's forward product and its weight gradient), and about forty small NumPy calls (bias
additions, activations, softmax and cross-entropy, reductions, the update), each of which costs
microseconds whatever its size.
Timing the whole step and its products alone, in alternating blocks, shows how the step splits.
"""

from __future__ import annotations

import statistics
import time

import numpy as np
from threadpoolctl import threadpool_limits

import dl101
from dl101 import losses, optim
from dl101.train import Trainer

from . import machine


def _block(fn, n):
    start = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - start) / n


def step_anatomy(x, y, widths=(784, 64, 32, 10), batch=64, blocks=15, n=200) -> dict:
    """Median microseconds of one dl101 step and of its products alone (1 thread), and the
    products' GFLOP/s."""
    model = dl101.MLP(list(widths), "relu", "softmax", init="torch")
    trainer = Trainer(model, x, y, losses.get("cross_entropy"),
                      optim.get("sgd", model.parameters(flat=True), 0.01), batch, np.random.default_rng(0))
    xb, yb = x[:batch], y[:batch]
    trainer.step(xb, yb)  # latents and ∂l/∂z of a real step, for the products below
    latents = model.latents
    dl_dz = [np.ones_like(layer.z) for layer in model.layers]

    def products():
        for i, layer in enumerate(model.layers):
            latents[i] @ layer.A                        # forward
            latents[i].T @ dl_dz[i]                     # ∂l/∂A_i
            if i > 0:
                dl_dz[i] @ layer.A.T                    # ∂l/∂x_{i-1}, all but the first layer

    flops = machine.training_flops(widths, batch)  # the products above, for one batch
    step, prod = [], []
    with threadpool_limits(1, "blas"):
        for _ in range(blocks):
            step.append(_block(lambda: trainer.step(xb, yb), n))
            prod.append(_block(products, n))
    step_us, prod_us = statistics.median(step) * 1e6, statistics.median(prod) * 1e6
    return {"widths": list(widths), "batch": batch, "step_us": step_us, "products_us": prod_us,
            "products_gflops": flops / prod_us / 1e3, "step_flops": flops}
