"""PyTorch, ONNX and ONNX Runtime stay optional: importing dl101 and dl101.export loads none."""

import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"


def test_import_dl101_export_imports_no_optional_package():
    code = ("import sys, dl101, dl101.export, dl101.cli; dl101.cli.build_parser(); "
            "print(sorted(m for m in ('torch', 'onnx', 'onnxruntime') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(SRC)}, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
