"""Russian typography rules for one paragraph of plain text: the word rules of rule set 1.

These functions belong to rule set 1 (:data:`.rulesets.RULESET_1`), frozen: the printed editions
of layout weekly-a3@1 must rebuild to the same bytes, so neither these functions nor the ones of
:mod:`.punctuation` and :mod:`.numbers` that the set uses may change behaviour (the test
``test_rule_set_1_reproduces_its_pinned_outputs`` guards that). A better rule goes into rule set 2
as a new function (:mod:`.rulesets` lists both sets and applies them).

Every rule keeps every U+FFFC (the caller's inline-markup boundaries) and treats it as
transparent; URLs and e-mail addresses are protected before the rules run and restored after.
U+00A0 is the no-break space, U+202F the narrow no-break space (digit groups, № and §).
"""

from __future__ import annotations

import re

from ._base import CYR_UPPER, NBSP, OBJ, before, rx, words

# --- initials ---------------------------------------------------------------------------------

_SURNAME = r"<U><l>+(?:-<U><l>+)?"
# А.С. Пушкин, А. С. Пушкин → А. С. Пушкин (two initials, then one)
_TWO_INITIALS = rx(
    rf"(?<![\w.\-])(<U>)\.(<M>)[ {NBSP}]?(<M>)(<U>)\.(<M>)[ {NBSP}]?(<M>)(?={_SURNAME})"
)
_ONE_INITIAL = rx(rf"(?<![\w.\-])(<U>)\.(<M>)[ {NBSP}]?(<M>)(?={_SURNAME})")
# Пушкин А. С., Пушкин А.С. — unless the initials belong to the next surname
_SURNAME_FIRST = rx(
    rf"(?<![\w\-])({_SURNAME})(<M>) (<M>)(<U>)\.(?:(<M>)[ {NBSP}]?(<M>)(<U>)\.)?"
    rf"(?!<M>[ {NBSP}]?<M><U><l>)"
)


def _surname_first(match: re.Match[str]) -> str:
    surname, m1, m2, first, m3, m4, second = match.groups()
    text = f"{surname}{m1}{NBSP}{m2}{first}."
    if second is not None:
        text += f"{m3}{NBSP}{m4}{second}."
    return text


def initials(text: str) -> str:
    """Initials glued to each other and to the surname: А. С. Пушкин, Пушкин А. С."""
    if "." not in text:
        return text
    text = _TWO_INITIALS.sub(rf"\1.\2{NBSP}\3\4.\5{NBSP}\6", text)
    text = _ONE_INITIAL.sub(rf"\1.\2{NBSP}\3", text)
    return _SURNAME_FIRST.sub(_surname_first, text)


# --- abbreviations ----------------------------------------------------------------------------

# т. е., т. д., т. п., т. к., н. э., тыс. руб., ст. ст.: two short lowercase abbreviations
_PAIR = rx(rf"(?<![\w.\-])([а-яёА-ЯЁ][а-яё]{{0,2}})\.(<M>)[ {NBSP}]?(<M>)([а-яё]{{1,3}})\.")
NOT_PAIRS = {"рф", "ру", "рус", "орг", "укр", "бг", "срб", "мм", "гг"}
# г. Астана, ул. Абая, д. 10, см. рис. 5, с. 45, ст. 5, им. Абая: glued to what follows
_FORWARD = rx(
    r"(?<![\w.\-])([гдсптчш]|(?i:ул|пр|просп|пл|пер|бул|наб|кв|корп|стр|пп|ст|гл|мкр|пос|им|см"
    r"|рис|табл|илл|прил|акад|проф|доц|оф|комн|эт|разд))\.(<M>) (<M>)"
    r"(?=[\w«„\"(№\ue000-\uf8ff])"
)
# after a number these are units (2024 г., 10 ч., 5 т.), not abbreviations before a name
UNIT_ABBRS = frozenset(words("г д с т ч"))
PAIR_FIRST = re.compile(r"(?:^|[^\w])[тТнН]\.[ \u00a0]$")
NUMBER_BEFORE = re.compile(r"\d[\u00a0\u202f ]?$")


