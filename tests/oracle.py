"""PyTorch as an independent oracle: the same network written with torch ops, autograd doing the
back-propagation. Nothing here comes from dl101's own backward code."""

import numpy as np
import torch
import torch.nn.functional as F

TORCH_ACTIVATIONS = {
    "linear": lambda z, p: z,
    "sigmoid": lambda z, p: torch.sigmoid(z),
    "tanh": lambda z, p: torch.tanh(z),
    "relu": lambda z, p: F.relu(z),
    "leaky_relu": lambda z, p: F.leaky_relu(z, p.get("alpha", 0.01)),
    "elu": lambda z, p: F.elu(z, p.get("alpha", 1.0)),
    "swish": lambda z, p: F.silu(z),
    "softmax": lambda z, p: torch.softmax(z, dim=1),
}


def torch_params(model):
    """Leaf tensors holding copies of the model's A_i, b_i, in dl101's order (A1, b1, A2, ...)."""
    return [torch.tensor(theta.copy(), requires_grad=True) for _, theta, _ in model.parameters()]


def torch_forward(model, params, x):
    """x_L with torch ops; also returns the last pre-activation z_L."""
    x = torch.as_tensor(x)
    for i, layer in enumerate(model.layers):
        z = x @ params[2 * i] + params[2 * i + 1]
        x = TORCH_ACTIVATIONS[layer.sigma.name](z, layer.sigma.params)
    return x, z


def torch_loss(model, params, x, y, loss):
    """The loss as PyTorch computes it: cross_entropy on logits after a softmax, NLL of log p
    otherwise; mse_loss for MSE."""
    out, z = torch_forward(model, params, x)
    if loss == "mse":
        return F.mse_loss(out, torch.as_tensor(y))
    y = torch.as_tensor(np.asarray(y), dtype=torch.long)
    if model.layers[-1].sigma.name == "softmax":
        return F.cross_entropy(z, y)
    return F.nll_loss(torch.log(out), y)


def torch_gradients(model, x, y, loss="cross_entropy"):
    """The loss and every ∂l/∂θ by autograd, as NumPy."""
    params = torch_params(model)
    value = torch_loss(model, params, x, y, loss)
    value.backward()
    return value.item(), [p.grad.numpy() for p in params]
