"""Instructions per training step, counted by valgrind: a measure that no other process and no
drift of the machine's speed can disturb (the same program counts the same, to a few parts in a
million), to set beside the wall-clock medians when two engines are within a few percent.

    python -m benchmarks.instructions                # both engines' counts (about 2 minutes)
    python -m benchmarks.instructions ENGINE STEPS   # the driver valgrind runs (dl101 | numpy)

Each engine is run twice under callgrind, taking W and W + STEPS steps on the same random batches
of the lecture's shapes; the difference over STEPS is the cost of one step, without start-up.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

WARM_UP = 20


def drive(engine, steps, widths=(784, 64, 32, 10), batch=64):
    from . import contenders
    rng = np.random.default_rng(0)
    x = rng.random((100 * batch, widths[0]), dtype=np.float32)
    y = rng.integers(0, widths[-1], len(x))
    cls = {"dl101": contenders.Dl101, "numpy": contenders.NumpyLoop}[engine]
    runner = cls(x, y, list(widths), batch, 0.01)
    runner.start_epoch()
    runner.advance(WARM_UP + steps)
    return runner


def _count(engine, steps, out) -> int:
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                           sys.executable, "-m", "benchmarks.instructions", engine, str(steps)],
                          cwd=Path(__file__).parents[1], env=env, capture_output=True, text=True)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode != 0 or not found:
        raise RuntimeError(f"valgrind failed for {engine}: {done.stderr[-500:]}")
    return int(found.group(1))


def per_step(steps=60) -> dict | None:
    """Instructions per step of dl101 and of the hand-written loop; None without valgrind."""
    if shutil.which("valgrind") is None:
        return None
    try:
        with tempfile.TemporaryDirectory() as tmp:
            counts = {engine: (_count(engine, steps, f"{tmp}/{engine}.long")
                               - _count(engine, 0, f"{tmp}/{engine}.short")) / steps
                      for engine in ("dl101", "numpy")}
    except RuntimeError as error:  # a count that failed is reported, not fatal to the whole run
        return {"steps": steps, "error": str(error)}
    return {"steps": steps, "per_step": counts}


if __name__ == "__main__":
    if len(sys.argv) == 3:
        drive(sys.argv[1], int(sys.argv[2]))
    else:
        print(per_step() or "valgrind is not installed (Debian: apt-get install valgrind)")
