"""Outgrowing dl101: the same network in PyTorch and ONNX, and other libraries' networks in dl101.

- :func:`to_torch` / :func:`from_torch`: an ``nn.Sequential`` of Linear layers and activations;
- :func:`to_onnx` writes an ONNX file, :func:`check_onnx` runs it with ONNX Runtime against dl101;
- :func:`from_sklearn`: a fitted scikit-learn ``MLPClassifier`` or ``MLPRegressor``.

PyTorch, ONNX and ONNX Runtime are optional (``pip install -e '.[torch]'``, ``'.[onnx]'`` from the checkout)
and imported only when one of these functions runs. docs/interop.md says what maps to what.
"""

from .onnx_interop import check_onnx, onnx_model, to_onnx
from .sklearn_interop import from_sklearn
from .torch_interop import from_torch, to_torch, torch_source

__all__ = ["to_torch", "from_torch", "torch_source", "to_onnx", "onnx_model", "check_onnx", "from_sklearn"]
