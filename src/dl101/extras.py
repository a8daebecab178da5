"""The optional packages, each installed by one dl101 extra, imported only where they are used.

``import dl101`` needs only NumPy, and the base install (``pip install -e .``) runs the engine, the
main job with its figures and the playground. What needs more names its extra in one line:

>>> hint("figures")  # doctest: +ELLIPSIS
"pip install -e '...[figures]'"
>>> need("numpy", "a doctest").__name__
'numpy'
>>> need("no_such_package", "a doctest")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
dl101.checks.Dl101Error: a doctest needs no_such_package, which is not installed: pip install -e '...[all]' (No module named 'no_such_package')
"""

from __future__ import annotations

import importlib
import importlib.util
import os
from pathlib import Path

from .checks import Dl101Error

# package to import -> (what it is called, the dl101 extra that installs it): pyproject.toml's
# [project.optional-dependencies], seen from the import side (tests/test_extras.py keeps them equal)
EXTRAS = {
    "torch": ("PyTorch", "torch"),
    "onnx": ("ONNX", "onnx"),
    "onnxruntime": ("ONNX Runtime", "onnx"),
    "sklearn": ("scikit-learn", "figures"),
    "shap": ("SHAP", "figures"),
    "nbformat": ("nbformat", "notebook"),
    "nbclient": ("nbclient", "notebook"),
    "nbconvert": ("nbconvert", "notebook"),
    "ipykernel": ("ipykernel", "notebook"),
    "latex2mathml": ("latex2mathml", "notebook"),
}
# PyTorch's default wheels on Linux pull in CUDA (gigabytes); its CPU-only index does not
TORCH_CPU = "pip install torch --index-url https://download.pytorch.org/whl/cpu"


def checkout() -> str:
    """How to name this dl101's source folder in a pip command: '.' when it is the current folder."""
    folder = Path(__file__).resolve().parents[2]
    if not (folder / "pyproject.toml").exists() or folder == Path(os.getcwd()).resolve():
        return "."
    return str(folder)


def hint(extra: str) -> str:
    """The pip command that installs the dl101 extra ``extra`` from this checkout."""
    line = f"pip install -e '{checkout()}[{extra}]'"
    return line + (f" (CPU only, far smaller: {TORCH_CPU} first)" if extra == "torch" else "")


def available(package: str) -> bool:
    """Whether ``package`` can be imported (without importing it)."""
    try:
        return importlib.util.find_spec(package) is not None
    except ValueError:  # in sys.modules as None: importing it fails
        return False


def missing(packages, user: str) -> str | None:
    """What ``user`` lacks among ``packages`` and the one pip command that installs it; None if
    nothing is missing."""
    lacking = [p for p in packages if not available(p)]
    return message(lacking, user) if lacking else None


def message(lacking, user: str) -> str:
    """'``user`` needs X, which is not installed: pip install ...' for the packages ``lacking``."""
    titles = ", ".join(EXTRAS.get(p, (p,))[0] for p in lacking)
    extras = {EXTRAS.get(p, (p, "all"))[1] for p in lacking}
    extra = extras.pop() if len(extras) == 1 else "all"
    verb = "is" if len(lacking) == 1 else "are"
    return f"{user} needs {titles}, which {verb} not installed: {hint(extra)}"


def require(packages, user: str):
    """A clear one-line error naming the extra when any of ``packages`` is not installed."""
    problem = missing(packages, user)
    if problem:
        raise Dl101Error(problem)


def need(package: str, user: str):
    """The module ``package``, imported for ``user``; the one-line error above if it is missing."""
    try:
        return importlib.import_module(package)
    except ImportError as err:
        raise Dl101Error(f"{message([package.split('.')[0]], user)} ({err})") from None
