"""Where a paragraph's lines may end, with the running widths a line between two of them needs.

:class:`BreakFinder` walks a paragraph's text once, shaping each run with HarfBuzz
(:class:`~.shaping.Shaper`), and lists its :class:`Breakpoint` s: the spaces that are not glued,
the places after a written hyphen or dash, the hyphenation points of the layout's patterns (within
the hyphenation limits), and — in the last pass only — any character boundary of a stretch too
wide for the column. Each breakpoint carries the running sums of width, stretch, shrink and
letters on either side, so that the line breaker (:mod:`.linebreak`) rates a line between two
breakpoints by subtraction.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from .breaks import EM_DASH, EN_DASH, HYPHEN, NBSP, NUMBER_ENDING, SPACE, Run, is_letter
from .justification import (
    DASH,
    EMERGENCY,
    EXPLICIT,
    FINAL,
    HYPHENATION,
    SPACE_BREAK,
    BreakKind,
    Justification,
)
from .shaping import FontStyle, Shaper

INFINITY = math.inf


class Hyphenator(Protocol):
    """Allowed hyphenation points of a word: :class:`typeset.typography.Hyphenator` is one."""

    def positions(self, word: str) -> list[int]: ...


WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
"""A word for hyphenation: letters, with inner apostrophes; explicit hyphens separate words."""

Sums = tuple[float, float, float, int]
"""Running sums along a paragraph: width, word stretch, word shrink, letters."""


@dataclass(slots=True)
class Breakpoint:
    """A place a line may end, with the running sums a line needs on either side of it."""

    kind: BreakKind
    end: int
    """Text offset where a line ending here ends."""
    start: int
    """Text offset where the next line starts."""
    penalty: float
    flagged: bool
    """Ends the line with a hyphen (automatic or written): counts towards hyphen limits."""
    extra: float
    """Width added at the end of a line broken here (the automatic hyphen)."""
    before: Sums
    after: Sums


@dataclass(frozen=True)
class StyledRun:
    """One run's text: shaped as one inline run."""

    start: int
    end: int
    style: FontStyle
    hyphenate: bool


class Paragraph(Protocol):
    """What :class:`BreakFinder` reads of the paragraph being broken (:mod:`.linebreak`'s)."""

    text: str
    runs: tuple[Run, ...]
    pieces: list[StyledRun]
    """The paragraph's runs, each with its font and whether it may be hyphenated."""
    shaper: Shaper
    size: float
    settings: Justification
    hyphenator: Hyphenator | None
    styles: Callable[[frozenset[str]], FontStyle]
    measures: list[float]
    prefix_width: float
    prefix_spaces: int


def styled_runs(runs: Sequence[Run], styles: Callable[[frozenset[str]], FontStyle],
                hyphenate: bool) -> list[StyledRun]:
    """The paragraph's non-empty runs with their fonts, and whether each may be hyphenated."""
    pieces: list[StyledRun] = []
    offset = 0
    for run in runs:
        end = offset + len(run.text)
        if run.text:
            pieces.append(StyledRun(offset, end, styles(run.marks),
                                    hyphenate and not NO_HYPHENATION_MARKS & run.marks))
        offset = end
    return pieces


NO_HYPHENATION_MARKS = frozenset({"nh", "code", "nw"})
"""Runs never hyphenated: marked by the layout, code, no-wrap."""


def nowrap_mask(runs: Sequence[Run], text: str) -> list[bool]:
    """Characters inside a no-wrap stretch: a run marked ``nw``, a number with its ending."""
    mask = [False] * len(text)
    offset = 0
    for run in runs:
        if "nw" in run.marks:
            mask[offset:offset + len(run.text)] = [True] * len(run.text)
        for match in NUMBER_ENDING.finditer(run.text):
            mask[offset + match.start():offset + match.end()] = [True] * len(match.group(0))
        offset += len(run.text)
    return mask


EMERGENCY_CUT = re.compile(r"[/.\-?&]+(?=[^/.\-?&])")
"""Where a word too wide for its column may be broken: after ``/ . - ? &`` (the last of a row),
as :data:`typeset.compose.overflow.BREAK_AFTER` has it for WeasyPrint's lines."""
TOKEN = re.compile("( +)|([\u00a0])|([^ \u00a0]+)")
"""Spaces, a no-break space, or a word: the three things a paragraph is made of here."""
EXPLICIT_CHARS = re.compile(f"[{HYPHEN}{EM_DASH}{EN_DASH}]")


