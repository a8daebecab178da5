"""The engines trained side by side on the same data from the same weights.

Each contender trains an epoch in pieces: ``start_epoch()``, then ``advance(k)`` (k more steps;
True once the epoch is done), so the benchmark can interleave the engines every few steps and a
drift in the machine's speed falls on all of them alike. Each keeps its weights across epochs, so
after R rounds each has trained R epochs and their accuracies can be compared. All start from the same
PyTorch-style initial weights (dl101's ``init="torch"``), except scikit-learn, which cannot take
given weights and uses its own Glorot initialisation.
"""

from __future__ import annotations

import numpy as np

import dl101
from dl101 import losses, optim
from dl101.train import Trainer


END = object()


class Contender:
    """Common part: an epoch as a generator of steps (``epoch_steps``), run k steps at a time."""

    def start_epoch(self):
        self._steps = self.epoch_steps()

    def advance(self, k):
        return any(next(self._steps, END) is END for _ in range(k))


class Dl101(Contender):
    """dl101's engine: its Trainer, exactly what ``dl101.fit`` and ``dl101 mnist`` run."""

    name = "dl101"

    def __init__(self, x, y, widths, batch, lr, seed=0):
        self.model = dl101.MLP(widths, "relu", "softmax", init="torch", seed=seed)
        opt = optim.get("sgd", self.model.parameters(flat=True), lr)
        self.trainer = Trainer(self.model, x, y, losses.get("cross_entropy"), opt, batch,
                               np.random.default_rng(seed))

    def start_epoch(self):
        pass

    def advance(self, k):
        return self.trainer.epoch(max_steps=k) is not None

    def predict(self, x):
        return self.model.forward(x)


class NumpyLoop(Contender):
    """The NumPy floor: the same network written as one flat loop, as a student would."""

    name = "numpy loop"

    def __init__(self, x, y, widths, batch, lr, seed=0):
        start = dl101.MLP(widths, "relu", "softmax", init="torch", seed=seed)
        self.A = [layer.A.copy() for layer in start.layers]
        self.b = [layer.b.copy() for layer in start.layers]
        self.x, self.y, self.batch, self.lr = x, y, batch, lr
        self.rng = np.random.default_rng(seed)

    def epoch_steps(self):
        A, b, lr = self.A, self.b, self.lr
        order = self.rng.permutation(len(self.x))
        for start in range(0, len(order), self.batch):
            idx = order[start:start + self.batch]
            x, y = self.x[idx], self.y[idx]
            hs, zs = [x], []
            for i in range(len(A)):                       # forward
                z = hs[-1] @ A[i] + b[i]
                zs.append(z)
                hs.append(np.maximum(z, 0) if i < len(A) - 1 else z)
            p = np.exp(zs[-1] - zs[-1].max(1, keepdims=True))
            p /= p.sum(1, keepdims=True)
            d = p
            d[np.arange(len(y)), y] -= 1
            d /= len(y)
            for i in reversed(range(len(A))):             # backward
                gA, gb = hs[i].T @ d, d.sum(0)
                if i > 0:
                    d = (d @ A[i].T) * (zs[i - 1] > 0)
                A[i] -= lr * gA
                b[i] -= lr * gb
            yield

    def predict(self, x):
        for i in range(len(self.A)):
            x = x @ self.A[i] + self.b[i]
            x = np.maximum(x, 0) if i < len(self.A) - 1 else x
        p = np.exp(x - x.max(1, keepdims=True))  # probabilities, as dl101's model outputs
        return p / p.sum(1, keepdims=True)


class Torch(Contender):
    """PyTorch: nn.Sequential + torch.optim.SGD, the in-memory loop its users write (a DataLoader
    would only add per-sample collation), at a given thread count."""

    def __init__(self, x, y, widths, batch, lr, seed=0, threads=1):
        import torch
        from torch import nn
        self.torch, self.threads = torch, threads
        self.name = f"PyTorch {torch.__version__.split('+')[0]} ({threads} thread{'s' * (threads > 1)})"
        start = dl101.MLP(widths, "relu", "softmax", init="torch", seed=seed)
        layers = []
        for layer in start.layers:
            linear = nn.Linear(*layer.A.shape)
            with torch.no_grad():
                linear.weight.copy_(torch.from_numpy(layer.A.T.copy()))
                linear.bias.copy_(torch.from_numpy(layer.b.copy()))
            layers += [linear, nn.ReLU()]
        self.net = nn.Sequential(*layers[:-1])  # logits out: CrossEntropyLoss applies the softmax
        self.opt = torch.optim.SGD(self.net.parameters(), lr=lr)
        self.loss = nn.CrossEntropyLoss()
        self.x, self.y = torch.from_numpy(x), torch.from_numpy(y.astype(np.int64))
        self.batch = batch
        self.generator = torch.Generator().manual_seed(seed)

    def advance(self, k):
        self.torch.set_num_threads(self.threads)  # its own thread pool, apart from NumPy's BLAS
        return super().advance(k)

    def epoch_steps(self):
        torch = self.torch
        order = torch.randperm(len(self.x), generator=self.generator)
        for start in range(0, len(order), self.batch):
            idx = order[start:start + self.batch]
            self.opt.zero_grad(set_to_none=True)
            self.loss(self.net(self.x[idx]), self.y[idx]).backward()
            self.opt.step()
            yield

    def predict(self, x):
        self.torch.set_num_threads(self.threads)
        with self.torch.no_grad():  # probabilities, as dl101's model outputs
            return self.torch.softmax(self.net(self.torch.from_numpy(x)), dim=1).numpy()


class Sklearn(Contender):
    """scikit-learn's MLPClassifier: solver sgd, momentum 0, no L2, same batch and learning rate,
    one ``partial_fit`` per epoch (its own Glorot initialisation), so an epoch is a single piece."""

    def __init__(self, x, y, widths, batch, lr, seed=0):
        import sklearn
        from sklearn.neural_network import MLPClassifier
        self.name = f"scikit-learn {sklearn.__version__}"
        self.net = MLPClassifier(hidden_layer_sizes=tuple(widths[1:-1]), solver="sgd", momentum=0,
                                 nesterovs_momentum=False, alpha=0, batch_size=batch,
                                 learning_rate_init=lr, random_state=seed, shuffle=True)
        self.x, self.y, self.classes = x, y, np.arange(widths[-1])

    def epoch_steps(self):
        self.net.partial_fit(self.x, self.y, classes=self.classes)
        yield

    def predict(self, x):
        return self.net.predict_proba(x)
