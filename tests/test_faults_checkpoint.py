"""Faults (issue 14, class 1): a checkpoint is one unit, replaced whole or not at all, checked on
resume; every damaged, mixed or foreign one is one clear error naming the file.

The interruptions are deterministic: a stand-in for StopOnSignals requests the stop at a given
step (as Ctrl-C would), and the writer is replaced by one that dies or fills the disk."""

import contextlib
import errno
import json
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pytest

import dl101
from dl101 import files
from dl101.callbacks import StopOnSignals
from dl101.jobs import checkpoint, mnist
from dl101.jobs.settings import MnistSettings, RunOptions

from faults import cli, one_line_error

ARGS = ["mnist", "--dataset", "digits", "--epochs", "3", "--batch-size", "16", "--no-figures", "--seed", "1"]
# digits: 1438 training images, 90 batches of 16 an epoch


def stop_at(monkeypatch, step, sleep=0.0):
    """Training stops after step ``step`` (counted from the start of the run), as after Ctrl-C."""
    class StopAt(StopOnSignals):
        def on_train_begin(self, model, n_batches):
            self.previous = {}

        def on_batch_end(self, position, loss):
            if self.trainer.step_count + 1 == step:
                if sleep:
                    import time
                    time.sleep(sleep)
                self.trainer.stop_requested = "SIGINT"
    monkeypatch.setattr(mnist, "StopOnSignals", StopAt)


def weights(folder):
    with np.load(Path(folder) / "model.npz") as npz:
        return {k: npz[k] for k in npz.files}


def part_files(folder):
    return sorted(p.name for p in Path(folder).iterdir() if p.name.endswith(".part"))


@pytest.fixture(scope="module")
def straight(tmp_path_factory):
    """The uninterrupted run's weights."""
    folder = tmp_path_factory.mktemp("straight") / "run"
    mnist.run(MnistSettings(dataset="digits", epochs=3, batch_size=16, seed=1),
              RunOptions(out=str(folder), figures=False), log=lambda *a: None)
    return weights(folder)


@pytest.fixture
def interrupted(tmp_path, monkeypatch, capsys):
    """A run stopped at step 100 (epoch 2), its checkpoint in the folder."""
    folder = tmp_path / "run"
    stop_at(monkeypatch, 100)
    code, out, err = cli(capsys, *ARGS, "--out", folder)
    assert code == mnist.INTERRUPTED and "checkpoint saved" in out, (out, err)
    monkeypatch.undo()
    return folder


def resume_to_the_end(capsys, folder):
    code, out, err = cli(capsys, "mnist", "--resume", folder)
    assert code == 0 and "Traceback" not in err, (out, err)
    return out


def assert_bit_exact(folder, straight):
    got = weights(folder)
    for key in straight:
        np.testing.assert_array_equal(got[key], straight[key])


class Killed(BaseException):
    """The process dying (SIGKILL, power cut) in the middle of a write."""


def test_a_kill_after_the_first_file_of_a_checkpoint_never_leaves_it_mixed(interrupted, straight,
                                                                           monkeypatch, capsys):
    """A kill after the checkpoint's first file is written: what is left resumes to the
    uninterrupted run's weights, bit for bit. (Before: checkpoint.npz from step 150 and
    checkpoint.json from step 100 resumed with exit 0 to other weights.)"""
    real, calls = checkpoint.atomic_write, []

    @contextlib.contextmanager
    def dies_after_first_file(path, mode="wb"):
        calls.append(path)
        if len(calls) > 1:
            raise Killed
        with real(path, mode) as f:
            yield f

    monkeypatch.setattr(checkpoint, "atomic_write", dies_after_first_file)
    stop_at(monkeypatch, 150)
    with contextlib.suppress(Killed):  # one file now: it is written whole, and nothing after it
        cli(capsys, "mnist", "--resume", interrupted)
    monkeypatch.undo()
    capsys.readouterr()
    assert part_files(interrupted) == []
    resume_to_the_end(capsys, interrupted)
    assert_bit_exact(interrupted, straight)
    assert part_files(interrupted) == [] and not (interrupted / "checkpoint.npz").exists()


