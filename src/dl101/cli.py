"""The ``dl101`` command line: one sub-command per module of :mod:`dl101.commands`.

Every sub-command lives in ``dl101.commands.<name>`` with a ``HELP`` line, ``add_arguments(parser)``
and ``run(args) -> exit code``. ``mnist``, ``gradcheck`` and ``export`` build their options from a
settings dataclass (:mod:`dl101.commands.options`); ``evaluate``, ``predict``, ``figures``,
``data`` and ``notebook`` add their few arguments by hand. Errors the user can fix print one line
and exit with status 2; ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from .checks import Dl101Error

COMMANDS = ["mnist", "evaluate", "predict", "figures", "data", "gradcheck", "export", "notebook", "playground"]


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
