"""Back-propagation, frame by frame, as the lecture's run of slides shows it: output neuron by
output neuron, layer by layer from the last to the first, the edges through which the gradient
flows back are highlighted and every other edge is faded.

Which gradient: that of output neuron j's pre-activation z_L^j, the sum inside σ_L in the slides'
x_3^j = σ_3(A_3^{j,1} x_2^1 + ... + A_3^{j,8} x_2^8 + b_3^j). The engine's backward pass is seeded
with ∂z_L^j/∂z_L = e_j at the last layer and runs down as in training; each layer i then hands
∂z_L^j/∂x_{i-1} to the layer below. (The loss's own gradient ∂l/∂z_L = p - y is not zero on any
output, and the softmax's Jacobian couples them all, so it would light every edge at once: one
output at a time is how the slides go.)

Edge (m, k) of layer i carries [A_i]_{m,k} ∂z_L^j/∂z_i^k back to x_{i-1}^m: it is highlighted
where ∂z_L^j/∂z_i^k ≠ 0 (neuron k is on a path to output j whose ReLUs are all on), with an
opacity that grows with the magnitude it carries. The first layer shows, as in the network figure,
the edges of the pixels that are not zero.
"""

from __future__ import annotations

import numpy as np

from .network import network_figure
from .save import Animation


def gradient_flows(model, x0, j):
    """{layer i: |[A_i]_{m,k} ∂z_L^j/∂z_i^k|, an array (k_{i-1}, k_i)} for the one input ``x0``:
    what each edge carries back from output neuron ``j``, through the engine's backward pass
    (here l = z_L^j, so dl_dz is ∂z_L^j/∂z_i). Overwrites the model's gradient buffers."""
    model.forward(np.reshape(x0, (1, -1)))
    dl_dz = np.zeros((1, model.widths[-1]), model.dtype)
    dl_dz[0, j] = 1                                            # ∂z_L^j/∂z_L = e_j
    flows = {}
    for i in range(len(model.layers), 0, -1):
        layer = model.layers[i - 1]
        flows[i] = np.abs(layer.A * dl_dz)                     # (k_{i-1}, k_i) ⊙ (1, k_i)
        dl_dx = layer.backward_z(dl_dz)                        # ∂z_L^j/∂x_{i-1}: (1, k_{i-1})
        if i > 1:
            below = model.layers[i - 2]
            dl_dz = below.sigma.backward(dl_dx, below.z, below.x)  # ∂z_L^j/∂z_{i-1}
    return flows


def slide_formula(j, widths):
    """The slides' x_3^j = σ_3(A_3^{j,1} x_2^1 + ... + A_3^{j,8} x_2^8), for any depth and width."""
    L, k, j = len(widths) - 1, widths[-2], j + 1
    return (rf"$x_{L}^{{{j}}} = \sigma_{L}\left(A_{L}^{{{j},1}} x_{L - 1}^1 + A_{L}^{{{j},2}} x_{L - 1}^2"
            rf" + \dots + A_{L}^{{{j},{k}}} x_{L - 1}^{{{k}}}\right)$")


def frame_flows(model, x0):
    """``[(j, i, flows shown), ...]``: the back-propagation frames after the forward one, for
    each output neuron j and layer i from the last to the first, the flows of the layers the
    gradient has reached (the others zero)."""
    frames = []
    for j in range(model.widths[-1]):
        flows = gradient_flows(model, x0, j)
        for i in range(len(model.layers), 0, -1):
            frames.append((j, i, {n: flow if n >= i else np.zeros_like(flow) for n, flow in flows.items()}))
    return frames


def backprop_frames(model, x0, image_shape, class_names):
    """``{"backprop-01": the forward state, "backprop-02": output 1 at layer L, ...}``: one frame
    per output neuron and layer, 1 + k_L L frames in all."""
    frames = {"backprop-01": network_figure(
        model, x0, image_shape, class_names,
        title="Forward pass: the state of the network for this input (opacity ∝ activation)")}
    for j, i, shown in frame_flows(model, x0):
        frames[f"backprop-{len(frames) + 1:02d}"] = network_figure(
            model, x0, image_shape, class_names, flows=shown, subtitle=slide_formula(j, model.widths),
            title=f"Back-propagation from output neuron {j + 1} (class {class_names[j]}): "
                  f"through $A_{i}$ to $x_{i - 1}$")
    return frames


def backprop_figures(model, x0, image_shape, class_names, seconds=1.5):
    """The frames and, under the name ``backprop``, their animated GIF."""
    frames = backprop_frames(model, x0, image_shape, class_names)
    return {**frames, "backprop": Animation(list(frames.values()), seconds)}
