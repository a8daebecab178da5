"""The lean base install: what needs an extra says which, in one line, and the table of extras
agrees with pyproject.toml."""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from dl101 import cli, extras
from dl101.checks import Dl101Error

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
DISTRIBUTIONS = {"sklearn": "scikit-learn"}  # import name -> the name pip installs, where they differ


def requirement_names(requirements):
    return {re.match(r"[A-Za-z0-9_.-]+", r).group(0).lower() for r in requirements}


def expanded(extra):
    """The packages an extra installs, its ``dl101[...]`` references followed."""
    names = set()
    for requirement in PYPROJECT["optional-dependencies"][extra]:
        inner = re.fullmatch(r"dl101\[([\w,]+)\]", requirement)
        names |= set().union(*map(expanded, inner.group(1).split(","))) if inner else requirement_names([requirement])
    return names


def test_every_optional_package_is_installed_by_the_extra_its_errors_name():
    for package, (_, extra) in extras.EXTRAS.items():
        assert DISTRIBUTIONS.get(package, package) in expanded(extra), (package, extra)


def test_the_base_install_holds_none_of_the_optional_packages():
    base = requirement_names(PYPROJECT["dependencies"])
    optional = {DISTRIBUTIONS.get(p, p) for p in extras.EXTRAS}
    assert not base & optional and {"numpy", "matplotlib"} <= base


def test_all_holds_every_extra_and_test_holds_all():
    every = set().union(*(expanded(e) for e in ("figures", "torch", "onnx", "notebook")))
    assert expanded("all") == every and every <= expanded("test")


def test_a_missing_package_is_one_line_naming_the_pip_command(monkeypatch):
    monkeypatch.setattr(extras, "available", lambda package: package != "shap")
    with pytest.raises(Dl101Error) as err:
        extras.require(["sklearn", "shap"], "the 'shap' figure")
    assert str(err.value) == ("the 'shap' figure needs SHAP, which is not installed: "
                              f"pip install -e '{extras.checkout()}[figures]'")


def test_the_hint_names_this_checkout_from_anywhere(monkeypatch, tmp_path):
    monkeypatch.chdir(ROOT)
    assert extras.hint("onnx") == "pip install -e '.[onnx]'"
    monkeypatch.chdir(tmp_path)
    assert extras.hint("onnx") == f"pip install -e '{ROOT}[onnx]'"
    assert "--index-url https://download.pytorch.org/whl/cpu" in extras.hint("torch")


def test_a_figure_asked_for_by_name_says_which_extra(monkeypatch, capsys):
    monkeypatch.setattr(extras, "available", lambda package: package != "shap")
    assert cli.main(["figures", "--only", "activations", "shap", "--out", "unused"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert "the 'shap' figure needs SHAP" in err and "[figures]'" in err


def test_all_figures_skip_those_the_install_cannot_draw_saying_why(monkeypatch, capsys, tmp_path):
    from dl101.jobs import catalogue
    monkeypatch.setattr(extras, "available", lambda package: package not in ("sklearn", "shap"))
    monkeypatch.setattr(catalogue, "FIGURES", {n: catalogue.FIGURES[n] for n in ("activations", "shap")})
    assert cli.main(["figures", "--out", str(tmp_path), "--format", "png", "--dpi", "30"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == ("skipping shap: drawing it needs SHAP, which is not installed: "
                        f"pip install -e '{extras.checkout()}[figures]'")
    assert lines[1] == "[1/1] activations ..." and [p.name for p in tmp_path.iterdir()] == ["activations.png"]


def test_commands_import_no_optional_package():
    code = ("import sys, dl101, dl101.export, dl101.cli; dl101.cli.build_parser(); "
            f"print(sorted(m for m in {sorted(extras.EXTRAS)} if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(ROOT / "src"), "PATH": ""})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_docs_and_messages_install_from_this_checkout_only():
    """No hint names a package index entry that does not exist (dl101 is not on PyPI), and every
    extra they name is one pyproject.toml defines."""
    texts = {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in
             [ROOT / "README.md", *ROOT.glob("docs/*.md"), *ROOT.glob("src/dl101/**/*.py"),
              *ROOT.glob("src/dl101/**/*.md")]}
    for name, text in texts.items():
        assert not re.search(r"pip install ['\"]?dl101", text), name
        assert ".venv/bin/dl101" not in text and ".venv/bin/pip" not in text, name
        for extra in re.findall(r"pip install -e '\.\[([\w,]+)\]'", text):
            assert set(extra.split(",")) <= set(PYPROJECT["optional-dependencies"]), (name, extra)
