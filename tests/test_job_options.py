"""``dl101 mnist --momentum``, ``--validation-split``, ``--early-stopping``, and what
``metrics.json`` records beyond the history: the command line, the wall time, the test confusion
matrix and the accuracy per class."""

import json

import numpy as np
import pytest

import dl101
from dl101.callbacks import EarlyStopping, Validation
from dl101.jobs import mnist
from dl101.jobs.fitting import ResumableEarlyStopping
from dl101.jobs.settings import MnistSettings, RunOptions
from dl101.threads import limited

from clitools import run_cli

DIGITS = dl101.data.load("digits", verbose=False)


def job(tmp_path, name="run", **settings):
    return mnist.run(MnistSettings(dataset="digits", **settings),
                     RunOptions(out=str(tmp_path / name), figures=False), log=lambda *a: None)


def api(epochs, callbacks=(), **options):
    """What dl101.fit gives for the job's defaults on the digits, under the job's one thread."""
    model = dl101.MLP([64, 64, 32, 10], "relu", "softmax", seed=0)
    with limited(1):
        history = dl101.fit(model, DIGITS.x_train, DIGITS.y_train, epochs=epochs, batch_size=64,
                            verbose=0, callbacks=callbacks, **options)
    return model, history


def same(run, model, history):
    np.testing.assert_array_equal(run.model.theta, model.theta)
    for key in ("loss", "accuracy", "val_loss", "val_accuracy"):
        assert getattr(run.history, key) == getattr(history, key), key


def test_momentum_with_sgd_is_sgd_with_momentum_as_in_keras_and_pytorch(tmp_path):
    run = job(tmp_path, epochs=3, momentum=0.5, lr=0.05)
    same(run, *api(3, [Validation(DIGITS.x_test, DIGITS.y_test)], lr=0.05, optimizer="momentum",
                   optimizer_options={"momentum": 0.5}))
    plain = job(tmp_path, "plain", epochs=3, momentum=0.0, lr=0.05)
    same(plain, *api(3, [Validation(DIGITS.x_test, DIGITS.y_test)], lr=0.05))
    nesterov = job(tmp_path, "nesterov", epochs=2, optimizer="nesterov", momentum=0.7)
    same(nesterov, *api(2, [Validation(DIGITS.x_test, DIGITS.y_test)], optimizer="nesterov",
                        optimizer_options={"momentum": 0.7}))


def test_validation_split_measures_val_on_the_held_out_images_and_the_test_set_at_the_end(tmp_path):
    run = job(tmp_path, epochs=4, lr=0.1, validation_split=0.25)
    same(run, *api(4, lr=0.1, validation_split=0.25))  # fit's validation_split, as Keras takes it
    n_val = int(len(DIGITS.x_train) * 0.25)
    held_out = dl101.evaluate(run.model, DIGITS.x_train[-n_val:], DIGITS.y_train[-n_val:])
    test = dl101.evaluate(run.model, DIGITS.x_test, DIGITS.y_test)
    assert run.history.val_accuracy[-1] == held_out.accuracy != test.accuracy
    recorded = json.loads((run.folder / "metrics.json").read_text())
    assert recorded["final"]["test_accuracy"] == test.accuracy
    assert recorded["validation"] == {"set": "held-out", "split": 0.25, "n_validation": n_val,
                                      "n_trained": len(DIGITS.x_train) - n_val}
    assert sorted(recorded["history"]) == ["accuracy", "epoch", "loss", "seconds", "stopped_because",
                                           "val_accuracy", "val_loss"]  # issue 12's one format


def test_early_stopping_stops_as_the_apis_callback_and_finishes_the_run(tmp_path):
    result = run_cli("mnist", "--dataset", "digits", "--lr", "0.5", "--epochs", "200", "--early-stopping",
                     "2", "--no-figures", "--out", tmp_path / "r")
    assert result.returncode == 0, result.stderr
    recorded = json.loads((tmp_path / "r" / "metrics.json").read_text())
    model, history = api(200, [Validation(DIGITS.x_test, DIGITS.y_test),
                               EarlyStopping("val_loss", 2, restore_best=False)], lr=0.5)
    assert 2 < history.epochs < 200 and recorded["history"]["epoch"] == history.epoch
    assert recorded["history"]["val_loss"] == history.val_loss
    assert recorded["history"]["stopped_because"].startswith(f"early stopping after epoch {history.epochs}")
    assert recorded["history"]["stopped_because"] in result.stdout
    np.testing.assert_array_equal(dl101.load_model(tmp_path / "r").theta, model.theta)  # the last epoch's


