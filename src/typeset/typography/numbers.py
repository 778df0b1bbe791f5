"""Number rules: ranges, digit groups, units, multipliers, currency, №/§, dates and years.

Each function takes and returns one paragraph of text (see :mod:`typeset.typography.rules` for the
order they run in). A rule only turns an existing ordinary space into a no-break one; it inserts a
space only after № and §.
"""

from __future__ import annotations

import re

from ._base import EN, NBSP, NNBSP, before, rx, words

# --- ordinals: 1-й, 2024-го --------------------------------------------------------------------

_ENDINGS = (
    "ого|его|ому|ему|ыми|ими|ой|ей|ый|ий|ая|яя|ое|ее|ые|ие|ых|их|ым|им|ом|ем|ую|юю|го|му|ми"
    "|ти|х|м|й|я|е|ю"
)
# 1990 -х, 2024- го, 5 - го → glued; a one-letter ending only with one space ("5 - я" may be speech)
_ORDINAL = rx(
    rf"(?<![\w.,])(\d+)(<M>)(?: -| - |- )(<M>)({_ENDINGS})<E>"
)


def _ordinal(match: re.Match[str]) -> str:
    number, left, right, ending = match.groups()
    if len(ending) == 1 and " - " in match.group(0):
        return match.group(0)
    return f"{number}{left}-{right}{ending}"


def ordinals(text: str) -> str:
    """An ordinal's ending joined to its number with a plain hyphen: 1990-х, 2024-го."""
    return _ORDINAL.sub(_ordinal, text) if "-" in text else text


# --- ranges: en dash without spaces -------------------------------------------------------------

_NUM = r"\d+(?:[.,]\d+)?"
_DASHES = "[-\u2013\u2014]"
# 1941-1945, 2-3, 1,5-2; not phone numbers (32-45-67), dates (25.04-…), negative numbers (-5).
_NUMBER_RANGE = rx(
    rf"(?<![\w.,:/+\-\u2013\u2212])({_NUM})(<M>){_DASHES}(<M>)({_NUM})(?![\w\-\u2013]|[.,:/]\d)"
)
# 1941 - 1945 (years with spaces around the dash)
_YEAR = r"(?:1\d{3}|20\d{2})"
_YEAR_RANGE = rx(
    rf"(?<![\w.,:/+\-\u2013])({_YEAR})(<M>)( ?)(<M>){_DASHES}(<M>)\3(<M>)({_YEAR})"
    r"(?![\w\-\u2013]|[.,:/]\d)"
)
# 9:00-18:00, 9.00 - 18.00, 25.04-30.04
_TIME = r"\d{1,2}[:.]\d{2}"
_TIME_RANGE = rx(
    rf"(?<![\d:.])({_TIME})(<M>)( ?)(<M>){_DASHES}(<M>)\3(<M>)({_TIME})(?![\d\-\u2013]|[:.]\d)"
)
_MONTHS_ANY = (
    r"(?:январ|феврал|апрел|июн|июл|сентябр|октябр|ноябр|декабр)(?:ь|я|е|ю|ём|ем)"
    r"|(?:март|август)(?:а|е|у|ом)?|ма(?:й|я|е|ю|ем|ём)"
)
_WEEKDAYS = (
    r"понедельник(?:а|у|ом|е)?|вторник(?:а|у|ом|е)?|сред(?:а|ы|у|ой|е)|четверг(?:а|у|ом|е)?"
    r"|пятниц(?:а|ы|у|ей|е)|суббот(?:а|ы|у|ой|е)|воскресень(?:е|я|ю|ем)"
)
_WORD_RANGE = rx(
    rf"<B>((?i:{_MONTHS_ANY}|{_WEEKDAYS}))(<M>){_DASHES}(<M>)((?i:{_MONTHS_ANY}|{_WEEKDAYS}))<E>"
)
_ROMAN = r"(?=[IVXLC])C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
_ROMAN_RANGE = rx(rf"<B>({_ROMAN})(<M>)( ?)(<M>){_DASHES}(<M>)\3(<M>)({_ROMAN})<E>")
_SPACED = rf"\1\2\4{EN}\5\6\7"


