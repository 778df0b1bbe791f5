"""Shared pieces of the typography rules: character classes, a regex builder, protection.

Every rule treats U+FFFC (OBJECT REPLACEMENT CHARACTER) as transparent: it marks an inline-markup
boundary that the caller puts back by position order, so a rule may move it across a space but must
never drop, add or reorder one. Regexes are written with short tokens (see :func:`rx`) that allow
runs of U+FFFC wherever a boundary may sit.

URLs and e-mail addresses are cut out before the rules run (:func:`protect`) and put back after,
each replaced by one private-use character that the rules treat as an opaque word.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

Rule = Callable[[str], str]

OBJ = "\ufffc"  # inline-markup boundary, transparent for the rules
NBSP = "\u00a0"  # no-break space
NNBSP = "\u202f"  # narrow no-break space
SHY = "\u00ad"  # soft hyphen
EM = "\u2014"
EN = "\u2013"

CYR_UPPER = "А-ЯЁӘҒҚҢӨҰҮҺІ"
CYR_LOWER = "а-яёәғқңөұүһі"
PUA = "\ue000-\uf8ff"  # private-use area: placeholders of protected spans
LETTER = r"[^\W\d_\u00b2\u00b3\u00b9]"  # a letter (\w without digits, _ and ², ³, ¹)

# Tokens usable inside rx() patterns.
_TOKENS = {
    # a run of inline-markup boundaries
    "<M>": "\ufffc*",
    # any letter (Unicode), a Cyrillic letter, Cyrillic upper and lower case
    "<L>": LETTER,
    "<C>": f"[{CYR_UPPER}{CYR_LOWER}]",
    "<U>": f"[{CYR_UPPER}]",
    "<l>": f"[{CYR_LOWER}]",
    # start of a word: not preceded by a word character, even through markup boundaries
    "<B>": (
        rf"(?<![\w{SHY}{PUA}-])(?<![\w{SHY}{PUA}-]\ufffc)(?<![\w{SHY}{PUA}-]\ufffc\ufffc)"
    ),
    # end of a word: not followed by a word character, even through markup boundaries
    "<E>": rf"(?!\ufffc*[\w{SHY}{PUA}])",
    # preceded by a letter or digit, even through markup boundaries
    "<A>": r"(?:(?<=[^\W_])|(?<=[^\W_]\ufffc)|(?<=[^\W_]\ufffc\ufffc))",
    # a dash as typed: three or two hyphens, a hyphen, an en or an em dash
    "<D>": "(?:---|--|-|\u2013|\u2014)",
    # a "word-like" thing that may follow a glued short word
    "<W>": rf"(?:[^\W_]|[«„\"'(\[№§$€₽₸£¥{PUA}]|[-+\u2212]\d)",
}
_TOKEN_RE = re.compile("|".join(re.escape(t) for t in _TOKENS))


def rx(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """Compile ``pattern`` after expanding the ``<X>`` tokens listed in ``_TOKENS``."""
    return re.compile(_TOKEN_RE.sub(lambda m: _TOKENS[m.group(0)], pattern), flags)


def sub(pattern: re.Pattern[str], repl: str | Callable[[re.Match[str]], str]) -> Rule:
    """A rule that applies one substitution (used for the simplest rules)."""

    def rule(text: str) -> str:
        return pattern.sub(repl, text)

    return rule


def words(text: str) -> tuple[str, ...]:
    """The whitespace-separated words of ``text`` (for readable word lists)."""
    return tuple(text.split())


def before(text: str, end: int, width: int = 24) -> str:
    """Up to ``width`` characters of ``text`` before ``end``, markup boundaries removed."""
    return text[max(0, end - 3 * width) : end].replace(OBJ, "")[-width:]


# --- protection of URLs and e-mail addresses -------------------------------------------------

_TLDS = "kz|ru|com|org|net|info|gov|edu|io|biz|pro|uz|kg|by|ua|de|uk|eu|me|рф|қаз|рус"
_PROTECT_RE = re.compile(
    # a dot before an address counts only when it follows a letter or digit (a longer name):
    # after "..." or "…" the address starts right there, whichever way the dots are written
    r"(?<![a-z0-9+\-])(?<![a-z0-9]\.)(?:[a-z][a-z0-9+.\-]*://|www\.)[^\s\ufffc<>]+"  # URL
    r"|(?<![\w+\-])(?<!\w\.)[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+"  # e-mail address
    rf"|(?<![\w@/\-])(?<!\w\.)(?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)+(?:{_TLDS})\b"
    r"(?:/[^\s\ufffc<>]*)?",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?…»“”'"


def _trim(span: str) -> str:
    """Drop trailing punctuation that belongs to the sentence, not to the address."""
    while span and span[-1] in _TRAILING + ')"]':
        last = span[-1]
        if last == ")" and span.count("(") >= span.count(")"):
            break
        if last == "]" and span.count("[") >= span.count("]"):
            break
        if last == '"' and span.count('"') % 2 == 0:
            break
        span = span[:-1]
    return span


@dataclass(frozen=True)
class Protected:
    """A text whose URLs and e-mails are replaced by ``mark``; :meth:`restore` undoes it."""

    text: str
    mark: str
    spans: tuple[str, ...]

    def restore(self, text: str) -> str:
        if not self.spans:
            return text
        parts = text.split(self.mark)
        if len(parts) != len(self.spans) + 1:  # a rule lost a placeholder: a bug
            raise AssertionError("typography rule changed a protected span")
        out = [parts[0]]
        for span, part in zip(self.spans, parts[1:], strict=True):
            out.append(span)
            out.append(part)
        return "".join(out)


def _free_mark(text: str) -> str:
    for code in range(0xE000, 0xF900):
        if chr(code) not in text:
            return chr(code)
    raise AssertionError("no free private-use character")  # pragma: no cover


def _protected(text: str, found: Iterable[tuple[int, str]]) -> Protected:
    """``text`` with each span found (its start, its text; an empty one is skipped, as is one
    that starts inside the span before) replaced by one private-use character."""
    spans: list[str] = []
    pieces: list[str] = []
    last = 0
    mark = ""
    for start, span in found:
        if not span or start < last:
            continue
        if not mark:
            mark = _free_mark(text)
        pieces.append(text[last:start])
        pieces.append(mark)
        spans.append(span)
        last = start + len(span)
    if not spans:
        return Protected(text, "", ())
    pieces.append(text[last:])
    return Protected("".join(pieces), mark, tuple(spans))


def protect(text: str, pattern: re.Pattern[str] = _PROTECT_RE) -> Protected:
    """Replace every URL and e-mail address of ``text`` by one private-use character."""
    if "@" not in text and "." not in text:
        return Protected(text, "", ())
    return _protected(text, ((m.start(), _trim(m.group(0))) for m in pattern.finditer(text)))


# --- rule set 2: code-like tokens -------------------------------------------------------------

_EXTENSIONS = (
    "pdf|docx?|xlsx?|pptx?|odt|ods|rtf|txt|csv|tsv|jpe?g|png|gif|svg|tiff?|webp|zip|rar|7z|gz|tar"
    "|py|js|ts|java|cpp|cs|go|rs|php|rb|sh|html?|css|md|json|xml|ya?ml|toml|ini|cfg|log|sql|exe"
    "|msi|apk|dmg|iso|mp3|mp4|avi|mkv|mov|wav"
)
# A token starts after anything but a word character (or a slash, a hyphen…): a rule that changes
# what stands before it ("..." → "…", "х" → "×", "-" → "−") must not change what is protected.
_LATIN = re.compile("[A-Za-z]")
CODE_RE = re.compile(
    # a file name: отчёт.pdf, setup.py, my-file.tar.gz
    rf"(?<![\w\-/\\×−–])[\w\-]+(?:\.[\w\-]+)*\.(?:{_EXTENSIONS})(?!\w|-\w)"
    # a path with Latin letters: src/main, a/b, ./run, ~/notes (not "км/ч", not "1/2")
    r"|(?<![\w/~\-×−–])(?:\.{1,2}/|~/)?[A-Za-z0-9_~\-][A-Za-z0-9_.~\-]*(?:/[A-Za-z0-9_.~\-]+)+/?"
    # a Windows path: C:\Users\x
    r"|(?<![\w\\])[A-Za-z]:\\[^\s\ufffc<>«»\"]*"
    # an identifier: snake_case, camelCase, os.path.join, print()
    r"|(?<![\w×−–])(?:[A-Za-z]\w*_\w*|_\w+|[a-z]+[A-Z]\w*|[A-Za-z_]\w+(?:\.[A-Za-z_]\w*)+)"
    r"(?:\(\))?(?!\w|-\w)"
    r"|(?<![\w×−–])[A-Za-z_]\w*\(\)"
    # a version with a prefix: v1.2, v2.0.1-beta
    r"|(?<![\w×−–])v\d+(?:\.\d+)+(?:[-+][\w.]+)?(?![\w])"
)


def protect_code(text: str) -> Protected:
    """Rule set 2: also replace code-like tokens (file names, Latin paths, identifiers,
    ``v1.2`` versions) by one private-use character, as :func:`protect` does URLs."""
    if not _LATIN.search(text):  # every code-like token holds a Latin letter
        return Protected(text, "", ())

    def token(match: re.Match[str]) -> str:
        span = match.group(0).rstrip(".")  # "a/b..." ends a sentence: the dots are not the path's
        return span if _LATIN.search(span) else ""  # "1/2" is a fraction, not a path

    return _protected(text, ((m.start(), token(m)) for m in CODE_RE.finditer(text)))


# Rule set 2 ends an address at the characters its rules write, too: in 'x="y"<=5' rule set 1's
# address runs on through "≤5" once "<=" has become "≤", so a second run protected more.
_STOP = r"\s\ufffc<>«»„“”…≤≥≠±→←⇔×½¼¾−©®™"
PROTECT_2_RE = re.compile(
    _PROTECT_RE.pattern.replace(r"\s\ufffc<>", _STOP)
    # and an e-mail address starts with a letter or digit (not the dots of "!..info@…"), not
    # right after a slash
    .replace(r"(?<![\w+\-])(?<!\w\.)[\w.+\-]+@", r"(?<![\w+\-/])(?<!\w\.)[\w+\-][\w.+\-]*@"),
    re.IGNORECASE,
)


def protect_urls(text: str) -> Protected:
    """Rule set 2's :func:`protect`: an address also ends before a typographic character."""
    return protect(text, PROTECT_2_RE)
