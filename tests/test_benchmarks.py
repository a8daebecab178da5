"""The benchmark runs (a quick smoke run on the digits); it measures, it asserts no timings."""

import json
import subprocess
import sys
from pathlib import Path

from clitools import cli_env

ROOT = Path(__file__).resolve().parents[1]


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
    results = json.loads((ROOT / "benchmarks" / "results.json").read_text())
    assert results["quick"] is False
    assert (ROOT / "benchmarks" / "results.md").read_text().startswith("# Benchmarks")
