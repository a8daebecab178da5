"""Options from settings dataclasses: the command line of a job is built from its settings, so
``--help`` shows every field and its default, and parsed arguments fill the dataclass back."""

from __future__ import annotations

import argparse
import dataclasses
import types
import typing


def add_settings(parser, settings_class, skip=(), track_given=False):
    """One ``--option`` per field of a settings dataclass, its default and help shown in --help.

    A field's help is its ``metadata["help"]``; list fields take several values (``--widths 784 64 10``).
    ``track_given``: the parsed arguments hold only the options typed (the defaults are filled in
    by :func:`settings_from_args`), so that :func:`given` can tell ``--dataset mnist`` from no
    ``--dataset`` at all.
    """
    hints = typing.get_type_hints(settings_class)
    for f in dataclasses.fields(settings_class):
        if f.name in skip:
            continue
        default = f.default if f.default is not dataclasses.MISSING else f.default_factory()
        kind, options = hints[f.name], {}
        origin, args = typing.get_origin(kind), typing.get_args(kind)
        if origin in (typing.Union, getattr(types, "UnionType", None)):
            kind = next(a for a in args if a is not type(None))  # Optional[X] -> X
            origin, args = typing.get_origin(kind), typing.get_args(kind)
        if kind is bool:  # --force for a default False, --no-figures for a default True
            options["action"] = argparse.BooleanOptionalAction if default else "store_true"
        elif origin in (list, tuple):
            options.update(nargs="+", type=args[0], metavar=f.metadata.get("metavar", "K"))
        else:
            options["type"] = kind
            if "metavar" in f.metadata:
                options["metavar"] = f.metadata["metavar"]
        if "choices" in f.metadata:
            options["choices"] = f.metadata["choices"]
        help_text = f.metadata.get("help", "")
        if default is not None and not (kind is bool and not default):
            help_text += f" (default: {str(default).replace('%', '%%')})" if track_given else " (default: %(default)s)"
        parser.add_argument("--" + f.name.replace("_", "-"), dest=f.name,
                            default=argparse.SUPPRESS if track_given else default, help=help_text, **options)


def settings_from_args(settings_class, args):
    """The settings dataclass filled from parsed arguments."""
    names = {f.name for f in dataclasses.fields(settings_class)}
    return settings_class(**{k: v for k, v in vars(args).items() if k in names})


def given(settings_class, args) -> set:
    """The fields of ``settings_class`` typed on the command line (see ``track_given``)."""
    return {f.name for f in dataclasses.fields(settings_class)} & set(vars(args))
