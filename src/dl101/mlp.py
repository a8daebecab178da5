"""The multi-layer perceptron: dense layers in sequence, and back-propagation through them.

``MLP([784, 64, 32, 10], "relu", "softmax")`` is the lecture's MNIST network: three layers,
θ = {A_1, A_2, A_3, b_1, b_2, b_3}, 52,650 parameters.

Back-propagation as the lecture derives it: the loss gives ∂l/∂x_L (fused with a softmax output
into ∂l/∂z_L); each layer, from the last to the first, turns the ∂l/∂x_i it receives into its own
∂l/∂A_i and ∂l/∂b_i and hands ∂l/∂x_{i-1} = σ_i'(z_i) ⊙ ∂l/∂x_i · A_iᵀ to the layer before.

>>> model = MLP([784, 64, 32, 10], "relu", "softmax", seed=0)
>>> model.n_parameters
52650
>>> model.forward(np.zeros((2, 784), np.float32)).shape
(2, 10)
"""

from __future__ import annotations

import numpy as np

from . import activations, losses
from . import init as initialisers
from .checks import Dl101Error, as_matrix, get
from .layers import Dense
from .parameters import flat_views

DTYPES = {"float32": np.float32, "float64": np.float64}


class MLP:
    """Layers of widths ``widths`` (k_0 inputs, ..., k_L outputs).

    ``activation`` is the hidden layers' σ (one name for all, or one per hidden layer) and
    ``output`` the last layer's. ``init`` names the initialiser; ``seed`` makes it reproducible.
    """

    def __init__(self, widths, activation="relu", output="softmax", init="auto", seed=0,
                 dtype="float32"):
        widths = [int(k) for k in widths] if np.iterable(widths) else []
        if len(widths) < 2 or min(widths) < 1:
            raise Dl101Error(f"widths must list at least an input and an output size, each >= 1, "
                             f"e.g. [784, 64, 32, 10]; got {widths}")
        pair = isinstance(activation, tuple) and len(activation) == 2 and all(map(callable, activation))
        per_layer = isinstance(activation, (list, tuple)) and not pair  # else one σ (or (f, df)) for all
        hidden = list(activation) if per_layer else [activation] * (len(widths) - 2)
        if len(hidden) != len(widths) - 2:
            raise Dl101Error(f"activation lists {len(hidden)} names but widths {widths} have "
                             f"{len(widths) - 2} hidden layers")
        self.init, self.seed = init, seed
        rng = np.random.default_rng(seed)
        initialise = initialisers.get(init)
        sigmas = [activations.get(sigma) for sigma in [*hidden, output]]
        arrays = [initialise(k_in, k_out, sigma.name, rng)
                  for k_in, k_out, sigma in zip(widths[:-1], widths[1:], sigmas)]
        self._build(arrays, sigmas, dtype)

    def _build(self, arrays, sigmas, dtype):
        """The layers, their A_i, b_i and gradients held in the flat vectors ``theta`` and ``grad``
        (see :mod:`dl101.parameters`)."""
        self.dtype = _dtype(dtype)
        self.theta, self.grad, views = flat_views(arrays, self.dtype)
        self.layers = [Dense(A, b, sigma, dA, db) for (A, b, dA, db), sigma in zip(views, sigmas)]

    @classmethod
    def from_arrays(cls, arrays, activations_, dtype=None):
        """A model from weights ``[(A_1, b_1), (A_2, b_2), ...]`` (A_i of shape (k_{i-1}, k_i)) and
        one activation per layer, e.g. to load a saved model or import one from another library."""
        arrays = [(np.asarray(A), np.asarray(b)) for A, b in arrays]
        if len(arrays) != len(activations_) or not arrays:
            raise Dl101Error(f"from_arrays needs one activation per layer: {len(arrays)} layers, "
                             f"{len(activations_)} activations")
        for i, ((A, b), (A_next, _)) in enumerate(zip(arrays, arrays[1:] + [(None, None)]), 1):
            if A.ndim != 2 or b.shape != (A.shape[1],):
                raise Dl101Error(f"layer {i}: A must be (k_in, k_out) and b (k_out,), got A {A.shape}, "
                                 f"b {b.shape}")
            if A_next is not None and A_next.shape[0] != A.shape[1]:
                raise Dl101Error(f"layer {i} outputs {A.shape[1]} values but layer {i + 1} expects "
                                 f"{A_next.shape[0]}")
        model = object.__new__(cls)
        model.init, model.seed = None, None
        model._build(arrays, [activations.get(s) for s in activations_],
                     dtype or np.result_type(*[A.dtype for A, _ in arrays], np.float32))
        return model

    # --- structure ---------------------------------------------------------------------------
    @property
    def widths(self):
        return [self.layers[0].A.shape[0]] + [layer.A.shape[1] for layer in self.layers]

    @property
    def n_parameters(self):
        return sum(layer.A.size + layer.b.size for layer in self.layers)

    def parameters(self, flat=False):
        """``[(name, θ, ∂l/∂θ), ...]``: A1, b1, A2, b2, ... with their gradient buffers, or with
        ``flat`` the single pair of flat vectors that holds them all (what optimisers use)."""
        if flat:
            return [("theta", self.theta, self.grad)]
        return [pair for i, layer in enumerate(self.layers, 1)
                for pair in ((f"A{i}", layer.A, layer.dA), (f"b{i}", layer.b, layer.db))]

    def astype(self, dtype):
        """A copy of the model in another float type (``float32`` or ``float64``)."""
        clone = MLP.from_arrays([(l.A, l.b) for l in self.layers], [l.sigma for l in self.layers], dtype)
        clone.init, clone.seed = self.init, self.seed
        return clone

    def __repr__(self):
        sigmas = ", ".join(repr(layer.sigma) for layer in self.layers)
        return f"MLP({self.widths}, σ: {sigmas}, {self.n_parameters:,} parameters, {self.dtype})"

    # --- forward and backward -----------------------------------------------------------------
    def forward(self, x0):
        """x_L from x_0 (N, k_0), keeping every layer's latent values for :meth:`backward`."""
        x = np.asarray(x0, dtype=self.dtype)
        for layer in self.layers:
            x = layer.forward(x)  # (N, k_{i-1}) -> (N, k_i)
        return x

    @property
    def latents(self):
        """[x_0, x_1, ..., x_L] of the last forward pass: the representations, layer by layer."""
        return [self.layers[0].x_prev] + [layer.x for layer in self.layers]

    def backward(self, dl_dx, input_grad=False):
        """Back-propagate ∂l/∂x_L through every layer, last first, filling each ∂l/∂A_i, ∂l/∂b_i.

        Returns ∂l/∂x_0 when ``input_grad`` (for attributions), else None: the first layer's
        input gradient is not needed for training, so it is not computed.
        """
        last = self.layers[-1]
        return self._backward_from(last.sigma.backward(dl_dx, last.z, last.x), input_grad)

    def _backward_from(self, dl_dz, input_grad):
        *hidden, last = self.layers
        dl_dx = last.backward_z(dl_dz, input_grad=bool(hidden) or input_grad)
        for i, layer in reversed(list(enumerate(hidden))):
            dl_dx = layer.backward(dl_dx, input_grad=i > 0 or input_grad)  # ∂l/∂x_{i-1}
        return dl_dx

    def loss_backward(self, x0, y, loss="cross_entropy", input_grad=False):
        """Forward, loss and backward for one batch: returns the loss and leaves ∂l/∂θ in place."""
        loss = losses.get(loss)
        x_L = self.forward(x0)
        last = self.layers[-1]
        value, dl_dz = losses.output_error(loss, last.sigma, last.z, x_L, y)
        dl_dx0 = self._backward_from(dl_dz, input_grad)
        return (value, dl_dx0) if input_grad else value

    # --- prediction ---------------------------------------------------------------------------
    def predict_proba(self, x, batch_size=8192):
        """The network's output for inputs ``x`` (N, k_0), checked, computed in batches."""
        return self.forward_batches(as_matrix(x, "x", self.widths[0]), batch_size)

    def forward_batches(self, x, batch_size=8192):
        """The output for already checked inputs, ``batch_size`` rows at a time to bound memory."""
        return np.concatenate([self.forward(x[i:i + batch_size]) for i in range(0, len(x), batch_size)])

    def predict(self, x, batch_size=8192):
        """The predicted class of each row of ``x``: the argmax of the output (for a single
        sigmoid output, class 1 where it exceeds 0.5)."""
        return classes_of(self.predict_proba(x, batch_size))


def classes_of(output):
    """Predicted classes from outputs (N, K): the argmax, or ``output > 0.5`` when K = 1."""
    return (output[:, 0] > 0.5).astype(np.intp) if output.shape[1] == 1 else output.argmax(axis=1)


def _dtype(dtype):
    """``float32`` or ``float64`` (a name or a NumPy dtype), else an error listing both."""
    name = dtype if isinstance(dtype, str) else np.dtype(dtype).name
    return np.dtype(get(DTYPES, name, "dtype"))
