"""Labelled 2D points from a CSV file, for users who bring their own classification problem.

One point per line, ``x1,x2,label``, the label an integer class index >= 0. A first line that is
not numbers is taken as a header; blank lines and lines starting with ``#`` are skipped. Any other
malformed line stops the load with an error naming the file, the line and what was wrong.

>>> import tempfile, os
>>> path = os.path.join(tempfile.mkdtemp(), "points.csv")
>>> _ = open(path, "w").write("x1,x2,label\\n0.5,1.0,0\\n-1,2.5e-1,1\\n")
>>> x, y = load_points_csv(path)
>>> x.tolist(), y.tolist()
([[0.5, 1.0], [-1.0, 0.25]], [0, 1])
"""

from __future__ import annotations

import csv

import numpy as np

from ..checks import Dl101Error


def _row(fields, where):
    """(x1, x2, label) from the three fields of one line."""
    if len(fields) != 3:
        raise Dl101Error(f"{where}: expected 3 values (x1,x2,label), found {len(fields)}: "
                         f"{','.join(fields)!r}")
    try:
        x1, x2 = float(fields[0]), float(fields[1])
    except ValueError:
        raise Dl101Error(f"{where}: x1 and x2 must be numbers, got {fields[0]!r} and "
                         f"{fields[1]!r}") from None
    if not (np.isfinite(x1) and np.isfinite(x2)):
        raise Dl101Error(f"{where}: x1 and x2 must be finite, got {fields[0]!r} and {fields[1]!r}")
    label = fields[2].strip()
    if not (label.isascii() and label.isdigit() and len(label) < 10):
        raise Dl101Error(f"{where}: the label must be a class index 0, 1, 2, ..., got {label!r}")
    return x1, x2, int(label)


def load_points_csv(path):
    """The points of the CSV file ``path``: ``x`` float32 (n, 2) and ``y`` int64 (n,)."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:  # -sig: skip a BOM
            lines = list(enumerate(csv.reader(f), start=1))
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        raise Dl101Error(f"{path}: cannot read it as CSV: {err}") from None
    rows, first = [], True
    for number, fields in lines:
        fields = [field.strip() for field in fields]
        if not any(fields) or fields[0].startswith("#"):
            continue
        header, first = first and not _is_number(fields[0]), False
        if header:  # a first line such as x1,x2,label
            continue
        rows.append(_row(fields, f"{path}, line {number}"))
    if not rows:
        raise Dl101Error(f"{path}: no points found; expected lines of x1,x2,label")
    x = np.array([row[:2] for row in rows], dtype=np.float32)   # (n, 2)
    y = np.array([row[2] for row in rows], dtype=np.int64)      # (n,)
    return x, y


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False
