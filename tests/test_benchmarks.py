"""The benchmark runs (a quick smoke run on the digits); it measures, it asserts no timings."""

import json
import subprocess
import sys
from pathlib import Path

from clitools import cli_env

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the benchmarks package sits beside src/, outside the installed one


def test_quick_benchmark_writes_its_tables_and_json(tmp_path):
    done = subprocess.run([sys.executable, "-m", "benchmarks", "--quick", "--out", str(tmp_path)],
                          cwd=ROOT, capture_output=True, text=True, env=cli_env(), timeout=900)
    assert done.returncode == 0, done.stderr
    results = json.loads((tmp_path / "results.json").read_text())
    engines = " ".join(row["engine"] for s in results["sections"] for row in s["rows"])
    for engine in ("dl101 (1 thread)", "numpy loop (2 threads)", "PyTorch 2", "scikit-learn 1"):
        assert engine in engines
    for section in results["sections"]:  # every engine trained on the same data to a real accuracy
        assert all(0 < row["test_accuracy"] <= 1 and row["seconds_per_epoch"] > 0 for row in section["rows"])
    markdown = (tmp_path / "results.md").read_text()
    for heading in ("Lecture network, batch 64", "batch 1", "batch 512", "Wide network", "Inference",
                    "The main job"):
        assert heading in markdown
    assert "the speed of PyTorch at its best" in markdown


def test_committed_results_come_from_a_full_run():
    """results.md is exactly what the report makes of results.json, from a full run."""
    from benchmarks import report
    results = json.loads((ROOT / "benchmarks" / "results.json").read_text())
    assert results["quick"] is False and results["instructions"]["per_step"]["dl101"] > 0
    assert (ROOT / "benchmarks" / "results.md").read_text() == report.markdown(results)


def test_the_instruction_count_driver_trains_both_engines():
    """What valgrind runs in the full benchmark: both engines take their steps (valgrind itself
    is left to the full run, where counting takes minutes)."""
    import numpy as np

    import dl101
    from benchmarks import instructions
    start = dl101.MLP([784, 64, 32, 10], init="torch").layers[0].A  # both engines start here
    trained = [instructions.drive("dl101", 3).model.layers[0].A, instructions.drive("numpy", 3).A[0]]
    for A in trained:
        assert A.shape == start.shape and not np.allclose(A, start)
    np.testing.assert_allclose(trained[0], trained[1], atol=1e-5)  # the same 23 steps, the same weights


def test_the_readme_quotes_the_committed_results():
    """Every seconds-per-epoch figure in the README's speed table is one the committed run measured."""
    import re
    results = json.loads((ROOT / "benchmarks" / "results.json").read_text())
    measured = {f"{row['seconds_per_epoch']:.3f}" for s in results["sections"] for row in s["rows"]}
    readme = (ROOT / "README.md").read_text()
    table = readme[readme.index("| lecture network 784-64-32-10"):].split("\n\n")[0]
    quoted = re.findall(r"\| (\d\.\d{3}) \|", table)
    assert len(quoted) >= 4 and set(quoted) <= measured, (quoted, sorted(measured))
