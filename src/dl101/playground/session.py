"""One browser tab's playground: the model, the data and the Trainer, in plain Python.

The page sends commands (``{"cmd": "step"}``, ``{"cmd": "set", "key": "lr", "value": 0.1}``, ...);
:meth:`Session.handle` checks each one, acts on the engine and returns the messages to send back:
JSON-ready dicts (the state, errors) and binary frames (what the views draw, see :mod:`.frames`).
A bad command gives an error message and leaves the session as it was.

Training is the engine's: ``MLP(widths, σ per layer, output, init, seed)`` and
``Trainer(model, x, y, loss, optimiser, b, np.random.default_rng(seed))``, exactly what
``dl101.fit(model, x, y, seed=seed)`` builds, so N steps here give the weights N steps of ``fit``
give, and a link that says ``steps=N`` rebuilds that state.
"""

from __future__ import annotations

import copy
import dataclasses
import functools

import numpy as np

from .. import losses, optim
from ..checks import Dl101Error, check_targets
from ..mlp import MLP, classes_of
from ..threads import blas_threads, limited
from ..train import Trainer, TrainingDiverged
from . import problems, views, walk
from .config import LIVE, Config
from .views import finite

EVAL_ROWS = 2000       # the curves' train and test metrics use at most this many samples
HISTORY = 2000         # points kept on the curves (thinned by half beyond)
REBUILD = {"dataset", "n", "noise", "classes", "test", "subset", "hidden", "act", "init", "seed"}


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


def output_of(problem):
    """The output activation and loss of a problem: softmax + cross-entropy, or linear + MSE."""
    return ("linear", "mse") if problem.kind == "regression" else ("softmax", "cross_entropy")


def hidden_sigma(name):
    if name == "square":  # σ(z) = z², the polynomial of the uat figure
        from ..figures.uat import SQUARE
        return SQUARE
    return name


