"""Rule set 2: copy clean-up — spaces around punctuation and brackets, the order of marks, quotes.

Authors type a space before a comma, forget the one after it, pad the inside of brackets, write
``! ! !`` or ``!?``. These rules fix such slips before the other rules run, so that they see
normal spacing. None of them touches a decimal number (``3,5``), a time or a score (``12:30``,
``2 : 1``), a smiley, a Latin code-like token (``a,b``, ``key:value``, ``f(x)``) or a protected
URL, e-mail address, file name or identifier.

Each function takes and returns one paragraph of text; they keep every U+FFFC (markup boundary)
and every protected-span placeholder.
"""

from __future__ import annotations

import re

from . import punctuation
from ._base import OBJ, PUA, rx

_SPACE = "[ \u00a0]"

# --- spaces before and after punctuation ------------------------------------------------------

# A space before , ; ! ? : … and before a period that ends a sentence: "слово , слово".
# Not after another mark ("? !" is handled below, ", ." is too odd to guess), not at the start
# of the text, not before ";)" or ":(" (smileys), "!=" or ":=" (operators) nor before a period
# that starts a token (".Net", ".45").
_SPACE_BEFORE_MARK = rx(
    rf"(?<=[^\s!?:;,.{OBJ}(\[«„\-\u2013\u2014])(<M>){_SPACE}+(<M>)"
    rf"(?=[,?…]|!(?!=)|[;:](?![()=])|\.(?!<M>[^\W_]|<M>[\-{PUA}]))"
)
# "2 : 1", "1 : 100 000": a score or a ratio keeps its spaces
_RATIO = re.compile(r"[\d²³½¼¾$€£¥₽₸][\ufffc\u00a0 ]*:[\ufffc\u00a0 ]*\d")

# A missing space after , ; : ! ? before a word, a number, an opening quote or bracket:
# "горизонт,и" → "горизонт, и". Not between two digits ("3,5", "12:30") nor between two Latin
# letters or digits ("a,b", "key:value": code-like).
_NEXT = rf"[^\W_]|[«„(\[{PUA}$€£¥₽₸]"
_MISSING_AFTER = rx(rf"(?<=[^\s,;:!?])([,;:]|[!?]+)(<M>)(?=(?:{_NEXT}))")
_CODE_LIKE = re.compile(r"[A-Za-z0-9²³½¼¾$€£¥₽₸]")
# "спокоен…Но", "государь!..Стоять": a space after an ellipsis that ends a sentence
_AFTER_ELLIPSIS = rx(r"(?<=<l>)(…)(<M>)(?=<U>)|(?<=[?!]\.\.)(<M>)(?=<L>)")


def _missing_after(match: re.Match[str]) -> str:
    text = match.string
    mark, boundary = match.groups()
    left = text[match.start() - 1]
    right = text[match.end()]
    if _numberish(left) and _numberish(right):
        return match.group(0)  # 3,5 and 12:30 (and "5 $!5": the sign stands for its number)
    if _CODE_LIKE.match(left) and _CODE_LIKE.match(right):
        return match.group(0)  # a,b and key:value are code-like
    if mark[0] in "!?" and right in "([":
        return match.group(0)  # "Да!(смеётся)": the bracket belongs to the sentence
    return f"{mark}{boundary} "


# Cheap searches that must succeed for the patterns above to match (the patterns start with
# look-behinds, which the regex engine tries at every position; these start with a character).
_SPACE_MARK_PROBE = re.compile(r"[ \u00a0]\ufffc*[,;:!?.…]")
_MISSING_PROBE = re.compile(rf"[,;:!?]\ufffc*(?:{_NEXT})")
_ELLIPSIS_PROBE = re.compile(r"(?:…|\.\.)\ufffc*[^\W\d_]")


def _numberish(char: str) -> bool:
    return char.isnumeric() or char in "$€£¥₽₸"


def _after_ellipsis(match: re.Match[str]) -> str:
    ellipsis, boundary, after_dots = match.groups()
    return f"{ellipsis}{boundary} " if ellipsis else f"{after_dots} "


def _space_before_mark(match: re.Match[str]) -> str:
    text = match.string
    if _RATIO.match(text, max(match.start() - 1, 0)):
        return match.group(0)
    if text[match.start() - 1] == "…" and text[match.end()] in ".…":
        return match.group(0)  # "ушёл… ." would become "…."; a proofreader decides
    return match.group(1) + match.group(2)


