"""``dl101 evaluate`` (per-class table, confusion matrix, --json, --split) and ``dl101 predict``
(files, folders, globs, --show), as a user runs them."""

import json

import numpy as np
import pytest
from clitools import run_cli
from PIL import Image, ImageDraw

from dl101 import cli
from dl101.metrics import confusion_matrix, per_class


# --- the numbers, against scikit-learn ----------------------------------------------------------

@pytest.mark.parametrize("seed", [0, 1, 2])
def test_per_class_is_sklearns_classification_report(seed):
    metrics = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(seed)
    k = 5
    y_true = rng.integers(0, k, 300)
    y_pred = np.where(rng.random(300) < 0.6, y_true, rng.integers(0, k, 300))
    y_pred[y_pred == k - 1] = 0  # the last class is never predicted: its precision is 0/0
    names = [f"c{c}" for c in range(k)]
    ours = per_class(confusion_matrix(y_true, y_pred, k), names)
    theirs = metrics.classification_report(y_true, y_pred, labels=range(k), target_names=names,
                                           output_dict=True, zero_division=0)
    for name in [*names, "macro avg", "weighted avg"]:
        assert ours[name] == pytest.approx(theirs[name]), name
    np.testing.assert_array_equal(confusion_matrix(y_true, y_pred, k),
                                  metrics.confusion_matrix(y_true, y_pred, labels=range(k)))


# --- dl101 evaluate ------------------------------------------------------------------------------

def test_evaluate_prints_the_table_and_the_matrix(digits_run):
    result = run_cli("evaluate", digits_run)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "precision  recall  f1-score  support" in out and "weighted avg" in out
    assert "confusion matrix: rows are the true class, columns the predicted class" in out
    matrix = out.split("columns the predicted class\n")[1].splitlines()[1:]
    counts = np.array([[int(v) for v in line.split()[1:]] for line in matrix])
    assert counts.shape == (10, 10) and counts.sum() == 359


def test_evaluate_json_is_one_object_that_agrees_with_sklearn(digits_run):
    metrics = pytest.importorskip("sklearn.metrics")
    import dl101
    from dl101.jobs.run_folder import open_run
    result = run_cli("evaluate", digits_run, "--json")
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)  # one JSON object, nothing else
    run = open_run(digits_run)
    recorded, model, data = run.metrics, run.model, run.dataset
    y_pred = model.predict(data.x_test)
    np.testing.assert_array_equal(found["confusion_matrix"], metrics.confusion_matrix(data.y_test, y_pred))
    assert found["accuracy"] == pytest.approx(recorded["final"]["test_accuracy"])
    assert found["loss"] == pytest.approx(dl101.evaluate(model, data.x_test, data.y_test).loss)
    theirs = metrics.classification_report(data.y_test, y_pred, output_dict=True, zero_division=0,
                                           target_names=data.class_names)
    for name in data.class_names:
        assert found["per_class"][name] == pytest.approx(theirs[name])


def test_evaluate_on_the_training_images(digits_run):
    result = run_cli("evaluate", digits_run, "--split", "train", "--json")
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["split"] == "train" and found["images"] == 1438
    assert np.sum(found["confusion_matrix"]) == 1438


def test_a_bad_split_is_one_line(digits_run, capsys):
    assert cli.main(["evaluate", str(digits_run), "--split", "tset"]) == 2
    err = capsys.readouterr().err
    assert err == "dl101 evaluate: error: unknown --split 'tset'; valid names: test, train (did you mean 'test'?)\n"


# --- dl101 predict --------------------------------------------------------------------------------

def draw(path, digit):
    image = Image.new("L", (60, 80), 255)
    d = ImageDraw.Draw(image)
    if digit == 1:
        d.line([(30, 10), (30, 70)], fill=0, width=6)
    else:
        d.ellipse([12, 10, 48, 70], outline=0, width=6)
    image.save(path)


@pytest.fixture
def pictures(tmp_path):
    folder = tmp_path / "pictures"
    folder.mkdir()
    for name, digit in (("a.png", 1), ("b.jpg", 0), ("c.PNG", 1)):
        draw(folder / name, digit)
    (folder / "notes.txt").write_text("not an image")
    return folder


def predicted_paths(result):
    assert result.returncode == 0, result.stderr
    return [line.split(": ")[0] for line in result.stdout.splitlines()]


def test_predict_takes_files_folders_and_globs(digits_run, pictures):
    assert predicted_paths(run_cli("predict", digits_run, pictures)) == [
        str(pictures / n) for n in ("a.png", "b.jpg", "c.PNG")]
    assert predicted_paths(run_cli("predict", digits_run, f"{pictures}/*.png", pictures / "b.jpg")) == [
        str(pictures / "a.png"), str(pictures / "b.jpg")]


def test_show_writes_the_models_input_beside_each_image(digits_run, pictures):
    from dl101.images import load_digit_image
    result = run_cli("predict", digits_run, pictures / "a.png", "--show")
    shown = pictures / "a.dl101-input.png"
    assert result.returncode == 0 and f"[{shown}]" in result.stdout
    with Image.open(shown) as image:
        assert image.size == (8, 8)  # the digits model's input, 8 x 8
        seen = np.asarray(image, dtype=np.float64) / 255
    np.testing.assert_allclose(seen.ravel(), load_digit_image(pictures / "a.png", 8), atol=0.5 / 255 + 1e-6)
    # a picture --show wrote is never read back as an input
    assert predicted_paths(run_cli("predict", digits_run, pictures)) == [
        str(pictures / n) for n in ("a.png", "b.jpg", "c.PNG")]


@pytest.mark.parametrize("make, message", [
    (lambda tmp: (tmp / "empty").mkdir() or tmp / "empty", "the folder {} holds no PNG or JPEG images"),
    (lambda tmp: f"{tmp}/*.png", "no PNG or JPEG image matches {}"),
])
def test_an_empty_folder_or_glob_is_one_line(digits_run, tmp_path, capsys, make, message):
    path = make(tmp_path)
    assert cli.main(["predict", str(digits_run), str(path)]) == 2
    assert capsys.readouterr().err == f"dl101 predict: error: {message.format(path)}\n"


def test_top_shows_its_default_and_refuses_zero(digits_run, pictures, capsys):
    assert "(default: 3)" in run_cli("predict", "--help").stdout
    assert cli.main(["predict", str(digits_run), str(pictures / "a.png"), "--top", "0"]) == 2
    assert "--top must be an integer >= 1, got 0" in capsys.readouterr().err
