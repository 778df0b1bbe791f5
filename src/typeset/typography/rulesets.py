"""The typography rule sets and the functions that apply them to a paragraph.

A rule set is an ordered mapping of rule names to small functions (:data:`RULESETS`). A layout
version names the rule set its editions were printed with, so an old edition rebuilds to the same
bytes: **rule set 1** (:data:`.rules.RULESET_1`) is frozen, **rule set 2** is the current
typography. :func:`typeset_text` applies a whole set, :func:`apply_rule` one rule of it.

Before the rules run, URLs and e-mail addresses (and, in rule set 2, code-like tokens: file names,
paths, identifiers) are replaced by one private-use character each, which the rules treat as an
opaque word; they are put back afterwards. Every rule keeps every U+FFFC (an inline-markup
boundary, transparent to the rules), and each set is idempotent: applying it twice gives the same
text as applying it once.

The order of rule set 2, and why each rule sits where it does:

1. Copy clean-up first, so that every later rule sees normal spacing.
2. Punctuation marks (ellipsis, quotes, apostrophes) before anything that looks at a mark's
   neighbours.
3. Hyphens restored in compound words and ordinal endings before ranges and dashes, which would
   otherwise read "5 -го" or "кто -то" as a dash.
4. Ranges and dashes before the minus sign: a hyphen left after them between a space (or a
   bracket, "…", a sign) and a digit can only be a minus.
5. Symbols, numbers, units and money, then the no-break spaces of words: initials,
   abbreviations, particles, short words, the last word.
"""

from __future__ import annotations

from collections.abc import Callable

from . import words
from ._base import Protected, Rule, protect
from .rules import RULESET_1

#: Rule set 2, the current typography: every rule by name, in the order it is applied.
RULESET_2: dict[str, Rule] = {
    **RULESET_1,
    "short-words": words.short_words,
}

#: Every rule set by number.
RULESETS: dict[int, dict[str, Rule]] = {1: RULESET_1, 2: RULESET_2}
#: The rule set new layouts (and ``typeset typo``) use.
LATEST_RULESET = 2
#: The rules of the latest set.
RULES = RULESETS[LATEST_RULESET]

# What is cut out before the rules run, outermost first (each layer is put back in reverse order).
_PROTECTORS: dict[int, tuple[Callable[[str], Protected], ...]] = {
    1: (protect,),
    2: (protect,),
}


def rules_of(number: int) -> dict[str, Rule]:
    """The rules of rule set ``number``; a :class:`ValueError` names the known sets."""
    try:
        return RULESETS[number]
    except KeyError:
        known = ", ".join(str(n) for n in RULESETS)
        raise ValueError(f"unknown typography rule set {number!r} (known: {known})") from None


def _apply(rules: list[Rule], text: str, number: int) -> str:
    layers: list[Protected] = []
    for protector in _PROTECTORS[number]:
        layers.append(protector(layers[-1].text if layers else text))
    result = layers[-1].text
    for rule in rules:
        result = rule(result)
    for layer in reversed(layers):
        result = layer.restore(result)
    return result


def apply_rule(name: str, text: str, ruleset: int = LATEST_RULESET) -> str:
    """Apply the single rule ``name`` of rule set ``ruleset`` to ``text``, URLs protected."""
    return _apply([rules_of(ruleset)[name]], text, ruleset)


def typeset_text(text: str, ruleset: int = LATEST_RULESET) -> str:
    """Apply every rule of rule set ``ruleset`` to one paragraph of plain text."""
    rules = list(rules_of(ruleset).values())
    if not text:
        return text
    return _apply(rules, text, ruleset)
