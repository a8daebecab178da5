"""``dl101 gradcheck``: back-propagation against central differences, per parameter."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

HELP = "check back-propagation against central differences in float64, parameter by parameter"


@dataclass
class GradcheckSettings:
    widths: list[int] = field(default_factory=lambda: [8, 16, 8, 4],
                              metadata={"help": "layer widths, input first"})
    activation: str = field(default="tanh", metadata={"help": "hidden activation"})
    output: str = field(default="softmax", metadata={"help": "output activation"})
    loss: str = field(default="cross_entropy", metadata={"help": "cross_entropy or mse"})
    init: str = field(default="auto", metadata={"help": "initialiser"})
    samples: int = field(default=16, metadata={"help": "batch size of the random batch checked"})
    seed: int = field(default=0, metadata={"help": "seed of the weights and of the batch"})
    eps: float = field(default=1e-6, metadata={"help": "finite-difference step ε"})
    tol: float = field(default=1e-6, metadata={"help": "largest relative error that passes"})
    max_entries: int = field(default=200, metadata={"help": "entries checked per parameter, at most"})


def add_arguments(parser):
    from .options import add_settings
    add_settings(parser, GradcheckSettings)


def run(args):
    import dl101
    from ..checks import positive
    from .options import settings_from_args
    s = settings_from_args(GradcheckSettings, args)
    positive(s.samples, "--samples", integer=True)
    model = dl101.MLP(s.widths, s.activation, s.output, init=s.init, seed=s.seed)
    rng = np.random.default_rng(s.seed)
    x = rng.normal(size=(s.samples, s.widths[0]))
    if dl101.losses.get(s.loss).classification:
        y = rng.integers(0, s.widths[-1], size=s.samples)
    else:
        y = rng.normal(size=(s.samples, s.widths[-1]))
    report = dl101.gradcheck(model, x, y, s.loss, eps=s.eps, tol=s.tol, max_entries=s.max_entries)
    print(f"{model}\n{report}")
    return 0 if report.passed else 1
