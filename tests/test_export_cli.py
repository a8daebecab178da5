"""``dl101 export RUN --format torch|onnx``, run as a user runs it: a separate process."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import dl101

SRC = Path(__file__).resolve().parents[1] / "src"


def dl101_cli(*args):
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    return subprocess.run([sys.executable, "-m", "dl101", *map(str, args)], env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture
def run(trained_run, tmp_path):
    """A fresh copy of the trained run folder, for a test to write into."""
    return Path(shutil.copytree(trained_run, tmp_path / "run"))


def test_torch_writes_a_state_dict_and_the_code_that_rebuilds_it(run, digits, float32_tolerance):
    torch = pytest.importorskip("torch")
    done = dl101_cli("export", run, "--format", "torch")
    assert done.returncode == 0, done.stderr
    assert (run / "model.pt").is_file()
    code = done.stdout[done.stdout.index("import torch"):]  # the printed recipe, run as printed
    scope = {}
    exec(code, scope)
    module = scope["module"]
    x_test = digits[2]
    with torch.no_grad():
        p = module(torch.from_numpy(x_test)).numpy()
    model = dl101.load_model(run)
    assert np.abs(p - model.predict_proba(x_test)).max() <= float32_tolerance(model, x_test)


def test_onnx_writes_the_file_and_checks_it_with_onnx_runtime(run, tmp_path, digits, float32_tolerance):
    pytest.importorskip("onnxruntime")
    from dl101.export import check_onnx
    out = tmp_path / "elsewhere" / "digits.onnx"
    done = dl101_cli("export", run, "--format", "onnx", "--out", out)
    assert done.returncode == 0, done.stderr
    assert "ONNX Runtime agrees with dl101 within" in done.stdout
    model = dl101.load_model(run)
    check_onnx(model, out, digits[2], rtol=0, atol=float32_tolerance(model, digits[2]))


def test_an_existing_output_is_kept_unless_force(run):
    (run / "model.onnx").write_bytes(b"keep me")
    done = dl101_cli("export", run, "--format", "onnx")
    assert done.returncode == 2
    assert "model.onnx exists; pass --force to overwrite it" in done.stderr
    assert (run / "model.onnx").read_bytes() == b"keep me"
    assert dl101_cli("export", run, "--format", "onnx", "--force").returncode == 0
    assert (run / "model.onnx").read_bytes() != b"keep me"


@pytest.mark.parametrize("damage, message", [
    (lambda run: (run / "model.json").unlink(), "model.json is missing"),
    (lambda run: (run / "model.npz").write_bytes(b"garbage"), "cannot be read as a NumPy .npz"),
    (lambda run: (run / "out.pt").mkdir(), "out.pt is a folder"),
])
def test_bad_run_folders_and_outputs_are_one_line_errors(run, damage, message):
    damage(run)
    done = dl101_cli("export", run, "--out", run / "out.pt")
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr


def test_no_format_picks_one_this_install_has(run, monkeypatch, capsys):
    pytest.importorskip("onnxruntime")
    from dl101 import cli, extras
    monkeypatch.setattr(extras, "available", lambda package: package != "torch")  # no PyTorch
    assert cli.main(["export", str(run)]) == 0
    assert (run / "model.onnx").is_file() and not (run / "model.pt").exists()
    assert "ONNX Runtime agrees" in capsys.readouterr().out


def test_no_format_and_neither_engine_names_both_extras(run, monkeypatch, capsys):
    from dl101 import cli, extras
    monkeypatch.setattr(extras, "available", lambda package: package not in ("torch", "onnx"))
    assert cli.main(["export", str(run)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "[torch]'" in err and "[onnx]'" in err
    assert "neither is installed" in err and not list(run.glob("model.[po]*"))
