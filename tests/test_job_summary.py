"""What ``dl101 mnist`` prints: 80-column lines, an estimate after the first epoch, a short
closing summary with the commands to try next (and no table repeating the epoch lines)."""

import importlib.util
import re
from types import SimpleNamespace

import pytest

from dl101.jobs import summary

from clitools import run_cli


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    cwd = tmp_path_factory.mktemp("cwd")
    result = run_cli("mnist", "--dataset", "digits", "--out", "runs/a", cwd=cwd)
    assert result.returncode == 0, result.stderr
    result.cwd = cwd
    return result


@pytest.mark.parametrize("options", [
    [], ["--validation-split", "0.2", "--early-stopping", "2", "--momentum", "0.9", "--lr", "0.1",
         "--epochs", "200", "--no-figures"]])
def test_every_line_the_job_prints_fits_80_columns(options, tmp_path):
    result = run_cli("mnist", "--dataset", "digits", "--out", "runs/a", *options, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = (result.stdout + result.stderr).splitlines()
    assert len(lines) > 10
    assert [line for line in lines if len(line) > 80] == []


def test_an_estimate_follows_the_first_epoch_once(printed):
    lines = printed.stdout.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("epoch  1/12"))
    assert re.fullmatch(r"about \d+(\.\d)? s left for epochs 2-12, done near \d\d:\d\d", lines[first + 1])
    assert sum(" left for epochs " in line for line in lines) == 1


def test_the_closing_summary_is_short_and_names_the_next_commands(printed):
    lines = printed.stdout.splitlines()
    epochs = [i for i, line in enumerate(lines) if line.startswith("epoch ")]
    assert len(epochs) == 12
    tail = lines[epochs[-1] + 1:]
    assert re.fullmatch(r"test accuracy \d+\.\d\d% \(best \d+\.\d\d%, epoch \d+\); 12 epochs in .+ s",
                        tail[0])
    assert tail[1] == "run folder runs/a (runs/latest points here)"
    commands = [line.split("  ")[1] for line in tail[3:]]
    expected = ["dl101 evaluate runs/a", "dl101 predict runs/a runs/a/digit.png",
                "dl101 figures --run runs/a"]
    if importlib.util.find_spec("dl101.commands.playground"):
        expected.append("dl101 playground --run runs/a")
    assert tail[2] == "next, try:" and commands == expected
    assert len(tail) == 3 + len(expected)  # no table of the epochs again


def test_the_suggested_commands_work_as_typed(printed):
    tail = printed.stdout.split("next, try:\n")[1].splitlines()
    commands = [line.split("  ")[1].split() for line in tail]
    assert commands[1][:2] == ["dl101", "predict"]
    import dl101
    digits = dl101.data.load("digits", verbose=False)
    label = str(digits.class_names[digits.y_test[0]])
    assert f"a test image of a {label}" in tail[1]  # the example is test image 0
    for command in commands:
        if command[1] == "figures":
            command += ["--only", "training-curves", "--out", "figs"]  # not all: the others train
        if command[1] == "playground":
            continue  # a server: its own tests start it
        result = run_cli(*command[1:], cwd=printed.cwd)
        assert result.returncode == 0, (command, result.stderr)
    assert (printed.cwd / "figs" / "training-curves.png").is_file()


def test_one_epoch_is_said_in_the_singular(tmp_path):
    result = run_cli("mnist", "--dataset", "digits", "--epochs", "1", "--no-figures", "--out", "runs/a",
                     cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "1 epoch in " in result.stdout and "1 epochs" not in result.stdout
    assert " left for epochs" not in result.stdout  # nothing left to estimate after the last epoch


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


@pytest.mark.parametrize("start_steps, end_steps, epoch, seconds, left", [
    (0, 10, 1, 2.0, "about 8.0 s left for epochs 2-5"),   # 0.2 s a step, 4 epochs of 10 steps left
    (15, 20, 2, 1.0, "about 6.0 s left for epochs 3-5"),  # resumed mid-epoch: 5 steps in 1 s
    (0, 10, 1, 100.0, "about 6 min 40 s left for epochs 2-5"),
])
def test_the_estimate_is_the_wall_time_per_step_times_the_steps_left(start_steps, end_steps, epoch,
                                                                     seconds, left):
    clock, said = Clock(), []
    estimate = summary.Estimate(5, said.append, clock=clock)
    trainer = SimpleNamespace(step_count=start_steps, n_batches=10)
    estimate.set_trainer(trainer)
    estimate.on_train_begin(None, 10)
    clock.now, trainer.step_count = seconds, end_steps
    estimate.on_epoch_end(epoch, {})
    estimate.on_epoch_end(epoch + 1, {})  # said once only
    assert len(said) == 1 and said[0].startswith(left + ", done near ")


def test_with_early_stopping_the_estimate_is_a_bound():
    clock, said = Clock(), []
    estimate = summary.Estimate(3, said.append, early_stopping=True, clock=clock)
    estimate.set_trainer(SimpleNamespace(step_count=0, n_batches=4))
    estimate.on_train_begin(None, 4)
    clock.now, estimate.trainer.step_count = 1.0, 4
    estimate.on_epoch_end(1, {})
    assert said[0].startswith("at most about 2.0 s left for epochs 2-3")


@pytest.mark.parametrize("seconds, text", [(0.42, "0.4 s"), (45.2, "45 s"), (185, "3 min 5 s"),
                                           (4830, "1 h 20 min")])
def test_durations_read_as_a_person_says_them(seconds, text):
    assert summary.duration(seconds) == text
