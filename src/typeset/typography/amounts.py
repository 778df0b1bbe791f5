"""Rule set 2: amounts — ordinal endings, decades, years and centuries, money, missing spaces.

Each function takes and returns one paragraph of text; they keep every U+FFFC (markup boundary)
and every protected-span placeholder. None touches a decimal number, a time, a version number
(``1.2.3``) or a code like ``Ту-154`` or ``COVID-19``.
"""

from __future__ import annotations

import re

from . import numbers
from ._base import NBSP, PUA, before, rx
from .numbers import NUMBER_CURRENCY

# --- ordinal endings: 5-ый → 5-й (Мильчин) ----------------------------------------------------

# An ordinal number takes a one-letter ending when the word's last syllable starts with a vowel
# (пятый → 5-й, пятая → 5-я), a two-letter one when it starts with a consonant (пятого → 5-го).
_SHORT_ENDING = {
    "ый": "й", "ой": "й", "ий": "й", "ей": "й", "ая": "я", "яя": "я", "ое": "е", "ее": "е",
    "ые": "е", "ие": "е", "ых": "х", "их": "х", "ым": "м", "им": "м", "ом": "м", "ем": "м",
    "ую": "ю", "юю": "ю", "ого": "го", "его": "го", "ому": "му", "ему": "му", "ыми": "ми",
    "ими": "ми",
    # третий, третья, третье…: the soft sign goes too
    "ья": "я", "ье": "е", "ьи": "и", "ью": "ю", "ьей": "й", "ьего": "го", "ьему": "му",
    "ьих": "х", "ьим": "м", "ьими": "ми",
}
_ORDINAL_ENDING = rx(
    r"(?<![\w.,])(\d+[%‰]?)(<M>)-(<M>)"
    rf"({'|'.join(sorted(_SHORT_ENDING, key=len, reverse=True))})<E>"
)


_ORDINAL_PROBE = re.compile(r"\d[%‰]?\ufffc*-\ufffc*[ыоиеаяуюь]")


def ordinal_endings(text: str) -> str:
    """An ordinal's ending cut to its last letters: 5-ый → 5-й, 2-ое → 2-е, 22-ого → 22-го."""
    if not _ORDINAL_PROBE.search(text):
        return text
    return _ORDINAL_ENDING.sub(
        lambda m: f"{m.group(1)}{m.group(2)}-{m.group(3)}{_SHORT_ENDING[m.group(4)]}", text)


# --- decades: 80-90-е → 80–90-е ---------------------------------------------------------------

_DECADES = rx(
    r"(?<![\w.,\-\u2013\u2212])(\d*0)(<M>)[-\u2013\u2014](<M>)(\d*0)"
    r"(<M>-<M>(?:е|х|м|ми|ю|й|го|му))<E>"
)


_DECADES_PROBE = re.compile(r"0\ufffc*[-\u2013\u2014]\ufffc*\d*0\ufffc*-")


def decades(text: str) -> str:
    """A range of decades takes an en dash: 80-90-е → 80–90-е, 1980-2010-е → 1980–2010-е."""
    if not _DECADES_PROBE.search(text):
        return text
    return _DECADES.sub("\\1\\2\u2013\\3\\4\\5", text)


# --- years and centuries: 2012-2015г.г. → 2012-2015 гг., XXв. → XX в. -------------------------

_DASH = "[-\u2013\u2014]"
_ROMAN = "[IVXLC]+"
# a range of years or centuries: the abbreviation is plural ("гг.", "вв."), glued with U+00A0;
# "г.г.", "г. г." and a singular "г." after a range all become "гг."
_YEAR_RANGE_ABBR = rx(
    rf"(?<![\w.,])(\d{{4}}<M>{_DASH}<M>\d{{4}})(<M>)[ \u00a0]?(<M>)"
    r"(?:гг\.|г\.(?:<M>[ \u00a0]?<M>г\.)?)(?!<M>\w)"
)
_CENTURY_RANGE_ABBR = rx(
    rf"<B>({_ROMAN}<M>{_DASH}<M>{_ROMAN})(<M>)[ \u00a0]?(<M>)"
    r"(?:вв\.|в\.(?:<M>[ \u00a0]?<M>в\.)?)(?!<M>\w)"
)
# a century glued to its abbreviation: "XXв." → "XX в."
_CENTURY_ABBR = rx(rf"<B>({_ROMAN})(<M>)(вв?\.)")


def periods(text: str) -> str:
    """Years and centuries with their abbreviation: 2012-2015г.г. → 2012-2015\u00a0гг.,
    XX-XXI в. → XX-XXI\u00a0вв., XXв. → XX\u00a0в."""
    if "г." in text:
        text = _YEAR_RANGE_ABBR.sub(rf"\1\2{NBSP}\3гг.", text)
    if "в." in text:
        text = _CENTURY_RANGE_ABBR.sub(rf"\1\2{NBSP}\3вв.", text)
        text = _CENTURY_ABBR.sub(rf"\1\2{NBSP}\3", text)
    return text


# --- a number glued to its unit, multiplier, currency or «год» --------------------------------

