"""Faults, class 7: every number a user can type is checked, with one clear line (issue 14).
Before the fix: a negative seed was a NumPy ValueError traceback, --max-entries 0 a traceback,
--eps 0 divided by zero, --dpi 0 reached matplotlib, MLP([8.7, 3.2]) was silently [8, 3] and
leaky_relu's alpha "x" was reported as "takes no parameters"."""

import subprocess
import sys

import numpy as np
import pytest

import dl101
from dl101 import Dl101Error, activations, checks

from clitools import cli_env, run_cli
from faults import cli, one_line_error


@pytest.mark.parametrize("args, message", [
    (["gradcheck", "--seed", "-1"], "--seed must be an integer >= 0"),
    (["gradcheck", "--eps", "0"], "--eps must be a finite number > 0, got 0.0"),
    (["gradcheck", "--eps=-1e-6"], "--eps must be a finite number > 0"),
    (["gradcheck", "--max-entries", "0"], "--max-entries must be an integer >= 1, got 0"),
    (["gradcheck", "--max-entries", "-1"], "--max-entries must be an integer >= 1, got -1"),
    (["gradcheck", "--tol", "nan"], "--tol must be a finite number > 0, got nan"),
    (["figures", "--only", "ai-family", "--dpi", "0"], "--dpi must be an integer >= 1, got 0"),
    (["figures", "--only", "ai-family", "--dpi", "-100"], "--dpi must be an integer >= 1, got -100"),
    (["figures", "--only", "ai-family", "--dpi", "100000"], "--dpi must be at most 1200"),
    (["figures", "--only", "ai-family", "--seed", "-3"], "--seed must be an integer >= 0"),
    (["figures", "--only", "ai-family", "--threads", "-1"], "--threads must be an integer >= 0"),
    (["mnist", "--dataset", "digits", "--seed", "-1"], "--seed must be an integer >= 0"),
])
def test_cli_numbers_out_of_range_are_one_line_errors_and_write_nothing(args, message, tmp_path,
                                                                        capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)  # figures and mnist would write here
    out_dir = tmp_path / "out"
    code, out, err = cli(capsys, *args, "--out", out_dir) if args[0] != "gradcheck" else cli(capsys, *args)
    assert code == 2
    one_line_error(err, args[0], message)
    assert not out_dir.exists() and list(tmp_path.iterdir()) == []


def test_cli_negative_seed_in_a_real_process_shows_no_traceback():
    result = run_cli("gradcheck", "--seed", "-1")
    assert result.returncode == 2
    one_line_error(result.stderr, "gradcheck", "--seed must be an integer >= 0 (one seed, one result), got -1")


def test_a_size_the_machine_cannot_hold_is_one_line_not_a_memory_error_traceback():
    result = subprocess.run([sys.executable, "-m", "dl101", "gradcheck", "--widths", "1000000",
                             "1000000", "2"], capture_output=True, text=True, env=cli_env(),
                            timeout=120, preexec_fn=_four_gigabytes)
    assert result.returncode == 2
    one_line_error(result.stderr, "gradcheck", "out of memory (Unable to allocate", "ask for less")


def _four_gigabytes():  # the 7 TB asked for fails at once, whatever the machine's overcommit
    import resource
    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))


@pytest.mark.parametrize("call, message", [
    (lambda: dl101.MLP([4, 3], seed=-1), "seed must be an integer >= 0"),
    (lambda: dl101.MLP([4, 3], seed=1.5), "seed must be an integer >= 0"),
    (lambda: dl101.fit(dl101.MLP([4, 3]), np.ones((4, 4)), [0, 1, 2, 0], batch_size=2, seed=-1),
     "seed must be an integer >= 0"),
    (lambda: dl101.gradcheck(dl101.MLP([4, 3]), np.ones((2, 4)), [0, 1], seed=-1), "seed must be"),
    (lambda: dl101.gradcheck(dl101.MLP([4, 3]), np.ones((2, 4)), [0, 1], eps=0), "eps must be a finite number > 0"),
    (lambda: dl101.gradcheck(dl101.MLP([4, 3]), np.ones((2, 4)), [0, 1], max_entries=0), "max_entries must be"),
    (lambda: dl101.gradcheck(dl101.MLP([4, 3]), np.ones((2, 4)), [0, 1], tol=float("nan")), "tol must be"),
    (lambda: dl101.MLP([8.7, 3.2]), r"whole numbers, each >= 1, e.g. \[784, 64, 32, 10\]; got \[8.7, 3.2\]"),
    (lambda: dl101.MLP([784, "64", 10]), "whole numbers"),
    (lambda: dl101.MLP([784, float("inf"), 10]), "whole numbers"),
    (lambda: activations.get("leaky_relu", alpha="x"), "leaky_relu alpha must be a finite number, got 'x'"),
    (lambda: activations.get("leaky_relu", alpha=float("nan")), "leaky_relu alpha must be a finite number, got nan"),
    (lambda: activations.get("elu", alpha="1"), "elu alpha must be a finite number, got '1'"),
    (lambda: activations.get("leaky_relu", slope=0.1), "activation 'leaky_relu' takes only alpha; got slope"),
    (lambda: checks.non_negative(float("nan"), "tol"), "tol must be a finite number >= 0, got nan"),
    (lambda: checks.non_negative(-1e-3, "tol"), "tol must be a finite number >= 0, got -0.001"),
])
def test_api_numbers_out_of_range_raise_a_clear_error(call, message):
    with pytest.raises(Dl101Error, match=message):
        call()


def test_whole_widths_given_as_floats_still_build_the_model():
    assert dl101.MLP([4.0, np.int64(3), 2]).widths == [4, 3, 2]


@pytest.mark.parametrize("top", ["0", "-2"])
def test_predict_top_below_one_is_refused_not_silently_one(digits_run, tmp_path, top, capsys):
    from PIL import Image
    image = tmp_path / "digit.png"
    Image.fromarray(np.eye(8, dtype=np.uint8) * 255).save(image)
    code, out, err = cli(capsys, "predict", digits_run, image, f"--top={top}")
    assert code == 2 and out == ""
    one_line_error(err, "predict", f"--top must be an integer >= 1, got {top}")
