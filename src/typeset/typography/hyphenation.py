"""Russian hyphenation: Liang patterns plus house rules, and the hook into WeasyPrint.

A layout's ``hyphenation/`` folder holds one pattern file in the hyphen/pyphen ``.dic`` format
and ``exceptions.txt`` (one word per line, ``-`` at every allowed break). :class:`Hyphenator`
applies them with the house rules:

- at least two letters on each side of a break;
- a token with a digit, or a word with two or more capitals (ЕАЭС, ЮНЕСКО), is never split;
- only words of Russian letters are split (Latin, Kazakh-specific letters: never);
- ё is folded to е before the patterns are matched;
- a break never leaves a part without a vowel, never puts ъ, ь, й or ы first on the new line,
  and never separates ъ from the consonant before it (под-ъезд);
- the parts of a hyphenated compound (кто-нибудь, Омск-Павлодар) are hyphenated separately.

:func:`install` makes WeasyPrint's ``hyphens: auto`` use these rules for ``lang="ru"``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pyphen

from ..core.errors import TypesetError
from ._base import OBJ, SHY

EXCEPTIONS_FILE = "exceptions.txt"
LEFT = RIGHT = 2
_VOWELS = frozenset("аеёиоуыэюя")
_CONSONANTS = frozenset("бвгджзйклмнпрстфхцчшщ")
_NOT_FIRST = frozenset("ъьйы")
_RUSSIAN_WORD = re.compile("[а-яё]+")
_PARTS = re.compile(r"[^\W\d_]+")  # letter runs: parts of a compound, split at - ’ ' etc.
_TOKEN = re.compile(rf"[\w{SHY}{OBJ}]+(?:[-’'][\w{SHY}{OBJ}]+)*")
_PATTERN_LINE = re.compile(r"[^\s%#]+")
_PARSE = re.compile(r"(\d?)(\D?)")
_CACHE_LIMIT = 200_000


class HyphenationError(TypesetError):
    """A layout's hyphenation folder is missing or malformed."""


class Patterns:
    """Liang patterns read from a hyphen/pyphen ``.dic`` file."""

    def __init__(self, lines: Iterable[str]) -> None:
        self._table: dict[str, tuple[int, tuple[int, ...]]] = {}
        for line in lines:
            stripped = line.strip()
            if not stripped or stripped[0] in "%#" or stripped[0].isupper():
                continue  # comments, LEFTHYPHENMIN and the like
            match = _PATTERN_LINE.match(stripped)
            if match is None:
                continue
            pairs = _PARSE.findall(match.group(0))
            letters = "".join(letter for _, letter in pairs)
            values = [int(digit or 0) for digit, _ in pairs]
            if not any(values):
                continue
            start = next(i for i, value in enumerate(values) if value)
            end = max(i for i, value in enumerate(values) if value) + 1
            self._table[letters] = (start, tuple(values[start:end]))
        if not self._table:
            raise ValueError("no hyphenation patterns")
        self._longest = max(len(key) for key in self._table)

    @classmethod
    def from_file(cls, path: Path) -> Patterns:
        with path.open("rb") as handle:
            raw = handle.read()
        encoding, _, body = raw.partition(b"\n")
        name = encoding.decode("ascii", "replace").strip().lower()
        name = "cp1251" if name == "microsoft-cp1251" else name
        return cls(body.decode(name).splitlines())

    def __len__(self) -> int:
        return len(self._table)

    def points(self, word: str) -> list[int]:
        """Offsets where the patterns allow a break in the lower-case ``word``."""
        dotted = f".{word}."
        values = [0] * (len(dotted) + 1)
        table = self._table
        for i in range(len(dotted) - 1):
            for j in range(i + 1, min(i + self._longest, len(dotted)) + 1):
                found = table.get(dotted[i:j])
                if found is not None:
                    offset, pattern = found
                    for k, value in enumerate(pattern, i + offset):
                        if value > values[k]:
                            values[k] = value
        return [i - 1 for i in range(2, len(word) + 1) if values[i] % 2]


def _fold(word: str) -> str:
    return word.lower().replace("ё", "е")


def parse_exceptions(
    lines: Iterable[str], source: str = EXCEPTIONS_FILE
) -> dict[str, tuple[int, ...]]:
    """``под-ъезд``-style lines → {folded word: break offsets}."""
    exceptions: dict[str, tuple[int, ...]] = {}
    for number, line in enumerate(lines, 1):
        entry = line.split("#", 1)[0].strip()
        if not entry:
            continue
        word = entry.replace("-", "")
        if not word.isalpha() or entry[0] == "-" or entry[-1] == "-" or "--" in entry:
            raise HyphenationError(
                f"{source}:{number}: {entry!r} is not a word with its breaks marked by '-'"
            )
        exceptions[_fold(word)] = marked_breaks(entry)
    return exceptions


def marked_breaks(form: str) -> tuple[int, ...]:
    """'под-ъезд' → (3,): the letter offsets of the breaks marked with '-'."""
    breaks: list[int] = []
    letters = 0
    for char in form:
        if char == "-":
            breaks.append(letters)
        else:
            letters += 1
    return tuple(breaks)


def _legal(word: str, index: int) -> bool:
    """Whether breaking the lower-case Russian ``word`` at ``index`` breaks no house rule."""
    left, right = word[:index], word[index:]
    if not _VOWELS.intersection(left) or not _VOWELS.intersection(right):
        return False
    if right[0] in _NOT_FIRST:
        return False
    return not (len(right) > 1 and right[0] in _CONSONANTS and right[1] == "ъ")


