"""The replay of a link: a URL holds a run's settings, its step count and the log of what changed
while it ran (``changes``); training is deterministic, so building the run from its seed and taking
the same steps, each change made at its step, lands on the very weights the link was copied from.
Clicked points ride in the link too; an uploaded CSV cannot (up to 1 MB), and the page says so.
"""

from __future__ import annotations

from ..checks import Dl101Error
from .settings import HAND, LIVE

CSV_NOTE = ("this run uses your uploaded points: the link opens it with the built-in data set "
            "({dataset}); share the CSV too")
CSV_OPENED = ("this link's run trained on an uploaded CSV, which a link cannot carry: here is the "
              "built-in data set ({dataset}) with the same network and settings, from step 0; "
              "upload the CSV to train on it")


def link_note(config, default="moons"):
    """What the page says beside the link when the link cannot rebuild the run: None, or the note
    that an uploaded CSV does not ride in it."""
    return CSV_NOTE.format(dataset=default) if config.dataset == "csv" else None


def replay(session, final, events):
    """Take ``session``, built at step 0, to ``final.steps``: train up to each event ``(step, key,
    new value)`` of :meth:`.Config.schedule`, make it (a change of λ, the optimiser or b; a weight
    set by hand), and go on."""
    for step, key, value in events:  # the replay: each change where it happened
        if step > final.steps:
            break
        if step > session.steps:
            session.train(step - session.steps)
        if key in LIVE:
            session.apply_live(session.config.updated(key, value), log=False)
        else:
            set_parameter(session.model, key, value)
    if final.steps > session.steps:
        session.train(final.steps - session.steps)
    session.config = final.at_step(session.steps)


def set_parameter(model, key, value):
    """``A2.0.3`` = [A_2]_{0,3} (indices from 0) or ``b1.4`` = [b_1]_4, checked, set to ``value``."""
    if not HAND.low <= value <= HAND.high:  # the bound a link's logged edits are read with
        raise Dl101Error(f"edit: the value must be a number in [{HAND.low:g}, {HAND.high:g}], got {value!r}")
    name, *index = key[1:].split(".")
    i, index = int(name), [int(j) for j in index]
    if not 1 <= i <= len(model.layers):
        raise Dl101Error(f"edit: layer must lie in [1, {len(model.layers)}], got {i}")
    layer = model.layers[i - 1]
    array = layer.A if key[0] == "A" else layer.b
    for axis, (j, size) in enumerate(zip(index, array.shape)):
        if not 0 <= j < size:
            raise Dl101Error(f"edit: {'lk'[axis] if key[0] == 'A' else 'k'} must lie in "
                             f"[0, {size - 1}], got {j}")
    array[tuple(index)] = value


def same_run(a, b):
    """Whether two configurations describe the same network and data (steps and views aside)."""
    ignore = {"steps", "hide", "spf", "epochs", "changes"}
    return all(v == b.as_dict()[k] for k, v in a.as_dict().items() if k not in ignore)
