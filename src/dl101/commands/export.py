"""``dl101 export RUN``: a saved run's model as a PyTorch state_dict or an ONNX file.

``--format torch`` writes ``model.pt``, the ``state_dict`` of :func:`dl101.export.to_torch`'s
``nn.Sequential`` (tensors only: ``torch.load(path, weights_only=True)`` reads it without running
code), and prints the few lines of PyTorch that rebuild the module without dl101. ``--format onnx``
writes ``model.onnx`` and runs it with ONNX Runtime on random inputs against dl101's predictions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

HELP = "export a run's model to PyTorch (a state_dict) or ONNX, to go on in other engines"
FILE_NAMES = {"torch": "model.pt", "onnx": "model.onnx"}
NEEDS = {"torch": ["torch"], "onnx": ["onnx", "onnxruntime"]}  # in the order the default tries them
CHECK_SAMPLES = 256  # random inputs in [0, 1), like pixel intensities, on which ONNX Runtime is checked


@dataclass
class ExportSettings:
    format: str | None = field(default=None, metadata={
        "help": "torch: a state_dict; onnx: an ONNX file (default: torch when PyTorch is installed, "
                "else onnx when ONNX and ONNX Runtime are)", "choices": list(FILE_NAMES)})
    out: str | None = field(default=None, metadata={"help": "the file to write (default: RUN/model.pt, "
                                                             "or RUN/model.onnx with --format onnx)"})
    force: bool = field(default=False, metadata={"help": "overwrite the output file if it exists"})


def add_arguments(parser):
    from .options import add_settings
    # dest is not "run": the CLI keeps each sub-command's run function there.
    parser.add_argument("run_folder", metavar="RUN", nargs="?", default=None,
                        help="a run folder holding model.json and model.npz; default: the latest "
                             "run, runs/latest")
    add_settings(parser, ExportSettings)


def run(args):
    from ..checks import Dl101Error
    from ..jobs import latest
    from .options import settings_from_args
    from ..saving import load_model
    s = settings_from_args(ExportSettings, args)
    s.format = s.format or default_format()
    folder = latest.resolve(args.run_folder)
    model = load_model(folder)
    out = Path(s.out) if s.out else folder / FILE_NAMES[s.format]
    if out.is_dir():
        raise Dl101Error(f"{out} is a folder; --out names the file to write")
    if out.exists() and not s.force:
        raise Dl101Error(f"{out} exists; pass --force to overwrite it, or --out to write elsewhere")
    try:  # each writer replaces out only with a whole, checked file; else out stays as it was
        {"torch": _torch, "onnx": _onnx}[s.format](model, out)
    except BrokenPipeError:  # the reader of the printed lines went away: not about the file
        raise
    except OSError as err:
        raise Dl101Error(f"cannot write {out}: {err.strerror or err}; {out} is left as it was") from None
    from ..jobs import manifest
    if out.parent.resolve() == folder.resolve() and manifest.read(folder) is not None:
        manifest.add(folder, out.name)  # dl101 wrote it into the run: `mnist --force` removes it too
    return 0


def default_format() -> str:
    """The first format whose packages this install has; else an error naming both extras."""
    from ..checks import Dl101Error
    from ..extras import available, hint
    for name, packages in NEEDS.items():
        if all(available(p) for p in packages):
            return name
    raise Dl101Error(f"dl101 export needs PyTorch (--format torch) or ONNX (--format onnx), and "
                     f"neither is installed: {hint('torch')}, or {hint('onnx')}")


def _torch(model, out):
    from ..export import to_torch, torch_source
    from ..extras import need
    from ..files import atomic_write
    torch = need("torch", "dl101 export --format torch")
    module = to_torch(model)
    with atomic_write(out) as f:
        torch.save(module.state_dict(), f)
    print(f"wrote {out}: the state_dict of {model}\n"
          f"rebuild it in PyTorch, without dl101:\n\n"
          f"import torch\nfrom torch import nn\n\n"
          f"module = {torch_source(model)}\n"
          f"module.load_state_dict(torch.load({str(out)!r}, weights_only=True))")


def _onnx(model, out):
    from ..export import check_onnx, onnx_model
    from ..files import atomic_write
    x = np.random.default_rng(0).random((CHECK_SAMPLES, model.widths[0]), dtype=np.float32)
    data = onnx_model(model).SerializeToString()
    difference = check_onnx(model, data, x, name=f"the ONNX file for {out}")  # before out is touched
    with atomic_write(out) as f:
        f.write(data)
    print(f"wrote {out}: {model}\n"
          f"input x_0 (N, {model.widths[0]}) float32, output x_L (N, {model.widths[-1]})\n"
          f"ONNX Runtime agrees with dl101 within {difference:.2g} (largest difference on "
          f"{CHECK_SAMPLES} random inputs)")
