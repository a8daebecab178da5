"""One SGD step walked through as the lecture does, with the engine's own quantities.

The step is the Trainer's next one, really taken: the weights before it are kept, the step runs,
and the mini-batch it used is read back from the Trainer's order. A copy of the network with the
weights from before the step then runs the lecture's path through the engine's functions, those
the ``backprop`` figure calls: the forward pass keeps x_0, z_i, x_i; the loss gives ∂l/∂x_L
(``loss.df``) and ∂l/∂z_L (``losses.output_error``, the fused softmax + cross-entropy where it
applies); each layer, last first, fills ∂l/∂A_i = x_{i-1}ᵀ ∂l/∂z_i and ∂l/∂b_i = Σ ∂l/∂z_i and
hands back ∂l/∂x_{i-1} = ∂l/∂z_i A_iᵀ (``Dense.backward_z``), turned into ∂l/∂z_{i-1} by
σ_{i-1}' (``Activation.backward``). Its ∂l/∂A_i, ∂l/∂b_i are the ones the step used (the tests
check it), and θ before and after show θ ← θ − λ∇θ.

The page walks the stages: forward layer by layer, the loss, ∂l/∂x_L → ∂l/∂z_L, then for each
layer from the last ∂l/∂A_i, ∂l/∂b_i and ∂l/∂x_{i-1}, and the update.
"""

from __future__ import annotations

import numpy as np

from .. import losses
from ..mlp import MLP
from . import frames

SHOWN = 64  # per-sample arrays (x_i, z_i, ∂l/∂z_i, ...) for at most this many samples of the batch


def stages(n_layers):
    """The stepper's frames, in order, each ``{"kind": ..., "layer": i}``."""
    L = n_layers
    out = [{"kind": "forward", "layer": i} for i in range(1, L + 1)]
    out += [{"kind": "loss", "layer": L}, {"kind": "output", "layer": L}]
    for i in range(L, 0, -1):
        out.append({"kind": "weights", "layer": i})
        if i > 1:
            out.append({"kind": "input", "layer": i})  # ∂l/∂x_{i-1}, handed to layer i - 1
    return out + [{"kind": "update", "layer": 0}]


def quantities(model, x_batch, y_batch, loss):
    """Forward and backward of one batch on ``model`` (whose gradient buffers it fills), layer by
    layer: ``{"x0".., "z1".., "dx0".., "dz1".., "dA1".., "db1"..}`` and the loss's value."""
    loss = losses.get(loss)
    out = {}
    x_L = model.forward(x_batch)
    for i, x in enumerate(model.latents):
        out[f"x{i}"] = x
    for i, layer in enumerate(model.layers, 1):
        out[f"z{i}"] = layer.z
    last, L = model.layers[-1], len(model.layers)
    value, dl_dz = losses.output_error(loss, last.sigma, last.z, x_L, y_batch)
    with np.errstate(all="ignore"):
        out[f"dx{L}"] = loss.df(x_L, y_batch)              # ∂l/∂x_L, the lecture's l'(x_L)
    for i in range(L, 0, -1):
        layer = model.layers[i - 1]
        out[f"dz{i}"] = dl_dz
        dl_dx = layer.backward_z(dl_dz, input_grad=True)  # fills dA_i, db_i; ∂l/∂x_{i-1}
        out[f"dA{i}"], out[f"db{i}"], out[f"dx{i - 1}"] = layer.dA.copy(), layer.db.copy(), dl_dx
        if i > 1:
            below = model.layers[i - 2]
            dl_dz = below.sigma.backward(dl_dx, below.z, below.x)  # ∂l/∂z_{i-1}
    return out, value


def walk_step(session, take_step):
    """Take the session's next SGD step (``take_step()``) and return the stepper's frame."""
    trainer, model = session.trainer, session.model
    before = [(layer.A.copy(), layer.b.copy()) for layer in model.layers]
    position, lr = trainer.position, float(trainer.opt.lr)
    take_step()
    b = trainer.batch_size
    batch = trainer.order[position * b:(position + 1) * b]  # the order the step was taken in
    copy = MLP.from_arrays(before, [layer.sigma for layer in model.layers], model.dtype)
    found, value = quantities(copy, trainer.x[batch], trainer.y[batch], trainer.loss)
    arrays = {}
    for name, array in found.items():
        arrays[name] = array[:SHOWN] if name[0] in "xz" or name[:2] in ("dx", "dz") else array
    for i, ((A, bias), layer) in enumerate(zip(before, model.layers), 1):
        arrays.update({f"A{i}_before": A, f"b{i}_before": bias,
                       f"A{i}_after": layer.A, f"b{i}_after": layer.b,
                       # what edge (l, k) carries back to x_{i-1}^l for the first sample
                       f"carry{i}": A * found[f"dz{i}"][:1]})   # (k_{i-1}, k_i) ⊙ (1, k_i)
    y = trainer.y[batch][:SHOWN]
    arrays["y"] = y if y.ndim == 1 else y[:, 0]
    header = {"type": "walk", "stages": stages(len(model.layers)), "loss": float(value), "lr": lr,
              "optimiser": session.config.opt, "loss_name": trainer.loss.name,
              "sigmas": [layer.sigma.name for layer in model.layers], "batch": len(batch),
              "shown": int(min(len(batch), SHOWN)), "step": session.steps,
              "class_names": session.problem.class_names}
    return frames.encode(header, arrays)
