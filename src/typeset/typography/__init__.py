"""Russian typography: rules for plain text (:func:`typeset_text`) and hyphenation.

Step "typeset text" of the pipeline: every paragraph goes through :func:`typeset_text`; the
layout's hyphenation rules are loaded with :meth:`Hyphenator.from_folder` and handed to
WeasyPrint with :func:`install`. :func:`typo_stream` backs the ``typeset typo`` command.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .hyphenation import HyphenationError, Hyphenator, install
from .rules import RULES, apply_rule, typeset_text

__all__ = [
    "RULES",
    "HyphenationError",
    "Hyphenator",
    "apply_rule",
    "install",
    "typeset_text",
    "typo_stream",
]


def typo_stream(lines: Iterable[str], hyphenator: Hyphenator | None) -> Iterator[str]:
    """Typeset each line (one paragraph a line); mark hyphenation points when given a hyphenator.

    The line's own end (``\\n``, ``\\r\\n``) is kept as it was.
    """
    for line in lines:
        body = line.rstrip("\r\n")
        end = line[len(body) :]
        text = typeset_text(body)
        if hyphenator is not None:
            text = hyphenator.mark(text)
        yield text + end
