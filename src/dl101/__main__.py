"""``python -m dl101``: the command line, quiet when Ctrl-C comes while it is still starting."""

import sys

try:
    from .cli import main
except KeyboardInterrupt:  # while the command line's modules are imported, before main runs
    print("dl101: interrupted", file=sys.stderr)
    raise SystemExit(130) from None

raise SystemExit(main())
