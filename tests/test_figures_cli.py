"""``dl101 figures`` as a user runs it: the list, a chosen few, a run folder, and clear errors."""

import json
import re
from pathlib import Path

from clitools import run_cli

from dl101.jobs.catalogue import FIGURES

ISSUE_NAMES = ["ai-family", "small-nn", "uat", "activations", "network", "backprop", "representations",
               "mnist-samples", "training-curves", "confusion-matrix", "shap"]


def test_list_names_every_figure_of_the_issue():
    result = run_cli("figures", "--list")
    assert result.returncode == 0, result.stderr
    assert sorted(result.stdout.split()) == sorted(ISSUE_NAMES) == sorted(FIGURES)


def test_only_draws_the_figures_named_as_png_and_svg(tmp_path):
    result = run_cli("figures", "--only", "activations", "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["activations.png", "activations.svg"]
    assert "2 files" in result.stdout and "activations:" in result.stdout


def test_format_and_dpi(tmp_path):
    from PIL import Image
    result = run_cli("figures", "--only", "activations", "--format", "png", "--dpi", "50", "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["activations.png"]
    with Image.open(tmp_path / "activations.png") as image:
        assert image.width < 14 * 50 * 1.1  # the 14-inch-wide figure at 50 dots per inch


def test_a_run_folder_gives_its_curves_and_confusion_matrix(tmp_path, digits_run):
    result = run_cli("figures", "--run", digits_run, "--only", "training-curves", "confusion-matrix",
                     "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "confusion-matrix.png", "confusion-matrix.svg", "training-curves.png", "training-curves.svg"]
    assert json.loads((digits_run / "metrics.json").read_text())["data"]["name"] == "digits"


def test_a_folder_without_a_model_is_a_clear_error(tmp_path):
    result = run_cli("figures", "--run", tmp_path, "--only", "training-curves", "--out", tmp_path / "out")
    assert result.returncode == 2
    assert "no model at" in result.stderr and "Traceback" not in result.stderr


def test_an_unknown_figure_lists_the_valid_names():
    result = run_cli("figures", "--only", "histogram")
    assert result.returncode == 2 and "invalid choice" in result.stderr and "backprop" in result.stderr


def test_the_gallery_shows_every_figure():
    docs = Path(__file__).resolve().parents[1] / "docs"
    text = (docs / "figures.md").read_text()
    shown = re.findall(r"!\[[^\]]*\]\((gallery/[^)]+)\)", text)
    assert all((docs / path).is_file() for path in shown), shown
    names = {Path(path).stem for path in shown}
    assert set(FIGURES) <= names, set(FIGURES) - names
    commands = re.findall(r"`dl101 figures --only ([\w\s-]+)`", text)  # how to draw each one
    assert set(FIGURES) == {name for command in commands for name in command.split()}