# "2млн", "1тыс.", "10руб.", "5км", "45м2", "2024г." → a no-break space; "2002году" → a space.
# Units only in their exact spelling (Cyrillic, case-sensitive): "Ту-154М", "2ГИС", "1С", "5G"
# are names, not amounts; "$100км" is not an amount either (and "money" leaves it alone too).
_GLUED_UNITS = (
    "км|м|см|мм|дм|кг|г|мг|т|ц|га|л|мл|ч|мин|сек|кВт|МВт|ГВт|Вт|кВ|Гц|кГц|МГц|ГГц"
    "|тыс\\.|тыс|млн|млрд|трлн|руб\\.|руб|коп\\.|коп|тг|долл\\.|тенге"
)
_YEAR_WORD = "год|года|году|годом|годе"
_GLUED = rx(
    r"(?<![\w.,\u2013/$€£¥₽₸\u202f])(?<!\w[\-\u2212])(?<![$€£¥₽₸][ \u00a0])"
    r"(\d+(?:\u202f\d{3})*(?:[.,]\d+)?)(<M>)"
    rf"((?:{_YEAR_WORD})(?!<M>[\w\u00ad])|(?:{_GLUED_UNITS})(?:(?<=м)[23])?(?!<M>[\w\u00ad]))"
)


_GLUED_PROBE = re.compile(r"\d\ufffc*[а-яёА-ЯЁ]")


def _glued(match: re.Match[str]) -> str:
    number, boundary, word = match.groups()
    space = " " if word.startswith("год") else NBSP
    return f"{number}{boundary}{space}{word}"


def missing_spaces(text: str) -> str:
    """The missing space after a number: 2млн → 2\u00a0млн, 10руб. → 10\u00a0руб.,
    2002году → 2002 году."""
    return _GLUED.sub(_glued, text) if _GLUED_PROBE.search(text) else text


# --- money: the currency sign after the amount ------------------------------------------------

_SIGNS = "$€£¥₽₸"
# "$100", "$ 2.5", "$100 000", "$100 млн" → "100 $", "100 млн $" (Мильчин: the sign follows the
# number, as a unit does). Not "US$", not "$ 30" in "20 $ 30 центов" (it belongs to the 20), not
# a sign glued to a protected token (a URL or a file name is a word), not "$100v2" or "$5x3".
# Markup boundaries are transparent: they stay where they are, the sign moves past them.
_SIGN_FIRST = re.compile(
    rf"([{_SIGNS}])[ \u00a0]?"
    r"(\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)(?![\d\u202f]|[.,:/][\d½¼¾])"
    r"(?:(\ufffc*[ \u00a0]?\ufffc*)(тыс\.|млн|млрд|трлн))?(\ufffc*)(?![\w×/])"
)
# a sign right after a word, an amount, or an amount's multiplier («100 млн $ 1»: the sign
# already follows its amount and stays there)
_NOT_BEFORE_SIGN = re.compile(
    rf"(?:[\w.{PUA}{_SIGNS}]|[\d½¼¾²³][ \u00a0]|(?:тыс\.|млн|млрд|трлн)[ \u00a0])$")
_SIGN_GLUED = re.compile(rf"(?<![\w,×\u202f{PUA}])(\d+(?:[.,]\d+)?)(\ufffc*)([{_SIGNS}])")


def _sign_first(match: re.Match[str]) -> str:
    sign, number, between, multiplier, after = match.groups()
    if _NOT_BEFORE_SIGN.search(before(match.string, match.start(), 6)):
        return match.group(0)
    if multiplier:
        boundaries = between.replace(" ", "").replace(NBSP, "")
        return f"{number}{boundaries}{NBSP}{multiplier}{after}{NBSP}{sign}"
    return f"{number}{after}{NBSP}{sign}"


def money(text: str) -> str:
    """A currency sign follows its amount with U+00A0: $100 → 100\u00a0$, 100$ → 100\u00a0$."""
    if not any(sign in text for sign in _SIGNS):
        return text
    for _ in range(3):  # "$100$200": moving one sign may free the next
        moved = _SIGN_FIRST.sub(_sign_first, text)
        if moved == text:
            break
        text = moved
    return _SIGN_GLUED.sub(rf"\1\2{NBSP}\3", text)


def currency(text: str) -> str:
    """A number glued to its currency after it: 100\u00a0тенге, 5\u00a0руб., 20\u00a0$. (Rule set 1
    also glued a sign to the number after it; rule set 2 has moved such signs after the number,
    so a sign still before one belongs to the number before it: «20\u00a0$ 30 центов».)"""
    return NUMBER_CURRENCY.sub(rf"\1{NBSP}\2", text)


_SHORT_MONTHS = "янв|фев|февр|мар|апр|июн|июл|авг|сен|сент|окт|ноя|нояб|дек"
_DAY_SHORT_MONTH = rx(rf"(?<![\d.,])(\d{{1,2}})(<M>) (<M>)(?=(?i:{_SHORT_MONTHS})\.?(?!<M>\w))")


_SHORT_MONTH_PROBE = re.compile(rf"\d\ufffc* \ufffc*(?i:{_SHORT_MONTHS})")


def dates(text: str) -> str:
    """A day glued to its month, written out or shortened: 9\u00a0мая, 20\u00a0дек."""
    text = numbers.dates(text)
    if not _SHORT_MONTH_PROBE.search(text):
        return text
    return _DAY_SHORT_MONTH.sub(rf"\1\2{NBSP}\3", text)


def digit_groups(text: str) -> str:
    """Numbers of 5+ digits in groups of three with U+202F, as rule set 1 does, but run until
    stable: in "100 122024" rule set 1 groups the second number, and only a second run sees
    "100 122 024" as one number (rule set 1, frozen, keeps that flaw)."""
    grouped = numbers.digit_groups(text)
    return grouped if grouped == text else numbers.digit_groups(grouped)
