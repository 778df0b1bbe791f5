"""The typography rule sets and the functions that apply them to a paragraph.

A rule set is an ordered mapping of rule names to small functions (:data:`RULESETS`). A layout
version names the rule set its editions were printed with, so an old edition rebuilds to the same
bytes: **rule set 1** (:data:`RULESET_1`) is frozen, **rule set 2** is the current
typography. :func:`typeset_text` applies a whole set, :func:`apply_rule` one rule of it.

Before the rules run, URLs and e-mail addresses (and, in rule set 2, code-like tokens: file names,
paths, identifiers) are replaced by one private-use character each, which the rules treat as an
opaque word; they are put back afterwards. Every rule keeps every U+FFFC (an inline-markup
boundary, transparent to the rules), and each set is idempotent: applying it twice gives the same
text as applying it once.

Rule set 2 reuses rule set 1's functions where the typography did not change; such a shared
function is frozen with rule set 1 (a change for rule set 2 gets a new function). Its order, in
six groups (the comments in :data:`RULESET_2` say why each rule sits where it does):

1. Copy clean-up — spaces around marks and brackets, signs typed in ASCII, money, the missing
   space after an abbreviation — so that every later rule sees normal spacing.
2. Quotes and apostrophes, which judge a mark by its neighbours.
3. Glued units, hyphens in compound words, ordinal endings, decades, years and centuries: before
   ranges and dashes would read "5 -го", "кто -то" or "80-90-е" as a range or a dash.
4. Ranges and dashes, then the minus: a hyphen still right before a digit can only be a minus.
5. Numbers, units, signs and dates; 6. the no-break spaces of words: initials, abbreviations,
   particles, short words, the last word or number.

Within a group, a rule that changes what another rule looks at comes first, so that a second run
changes nothing (``test_idempotent`` draws texts from the tokens these rules look at).
"""

from __future__ import annotations

from collections.abc import Callable

from . import amounts, cleanup, numbers, punctuation, rules, signs, words
from ._base import Protected, Rule, protect, protect_code, protect_urls

#: Rule set 1 (frozen, layout weekly-a3@1): every rule by name, in the order they are applied.
RULESET_1: dict[str, Rule] = {
    "spaces": punctuation.spaces,
    "ellipsis": punctuation.ellipsis,
    "quotes": punctuation.quotes,
    "apostrophe": punctuation.apostrophe,
    "hyphens": punctuation.hyphens,
    "ordinals": numbers.ordinals,
    "ranges": numbers.ranges,
    "dialogue": punctuation.dialogue,
    "dash": punctuation.dash,
    "digit-groups": numbers.digit_groups,
    "unit-powers": numbers.unit_powers,
    "multipliers": numbers.multipliers,
    "units": numbers.units,
    "currency": numbers.currency,
    "signs": numbers.signs,
    "numero": numbers.numero,
    "dates": numbers.dates,
    "years": numbers.years,
    "initials": rules.initials,
    "abbreviations": rules.abbreviations,
    "legal-forms": rules.legal_forms,
    "particles": rules.particles,
    "short-words": rules.short_words,
    "last-word": rules.last_word,
}


#: Rule set 2, the current typography: every rule by name, in the order it is applied.
RULESET_2: dict[str, Rule] = {
    # 1. copy clean-up. Each of these changes what the next ones see, so the order is the one in
    #    which a second run changes nothing: the ellipsis first ("…" is one mark for the rest);
    #    signs typed in ASCII ("(c)", "->", "<=") next; brackets before the spaces around marks
    #    ("( ," → "(," → "(, "); money before the space after an abbreviation ("г.$2" → "г.2 $"
    #    → "г. 2 $"), which goes before × and ½ ("стр.2x3" → "стр. 2x3" → "стр. 2×3")
    "spaces": punctuation.spaces,
    "ellipsis": punctuation.ellipsis,
    "copyright": signs.copyright_signs,
    "math-signs": signs.math_signs,
    "brackets": cleanup.brackets,
    "mark-order": cleanup.mark_order,  # "…,!" → "…!" before the spaces after marks are put in
    "punctuation-spaces": cleanup.punctuation_spaces,
    "money": amounts.money,
    "abbreviation-spaces": words.abbreviation_spaces,
    "times": signs.times,
    "fractions": signs.fractions,
    # 2. marks that look at their neighbours
    "quotes": cleanup.quotes,
    "apostrophe": punctuation.apostrophe,
    # 3. glued units, hyphens, ordinal endings, decades, years and centuries: before ranges and
    #    dashes would read "5 -го", "кто -то", "80-90-е" or "2012-2015г.г." as a range or a dash
    "missing-spaces": amounts.missing_spaces,  # "2млн" → "2 млн": "млн" is a word for "hyphens"
    "multipliers": numbers.multipliers,  # "млн. ка" → "млн ка" before "hyphens" reads it
    "hyphens": words.hyphens,
    "ordinals": numbers.ordinals,
    "ordinal-endings": amounts.ordinal_endings,  # after "ordinals" has joined "5 -ый"
    "decades": amounts.decades,
    "periods": amounts.periods,
    "degrees": signs.degrees,  # "5-7C" → "5-7 °C" before ranges read "7C"
    # 4. ranges and dashes, then the minus: a hyphen still right before a digit is a minus
    "ranges": numbers.ranges,
    "dialogue": punctuation.dialogue,
    "dash": punctuation.dash,
    "minus": signs.minus,
    # 5. numbers, units, signs, dates; "signs" glues ≤ ≥ ≠ ± to the number after them
    "digit-groups": amounts.digit_groups,
    "unit-powers": numbers.unit_powers,
    "units": numbers.units,
    "currency": amounts.currency,
    "signs": numbers.signs,
    "numero-plural": signs.numero_plural,  # before "numero" glues the sign to its number
    "numero": numbers.numero,
    "dates": amounts.dates,
    "years": numbers.years,
    # 6. the no-break spaces of words; initials before abbreviations (both look at "А. С.")
    "initials": rules.initials,
    "abbreviations": words.abbreviations,
    "postscript": words.postscript,
    "legal-forms": rules.legal_forms,
    "particles": rules.particles,
    "short-words": words.short_words,
    "last-number": words.last_number,
    "last-word": rules.last_word,
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
    2: (protect_urls, protect_code),
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
