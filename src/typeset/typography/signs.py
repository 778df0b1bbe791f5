"""Rule set 2: signs — the minus, mathematical signs, ×, fractions, °C, ©, a single №.

The characters these rules write must exist in the layout's fonts: ± × ½ ¼ ¾ ° © ® ™ are in Noto
Serif and Noto Sans; − ≠ ≤ ≥ → ← ⇔ are not, and come from the symbol fallback (DejaVu Serif,
layout weekly-a3 version 2). ≪ ≫ ≅ are in neither, so ``<<``, ``>>`` and ``~=`` are left alone.

The minus, U+2212, is as wide as the plus and sits at its height; the hyphen-minus typed for it is
short and high, so "−5…+3" with hyphens looks lopsided in a weather column. Only a hyphen that
can be nothing but a minus becomes one (see :func:`minus`).

Each function takes and returns one paragraph of text; they keep every U+FFFC (markup boundary)
and every protected-span placeholder (URLs, e-mail addresses, file names, identifiers).
"""

from __future__ import annotations

import re

from ._base import NBSP, rx

MINUS = "\u2212"

# --- the minus sign ---------------------------------------------------------------------------

# A hyphen right before a digit is a minus when nothing word-like is glued to its left: after a
# space, at the start, after a bracket, an ellipsis, a sign, a slash or a dash ("-5 °C", "до -2",
# "-14…-16", "(-3)", "≤ -20"). Not in a range or a phone number ("5-7", "32-45-67": a digit before
# it), a compound or a code ("Ту-154", "COVID-19": a letter), a list dash ("- 5 минут": a space
# after it), a double hyphen ("--5"), a number that starts a range or a phone number itself
# ("-2012-2015"), nor after a number and a space ("2019 -2020": a range typed loosely).
_MINUS = rx(
    r"(?:^|(?<=[\s(\[{…=<>≈≤≥≠±~/:;«„\"“]))(<M>)-(<M>)(?=\d)(?!\d+(?:[.,]\d+)?[-\u2013]\d)"
)
_NUMBER_SPACE_BEFORE = re.compile(r"[\d²³][\ufffc]*[ \u00a0][\ufffc]*$")


def _minus(match: re.Match[str]) -> str:
    head = match.string[max(0, match.start() - 8) : match.start()]
    if _NUMBER_SPACE_BEFORE.search(head):
        return match.group(0)
    return f"{match.group(1)}{MINUS}{match.group(2)}"


def minus(text: str) -> str:
    """A hyphen before a negative number becomes a minus: −5 °C, до −2, −14…−16.

    Ranges (5–7), phone numbers, dates, codes (Ту-154) and list dashes keep their hyphen."""
    return _MINUS.sub(_minus, text) if "-" in text else text


# --- mathematical signs and arrows ------------------------------------------------------------

# Each operator is typed alone: one glued to another operator character, typed or already typeset
# ("!==", "-->", "<=<", "→!=", "<=-5"), is code or noise and is left as it is.
_OPERATOR = "!?<>=+\\-~≤≥≠±→←⇔"
_MATH = tuple(
    (typed, re.compile(rf"(?<![{_OPERATOR}]){re.escape(typed)}(?![{_OPERATOR}\u2212)])"), sign)
    for typed, sign in (("<=>", "⇔"), ("->", "→"), ("<-", "←"), ("!=", "≠"), ("<=", "≤"),
                        (">=", "≥"), ("+-", "±"))
)


def math_signs(text: str) -> str:
    """``!=`` ``<=`` ``>=`` ``+-`` ``->`` ``<-`` ``<=>`` → ≠ ≤ ≥ ± → ← ⇔."""
    for typed, pattern, sign in _MATH:
        if typed in text:
            text = pattern.sub(sign, text)
    return text


# --- multiplication and fractions -------------------------------------------------------------

