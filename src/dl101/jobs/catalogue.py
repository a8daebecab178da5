"""Every figure of the lecture by name: what ``dl101 figures`` draws.

Each entry is a function of a :class:`Context` that returns ``{file name: Figure}`` (one figure
mostly; the back-propagation frames are several, and their :class:`~dl101.figures.save.Animation`
a GIF). The
context loads the data and trains the networks the figures share once, lazily, from the same
engine (see :mod:`.networks`): the figures draw; this job trains and reads runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Context:
    """What the figures share: the seed, the data cache, an optional trained run, and what is
    computed from them (loaded or trained once, on first use).

    ``threads`` caps the BLAS and OpenMP threads while a figure is computed (None: no cap). The
    figures' networks and t-SNE work on small matrices, where a second thread gains little, but
    where another busy process makes the threads wait on each other: training the 784-64-32-10
    network took 37 s per epoch with two threads on two busy cores, 0.5 s with one.
    """

    seed: int = 0
    cache_dir: str | None = None
    run: str | None = None
    threads: int | None = 1
    _cache: dict = field(default_factory=dict, repr=False)

    def once(self, key, make):
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    def figures(self, name):
        """The files of figure ``name``: ``{file name: Figure or Animation}``."""
        from ..extras import available, require
        from ..threads import limited
        require(NEEDS.get(name, ()), f"the '{name}' figure")
        if available("sklearn"):
            import sklearn  # noqa: F401 (loads its OpenMP runtime: the cap reaches only libraries loaded)
        with limited(self.threads):
            return FIGURES[name](self)


def _ai_family(ctx):
    from ..figures.ai_family import ai_family_figure
    from .toy_models import ai_family_results
    return {"ai-family": ai_family_figure(ai_family_results(seed=ctx.seed))}


def _uat(ctx):
    from ..figures.uat import uat_figure
    from .toy_models import uat_results
    return {"uat": uat_figure(uat_results(seed=ctx.seed))}


def _small_nn(ctx):
    from ..figures.small_nn import small_nn_figure
    from .toy_models import small_nn_results
    return {"small-nn": small_nn_figure(small_nn_results(seed=ctx.seed))}


def _representations(ctx):
    from .networks import lecture_network
    from ..figures.representations import representations_figure
    net = lecture_network(ctx)
    d = net.dataset
    return {"representations": representations_figure(net.model, d.x_test, d.y_test, d.class_names,
                                                      seed=ctx.seed)}


def _first_layer_weights(ctx):
    from .networks import lecture_network
    from ..figures.representations import first_layer_weights
    net = lecture_network(ctx)
    return {"first-layer-weights": first_layer_weights(net.model, net.dataset.image_shape)}


def _activations(ctx):
    from ..figures.activations import activations_figure
    return {"activations": activations_figure()}


def _network(ctx):
    from ..figures.network import network_figure
    from .networks import example_digit, four_class_network
    net = four_class_network(ctx)
    d = net.dataset
    x, _ = example_digit(net, ctx.seed)
    return {"network": network_figure(net.model, x, d.image_shape, d.class_names)}


def _backprop(ctx):
    from ..figures.backprop import backprop_figures
    from .networks import example_digit, four_class_network
    net = four_class_network(ctx)
    d = net.dataset
    x, _ = example_digit(net, ctx.seed)
    return backprop_figures(net.model, x, d.image_shape, d.class_names)


def _mnist_samples(ctx):
    from .networks import lecture_data
    from ..figures.training import samples
    d = lecture_data(ctx)
    return {"mnist-samples": samples(d.x_train, d.y_train, d.class_names, d.image_shape, seed=ctx.seed)}


def _training_curves(ctx):
    from .networks import lecture_network
    from ..figures.training import training_curves
    net = lecture_network(ctx)
    from .fitting import val_name
    return {"training-curves": training_curves(net, "-".join(map(str, net.model.widths)),
                                                 val_label=val_name(net.settings))}


def _confusion_matrix(ctx):
    from .networks import lecture_network
    from ..figures.training import confusion_matrix
    net = lecture_network(ctx)
    d = net.dataset
    return {"confusion-matrix": confusion_matrix(d.y_test, net.test_predictions(), d.class_names)}


def _shap(ctx):
    from ..figures.explanations import digits_of_different_classes, explanations_figure
    from .networks import lecture_network
    net = lecture_network(ctx)
    d = net.dataset
    pick = digits_of_different_classes(d.y_test, 4, ctx.seed)
    return {"shap": explanations_figure(net.model, d.x_test[pick], d.y_test[pick], d.class_names,
                                       d.image_shape, seed=ctx.seed)}


FIGURES = {  # in the lecture's order
    "ai-family": _ai_family,
    "uat": _uat,
    "small-nn": _small_nn,
    "representations": _representations,
    "first-layer-weights": _first_layer_weights,
    "activations": _activations,
    "network": _network,
    "backprop": _backprop,
    "mnist-samples": _mnist_samples,
    "training-curves": _training_curves,
    "confusion-matrix": _confusion_matrix,
    "shap": _shap,
}
# what a figure imports beyond the base install (dl101.extras names the extra that installs it)
NEEDS = {"representations": ["sklearn"], "shap": ["shap"]}


def drawable(names):
    """``names`` split into (those this install can draw, those whose packages are missing)."""
    from ..extras import available
    missing = [n for n in names if not all(available(p) for p in NEEDS.get(n, ()))]
    return [n for n in names if n not in missing], missing


def draw(names, ctx, out, log=print, formats=("png", "svg"), dpi=150):
    """Draw the named figures into ``out`` in ``formats`` (animations as GIF); returns the paths
    written. ``log`` hears ``[k/N] name ...`` as each figure starts, and its time when done."""
    import time
    from ..figures.save import Animation, save
    paths = []
    for k, name in enumerate(names, 1):
        log(f"[{k}/{len(names)}] {name} ...")
        start = time.perf_counter()
        for file_name, fig in ctx.figures(name).items():
            if isinstance(fig, Animation):
                paths += fig.save(out, file_name)
            else:
                paths += save(fig, out, file_name, formats, dpi)
        log(f"[{k}/{len(names)}] {name}: {time.perf_counter() - start:.1f} s")
    return paths
