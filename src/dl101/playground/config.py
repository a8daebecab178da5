"""The playground's whole configuration in one state object, :class:`Config`, that round-trips
through the page's URL: ``?dataset=moons&hidden=8,8&act=tanh,tanh&lr=0.03&steps=120`` rebuilds the
same run exactly, since training is deterministic (the steps are replayed).

Every value is checked where it enters, from the URL (strings) or from a message of the page (JSON
values): a wrong type or a value out of range is a :class:`~dl101.checks.Dl101Error` that names the
setting, what it accepts and what it got.

>>> c = Config.from_query("dataset=circles&hidden=4,4,2&act=relu&lr=0.1")
>>> c.hidden, c.act, c.lr
([4, 4, 2], ['relu', 'relu', 'relu'], 0.1)
>>> Config.from_query(c.to_query()) == c
True
"""

from __future__ import annotations

import dataclasses
import re
import urllib.parse
from dataclasses import dataclass, field

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
}
HAND = Setting("float", -100, 100, help="a weight or bias set by hand")
LIVE = ("lr", "opt", "bs")  # the settings that change a run as it goes (logged in ``changes``)
MAX_CHANGES = 100
EDIT = re.compile(r"^(A\d+\.\d+\.\d+|b\d+\.\d+)$")  # a weight or bias set by hand: A2.0.3, b1.4