# 30x3, 30 x 3, 30 х 3 (Cyrillic х), 1920x1080 → 30×3; not a hexadecimal 0x1F, not 3x-zoom
_TIMES = rx(
    r"(?<![\w.,])(\d+(?:[.,]\d+)?)(<M>)[ \u00a0]?[xх×][ \u00a0]?(<M>)(?=\d+(?:[.,]\d+)?(?![\w]))"
)


_TIMES_PROBE = re.compile(r"\d\ufffc*[ \u00a0]?[xх×][ \u00a0]?\ufffc*\d")


def _times(match: re.Match[str]) -> str:
    number, left, right = match.groups()
    if number == "0" and match.group(0)[1:2] in "xх":
        return match.group(0)  # 0x1F: a hexadecimal number
    return f"{number}{left}×{right}"


def times(text: str) -> str:
    """A multiplication between numbers: 30 x 3 → 30×3, 1920х1080 → 1920×1080."""
    return _TIMES.sub(_times, text) if _TIMES_PROBE.search(text) else text


_FRACTIONS = {"1/2": "½", "1/4": "¼", "3/4": "¾"}
# a fraction standing alone: not a date (1/2/2024), a house number (д. 1/2), a score or 11/2
_FRACTION = re.compile(r"(?<![\w./\-\u2212])([13])/([24])(?![\w/\-]|[.,][\d½¼¾])")
_ADDRESS_BEFORE = re.compile(r"(?:\b(?:д|дом|кв|корп|стр|уч|№)\.?|№)[\s\u00a0\u202f\ufffc]*$",
                             re.IGNORECASE)


def _fraction(match: re.Match[str]) -> str:
    glyph = _FRACTIONS.get(match.group(0))
    if glyph is None or _ADDRESS_BEFORE.search(match.string[max(0, match.start() - 8) :
                                                               match.start()]):
        return match.group(0)
    return glyph


def fractions(text: str) -> str:
    """1/2, 1/4, 3/4 standing alone → ½, ¼, ¾ (not in dates, addresses or paths)."""
    return _FRACTION.sub(_fraction, text) if "/" in text else text


# --- degrees, copyright, № --------------------------------------------------------------------

# "200 C", "-20 C", "+1,5 F" (Latin C or F after a number) → 200 °C
_DEGREES = rx(
    r"(?<![\w.,/$€£¥₽₸])(?<![$€£¥₽₸][ \u00a0])"
    r"([+\-−±≈]?\d+(?:[.,]\d+)?)(<M>)[ \u00a0]?(<M>)([CF])(?![\w°\-\u2013\u2014])"
)


def degrees(text: str) -> str:
    """A temperature typed without the degree sign: 200 C → 200\u00a0°C, 300 F → 300\u00a0°F."""
    if "C" not in text and "F" not in text:
        return text
    return _DEGREES.sub(rf"\1\2{NBSP}\3°\4", text)


# "(c)", "(с)" (Cyrillic), "Copyright (c)" → ©; "(r)" → ®; "(tm)" → ™. A lone "(с)" is only a
# copyright before a year, a name or the end: "(с) 2024 Редакция"; in "пункты (а), (б), (с)" it
# is a list label.
_COPYRIGHT = re.compile(r"(?:[Cc]opyright\s+)?\(([cс])\)(?=\s*(?:\d|[A-ZА-ЯЁ«»„“”\"'$€£¥₽₸]|$))",
                        re.IGNORECASE)
_REGISTERED = re.compile(r"\((r|tm)\)", re.IGNORECASE)


def copyright_signs(text: str) -> str:
    """(c) → ©, (r) → ®, (tm) → ™."""
    if "(" not in text:
        return text
    text = _COPYRIGHT.sub("©", text)
    return _REGISTERED.sub(lambda m: "®" if m.group(1).lower() == "r" else "™", text)


_DOUBLE_NUMERO = re.compile("№№+")


def numero_plural(text: str) -> str:
    """``№№ 5–10`` → ``№ 5–10``: the sign is not doubled for a plural (Мильчин)."""
    return _DOUBLE_NUMERO.sub("№", text) if "№№" in text else text