def test_a_kill_in_the_middle_of_the_checkpoint_leaves_the_previous_one(interrupted, straight,
                                                                       monkeypatch, capsys):
    """Killed half-way through writing the checkpoint: the previous one is still whole (a guard:
    the atomic write already held this for each file)."""
    before = (interrupted / "checkpoint.npz").read_bytes()
    real = files.atomic_write

    class Dies:
        def __init__(self, f):
            self.f, self.written = f, 0

        def write(self, data):
            self.written += len(data)
            if self.written > 1000:
                raise Killed
            return self.f.write(data)

        def __getattr__(self, name):
            return getattr(self.f, name)

    @contextlib.contextmanager
    def dies_half_way(path, mode="wb"):
        with real(path, mode) as f:
            yield Dies(f)

    monkeypatch.setattr(checkpoint, "atomic_write", dies_half_way)
    stop_at(monkeypatch, 150)
    with pytest.raises(Killed):
        cli(capsys, "mnist", "--resume", interrupted)
    monkeypatch.undo()
    capsys.readouterr()
    assert (interrupted / "checkpoint.npz").read_bytes() == before and part_files(interrupted) == []
    resume_to_the_end(capsys, interrupted)
    assert_bit_exact(interrupted, straight)


class FullDisk:
    """A file that takes ``room`` bytes, then fails as a full disk does."""

    def __init__(self, f, room, name):
        self.f, self.room, self.name = f, room, name

    def write(self, data):
        self.room -= len(data)
        if self.room < 0:
            raise OSError(errno.ENOSPC, "No space left on device", self.name)
        return self.f.write(data)

    def __getattr__(self, name):
        return getattr(self.f, name)


def fill_disk_under(monkeypatch, module, folder, room=1000):
    """``module.atomic_write`` into ``folder`` runs out of space after ``room`` bytes."""
    real = files.atomic_write

    @contextlib.contextmanager
    def full(path, mode="wb"):
        with real(path, mode) as f:
            yield FullDisk(f, room, str(path)) if Path(path).parent == Path(folder) else f

    monkeypatch.setattr(module, "atomic_write", full)


def test_a_full_disk_while_the_ctrl_c_checkpoint_is_written_keeps_both(interrupted, straight, tmp_path,
                                                                      monkeypatch, capsys):
    """ENOSPC half-way through the second checkpoint: the first stays whole in the folder, the
    second goes to a temporary folder named in the one-line error; both resume bit for bit."""
    before = (interrupted / "checkpoint.npz").read_bytes()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    fill_disk_under(monkeypatch, checkpoint, interrupted)
    stop_at(monkeypatch, 150)
    code, out, err = cli(capsys, "mnist", "--resume", interrupted)
    monkeypatch.undo()
    assert code == 2
    one_line_error(err, "mnist", f"cannot write the checkpoint in {interrupted} (No space left on device)",
                   "it is kept in", "continue with: dl101 mnist --resume")
    rescued = Path(err.split("it is kept in ")[1].split(" instead")[0])
    assert rescued.parent == tmp_path and (rescued / "checkpoint.npz").is_file()
    assert (interrupted / "checkpoint.npz").read_bytes() == before and part_files(interrupted) == []
    assert "resuming" in resume_to_the_end(capsys, rescued)
    assert_bit_exact(rescued, straight)
    resume_to_the_end(capsys, interrupted)
    assert_bit_exact(interrupted, straight)


