"""Punctuation rules: spaces, ellipsis, quotes, apostrophes, hyphens and dashes.

Each function takes and returns one paragraph of text (see :mod:`typeset.typography.rules` for the
order they run in). They keep every U+FFFC and every protected-span placeholder.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ._base import EM, LETTER, NBSP, OBJ, rx

# --- spaces and ellipsis ----------------------------------------------------------------------

_DOUBLE_SPACE = re.compile(" {2,}")


def spaces(text: str) -> str:
    """Collapse runs of ordinary spaces (no-break spaces are left alone)."""
    return _DOUBLE_SPACE.sub(" ", text) if "  " in text else text


_QUESTION_DOTS = re.compile(r"([?!])(?:[.…]{2,}|…)")
_THREE_DOTS = re.compile(r"(?<![?!.])\.{3,}")


def ellipsis(text: str) -> str:
    """``...`` → ``…``; ``?...``/``?…`` → ``?..`` (and ``!..``), which Russian keeps."""
    if "." not in text and "…" not in text:
        return text
    text = _QUESTION_DOTS.sub(r"\1..", text)
    return _THREE_DOTS.sub("…", text)


# --- quotes -----------------------------------------------------------------------------------

_QUOTES = '"«»„“”‟'
_ALWAYS_OPEN = "«„"
_ALWAYS_CLOSE = "»"
_OPENING_CONTEXT = "([{-\u2013\u2014/"  # a quote after these opens
_CLOSING_NEXT = ",.;:!?)]…"  # a quote before these closes
_ANY_QUOTE = re.compile(f"[{_QUOTES}]")


def _neighbour(text: str, index: int, step: int) -> str:
    """The character next to ``index`` in direction ``step``, skipping markup boundaries."""
    index += step
    while 0 <= index < len(text) and text[index] == OBJ:
        index += step
    return text[index] if 0 <= index < len(text) else ""


def _opens(text: str, index: int, previous_opened: dict[int, bool], depth: int) -> bool:
    """Whether the ambiguous quote at ``index`` opens, judged by its neighbours."""
    if text[index] == "“" and depth >= 2:
        return False  # inside „…“ it is the closing inner quote (keeps the rule idempotent)
    prev = _neighbour(text, index, -1)
    nxt = _neighbour(text, index, +1)
    if not nxt or nxt.isspace() or nxt in _CLOSING_NEXT:
        return False
    if not prev or prev.isspace() or prev in _OPENING_CONTEXT:
        return True
    if prev.isalnum() and nxt.isalnum():  # glued on both sides: Слово"вплотную"
        return depth == 0
    prev_index = index - 1
    while prev_index >= 0 and text[prev_index] == OBJ:
        prev_index -= 1
    return previous_opened.get(prev_index, False)


Opens = Callable[[str, int, dict[int, bool], int], bool]
"""Whether the ambiguous quote at an index opens (the text, the index, what the quotes before it
did, the depth of quotation there)."""


def pair_quotes(text: str, opens: Opens) -> str:
    """Every quote of ``text`` as «ёлочки» outside and „лапки“ inside, ``opens`` judging the
    quotes that could open or close."""
    if not _ANY_QUOTE.search(text):
        return text
    chars = list(text)
    opened: dict[int, bool] = {}
    depth = 0
    for index, char in enumerate(text):
        if char not in _QUOTES:
            continue
        if char in _ALWAYS_OPEN:
            is_open = True
        elif char in _ALWAYS_CLOSE:
            is_open = False
        else:
            is_open = opens(text, index, opened, depth)
        opened[index] = is_open
        if is_open:
            depth += 1
            chars[index] = "«" if depth == 1 else "„"
        else:
            chars[index] = "“" if depth >= 2 else "»"
            depth = max(depth - 1, 0)
    return "".join(chars)


def quotes(text: str) -> str:
    """Straight and wrong typographic quotes → «ёлочки» outside, „лапки“ inside."""
    return pair_quotes(text, _opens)


_APOSTROPHE = re.compile(f"(?<={LETTER})'(?={LETTER})")


def apostrophe(text: str) -> str:
    """A typewriter apostrophe inside a word becomes ’ (д’Артаньян, O’Neil)."""
    return _APOSTROPHE.sub("’", text) if "'" in text else text


# --- hyphens restored in compound words ---------------------------------------------------------

_PRONOUNS = (
    "откуда|куда|где|когда|зачем|почему|отчего|сколько|как|какой|какая|какое|какие|какую|каким"
    "|каких|какими|какого|какому|что|чего|чем|чему|чём|чей|чья|чьё|чье|чьи|чьим|чьих|чьего|чьему"
    "|чьей|кто|кого|кому|кем|ком"
)
_TO = rx(
    rf"<B>((?i:{_PRONOUNS}))(<M>)(?: | -|- )(<M>)((?i:то|либо|нибудь))<E>",
)
_KOE = rx(
    r"<B>([Кк]ое)(<M>)(?: | -|- )(<M>)((?i:кто|что|как|где|куда|когда|какой|какая|какое|какие"
    r"|каких|каким|какую|кого|кому|кем|чем|чего|чему|чём|ком))<E>"
)
_IZ = rx(r"<B>([Ии]з)(<M>)(?: | -|- )(<M>)(за|под)<E>")
_KA = rx(
    r"<B>((?i:ну|давай|давайте|дай|дайте|смотри|смотрите|гляди|глянь|погоди|подожди|скажи"
    r"|скажите|пойдём|пойдем|попробуй|возьми))(<M>) (<M>)(ка)<E>"
)
_TAKI = rx(r"<B>((?i:всё|все|так|опять|довольно|верно|прямо))(<M>) (<M>)(таки)<E>")
_ORDINAL_ADVERB = rx(
    r"<B>((?i:во))(<M>) (<M>)(первых|вторых)<E>|<B>((?i:в))(<M>) (<M>)"
    r"(третьих|четвёртых|четвертых|пятых|шестых|седьмых)<E>"
)
# "что то" stays two words after a conjunction: «сказал, что то решение…», «потому что то…»
_CONJUNCTION_BEFORE = re.compile(r"(?:,|\b(?:потому|оттого|затем|так|то|за|в|при))\s*$", re.I)


def _join(match: re.Match[str]) -> str:
    groups = [g for g in match.groups() if g is not None]
    word, left, right, particle = groups
    return f"{word}{left}-{right}{particle}"


def _join_to(match: re.Match[str]) -> str:
    word, _, _, particle = match.groups()
    if particle.lower() == "то" and word.lower() in ("что", "как"):
        text = match.string
        after = text[match.end() : match.end() + 4].lstrip(f" {NBSP}{OBJ}")
        if after[:1] in (",", ":") or _CONJUNCTION_BEFORE.search(
            text[max(0, match.start() - 12) : match.start()].replace(OBJ, "")
        ):
            return match.group(0)
    return _join(match)


def hyphens(text: str) -> str:
    """Restore the hyphen: кто то → кто-то, из за → из-за, ну ка → ну-ка, все таки → все-таки."""
    if " " not in text:
        return text
    text = _TO.sub(_join_to, text)
    for pattern in (_KOE, _IZ, _KA, _TAKI, _ORDINAL_ADVERB):
        text = pattern.sub(_join, text)
    return text


# --- dashes -----------------------------------------------------------------------------------

# A dash between spaces after a word or punctuation: "слово - слово" → "слово⍽— слово".
_SPACED_DASH = rx(rf"(?<=\S)(<M>)[ {NBSP}]+(<M>)<D>(<M>)(?=[ {NBSP}]|\Z)")
# Direct speech glued to a comma, ?, ! or closing quote: "приехали,- сказал".
_SPEECH_DASH = rx(rf"(?<=[,!?…»“\"])(<M>)<D>(<M>)(?=[ {NBSP}])")


def dash(text: str) -> str:
    """Hyphen, en dash or ``--`` between spaces → em dash, no-break space before it."""
    if "-" not in text and "\u2013" not in text and EM not in text:
        return text
    text = _SPACED_DASH.sub(rf"\1{NBSP}\2{EM}\3", text)
    return _SPEECH_DASH.sub(rf"\1{NBSP}{EM}\2", text)


_DIALOGUE = rx(rf"\A([ \t]*<M>)<D>(<M>)[ {NBSP}]+")


def dialogue(text: str) -> str:
    """A dash opening a paragraph (a line of dialogue) → em dash and a no-break space."""
    return _DIALOGUE.sub(rf"\1{EM}\2{NBSP}", text, count=1)