def punctuation_spaces(text: str) -> str:
    """No space before , ; : ! ? … and a final period; one space after , ; : ! ? …

    The space before % stays (glued by "units"): Russian reference books space the sign from its
    number, as a unit (ГОСТ 8.417); typograf's "20%" is the English habit."""
    if _SPACE_MARK_PROBE.search(text):
        text = _SPACE_BEFORE_MARK.sub(_space_before_mark, text)
    if _MISSING_PROBE.search(text):
        text = _MISSING_AFTER.sub(_missing_after, text)
    if _ELLIPSIS_PROBE.search(text):
        text = _AFTER_ELLIPSIS.sub(_after_ellipsis, text)
    return text


# --- brackets ---------------------------------------------------------------------------------

# the spaces (and markup boundaries among them) just inside a bracket: the boundaries stay
_INSIDE_OPEN = re.compile(r"(?<=[(\[])[\ufffc \u00a0]*[ \u00a0][\ufffc \u00a0]*(?=[^\s\ufffc])")
_INSIDE_CLOSE = re.compile(r"(?<=[^\s\ufffc])[\ufffc \u00a0]*[ \u00a0][\ufffc \u00a0]*(?=[)\]])")
# "елани(поля)", "лес.(Толстой)": a space before an opening bracket after a Cyrillic word or a
# mark; not before a word-form ending in brackets: "друг(а)", "сотрудник(ов)", "товар(ы)".
_BEFORE_OPEN = rx(r"(?<=<C>|[.!?,;…)])(<M>)(?=\(<M>(?!<l>{1,3}<M>\)(?!<L>)))")


def _boundaries_only(match: re.Match[str]) -> str:
    return OBJ * match.group(0).count(OBJ)


def brackets(text: str) -> str:
    """No spaces just inside brackets: (так); a space before one after a word: слово (так)."""
    if "(" not in text and "[" not in text and ")" not in text and "]" not in text:
        return text
    text = _INSIDE_OPEN.sub(_boundaries_only, text)
    text = _INSIDE_CLOSE.sub(_boundaries_only, text)
    return _BEFORE_OPEN.sub(r"\1 ", text)


# --- the order of marks -----------------------------------------------------------------------

# "! ! !", "? !": no spaces between marks of one sentence end
_SPACE_BETWEEN_MARKS = rx(rf"(?<=[!?])(<M>){_SPACE}+(<M>)(?=[!?])")
_EXCLAMATION_QUESTION = re.compile(r"(?<![!?])!\?(?![!?])")
# after a word only: "1, 2, …, 10" is an enumeration
_ELLIPSIS_COMMA = re.compile(
    r"([^\W\d_\u00b2\u00b3\u00b9½¼¾][\ufffc \u00a0]*)(…|\.\.\.)[ \u00a0]*,+( ?)(?=(\ufffc*\w)?)"
)


_SPACED_MARKS_PROBE = re.compile(r"[!?][\ufffc \u00a0]*[ \u00a0][\ufffc \u00a0]*[!?]")
_ELLIPSIS_COMMA_PROBE = re.compile(r"(?:…|\.\.\.)[ \u00a0]*,")


def mark_order(text: str) -> str:
    """``! !`` → ``!!``; ``!?`` → ``?!`` (the question first); no comma after an ellipsis:
    ``работа…, но`` → ``работа… но``."""
    if _SPACED_MARKS_PROBE.search(text):
        text = _SPACE_BETWEEN_MARKS.sub(r"\1\2", text)
    if "!?" in text:
        text = _EXCLAMATION_QUESTION.sub("?!", text)
    if _ELLIPSIS_COMMA_PROBE.search(text):
        text = _ELLIPSIS_COMMA.sub(
            lambda m: m.group(1) + m.group(2) + (" " if m.group(3) or m.group(4) else ""), text)
    return text


# --- quotes ---------------------------------------------------------------------------------------

_OPENS_BEFORE_MARK = "…."  # «…зачем было судьбе», «...и тогда»: a quotation opening with dots


def _opens(text: str, index: int, previous_opened: dict[int, bool], depth: int) -> bool:
    """Rule set 1's judgement of an ambiguous quote, except that a quote after a space (or at the
    start) and before an ellipsis opens: rule set 1 took any quote before "…" for a closing one."""
    prev = punctuation._neighbour(text, index, -1)
    nxt = punctuation._neighbour(text, index, +1)
    if (nxt in _OPENS_BEFORE_MARK and (not prev or prev.isspace()
                                        or prev in punctuation._OPENING_CONTEXT)
            and not (text[index] == "“" and depth >= 2)):
        return True
    return punctuation._opens(text, index, previous_opened, depth)


def quotes(text: str) -> str:
    """Straight and wrong typographic quotes → «ёлочки» outside, „лапки“ inside; a quotation
    may open with an ellipsis: «…и тогда»."""
    return punctuation.pair_quotes(text, _opens)