def ranges(text: str) -> str:
    """En dash, no spaces, in numeric, time, month/weekday and century (roman) ranges."""
    if "-" not in text and EN not in text and "\u2014" not in text:
        return text
    text = _TIME_RANGE.sub(_SPACED, text)
    text = _YEAR_RANGE.sub(_SPACED, text)
    text = _NUMBER_RANGE.sub(rf"\1\2{EN}\3\4", text)
    text = _WORD_RANGE.sub(rf"\1\2{EN}\3\4", text)
    return _ROMAN_RANGE.sub(_SPACED, text)


# --- digit groups -----------------------------------------------------------------------------

_NUMBER = re.compile(
    r"(?<![\w.,:/+\-\u2212\u00ad\u202f])(\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d{5,})"
    r"(?![\w\u00ad]|[.:/\-]\d|\ufffc*[ \u00a0]\ufffc*\d)"
)
# Identifiers that are never grouped: № 12345, ИИН 123456789012, тел. 87001234567, индекс 140000.
_IDENTIFIER_BEFORE = re.compile(
    r"(?:№|#|\bN|\b(?:ИИН|БИН|ИНН|КПП|ОГРН|БИК|КБК|КНП|IBAN|тел|т|факс|индекс|код|сч[её]т|р/с|"
    r"артикул|арт))\.?[\s:]*$",
    re.IGNORECASE,
)


def _group(match: re.Match[str]) -> str:
    number = match.group(1)
    digits = "".join(ch for ch in number if ch.isdigit())
    if len(digits) > 1 and digits[0] == "0":
        return number
    if len(digits) >= 10 and (digits[0] in "78" or len(digits) == 12):
        return number  # a phone number or an ИИН/БИН
    if _IDENTIFIER_BEFORE.search(before(match.string, match.start())):
        return number
    if len(digits) < 5 and not any(not ch.isdigit() for ch in number):
        return number
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return NNBSP.join(groups)


def digit_groups(text: str) -> str:
    """Numbers of 5+ digits in groups of three with U+202F; spaced groups normalised."""
    return _NUMBER.sub(_group, text)


# --- units ------------------------------------------------------------------------------------

_POWER = rx(r"<B>(км|дм|см|мм|м)([23])(?![\w])")
_LATIN_POWER = re.compile(r"(?<=\d)([ \u00a0]?)(km|dm|cm|mm|m)([23])(?![\w])")
_SUPERSCRIPT = {"2": "²", "3": "³"}
_LATIN_UNIT = {"km": "км", "dm": "дм", "cm": "см", "mm": "мм", "m": "м"}


def unit_powers(text: str) -> str:
    """м2 → м², км2 → км², м3 → м³; Latin m2 after a number → м²."""
    if "2" not in text and "3" not in text:
        return text
    text = _POWER.sub(lambda m: m.group(1) + _SUPERSCRIPT[m.group(2)], text)
    return _LATIN_POWER.sub(
        lambda m: m.group(1) + _LATIN_UNIT[m.group(2)] + _SUPERSCRIPT[m.group(3)], text
    )


_UNITS = sorted(
    words(
        "°C °С °F % ‰ км/ч м/с кВт·ч кВт МВт ГВт Вт кВ Гц кГц МГц ГГц "
        "км² км³ м² м³ см² см³ мм² мм³ дм² дм³ мм см дм км м кг мг г т ц га мл л "
        "ч мин сек мс Кбайт Мбайт Гбайт Тбайт КБ МБ ГБ ТБ Кб Мб Гб Тб "
        "шт. чел. экз. ед. кв. куб. тыс. тыс млн. млн млрд. млрд трлн. трлн"
    ),
    key=len,
    reverse=True,
)
_UNIT_ALT = "|".join(re.escape(u) for u in _UNITS)
# "с" (seconds) only at the end of a phrase: "5 с лишним" is a preposition
_NUMBER_UNIT = rx(
    rf"(?<=\d)(<M>) (<M>)(?=(?:{_UNIT_ALT})(?!<M>[\w\u00ad])|с(?!<M>[\w\u00ad]|<M>[ \u00a0]<M><L>))"
)
_SQUARE = rx(r"<B>(кв|куб)\.(<M>) (<M>)(?=(?:к?м|см|дм|мм)[²³]?<E>)")


