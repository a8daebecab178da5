"""``python -m benchmarks.accuracy``: the main job's accuracy over seeds, against PyTorch.

The lecture's run (784-64-32-10, ReLU, softmax, cross-entropy, SGD, lr 0.01, batch 64, 12 epochs)
on the real MNIST, for seeds 0, 1, 2: dl101 with its default initialisation, dl101 with
``--init torch``, and PyTorch with the same settings and its own ``nn.Linear`` initialisation.
Writes ``benchmarks/accuracy.md`` and ``benchmarks/accuracy.json``.
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

import numpy as np

SEEDS = (0, 1, 2)


def dl101_accuracy(seed, init):
    from dl101.jobs import mnist
    from dl101.jobs.settings import MnistSettings, RunOptions
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        run = mnist.run(MnistSettings(seed=seed, init=init), RunOptions(out=f"{tmp}/run", figures=False),
                        log=lambda *a: None)
    return run.metrics["final"]["test_accuracy"]


def torch_accuracy(seed, data, epochs=12, batch=64, lr=0.01):
    """PyTorch's own way: nn.Sequential, nn.Linear's initialisation, CrossEntropyLoss, SGD."""
    import torch
    from torch import nn
    torch.manual_seed(seed)
    torch.set_num_threads(1)
    net = nn.Sequential(nn.Linear(784, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
    opt, loss = torch.optim.SGD(net.parameters(), lr=lr), nn.CrossEntropyLoss()
    x, y = torch.from_numpy(data.x_train), torch.from_numpy(data.y_train)
    for _ in range(epochs):
        order = torch.randperm(len(x))
        for start in range(0, len(x), batch):
            idx = order[start:start + batch]
            opt.zero_grad()
            loss(net(x[idx]), y[idx]).backward()
            opt.step()
    with torch.no_grad():
        return float((net(torch.from_numpy(data.x_test)).argmax(1).numpy() == data.y_test).mean())


def main():
    import dl101
    data = dl101.data.load("mnist")
    rows = {"dl101 (init auto, the default)": [dl101_accuracy(s, "auto") for s in SEEDS],
            "dl101 --init torch": [dl101_accuracy(s, "torch") for s in SEEDS],
            "PyTorch 2.13 (nn.Linear init)": [torch_accuracy(s, data) for s in SEEDS]}
    lines = ["# Accuracy of the lecture's MNIST run over seeds", "",
             "Produced by `python -m benchmarks.accuracy`: 784-64-32-10, ReLU, softmax, cross-entropy, "
             "plain SGD, lr 0.01, batch 64, 12 epochs, real MNIST (60,000 / 10,000).", "",
             "| run | seed 0 | seed 1 | seed 2 | mean ± std |", "|---|---:|---:|---:|---:|"]
    for name, accs in rows.items():
        lines.append(f"| {name} | " + " | ".join(f"{a:.2%}" for a in accs) +
                     f" | {np.mean(accs):.2%} ± {statistics.stdev(accs):.2%} |")
    out = Path(__file__).parent
    (out / "accuracy.json").write_text(json.dumps(rows, indent=2))
    (out / "accuracy.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
