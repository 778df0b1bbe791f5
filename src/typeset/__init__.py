"""typeset: print layout and PDF editions for a weekly newspaper."""

__version__ = "0.1.0"
