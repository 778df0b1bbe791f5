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

from ._base import NBSP, before, rx
from .rules import _NUMBER_BEFORE, _PARTICLES, _SHORT_UNITS

# --- short words -------------------------------------------------------------------------------

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
_SHORT_WORD = rx(rf"<B>(?!(?i:{_PARTICLES})<E>)(<C>{{1,2}})(<M>) (<M>)(?=<W>)")


def _short_word(match: re.Match[str]) -> str:
    word, m1, m2 = match.groups()
    if len(word) == 2 and word.isupper():
        return match.group(0)  # РК, ЕС: an abbreviation, not a short word
    if word in _SHORT_UNITS and _NUMBER_BEFORE.search(before(match.string, match.start(), 4)):
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
