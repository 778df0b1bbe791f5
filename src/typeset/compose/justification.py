"""H&J settings of body text and what the line breaker makes of a paragraph: its lines.

:class:`Justification` holds the settings (InDesign's names: word spacing minimum, desired and
maximum, letter spacing, hyphenation limits…; a layout's ``[justification]`` table sets them);
:class:`ParagraphSpec` is what a paragraph's lines depend on besides them; a :class:`Composition`
is the paragraph set in :class:`Line` s, each with the word and letter spacing that fills it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .breaks import Run
from .shaping import BOLD, REGULAR, FontStyle

BODY_FAMILY = "TS Serif"
CODE_FAMILY = "TS Sans"
CODE_SCALE = 0.9
"""base.css: ``code { font-family: "TS Sans"; font-size: 0.9em }``."""

BreakKind = str
SPACE_BREAK, HYPHENATION, EXPLICIT, DASH, FINAL, EMERGENCY = (
    "space", "hyphenation", "explicit", "dash", "final", "emergency")
PANGO_UNIT = 0.75 / 1024
"""Points per Pango unit (1/1024 px): WeasyPrint truncates every spacing to whole units."""
JOIN_MARGIN = 0.01
"""Points kept free when spacing is written explicitly, so that rounding never overfills."""


@dataclass(frozen=True)
class Justification:
    """H&J settings of body text, named as in InDesign's Justification and Hyphenation dialogs.

    The defaults are the ones proposed for the next weekly-a3 version (benchmarks/spacing.py
    shows their figures). Spacing minima are hard: no line is set tighter unless it cannot fit
    otherwise (then it is reported). Maxima are soft: a line goes past them only when no set of
    breaks keeps it within, and then its word spaces take the rest (letters stay at their
    limit).

    Demerits follow TeX: a line costs ``(line_penalty + badness)²`` plus ``penalty²`` for
    ending at a hyphen, badness being ``100 r³``. Lines in these narrow columns are loose
    enough that a hyphen must cost as much as a badly loose line (``hyphen_penalty`` 6000, not
    TeX's 50) to keep hyphens under a third of the lines.
    """

    word_spacing: tuple[float, float, float] = (0.75, 1.00, 1.33)
    """Minimum, desired, maximum width of a word space, as fractions of the font's space."""
    letter_spacing: tuple[float, float] = (-0.03, 0.02)
    """Minimum and maximum letter spacing (em); desired is 0. Letters share a line's slack with
    the word spaces in proportion to what each can give."""
    hyphenate: bool = True
    hyphenate_limit_chars: tuple[int, int, int] = (5, 2, 2)
    """Shortest word hyphenated, fewest letters before and after a hyphen (CSS order)."""
    hyphenate_capitalized: bool = True
    max_hyphen_lines: int = 3
    """Most consecutive lines ending in a hyphen (automatic or explicit): a hard limit."""
    explicit_hyphen_letters: int = 2
    """Fewest letters on each side of an explicit hyphen a line may break after."""
    min_last_line: int = 5
    """Fewest characters on the last line of a paragraph of two lines or more (no «ено»)."""
    tolerance: float = 10.0
    """Largest adjustment ratio of the first pass (1: spacing at its maxima). Only a paragraph
    that cannot be set within it goes to the second pass, which takes any ratio: badness grows
    as the cube of the ratio, so the optimum rarely comes near this bound, which only saves
    the breaker from trying lines nobody would choose."""
    line_penalty: float = 10.0
    hyphen_penalty: float = 6000.0
    explicit_hyphen_penalty: float = 3000.0
    """A line ending after a written hyphen (Омск-|Павлодар): no word is cut, half the cost."""
    consecutive_hyphen_demerits: float = 10000.0
    final_hyphen_demerits: float = 36e6
    """A hyphen on the last-but-one line (the cut word ends the paragraph): as much again as
    the hyphen itself — it halves such lines at no cost in spacing; forbidding them would."""
    fitness_demerits: float = 10000.0
    """Demerits of a line whose fitness class is two or more away from the previous line's."""


def body_style(marks: frozenset[str]) -> FontStyle:
    """The font of a run of body text with ``marks`` (layouts/weekly-a3/css/base.css)."""
    weight = BOLD if "strong" in marks else REGULAR
    italic = "em" in marks
    if "code" in marks:
        return FontStyle(CODE_FAMILY, weight, italic, CODE_SCALE)
    return FontStyle(BODY_FAMILY, weight, italic)


@dataclass(frozen=True)
class Line:
    """One composed line: ``text[start:end]`` of the paragraph, and how to set it.

    ``word_spacing`` is added to every expandable space of the line (U+0020, U+00A0) and
    ``letter_spacing`` to every character; together they fill ``width`` exactly, except on the
    last line (set at its natural width) and on a line that could not be filled (``overfull`` is
    then its excess, or ``word_spacing`` leaves it short when it has no space to widen).
    """

    start: int
    end: int
    hyphen: bool
    """Ends with an automatic hyphen (rendered as a literal "-")."""
    width: float
    """The measure: the line box's width, less the ``text-indent`` on the first line."""
    natural: float
    """The line's width with natural spacing, as rendered (hyphen, and on the first line the
    CSS prefix, included)."""
    spaces: int
    """Expandable spaces inside the line (its break space excluded)."""
    letters: int
    """Characters that take letter spacing, as rendered."""
    word_spacing: float
    letter_spacing: float
    ratio: float
    """The adjustment ratio: 0 natural, 1 spacing at its maxima, -1 at its minima."""
    stretch: float
    """Width of a word space over the font's natural space (1.0: natural)."""
    last: bool
    kind: BreakKind
    """How the line ends: ``space``, ``hyphenation``, ``explicit`` (after a written hyphen),
    ``dash``, ``final`` (the paragraph's end) or ``emergency`` (inside a word too long)."""
    hold: bool = False
    """The next line would fit in this line's slack: write its spacing out explicitly, so that
    WeasyPrint cannot pull the next line up."""
    overfull: float = 0.0

    def to_json(self) -> list[Any]:
        return [self.start, self.end, self.hyphen, self.width, self.natural, self.spaces,
                self.letters, self.word_spacing, self.letter_spacing, self.ratio, self.stretch,
                self.last, self.kind, self.hold, self.overfull]

    @classmethod
    def from_json(cls, data: Sequence[Any]) -> Line:
        return cls(*data)


@dataclass(frozen=True)
class Composition:
    """A paragraph's lines, and which pass of the breaker set them (1 is the best)."""

    text: str
    lines: tuple[Line, ...]
    passes: int
    tracking: float = 0.0
    """The paragraph's own letter spacing (points, a whole number of Pango units), set on its
    ``<p>``: the lines whose :attr:`Line.letter_spacing` it is and whose word spaces are at
    least natural need no spacing of their own, WeasyPrint's justification fills them."""

    @property
    def hyphenated(self) -> int:
        """Lines ending in a hyphen, automatic or written."""
        return sum(line.kind in (HYPHENATION, EXPLICIT) for line in self.lines)

    @property
    def starts(self) -> list[int]:
        """Where each line starts in the text (as :func:`typeset.measure.line_starts`)."""
        return [line.start for line in self.lines]

    @property
    def hyphens(self) -> list[bool]:
        """Whether each line ends in a hyphen, automatic or written: the flow must not leave
        one at the foot of a column."""
        return [line.kind in (HYPHENATION, EXPLICIT) for line in self.lines]


@dataclass(frozen=True)
class ParagraphSpec:
    """Everything a paragraph's lines depend on besides the breaker's settings: the cache key."""

    runs: tuple[Run, ...]
    widths: tuple[float, ...]
    """The width of each line box in points; the last repeats for further lines."""
    indent: float = 0.0
    """The first line's ``text-indent`` (negative for a hanging list item)."""
    prefix: str = ""
    """Text the CSS sets at the start of the first line (a list bullet from ``::before``)."""
    no_hyphen: frozenset[int] = frozenset()
    """Indices of lines that must not end with a hyphen."""

