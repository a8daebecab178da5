"""Faults (issue 14, class 4): a training whose loss stays finite but grows far beyond its start
stops with TrainingDiverged (the rule: the loss smoothed over ~50 steps exceeding 10 times the
first step's), in the API and the job, suggesting a learning rate that does train."""

import re

import numpy as np
import pytest

import dl101

from faults import cli, one_line_error


@pytest.fixture(scope="module")
def digits_data():
    return dl101.data.load("digits", verbose=False)


def lecture_mlp(d, seed=0):
    return dl101.MLP([d.x_train.shape[1], 64, 32, 10], seed=seed)


@pytest.mark.parametrize("optimizer, lr", [("sgd", 50), ("sgd", 1000), ("momentum", 5), ("adam", 1)])
def test_a_finite_divergence_stops_and_the_suggested_rate_trains(digits_data, optimizer, lr):
    """(Before: lr=50 trained to ~10% with a loss in the millions and returned normally; the
    suggestion was lr/10, e.g. 100 for lr=1000, which diverges too.)"""
    d = digits_data
    with pytest.raises(dl101.TrainingDiverged, match=r"more than 10 times its starting value") as err:
        dl101.fit(lecture_mlp(d), d.x_train, d.y_train, epochs=5, lr=lr, optimizer=optimizer, verbose=0)
    suggested = err.value.suggested_lr
    assert f"try lr={suggested:g}" in str(err.value) and suggested <= lr / 10
    model = lecture_mlp(d)
    dl101.fit(model, d.x_train, d.y_train, epochs=10, lr=suggested, optimizer=optimizer, verbose=0)
    assert dl101.evaluate(model, d.x_test, d.y_test).accuracy > 0.85


@pytest.mark.parametrize("batch_size, lr, optimizer, epochs", [
    (1, 0.01, "sgd", 3),    # the lecture's single-sample SGD: the noisiest losses
    (1, 0.1, "sgd", 3),     # the noisiest that trains (the smoothed loss reached 1.9 x l0 here)
    (1, 0.01, "adam", 3),
    (64, 0.1, "sgd", 20),
    (64, 0.01, "adam", 20),
])
def test_legitimate_runs_do_not_trip_the_rule(digits_data, batch_size, lr, optimizer, epochs):
    """A guard (passes before and after): the rule never fires on the lecture's settings."""
    d = digits_data
    model = lecture_mlp(d)
    history = dl101.fit(model, d.x_train, d.y_train, epochs=epochs, batch_size=batch_size, lr=lr,
                        optimizer=optimizer, verbose=0)
    assert history.epochs == epochs and dl101.evaluate(model, d.x_test, d.y_test).accuracy > 0.85


def test_the_job_stops_on_divergence_in_one_line_and_leaves_no_run(tmp_path, capsys):
    """``dl101 mnist --dataset digits --lr 50``: exit 2, one line, no run folder left behind.
    (Before: exit 0 with a run folder of a model at ~10%.)"""
    folder = tmp_path / "run"
    code, out, err = cli(capsys, "mnist", "--dataset", "digits", "--lr", "50", "--out", folder)
    assert code == 2
    one_line_error(err, "mnist", "training diverged", "lr=50 is probably too large, try lr=0.1")
    assert not folder.exists()
    lr = float(re.search(r"try lr=([0-9.e+-]+)", err).group(1))
    code, out, err = cli(capsys, "mnist", "--dataset", "digits", "--lr", lr, "--epochs", "5",
                         "--no-figures", "--out", folder)
    assert code == 0, err
    assert float(out.split("test accuracy ")[1].split("%")[0]) > 85


def test_mnist_at_lr_50_stops_at_once(tmp_path, capsys):
    """The issue's example, on MNIST itself (the rule fires within the first steps)."""
    code, out, err = cli(capsys, "mnist", "--lr", "50", "--epochs", "1", "--out", tmp_path / "run")
    assert code == 2 and "Traceback" not in err
    one_line_error(err.splitlines()[-1] + "\n", "mnist", "training diverged", "at step 2", "try lr=0.1")
    assert not (tmp_path / "run").exists()  # (the lines before it: the data cache's check)


def test_divergence_none_keeps_only_the_nan_check(digits_data):
    d = digits_data
    history = dl101.fit(lecture_mlp(d), d.x_train, d.y_train, epochs=1, lr=50, verbose=0, divergence=None)
    assert history.epochs == 1 and np.isfinite(history.loss[0])
    with pytest.raises(dl101.Dl101Error, match="divergence must be a finite number > 0"):
        dl101.fit(lecture_mlp(d), d.x_train, d.y_train, epochs=1, divergence=0)


def test_the_rule_resumes_bit_for_bit(digits_data):
    """l0 and the smoothed loss are part of the state: a restored trainer fires at the same step."""
    d = digits_data
    make = lambda: dl101.Trainer(m := lecture_mlp(d), d.x_train, d.y_train, "cross_entropy",
                                 dl101.optim.get("sgd", m.parameters(flat=True), 0.01), 16,
                                 np.random.default_rng(0))
    a = make()
    a.advance(steps=30)
    state = a.state_dict()
    assert state["loss_start"] == a.loss_start and state["loss_smoothed"] == a.loss_smoothed
    b = make()
    b.load_state_dict(state)
    a.advance(steps=10), b.advance(steps=10)
    assert a.loss_smoothed == b.loss_smoothed
