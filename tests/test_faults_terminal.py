"""Faults, class 11: terminal manners, with real processes and signals (issue 14). Before the fix:
a closed pipe was a BrokenPipeError traceback, Ctrl-C while the command line was still importing
its modules a KeyboardInterrupt traceback, and SIGTERM while figures were drawn ended the process
without a word (status -15)."""

import os
import signal
import subprocess
import sys

import pytest

from clitools import cli_env


def _dl101(*args, **popen):
    return subprocess.Popen([sys.executable, "-m", "dl101", *map(str, args)], env=cli_env(),
                            text=True, **popen)


def test_a_closed_pipe_ends_quietly(tmp_path):
    """`dl101 data info | head -1`, with the reader gone before the first line."""
    read, write = os.pipe()
    os.close(read)
    proc = _dl101("data", "info", "--cache-dir", tmp_path, stdout=write, stderr=subprocess.PIPE)
    os.close(write)
    _, err = proc.communicate(timeout=60)
    assert err == "" and proc.returncode == 141  # 128 + SIGPIPE, as a shell reports `yes | head`


def test_head_of_a_pipe_in_a_shell(tmp_path):
    result = subprocess.run(f"{sys.executable} -m dl101 data info --cache-dir {tmp_path} | head -1",
                            shell=True, capture_output=True, text=True, env=cli_env(), timeout=60)
    assert result.stdout.startswith("cache: ") and result.stdout.count("\n") == 1
    assert result.stderr == ""


# Ctrl-C while a module is imported, made deterministic: an import hook raises KeyboardInterrupt
# exactly when the command line imports that module, as a real Ctrl-C would at that moment.
INTERRUPT_AT = """
import runpy, sys
class Interrupt:
    def find_spec(self, name, path=None, target=None):
        if name == {module!r}:
            raise KeyboardInterrupt
sys.meta_path.insert(0, Interrupt())
"""
INTERRUPT_AT_IMPORT = INTERRUPT_AT + 'runpy.run_module("dl101", run_name="__main__", alter_sys=True)\n'


@pytest.mark.parametrize("module", ["dl101.cli", "dl101.commands.figures", "dl101.jobs.catalogue"])
def test_ctrl_c_while_the_command_line_starts_shows_no_traceback(module):
    result = subprocess.run([sys.executable, "-c", INTERRUPT_AT_IMPORT.format(module=module),
                             "figures", "--list"], capture_output=True, text=True, env=cli_env(),
                            timeout=60)
    assert "Traceback" not in result.stderr and "KeyboardInterrupt" not in result.stderr
    assert result.stderr.strip() == "dl101: interrupted" and result.returncode == 130


# The `dl101` command itself, as pip's script starts it (dl101_launcher:main), with the Ctrl-C landing
# while `import dl101` imports NumPy: before any module of the package can catch it.
INTERRUPT_IN_THE_COMMAND = INTERRUPT_AT + (
    'import dl101_launcher\nsys.argv = ["dl101", "figures", "--list"]\nsys.exit(dl101_launcher.main())\n')


@pytest.mark.parametrize("module", ["numpy", "dl101", "dl101.cli"])
def test_ctrl_c_while_the_dl101_command_imports_dl101_shows_no_traceback(module):
    result = subprocess.run([sys.executable, "-c", INTERRUPT_IN_THE_COMMAND.format(module=module)],
                            capture_output=True, text=True, env=cli_env(), timeout=60)
    assert "Traceback" not in result.stderr and "KeyboardInterrupt" not in result.stderr
    assert result.stderr.strip() == "dl101: interrupted" and result.returncode == 130


def test_the_dl101_command_starts_from_the_launcher():
    """pyproject's script is dl101_launcher:main, which runs the command line."""
    import tomllib
    from pathlib import Path
    scripts = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts == {"dl101": "dl101_launcher:main"}
    result = subprocess.run([sys.executable, "-c", "import sys, dl101_launcher; sys.argv = ['dl101', '--version']; "
                             "sys.exit(dl101_launcher.main())"], capture_output=True, text=True,
                            env=cli_env(), timeout=60)
    assert result.returncode == 0 and result.stdout.startswith("dl101 ")


def test_sigterm_while_figures_are_drawn_is_reported(tmp_path):
    """SIGTERM comes after the first figure is written, while the second is drawn (Ctrl-C was
    already reported as "interrupted")."""
    out = tmp_path / "figures"
    proc = _dl101("figures", "--only", "ai-family", "uat", "activations", "--out", out,
                  "--format", "png", stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    started = proc.stdout.readline()  # "[1/3] ai-family ...", as it starts
    assert started == "[1/3] ai-family ...\n", started
    done = proc.stdout.readline()  # "[1/3] ai-family: 1.2 s", printed once its files are written
    assert done.startswith("[1/3] ai-family: "), done
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    assert "Traceback" not in err and err == "dl101 figures: terminated (SIGTERM)\n"
    assert proc.returncode == 143
    assert sorted(p.name for p in out.iterdir()) == ["ai-family.png"]  # whole files only, no .part


def test_a_full_output_is_one_line(tmp_path):
    """`dl101 gradcheck > /dev/full`: the disk the output goes to is full."""
    with open("/dev/full", "w") as full:
        proc = _dl101("gradcheck", stdout=full, stderr=subprocess.PIPE)
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 2 and err == "dl101 gradcheck: error: [Errno 28] No space left on device\n"
