"""The main job, ``dl101 mnist``, end to end: a real subprocess, a real run folder."""

import json
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
from PIL import Image

import dl101
from dl101.jobs import checkpoint, mnist
from dl101.jobs.settings import MnistSettings, RunOptions

from clitools import cli_env, run_cli


def weights(folder):
    with np.load(folder / "model.npz") as npz:
        return {k: npz[k] for k in npz.files}


@pytest.fixture(scope="module")
def digits_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("runs") / "digits"
    result = run_cli("mnist", "--dataset", "digits", "--epochs", "20", "--lr", "0.1", "--out", folder)
    assert result.returncode == 0, result.stderr
    return folder, result


def test_digits_run_writes_metrics_model_and_figures(digits_run):
    folder, result = digits_run
    assert {"metrics.json", "model.npz", "model.json", "curves.png", "confusion.png",
            "misclassified.png"} <= {p.name for p in folder.iterdir()}
    assert not (folder / "checkpoint.npz").exists()
    metrics = json.loads((folder / "metrics.json").read_text())
    assert metrics["settings"]["widths"] == [64, 64, 32, 10] and metrics["n_parameters"] == 6570
    history = metrics["history"]  # dl101.History's names: val_* is the test set, after each epoch
    assert history["epoch"] == list(range(1, 21)) and len(history["val_accuracy"]) == 20
    assert metrics["final"]["test_accuracy"] == history["val_accuracy"][-1] > 0.9
    assert metrics["final"]["loss"] == history["loss"][-1] and metrics["blas_threads"] == 1
    assert metrics["environment"]["numpy"] == np.__version__ and metrics["environment"]["blas"]
    assert metrics["data"]["checksums"] and metrics["data"]["n_train"] == 1438
    # one summary line per epoch, not repeated as a table, then the closing summary
    lines = result.stdout.splitlines()
    assert [line.split()[1] for line in lines if line.startswith("epoch ")] == [
        f"{epoch:>2}/20".strip() for epoch in range(1, 21)]
    assert sum("test accuracy" in line for line in lines) == 1
    model = dl101.load_model(folder)
    data = dl101.data.load("digits", verbose=False)
    assert dl101.evaluate(model, data.x_test, data.y_test).accuracy == metrics["final"]["test_accuracy"]


def test_same_seed_same_numbers_bit_for_bit(tmp_path):
    outcomes = []
    for name in ("a", "b"):
        run = mnist.run(MnistSettings(dataset="digits", epochs=3, seed=5),
                        RunOptions(out=str(tmp_path / name), figures=False), log=lambda *a: None)
        metrics = run.metrics
        del metrics["environment"], metrics["history"]["seconds"], metrics["seconds_per_epoch"]
        del metrics["wall_seconds"]  # times vary; everything else is the same bit for bit
        outcomes.append((metrics, weights(run.folder)))
    assert outcomes[0][0] == outcomes[1][0]
    for key, value in outcomes[0][1].items():
        np.testing.assert_array_equal(value, outcomes[1][1][key])


def test_the_job_and_fit_give_the_same_weights_and_history_for_one_seed(tmp_path):
    """The seeding rule: ``dl101 mnist --seed S`` builds MLP(..., seed=S) and calls fit(..., seed=S),
    so the command line and the API, on the same data, end bit for bit alike."""
    folder = tmp_path / "cli"
    result = run_cli("mnist", "--dataset", "digits", "--epochs", "3", "--seed", "3", "--no-figures",
                     "--out", folder)
    assert result.returncode == 0, result.stderr
    data = dl101.data.load("digits", verbose=False)
    model = dl101.MLP([64, 64, 32, 10], "relu", "softmax", seed=3)
    from dl101.threads import limited
    with limited(json.loads((folder / "metrics.json").read_text())["blas_threads"]):
        history = dl101.fit(model, data.x_train, data.y_train, epochs=3, seed=3, batch_size=64, lr=0.01,
                            validation_data=(data.x_test, data.y_test), verbose=0)
    saved = weights(folder)
    for name, theta, _ in model.parameters():
        np.testing.assert_array_equal(saved[name], theta)
    recorded = json.loads((folder / "metrics.json").read_text())["history"]
    for key in ("epoch", "loss", "accuracy", "val_loss", "val_accuracy"):
        assert recorded[key] == getattr(history, key), key


def test_evaluate_command_reproduces_the_recorded_accuracy(digits_run):
    folder, _ = digits_run
    result = run_cli("evaluate", folder)
    recorded = json.loads((folder / "metrics.json").read_text())["final"]["test_accuracy"]
    assert result.returncode == 0, result.stderr
    assert f"accuracy {recorded:.2%} (recorded at the end of training: {recorded:.2%})" in result.stdout


