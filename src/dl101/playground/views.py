"""What the page draws, computed from a session: the binary frames of :mod:`.frames`.

- ``data_frame``: the points, train and test (for images, a few test images), sent once per build;
- ``frame``: the state after the last step: every A_i and b_i; the latents x_0 .. x_L and the
  pre-activations z of the input shown; every neuron's map (over the plane for the 2D sets, along
  x for regression, its first-layer weights for images); the decision regions; the 1D fit and its
  shares; the drawn digit's probabilities and integrated gradients; each layer's representations
  on two principal components; the curves.
"""

from __future__ import annotations

import numpy as np

from ..attributions import completeness_error, integrated_gradients
from ..mlp import classes_of
from . import frames

GRID = 48              # each neuron's map over the 2D plane: GRID × GRID points
CURVE = 256            # the 1D views: points on the x axis
PCA_ROWS = 300         # the representations: this many test samples
IG_STEPS = 64          # integrated gradients of the drawn digit: trapezoid intervals


def data_frame(session):
    """The points (train and test) and the grid the maps are drawn on, sent once per build."""
    p = session.problem
    arrays = {"x_train": p.x_train, "y_train": p.y_train, "x_test": p.x_test, "y_test": p.y_test}
    if p.kind == "image":  # the points are images: send a few test images to pick from
        arrays = {"x_test": p.x_test[:24], "y_test": p.y_test[:24]}
    arrays["pca_y"] = np.asarray(p.y_test[:PCA_ROWS], np.float32).reshape(-1)
    if p.kind == "regression":
        from ..figures.uat import target
        arrays["curve_x"] = curve_x(session)
        arrays["curve_f"] = target(curve_x(session))
    return frames.encode({"type": "data", "kind": p.kind, "lo": p.lo, "hi": p.hi,
                          "class_names": p.class_names}, arrays)

def curve_x(session):
    return np.linspace(session.problem.lo[0], session.problem.hi[0], CURVE, dtype=np.float32)

def frame(session):
    """The binary frame of the current state (see the module :mod:`.frames`)."""
    model, p = session.model, session.problem
    header = {**{k: v for k, v in session.state().items() if k != "type"}, "type": "frame",
              "selected": session.selected, "drawn": session.drawn is not None}
    arrays = {}
    for i, layer in enumerate(model.layers, 1):
        arrays[f"A{i}"], arrays[f"b{i}"] = layer.A, layer.b
    with np.errstate(all="ignore"):
        model.forward(session.selected_input()[None].astype(model.dtype))
        for i, x in enumerate(model.latents):
            arrays[f"x{i}"] = np.nan_to_num(x[0])
        arrays["z"] = np.concatenate([np.nan_to_num(layer.z[0]) for layer in model.layers])
        if p.kind == "2d":
            arrays.update(plane_maps(session))
        elif p.kind == "regression":
            arrays.update(curve_maps(session, header))
        else:
            arrays.update(image_maps(session, header))
        arrays["pca"] = representations(session)
    arrays["history"] = np.array(session.history, np.float32)
    return frames.encode(header, arrays)

def plane_maps(session):
    """Every neuron's value over a GRID × GRID grid of the plane, and the decision regions."""
    p = session.problem
    u = np.linspace(p.lo[0], p.hi[0], GRID)
    v = np.linspace(p.hi[1], p.lo[1], GRID)  # row 0 at the top of the picture
    uu, vv = np.meshgrid(u, v)
    grid = np.column_stack([uu.ravel(), vv.ravel()]).astype(session.model.dtype)
    out = session.model.forward(grid)
    maps, scale = _as_bytes(session.model.latents, (GRID, GRID))  # x_0 (the plane) too
    return {"maps": maps, "map_scale": scale,
            "regions": classes_of(out).astype(np.uint8).reshape(GRID, GRID),
            "confidence": (np.nan_to_num(out.max(1)) * 255).astype(np.uint8).reshape(GRID, GRID)}

