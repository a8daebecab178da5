"""Running ``dl101`` as a user would: a real subprocess, this checkout's source first on the path."""

import os
import subprocess
import sys
from pathlib import Path

SRC = str(Path(__file__).resolve().parents[1] / "src")


def cli_env(**extra):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([SRC, os.environ.get("PYTHONPATH", "")]))
    env.update(extra)
    return env


def run_cli(*args, timeout=600, cwd=None, **env):
    """``python -m dl101 ARGS`` (in the folder ``cwd``, else this one); returns the
    CompletedProcess (text stdout and stderr)."""
    return subprocess.run([sys.executable, "-m", "dl101", *map(str, args)], capture_output=True,
                          text=True, env=cli_env(**env), timeout=timeout, cwd=cwd)


def serve_then_interrupt(*args, cwd=None, timeout=60):
    """``python -m dl101 playground --no-browser ARGS``: read the URL it prints, press Ctrl-C;
    returns (the URL, stdout after it, stderr, exit status)."""
    import signal
    server = subprocess.Popen([sys.executable, "-m", "dl101", "playground", "--no-browser", *map(str, args)],
                              cwd=cwd, env=cli_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
    try:
        url = server.stdout.readline().strip()
        server.send_signal(signal.SIGINT)
        out, err = server.communicate(timeout=timeout)
    finally:
        server.kill()
    return url, out, err, server.returncode