@dataclass
class Config:
    """One run of the playground: data, network, training; the fields are the URL's keys."""

    dataset: str = "moons"
    n: int = 300
    noise: float = 0.15
    classes: int = 2
    test: float = 0.25
    subset: list = field(default_factory=list)
    hidden: list = field(default_factory=lambda: [8, 8])
    act: list = field(default_factory=lambda: ["tanh", "tanh"])
    init: str = "auto"
    seed: int = 0
    lr: float = 0.03
    bs: int = 10
    opt: str = "sgd"
    epochs: int = 1000
    spf: int = 1
    steps: int = 0
    hide: list = field(default_factory=list)
    # [step, key, the value before], for each change of λ, the optimiser or b while the run went
    # on, and [step, "A2.0.3", the value set] for each weight (or bias, "b1.4") set by hand, in
    # order: so that a link replays a run whose settings changed exactly as it went
    changes: list = field(default_factory=list)

    # --- the kind of problem, and what follows from it --------------------------------------
    @property
    def kind(self):
        """``"2d"``, ``"regression"`` (1D) or ``"image"``."""
        return "image" if self.dataset in IMAGES else "regression" if self.dataset == "regression" else "2d"

    def checked(self):
        """The configuration, its lists made consistent (one σ per hidden layer, the last one
        repeated) and its bounds that depend on the data checked."""
        if len(self.hidden) > MAX_LAYERS:
            raise Dl101Error(f"hidden: at most {MAX_LAYERS} hidden layers, got {len(self.hidden)}")
        top = MAX_WIDTH[self.kind]
        if any(k > top for k in self.hidden):
            raise Dl101Error(f"hidden: at most {top} neurons per layer for {self.dataset} (so the "
                             f"drawing stays legible), got {self.hidden}")
        if not self.hidden:
            self.act = []
        else:
            self.act = (list(self.act) or ["tanh"])[:len(self.hidden)]
            self.act += [self.act[-1]] * (len(self.hidden) - len(self.act))
        if "square" in self.act and self.kind != "regression":
            raise Dl101Error("act: σ(z) = z² ('square') is offered for the regression set only, to "
                             "see the universal approximation theorem fail; pick one of "
                             + ", ".join(ACTIVATIONS))
        if self.subset and (len(set(self.subset)) < 2 or len(set(self.subset)) != len(self.subset)):
            raise Dl101Error(f"subset: give at least two distinct classes among 0..9, got {self.subset}")
        steps = [step for step, _, _ in self.changes]
        if steps != sorted(steps) or any(step > self.steps for step in steps):
            raise Dl101Error(f"changes: their steps must be in order and at most steps={self.steps}, "
                             f"got {steps}")
        return self

    # --- settings changed while the run went on -----------------------------------------------
    def schedule(self):
        """``(the values of λ, optimiser and b at step 0, [(step, key, new value), ...])``."""
        values, events = {k: getattr(self, k) for k in LIVE}, []
        for step, key, before in reversed(self.changes):
            if key in LIVE:
                events.append((step, key, values[key]))
                values[key] = before
            else:  # a hand edit: the value set
                events.append((step, key, before))
        return values, events[::-1]

    def at_step(self, step) -> "Config":
        """The configuration as it was after ``step`` steps: the values then, the changes so far."""
        values, events = self.schedule()
        kept = []
        for change, (at, key, new) in zip(self.changes, events):
            if at <= step:
                if key in LIVE:
                    values[key] = new
                kept.append(change)
        return dataclasses.replace(self, **values, changes=kept, steps=step)

    def with_change(self, step, key, before) -> "Config":
        """A copy that logs ``key`` changing at ``step`` from ``before`` (to its value here); a
        change at step 0, or a second one at the same step, only moves the start or the end. For
        a hand edit (``key`` "A2.0.3" or "b1.4"), ``before`` is the value set."""
        last = self.changes[-1] if self.changes else None
        if key in LIVE and (step == 0 or (last and last[0] == step and last[1] == key)):
            return self
        if len(self.changes) >= MAX_CHANGES:
            raise Dl101Error(f"changes: a run records at most {MAX_CHANGES} changes of "
                             f"{', '.join(LIVE)}; reset to start a new one")
        return dataclasses.replace(self, changes=[*self.changes, [step, key, before]])

    # --- the URL ------------------------------------------------------------------------------
    def to_query(self) -> str:
        """The configuration as a URL query, every field that differs from the default."""
        default, pairs = Config(), []
        for name in SETTINGS:
            value = getattr(self, name)
            if name == "changes":
                value = [":".join(map(_text, change)) for change in value]
            if value != getattr(default, name) or name == "dataset":
                pairs.append((name, ",".join(map(_text, value)) if isinstance(value, list) else _text(value)))
        return urllib.parse.urlencode(pairs, safe=",:")

    @classmethod
    def from_query(cls, query: str | dict) -> "Config":
        """The configuration of a URL query (a string, or a dict of strings); unknown keys such as
        the token are ignored, missing ones take their default."""
        pairs = urllib.parse.parse_qsl(query.lstrip("?")) if isinstance(query, str) else query.items()
        config = cls()
        for key, text in pairs:
            if key in SETTINGS:
                setattr(config, key, parse(key, text))
        return config.checked()

    def updated(self, key, value) -> "Config":
        """A copy with the setting ``key`` changed to the JSON value ``value``, checked. Moving to
        another kind of data (2D, regression, images) also takes that kind's starting network."""
        if not isinstance(key, str) or key not in SETTINGS:
            raise Dl101Error(f"unknown setting {key!r}; the settings are: {', '.join(SETTINGS)}")
        changes = {key: coerce(key, value)}
        if key == "steps" and changes["steps"] < self.steps:  # back in the run: as it was then
            return self.at_step(changes["steps"]).checked()
        new = dataclasses.replace(self, **changes)
        if key == "dataset" and new.kind != self.kind:
            new = dataclasses.replace(new, **KIND_DEFAULTS[new.kind])
        return new.checked()

    def with_preset(self, name) -> "Config":
        """The lecture's image networks: ``784-16-8-4`` (classes 0-3) or ``784-64-32-10``."""
        if name not in PRESETS:
            raise Dl101Error(f"unknown preset {name!r}; choose one of {', '.join(PRESETS)}")
        dataset = self.dataset if self.kind == "image" else "mnist"
        return dataclasses.replace(self, dataset=dataset, **PRESETS[name]).checked()

    def as_dict(self):
        return dataclasses.asdict(self)


def _text(value):
    return repr(value) if isinstance(value, float) else str(value)


def parse(key, text: str):
    """The value of setting ``key`` from its text in a URL."""
    setting = SETTINGS[key]
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
