"""Every figure of the lecture by name: what ``dl101 figures`` draws.

Each entry is a function of a :class:`Context` that returns ``{file name: Figure}`` (one figure
mostly; the back-propagation frames are several, and their :class:`~.save.Animation` a GIF). The
context loads the data and trains the networks the figures share once, lazily, from the same
engine (see :mod:`.networks`).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Context:
    """What the figures share: the seed, the data cache, an optional trained run, and what is
    computed from them (loaded or trained once, on first use)."""

    seed: int = 0
    cache_dir: str | None = None
    run: str | None = None
    _cache: dict = field(default_factory=dict, repr=False)

    def once(self, key, make):
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]


def _ai_family(ctx):
    from .ai_family import ai_family_figure
    return {"ai-family": ai_family_figure(seed=ctx.seed)}


def _uat(ctx):
    from .uat import uat_figure
    return {"uat": uat_figure(seed=ctx.seed)}


def _small_nn(ctx):
    from .small_nn import small_nn_figure
    return {"small-nn": small_nn_figure(seed=ctx.seed)}


def _activations(ctx):
    from .activations import activations_figure
    return {"activations": activations_figure()}


def _network(ctx):
    from .network import network_figure
    from .networks import example_digit, four_class_network
    net = four_class_network(ctx)
    d = net.dataset
    return {"network": network_figure(net.model, example_digit(net, ctx.seed)[0], d.image_shape, d.class_names)}


def _backprop(ctx):
    from .backprop import backprop_figures
    from .networks import example_digit, four_class_network
    net = four_class_network(ctx)
    d = net.dataset
    return backprop_figures(net.model, example_digit(net, ctx.seed)[0], d.image_shape, d.class_names)


FIGURES = {  # in the lecture's order
    "ai-family": _ai_family,
    "uat": _uat,
    "small-nn": _small_nn,
    "activations": _activations,
    "network": _network,
    "backprop": _backprop,
}


def draw(names, ctx, out, log=print):
    """Draw the named figures into ``out`` (PNG and SVG, GIF for animations); returns the paths
    written."""
    import time
    from .save import Animation, save
    paths = []
    for name in names:
        start = time.perf_counter()
        for file_name, fig in FIGURES[name](ctx).items():
            paths += fig.save(out, file_name) if isinstance(fig, Animation) else save(fig, out, file_name)
        log(f"{name}: {time.perf_counter() - start:.1f} s")
    return paths
