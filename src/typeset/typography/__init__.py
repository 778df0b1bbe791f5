"""Russian typography: rules for plain text (:func:`typeset_text`), proofreading, hyphenation.

Step "typeset text" of the pipeline: every paragraph goes through :func:`typeset_text` with the
rule set its layout names (:data:`RULESETS`; rule set 1 is frozen for old editions, rule set 2 is
:data:`LATEST_RULESET`); the layout's hyphenation rules are loaded with
:meth:`Hyphenator.from_folder` and handed to WeasyPrint with :func:`install`. :func:`typo_stream`
backs the ``typeset typo`` command.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .hyphenation import HyphenationError, Hyphenator, install
from .proofreading import CODES, Remark, proofread
from .rulesets import LATEST_RULESET, RULES, RULESETS, apply_rule, typeset_text

__all__ = [
    "CODES",
    "LATEST_RULESET",
    "RULES",
    "RULESETS",
    "HyphenationError",
    "Hyphenator",
    "Remark",
    "apply_rule",
    "install",
    "proofread",
    "typeset_text",
    "typo_stream",
]


def typo_stream(lines: Iterable[str], hyphenator: Hyphenator | None,
                ruleset: int = LATEST_RULESET) -> Iterator[str]:
    """Typeset each line (one paragraph a line) with rule set ``ruleset``; mark hyphenation
    points when given a hyphenator.

    The line's own end (``\\n``, ``\\r\\n``) is kept as it was.
    """
    for line in lines:
        body = line.rstrip("\r\n")
        end = line[len(body) :]
        text = typeset_text(body, ruleset)
        if hyphenator is not None:
            text = hyphenator.mark(text)
        yield text + end