class Hyphenator:
    """Allowed hyphenation points of Russian words, from patterns and an exceptions list."""

    def __init__(self, patterns: Patterns, exceptions: dict[str, tuple[int, ...]] | None = None,
                 source: Path | None = None) -> None:
        self.patterns = patterns
        self.exceptions = dict(exceptions or {})
        #: the pattern file, when read from a folder (used as pyphen's key by :func:`install`)
        self.source = source
        self._cache: dict[str, tuple[int, ...]] = {}

    @classmethod
    def from_folder(cls, folder: Path) -> Hyphenator:
        """Read the single ``*.dic`` pattern file and ``exceptions.txt`` of ``folder``."""
        if not folder.is_dir():
            raise HyphenationError(f"{folder}: hyphenation folder not found")
        dics = sorted(folder.glob("*.dic"))
        if len(dics) != 1:
            found = ", ".join(p.name for p in dics) or "none"
            raise HyphenationError(f"{folder}: expected one *.dic pattern file, found {found}")
        try:
            patterns = Patterns.from_file(dics[0])
        except (ValueError, LookupError) as exc:
            raise HyphenationError(f"{dics[0]}: cannot read hyphenation patterns: {exc}") from exc
        exceptions_path = folder / EXCEPTIONS_FILE
        exceptions: dict[str, tuple[int, ...]] = {}
        if exceptions_path.is_file():
            text = exceptions_path.read_text(encoding="utf-8")
            exceptions = parse_exceptions(text.splitlines(), str(exceptions_path))
        return cls(patterns, exceptions, dics[0].resolve())

    def positions(self, word: str) -> list[int]:
        """Allowed break offsets in ``word`` ([] for abbreviations and tokens with digits)."""
        cached = self._cache.get(word)
        if cached is None:
            cached = self._positions(word)
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            self._cache[word] = cached
        return list(cached)

    def _positions(self, word: str) -> tuple[int, ...]:
        if SHY in word or any(char.isdigit() for char in word):
            return ()
        points: list[int] = []
        for part in _PARTS.finditer(word):
            text = part.group(0)
            if len(text) < LEFT + RIGHT or sum(char.isupper() for char in text) >= 2:
                continue
            folded = _fold(text)
            if not _RUSSIAN_WORD.fullmatch(folded):
                continue
            listed = self.exceptions.get(folded)
            if listed is None:
                found = [i for i in self.patterns.points(folded) if _legal(folded, i)]
            else:
                found = list(listed)
            points.extend(part.start() + i for i in found if LEFT <= i <= len(text) - RIGHT)
        return tuple(points)

    def mark(self, text: str) -> str:
        """``text`` with U+00AD at every allowed hyphenation point of every word."""
        return _TOKEN.sub(self._mark_token, text)

    def _mark_token(self, match: re.Match[str]) -> str:
        token = match.group(0)
        if SHY in token:
            return token  # hyphenated by hand: keep the author's choice
        if OBJ not in token:
            points = self.positions(token)
            if not points:
                return token
            pieces = []
            last = 0
            for point in points:
                pieces.append(token[last:point])
                last = point
            pieces.append(token[last:])
            return SHY.join(pieces)
        # markup boundaries inside the word: hyphenate the bare word, map offsets back
        where = [i for i, char in enumerate(token) if char != OBJ]
        bare = "".join(token[i] for i in where)
        breaks = {where[point] for point in self.positions(bare)}
        return "".join((SHY + char) if i in breaks else char for i, char in enumerate(token))


class _PyphenDictionary:
    """What pyphen expects of a ``HyphDict``: ``positions(word)`` returning ``DataInt``s."""

    def __init__(self, hyphenator: Hyphenator) -> None:
        self.hyphenator = hyphenator
        self.cache: dict[str, list[pyphen.DataInt]] = {}

    def positions(self, word: str) -> list[pyphen.DataInt]:
        points = self.cache.get(word)
        if points is None:
            points = [pyphen.DataInt(i) for i in self.hyphenator.positions(word)]
            if len(self.cache) >= _CACHE_LIMIT:
                self.cache.clear()
            self.cache[word] = points
        return points


_LANGUAGE_NAMES = {"ru": "ru", "ru_ru": "ru_RU"}


def install(hyphenator: Hyphenator) -> None:
    """Make WeasyPrint's ``hyphens: auto`` use ``hyphenator`` for ``lang="ru"`` (and ru-*).

    WeasyPrint asks ``pyphen.Pyphen(lang=...)`` for a dictionary, which pyphen looks up in
    ``pyphen.LANGUAGES`` and then in its cache ``pyphen.hdcache``; both now point to this
    hyphenator, so the words WeasyPrint tries follow exactly the rules of :meth:`positions`, with
    one cached lookup per word. Calling it again with the same or another hyphenator replaces the
    previous one. No file is opened. (WeasyPrint still lays out each candidate break it tries;
    ``hyphenate-limit-zone: 1.3em`` in the CSS spares it the attempts that cannot succeed.)
    """
    key = hyphenator.source or Path(f"<typeset-hyphenator-{id(hyphenator)}>")
    current = pyphen.hdcache.get(key)
    if not (isinstance(current, _PyphenDictionary) and current.hyphenator is hyphenator):
        pyphen.hdcache[key] = _PyphenDictionary(hyphenator)
    for lower, name in _LANGUAGE_NAMES.items():
        pyphen.LANGUAGES[name] = key
        pyphen.LANGUAGES_LOWERCASE[lower] = name