class BreakFinder:
    """Walks a paragraph's text once, adding up widths, and lists its breakpoints."""

    def __init__(self, paragraph: Paragraph, emergency: bool) -> None:
        self.p = paragraph
        self.emergency = emergency
        self.text = paragraph.text
        self.shaper = paragraph.shaper
        self.size = paragraph.size
        self.low, self.desired, self.high = paragraph.settings.word_spacing
        self.breaks: list[Breakpoint] = []
        self.width = self.stretch = self.shrink = 0.0
        self.letters = 0
        self.nowrap = nowrap_mask(paragraph.runs, self.text)
        self.any_nowrap = any(self.nowrap)
        self.piece_at = [0] * len(self.text)
        for number, piece in enumerate(paragraph.pieces):
            self.piece_at[piece.start:piece.end] = [number] * (piece.end - piece.start)
        self.narrowest = min(paragraph.measures)

    def sums(self) -> Sums:
        return (self.width, self.stretch, self.shrink, self.letters)

    def find(self) -> list[Breakpoint]:
        origin = self.sums()
        self.breaks.append(Breakpoint("start", 0, 0, 0.0, False, 0.0, origin, origin))
        self.prefix()
        text = self.text
        last = len(text.rstrip(SPACE))
        for match in TOKEN.finditer(text):
            start, end = match.span()
            if match.group(1) is not None:  # spaces
                if start == 0 or end == len(text):
                    continue  # leading and trailing spaces are dropped by CSS
                if self.any_nowrap and self.nowrap[start]:
                    self.glue(start)
                else:
                    self.space(start, end)
            elif match.group(2) is not None:
                self.glue(start)
            else:
                self.word(start, end)
        sums = self.sums()
        self.breaks.append(Breakpoint(FINAL, last, len(text), -INFINITY, False, 0.0, sums, sums))
        return self.breaks

    def prefix(self) -> None:
        """The list bullet before the first line: its width, and its spaces stretch."""
        p = self.p
        self.width += p.prefix_width
        if p.prefix_spaces:
            space = self.shaper.width(NBSP, p.styles(frozenset()), self.size)
            self.stretch += p.prefix_spaces * space * (self.high - self.desired)

    def glue(self, i: int) -> None:
        """A space that stretches and shrinks: U+00A0, or a space that is no break."""
        text = self.text
        before = text[i - 1] if i > 0 else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        style = self.p.pieces[self.piece_at[i]].style
        width = self.shaper.gap_width(before, NBSP, after, style, self.size)
        self.width += width * self.desired
        self.stretch += width * (self.high - self.desired)
        self.shrink += width * (self.desired - self.low)
        self.letters += 1

    def space(self, start: int, end: int) -> None:
        """A breakable space (a run of them is one, as in CSS)."""
        before = self.sums()
        self.glue(start)
        self.breaks.append(Breakpoint(SPACE_BREAK, start, end, 0.0, False, 0.0, before,
                                  self.sums()))

    def word(self, start: int, end: int) -> None:
        """Text between spaces, with the breaks inside it."""
        cuts = self.cuts(start, end)
        first, last = self.piece_at[start], self.piece_at[end - 1]
        if first == last:
            self.add_piece(start, end, self.p.pieces[first].style, cuts)
            return
        for piece_start, piece_end, piece in self.styled(start, end):
            self.add_piece(piece_start, piece_end, piece.style, cuts)

    def cuts(self, start: int, end: int) -> dict[int, tuple[BreakKind, float]]:
        """Places inside text[start:end] a line may end: offset → (kind, penalty)."""
        s = self.p.settings
        cuts: dict[int, tuple[BreakKind, float]] = {}
        for match in EXPLICIT_CHARS.finditer(self.text, start, end - 1):
            cut = self.explicit_cut(match.start(), start, end)
            if cut is not None:
                cuts[match.start() + 1] = cut
        if s.hyphenate and self.p.hyphenator is not None:
            for k in self.hyphenation_points(start, end):
                cuts.setdefault(k, (HYPHENATION, s.hyphen_penalty))
        if self.emergency:
            for k in self.emergency_points(start, end, cuts):
                cuts.setdefault(k, (EMERGENCY, 0.0))
        return cuts

    def explicit_cut(self, k: int, start: int, end: int) -> tuple[BreakKind, float] | None:
        """A break after the hyphen or dash at ``k``: a hyphen between two words of enough
        letters, an em dash before a word, an en dash between words."""
        text = self.text
        if self.nowrap[k] or self.nowrap[k + 1] or not is_letter(text[k + 1]):
            return None
        if text[k] == HYPHEN:
            need = self.p.settings.explicit_hyphen_letters
            left = right = 0
            while k - left - 1 >= start and is_letter(text[k - left - 1]):
                left += 1
            while k + right + 1 < end and is_letter(text[k + right + 1]):
                right += 1
            if left >= need and right >= need:
                return (EXPLICIT, self.p.settings.explicit_hyphen_penalty)
            return None
        if k > start and (text[k] == EM_DASH or is_letter(text[k - 1])):
            return (DASH, 0.0)
        return None

    def hyphenation_points(self, start: int, end: int) -> list[int]:
        hyphenator = self.p.hyphenator
        assert hyphenator is not None
        s = self.p.settings
        min_word, min_before, min_after = s.hyphenate_limit_chars
        points: list[int] = []
        for match in WORD.finditer(self.text, start, end):
            word = match.group(0)
            if len(word) < min_word or not self.hyphenatable(match.start(), match.end()):
                continue
            if not s.hyphenate_capitalized and word[0].isupper():
                continue
            points.extend(match.start() + point for point in hyphenator.positions(word)
                          if min_before <= point <= len(word) - min_after)
        return points

    def hyphenatable(self, start: int, end: int) -> bool:
        pieces, at = self.p.pieces, self.piece_at
        if self.any_nowrap and any(self.nowrap[start:end]):
            return False
        return all(pieces[i].hyphenate for i in range(at[start], at[end - 1] + 1))

    def emergency_points(self, start: int, end: int,
                         cuts: dict[int, tuple[BreakKind, float]]) -> list[int]:
        """The places after ``/ . - ? &`` (after the last of a row of them) inside a stretch
        too wide for the narrowest line: a web address breaks there, without a hyphen. A stretch
        without them stays whole, and its line overfull (an error the build reports)."""
        edges = [start, *sorted(cuts), end]
        points: list[int] = []
        for a, b in itertools.pairwise(edges):
            width = sum(self.shaper.width(self.text[x:y], piece.style, self.size)
                        for x, y, piece in self.styled(a, b))
            if width > self.narrowest:
                points.extend(a + match.end() for match in EMERGENCY_CUT.finditer(self.text[a:b])
                              if a + match.end() < b)
        return points

    def styled(self, start: int, end: int) -> list[tuple[int, int, StyledRun]]:
        """text[start:end] split where the run changes."""
        out: list[tuple[int, int, StyledRun]] = []
        index = self.piece_at[start]
        pieces = self.p.pieces
        while index < len(pieces) and pieces[index].start < end:
            piece = pieces[index]
            a, b = max(start, piece.start), min(end, piece.end)
            if a < b:
                out.append((a, b, piece))
            index += 1
        return out

    def add_piece(self, start: int, end: int, style: FontStyle,
                  cuts: dict[int, tuple[BreakKind, float]]) -> None:
        """Add the width of text[start:end] (one run's) and a break at each cut inside it.

        The run is shaped once; the width before a cut is its advance up to that character and an
        automatic hyphen adds its own advance (kerning across the cut is off by a few hundredths
        of a point here: the chosen lines are measured again exactly).
        """
        chunk = self.text[start:end]
        inside = [k for k in sorted(cuts) if start < k <= end]
        if not inside:
            self.width += self.shaper.width(chunk, style, self.size)
            self.letters += end - start
            return
        *advances, total = self.shaper.advances(chunk, style, self.size,
                                                [k - start for k in inside] + [len(chunk)])
        hyphen = self.shaper.width(HYPHEN, style, self.size)
        done = 0.0
        previous = start
        for k, advance in zip(inside, advances, strict=True):
            self.width += advance - done
            self.letters += k - previous
            done, previous = advance, k
            kind, penalty = cuts[k]
            sums = self.sums()
            self.breaks.append(Breakpoint(kind, k, k, penalty, kind in (HYPHENATION, EXPLICIT),
                                      hyphen if kind == HYPHENATION else 0.0, sums, sums))
        self.width += total - done
        self.letters += end - previous
