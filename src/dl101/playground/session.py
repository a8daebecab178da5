"""One browser tab's playground: the model, the data and the Trainer, in plain Python.

The page sends commands (``{"cmd": "step"}``, ``{"cmd": "set", "key": "lr", "value": 0.1}``, ...);
:meth:`Session.handle` checks each one, acts on the engine and returns the messages to send back:
JSON-ready dicts (the state, errors) and binary frames (what the views draw, see :mod:`.frames`).
A bad command gives an error message and leaves the session as it was.

Training is the engine's: ``MLP(widths, σ per layer, output, init, seed)`` and
``Trainer(model, x, y, loss, optimiser, b, np.random.default_rng(seed))``, exactly what
``dl101.fit(model, x, y, seed=seed)`` builds, so N steps here give the weights N steps of ``fit``
give, and a link that says ``steps=N`` rebuilds that state (:mod:`.replay`).

The session holds the state and trains; the commands that change it are in :mod:`.commands`
(settings and training) and :mod:`.inputs` (the page's own data: clicks, an upload, a drawing).
"""

from __future__ import annotations

import copy
import dataclasses
import functools

import numpy as np

from .. import losses, optim
from ..checks import Dl101Error, check_targets
from ..mlp import MLP
from ..threads import blas_threads, limited
from ..train import Trainer, TrainingDiverged
from . import curves, problems, views
from .commands import Commands, diverged_message
from .config import Config
from .inputs import Inputs
from .replay import link_note, replay
from .views import finite

__all__ = ["Session", "diverged_message"]

def advance(trainer, steps):
    """Take ``steps`` SGD steps; returns ``(their mini-batch losses, epochs finished)``: the one
    place the playground drives the Trainer."""
    report = trainer.advance(steps=steps)
    return report.losses, len(report.epochs)


def with_blas_threads(method):
    """Run ``method`` with the BLAS threads :func:`dl101.threads.blas_threads` picks for the
    model: one for the lecture's small products (a 300 × 64 SVD took 11 ms on two busy threads,
    1.2 ms on one), as ``dl101 mnist`` does."""
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        with limited(blas_threads(self.model.widths, self.config.bs)):
            return method(self, *args, **kwargs)
    return wrapper


def hidden_sigma(name):
    if name == "square":  # σ(z) = z², the polynomial of the uat figure
        from ..figures.uat import SQUARE
        return SQUARE
    return name


