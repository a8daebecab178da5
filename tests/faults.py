"""Helpers of the fault-injection suite (tests/test_faults_*.py): run the command line in this
process, and copy a run folder to break it."""

import shutil

from dl101.cli import main


def cli(capsys, *args):
    """``dl101 ARGS`` in this process: (exit status, stdout, stderr). An exception escaping main
    (what a user would see as a traceback) fails the test."""
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(err, command, *fragments):
    """stderr is the one line ``dl101 COMMAND: error: ...`` holding every fragment."""
    assert "Traceback" not in err, err
    assert err.count("\n") == 1 and err.startswith(f"dl101 {command}: error: "), err
    for fragment in fragments:
        assert fragment in err, (fragment, err)


def copy_run(source, tmp_path, name="run"):
    """A copy of a run folder, to damage without touching the shared one."""
    return shutil.copytree(source, tmp_path / name)
