"""The ``dl101`` command's entry point, outside the ``dl101`` package on purpose.

``import dl101`` takes a fraction of a second (NumPy first). A Ctrl-C in that moment would show
Python's KeyboardInterrupt traceback if the command started inside the package, since no dl101
code runs yet to catch it; started from here, it is the one line every other interruption gives.
"""

import sys


def main():
    try:
        from dl101.cli import main as command_line
    except KeyboardInterrupt:
        print("dl101: interrupted", file=sys.stderr)
        return 130
    return command_line()