class Session(Commands, Inputs):
    """The state of one tab. ``start`` (optional) is a finished run (:func:`open_finished_run`)."""

    def __init__(self, config: Config | None = None, start=None):
        self.start = start
        self.points, self.uploaded, self.drawn = [], None, None
        self.selected, self.playing, self.diverged = 0, False, None
        config = config or (start.config if start else Config())
        self.config = config.checked()
        self.build(self.config, from_start=start is not None)

    # --- building -------------------------------------------------------------------------------
    def build(self, config, from_start=False):
        """Data, model, optimiser and Trainer for ``config`` at step 0; then :func:`.replay.replay`
        takes it to ``config.steps``, each logged change made where it happened."""
        final = copy.deepcopy(config)  # the session's own (a run's start is shared by every tab)
        if final.dataset == "points":  # back to the clicked points: the last ones, if not given
            final.points = final.points or [list(p) for p in self.points]
            self.points = [list(p) for p in final.points]
        initial, events = final.schedule()
        config = dataclasses.replace(final, **initial, changes=[], steps=0)
        problem = self.problem_of(config)
        widths = [problem.x_train.shape[1], *config.hidden, problem.n_outputs]
        output, loss = problem.output
        if from_start:
            model = self.start.model.astype(self.start.model.dtype)  # a copy: the run stays as read
        else:
            model = MLP(widths, [hidden_sigma(a) for a in config.act], output, config.init, config.seed)
        self.check_batch_size(config.bs, problem.x_train)
        self.problem, self.model, self.loss = problem, model, losses.get(loss)
        self.x = problem.x_train.astype(model.dtype, copy=False)
        self.y = check_targets(model, problem.y_train, len(self.x), self.loss)
        self.opt = optim.get(config.opt, model.parameters(flat=True), config.lr)
        self.trainer = Trainer(model, self.x, self.y, self.loss, self.opt, config.bs,
                               np.random.default_rng(config.seed))
        self.config, self.diverged, self.playing = config, None, False
        self.steps, self.epochs, self.history, self.batch_losses = 0, 0, [], []
        self.selected = min(self.selected, len(problem.x_test) - 1)
        if from_start:
            self.steps, self.epochs = self.start.steps, self.start.epochs
            self.history = [list(row) for row in self.start.history]
        self.record()
        replay(self, final, events)

    def check_batch_size(self, bs, x):
        if bs > len(x):
            raise Dl101Error(f"bs: the batch size {bs} is larger than the {len(x)} training "
                             f"samples; use at most {len(x)}")

    def problem_of(self, config):
        """The data of ``config``: the finished run's own, if it is that run's, else :func:`.problems.of`."""
        if self.start is not None and config.dataset == self.start.config.dataset and (
                config.subset == self.start.config.subset):
            return self.start.problem
        return problems.of(config, self.uploaded)

    # --- training ---------------------------------------------------------------------------------
    def train(self, steps):
        """``steps`` SGD steps, then one point on the curves; divergence pauses and is reported."""
        if self.diverged:
            raise Dl101Error(f"{self.diverged}; reset first (the weights hold NaN or inf)")
        before = self.trainer.step_count
        try:
            taken, finished = advance(self.trainer, steps)
        except TrainingDiverged as err:  # the steps before the one that diverged did happen
            self.playing, self.diverged = False, str(err)
            self.steps += self.trainer.step_count - before
            self.config.steps = self.steps
            raise
        self.steps += len(taken)
        self.epochs += finished
        self.config.steps = self.steps
        self.batch_losses += taken
        self.record()
        return taken

    def budget_left(self):
        """SGD steps left before the epoch budget is spent."""
        return max(0, self.config.epochs * self.trainer.n_batches - self.steps)

    @with_blas_threads
    def tick(self):
        """One frame of play: ``spf`` steps (within the budget, which pauses play when spent)."""
        k = min(self.config.spf, self.budget_left())
        if k:
            self.train(k)
        if not self.budget_left():
            self.playing = False
        return views.frame(self)  # views.frame: the threads are limited already

    def record(self):
        """One point on the curves (:mod:`.curves`)."""
        self.history = curves.appended(self.history, curves.point(self))
        self.batch_losses = []

    # --- commands ---------------------------------------------------------------------------------
    @with_blas_threads
    def handle(self, message):
        """Act on one message from the page; returns the list of replies (dicts and frames)."""
        if not isinstance(message, dict) or not isinstance(message.get("cmd"), str):
            raise Dl101Error('a message must be a JSON object with a "cmd" name, e.g. {"cmd": "step"}')
        command = COMMANDS.get(message["cmd"])
        if command is None:
            raise Dl101Error(f"unknown command {message['cmd']!r}; the commands are: "
                             f"{', '.join(sorted(COMMANDS))}")
        try:
            replies = command(self, message) or []
        except TrainingDiverged as err:
            return [self.state(), views.frame(self), diverged_message(err, self.config.lr)]
        return [*replies, views.frame(self)]  # views.frame: the threads are limited already

    # --- what the page draws ------------------------------------------------------------------
    def state(self):
        """The configuration (and its URL query) and the numbers the controls show."""
        last = self.history[-1]
        return {"type": "state", "config": self.config.as_dict(), "query": self.config.to_query(),
                "kind": self.problem.kind, "widths": self.model.widths, "playing": self.playing,
                "sigmas": [layer.sigma.name for layer in self.model.layers],
                "class_names": self.problem.class_names, "image_shape": list(self.problem.image_shape),
                "n_batches": self.trainer.n_batches, "step": self.steps, "epoch": self.epochs,
                "loss": finite(last[2]), "test_accuracy": finite(last[5]),
                "diverged": self.diverged, "from_run": self.start is not None,
                "link_note": link_note(self.config, Config().dataset)}

    def data_frame(self):
        return views.data_frame(self)

    @with_blas_threads
    def frame(self):
        """The binary frame of the current state (see :mod:`.views`)."""
        return views.frame(self)

    def selected_input(self):
        """The input the network view shows: the drawing, else the selected test sample."""
        return self.drawn if self.drawn is not None else self.problem.x_test[self.selected]


# the page's commands: every ``cmd_<name>`` method of the session's classes, by ``<name>``
COMMANDS = {name[4:]: function for cls in Session.__mro__ for name, function in vars(cls).items()
            if name.startswith("cmd_")}
