"""The ``dl101`` command line: one sub-command per module of :mod:`dl101.commands`.

Every sub-command lives in ``dl101.commands.<name>`` with a ``HELP`` line, ``add_arguments(parser)``
and ``run(args) -> exit code``. ``mnist``, ``gradcheck`` and ``export`` build their options from a
settings dataclass (:mod:`dl101.commands.options`); ``evaluate``, ``predict``, ``figures``,
``data`` and ``notebook`` add their few arguments by hand. Errors the user can fix print one line
and exit with status 2; ``--debug`` shows the traceback instead. Ctrl-C and SIGTERM print one line
too (130, 143), and a reader that closes the pipe (``| head``) ends the command quietly (141): see
:func:`main`.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import signal
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


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program is, so that it stops as Ctrl-C does: files written
    whole or not at all, one line said. A KeyboardInterrupt, so code that stops cleanly on
    Ctrl-C (the training job's checkpoint) does so on SIGTERM too."""


def _terminate(signum, frame):
    raise Terminated


def main(argv=None) -> int:
    """Run one command; the exit status: 0 done, 1 a check failed, 2 an error the user can fix
    (one line, or the traceback with ``--debug``), 130 Ctrl-C, 143 SIGTERM, 141 the reader of
    the output went away (``dl101 data info | head -1``)."""
    said = {"name": "dl101", "debug": False}  # filled in once the arguments are parsed
    try:
        with _on_sigterm(_terminate):
            try:
                return _run(argv, said)
            finally:
                sys.stdout.flush()  # here, where a failed write is caught, not at Python's exit
    except Terminated:
        print(f"{said['name']}: terminated (SIGTERM)", file=sys.stderr)
        return 143
    except KeyboardInterrupt:
        print(f"{said['name']}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader closed the pipe: nothing more to say
        _drop_stdout()
        return 141
    except (Dl101Error, MemoryError, OSError) as err:
        if said["debug"]:
            raise
        print(f"{said['name']}: error: {_describe(err)}", file=sys.stderr)
        return 2


def _run(argv, said) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    said.update(name=f"dl101 {args.command}", debug=args.debug)
    args.command_line = ["dl101", *(sys.argv[1:] if argv is None else map(str, argv))]  # as typed
    return int(args.command_function(args) or 0)


def _describe(err) -> str:
    """One line for an error: dl101's own message; for the machine's errors, what failed."""
    if isinstance(err, MemoryError):  # a size the machine cannot hold: --widths 100000 100000 ...
        return (f"out of memory ({err or 'no details'}); ask for less: smaller widths, batch, "
                f"samples or resolution")
    if isinstance(err, OSError):  # the disk, a permission, a full stdout: the machine, not dl101
        _drop_stdout()
        return f"{err.strerror or err}: {err.filename}" if err.filename else str(err)
    return str(err)


def _drop_stdout():
    """If stdout can no longer be written, send what is left to /dev/null, so that Python's last
    flush at exit does not fail again (the recipe of Python's documentation, "Note on SIGPIPE")."""
    try:
        sys.stdout.flush()
    except OSError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


@contextlib.contextmanager
def _on_sigterm(handler):
    """``handler`` for SIGTERM inside the block (main thread only; elsewhere nothing changes)."""
    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread: signals cannot be handled here
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
