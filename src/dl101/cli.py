"""The ``dl101`` command line: one sub-command per job, each built from its settings dataclass.

Every sub-command lives in ``dl101.commands.<name>`` with a ``HELP`` line, ``add_arguments(parser)``
and ``run(args) -> exit code``. Errors the user can fix print one line and exit with status 2;
``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import sys
import typing

from .checks import Dl101Error

COMMANDS = ["mnist", "evaluate", "predict", "figures", "data", "gradcheck", "export", "notebook", "playground"]


def add_settings(parser, settings_class, skip=()):
    """One ``--option`` per field of a settings dataclass, its default and help shown in --help.

    A field's help is its ``metadata["help"]``; list fields take several values (``--widths 784 64 10``).
    """
    hints = typing.get_type_hints(settings_class)
    for f in dataclasses.fields(settings_class):
        if f.name in skip:
            continue
        default = f.default if f.default is not dataclasses.MISSING else f.default_factory()
        kind, options = hints[f.name], {}
        origin, args = typing.get_origin(kind), typing.get_args(kind)
        if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
            kind = next(a for a in args if a is not type(None))  # Optional[X] -> X
            origin, args = typing.get_origin(kind), typing.get_args(kind)
        if kind is bool:  # --force for a default False, --no-figures for a default True
            options["action"] = argparse.BooleanOptionalAction if default else "store_true"
        elif origin in (list, tuple):
            options.update(nargs="+", type=args[0], metavar=f.metadata.get("metavar", "K"))
        else:
            options["type"] = kind
        if "choices" in f.metadata:
            options["choices"] = f.metadata["choices"]
        help_text = f.metadata.get("help", "")
        if default is not None and not (kind is bool and not default):
            help_text += " (default: %(default)s)"
        parser.add_argument("--" + f.name.replace("_", "-"), dest=f.name, default=default,
                            help=help_text, **options)


def settings_from_args(settings_class, args):
    """The settings dataclass filled from parsed arguments."""
    names = {f.name for f in dataclasses.fields(settings_class)}
    return settings_class(**{k: v for k, v in vars(args).items() if k in names})


def build_parser():
    from . import __version__
    parser = argparse.ArgumentParser(prog="dl101", description="The AI 101 lecture's deep learning, "
                                     "from scratch in NumPy.")
    parser.add_argument("--version", action="version", version=f"dl101 {__version__}")
    parser.add_argument("--debug", action="store_true", help="show full tracebacks on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        module = importlib.import_module(f"dl101.commands.{name.replace('-', '_')}")
        command = sub.add_parser(name, help=module.HELP, description=module.HELP)
        command.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                             help="show full tracebacks on errors")
        module.add_arguments(command)
        command.set_defaults(command_function=module.run)  # a name no option of a command uses
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        return int(args.command_function(args) or 0)
    except Dl101Error as err:
        if args.debug:
            raise
        print(f"dl101 {args.command}: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"dl101 {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
