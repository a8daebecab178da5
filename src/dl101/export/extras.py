"""The optional packages the exports need, imported only when an export runs.

``import dl101`` stays fast and needs only NumPy: PyTorch, ONNX and ONNX Runtime are imported by
the function that uses them, and a missing one is a :class:`~dl101.checks.Dl101Error` that names
the pip extra to install.
"""

from __future__ import annotations

import importlib

from ..checks import Dl101Error

# package to import -> (what it is called, the dl101 extra that installs it)
EXTRAS = {"torch": ("PyTorch", "torch"), "onnx": ("ONNX", "onnx"), "onnxruntime": ("ONNX Runtime", "onnx")}


def need(package: str, user: str):
    """The module ``package``, imported for the function ``user``; a clear error if it is missing.

    >>> need("numpy", "a doctest").__name__
    'numpy'
    """
    title, extra = EXTRAS.get(package, (package, package))
    try:
        return importlib.import_module(package)
    except ImportError as err:
        raise Dl101Error(f"{user} needs {title}: pip install 'dl101[{extra}]' ({err})") from None
