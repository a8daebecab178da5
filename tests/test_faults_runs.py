"""Faults (issue 14, classes 2 and 6): a finished training is never lost, and run folders are
one run's at a time: a lock against a second run, --force removing only the previous run's own
files, --resume keeping the run's settings and options, --out checked before any data is loaded."""

import contextlib
import errno
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pytest

import dl101
from dl101 import files, saving
from dl101.jobs import mnist, report, run_folder
from dl101.jobs.settings import MnistSettings, RunOptions

from clitools import cli_env, run_cli
from faults import cli, one_line_error
from test_faults_checkpoint import FullDisk, stop_at, weights

DIGITS = ["mnist", "--dataset", "digits"]


def start(*args):
    return subprocess.Popen([sys.executable, "-m", "dl101", *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=cli_env())


def wait_for_epoch(proc, epochs):
    """Read the run's output until its first epoch's line (``epoch   1/150  loss ...``)."""
    for line in proc.stdout:
        if line.split()[:2] == ["epoch", f"1/{epochs}"]:
            return line
    raise AssertionError(f"no first epoch's line: {proc.communicate()}")


# --- one run at a time ------------------------------------------------------------------------

def test_a_second_run_into_a_folder_in_use_is_refused_and_the_first_finishes_intact(tmp_path):
    """Two real processes into one --out: the second (even with --force) is refused in one line
    naming the first's PID, writes nothing; the first ends with its own results. (Before: both
    exited 0, the second's files replacing the first's.)"""
    folder = tmp_path / "shared"
    first = start(*DIGITS, "--epochs", "150", "--batch-size", "1", "--no-figures", "--out", folder)
    wait_for_epoch(first, 150)
    second = run_cli(*DIGITS, "--epochs", "1", "--lr", "0.1", "--out", folder, "--force")
    out, err = first.communicate(timeout=300)
    assert first.returncode == 0, err
    assert second.returncode == 2 and "Traceback" not in second.stderr
    assert f"run folder {folder} is in use by another dl101 run (process {first.pid})" in second.stderr
    assert second.stderr.count("\n") == 1
    metrics = json.loads((folder / "metrics.json").read_text())
    assert metrics["settings"]["epochs"] == 150 and metrics["settings"]["lr"] == 0.01
    assert sorted(p.name for p in folder.iterdir()) == ["digit.png", "metrics.json", "model.json", "model.npz", "run.json"]
    model = dl101.load_model(folder)
    data = dl101.data.load("digits", verbose=False)
    assert dl101.evaluate(model, data.x_test, data.y_test).accuracy == metrics["final"]["test_accuracy"]


def test_sigterm_leaves_a_whole_checkpoint_and_no_lock(tmp_path, capsys):
    """SIGTERM to a real run: exit 130, its checkpoint whole, the lock given back; the run
    resumes (here, in this process) to its end."""
    folder = tmp_path / "run"
    proc = start(*DIGITS, "--epochs", "60", "--batch-size", "1", "--no-figures", "--out", folder)
    wait_for_epoch(proc, 60)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130 and "checkpoint saved" in out, (out, err)
    assert sorted(p.name for p in folder.iterdir()) == ["checkpoint.npz", "run.json"]
    code, out, err = cli(capsys, "mnist", "--resume", folder)
    assert code == 0, err
    assert sorted(p.name for p in folder.iterdir()) == ["digit.png", "metrics.json", "model.json", "model.npz", "run.json"]


def test_half_written_files_of_a_killed_run_are_swept_and_others_kept(tmp_path, monkeypatch, capsys):
    """A SIGKILL in the middle of a write leaves atomic_write's temporary file: the next run into
    the folder (here a resume) removes those of the files dl101 writes, and no other."""
    folder = tmp_path / "run"
    stop_at(monkeypatch, 100)
    code, out, err = cli(capsys, *DIGITS, "--epochs", "2", "--batch-size", "16", "--no-figures", "--out", folder)
    assert code == mnist.INTERRUPTED, err
    monkeypatch.undo()
    (folder / ".checkpoint.npz.k3j9x_.part").write_bytes(b"PK half")
    (folder / ".model.npz.a1b2c3.part").write_bytes(b"PK half")
    (folder / ".digit.png.q7w8e9.part").write_bytes(b"\x89PNG half")
    (folder / ".notes.txt.part").write_text("the user's")
    code, out, err = cli(capsys, "mnist", "--resume", folder)
    assert code == 0, err
    assert sorted(p.name for p in folder.glob(".*")) == [".notes.txt.part"]


def test_a_stale_lock_of_a_dead_process_is_taken_over(tmp_path, capsys):
    folder = tmp_path / "run"
    folder.mkdir()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (folder / ".dl101.lock").write_text(f"{dead.pid}\n")
    code, out, err = cli(capsys, *DIGITS, "--epochs", "1", "--no-figures", "--out", folder)
    assert code == 0, err
    assert not (folder / ".dl101.lock").exists() and (folder / "model.npz").exists()


def test_a_lock_held_by_a_living_process_is_respected(tmp_path, capsys):
    folder = tmp_path / "run"
    folder.mkdir()
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (folder / ".dl101.lock").write_text(f"{alive.pid}\n")
        code, out, err = cli(capsys, *DIGITS, "--epochs", "1", "--out", folder, "--force")
    finally:
        alive.kill()
        alive.wait()
    assert code == 2
    one_line_error(err, "mnist", f"is in use by another dl101 run (process {alive.pid})", "remove")
    assert sorted(p.name for p in folder.iterdir()) == [".dl101.lock"]


# --- --force: the previous run's own files only ------------------------------------------------

def test_force_removes_the_previous_runs_files_and_nothing_else(tmp_path, capsys):
    """A run with figures, a file of the user's, then --force --no-figures: the old figures are
    gone (they were the previous run's), the user's file and a file named outside are kept.
    (Before: the previous run's curves.png stayed beside the new model.)"""
    folder = tmp_path / "run"
    code, out, err = cli(capsys, *DIGITS, "--epochs", "1", "--out", folder)
    assert code == 0 and (folder / "curves.png").exists(), err
    (folder / "notes.txt").write_text("mine")
    outside = tmp_path / "victim.txt"
    outside.write_text("not dl101's")
    record = json.loads((folder / "run.json").read_text())
    record["files"] += ["../victim.txt", "notes-not-listed"]
    (folder / "run.json").write_text(json.dumps(record))
    code, out, err = cli(capsys, *DIGITS, "--epochs", "1", "--no-figures", "--seed", "3", "--out", folder, "--force")
    assert code == 0, err
    assert sorted(p.name for p in folder.iterdir()) == ["digit.png", "metrics.json", "model.json", "model.npz", "notes.txt", "run.json"]
    assert outside.read_text() == "not dl101's" and (folder / "notes.txt").read_text() == "mine"
    assert json.loads((folder / "metrics.json").read_text())["settings"]["seed"] == 3


def test_force_also_removes_what_export_wrote_into_the_run(tmp_path, capsys):
    """model.onnx written by `dl101 export` into a run folder is dl101's too: recorded in run.json,
    removed by the next run's --force; an export written elsewhere is not recorded."""
    folder = tmp_path / "run"
    code, out, err = cli(capsys, *DIGITS, "--epochs", "1", "--no-figures", "--out", folder)
    assert code == 0, err
    assert cli(capsys, "export", folder, "--format", "onnx")[0] == 0
    assert cli(capsys, "export", folder, "--format", "onnx", "--out", tmp_path / "mine.onnx")[0] == 0
    assert "model.onnx" in json.loads((folder / "run.json").read_text())["files"]
    code, out, err = cli(capsys, *DIGITS, "--epochs", "1", "--no-figures", "--out", folder, "--force")
    assert code == 0, err
    assert not (folder / "model.onnx").exists() and (tmp_path / "mine.onnx").is_file()


# --- --resume: the run's own settings and options ----------------------------------------------

@pytest.fixture
def interrupted(tmp_path, monkeypatch, capsys):
    """A digits run with lr 0.1, no figures and its own data cache, stopped at step 100 of 270."""
    folder = tmp_path / "run"
    stop_at(monkeypatch, 100)
    code, out, err = cli(capsys, *DIGITS, "--epochs", "3", "--batch-size", "16", "--lr", "0.1",
                         "--no-figures", "--cache-dir", tmp_path / "cache", "--out", folder)
    assert code == mnist.INTERRUPTED, err
    monkeypatch.undo()
    return folder


@pytest.mark.parametrize("args, said", [
    (["--dataset", "mnist"], "--dataset mnist (the run's: digits)"),  # mnist is the default
    (["--lr", "0.01"], "--lr 0.01 (the run's: 0.1)"),                 # 0.01 is the default
    (["--epochs", "5", "--seed", "2"], "--epochs 5 (the run's: 3), --seed 2 (the run's: 0) contradict them"),
    (["--out", "elsewhere"], "writes into that folder; drop --out"),
])
def test_resume_refuses_options_that_contradict_the_run(interrupted, args, said, capsys):
    """(Before: an option equal to its default, e.g. --dataset mnist, was silently ignored and
    the run continued on its own data set.)"""
    before = (interrupted / "checkpoint.npz").read_bytes()
    code, out, err = cli(capsys, "mnist", "--resume", interrupted, *args)
    assert code == 2
    one_line_error(err, "mnist", said)
    assert (interrupted / "checkpoint.npz").read_bytes() == before


def test_resume_accepts_the_runs_own_values_and_remembers_its_options(interrupted, tmp_path,
                                                                     monkeypatch, capsys):
    """--lr 0.1 --dataset digits are the run's own: fine. No figures are drawn (the run said
    --no-figures) and the data comes from the run's --cache-dir. (Before: figures drawn, the
    default cache used.)"""
    seen = []
    real = mnist.load_data
    monkeypatch.setattr(mnist, "load_data", lambda settings, cache_dir=None: (seen.append(cache_dir),
                                                                            real(settings, cache_dir))[1])
    code, out, err = cli(capsys, "mnist", "--resume", interrupted, "--lr", "0.1", "--dataset", "digits")
    assert code == 0, err
    assert seen == [str(tmp_path / "cache")]
    assert [p.name for p in interrupted.glob("*.png")] == ["digit.png"]  # predict's example, no figure
    assert (interrupted / "model.npz").exists()


def test_the_resumed_epochs_seconds_include_the_time_before_the_interruption(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "run"
    stop_at(monkeypatch, 100, sleep=1.0)  # step 100 of epoch 2 takes a second
    code, out, err = cli(capsys, *DIGITS, "--epochs", "3", "--batch-size", "16", "--no-figures", "--out", folder)
    assert code == mnist.INTERRUPTED, err
    monkeypatch.undo()
    code, out, err = cli(capsys, "mnist", "--resume", folder)
    assert code == 0, err
    seconds = json.loads((folder / "metrics.json").read_text())["history"]["seconds"]
    assert seconds[1] >= 1.0 > seconds[2], seconds


# --- never lose a finished training ------------------------------------------------------------

@pytest.mark.parametrize("make, said", [
    (lambda tmp: (tmp / "file").write_text("x") and tmp / "file" / "run", "is a file, not a folder"),
    (lambda tmp: tmp / ("x" * 300), "more than the 255 a file name may have"),
    (lambda tmp: (tmp / "f").write_text("x") and tmp / "f", "is a file, not a folder"),
])
def test_an_out_that_cannot_be_a_folder_is_refused_before_the_data_is_loaded(make, said, tmp_path,
                                                                            monkeypatch, capsys):
    """(Before: the data was loaded and the network trained, then the run died making the folder.)"""
    out = make(tmp_path)

    def no_data(*args, **kwargs):
        raise AssertionError("the data was loaded")
    monkeypatch.setattr(mnist, "load_data", no_data)
    code, _, err = cli(capsys, *DIGITS, "--epochs", "1", "--out", out)
    assert code == 2
    one_line_error(err, "mnist", said)


def test_an_out_in_a_folder_without_write_permission_is_refused_first(tmp_path, monkeypatch, capsys):
    """(As root, permissions do not stop a write: the check reads os.access, stood in for here.)"""
    real = os.access
    monkeypatch.setattr(run_folder.os, "access", lambda path, mode: False if Path(path) == tmp_path else real(path, mode))
    monkeypatch.setattr(mnist, "load_data", lambda *a, **k: pytest.fail("the data was loaded"))
    code, _, err = cli(capsys, *DIGITS, "--out", tmp_path / "run")
    assert code == 2
    one_line_error(err, "mnist", f"cannot write in {tmp_path}")


@pytest.fixture(scope="module")
def straight(tmp_path_factory):
    folder = tmp_path_factory.mktemp("straight") / "run"
    mnist.run(MnistSettings(dataset="digits", epochs=2, seed=4), RunOptions(out=str(folder), figures=False),
              log=lambda *a: None)
    return weights(folder)


def test_a_full_disk_at_the_end_keeps_the_trained_model_elsewhere(tmp_path, straight, monkeypatch, capsys):
    """ENOSPC on every write into the run folder once training is done: exit 2, one line saying
    where the model went; the model there is the trained one. (Before: an OSError after training,
    nothing kept.)"""
    folder = tmp_path / "run"
    rescue_dir = tmp_path / "tmp"
    rescue_dir.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(rescue_dir))
    real = files.atomic_write

    @contextlib.contextmanager
    def full(path, mode="wb"):
        with real(path, mode) as f:
            yield FullDisk(f, 0, str(path)) if Path(path).parent == folder and Path(path).name != "run.json" else f

    monkeypatch.setattr(saving, "atomic_write", full)
    monkeypatch.setattr(report, "atomic_write", full)
    code, out, err = cli(capsys, *DIGITS, "--epochs", "2", "--seed", "4", "--no-figures", "--out", folder)
    assert code == 2
    one_line_error(err, "mnist", f"cannot write the trained model in {folder} (No space left on device)",
                   "it is kept in")
    kept = Path(err.split("it is kept in ")[1].split(" instead")[0])
    assert kept.parent == rescue_dir
    got = weights(kept)
    for key in straight:
        np.testing.assert_array_equal(got[key], straight[key])
    assert json.loads((kept / "metrics.json").read_text())["settings"]["seed"] == 4
    assert not folder.exists()  # it held nothing: made by this run, it is removed again


def test_figures_that_do_not_fit_on_the_disk_leave_the_model_saved(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "run"
    import importlib
    figure_save = importlib.import_module("dl101.figures.save")

    def no_room(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(folder / "curves.png"))
    monkeypatch.setattr(figure_save, "_write", no_room)
    code, out, err = cli(capsys, *DIGITS, "--epochs", "1", "--out", folder)
    assert code == 2
    one_line_error(err, "mnist", f"the model and metrics.json are saved in {folder}", "dl101 figures --run")
    assert dl101.load_model(folder) is not None