def test_a_checkpoint_from_another_run_is_refused(tmp_path, monkeypatch, capsys):
    """Checkpoint files copied from another run's folder (another seed): refused, naming the
    file. (Before: resumed with exit 0, continuing the other run's weights under this run's name.)"""
    folders = {}
    for seed in ("1", "2"):
        folders[seed] = tmp_path / f"seed{seed}"
        stop_at(monkeypatch, 100)
        code, out, err = cli(capsys, *ARGS[:-1], seed, "--out", folders[seed])
        assert code == mnist.INTERRUPTED, err
    for path in folders["2"].glob("checkpoint.*"):
        shutil.copy(path, folders["1"] / path.name)
    monkeypatch.undo()
    code, out, err = cli(capsys, "mnist", "--resume", folders["1"])
    assert code == 2
    one_line_error(err, "mnist", str(folders["1"] / "checkpoint.npz"), "belongs to another run")
    assert not (folders["1"] / "model.npz").exists()


# --- damaged checkpoints: each one clear error naming the file ------------------------------------

def rewrite(folder, change, keep_digest=False):
    """Rewrite the checkpoint with ``change(arrays, meta)`` applied, its digest made to match
    (as a hand-edit or a buggy tool that knows the format would) unless ``keep_digest``."""
    path = folder / "checkpoint.npz"
    with np.load(path) as npz:
        arrays = {k: npz[k] for k in npz.files}
    meta = json.loads(arrays.pop("__meta__").tobytes())
    change(arrays, meta)
    if not keep_digest and "arrays_sha256" in meta:
        meta["arrays_sha256"] = checkpoint.digest(arrays)
    np.savez(path, **arrays, __meta__=np.frombuffer(json.dumps(meta).encode(), np.uint8))


def bytes_damage(change):
    return lambda folder: (folder / "checkpoint.npz").write_bytes(change((folder / "checkpoint.npz").read_bytes()))


def flip(data):
    middle = len(data) // 3
    return data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1:]


def state(key, value):
    def change(arrays, meta):
        meta["state"][key] = value
    return lambda folder: rewrite(folder, change)


def array(key, make):
    def change(arrays, meta):
        if make is None:
            del arrays[key]
        else:
            arrays[key] = make(arrays[key])
    return lambda folder: rewrite(folder, change)


def record(make):
    """The checkpoint with its ``__meta__`` record replaced by ``make()`` (or dropped: None)."""
    def damage(folder):
        path = folder / "checkpoint.npz"
        with np.load(path) as npz:
            arrays = {k: npz[k] for k in npz.files if k != "__meta__"}
        text = make()
        np.savez(path, **arrays, **({} if text is None else {"__meta__": text}))
    return damage


def spliced(folder):
    """The record of one moment with the weights of another."""
    def change(arrays, meta):
        arrays["theta"] = arrays["theta"] + np.float32(1e-3)
    rewrite(folder, change, keep_digest=True)