class Session:
    """The state of one tab. ``start`` (optional) is a finished run (:func:`open_finished_run`)."""

    def __init__(self, config: Config | None = None, start=None):
        self.start = start
        self.points, self.uploaded, self.drawn = [], None, None
        self.selected, self.playing, self.diverged = 0, False, None
        config = config or (start.config if start else Config())
        self.config = config.checked()
        self.build(self.config, from_start=start is not None)

    # --- building and replaying -----------------------------------------------------------------
    def build(self, config, from_start=False):
        """Data, model, optimiser and Trainer for ``config``; then replay ``config.steps`` steps,
        with the changes of λ, optimiser and b where they happened."""
        final = copy.deepcopy(config)  # the session's own (a run's start is shared by every tab)
        initial, events = final.schedule()
        config = dataclasses.replace(final, **initial, changes=[], steps=0)
        problem = self.problem_of(config)
        widths = [problem.x_train.shape[1], *config.hidden, problem.n_outputs]
        output, loss = output_of(problem)
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
        for step, key, value in events:  # the replay: each change where it happened
            if step > final.steps:
                break
            if step > self.steps:
                self.train(step - self.steps)
            if key in LIVE:
                self.apply_live(self.config.updated(key, value), log=False)
            else:
                self.set_parameter(key, value)
        if final.steps > self.steps:
            self.train(final.steps - self.steps)
        self.config = final.at_step(self.steps)

    def check_batch_size(self, bs, x):
        if bs > len(x):
            raise Dl101Error(f"bs: the batch size {bs} is larger than the {len(x)} training "
                             f"samples; use at most {len(x)}")

    def problem_of(self, config):
        if self.start is not None and config.dataset == self.start.config.dataset and (
                config.subset == self.start.config.subset):
            return self.start.problem
        if config.kind == "image":
            return problems.images(config)
        if config.kind == "regression":
            return problems.regression(config)
        if config.dataset == "points":
            return problems.from_points(self.points, config.test, config.seed)
        if config.dataset == "csv":
            if self.uploaded is None:
                raise Dl101Error("dataset csv: upload a CSV file of x1,x2,label lines first")
            return problems.from_arrays(*self.uploaded, config.test, config.seed)
        return problems.toy(config)

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
        return self.frame()

    def evaluate(self, x, y, rows=EVAL_ROWS):
        """(loss, accuracy or None) on at most ``rows`` samples (the first ones: a fixed subset)."""
        x, y = x[:rows], y[:rows]
        with np.errstate(all="ignore"):
            out = self.model.forward(x.astype(self.model.dtype, copy=False))
            last = self.model.layers[-1]
            targets = check_targets(self.model, y, len(x), self.loss)
            value = losses.output_error(self.loss, last.sigma, last.z, out, targets)[0]
        accuracy = float((classes_of(out) == targets).mean()) if self.loss.classification else None
        return float(value), accuracy

    def record(self):
        """One point of the curves: step, mean batch loss since the last point, train and test
        loss and accuracy (NaN where there is none)."""
        train_loss, train_acc = self.evaluate(self.x, self.y)
        test_loss, test_acc = self.evaluate(self.problem.x_test, self.problem.y_test)
        batch = float(np.mean(self.batch_losses)) if self.batch_losses else train_loss
        self.batch_losses = []
        nan = float("nan")
        self.history.append([self.steps, batch, train_loss, nan if train_acc is None else train_acc,
                             test_loss, nan if test_acc is None else test_acc])
        if len(self.history) > HISTORY:
            self.history = self.history[::2] + ([self.history[-1]] if len(self.history) % 2 == 0 else [])

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
            return [self.state(), self.frame(), diverged_message(err, self.config.lr)]
        return [*replies, self.frame()]

    def cmd_hello(self, message):
        """The page's URL query: rebuild that run (replaying its steps)."""
        query = _field(message, "query", str, "")
        config = Config.from_query(query)
        given = "dataset=" in query  # a page opened without settings starts from the run, if any
        if self.start is not None and (not given or _same_run(config.at_step(0), self.start.config)):
            self.build(config if given else dataclasses.replace(self.start.config, hide=config.hide),
                       from_start=True)
        else:
            self.build(config)
        return [self.state(), self.data_frame()]

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
        self.build(self.config.with_preset(_field(message, "name", str)))
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
        index = _field(message, "index", int)
        if not 0 <= index < len(self.problem.x_test):
            raise Dl101Error(f"select: index must lie in [0, {len(self.problem.x_test) - 1}], got {index}")
        self.selected, self.drawn = index, None
        return []

    def cmd_edit(self, message):
        """Set one weight [A_i]_{l,k} or bias [b_i]_k by hand (logged in ``changes``)."""
        i, k = _field(message, "layer", int), _field(message, "k", int)
        value = _field(message, "value", (int, float))
        param = _field(message, "param", str)
        if param not in ("A", "b"):
            raise Dl101Error(f'edit: param must be "A" or "b", got {param!r}')
        key = f"A{i}.{_field(message, 'l', int)}.{k}" if param == "A" else f"b{i}.{k}"
        self.set_parameter(key, value)
        self.config = self.config.with_change(self.steps, key, float(value))
        self.record()
        return []

    def set_parameter(self, key, value):
        """``A2.0.3`` = [A_2]_{0,3} (indices from 0) or ``b1.4`` = [b_1]_4, checked, set to ``value``."""
        if not abs(value) <= 100:
            raise Dl101Error(f"edit: the value must be a number in [-100, 100], got {value!r}")
        name, *index = key[1:].split(".")
        i, index = int(name), [int(j) for j in index]
        if not 1 <= i <= len(self.model.layers):
            raise Dl101Error(f"edit: layer must lie in [1, {len(self.model.layers)}], got {i}")
        layer = self.model.layers[i - 1]
        array = layer.A if key[0] == "A" else layer.b
        for axis, (j, size) in enumerate(zip(index, array.shape)):
            if not 0 <= j < size:
                raise Dl101Error(f"edit: {'lk'[axis] if key[0] == 'A' else 'k'} must lie in "
                                 f"[0, {size - 1}], got {j}")
        array[tuple(index)] = value

    def cmd_add_point(self, message):
        point = [_field(message, "x1", (int, float)), _field(message, "x2", (int, float)),
                 _field(message, "label", int)]
        points = problems.check_points(self.current_points() + [point])
        return self.use_points(points)

    def cmd_undo_point(self, message):
        return self.use_points(self.current_points()[:-1])

    def current_points(self):
        """The clicked points; when the page starts clicking, the current 2D set's points."""
        if self.config.dataset == "points" or self.problem.kind != "2d":
            return list(self.points)
        return [[float(a), float(b), int(c)] for (a, b), c in
                zip(np.concatenate([self.problem.x_train, self.problem.x_test]),
                    np.concatenate([self.problem.y_train, self.problem.y_test]))]

    def use_points(self, points):
        previous = self.points
        self.points = points
        try:
            self.build(self.config.updated("dataset", "points"))
        except Dl101Error:
            self.points = previous
            raise
        return [self.state(), self.data_frame()]

    def cmd_upload(self, message):
        text, name = _field(message, "text", str), _field(message, "name", str, "upload.csv")
        self.uploaded = problems.from_csv(text, self.config.test, self.config.seed, name)
        self.build(self.config.updated("dataset", "csv"))
        return [self.state(), self.data_frame()]

    def cmd_draw(self, message):
        """A drawing (grey levels 0..255, row-major, dark ink on light paper), prepared as
        ``dl101 predict`` prepares a picture."""
        from ..images import to_mnist
        if self.problem.kind != "image":
            raise Dl101Error("draw: drawing a digit needs the digits or MNIST data set")
        width, height = _field(message, "width", int), _field(message, "height", int)
        pixels = message.get("pixels")
        if not (8 <= width <= 512 and 8 <= height <= 512):
            raise Dl101Error(f"draw: width and height must lie in [8, 512], got {width}×{height}")
        if not isinstance(pixels, list) or len(pixels) != width * height or not all(
                isinstance(p, int) and not isinstance(p, bool) and 0 <= p <= 255 for p in pixels):
            raise Dl101Error(f"draw: pixels must be {width * height} integers in [0, 255]")
        grey = np.asarray(pixels, np.float64).reshape(height, width) / 255
        side = self.problem.image_shape[0]
        self.drawn = to_mnist(grey, box=round(side * 20 / 28), size=side, name="the drawing").ravel()
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
                "diverged": self.diverged, "from_run": self.start is not None}


    def data_frame(self):
        return views.data_frame(self)

    @with_blas_threads
    def frame(self):
        """The binary frame of the current state (see :mod:`.views`)."""
        return views.frame(self)

    def selected_input(self):
        """The input the network view shows: the drawing, else the selected test sample."""
        return self.drawn if self.drawn is not None else self.problem.x_test[self.selected]


COMMANDS = {name[4:]: function for name, function in vars(Session).items() if name.startswith("cmd_")}


def _same_run(a, b):
    """Whether two configurations describe the same network and data (steps and views aside)."""
    ignore = {"steps", "hide", "spf", "epochs", "changes"}
    return all(v == b.as_dict()[k] for k, v in a.as_dict().items() if k not in ignore)


def diverged_message(err, lr):
    """The page's message for a divergence: dl101's own, and the smaller lr it suggests."""
    return {"type": "error", "kind": "diverged", "message": str(err),
            "suggested_lr": err.suggested_lr or lr / 10}




def _field(message, name, kind, default=...):
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
