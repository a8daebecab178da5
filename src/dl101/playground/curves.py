"""The curves: loss and accuracy, train and test, against SGD steps.

One row per point, ``[step, mean batch loss since the last point, train loss, train accuracy,
test loss, test accuracy]`` (NaN where there is no accuracy: regression), measured on a fixed
subset of at most :data:`EVAL_ROWS` samples so that a point costs the same however large the data.
"""

from __future__ import annotations

import numpy as np

from .. import losses
from ..checks import check_targets
from ..mlp import classes_of

EVAL_ROWS = 2000       # the curves' train and test metrics use at most this many samples
HISTORY = 2000         # points kept on the curves (thinned by half beyond)


def evaluate(model, loss, x, y, rows=EVAL_ROWS):
    """(loss, accuracy or None) on at most ``rows`` samples (the first ones: a fixed subset)."""
    x, y = x[:rows], y[:rows]
    with np.errstate(all="ignore"):
        out = model.forward(x.astype(model.dtype, copy=False))
        last = model.layers[-1]
        targets = check_targets(model, y, len(x), loss)
        value = losses.output_error(loss, last.sigma, last.z, out, targets)[0]
    accuracy = float((classes_of(out) == targets).mean()) if loss.classification else None
    return float(value), accuracy


def point(session):
    """The session's row now: its step, the mean of the batch losses since the last row, train
    and test loss and accuracy."""
    train_loss, train_acc = evaluate(session.model, session.loss, session.x, session.y)
    test_loss, test_acc = evaluate(session.model, session.loss, session.problem.x_test,
                                   session.problem.y_test)
    batch = float(np.mean(session.batch_losses)) if session.batch_losses else train_loss
    nan = float("nan")
    return [session.steps, batch, train_loss, nan if train_acc is None else train_acc,
            test_loss, nan if test_acc is None else test_acc]


def appended(history, row):
    """``history`` with ``row`` at the end, thinned by half (the last row kept) beyond
    :data:`HISTORY` rows, so that a long run's curves stay a fixed size."""
    history = [*history, row]
    if len(history) > HISTORY:
        history = history[::2] + ([history[-1]] if len(history) % 2 == 0 else [])
    return history