def _pair(match: re.Match[str]) -> str:
    first, m1, m2, second = match.groups()
    if second in NOT_PAIRS or first.lower() in ("дд", "мм", "млн"):
        return match.group(0)
    return f"{first}.{m1}{NBSP}{m2}{second}."


def _forward(match: re.Match[str]) -> str:
    abbr, m1, m2 = match.groups()
    prefix = before(match.string, match.start(), 4)
    if abbr in UNIT_ABBRS and NUMBER_BEFORE.search(prefix):
        return match.group(0)
    if len(abbr) == 1 and PAIR_FIRST.search(prefix):  # second part of т. д., т. п.
        return match.group(0)
    return f"{abbr}.{m1}{NBSP}{m2}"


def abbreviations(text: str) -> str:
    """т. е., и т. д., т. к.; г. Астана, ул. Абая, д. 10, см. рис. 5 (no-break spaces)."""
    if "." not in text:
        return text
    text = _PAIR.sub(_pair, text)
    text = _PAIR.sub(_pair, text)  # the third part of а. е. м.
    return _FORWARD.sub(_forward, text)


# --- legal forms, particles, short words ------------------------------------------------------

_LEGAL = rx(
    r"<B>(ТОО|АО|ИП|ООО|ОАО|ЗАО|ПАО|НАО|АОЗТ|ГУ|КГУ|РГУ|РГП|КГП|ГКП|ГККП|НИИ|ПК|ЧП|ПБОЮЛ)"
    rf"(<M>) (<M>)(?=[«„\"{CYR_UPPER}A-Z])"
)


def legal_forms(text: str) -> str:
    """A legal form glued to the name that follows: ТОО\u00a0«Альфа», ИП\u00a0Иванов."""
    return _LEGAL.sub(rf"\1\2{NBSP}\3", text)


PARTICLES = "ли|ль|же|ж|бы|б"
_PARTICLE = rx(rf"<A>(<M>) (<M>)((?i:{PARTICLES}))<E>")


def particles(text: str) -> str:
    """No-break space before the particles ли, ль, же, ж, бы, б: может\u00a0ли, так\u00a0же."""
    return _PARTICLE.sub(rf"\1{NBSP}\2\3", text)


SHORT_WORDS = words(
    "без безо для при под подо про над как или если что это его она они оно где так все всё "
    "вся тот эта эти нет уже кто вне изо обо ото меж из-за из-под по-над"
)
_SHORT_WORD = rx(
    rf"<B>(?!(?i:{PARTICLES})<E>)"
    rf"((?i:{'|'.join(w.replace('-', '<M>-<M>') for w in sorted(SHORT_WORDS, key=len)[::-1])})"
    r"|<C>{1,2})"
    r"(<M>) (<M>)(?=<W>)"
)


# units that look like short words: "5 км пути" keeps its space after "км"
SHORT_UNITS = frozenset(words("мм см дм км м кг мг г т ц га мл л ч кВ Вт Гц"))


def _short_word(match: re.Match[str]) -> str:
    word, m1, m2 = match.groups()
    if word in SHORT_UNITS and NUMBER_BEFORE.search(before(match.string, match.start(), 4)):
        return match.group(0)
    return f"{word}{m1}{NBSP}{m2}"


def short_words(text: str) -> str:
    """No-break space after 1–2-letter words and the house list (для, при, без, что…)."""
    return _SHORT_WORD.sub(_short_word, text)


_LAST_WORD = rx(rf"<A>(<M>) (<M>)(<L>{{1,3}}[{OBJ}.!?…»“\"')\]]*)(?=[ \t]*\Z)")


def last_word(text: str) -> str:
    """The paragraph's last word of 1–3 letters glued to the word before: дряхлая\u00a0моя!"""
    return _LAST_WORD.sub(rf"\1{NBSP}\2\3", text, count=1)
