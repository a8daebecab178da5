"""The playground's settings: which values each key of the URL accepts, and how its text is read.

One table, :data:`SETTINGS`, says for every field of :class:`~.config.Config` its kind, its bounds
or its choices and a line of help; :func:`parse` reads a field from the URL's text and
:func:`coerce` checks a JSON value from the page, both against that one table, so that the URL and
the page's messages give the same error: the setting, what it accepts, what it got.

>>> coerce("lr", 0.1), parse("hidden", "4,4")
(0.1, [4, 4])
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import activations, init, optim
from ..checks import Dl101Error

TOY = ["moons", "circles", "xor", "spirals", "blobs"]
DATASETS = [*TOY, "points", "csv", "regression", "digits", "mnist"]
IMAGES = ("digits", "mnist")
ACTIVATIONS = list(activations.ACTIVATIONS)      # the lecture's eight
REGRESSION_ACTIVATIONS = [*ACTIVATIONS, "square"]  # and σ(z) = z², the polynomial the UAT rules out
MAX_LAYERS = 6
MAX_WIDTH = {"2d": 16, "regression": 64, "image": 128}  # legible drawings; larger ones are elided
MAX_STEPS = 200_000  # the longest replay a link may ask for
# clicked points ride in the link, x1:x2:label each, rounded to DECIMALS (about 15 characters a
# point: 500 make an 8 KB query, well within what browsers and uvicorn take in a URL)
MAX_LINK_POINTS, DECIMALS = 500, 3
VIEWS = ["controls", "data", "network", "regions", "curves", "representations", "stepper", "draw",
         "editing", "save"]
PRESETS = {"784-16-8-4": dict(hidden=[16, 8], act=["relu", "relu"], subset=[0, 1, 2, 3]),
           "784-64-32-10": dict(hidden=[64, 32], act=["relu", "relu"], subset=[])}

KIND_DEFAULTS = {  # the network a kind of data starts with when the page switches to it
    "2d": dict(hidden=[8, 8], act=["tanh", "tanh"], lr=0.03, bs=10, opt="sgd", spf=1, n=300),
    "regression": dict(hidden=[16], act=["tanh"], lr=0.01, bs=32, opt="adam", spf=5, n=256),
    "image": dict(hidden=[16, 8], act=["relu", "relu"], lr=0.05, bs=32, opt="sgd", spf=2,
                  subset=[0, 1, 2, 3]),
}


@dataclass(frozen=True)
class Setting:
    """How one field is written in the URL and which values it accepts."""

    kind: str                    # "int", "float", "str", "ints" or "strs"
    low: float | None = None
    high: float | None = None
    choices: tuple = ()
    help: str = ""


SETTINGS = {
    "dataset": Setting("str", choices=tuple(DATASETS), help="the data set"),
    "n": Setting("int", 20, 5000, help="points of a 2D or 1D set"),
    "noise": Setting("float", 0, 2, help="the noise of a 2D set"),
    "classes": Setting("int", 2, 8, help="classes of the spirals and the blobs"),
    "test": Setting("float", 0.05, 0.9, help="the test fraction of a 2D set"),
    "subset": Setting("ints", 0, 9, help="the classes of digits or MNIST kept (none: all)"),
    "hidden": Setting("ints", 1, MAX_WIDTH["image"], help="the widths of the hidden layers"),
    "act": Setting("strs", choices=tuple(REGRESSION_ACTIVATIONS), help="each hidden layer's σ"),
    "init": Setting("str", choices=tuple(init.INITIALISERS), help="the initialiser"),
    "seed": Setting("int", 0, 2 ** 31 - 1, help="the seed of the weights, the data and its order"),
    "lr": Setting("float", 1e-6, 10, help="the learning rate λ"),
    "bs": Setting("int", 1, 60_000, help="the batch size b (1 is the lecture's SGD)"),
    "opt": Setting("str", choices=tuple(optim.OPTIMIZERS), help="the optimiser"),
    "epochs": Setting("int", 1, 100_000, help="the epoch budget: play stops there"),
    "spf": Setting("int", 1, 1000, help="SGD steps per frame while playing"),
    "steps": Setting("int", 0, MAX_STEPS, help="the steps taken (a link replays them)"),
    "hide": Setting("strs", choices=tuple(VIEWS), help="views and controls hidden (a focused page)"),
    "changes": Setting("changes", help="settings changed while it ran: step:key:value before"),
    "points": Setting("points", help="the clicked points (dataset=points): x1:x2:label"),
}
HAND = Setting("float", -100, 100, help="a weight or bias set by hand")
LIVE = ("lr", "opt", "bs")  # the settings that change a run as it goes (logged in ``changes``)
MAX_CHANGES = 100
EDIT = re.compile(r"^(A\d+\.\d+\.\d+|b\d+\.\d+)$")  # a weight or bias set by hand: A2.0.3, b1.4


def text_of(value):
    """A value as the URL writes it (a float in full, by ``repr``)."""
    return repr(value) if isinstance(value, float) else str(value)


def parse(key, text: str):
    """The value of setting ``key`` from its text in a URL."""
    setting = SETTINGS[key]
    if setting.kind == "points":
        items = [item.split(":") for item in filter(str.strip, text.split(","))]
        if any(len(item) != 3 for item in items):
            raise Dl101Error("points: each point should read x1:x2:label, e.g. 0.5:-1.25:1")
        return coerce(key, [[_number(key, a, float), _number(key, b, float), _number(key, c, int)]
                            for a, b, c in items])
    if setting.kind == "changes":
        changes = []
        for item in filter(str.strip, text.split(",")):
            step, _, rest = item.partition(":")
            name, _, before = rest.partition(":")
            if name not in LIVE and not EDIT.match(name):
                raise Dl101Error(f"changes: {item!r} should read step:key:value with key one of "
                                 f"{', '.join(LIVE)}, or a weight A<i>.<l>.<k> or bias b<i>.<k>")
            value = parse(name, before) if name in LIVE else _number(key, before, float)
            changes.append([_number(key, step, int), name, value])
        return coerce(key, changes)
    if setting.kind in ("ints", "strs"):
        items = [t for t in text.split(",") if t.strip()]
        return coerce(key, [_number(key, t, int) if setting.kind == "ints" else t.strip() for t in items])
    if setting.kind in ("int", "float"):
        return coerce(key, _number(key, text, int if setting.kind == "int" else float))
    return coerce(key, text)


def _number(key, text, kind):
    try:
        return kind(text)
    except ValueError:
        raise Dl101Error(f"{key}: expected {'an integer' if kind is int else 'a number'}, got "
                         f"{text!r}") from None


def coerce(key, value):
    """``value`` (from JSON or parsed from the URL) checked against setting ``key``."""
    setting = SETTINGS[key]
    if setting.kind == "points":
        return link_points(value)
    if setting.kind == "changes":
        ok = isinstance(value, list) and len(value) <= MAX_CHANGES and all(
            isinstance(c, list) and len(c) == 3 and isinstance(c[1], str) and (
                c[1] in LIVE or EDIT.match(c[1])) for c in value)
        if not ok:
            raise Dl101Error(f"changes: expected at most {MAX_CHANGES} [step, key, value] with key "
                             f"one of {', '.join(LIVE)}, or a weight A<i>.<l>.<k> or bias b<i>.<k>")
        return [[_scalar("steps", step, "int", SETTINGS["steps"]), name,
                 coerce(name, before) if name in LIVE else _scalar(name, before, "float", HAND)]
                for step, name, before in value]
    if setting.kind in ("ints", "strs"):
        if not isinstance(value, list):
            raise Dl101Error(f"{key}: expected a list, got {type(value).__name__} {value!r}")
        return [_scalar(key, v, setting.kind[:-1], setting) for v in value]
    return _scalar(key, value, setting.kind, setting)


def _scalar(key, value, kind, setting):
    if kind == "str":
        if not isinstance(value, str):
            raise Dl101Error(f"{key}: expected a name, got {type(value).__name__} {value!r}")
        if value not in setting.choices:
            raise Dl101Error(f"{key}: unknown value {value!r}; choose one of {', '.join(setting.choices)}")
        return value
    numeric = (int,) if kind == "int" else (int, float)
    if isinstance(value, bool) or not isinstance(value, numeric):
        raise Dl101Error(f"{key}: expected {'an integer' if kind == 'int' else 'a number'}, got "
                         f"{type(value).__name__} {value!r}")
    if not (setting.low <= value <= setting.high):  # also refuses NaN
        raise Dl101Error(f"{key}: {value!r} is out of range; {setting.help} must lie in "
                         f"[{setting.low:g}, {setting.high:g}]")
    return int(value) if kind == "int" else float(value)


def link_points(points):
    """Clicked points ``[[x1, x2, label], ...]`` checked (:func:`.problems.check_points`), at most
    :data:`MAX_LINK_POINTS`, rounded to :data:`DECIMALS` decimals: the session trains on the very
    points its link carries, so that the link rebuilds the same run."""
    from .problems import check_points
    if isinstance(points, list) and len(points) > MAX_LINK_POINTS:
        raise Dl101Error(f"points: a link carries at most {MAX_LINK_POINTS} clicked points, got "
                         f"{len(points)}; undo some, or start clicking from a smaller set (fewer "
                         f"points n)")
    return [[round(float(x1), DECIMALS) + 0.0, round(float(x2), DECIMALS) + 0.0, label]
            for x1, x2, label in check_points(points)]


def point_text(point):
    """A clicked point as the URL writes it, ``x1:x2:label`` with no trailing zeros: ``0.5:-1:1``."""
    x1, x2, label = point
    return ":".join([f"{x1:.{DECIMALS}f}".rstrip("0").rstrip("."),
                     f"{x2:.{DECIMALS}f}".rstrip("0").rstrip("."), str(label)])
