"""Faults, class 5: an export replaces the previous file only with a whole, checked new one
(issue 14). Before the fix, `dl101 export --force --format onnx` whose new file failed its check
deleted the previous good file, and a full disk while writing was an OSError traceback."""

import errno

import pytest

from faults import cli, copy_run, one_line_error


def _files(folder):
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def test_onnx_export_that_fails_its_check_keeps_the_previous_file(digits_run, tmp_path, capsys,
                                                                  monkeypatch):
    pytest.importorskip("onnxruntime")
    import dl101.export
    from dl101 import Dl101Error
    run = copy_run(digits_run, tmp_path)
    code, _, _ = cli(capsys, "export", run, "--format", "onnx")
    assert code == 0
    before = _files(run)

    def disagrees(*args, **kwargs):  # the fault: ONNX Runtime computes something else
        raise Dl101Error("ONNX Runtime's outputs differ from dl101's by up to 0.5")
    monkeypatch.setattr(dl101.export, "check_onnx", disagrees)
    code, out, err = cli(capsys, "export", run, "--format", "onnx", "--force")
    assert code == 2 and out == ""
    one_line_error(err, "export", "differ from dl101's")
    assert _files(run) == before  # model.onnx still the good one, no temporary file left


def test_torch_export_onto_a_full_disk_keeps_the_previous_file(digits_run, tmp_path, capsys,
                                                               monkeypatch):
    torch = pytest.importorskip("torch")
    run = copy_run(digits_run, tmp_path)
    assert cli(capsys, "export", run)[0] == 0
    before = _files(run)

    def full_disk(obj, f, *args, **kwargs):  # writes a part, then the disk is full
        f.write(b"PK\x03\x04 half a state_dict")
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(torch, "save", full_disk)
    code, out, err = cli(capsys, "export", run, "--force")
    assert code == 2 and out == ""
    one_line_error(err, "export", "cannot write", "model.pt: No space left on device",
                   "left as it was")
    assert _files(run) == before
