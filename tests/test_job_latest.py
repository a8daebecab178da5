"""``runs/latest``: the newest finished run, and RUN left out of evaluate, predict, export and
figures --run (and playground --run) to mean it."""

import json
import os

import pytest

from dl101.checks import Dl101Error
from dl101.jobs import latest

from clitools import run_cli, serve_then_interrupt
from test_job import draw_digit


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    """A folder where ``dl101 mnist`` ran twice, in runs/a then runs/b, and once elsewhere."""
    cwd = tmp_path_factory.mktemp("cwd")
    for seed, out in enumerate(("runs/a", "runs/b", "elsewhere/c")):
        result = run_cli("mnist", "--dataset", "digits", "--epochs", "3", "--lr", "0.1", "--no-figures",
                         "--seed", str(seed), "--out", out, cwd=cwd)
        assert result.returncode == 0, result.stderr
    draw_digit(cwd / "one.png", (60, 80))
    return cwd


def test_latest_is_a_relative_link_to_the_newest_run_in_runs(two_runs):
    link = two_runs / "runs" / "latest"
    assert link.is_symlink() and os.readlink(link) == "b"  # runs/ may be moved
    assert sorted(p.name for p in (two_runs / "runs").iterdir()) == ["a", "b", "latest"]  # no .part left
    assert not (two_runs / "elsewhere" / "latest").exists()  # --out elsewhere leaves it alone


def test_evaluate_without_run_evaluates_the_latest(two_runs):
    result = run_cli("evaluate", "--json", cwd=two_runs)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["run"] == os.path.join("runs", "b")
    assert result.stderr.strip() == f"RUN not given: the latest run, {os.path.join('runs', 'b')}"
    recorded = json.loads((two_runs / "runs/b/metrics.json").read_text())["final"]["test_accuracy"]
    assert json.loads(result.stdout)["accuracy"] == recorded


def test_predict_takes_its_first_argument_as_run_only_when_it_is_a_run_folder(two_runs):
    implicit = run_cli("predict", "one.png", "--top", "10", cwd=two_runs)
    explicit_b = run_cli("predict", "runs/b", "one.png", "--top", "10", cwd=two_runs)
    explicit_a = run_cli("predict", "runs/a", "one.png", "--top", "10", cwd=two_runs)
    assert implicit.returncode == explicit_b.returncode == explicit_a.returncode == 0, implicit.stderr
    assert implicit.stdout == explicit_b.stdout != explicit_a.stdout  # two models, two answers
    assert "latest run" in implicit.stderr and explicit_b.stderr == ""
    alone = run_cli("predict", "runs/a", cwd=two_runs)
    assert alone.returncode == 2 and "no image given: dl101 predict runs/a PATH" in alone.stderr


def test_export_without_run_writes_into_the_latest(two_runs):
    result = run_cli("export", "--format", "onnx", cwd=two_runs)
    assert result.returncode == 0, result.stderr
    assert (two_runs / "runs/b/model.onnx").is_file() and not (two_runs / "runs/a/model.onnx").exists()


def test_figures_run_alone_draws_the_latest(two_runs):
    result = run_cli("figures", "--run", "--only", "training-curves", "--format", "png", "--out", "figs",
                     cwd=two_runs)
    assert result.returncode == 0, result.stderr
    assert "latest run" in result.stderr and (two_runs / "figs/training-curves.png").is_file()


def test_playground_run_alone_opens_the_latest(two_runs):
    url, _, err, _ = serve_then_interrupt("--run", cwd=two_runs)
    assert url.startswith("http://127.0.0.1:") and "?token=" in url, err
    assert f"RUN not given: the latest run, {os.path.join('runs', 'b')}" in err and "Traceback" not in err


@pytest.mark.parametrize("command", [["evaluate"], ["predict", "one.png"], ["export"],
                                     ["figures", "--run", "--only", "training-curves"],
                                     ["playground", "--run", "--no-browser"]])
def test_no_latest_run_is_one_clear_line(command, tmp_path):
    result = run_cli(*command, cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        f"dl101 {command[0]}: error: no RUN given and no latest run: runs/latest does not exist in "
        f"{tmp_path}; name a run folder, or train one with dl101 mnist"]


def test_a_latest_whose_run_was_removed_is_named(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "runs" / "gone").mkdir(parents=True)
    latest.point(tmp_path / "runs" / "gone")
    (tmp_path / "runs" / "gone").rmdir()
    with pytest.raises(Dl101Error, match="runs/latest names runs/gone, which no longer exists"):
        latest.find()


def test_replacing_the_link_leaves_the_previous_run_untouched(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("a", "b", "a"):
        (tmp_path / "runs" / name).mkdir(parents=True, exist_ok=True)
        assert latest.point(f"runs/{name}") == f"{os.path.join('runs', 'latest')} points here"
        assert latest.find() == latest.ROOT / name
    assert sorted(p.name for p in (tmp_path / "runs").iterdir()) == ["a", "b", "latest"]
    assert list((tmp_path / "runs" / "a").iterdir()) == list((tmp_path / "runs" / "b").iterdir()) == []


def test_without_symlinks_latest_is_a_text_file_naming_the_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    def no_links(*args, **kwargs):
        raise OSError(1, "Operation not permitted")
    monkeypatch.setattr(os, "symlink", no_links)
    for name in ("a", "b"):
        (tmp_path / "runs" / name).mkdir(parents=True)
        latest.point(f"runs/{name}")
        link = tmp_path / "runs" / "latest"
        assert not link.is_symlink() and link.read_text() == f"{name}\n"
        assert latest.find() == latest.ROOT / name
    assert sorted(p.name for p in (tmp_path / "runs").iterdir()) == ["a", "b", "latest"]


def test_a_folder_named_latest_is_not_replaced(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "runs" / "latest").mkdir(parents=True)
    (tmp_path / "runs" / "new").mkdir()
    assert "is a folder of its own" in latest.point("runs/new")
    assert latest.find() == latest.ROOT / "latest" and (tmp_path / "runs" / "latest").is_dir()
    assert latest.point("runs/latest") == f"{os.path.join('runs', 'latest')} is this run"
    assert latest.point(tmp_path / "elsewhere") is None