def test_early_stopping_on_a_resumed_run_replays_its_history():
    values = [1.0, 0.9, 0.95, 0.96]
    straight = EarlyStopping("val_loss", 2, restore_best=False)
    answers = [straight.on_epoch_end(e, {"val_loss": v}) for e, v in enumerate(values, 1)]
    assert answers[:3] == [None] * 3 and answers[3]
    resumed = ResumableEarlyStopping("val_loss", 2, restore_best=False)
    trainer = type("T", (), {"history": dl101.History(val_loss=values[:3])})()
    resumed.set_trainer(trainer)
    resumed.on_train_begin(None, 1)
    assert (resumed.best, resumed.wait) == (0.9, 1)
    assert resumed.on_epoch_end(4, {"val_loss": values[3]}) == answers[3]


def test_metrics_record_command_wall_time_confusion_matrix_and_per_class_accuracy(tmp_path):
    args = ["mnist", "--dataset", "digits", "--epochs", "3", "--no-figures", "--out", tmp_path / "r"]
    result = run_cli(*args)
    assert result.returncode == 0, result.stderr
    recorded = json.loads((tmp_path / "r" / "metrics.json").read_text())
    assert recorded["command"] == " ".join(["dl101", *map(str, args)])
    assert recorded["wall_seconds"] > sum(recorded["history"]["seconds"])
    model = dl101.load_model(tmp_path / "r")
    counts = dl101.metrics.confusion_matrix(DIGITS.y_test, model.predict(DIGITS.x_test), 10)
    assert recorded["confusion_matrix"] == counts.tolist() and counts.sum() == len(DIGITS.y_test)
    assert recorded["per_class_accuracy"] == {
        str(k): counts[k, k] / counts[k].sum() for k in range(10)}
    assert recorded["validation"] == {"set": "test", "split": None}
    assert job(tmp_path, "api", epochs=1).metrics["command"] is None  # from Python: no command line


@pytest.mark.parametrize("args, message", [
    (["--validation-split", "0"], "--validation-split must be between 0 and 1 (exclusive)"),
    (["--validation-split", "1"], "--validation-split must be between 0 and 1 (exclusive)"),
    (["--validation-split", "-0.5"], "--validation-split must be between 0 and 1 (exclusive)"),
    (["--validation-split", "nan"], "--validation-split must be a finite number"),
    (["--validation-split", "0.0005"], "--validation-split 0.0005 of the 1,438 training images leaves "
                                       "0 for validation and 1,438 for training; each needs at least 1"),
    (["--validation-split", "0.99", "--batch-size", "64"], "--batch-size 64 is larger than the 15 images "
                                                           "left to train on after --validation-split 0.99"),
    (["--early-stopping", "0"], "--early-stopping must be an integer >= 1, got 0"),
    (["--early-stopping", "-3"], "--early-stopping must be an integer >= 1, got -3"),
    (["--momentum", "1"], "--momentum must be in [0, 1), got 1.0"),
    (["--momentum", "-0.1"], "--momentum must be in [0, 1), got -0.1"),
    (["--momentum", "inf"], "--momentum must be a finite number"),
    (["--optimizer", "adam", "--momentum", "0.9"], "--optimizer adam takes no --momentum"),
    (["--optimizer", "momentum", "--momentum", "0"], "--optimizer momentum with --momentum 0 is plain SGD"),
    (["--optimizer", "nesterov", "--momentum", "0"], "--optimizer nesterov with --momentum 0 is plain SGD"),
])
def test_bad_options_are_one_clear_line_before_any_folder_is_made(args, message, tmp_path):
    result = run_cli("mnist", "--dataset", "digits", "--out", tmp_path / "run", *args)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1 and message in result.stderr
    assert not (tmp_path / "run").exists()


def test_the_parser_refuses_a_patience_that_is_not_a_whole_number():
    result = run_cli("mnist", "--early-stopping", "2.5")
    assert result.returncode == 2 and "--early-stopping: invalid int value: '2.5'" in result.stderr