def draw_digit(path, size, ink="black", paper="white", digit="1"):
    """A digit drawn as a dark stroke on light paper, at any size, like a photo of a page."""
    image = Image.new("RGB", size, paper)
    from PIL import ImageDraw
    d = ImageDraw.Draw(image)
    w, h = size
    if digit == "1":
        d.line([(w // 2, h // 6), (w // 2, 5 * h // 6)], fill=ink, width=max(2, w // 12))
    else:  # a zero
        d.ellipse([w // 4, h // 6, 3 * w // 4, 5 * h // 6], outline=ink, width=max(2, w // 12))
    image.save(path)


@pytest.fixture(scope="module")
def mnist_run(tmp_path_factory):
    """One epoch of the lecture's network on the real MNIST."""
    folder = tmp_path_factory.mktemp("runs") / "mnist1"
    result = run_cli("mnist", "--epochs", "1", "--out", folder)
    assert result.returncode == 0, result.stderr
    return folder


def test_real_mnist_one_epoch_beats_85_percent(mnist_run):
    metrics = json.loads((mnist_run / "metrics.json").read_text())
    assert metrics["data"]["n_train"] == 60000 and metrics["data"]["n_test"] == 10000
    assert metrics["n_parameters"] == 52650
    assert metrics["final"]["test_accuracy"] > 0.85


def test_predict_reads_digits_drawn_on_paper_at_any_size(mnist_run, tmp_path):
    one, zero = tmp_path / "one.png", tmp_path / "zero.jpg"
    draw_digit(one, (300, 420))
    draw_digit(zero, (64, 64), digit="0")
    result = run_cli("predict", mnist_run, one, zero)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{one}: 1 ") and lines[1].startswith(f"{zero}: 0 ")


def test_image_conversion_matches_mnist_conventions(tmp_path):
    path = tmp_path / "one.png"
    draw_digit(path, (200, 300))
    x = dl101.images.load_digit_image(path).reshape(28, 28)
    assert x.dtype == np.float32 and x.max() == pytest.approx(1.0, abs=0.05) and x.min() == 0
    rows, cols = np.nonzero(x > 0.2)
    assert rows.max() - rows.min() + 1 <= 20  # fitted in the 20×20 box, as MNIST's digits
    mass_row = (x.sum(1) * np.arange(28)).sum() / x.sum()
    mass_col = (x.sum(0) * np.arange(28)).sum() / x.sum()
    assert abs(mass_row - 13.5) <= 1 and abs(mass_col - 13.5) <= 1  # centred by centre of mass
    assert x[0].max() == 0 and x[:, 0].max() == 0  # white on black: the paper became 0


def interrupt_and_resume(tmp_path, sig):
    folder = tmp_path / "interrupted"
    args = ["mnist", "--epochs", "3", "--batch-size", "16", "--no-figures", "--seed", "1", "--out", folder]
    proc = subprocess.Popen([sys.executable, "-m", "dl101", *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=cli_env())
    for line in proc.stdout:  # wait until the first epoch is done: the signal lands in epoch 2
        if line.startswith("epoch 1/3"):
            break
    time.sleep(0.3)
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 130, (out, err)
    assert "checkpoint saved. Continue with: dl101 mnist --resume" in out
    assert (folder / "checkpoint.npz").exists() and not (folder / "model.npz").exists()
    _, _, state = checkpoint.load(folder)  # the Trainer's state_dict, in one file
    # mid-epoch, after the first: epoch 2 (or, on a machine slow to pass the line on, epoch 3)
    assert state["epoch_count"] in (1, 2) and 0 < state["position"] < 3750
    resumed = run_cli("mnist", "--resume", folder)
    assert resumed.returncode == 0, resumed.stderr
    done = f"in epoch {state['epoch_count'] + 1} after step {state['position']}/3750"  # they agree
    assert f"SIGINT: stopped {done}; checkpoint saved" in out
    assert f"resuming {folder} {done}" in resumed.stdout
    straight = tmp_path / "straight"
    assert run_cli(*[a if a != folder else straight for a in args]).returncode == 0
    a, b = weights(folder), weights(straight)
    for key in a:
        np.testing.assert_array_equal(a[key], b[key])  # bit for bit
    history_a = json.loads((folder / "metrics.json").read_text())["history"]
    history_b = json.loads((straight / "metrics.json").read_text())["history"]
    assert history_a["val_accuracy"] == history_b["val_accuracy"]
    assert history_a["loss"] == history_b["loss"]
    assert not (folder / "checkpoint.npz").exists()


def test_ctrl_c_checkpoints_and_resume_ends_bit_for_bit_equal(tmp_path):
    interrupt_and_resume(tmp_path, signal.SIGINT)


def test_sigterm_checkpoints_too(tmp_path):
    folder = tmp_path / "t"
    proc = subprocess.Popen([sys.executable, "-m", "dl101", "mnist", "--dataset", "digits", "--epochs",
                             "2000", "--batch-size", "1", "--no-figures", "--out", str(folder)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=cli_env())
    for line in proc.stdout:
        if line.startswith("epoch"):
            break
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130 and "SIGTERM: stopped in epoch" in out, (out, err)
    assert (folder / "checkpoint.npz").exists()


@pytest.mark.parametrize("args, message", [
    (["--widths", "64", "10", "3"], "--widths 64 10 3 do not fit digits: its inputs have 64 values and "
                                    "it has 10 classes"),
    (["--widths", "784", "10"], "--widths 784 10 do not fit digits"),
    (["--batch-size", "5000"], "--batch-size 5000 is larger than the 1438 training images"),
    (["--batch-size", "0"], "--batch-size must be an integer >= 1, got 0"),
    (["--lr", "0"], "--lr must be a finite number > 0, got 0.0"),
    (["--lr", "-1"], "--lr must be a finite number > 0, got -1.0"),
    (["--optimizer", "adamw"], "unknown optimiser 'adamw'; valid names: adam, momentum, nesterov, sgd"),
    (["--activation", "relu6"], "unknown activation 'relu6'"),
    (["--classes", "3", "3"], "--classes 3 3: give at least two distinct classes among 0..9"),
    (["--classes", "0", "12"], "--classes 0 12: give at least two distinct classes"),
])
def test_impossible_settings_fail_clearly_without_traceback(args, message, tmp_path):
    result = run_cli("mnist", "--dataset", "digits", "--out", tmp_path / "run", *args)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "run").exists()


def test_unknown_options_are_refused_by_the_parser():
    result = run_cli("mnist", "--learning-rate", "0.1")
    assert result.returncode == 2 and "unrecognized arguments: --learning-rate" in result.stderr


def test_existing_run_folder_is_refused_unless_force(digits_run, tmp_path):
    folder, _ = digits_run
    before = (folder / "model.npz").read_bytes()
    result = run_cli("mnist", "--dataset", "digits", "--out", folder)
    assert result.returncode == 2 and "already exists; pass --force" in result.stderr
    assert (folder / "model.npz").read_bytes() == before
    copy = tmp_path / "copy"
    copy.mkdir()
    (copy / "keep.txt").write_text("x")
    forced = run_cli("mnist", "--dataset", "digits", "--epochs", "1", "--out", copy, "--force")
    assert forced.returncode == 0 and (copy / "model.npz").exists()


def test_resume_takes_the_runs_own_settings_from_its_checkpoint():
    result = run_cli("mnist", "--resume", "nowhere")
    assert result.returncode == 2 and "cannot resume nowhere: no checkpoint there" in result.stderr


@pytest.mark.parametrize("damage, message", [
    (lambda f: (f / "model.npz").write_bytes(b"not a zip"), "cannot be read as a NumPy .npz archive"),
    (lambda f: (f / "model.json").write_text("{"), "is not valid JSON"),
    (lambda f: (f / "model.json").write_text('{"format": "keras"}'), "is not a dl101 model description"),
    (lambda f: (f / "model.npz").unlink(), "model.npz is missing"),
])
def test_corrupt_or_foreign_model_files_are_refused(digits_run, tmp_path, damage, message):
    import shutil
    folder = tmp_path / "copy"
    shutil.copytree(digits_run[0], folder)
    damage(folder)
    for command in (["evaluate", folder], ["predict", folder, tmp_path / "x.png"]):
        result = run_cli(*command)
        assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


def test_unreadable_image_is_refused(digits_run, tmp_path):
    bad = tmp_path / "digit.png"
    bad.write_bytes(b"\x89PNG but not really")
    result = run_cli("predict", digits_run[0], bad)
    assert result.returncode == 2 and f"cannot read image {bad}" in result.stderr
    missing = run_cli("predict", digits_run[0], tmp_path / "none.png")
    assert missing.returncode == 2 and "does not exist" in missing.stderr
    blank = tmp_path / "blank.png"
    Image.new("L", (40, 40), 255).save(blank)
    result = run_cli("predict", digits_run[0], blank)
    assert result.returncode == 2 and "looks blank" in result.stderr


def test_a_run_of_an_older_dl101_is_named_as_such(digits_run, tmp_path):
    import shutil
    folder = tmp_path / "old"
    shutil.copytree(digits_run[0], folder)
    metrics = json.loads((folder / "metrics.json").read_text())
    metrics["history"] = {"epoch": [1], "train_loss": [0.5], "test_loss": [0.6]}
    (folder / "metrics.json").write_text(json.dumps(metrics))
    result = run_cli("evaluate", folder)
    assert result.returncode == 2 and "an older dl101 wrote it; train the run again" in result.stderr


def test_open_run_gives_the_run_the_job_returned(tmp_path):
    from dl101.jobs.run_folder import open_run
    run = mnist.run(MnistSettings(dataset="digits", epochs=2, seed=1),
                    RunOptions(out=str(tmp_path / "r"), figures=False), log=lambda *a: None)
    again = open_run(run.folder)
    import dataclasses
    assert again.history == run.history and again.metrics == run.metrics
    assert again.settings == dataclasses.replace(run.settings, widths=[64, 64, 32, 10])  # as recorded
    np.testing.assert_array_equal(again.model.theta, run.model.theta)
    assert again.dataset.name == run.dataset.name == "digits"
