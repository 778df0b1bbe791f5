"""Rule set 2: word rules — the narrower no-break-space policy, abbreviations, compound words.

Rule set 2 glues fewer words than rule set 1: in the demo edition 27 % of all spaces were no-break
spaces, which made justified columns loose. Following Мильчин, a no-break space goes only after
one- and two-letter words, before particles and dashes, inside initials and abbreviations, and
between a number and its unit, currency or month (those rules are shared with rule set 1).

Each function takes and returns one paragraph of text; they keep every U+FFFC and every
protected-span placeholder (see :mod:`typeset.typography._base`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from . import punctuation
from ._base import NBSP, before, rx
from .rules import (
    NOT_PAIRS,
    NUMBER_BEFORE,
    PAIR_FIRST,
    PARTICLES,
    SHORT_UNITS,
    UNIT_ABBRS,
)

# --- short words ------------------------------------------------------------------------------

# Only one- and two-letter words are glued to the next word. Rule set 1 also glued a house list of
# three-letter words (для, при, без, под, над, про, что, это, как, его, она, все, уже, если…). None
# of them needs it: Мильчин asks for a no-break space only after one- and two-letter words, which
# read as part of the next word; a three-letter preposition is a syllable of its own and reads
# well at a line end (so do обо, изо, ото, подо, the variants of о, из, от, под, and the compound
# prepositions из-за, из-под). Every no-break space narrows the choice of line breaks and widens
# the word spaces of a justified column, so the list is dropped.
#
# A two-letter word in capitals is an abbreviation (РК, ЕС, МВД's kin), not a preposition: it is
# not glued. A one-letter capital (В, С, К at a sentence start) is a word and is glued.
_SHORT_WORD = rx(rf"<B>(?!(?i:{PARTICLES})<E>)(<C>{{1,2}})(<M>) (<M>)(?=<W>)")


def _short_word(match: re.Match[str]) -> str:
    word, m1, m2 = match.groups()
    if len(word) == 2 and word.isupper():
        return match.group(0)  # РК, ЕС: an abbreviation, not a short word
    if word in SHORT_UNITS and NUMBER_BEFORE.search(before(match.string, match.start(), 4)):
        return match.group(0)  # "5 км пути": a unit after a number, not a short word
    return f"{word}{m1}{NBSP}{m2}"


# The one exception: after a suspended hyphen, «или»/«либо» joins the second half of the compound
# («одно- или\u00a0двухэтажный»), which is one word split in two; a line ending in «или» would
# leave the reader with two dangling halves.
_SUSPENDED_OR = rx(r"(?<=<L>-)(<M>[ \u00a0]<M>(?i:или|либо)<M>) (<M>)(?=<L>)")


def short_words(text: str) -> str:
    """No-break space after a word of one or two letters: в\u00a0школу, но\u00a0не."""
    text = _SHORT_WORD.sub(_short_word, text)
    if "-" in text:
        text = _SUSPENDED_OR.sub(rf"\1{NBSP}\2", text)
    return text


# --- abbreviations ----------------------------------------------------------------------------

# т. е., т. д., н. э., а. е. м., ст. м. эл.: a chain of short lowercase abbreviations, each glued
# to the next (rule set 1 glued only two of them: "а.\u00a0е. м.").
_CHAIN = rx(r"(?<![\w.\-])[а-яёА-ЯЁ][а-яё]{0,2}\.(?:<M>[ \u00a0]?<M>[а-яё]{1,3}\.)+")
_CHAIN_LINK = rx(r"\.(<M>)[ \u00a0]?(<M>)(?=[а-яё])")
# not a chain: dates (дд.мм), amounts and periods, which their own rules glue to their number
_NOT_FIRST = frozenset(("дд", "мм", "млн", "тыс", "руб", "коп", "тг", "в", "вв", "г", "гг"))
# domains (кто.рф), multipliers (the "multipliers" rule owns "млн."), dates (дд.мм.гггг)
_NOT_IN_CHAIN = NOT_PAIRS | {"млн", "тыс", "млрд", "дд", "гггг"}
# г. Астана, ул. Абая, д. 10, см. рис. 5, с. 45: glued to what follows. Not after a slash: in
# "5-7 м/с. В субботу" the "с." is a unit that ends the sentence, not «село».
_FORWARD = rx(
    r"(?<![\w.\-/])([гдсптчш]|(?i:ул|пр|просп|пл|пер|бул|наб|кв|корп|стр|пп|ст|гл|мкр|пос|им|см"
    r"|рис|табл|илл|прил|акад|проф|доц|оф|комн|эт|разд))\.(<M>) (<M>)"
    r"(?=[\w«„\"(№\ue000-\uf8ff]|[-\u2212+]\d)"
)


def _chain(match: re.Match[str]) -> str:
    parts = re.split(r"\.\ufffc*[ \u00a0]?\ufffc*", match.group(0))
    if parts[0].lower() in _NOT_FIRST or any(part in _NOT_IN_CHAIN for part in parts[1:]):
        return match.group(0)
    return _CHAIN_LINK.sub(rf".\1{NBSP}\2", match.group(0))


def _forward(match: re.Match[str]) -> str:
    abbr, m1, m2 = match.groups()
    prefix = before(match.string, match.start(), 4)
    if abbr in UNIT_ABBRS and NUMBER_BEFORE.search(prefix):
        return match.group(0)  # 2024 г., 10 ч.: a unit after a number
    if len(abbr) == 1 and PAIR_FIRST.search(prefix):
        return match.group(0)  # the second part of т. д., т. п.
    return f"{abbr}.{m1}{NBSP}{m2}"


# not after a letter ("Яндекс.Браузер"), a protected token, a hyphen or a slash ("м/с.В"); after a
# number or another abbreviation it is still one: "2024г.Москва", "ул.г.Москва"
_NO_SPACE = rx(
    r"(?<![^\W\d_])(?<![\-/\ue000-\uf8ff])((?:[гдсптчш]|(?i:ул|пр|просп|пл|пер|бул|наб|кв|корп|стр|пп|ст|гл|мкр|пос|им|см"
    r"|рис|табл|илл|прил|акад|проф|доц|оф|комн|эт|разд))\.<M>)(?=[А-ЯЁ]|\d)"
)


_NO_SPACE_PROBE = re.compile(r"\.\ufffc*[А-ЯЁ\d]")


def abbreviation_spaces(text: str) -> str:
    """The missing space after an abbreviation before a capital or a number: г.Москва →
    г. Москва, стр.22 → стр. 22 (the "abbreviations" rule then makes it a no-break space)."""
    return _NO_SPACE.sub(r"\1 ", text) if _NO_SPACE_PROBE.search(text) else text


def abbreviations(text: str) -> str:
    """т.\u00a0е., и\u00a0т.\u00a0д., а.\u00a0е.\u00a0м.; г.\u00a0Астана, стр.\u00a022; a unit
    after a slash is not an abbreviation: «5\u00a0м/с. В субботу»."""
    if "." not in text:
        return text
    text = _CHAIN.sub(_chain, text)
    return _FORWARD.sub(_forward, text)


# --- P. S. ------------------------------------------------------------------------------------

_POSTSCRIPT = rx(
    r"(?:^|(?<=[\s(]))(<M>)([Pp]\.[ \u00a0]?(?:[Pp]\.[ \u00a0]?)?)[Ss]\.:?(?=<M>[ \u00a0])"
)


def _postscript(match: re.Match[str]) -> str:
    boundary, p_parts = match.groups()
    return boundary + ("P.\u00a0P.\u00a0S." if p_parts.count(".") == 2 else "P.\u00a0S.")


def postscript(text: str) -> str:
    """P.S., p.s.:, P.P.S. → P.\u00a0S., P.\u00a0P.\u00a0S. (capitals, no colon after)."""
    return _POSTSCRIPT.sub(_postscript, text) if "p." in text or "P." in text else text


# --- compound words ---------------------------------------------------------------------------

# -ка after any verb or interjection: скажите-ка, нате-ка, ну-кась (rule set 1 knew a list)
_KA = rx(r"<B>(<C>+)(<M>) (<M>)(ка|кась)(?=<M>(?:[\s,.?!:;…)»“]|$))")
_TAKI = rx(r"<B>((?i:действительно|неужели))(<M>) (<M>)(таки)<E>")
# -де (reported speech) only before a mark: "увижу де, что…" (never "Шарль де Голль", "де факто")
_DE = rx(r"<B>(<l>{2,})(<M>) (<M>)(де)(?=<M>[,.?!:;…])")
_KOI = rx(
    r"<B>([Кк]ой)(<M>)(?: | -|- )(<M>)((?i:кто|что|как|где|куда|когда|какой|какая|какое|какие"
    r"|каких|каким|какую|кого|кому|кем|чем|чего|чему|чём|ком))<E>"
)


def _join(match: re.Match[str]) -> str:
    word, left, right, particle = match.groups()
    return f"{word}{left}-{right}{particle}"


# Each pattern with a cheap search that must succeed for it to match: most paragraphs have none
# of these words, and the patterns (starting with look-behinds) cost a scan each.
_JOINS: tuple[tuple[re.Pattern[str], re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"(?i)[ -]\ufffc*(?:то|либо|нибудь)"), punctuation._TO, punctuation._join_to),
    (re.compile(r"[Кк]ое\ufffc*[ -]"), punctuation._KOE, punctuation._join),
    (re.compile(r"[Ии]з\ufffc*[ -]"), punctuation._IZ, punctuation._join),
    (re.compile(r" \ufffc*ка"), punctuation._KA, punctuation._join),
    (re.compile("таки"), punctuation._TAKI, punctuation._join),
    (re.compile(r"первых|вторых|третьих|четв[её]ртых|пятых|шестых|седьмых"),
     punctuation._ORDINAL_ADVERB, punctuation._join),
    # rule set 2's own, after rule set 1's
    (re.compile(r" \ufffc*ка"), _KA, _join),
    (re.compile("таки"), _TAKI, _join),
    (re.compile(r" \ufffc*де\ufffc*[,.?!:;…]"), _DE, _join),
    (re.compile(r"[Кк]ой\ufffc*[ -]"), _KOI, _join),
)


def hyphens(text: str) -> str:
    """Rule set 1's hyphens (кто-то, из-за, ну-ка, всё-таки, во-первых), and: скажите ка →
    скажите-ка, неужели таки → неужели-таки, увижу де, → увижу-де, кой как → кой-как."""
    if " " not in text:
        return text
    for probe, pattern, join in _JOINS:
        if probe.search(text):
            text = pattern.sub(join, text)
    return text


# --- a short number at the end ----------------------------------------------------------------

# "часть 1)", "получил 5. И…": a number of one or two digits that ends a sentence goes with the
# word before it (as rule set 1's last-word does for short words)
_LAST_NUMBER = rx(
    r"(?<=<L>)(<M>) (<M>)(?=\d{1,2}[+\-\u2212%'»“\")]?<M>(?:[.!?…]+<M>(?:[ \u00a0]<M><U>|$)|$))"
)


_LAST_NUMBER_PROBE = re.compile(r" \ufffc*\d{1,2}(?!\d)")


def last_number(text: str) -> str:
    """A one- or two-digit number ending a sentence is glued to the word before: часть\u00a01)."""
    return _LAST_NUMBER.sub(rf"\1{NBSP}\2", text) if _LAST_NUMBER_PROBE.search(text) else text
