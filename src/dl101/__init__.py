"""dl101: the AI 101 lecture's deep learning, from scratch in NumPy.

>>> import dl101
>>> model = dl101.MLP([784, 64, 32, 10], "relu", "softmax")
>>> model.n_parameters
52650
"""

from .activations import Activation
from .callbacks import Callback, EarlyStopping, PrintProgress
from .checks import Dl101Error
from .gradcheck import gradcheck
from .layers import Dense
from .losses import Loss
from .mlp import MLP
from .saving import load_model, save_model
from .train import History, Trainer, TrainingDiverged, evaluate, fit

__version__ = "0.1.0"
__all__ = ["MLP", "Dense", "Activation", "Loss", "fit", "evaluate", "gradcheck", "History", "save_model", "load_model",
           "Callback", "EarlyStopping", "PrintProgress", "Dl101Error", "TrainingDiverged", "Trainer"]


def __getattr__(name):
    """``dl101.data``, ``dl101.figures``, ``dl101.export`` ... load on first use, so that
    ``import dl101`` stays quick and imports NumPy only."""
    import importlib
    if name in {"data", "figures", "export", "images", "jobs", "attributions", "notebook"}:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'dl101' has no attribute {name!r}")
