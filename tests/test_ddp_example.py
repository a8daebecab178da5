"""examples/ddp_continue.py: a dl101 run continued in PyTorch with DistributedDataParallel over two
processes (gloo, CPU, torchrun) ends where continuing in dl101 for the same epochs ends."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from clitools import cli_env

import dl101

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "ddp_continue.py"
EPOCHS = 3


@pytest.mark.slow
def test_ddp_over_two_processes_continues_as_dl101_does(digits_run, tmp_path):
    pytest.importorskip("torch")
    settings = json.loads((digits_run / "metrics.json").read_text())["settings"]
    out = tmp_path / "ddp"
    done = subprocess.run([sys.executable, "-m", "torch.distributed.run", "--standalone",
                           "--nproc-per-node", "2", EXAMPLE, digits_run, "--epochs", str(EPOCHS),
                           "--out", out], capture_output=True, text=True, timeout=300,
                          env=cli_env(OMP_NUM_THREADS="1"))
    assert done.returncode == 0, done.stderr[-3000:]
    reported = json.loads(done.stdout.strip().splitlines()[-1])  # rank 0's line
    assert reported["processes"] == 2 and reported["epochs"] == EPOCHS

    data = dl101.data.load("digits", verbose=False)
    before = dl101.load_model(digits_run)
    here = dl101.load_model(digits_run)
    dl101.fit(here, data.x_train, data.y_train, epochs=EPOCHS, batch_size=settings["batch_size"],
              lr=settings["lr"], seed=0)
    ddp = dl101.load_model(out)
    accuracy = {name: dl101.evaluate(m, data.x_test, data.y_test).accuracy
                for name, m in (("before", before), ("dl101", here), ("ddp", ddp))}
    assert abs(accuracy["ddp"] - accuracy["dl101"]) <= 0.003, accuracy
    assert reported["test_accuracy"] == pytest.approx(accuracy["ddp"])
    # the same steps: the weights moved alike, and moved (the continuation really trained)
    for a, b, c in zip(before.layers, here.layers, ddp.layers):
        moved = np.abs(b.A - a.A).max()
        assert moved > 1e-2 and np.abs(c.A - b.A).max() < 1e-2 * moved
