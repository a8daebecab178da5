"""Faults, class 10: model.json and metrics.json written (or broken) by hand give one clear line
in load_model, evaluate and predict (issue 14). Before the fix these raised KeyError,
AttributeError, ValueError (a 5000-digit integer), TypeError or IndexError tracebacks."""

import json

import numpy as np
import pytest

import dl101
from dl101 import Dl101Error

from faults import cli, copy_run, one_line_error


def _edit(path, change):
    data = json.loads(path.read_text())
    path.write_text(change(data) if callable(change) else change)


MODEL_JSON = {  # what a hand-edited model.json holds -> what the error says
    "no widths": (lambda d: json.dumps({k: v for k, v in d.items() if k != "widths"}), "'widths' must list"),
    "widths a string": (lambda d: json.dumps(dict(d, widths="64,32,10")), "'widths' must list"),
    "a width 8.7": (lambda d: json.dumps(dict(d, widths=[64, 8.7, 10])), "whole numbers"),
    "activation a bare string": (lambda d: json.dumps(dict(d, activations="relu")),
                                 "'activations' must list one object per layer"),
    "activations as names": (lambda d: json.dumps(dict(d, activations=["relu", "relu", "softmax"])),
                             "'activations' must list one object per layer"),
    "an activation missing": (lambda d: json.dumps(dict(d, activations=d["activations"][:-1])),
                              "one object per layer (3 here)"),
    "a 5000-digit integer": (lambda d: json.dumps(d).replace('"widths": [', '"widths": [' + "7" * 5000 + ", "),
                             "is not valid JSON (Exceeds the limit (4300 digits)"),
    "a dtype as a number": (lambda d: json.dumps(dict(d, dtype=32)), "'dtype' must be one of float32, float64"),
    "an unknown activation": (lambda d: json.dumps(dict(d, activations=[{"name": "rleu"}] * 3)),
                              "unknown activation 'rleu'"),
    "an alpha as text": (lambda d: json.dumps(dict(d, activations=[{"name": "elu", "alpha": "x"}] * 3)),
                         "elu alpha must be a finite number, got 'x'"),
}


@pytest.mark.parametrize("case", list(MODEL_JSON))
def test_a_malformed_model_json_is_one_clear_line_in_load_evaluate_and_predict(digits_run, tmp_path,
                                                                              case, capsys):
    run = copy_run(digits_run, tmp_path)
    change, message = MODEL_JSON[case]
    _edit(run / "model.json", change)
    before = (run / "model.json").read_bytes()
    with pytest.raises(Dl101Error, match="model.json"):
        dl101.load_model(run)
    for command in (["evaluate", run], ["predict", run, tmp_path / "none.png"]):
        code, out, err = cli(capsys, *command)
        assert code == 2 and out == ""
        one_line_error(err, command[0], "model.json", message)
    assert (run / "model.json").read_bytes() == before  # read, never rewritten


@pytest.mark.parametrize("content, message", [
    ("[]", "metrics.json holds no data.class_names for a model with 10 outputs"),
    ('{"data": {"class_names": ["0", "1", "2"]}}', "metrics.json holds 3 class names for a model with 10 outputs"),
    ('{"data": {"class_names": "0123456789"}}', "no data.class_names"),
    ('{"data": ' + "7" * 5000 + "}", "metrics.json is not valid JSON"),
])
def test_predict_refuses_a_metrics_json_that_does_not_fit_the_model(digits_run, tmp_path, content,
                                                                    message, capsys):
    from PIL import Image
    run = copy_run(digits_run, tmp_path)
    (run / "metrics.json").write_text(content)
    image = tmp_path / "digit.png"
    Image.fromarray(np.eye(8, dtype=np.uint8) * 255).save(image)
    code, out, err = cli(capsys, "predict", run, image)
    assert code == 2 and out == ""
    one_line_error(err, "predict", message)


@pytest.mark.parametrize("final", [None, "gone", {"test_accuracy": "high"}])
def test_evaluate_without_a_recorded_final_accuracy_still_evaluates_and_says_so(digits_run, tmp_path,
                                                                                final, capsys):
    run = copy_run(digits_run, tmp_path)
    metrics = json.loads((run / "metrics.json").read_text())
    if final == "gone":
        del metrics["final"]
    else:
        metrics["final"] = final
    (run / "metrics.json").write_text(json.dumps(metrics))
    code, out, err = cli(capsys, "evaluate", run)
    assert code == 0 and err == ""
    assert "accuracy" in out and "metrics.json records no final test accuracy to compare with" in out


@pytest.mark.parametrize("change", [lambda m: m.pop("history"), lambda m: m.update(history=[]),
                                    lambda m: m["history"].update(loss="low"),
                                    lambda m: m["history"]["val_loss"].append(0.5)])
def test_figures_refuse_a_run_whose_history_is_not_one_list_of_numbers_per_curve(digits_run, tmp_path,
                                                                                 change, capsys):
    run = copy_run(digits_run, tmp_path)
    metrics = json.loads((run / "metrics.json").read_text())
    change(metrics)
    (run / "metrics.json").write_text(json.dumps(metrics))
    code, out, err = cli(capsys, "figures", "--run", run, "--only", "training-curves",
                         "--out", tmp_path / "figures")
    assert code == 2 and out == "[1/1] training-curves ...\n"  # the figure started, nothing more
    one_line_error(err, "figures", "metrics.json: 'history' must hold lists of numbers, one per epoch")
    assert not (tmp_path / "figures").exists()


@pytest.mark.parametrize("name", ["model.json", "metrics.json"])
def test_a_huge_json_file_is_refused_by_its_size(digits_run, tmp_path, name, capsys):
    """A 30 GB sparse file where a few kB of JSON belong: refused before it is read."""
    run = copy_run(digits_run, tmp_path)
    with open(run / name, "r+b") as f:
        f.truncate(30 << 30)
    image = tmp_path / "digit.png"
    from PIL import Image
    Image.fromarray(np.eye(8, dtype=np.uint8) * 255).save(image)
    code, out, err = cli(capsys, "predict", run, image)
    assert code == 2 and out == ""
    one_line_error(err, "predict", f"{name} is 32,212,254,720 bytes, far more than")
