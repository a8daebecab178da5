"""What the page downloads: the model as ``dl101.save_model`` writes it (model.npz + model.json,
read back by ``dl101.load_model`` and ``dl101 export``), and the figures ``dl101 figures`` draws
for this model (the network as the lecture draws it, the decision regions), as PNG or SVG."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

from ..checks import Dl101Error
from ..saving import save_model

FILES = {"model.npz": "application/octet-stream", "model.json": "application/json",
         "network.png": "image/png", "network.svg": "image/svg+xml",
         "regions.png": "image/png", "regions.svg": "image/svg+xml"}


def model_file(session, name) -> bytes:
    """``model.npz`` or ``model.json`` of the session's model, as :func:`dl101.save_model` writes them."""
    with tempfile.TemporaryDirectory(prefix="dl101-playground-") as folder:
        save_model(session.model, folder)
        return (Path(folder) / name).read_bytes()


def network(session):
    """The lecture's drawing of the network for the input the page shows."""
    from ..figures.network import network_figure
    p, model = session.problem, session.model
    x0 = session.selected_input()
    shape = p.image_shape or (len(x0), 1)  # a 2D or 1D input: a column of its values
    names = p.class_names or ["g(x)"]
    widths = "-".join(map(str, model.widths))
    return network_figure(model, x0, shape, names, title=f"The {widths} network of the playground "
                          f"after {session.steps} steps: red A > 0, blue A < 0, opacity ∝ the "
                          f"previous neuron's activation")


def regions(session):
    """The decision regions over the plane, the test points on top (2D sets only)."""
    from matplotlib.figure import Figure

    from ..figures.regions import draw_regions
    p, model = session.problem, session.model
    if p.kind != "2d":
        raise Dl101Error("the regions figure is drawn for the 2D data sets only")
    k = p.n_classes

    def shade(points):  # the probability of class 1, or the predicted class scaled to [0, 1]
        proba = model.predict_proba(points.astype(model.dtype))
        return proba[:, 1] if k == 2 else proba.argmax(1) / (k - 1)

    accuracy = float((model.predict(p.x_test) == p.y_test).mean())
    fig = Figure(figsize=(5.5, 5), layout="constrained")
    draw_regions(fig.subplots(), shade, p.x_test, p.y_test, accuracy=accuracy,
                 title=f"{'-'.join(map(str, model.widths))} after {session.steps} steps")
    return fig


def figure_file(session, name) -> bytes:
    """``network.png``, ``regions.svg``, ...: the figure saved by :func:`dl101.figures.save`."""
    from ..figures import save
    kind, fmt = name.rsplit(".", 1)
    fig = {"network": network, "regions": regions}[kind](session)
    with tempfile.TemporaryDirectory(prefix="dl101-playground-") as folder:
        (path,) = save(fig, folder, kind, formats=(fmt,))
        return Path(path).read_bytes()


def download(session, name) -> bytes:
    if name not in FILES:
        raise Dl101Error(f"unknown download {name!r}; the files are: {', '.join(FILES)}")
    if not np.isfinite(session.model.theta).all():
        raise Dl101Error("the weights hold NaN or inf after a divergence; reset first")
    return (model_file if name.startswith("model.") else figure_file)(session, name)