def units(text: str) -> str:
    """A number glued (U+00A0) to its unit: 5 км, 50 м², 20 °C, 15 %, 5 тыс., 3 кв. м."""
    text = _NUMBER_UNIT.sub(rf"\1{NBSP}\2", text)
    return _SQUARE.sub(rf"\1.\2{NBSP}\3", text)


# --- multipliers and currency -----------------------------------------------------------------

_CURRENCY = (
    r"тенге|тг\.|руб\.|рублей|рубля|рубль|коп\.|копеек|долл\.|долларов|доллара|доллар|евро"
    r"|юаней|сомов|USD|EUR|RUB|KZT|CNY|[$€₽₸£¥]"
)
_MULTIPLIER_DOT = rx(
    r"<B>(млн|млрд|трлн)\.(?=<M>(?:[ \u00a0]+<M>(?:[a-zа-яёәғқңөұүһі$€₽₸£¥\d(«\"„])|[,;:)]))"
)
_MULTIPLIER_CURRENCY = rx(rf"<B>(тыс\.|млн|млрд|трлн)(<M>) (<M>)(?=(?:{_CURRENCY})<E>)")
NUMBER_CURRENCY = rx(rf"(?<=\d)(<M>) (<M>)(?=(?:{_CURRENCY})<E>)")
_SIGN_NUMBER = rx(r"([$€₽₸£¥])(<M>) (<M>)(?=\d)")


def multipliers(text: str) -> str:
    """«млн.»/«млрд.» lose their wrong period; тыс./млн/млрд glued to a following currency."""
    if "тыс" not in text and "мл" not in text and "трлн" not in text:
        return text
    text = _MULTIPLIER_DOT.sub(r"\1", text)
    return _MULTIPLIER_CURRENCY.sub(rf"\1\2{NBSP}\3", text)


_RELATION = rx(r"(?<![\w≈≤≥≠±~<>=])([≈≤≥≠±~<>=])(<M>) (<M>)(?=[−-]?\d)")


def signs(text: str) -> str:
    """A sign of relation or tolerance glued to the number after it: ≈ 3 мм, ≤ 5, ± 0,5."""
    return _RELATION.sub(rf"\1\2{NBSP}\3", text)


def currency(text: str) -> str:
    """A number glued to its currency: 100 тенге, 5 руб., 20 $, $ 20."""
    text = NUMBER_CURRENCY.sub(rf"\1{NBSP}\2", text)
    return _SIGN_NUMBER.sub(rf"\1\2{NBSP}\3", text)


# --- signs, dates, years ------------------------------------------------------------------------

_NUMERO = rx(r"(?<![№§])(№++|§++)(<M>)[ \u00a0\u202f]*(<M>)(?=[\w\ue000-\uf8ff])")


def numero(text: str) -> str:
    """№ and § glued to their number with U+202F (a space is inserted when missing)."""
    if "№" not in text and "§" not in text:
        return text
    return _NUMERO.sub(rf"\1\2{NNBSP}\3", text)


_MONTHS_GENITIVE = (
    "января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря"
)
_DAY_MONTH = rx(rf"(?<![\d.,])(\d{{1,2}})(<M>) (<M>)(?=(?i:{_MONTHS_GENITIVE})<E>)")


def dates(text: str) -> str:
    """A day glued to its month: 9 мая."""
    return _DAY_MONTH.sub(rf"\1\2{NBSP}\3", text)


_YEAR_ABBR = rx(r"(?<=\d)(<M>) (<M>)(?=гг?\.)")
_CENTURY_ABBR = rx(r"(?<=[IVXLC])(<M>) (<M>)(?=вв?\.)")


def years(text: str) -> str:
    """Years and centuries glued to г./гг./в./вв.: 2024 г., 1941–1945 гг., XV–XVI вв."""
    if "г." not in text and "в." not in text:
        return text
    text = _YEAR_ABBR.sub(rf"\1{NBSP}\2", text)
    return _CENTURY_ABBR.sub(rf"\1{NBSP}\2", text)
