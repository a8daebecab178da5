"""Continue a dl101 run in PyTorch, data-parallel over several processes (DistributedDataParallel).

The path for a model or a data set that outgrows one NumPy process: the run's model becomes an
``nn.Sequential`` (:func:`dl101.export.to_torch`), each process trains it on its share of every
mini-batch, DDP averages their gradients (gloo, on CPU; NCCL on GPUs), and the result comes back
as a dl101 model folder that every ``dl101`` command reads.

    torchrun --standalone --nproc-per-node 2 examples/ddp_continue.py RUN --epochs 3 --out RUN-ddp

The settings follow the run's (its data set, batch size, learning rate: plain SGD, as
``dl101 mnist`` trains). The global mini-batches are the ones ``dl101.fit(..., seed=S)`` would
take (each epoch, ``np.random.default_rng(S).permutation``, cut into batches of ``--batch-size``),
and each of the P processes takes every P-th image of each; each process's loss is its images'
share of the batch's mean, so the gradient DDP averages is exactly the batch's, and one DDP step
is the SGD step dl101 takes. The two continuations then differ only by float32 rounding. (In your
own code, ``torch.utils.data.DistributedSampler`` shards a data set the usual way.) Rank 0 prints
one JSON line with the result.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

import numpy as np
import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel

import dl101
from dl101.export import from_torch, to_torch


def run_settings(folder: Path) -> dict:
    """The data set, batch size and learning rate the run was trained with (metrics.json), else
    ``dl101 mnist``'s defaults."""
    settings = {"dataset": "mnist", "batch_size": 64, "lr": 0.01}
    try:
        recorded = json.loads((folder / "metrics.json").read_text())["settings"]
    except (OSError, ValueError, KeyError):
        return settings
    return {key: recorded.get(key, value) for key, value in settings.items()}


class Dl101Batches:
    """This process's share of the mini-batches ``dl101.fit(seed=seed)`` takes, epoch after epoch:
    a list of indices per batch, and the size of the whole batch it is a share of."""

    def __init__(self, n, batch_size, seed, rank, world):
        self.n, self.batch_size, self.rank, self.world = n, batch_size, rank, world
        self.rng = np.random.default_rng(seed)  # one permutation per epoch, as fit draws them

    def __iter__(self):
        order = self.rng.permutation(self.n)
        for start in range(0, self.n, self.batch_size):
            batch = order[start:start + self.batch_size]
            yield batch[self.rank::self.world].tolist(), len(batch)

    def __len__(self):
        return -(-self.n // self.batch_size)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("run", type=Path, help="a dl101 run folder (model.json, model.npz)")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--out", type=Path, required=True, help="the dl101 model folder to write")
    parser.add_argument("--dataset", default=None, help="default: the run's")
    parser.add_argument("--batch-size", type=int, default=None, help="the global batch; default: the run's")
    parser.add_argument("--lr", type=float, default=None, help="default: the run's")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    settings = run_settings(args.run)
    dataset = args.dataset or settings["dataset"]
    batch_size, lr = args.batch_size or settings["batch_size"], args.lr or settings["lr"]

    dist.init_process_group("gloo")  # torchrun gives each process its RANK and WORLD_SIZE
    rank, world = dist.get_rank(), dist.get_world_size()
    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", 1)))
    torch.manual_seed(args.seed)

    model = dl101.load_model(args.run)
    data = dl101.data.load(dataset, verbose=False)
    logits = to_torch(model, logits=True).train()  # z_L out: nn.CrossEntropyLoss adds the softmax
    ddp = DistributedDataParallel(logits)
    x_train = torch.from_numpy(data.x_train.astype(model.dtype))
    y_train = torch.from_numpy(data.y_train.astype(np.int64))
    batches = Dl101Batches(len(x_train), batch_size, args.seed, rank, world)
    optimiser = torch.optim.SGD(ddp.parameters(), lr=lr)
    loss_function = nn.CrossEntropyLoss(reduction="sum")
    for epoch in range(args.epochs):
        for mine, whole in batches:
            optimiser.zero_grad()
            # this process's images' sum over the whole batch's size, times P: DDP's mean over the
            # P processes is then the batch's mean loss, whatever the shares' sizes
            loss = loss_function(ddp(x_train[mine]), y_train[mine]) * world / whole
            loss.backward()
            optimiser.step()

    if rank == 0:
        probabilities = to_torch(model)  # the same layers with the softmax output
        probabilities.load_state_dict(logits.state_dict())
        continued = from_torch(probabilities)
        dl101.save_model(continued, args.out)
        result = dl101.evaluate(continued, data.x_test, data.y_test)
        print(json.dumps({"processes": world, "epochs": args.epochs, "test_accuracy": result.accuracy,
                          "test_loss": float(result.loss), "model": str(args.out)}))
    dist.barrier()  # the others wait for rank 0 before the group goes
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
