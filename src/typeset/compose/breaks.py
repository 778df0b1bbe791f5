"""Characters, and where Pango may break a line between them: what a composed line renders as.

The line breaker (:mod:`.linebreak`) and the HTML of its lines (:mod:`.lines`) agree here on three
things: the characters that matter to breaking (spaces, no-break spaces, word joiners, hyphens and
dashes), the pairs of characters Pango's UAX #14 rules might break between
(:func:`pango_may_break`), and the text WeasyPrint gets for one line (:func:`line_pieces`) — the
text whose width the breaker measures is the text that is rendered.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Protocol


class Run(Protocol):
    """What the breaker reads of a run of inline text: :class:`typeset.articles.Run` is one.
    (A protocol, so that composing lines imports nothing of the article reader.)"""

    @property
    def text(self) -> str: ...

    @property
    def marks(self) -> frozenset[str]: ...



SPACE = " "
NBSP = "\u00a0"
NNBSP = "\u202f"
WJ = "\u2060"
"""WORD JOINER: forbids a line break on either side (UAX #14 class WJ), zero width."""
ZWSP = "\u200b"
"""ZERO WIDTH SPACE: a break opportunity of no width, for a word broken where nothing else can."""
SHY = "\u00ad"
HYPHEN = "-"
EM_DASH = "\u2014"
EN_DASH = "\u2013"
EXPANDABLE = frozenset(SPACE + NBSP)
"""The spaces WeasyPrint widens to justify a line, and to which it applies ``word-spacing``."""

NUMBER_ENDING = re.compile(r"\d+-[а-яё]{1,3}\b")
"""A number and its ending ("2024-го", "5-й") never part at a line end (as ``articles.Run``)."""

# Pango's (UAX #14) break opportunities between two characters that are not U+0020. The breaker
# uses a few (after hyphens and dashes); :mod:`.lines` blocks all the others with word joiners,
# wherever Pango might break: the classes below are those where it surely does not.
BREAK_AFTER_HY = frozenset("-")
BREAK_AFTER_BA = frozenset("\u2010\u2012\u2013\u00ad\u2027\u2000\u2001\u2002\u2003\u2004\u2005"
                           "\u2006\u2008\u2009\u200a|")
"""HY and BA: they break even before a no-break space (LB12a)."""
GLUE = frozenset(NBSP + NNBSP + "\u2007\u2011\ufeff\u180e\u034f")
"""GL: no break after them, nor before them except after HY and BA (LB12, LB12a)."""
NO_BREAK_BEFORE = frozenset(",.:;!?)]}/…»”’›\"'") | BREAK_AFTER_HY | BREAK_AFTER_BA
"""CL, CP, EX, IS, SY, IN, HY, BA and quotation marks: never a break before them (LB13, LB19,
LB21, LB22)."""
NO_BREAK_AFTER = frozenset("([{«„“‘‹\"'")
"""OP and quotation marks: never a break after them (LB14, LB19)."""
DIGITS = frozenset("0123456789")


def pango_may_break(before: str, after: str) -> bool:
    """Whether Pango might break a line between two characters that are not U+0020.

    A superset of Pango's UAX #14 rules (checked against Pango in the tests): only pairs that
    surely never break answer False — letters and digits together, no-break spaces, closing
    punctuation and quotation marks. :mod:`.lines` puts a word joiner (zero width, kerning kept)
    between every other pair of characters inside a line.
    """
    if ZWSP in (before, after):
        return True
    if WJ in (before, after) or before in GLUE:
        return False
    if after in GLUE:
        return before in BREAK_AFTER_HY or before in BREAK_AFTER_BA
    if after in NO_BREAK_BEFORE or before in NO_BREAK_AFTER:
        return False
    if unicodedata.category(after)[0] == "M":
        return False  # a combining mark stays with its base (LB9)
    if before.isalnum() and after.isalnum():
        return False  # LB23, LB28
    return not (before in BREAK_AFTER_HY and after in DIGITS)  # LB25: "Т-34"



def is_letter(char: str) -> bool:
    return char.isalpha()


SPACES = re.compile(" +")
MAY_BREAK_NEAR = re.compile("[^\\w\u00a0\u202f]|_")
"""Characters next to which Pango might break: only around them are word joiners needed
(between letters, digits and no-break spaces it never breaks)."""


def line_pieces(runs: Sequence[Run], start: int, end: int,
                hyphen: bool) -> list[tuple[str, frozenset[str]]]:
    """The text WeasyPrint gets for one line, run by run: (text, marks).

    Spaces inside the line become one U+00A0 each (a run of spaces is one space in CSS), a word
    joiner goes wherever Pango could break, soft hyphens go, and an automatic hyphen ends the
    line.
    """
    pieces: list[tuple[str, frozenset[str]]] = []
    offset = 0
    previous = ""  # the last character of the line so far, as rendered
    spaced = False  # the original text so far ends with a space
    for run in runs:
        a, b = max(start, offset), min(end, offset + len(run.text))
        if a < b:
            original = run.text[a - offset:b - offset]
            text = original.replace(SHY, "")
            if spaced and text.startswith(SPACE):
                text = text.lstrip(SPACE)
            spaced = original.endswith(SPACE)
            text = SPACES.sub(NBSP, text)
            if hyphen and b == end:
                text += HYPHEN
            if text:
                text = _join_words(previous, text)
                previous = text[-1]
                pieces.append((text, run.marks))
        offset += len(run.text)
    return pieces


def _join_words(previous: str, text: str) -> str:
    """``text`` with a word joiner wherever Pango could break, ``previous`` being the character
    before it on the line."""
    places: set[int] = set()
    joined = previous + text
    shift = len(previous)
    for match in MAY_BREAK_NEAR.finditer(joined):
        for k in (match.start(), match.start() + 1):
            if shift <= k < len(joined) and k > 0 and pango_may_break(joined[k - 1], joined[k]):
                places.add(k - shift)
    if not places:
        return text
    out: list[str] = []
    last = 0
    for k in sorted(places):
        out += [text[last:k], WJ]
        last = k
    out.append(text[last:])
    return "".join(out)