DAMAGES = {
    "truncated": (bytes_damage(lambda b: b[:len(b) // 2]), "is truncated or damaged"),
    "empty": (bytes_damage(lambda b: b""), "is truncated or damaged"),
    "a flipped byte": (bytes_damage(flip), "is truncated or damaged"),
    "not a zip": (bytes_damage(lambda b: b"hello"), "is truncated or damaged"),
    "no record": (record(lambda: None), "has no __meta__ record"),
    "a record that is not JSON": (record(lambda: np.frombuffer(b"{oops", np.uint8)), "is not valid JSON"),
    "a record of the wrong type": (record(lambda: np.zeros(3)), "has no __meta__ record"),
    "pieces of two checkpoints": (spliced, "pieces of two checkpoints"),
    "a one-element theta": (array("theta", lambda a: a[:1]), "theta must be an array of shape"),
    "theta in float64": (array("theta", lambda a: a.astype(np.float64)), "theta must be an array of shape"),
    "NaN weights": (array("theta", lambda a: np.full_like(a, np.nan)), "theta holds NaN"),
    "an order with repeats": (array("order", lambda a: np.zeros_like(a)), "order must be a permutation"),
    "an order too short": (array("order", lambda a: a[:10]), "order must be a permutation"),
    "no optimiser step count": (array("opt.t", None), "optimiser state holds nothing"),
    "a position out of range": (state("position", 999), "position 999 of 90 batches"),
    "a position that is text": (state("position", "7"), "position must be an integer"),
    "a step count that disagrees": (state("step_count", 3), "3 steps taken"),
    "the last epoch": (state("epoch_count", 3), "is at epoch 3 of a 3-epoch run"),
    "a negative epoch": (state("epoch_count", -1), "is at epoch -1"),
    "no random generator": (state("rng", "x"), "rng is not a PCG64 state"),
    "no history": (state("history", []), "history is not a History"),
    "a missing entry": (lambda f: rewrite(f, lambda a, m: m["state"].pop("correct")), "lacks correct"),
    "unknown settings": (lambda f: rewrite(f, lambda a, m: m["settings"].update(colour=1)), "settings this dl101 does not know"),
    "settings that cannot run": (lambda f: rewrite(f, lambda a, m: m["settings"].update(lr=-1)), "--lr must be"),
    "no run id": (lambda f: rewrite(f, lambda a, m: m.pop("run_id")), "is not a dl101-checkpoint"),
    "options of the wrong kind": (lambda f: rewrite(f, lambda a, m: m["options"].update(figures="yes")), "run options"),
}


@pytest.mark.parametrize("name", DAMAGES)
def test_a_damaged_checkpoint_is_one_clear_error_naming_the_file(interrupted, name, capsys):
    damage, message = DAMAGES[name]
    damage(interrupted)
    code, out, err = cli(capsys, "mnist", "--resume", interrupted)
    assert code == 2, (out, err)
    one_line_error(err, "mnist", str(interrupted / "checkpoint.npz"), message)
    assert not (interrupted / "model.npz").exists() and (interrupted / "checkpoint.npz").exists()
    assert not (interrupted / ".dl101.lock").exists()  # the lock is given back


def test_an_older_two_file_checkpoint_is_named_as_such(tmp_path, capsys):
    folder = tmp_path / "old"
    folder.mkdir()
    (folder / "checkpoint.json").write_text("{}")
    (folder / "checkpoint.npz").write_bytes(b"")
    (folder / "checkpoint.npz").unlink()
    code, out, err = cli(capsys, "mnist", "--resume", folder)
    one_line_error(err, "mnist", "written by an older dl101")


def test_the_trainer_itself_refuses_a_state_that_does_not_fit(digits):
    """The same checks in the engine's Trainer.load_state_dict (the notebook and the playground
    restore states too): no broadcasting, the whole optimiser state, nothing changed on failure."""
    from dl101.trainer_state import StateError
    x, y, *_ = digits
    model = dl101.MLP([64, 16, 10], seed=0)
    trainer = dl101.Trainer(model, x, y, "cross_entropy", dl101.optim.get("adam", model.parameters(flat=True), 0.01),
                            32, np.random.default_rng(0))
    trainer.advance(steps=5)
    good = trainer.state_dict()
    theta = model.theta.copy()
    for bad, message in [({"theta": good["theta"][:1]}, "theta must be an array of shape"),
                         ({"opt.m0": good["opt.m0"][:3]}, "opt.m0 must be an array"),
                         ({"order": np.arange(len(x))[::-1].copy() * 0}, "order must be a permutation"),
                         ({"rng": {"bit_generator": "MT19937"}}, "rng is not a PCG64 state"),
                         ({"lr": float("nan")}, "lr must be a finite number")]:
        with pytest.raises(StateError, match=message):
            trainer.load_state_dict({**good, **bad})
        np.testing.assert_array_equal(model.theta, theta)  # untouched
    adam_free = {k: v for k, v in good.items() if not k.startswith("opt.m")}
    with pytest.raises(StateError, match="holds t, v0; this Adam needs m0, t, v0"):
        trainer.load_state_dict(adam_free)
