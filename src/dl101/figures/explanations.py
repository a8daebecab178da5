"""The lecture's "with an interpretation tool such as SHAP": which pixels made the network say "7".

Left, SHAP values computed by the ``shap`` library on dl101's ``predict_proba``, one map per class,
in the image style SHAP users know (``shap.image_plot``: red pushes the class's probability up,
blue down, over a faint grey copy of the digit). ``shap.image_plot`` draws on pyplot's own new
figure and cannot target a given one, so its style is reproduced here with SHAP's own colour map.
SHAP's image masker hides pixels by setting them to 0, the black image, and its partition
explainer's values add up to f_c(x) - f_c(black) exactly.

Right, dl101's own attributions for the predicted class, through the engine's backward pass
(:mod:`dl101.attributions`): gradient × input, and integrated gradients from the same black
baseline, which add up to the same f_c(x) - f_c(black) up to the trapezoid rule's error, checked
and printed under each map. Every map of a row shares one colour scale, so they can be compared.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from .. import attributions


def digits_of_different_classes(y, n=4, seed=0):
    """Indices of ``n`` examples, each of another class, picked with ``seed``, in class order."""
    rng = np.random.default_rng(seed)
    classes = np.sort(rng.choice(np.unique(y), n, replace=False))
    return np.array([rng.choice(np.flatnonzero(y == c)) for c in classes])


def shap_values(model, x, image_shape, max_evals=2000, seed=0):
    """SHAP values of every class for each row of ``x`` (N, pixels): shape (N, pixels, classes)."""
    import shap
    shape = (*image_shape, 1)  # the image masker wants a channel axis

    def predict(images):
        return model.predict_proba(images.reshape(len(images), -1))

    explainer = shap.Explainer(predict, shap.maskers.Image(0.0, shape), seed=seed)
    explanation = explainer(x.reshape(-1, *shape), max_evals=max_evals, batch_size=500, silent=True)
    return explanation.values.reshape(len(x), -1, model.widths[-1])


def explain(model, x, image_shape, steps=128, max_evals=2000, seed=0):
    """Everything the figure shows, for the rows of ``x``: the predicted class, SHAP values of
    every class, and, for the predicted class, gradient × input, integrated gradients and
    their completeness error."""
    c = model.predict(x)
    ig = attributions.integrated_gradients(model, x, c, steps=steps)
    return {"predicted": c, "shap": shap_values(model, x, image_shape, max_evals, seed),
            "gradient_x_input": attributions.gradient_times_input(model, x, c),
            "integrated_gradients": ig, "completeness": attributions.completeness_error(model, x, c, ig),
            "probability": attributions.outputs(model, x, c)}


def explanations_figure(model, x, y, class_names, image_shape, steps=128, max_evals=2000, seed=0,
                        found=None) -> Figure:
    """One row per digit of ``x``: the digit, SHAP for each class, then dl101's two maps
    (``found``: what :func:`explain` gives for ``x``, else computed here)."""
    from shap.plots.colors import red_transparent_blue
    found = found if found is not None else explain(model, x, image_shape, steps, max_evals, seed)
    n, k = len(x), len(class_names)
    fig = Figure(figsize=(1.25 * (k + 4), 1.45 * n + 1.6), layout="constrained")
    grid = fig.add_gridspec(n, k + 4, width_ratios=[1] * (k + 1) + [0.3, 1, 1])
    ours = {"gradient_x_input": "dl101:\ngradient × input",
            "integrated_gradients": "dl101:\nintegrated gradients"}
    for row in range(n):
        c = found["predicted"][row]
        maps = [found["shap"][row, :, j] for j in range(k)] + [found[key][row] for key in ours]
        vmax = np.nanpercentile(np.abs(maps), 99.9)  # shap.image_plot's scale, over the whole row
        digit = np.reshape(x[row], image_shape)
        ax = fig.add_subplot(grid[row, 0])
        ax.imshow(digit, cmap="gray")
        ax.set_title(f"true {class_names[y[row]]}, says {class_names[c]}\n"
                     f"p = {found['probability'][row]:.0%}", fontsize=9)
        ax.axis("off")
        columns = list(range(1, k + 1)) + [k + 2, k + 3]
        titles = [f"SHAP: {name}" for name in class_names] + list(ours.values())
        for column, values, title in zip(columns, maps, titles):
            ax = fig.add_subplot(grid[row, column])
            ax.imshow(digit, cmap="gray", alpha=0.15)
            image = ax.imshow(np.reshape(values, image_shape), cmap=red_transparent_blue,
                              vmin=-vmax, vmax=vmax)
            ax.axis("off")
            if row == 0:
                ax.set_title(title, fontsize=9)
        ax.text(0.5, -0.04, f"Σ = f(x) - f(0) within {found['completeness'][row]:.2%}",
                transform=ax.transAxes, ha="center", va="top", fontsize=8)
    bar = fig.colorbar(image, ax=fig.axes, orientation="horizontal", shrink=0.5, aspect=40,
                       label="attribution: change in the class probability (SHAP value)")
    bar.outline.set_visible(False)
    fig.suptitle("Which pixels push each class's probability up (red) or down (blue), black image "
                 "as baseline: SHAP (left) and dl101's backward pass (right, predicted class)", fontsize=12)
    return fig
