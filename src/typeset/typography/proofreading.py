"""Proofreading: spots in a paragraph that need a human, reported and never edited.

The typography rules fix what has one right answer. Where a fix needs a judgement — which of two
repeated words to keep, whether a comma is missing, what an author meant by ``!!!`` — typeset
reports the spot instead: :func:`proofread` takes one raw paragraph (as written in the article,
Markdown and all) and returns a :class:`Remark` for each such spot, with character offsets into
that text, so that a report can say ``articles/x.md:12: proofreading: …`` and quote the place.

Every remark has a stable code; a newspaper can switch any of them off (``skip``). The codes, in
:data:`CODES`:

``repeated-word``         a word typed twice: «слова слова» (not «еле-еле», «да, да»)
``missing-comma``         a likely missing comma before «а» or «но» joining two clauses
``exclamations``          more than one mark: ``!!``, ``!!!``, ``?!!``, ``??``
``mixed-script``          Latin letters inside a Cyrillic word, or the reverse: «Пaвлодар»
``mixed-quotes``          outer quotes of two kinds in one paragraph: «…» and "…"
``unbalanced``            a quote or bracket opened and not closed, or closed and not opened
``double-punctuation``    ``,,``, ``..``, ``;;``, ``.,``: a mark typed twice or two marks in a row
``no-space-after-period`` a sentence glued to the one before: «конец.Начало»
``latin-homoglyph``       a letter among digits: «2O24» with a Latin O, «1З» with a Cyrillic З
``loose-hyphen``          a hyphen with a space on one side only: «Москва -столица»

Nothing inside a code span (`` `…` ``), a link target, a URL, an e-mail address or a code-like
token (a file name, a path, an identifier) is reported.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass

from ._base import CODE_RE, PROTECT_2_RE

#: Every code, with what it reports.
CODES: dict[str, str] = {
    "repeated-word": "a word typed twice in a row",
    "missing-comma": "a likely missing comma before «а» or «но» joining two clauses",
    "exclamations": "two or more exclamation or question marks: !!, !!!, ?!!, ??",
    "mixed-script": "Latin letters inside a Cyrillic word, or Cyrillic inside a Latin one",
    "mixed-quotes": "outer quotes of two different kinds in one paragraph",
    "unbalanced": "a quote or bracket opened and not closed, or closed and not opened",
    "double-punctuation": "a punctuation mark typed twice, or two marks in a row: ,, .. ;; .,",
    "no-space-after-period": "a sentence glued to the one before it: «конец.Начало»",
    "latin-homoglyph": "a letter that looks like a digit inside a number: 2O24",
    "loose-hyphen": "a hyphen with a space on one side only",
}


@dataclass(frozen=True)
class Remark:
    """One spot for the proofreader: ``text[start:end]`` of the paragraph given."""

    code: str
    start: int
    end: int
    message: str
    suggestion: str | None = None


def _quote(text: str, start: int, end: int, margin: int = 0) -> str:
    """The spot (with ``margin`` characters around it), on one line, for a message."""
    return " ".join(text[max(0, start - margin) : end + margin].split())


# --- repeated words ---------------------------------------------------------------------------

# Two equal words with only spaces between them; not a part of a compound ("что что-то",
# "еле-еле"), not a number.
_REPEATED = re.compile(r"(?<![\w\-])([^\W\d_]+)(\s+)(\1)(?![\w\-])", re.IGNORECASE)


def _repeated_words(text: str) -> Iterator[Remark]:
    for match in _REPEATED.finditer(text):
        start, end = match.start(), match.end()
        spot = _quote(text, start, end)
        yield Remark("repeated-word", start, end,
                     f"repeated word «{spot}»: delete one (or join them with a hyphen, as in "
                     "«еле-еле», if that is meant)", match.group(1))


# --- a missing comma before «а», «но» ---------------------------------------------------------

# "<word> а <word>", "<word> но <word>" inside a sentence: Russian puts a comma before «а» and «но»
# whenever they join two clauses or two parts of one, «не синий, а красный» included. Reported
# only between two words, with a word of three or more letters before (not «и а», «ну а», «да
# но») and a lower-case one after, so that a sentence opening with «А» or «Но», a letter «а» in a
# list and «без всяких но» stay silent.
_BEFORE_CONJUNCTION = re.compile(
    r"(?<![\w\-])([А-ЯЁа-яё][а-яё]{2,})[ \t\u00a0]+(а|но)[ \t\u00a0]+(?=[а-яё])"
)
_NOT_BEFORE = frozenset(("или", "либо", "ведь", "вот", "так", "как", "что", "чем", "тем",
                         "уже", "еще", "ещё", "даже", "лишь", "только", "ну"))


def _missing_commas(text: str) -> Iterator[Remark]:
    for match in _BEFORE_CONJUNCTION.finditer(text):
        word, conjunction = match.group(1), match.group(2)
        if word.lower() in _NOT_BEFORE:
            continue
        start, end = match.start(1), match.end(2)
        yield Remark("missing-comma", start, end,
                     f"a comma missing before «{conjunction}» in «{_quote(text, start, end)}»? "
                     f"«{conjunction}» joining two clauses takes one",
                     f"{word}, {conjunction}")


# --- exclamations, double punctuation ----------------------------------------------------------

_MARKS = re.compile(r"[!?]{2,}")


def _exclamations(text: str) -> Iterator[Remark]:
    for match in _MARKS.finditer(text):
        marks = match.group(0)
        if marks in ("?!", "!?"):
            continue  # the one allowed pair (rule set 2 writes "!?" as "?!")
        yield Remark("exclamations", match.start(), match.end(),
                     f"«{marks}»: a newspaper sets one mark, or «?!» for a question asked with "
                     "feeling", "?!" if "?" in marks else "!")


# ",,", ";;", "::", ",.", ",;"; two periods that are not an ellipsis ("...", "?..") — but not
# ".," or ".:", which end an abbreviation: "и т. д., и т. п."
_DOUBLE = re.compile(r"(?<![.!?…])\.\.(?!\.)|(?<!:)[,;:][,;:.](?!:)")


def _double_punctuation(text: str) -> Iterator[Remark]:
    for match in _DOUBLE.finditer(text):
        start, end = match.start(), match.end()
        if match.group(0) == ".." and start and text[start - 1].isdigit() and \
                end < len(text) and text[end].isdigit():
            continue  # "1..5": a range written as in code
        if match.group(0) in ("::", ":.") and end < len(text) and text[end].isalnum():
            continue  # "std::vector"
        yield Remark("double-punctuation", start, end,
                     f"«{match.group(0)}» in «{_quote(text, start, end, 8)}»: one mark too many?",
                     match.group(0)[-1] if match.group(0) != ".." else ".")


# --- scripts: Latin among Cyrillic, letters among digits ---------------------------------------

_CYRILLIC = re.compile("[а-яёА-ЯЁәғқңөұүһіӘҒҚҢӨҰҮҺІ]")
_LATIN = re.compile("[A-Za-z]")
# look-alikes: Latin → Cyrillic and back
_TO_CYRILLIC = str.maketrans("aceopxyABCEHKMOPTX", "асеорхуАВСЕНКМОРТХ")
_TO_LATIN = str.maketrans("асеорхуАВСЕНКМОРТХ", "aceopxyABCEHKMOPTX")
_WORD = re.compile(r"[^\W\d_]+")
# "XXв.", "XV–XVIвв.": a Roman century glued to its abbreviation is a missing space, not a typo
_ROMAN_GLUED = re.compile(r"[IVXLC]+вв?")


def _mixed_scripts(text: str) -> Iterator[Remark]:
    for match in _WORD.finditer(text):
        word = match.group(0)
        cyrillic = len(_CYRILLIC.findall(word))
        latin = len(_LATIN.findall(word))
        if not cyrillic or not latin or _ROMAN_GLUED.fullmatch(word):
            continue
        if cyrillic >= latin:
            strays, fixed, script = _LATIN.findall(word), word.translate(_TO_CYRILLIC), "Latin"
            wanted = _LATIN.search(fixed) is None
        else:
            strays, fixed, script = _CYRILLIC.findall(word), word.translate(_TO_LATIN), "Cyrillic"
            wanted = _CYRILLIC.search(fixed) is None
        letters = ", ".join(f"«{ch}»" for ch in dict.fromkeys(strays))
        message = f"mixed scripts in «{word}»: {script} {letters} among the other letters"
        yield Remark("mixed-script", match.start(), match.end(),
                     message + (f"; write «{fixed}»" if wanted else ""),
                     fixed if wanted else None)


# a number with a letter that looks like a digit: 2O24 (O for 0), 1OO, l5 (l for 1), 2З (З for 3)
_LOOKALIKE_DIGITS = {"O": "0", "o": "0", "О": "0", "о": "0", "l": "1", "I": "1", "З": "3"}
_HOMOGLYPH_NUMBER = re.compile(r"(?<![\w.,])\d[\dOoОоlIЗ]+(?![\w])")


def _homoglyphs(text: str) -> Iterator[Remark]:
    for match in _HOMOGLYPH_NUMBER.finditer(text):
        token = match.group(0)
        digits = sum(ch.isdigit() for ch in token)
        if token.isdigit() or (digits < 2 and len(token) < 3):
            continue  # a plain number; "5О" may be a number and a word run together
        fixed = "".join(_LOOKALIKE_DIGITS.get(ch, ch) for ch in token)
        letters = ", ".join(f"«{ch}»" for ch in dict.fromkeys(c for c in token
                                                                  if not c.isdigit()))
        yield Remark("latin-homoglyph", match.start(), match.end(),
                     f"«{token}» is a number with the letter {letters} in it: «{fixed}»?", fixed)


# --- quotes and brackets -------------------------------------------------------------------------

_OPENERS = {"(": ")", "[": "]", "«": "»", "„": "“"}
_CLOSERS = {")": "(", "]": "[", "»": "«"}
# "1)", "а)" opening a list item; ":)", ";)" smileys: a lone closing bracket that is not a slip
_LIST_LABEL = re.compile(r"(?:^|(?<=[\s;]))(?:\d{1,2}|[а-яa-z])\)")
_SMILEY = re.compile(r"[:;]-?[()]")


def _quotes_and_brackets(text: str, style_of: dict[int, str],
                         ignored: list[tuple[int, int]]) -> Iterator[Remark]:
    """Unbalanced quotes and brackets; records the style of every outer opening quote."""
    stack: list[tuple[str, int]] = []
    skip = {m.start() + m.group(0).find(")") for m in _LIST_LABEL.finditer(text)}
    skip |= {m.end() - 1 for m in _SMILEY.finditer(text)}
    skip |= {index for start, end in ignored for index in range(start, end)}
    for index, char in enumerate(text):
        if index in skip:
            continue
        top = stack[-1][0] if stack else ""
        if char in _OPENERS or (char == "“" and top != "„") or (char == '"' and top != '"'):
            if char in "«„“\"" and not any(c in "«„“\"" for c, _ in stack):
                style_of[index] = char
            stack.append((char, index))
        elif char in _CLOSERS or char in "“”\"":
            wanted = _CLOSERS.get(char) or {"“": "„", "”": "“", '"': '"'}[char]
            if char == "”" and top == "„":
                wanted = "„"  # „…” is a closing pair too
            if stack and stack[-1][0] == wanted:
                stack.pop()
            elif any(c == wanted for c, _ in stack):
                while stack and stack[-1][0] != wanted:  # the inner ones were never closed
                    yield _unclosed(text, *stack.pop())
                stack.pop()
            else:
                yield Remark("unbalanced", index, index + 1,
                             f"«{char}» closes what was not opened: "
                             f"«{_quote(text, index, index + 1, 12)}»")
    for char, index in reversed(stack):
        yield _unclosed(text, char, index)


def _unclosed(text: str, char: str, index: int) -> Remark:
    spot = _quote(text, index, index + 1, 12)
    return Remark("unbalanced", index, index + 1,
                  f"«{char}» is not closed in this paragraph: «{spot}»")


def _mixed_quotes(text: str, style_of: dict[int, str]) -> Iterator[Remark]:
    names = {"«": "«ёлочки»", '"': '"straight"', "„": "„лапки“", "“": "“English”"}
    styles = list(dict.fromkeys(style_of.values()))
    if len(styles) < 2:
        return
    first = styles[0]
    for index, style in style_of.items():
        if style != first:
            yield Remark("mixed-quotes", index, index + 1,
                         f"{names[style]} quotes where the paragraph opened with {names[first]}: "
                         "«ёлочки» outside, „лапки“ inside", None)


# --- sentences glued, loose hyphens -----------------------------------------------------------

# "домой.Было": a lower-case word, a period, a capitalised word (not "Яндекс.Такси", a name, nor
# "г.Москва", which the typography rules space themselves)
_GLUED_SENTENCE = re.compile(r"(?<![\w.])([а-яё]{2,})\.([А-ЯЁ][а-яё]+)")
_ABBREVIATIONS = frozenset((
    "ул", "пр", "просп", "пл", "пер", "бул", "наб", "кв", "корп", "стр", "пп", "ст", "гл", "мкр",
    "пос", "им", "см", "рис", "табл", "илл", "прил", "акад", "проф", "доц", "оф", "комн", "эт",
    "разд", "гг", "вв", "тыс", "млн", "млрд", "руб", "коп", "долл", "обл", "ред", "изд", "зам",
))


def _glued_sentences(text: str) -> Iterator[Remark]:
    for match in _GLUED_SENTENCE.finditer(text):
        if match.group(1) in _ABBREVIATIONS:
            continue
        start, end = match.start(), match.end()
        yield Remark("no-space-after-period", start, end,
                     f"no space after the period in «{match.group(0)}»: two sentences?",
                     f"{match.group(1)}. {match.group(2)}")


# "Москва -столица", "слово- слово": a hyphen spaced on one side. Not a suspended hyphen before a
# conjunction («одно- и двухэтажный»), not a minus («до -5»), not a list dash at the start.
_LOOSE_HYPHEN = re.compile(r"(?<=[^\W\d_]) -(?=[^\W\d_])|(?<=[^\W\d_])- (?=[^\W\d_])")
_SUSPENDED = re.compile(r"- (?:и|или|либо|а|а также|но)\s")
# "кто -то", "ну- ка": the typography rules join these themselves
_JOINED_BY_RULES = re.compile(
    r"(?i)(?:- ?(?:то|либо|нибудь|ка|кась|таки|де)(?![\w]))|(?:\b(?:кое|кой|из)\s?-)")


def _loose_hyphens(text: str) -> Iterator[Remark]:
    for match in _LOOSE_HYPHEN.finditer(text):
        start, end = match.start(), match.end()
        hyphen = text.index("-", start)
        if _SUSPENDED.match(text, hyphen) or _JOINED_BY_RULES.match(text, hyphen) or \
                _JOINED_BY_RULES.search(text, max(0, start - 4), end):
            continue
        left = text.rfind(" ", 0, start - 1 if text[start] == " " else start) + 1
        right = text.find(" ", end + 1)
        spot = text[left : right if right >= 0 else len(text)]
        yield Remark("loose-hyphen", start, end,
                     f"a hyphen spaced on one side in «{spot}»: a hyphen (no spaces), a dash "
                     "(spaces on both sides) or a suspended hyphen?")


# --- the report ---------------------------------------------------------------------------------

_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1|\]\([^)\s]*\)", re.DOTALL)


def _ignored(text: str) -> list[tuple[int, int]]:
    """Spans never reported on: code spans, link targets, URLs, e-mails, code-like tokens."""
    spans = [m.span() for m in _CODE_SPAN.finditer(text)]
    spans += [m.span() for m in PROTECT_2_RE.finditer(text)]
    spans += [m.span() for m in CODE_RE.finditer(text) if _LATIN.search(m.group(0))]
    return spans


_CHECKS: tuple[tuple[str, Callable[[str], Iterator[Remark]]], ...] = (
    ("repeated-word", _repeated_words),
    ("missing-comma", _missing_commas),
    ("exclamations", _exclamations),
    ("double-punctuation", _double_punctuation),
    ("mixed-script", _mixed_scripts),
    ("latin-homoglyph", _homoglyphs),
    ("no-space-after-period", _glued_sentences),
    ("loose-hyphen", _loose_hyphens),
)


def proofread(text: str, skip: Collection[str] = ()) -> list[Remark]:
    """Every spot of the raw paragraph ``text`` a proofreader should look at, in text order.

    ``skip`` names codes (see :data:`CODES`) that the newspaper has switched off.
    """
    unknown = set(skip) - set(CODES)
    if unknown:
        raise ValueError(f"unknown proofreading code(s): {', '.join(sorted(unknown))}")
    remarks = [r for code, check in _CHECKS if code not in skip for r in check(text)]
    ignored = _ignored(text)
    style_of: dict[int, str] = {}
    brackets = list(_quotes_and_brackets(text, style_of, ignored))
    if "unbalanced" not in skip:
        remarks += brackets
    if "mixed-quotes" not in skip:
        remarks += _mixed_quotes(text, style_of)
    remarks = [r for r in remarks
               if not any(start < r.end and r.start < end for start, end in ignored)]
    return sorted(remarks, key=lambda r: (r.start, r.end, r.code))
