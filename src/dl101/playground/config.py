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
import urllib.parse
from dataclasses import dataclass, field

from ..checks import Dl101Error
from .settings import (ACTIVATIONS, IMAGES, KIND_DEFAULTS, LIVE, MAX_CHANGES, MAX_LAYERS, MAX_WIDTH,
                       PRESETS, SETTINGS, coerce, parse, point_text, text_of)

__all__ = ["Config", "LIVE", "SETTINGS"]


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
    # the clicked points, [x1, x2, label] rounded to 3 decimals, when dataset is "points"
    points: list = field(default_factory=list)

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
        if self.dataset != "points":
            self.points = []  # a link carries the points only for the set made of them
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
                value = [":".join(map(text_of, change)) for change in value]
            elif name == "points":
                value = [point_text(point) for point in value]
            if value != getattr(default, name) or name == "dataset":
                pairs.append((name, ",".join(map(text_of, value)) if isinstance(value, list) else text_of(value)))
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
