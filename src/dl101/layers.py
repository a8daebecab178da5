"""The dense layer of the lecture: x_i = σ_i(A_i x_{i-1} + b_i).

A batch of N samples travels as the rows of a matrix, so the lecture's A_i x_{i-1} (x a column)
is written x_{i-1} A_i here (x a row), and A_i keeps the lecture's shape (k_{i-1}, k_i):
x_i^k = σ_i(Σ_l [A_i]_{l,k} x_{i-1}^l + [b_i]_k).

The forward pass keeps the latent values the backward pass needs (the lecture: "we need to keep
in memory the latent values"): the input x_{i-1}, the pre-activation z_i = x_{i-1} A_i + b_i and
the output x_i. The backward pass turns ∂l/∂x_i into ∂l/∂A_i, ∂l/∂b_i and ∂l/∂x_{i-1}.
"""

from __future__ import annotations

import numpy as np

from . import activations


class Dense:
    """One layer: weights ``A`` (k_in, k_out), bias ``b`` (k_out,), activation ``sigma``.

    >>> layer = Dense(np.array([[1.0, -1.0]]), np.array([0.0, 0.5]), "relu")
    >>> layer.forward(np.array([[2.0]]))          # relu([2, -2] + [0, .5])
    array([[2., 0.]])
    """

    def __init__(self, A, b, sigma="relu", dA=None, db=None):
        self.A, self.b = A, b
        self.sigma = activations.get(sigma)
        # ∂l/∂A_i and ∂l/∂b_i, filled by backward and read by the optimiser (buffers may be given)
        self.dA = np.zeros_like(A) if dA is None else dA
        self.db = np.zeros_like(b) if db is None else db
        self.x_prev = self.z = self.x = None

    def forward(self, x_prev):
        """x_i = σ_i(x_{i-1} A_i + b_i), keeping x_{i-1}, z_i and x_i for backward."""
        z = x_prev @ self.A   # (N, k_in) @ (k_in, k_out) -> (N, k_out)
        z += self.b           # (N, k_out) + (k_out,)
        self.x_prev, self.z, self.x = x_prev, z, self.sigma.f(z)
        return self.x

    def backward(self, dl_dx, input_grad=True):
        """From ∂l/∂x_i: fill ``dA`` and ``db``; return ∂l/∂x_{i-1} (unless ``input_grad`` is False)."""
        return self.backward_z(self.sigma.backward(dl_dx, self.z, self.x), input_grad)

    def backward_z(self, dl_dz, input_grad=True):
        """The same from ∂l/∂z_i = σ_i'(z_i) ⊙ ∂l/∂x_i, the term every gradient of the layer shares."""
        if len(dl_dz) == 1:  # b = 1, the lecture's SGD: the outer product x_{i-1}ᵀ ∂l/∂z, which
            np.multiply(self.x_prev.T, dl_dz, out=self.dA)  # BLAS computes 8x slower (inner size 1)
        else:
            np.matmul(self.x_prev.T, dl_dz, out=self.dA)  # (k_in, N) @ (N, k_out) -> (k_in, k_out)
        np.add.reduce(dl_dz, axis=0, out=self.db)     # (k_out,) Σ over the batch
        if input_grad:
            return dl_dz @ self.A.T                   # (N, k_out) @ (k_out, k_in) -> (N, k_in)
        return None
