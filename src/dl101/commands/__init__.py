"""One module per ``dl101`` sub-command; see :mod:`dl101.cli`."""
