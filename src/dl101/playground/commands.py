"""The page's commands on the settings and the training: each ``cmd_<name>`` method answers
``{"cmd": "<name>", ...}``, checks its fields (:func:`field`) and returns the replies; a bad one
raises :class:`~dl101.checks.Dl101Error` before changing anything.

They are a mixin of :class:`~.session.Session` (``self`` is the session), kept apart so that the
session module reads as the state and the training, this one as what the page can ask of them.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from .. import optim
from ..checks import Dl101Error
from ..train import Trainer
from . import walk
from .config import LIVE, Config
from .replay import CSV_OPENED, same_run, set_parameter

# the settings whose change starts a new run (new data or a new network), from step 0
REBUILD = {"dataset", "n", "noise", "classes", "test", "subset", "hidden", "act", "init", "seed",
           "points"}


class Commands:
    """Settings, training and the network view's commands of one session."""

    def cmd_hello(self, message):
        """The page's URL query: rebuild that run (replaying its steps)."""
        query = field(message, "query", str, "")
        config, notices = Config.from_query(query), []
        if config.dataset == "csv" and self.uploaded is None:  # a link cannot carry the upload
            config = dataclasses.replace(config, dataset=Config().dataset, steps=0, changes=[])
            notices.append({"type": "notice", "message": CSV_OPENED.format(dataset=config.dataset)})
        given = "dataset=" in query  # a page opened without settings starts from the run, if any
        if self.start is not None and (not given or same_run(config.at_step(0), self.start.config)):
            self.build(config if given else dataclasses.replace(self.start.config, hide=config.hide),
                       from_start=True)
        else:
            self.build(config)
        return [*notices, self.state(), self.data_frame()]

    def cmd_set(self, message):
        """Change settings, ``{"key": k, "value": v}`` or several at once ``{"values": {k: v}}``:
        the data or the network rebuild the run (from step 0), ``steps`` goes to that step
        (replaying when it is behind), the others change the run as it goes."""
        values = message.get("values", {message.get("key"): message.get("value")})
        if not isinstance(values, dict) or not values:
            raise Dl101Error('set: give "key" and "value", or "values": {key: value, ...}')
        new = self.config
        for key, value in values.items():
            new = new.updated(key, value)
        if set(values) == {"steps"} and new.steps >= self.steps:
            if new.steps > self.steps:
                self.train(new.steps - self.steps)
            return [self.state()]
        if set(values) & (REBUILD | {"steps"}):
            if "steps" not in values:  # new data or a new network: a new run, from step 0
                new.steps, new.changes = 0, []
            self.build(new)
            return [self.state(), self.data_frame()]
        self.apply_live(new)
        return [self.state()]

    def apply_live(self, new, log=True):
        """Settings that change while training runs: λ, the optimiser, b (each change logged in
        ``changes``, so that a link replays it), the budget, spf, hide."""
        old = self.config
        self.check_batch_size(new.bs, self.x)
        for key in LIVE if log else ():
            if getattr(new, key) != getattr(old, key):
                new = new.with_change(self.steps, key, getattr(old, key))
        self.config = new
        if new.opt != old.opt:  # a new optimiser: its state (momentum, Adam's means) starts at 0
            self.opt = optim.get(new.opt, self.model.parameters(flat=True), new.lr)
            self.trainer.opt = self.opt
        self.opt.lr = new.lr
        if new.bs != old.bs:
            self.trainer = Trainer(self.model, self.x, self.y, self.loss, self.opt, new.bs,
                                   self.trainer.rng)  # the data order's generator goes on

    def cmd_preset(self, message):
        self.build(self.config.with_preset(field(message, "name", str)))
        return [self.state(), self.data_frame()]

    def cmd_play(self, message):
        on = message.get("on", not self.playing)
        if not isinstance(on, bool):
            raise Dl101Error(f'play: "on" must be true or false, got {on!r}')
        if on and self.diverged:
            raise Dl101Error(f"{self.diverged}; reset first (the weights hold NaN or inf)")
        if on and not self.budget_left():
            raise Dl101Error(f"the epoch budget of {self.config.epochs} epochs is spent; raise "
                             f"epochs or reset")
        self.playing = on
        return [self.state()]

    def cmd_step(self, message):
        self.playing = False
        self.train(1)
        return [self.state()]

    def cmd_epoch(self, message):
        self.playing = False
        self.train(self.trainer.n_batches - self.trainer.position)
        return [self.state()]

    def cmd_reset(self, message):
        """Back to step 0 with the settings as they are now: the same seed, the same weights."""
        new = dataclasses.replace(self.config, steps=0, changes=[])
        self.build(new, from_start=False)
        return [self.state(), self.data_frame()]

    def cmd_select(self, message):
        """The input the network view shows: a test sample's index."""
        index = field(message, "index", int)
        if not 0 <= index < len(self.problem.x_test):
            raise Dl101Error(f"select: index must lie in [0, {len(self.problem.x_test) - 1}], got {index}")
        self.selected, self.drawn = index, None
        return []

    def cmd_edit(self, message):
        """Set one weight [A_i]_{l,k} or bias [b_i]_k by hand (logged in ``changes``)."""
        i, k = field(message, "layer", int), field(message, "k", int)
        value = field(message, "value", (int, float))
        param = field(message, "param", str)
        if param not in ("A", "b"):
            raise Dl101Error(f'edit: param must be "A" or "b", got {param!r}')
        key = f"A{i}.{field(message, 'l', int)}.{k}" if param == "A" else f"b{i}.{k}"
        set_parameter(self.model, key, value)
        self.config = self.config.with_change(self.steps, key, float(value))
        self.record()
        return []

    def cmd_walk(self, message):
        """One SGD step walked through as the lecture does: the stepper's data."""
        self.playing = False
        if self.diverged:
            raise Dl101Error(f"{self.diverged}; reset first")
        before = self.steps
        walked = walk.walk_step(self, lambda: self.train(1))
        assert self.steps == before + 1
        return [self.state(), walked]


def diverged_message(err, lr):
    """The page's message for a divergence: dl101's own, and the smaller lr it suggests (the
    Trainer's :func:`~dl101.divergence.suggest_lr`, so that the button and the message agree)."""
    suggested = err.suggested_lr if getattr(err, "suggested_lr", None) else lr / 10
    return {"type": "error", "kind": "diverged", "message": str(err), "suggested_lr": suggested}


def field(message, name, kind, default=...):
    """``message[name]`` of type ``kind`` (bool is not an int), or an error naming it."""
    if name not in message:
        if default is not ...:
            return default
        raise Dl101Error(f"{message.get('cmd')}: {name!r} is missing")
    value = message[name]
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, bool) or not isinstance(value, kinds) or (
            isinstance(value, float) and not np.isfinite(value)):
        names = " or ".join({int: "an integer", float: "a number", str: "a text"}[k] for k in kinds)
        raise Dl101Error(f"{message.get('cmd')}: {name!r} must be {names}, got {value!r}")
    return value
