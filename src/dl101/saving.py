"""Saving and loading a model: ``model.npz`` (arrays A1, b1, A2, b2, ...) and ``model.json`` (the
architecture). No pickle: both formats hold data only, so loading a model never runs code.
Everything read is checked (the description's fields, the arrays' names and shapes, finite
weights), so a damaged or hand-edited file is one clear error naming it; NaN weights are never saved.

>>> import tempfile, dl101
>>> folder = tempfile.mkdtemp()
>>> save_model(dl101.MLP([4, 3, 2], "tanh", seed=1), folder)
>>> load_model(folder)
MLP([4, 3, 2], σ: tanh(), softmax(), 23 parameters, float32)
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np

from . import checks
from .checks import Dl101Error, finite
from .files import atomic_write
from .mlp import DTYPES, MLP

FORMAT = "dl101-mlp"
VERSION = 1


def architecture(model) -> dict:
    """The model's structure as JSON-ready data: widths, activations (with parameters), dtype."""
    return {"format": FORMAT, "version": VERSION, "widths": model.widths, "dtype": model.dtype.name,
            "activations": [{"name": l.sigma.name, **l.sigma.params} for l in model.layers],
            "n_parameters": model.n_parameters}


def save_model(model, folder):
    """Write ``folder/model.npz`` and ``folder/model.json``, each atomically."""
    from .activations import ACTIVATIONS
    custom = [l.sigma.name for l in model.layers if l.sigma.name not in ACTIVATIONS]
    if custom:
        raise Dl101Error(f"cannot save custom activation(s) {custom}: only the named activations "
                         f"({', '.join(ACTIVATIONS)}) can be stored without pickle")
    finite(model.theta, f"the model to save in {folder}", "refusing to save weights that compute "
           "nothing (did its training diverge? lower the learning rate)")
    folder = Path(folder)
    with atomic_write(folder / "model.npz") as f:
        np.savez(f, **{name: theta for name, theta, _ in model.parameters()})
    with atomic_write(folder / "model.json", "w") as f:
        json.dump(architecture(model), f, indent=2)


def load_model(folder) -> MLP:
    """The model saved in ``folder`` by :func:`save_model`; a clear error for anything else."""
    folder = Path(folder)
    spec_path, weights_path = folder / "model.json", folder / "model.npz"
    for path in (spec_path, weights_path):
        if not path.is_file():
            raise Dl101Error(f"no model at {folder}: {path.name} is missing (a run folder written "
                             f"by 'dl101 mnist' holds model.json and model.npz)")
    spec = read_json(spec_path, "a dl101 model description")
    if not isinstance(spec, dict) or spec.get("format") != FORMAT:
        raise Dl101Error(f"{spec_path} is not a dl101 model description (format should be {FORMAT!r})")
    if spec.get("version") != VERSION:
        raise Dl101Error(f"{spec_path} has format version {spec.get('version')!r:.40}; this dl101 "
                         f"reads version {VERSION}")
    widths_, sigmas = _architecture(spec, spec_path)
    if spec.get("dtype") not in (None, *DTYPES):
        raise Dl101Error(f"{spec_path}: 'dtype' must be one of {', '.join(DTYPES)}, got "
                         f"{json.dumps(spec['dtype'])[:40]}")
    try:
        with np.load(weights_path, allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as err:
        raise Dl101Error(f"{weights_path} cannot be read as a NumPy .npz archive ({err}); it is "
                         f"corrupt or not a dl101 model") from None
    n_layers = len(widths_) - 1
    expected = [f"{p}{i}" for i in range(1, n_layers + 1) for p in "Ab"]
    if sorted(arrays) != sorted(expected):
        raise Dl101Error(f"{weights_path} holds arrays {sorted(arrays)}, expected {expected}")
    try:
        model = MLP.from_arrays([(arrays[f"A{i}"], arrays[f"b{i}"]) for i in range(1, n_layers + 1)],
                                sigmas, spec.get("dtype"))
    except Dl101Error as err:
        raise Dl101Error(f"{weights_path}: {err}") from None
    if model.widths != widths_:
        raise Dl101Error(f"{weights_path}: weights of widths {model.widths} do not match "
                         f"{spec_path}'s widths {widths_}")
    return model


MAX_JSON_BYTES = 16 << 20  # a model description or a run's metrics takes a few kB


def read_json(path, what: str):
    """The JSON in ``path``; a clear error for a file that is not JSON (or holds a number too long
    to read: Python refuses integers of more than 4300 digits), or is far too large to be one."""
    size = Path(path).stat().st_size
    if size > MAX_JSON_BYTES:
        raise Dl101Error(f"{path} is {size:,} bytes, far more than {what} takes; it is not one")
    try:
        return json.loads(Path(path).read_text())
    except (ValueError, UnicodeDecodeError, RecursionError) as err:  # JSONDecodeError is a ValueError
        raise Dl101Error(f"{path} is not valid JSON ({str(err).split(';')[0][:200]}); it is corrupt or not "
                         f"{what}") from None


def _architecture(spec, path):
    """``(widths, activations)`` from a model description, each part checked."""
    from . import activations
    try:
        widths_ = checks.widths(spec.get("widths"), "'widths'")
    except Dl101Error as err:
        raise Dl101Error(f"{path}: {err}") from None
    entries = spec.get("activations")
    if not isinstance(entries, list) or len(entries) != len(widths_) - 1 or not all(
            isinstance(e, dict) and isinstance(e.get("name"), str) for e in entries):
        raise Dl101Error(f"{path}: 'activations' must list one object per layer ({len(widths_) - 1} "
                         f"here), each like {{\"name\": \"relu\"}} or {{\"name\": \"elu\", "
                         f"\"alpha\": 1.0}}; got {json.dumps(entries)[:80]}")
    try:
        return widths_, [activations.get(e["name"], **{k: v for k, v in e.items() if k != "name"})
                         for e in entries]
    except Dl101Error as err:
        raise Dl101Error(f"{path}: {err}") from None