def curve_maps(session, header):
    """The 1D views: g(x), each neuron's value along x, and the last hidden layer's shares
    C_k σ(A_k x + b_k) whose sum (plus the output bias) is g."""
    from ..figures.uat import target
    x = curve_x(session)[:, None]
    g = session.model.forward(x.astype(session.model.dtype))
    maps, scale = _as_bytes(session.model.latents, (1, CURVE))
    last = session.model.layers[-1]
    parts = last.x_prev * last.A[:, 0]  # (CURVE, k_{L-1}): each neuron's share of g
    inside = (x[:, 0] >= -1) & (x[:, 0] <= 1)
    header["sup_error"] = finite(float(np.abs(g[inside, 0] - target(x[inside, 0])).max()))
    return {"maps": maps, "map_scale": scale, "curve_g": np.nan_to_num(g[:, 0]),
            "parts": np.nan_to_num(parts.T)}

def image_maps(session, header):
    """The image views: the first layer's weights as images, and for the input shown (the
    drawing, else a test image) its probabilities and integrated-gradients map."""
    x0 = session.selected_input()[None].astype(session.model.dtype)
    proba = np.nan_to_num(session.model.forward(x0)[0])
    c = int(proba.argmax())
    A1 = session.model.layers[0].A                                        # (pixels, k_1)
    maps, scale = _as_bytes([A1], tuple(session.problem.image_shape))  # neuron k: [A_1]_{:,k}
    ig = integrated_gradients(session.model, x0, [c], steps=IG_STEPS)
    header.update(prediction=c, completeness=finite(float(completeness_error(session.model, x0, [c], ig)[0])),
                  ig_sum=finite(float(ig.sum())), gap=finite(float(proba[c] - session.model.forward(
                      np.zeros_like(x0))[0, c])))
    return {"maps": maps, "map_scale": scale, "proba": proba, "ig": np.nan_to_num(ig[0]),
            "input": x0[0]}

def representations(session):
    """Each layer's activations x_0 .. x_{L-1} of the first test samples, projected on their
    first two principal components (NumPy's SVD): (L, n, 2). The inputs x_0 do not change
    while training, so their projection is computed once per data set."""
    x0 = session.problem.x_test[:PCA_ROWS]
    if getattr(session, "pca_inputs", (None,))[0] is not session.problem:
        session.pca_inputs = (session.problem, pca_2d(x0))
    session.model.forward(x0.astype(session.model.dtype))
    return np.stack([session.pca_inputs[1], *(pca_2d(x) for x in session.model.latents[1:-1])])


def pca_2d(z):
    """The rows of ``z`` (n, k) on their first two principal components, signs fixed so that the
    map does not flip between frames; a zero column where there is no second one."""
    z = np.nan_to_num(np.asarray(z, np.float64))
    z = z - z.mean(0)
    u, s, vt = np.linalg.svd(z, full_matrices=False)
    points = np.zeros((len(z), 2))
    m = min(2, len(s))
    signs = np.sign(vt[np.arange(m), np.abs(vt[:m]).argmax(1)])
    points[:, :m] = u[:, :m] * s[:m] * np.where(signs == 0, 1, signs)
    return points


def _as_bytes(latents, shape):
    """Every neuron's values as uint8 images of ``shape`` (0 maps to 128), each scaled by its own
    largest |value| (returned beside, float32)."""
    values = np.concatenate([np.nan_to_num(x.reshape(-1, x.shape[-1])) for x in latents], axis=1).T
    scale = np.abs(values).max(1)
    safe = np.where(scale > 0, scale, 1)
    images = np.rint(127.5 + 127.5 * values / safe[:, None]).astype(np.uint8)
    return images.reshape(len(values), *shape), scale.astype(np.float32)


def finite(value):
    """``value``, or None where it is not a finite number (JSON has no NaN)."""
    return value if value is not None and np.isfinite(value) else None
