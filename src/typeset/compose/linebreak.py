"""Total-fit line breaking (Knuth–Plass) of body paragraphs over HarfBuzz widths.

WeasyPrint breaks lines greedily: each line takes as many words as fit, whatever that leaves for
the next, and justification then widens the spaces of loose lines up to many times their width.
:class:`LineBreaker` chooses all the breaks of a paragraph at once, minimising the sum of every
line's badness (how far its spaces and letters must move from their natural widths) plus
demerits for hyphens, so that one loose line is traded for several slightly looser ones.

The model is Knuth and Plass's (1981): a paragraph is a sequence of boxes (pieces of text),
glue (spaces, which stretch and shrink) and penalties (places to break that cost something:
hyphenation points, explicit hyphens). Here:

- word spaces stretch and shrink within the layout's word-spacing limits (InDesign's H&J: minimum,
  desired, maximum, as fractions of the font's space), and every character stretches and shrinks
  within the letter-spacing limits; a line's adjustment ratio ``r`` is its missing (or excess)
  width over what its spaces and letters can give, so ``r = 1`` sets them at their maxima;
- U+00A0 and a space in a no-wrap run are glue that stretches but never breaks; U+202F neither
  stretches nor breaks (WeasyPrint widens only U+0020 and U+00A0 to justify);
- a line may end at a space, after an explicit hyphen between words of letters (Омск-Павлодар),
  after a dash written without spaces, or at a hyphenation point of the layout's patterns;
- hard rules: at most ``max_hyphen_lines`` hyphenated lines in a row, no hyphen at the line
  indices the caller forbids (the foot of a column), no last line shorter than
  ``min_last_line`` characters, never a line wider than its measure;
- passes: first within a tolerance, then as loose as need be, and finally anything that keeps
  the text inside the column (breaking a too-long word anywhere if it must) — no text is ever
  lost, and what could not be set well is reported on the line.

Widths of the chosen lines are measured again exactly as :mod:`.lines` will render them, and each
line gets the word and letter spacing that fills its measure.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from .shaping import BOLD, REGULAR, FontStyle, Shaper


class Run(Protocol):
    """What the breaker reads of a run of inline text: :class:`typeset.articles.Run` is one.
    (A protocol, so that composing lines imports nothing of the article reader.)"""

    @property
    def text(self) -> str: ...

    @property
    def marks(self) -> frozenset[str]: ...


class Hyphenator(Protocol):
    """Allowed hyphenation points of a word: :class:`typeset.typography.Hyphenator` is one."""

    def positions(self, word: str) -> list[int]: ...


SPACE = " "
NBSP = "\u00a0"
NNBSP = "\u202f"
WJ = "\u2060"
"""WORD JOINER: forbids a line break on either side (UAX #14 class WJ), zero width."""
ZWSP = "\u200b"
"""ZERO WIDTH SPACE: a break opportunity of no width, for a word broken where nothing else can."""
SHY = "\u00ad"
HYPHEN = "-"
EM_DASH = "\u2014"
EN_DASH = "\u2013"
EXPANDABLE = frozenset(SPACE + NBSP)
"""The spaces WeasyPrint widens to justify a line, and to which it applies ``word-spacing``."""

BODY_FAMILY = "TS Serif"
CODE_FAMILY = "TS Sans"
CODE_SCALE = 0.9
"""base.css: ``code { font-family: "TS Sans"; font-size: 0.9em }``."""

NUMBER_ENDING = re.compile(r"\d+-[а-яё]{1,3}\b")
"""A number and its ending ("2024-го", "5-й") never part at a line end (as ``articles.Run``)."""
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
"""A word for hyphenation: letters, with inner apostrophes; explicit hyphens separate words."""

# Pango's (UAX #14) break opportunities between two characters that are not U+0020. The breaker
# uses a few (after hyphens and dashes); :mod:`.lines` blocks all the others with word joiners,
# wherever Pango might break: the classes below are those where it surely does not.
BREAK_AFTER_HY = frozenset("-")
BREAK_AFTER_BA = frozenset("\u2010\u2012\u2013\u00ad\u2027\u2000\u2001\u2002\u2003\u2004\u2005"
                           "\u2006\u2008\u2009\u200a|")
"""HY and BA: they break even before a no-break space (LB12a)."""
GLUE = frozenset(NBSP + NNBSP + "\u2007\u2011\ufeff\u180e\u034f")
"""GL: no break after them, nor before them except after HY and BA (LB12, LB12a)."""
NO_BREAK_BEFORE = frozenset(",.:;!?)]}/…»”’›\"'") | BREAK_AFTER_HY | BREAK_AFTER_BA
"""CL, CP, EX, IS, SY, IN, HY, BA and quotation marks: never a break before them (LB13, LB19,
LB21, LB22)."""
NO_BREAK_AFTER = frozenset("([{«„“‘‹\"'")
"""OP and quotation marks: never a break after them (LB14, LB19)."""
DIGITS = frozenset("0123456789")

BreakKind = str
SPACE_BREAK, HYPHENATION, EXPLICIT, DASH, FINAL, EMERGENCY = (
    "space", "hyphenation", "explicit", "dash", "final", "emergency")
INFINITY = math.inf
AWFUL = 1e20
"""Demerits of a line that is allowed only because nothing better exists."""
FITNESS_TIGHT, FITNESS_DECENT, FITNESS_LOOSE = -0.5, 0.5, 1.0
"""Adjustment ratios that bound Knuth–Plass's four fitness classes."""
BADNESS_SCALE = 100.0
"""TeX's badness: 100 r³."""
EPSILON = 1e-6
OVERSHRINK_FLOOR = 0.5
"""The narrowest word space (of the font's) a line is ever set with, past all limits."""
SHRINK_SAFETY = 0.2
"""Points the breaker keeps in hand on lines it shrinks: its widths are estimates (kerning
across hyphenation points, hyphen kerning), the exact ones are measured after."""
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


class LineBreaker:
    """Breaks paragraphs into lines with one set of H&J settings, fonts and hyphenation.

    Results are cached by :class:`ParagraphSpec`, so a rebuild re-breaks only the paragraphs
    that changed (use :meth:`export_cache` / :meth:`import_cache` to keep them across runs).
    """

    def __init__(self, shaper: Shaper, hyphenator: Hyphenator | None,
                 settings: Justification | None = None, font_size: float = 9.0,
                 styles: Callable[[frozenset[str]], FontStyle] = body_style,
                 salt: str = "") -> None:
        """``salt`` goes into the keys of exported compositions: give it whatever else they
        depend on (the layout's digest — fonts, hyphenation patterns — and the code's)."""
        self.shaper = shaper
        self.hyphenator = hyphenator
        self.settings = settings or Justification()
        self.font_size = font_size
        self.styles = styles
        self.space = shaper.width(SPACE, styles(frozenset()), font_size)
        self.salt = repr((salt, self.settings, font_size))
        self._cache: dict[ParagraphSpec, Composition] = {}

    # --- public ------------------------------------------------------------------------------

    def break_paragraph(self, runs: Sequence[Run], widths: float | Sequence[float], *,
                        indent: float = 0.0, prefix: str = "",
                        no_hyphen: Iterable[int] = ()) -> Composition:
        """Break one paragraph; see :class:`ParagraphSpec` for the arguments."""
        measures = (widths,) if isinstance(widths, (int, float)) else tuple(widths)
        spec = ParagraphSpec(tuple(runs), tuple(float(w) for w in measures), indent, prefix,
                             frozenset(no_hyphen))
        return self.compose(spec)

    def compose(self, spec: ParagraphSpec) -> Composition:
        found = self._cache.get(spec)
        if found is None:
            found = _Paragraph(self, spec).compose()
            self._cache[spec] = found
        return found

    def compose_at(self, spec: ParagraphSpec, ends: Sequence[int]) -> Composition:
        """The paragraph set with lines ending at the given text offsets (the last line's end
        may be omitted): a manual break, or lines kept from an earlier composition.

        Each offset must be one of the breaker's break opportunities (a space, after a hyphen or
        dash, a hyphenation point, or anywhere in a word too long for the measure); the spacing
        is measured as for any composition.
        """
        return _Paragraph(self, spec).compose_at(ends)

    def cache_key(self, spec: ParagraphSpec) -> str:
        """A digest of ``spec``, the settings and the salt, the same in every process."""
        canonical = (self.salt, [(run.text, sorted(run.marks)) for run in spec.runs],
                     spec.widths, spec.indent, spec.prefix, sorted(spec.no_hyphen))
        return hashlib.sha256(repr(canonical).encode()).hexdigest()

    def export_cache(self) -> dict[str, Any]:
        """The cached compositions as JSON-able data, keyed by :meth:`cache_key`."""
        return {self.cache_key(spec): [c.text, c.passes, [line.to_json() for line in c.lines]]
                for spec, c in self._cache.items()}

    def import_cache(self, data: dict[str, Any], specs: Iterable[ParagraphSpec]) -> int:
        """Take back the compositions of ``specs`` found in ``data``; returns how many."""
        taken = 0
        for spec in specs:
            entry = data.get(self.cache_key(spec))
            if entry is not None:
                text, passes, lines = entry
                self._cache[spec] = Composition(
                    text, tuple(Line.from_json(line) for line in lines), passes)
                taken += 1
        return taken


# --- Pango's break opportunities ---------------------------------------------------------------


def pango_may_break(before: str, after: str) -> bool:
    """Whether Pango might break a line between two characters that are not U+0020.

    A superset of Pango's UAX #14 rules (checked against Pango in the tests): only pairs that
    surely never break answer False — letters and digits together, no-break spaces, closing
    punctuation and quotation marks. :mod:`.lines` puts a word joiner (zero width, kerning kept)
    between every other pair of characters inside a line.
    """
    if ZWSP in (before, after):
        return True
    if WJ in (before, after) or before in GLUE:
        return False
    if after in GLUE:
        return before in BREAK_AFTER_HY or before in BREAK_AFTER_BA
    if after in NO_BREAK_BEFORE or before in NO_BREAK_AFTER:
        return False
    if unicodedata.category(after)[0] == "M":
        return False  # a combining mark stays with its base (LB9)
    if before.isalnum() and after.isalnum():
        return False  # LB23, LB28
    return not (before in BREAK_AFTER_HY and after in DIGITS)  # LB25: "Т-34"


# --- the paragraph ------------------------------------------------------------------------------

Sums = tuple[float, float, float, int]
"""Running sums along a paragraph: width, word stretch, word shrink, letters."""


@dataclass(slots=True)
class _Break:
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


_Node = tuple[Any, ...]
"""An active breakpoint, the best way found to end a line there in one state: (break index,
next line — exact up to the caller's special lines, then clamped —, fitness class, hyphenated
lines in a row, total demerits, previous node, the break's four running sums after it, whether
it ends with a hyphen, the offset where the next line starts, the next line's measure)."""
DEMERITS, PREVIOUS = 4, 5


@dataclass(frozen=True)
class _Pass:
    tolerance: float
    last_resort: bool


@dataclass(frozen=True)
class _Piece:
    """One run's text: shaped as one inline run."""

    start: int
    end: int
    style: FontStyle
    hyphenate: bool


class _Paragraph:
    """One paragraph being broken: its text, breakpoints and the dynamic programme."""

    def __init__(self, breaker: LineBreaker, spec: ParagraphSpec) -> None:
        self.breaker = breaker
        self.shaper = breaker.shaper
        self.settings = breaker.settings
        self.spec = spec
        self.size = breaker.font_size
        self.text = "".join(run.text for run in spec.runs)
        self.pieces = _pieces(spec.runs, breaker.styles, self.settings.hyphenate)
        self.special_lines = max([len(spec.widths), *(i + 1 for i in spec.no_hyphen), 1])
        self.measures = [self._measure(i) for i in range(self.special_lines + 1)]
        low, high = self.settings.letter_spacing
        self.letter_stretch = high * self.size
        self.letter_shrink = -low * self.size
        regular = breaker.styles(frozenset())
        self.prefix_width = self.shaper.width(spec.prefix, regular, self.size)
        self.prefix_spaces = sum(char in EXPANDABLE for char in spec.prefix)

    def _measure(self, line: int) -> float:
        widths = self.spec.widths
        width = widths[min(line, len(widths) - 1)]
        return width - self.spec.indent if line == 0 else width

    def measure(self, line: int) -> float:
        return self.measures[min(line, self.special_lines)]

    def passes(self) -> list[_Pass]:
        """Within the tolerance; as loose as need be; anything that keeps the text inside the
        column, breaking words too wide for it."""
        return [_Pass(self.settings.tolerance, False), _Pass(INFINITY, False),
                _Pass(INFINITY, True)]

    def compose(self) -> Composition:
        if not self.text.strip(SPACE):
            return Composition(self.text, (), 1)
        breaks: list[_Break] = []
        for number, how in enumerate(self.passes(), start=1):
            if number == 1 or how.last_resort:
                breaks = _BreakFinder(self, emergency=how.last_resort).find()
            chosen = self.best(breaks, how)
            if chosen is not None:
                return Composition(self.text, tuple(self.lines(chosen)), number)
        raise AssertionError("the last pass always finds breaks")

    def compose_at(self, ends: Sequence[int]) -> Composition:
        breaks = _BreakFinder(self, emergency=True).find()
        by_end: dict[int, _Break] = {}
        for brk in breaks[1:]:
            by_end.setdefault(brk.end, brk)
        final = breaks[-1]
        missing = [end for end in ends if end not in by_end]
        if missing:
            raise ValueError(f"no break opportunity at offsets {missing}")
        chosen = [by_end[end] for end in ends if end != final.end]
        return Composition(self.text, tuple(self.lines([*chosen, final])), 1)

    # -- the dynamic programme

    def best(self, breaks: Sequence[_Break], how: _Pass) -> list[_Break] | None:
        """The breaks of least total demerits, or None if no set keeps within the pass.

        The classic active-list algorithm: every break is tried as the end of a line from each
        active node; a node is dropped once a line from it no longer fits even at minimum
        spacing. For each break and state (next line, hyphens in a row, fitness class) only the
        best node is kept. This loop runs about a hundred times per line, so it works on plain
        tuples and computes the adjustment ratio inline.
        """
        s = self.settings
        special = self.special_lines
        up, down = self.letter_stretch, self.letter_shrink
        tolerance, anything = how.tolerance, how.last_resort
        max_hyphens, no_hyphen, min_last = s.max_hyphen_lines, self.spec.no_hyphen, s.min_last_line
        root: _Node = (0, 0, FITNESS_DECENT_CLASS, 0, 0.0, None, *breaks[0].after, False, 0,
                       self.measures[0])
        active: list[_Node] = [root]
        for index in range(1, len(breaks)):
            brk = breaks[index]
            w1, y1, z1, c1 = brk.before
            extra = brk.extra
            w1 += extra
            c1 += 1 if extra else 0
            final = brk.kind == FINAL
            flagged = brk.flagged
            found: dict[tuple[int, int, int], _Node] = {}
            survivors: list[_Node] = []
            for node in active:
                (_, line, fitness0, hyphens, demerits0, previous, w0, y0, z0, c0, flagged0,
                 start0, measure) = node
                excess = measure - (w1 - w0)
                if excess >= 0:
                    words = y1 - y0
                    capacity = words + (c1 - c0) * up
                    if final or excess < EPSILON:
                        ratio = 0.0
                    elif excess <= capacity:
                        ratio = excess / capacity
                    elif words > EPSILON:  # as stretch_ratio()
                        ratio = 1 + (excess - capacity) / words
                    else:
                        ratio = INFINITY
                else:
                    capacity = z1 - z0 + (c1 - c0) * down - SHRINK_SAFETY
                    ratio = excess / capacity if capacity > EPSILON else -INFINITY
                    if ratio < -1 - EPSILON and not anything:
                        continue  # this line, and every longer one from here, is too long
                survivors.append(node)
                if ratio > tolerance and not anything:
                    continue
                if flagged and (hyphens >= max_hyphens or line in no_hyphen):
                    continue
                if (final and previous is not None and not anything
                        and brk.end - start0 < min_last):
                    continue
                fitness = FITNESS_DECENT_CLASS if final else _fitness(ratio)
                demerits = demerits0 + self.demerits(ratio, brk, flagged0,
                                                     abs(fitness - fitness0) > 1)
                key = (line + 1 if line < special else special, fitness,
                       hyphens + 1 if flagged else 0)
                known = found.get(key)
                if known is None or demerits < known[DEMERITS]:
                    found[key] = (index, key[0], fitness, key[2], demerits, node, *brk.after,
                                  flagged, brk.start, self.measures[key[0]])
            if final:
                return _chosen(breaks, found.values())
            active = survivors + list(found.values())
            if not active:
                return None
        return None

    def ratio(self, origin: _Break, brk: _Break, line: int, how: _Pass) -> float:
        """The adjustment ratio of the line from ``origin`` to ``brk`` — what :meth:`best`
        computes inline (−inf: it cannot shrink; +inf: it cannot stretch)."""
        w0, y0, z0, c0 = origin.after
        w1, y1, z1, c1 = brk.before
        letters = c1 - c0 + (1 if brk.extra else 0)
        excess = self.measure(line) - (w1 - w0 + brk.extra)
        if excess >= 0:
            if brk.kind == FINAL or excess < EPSILON:
                return 0.0
            return stretch_ratio(excess, y1 - y0, letters * self.letter_stretch)
        capacity = z1 - z0 + letters * self.letter_shrink - SHRINK_SAFETY
        return excess / capacity if capacity > EPSILON else -INFINITY

    def demerits(self, ratio: float, brk: _Break, after_hyphen: bool, misfit: bool) -> float:
        """Knuth–Plass demerits of one line, with TeX's extras for hyphens and fitness."""
        s = self.settings
        if ratio < -1 - EPSILON:
            return AWFUL * (1 - ratio)
        if ratio == INFINITY:
            return AWFUL
        demerits = (s.line_penalty + BADNESS_SCALE * abs(ratio) ** 3) ** 2
        if brk.penalty > 0:
            demerits += brk.penalty ** 2
        if after_hyphen and brk.flagged:
            demerits += s.consecutive_hyphen_demerits
        if after_hyphen and brk.kind == FINAL:
            demerits += s.final_hyphen_demerits
        if misfit:
            demerits += s.fitness_demerits
        if brk.kind == EMERGENCY:
            demerits += AWFUL
        return demerits

    # -- the lines

    def lines(self, chosen: Sequence[_Break]) -> list[Line]:
        """The chosen breaks as lines, measured exactly as rendered, with their spacing."""
        lines: list[Line] = []
        start = 0
        for index, brk in enumerate(chosen):
            lines.append(self.line(index, start, brk))
            start = brk.start
        return _hold(lines, self.breaker.space)

    def line(self, index: int, start: int, brk: _Break) -> Line:
        from .lines import line_pieces  # the rendered text is what is measured

        hyphen = brk.kind == HYPHENATION
        natural = 0.0
        spaces = letters = 0
        for piece, marks in line_pieces(self.spec.runs, start, brk.end, hyphen):
            natural += self.shaper.width(piece, self.breaker.styles(marks), self.size)
            spaces += sum(char in EXPANDABLE for char in piece)
            letters += len(piece)
        if index == 0:
            natural += self.prefix_width
        last = brk.kind == FINAL
        line = Line(start, brk.end, hyphen, self.measure(index), natural, spaces, letters,
                    0.0, 0.0, 0.0, 1.0, last, brk.kind)
        return self.spaced(line, self.prefix_spaces if index == 0 else 0)

    def spaced(self, line: Line, outside: int) -> Line:
        """``line`` with the word and letter spacing that fill its measure.

        Letters take their share of the slack in proportion to what they can give, up to their
        limit; word spaces take the rest. ``outside`` spaces (a list bullet's) are widened by
        WeasyPrint's justification but not by the line's own ``word-spacing``.
        """
        excess = line.width - line.natural
        if line.last and excess >= 0:
            return line
        if excess >= 0:
            word, letter, ratio = self.stretched(line, excess, line.spaces + outside)
            overfull = 0.0
        else:
            word, letter, ratio, overfull = self.shrunk(line, excess)
        space = self.breaker.space
        return replace(line, word_spacing=word, letter_spacing=letter, ratio=ratio,
                       stretch=(space + word + letter) / space, overfull=overfull)

    def stretched(self, line: Line, excess: float, spaces: int) -> tuple[float, float, float]:
        """(word spacing, letter spacing, ratio) that widen ``line`` by ``excess``."""
        _, desired, high = self.settings.word_spacing
        words = spaces * self.breaker.space * (high - desired)
        letters = line.letters * self.letter_stretch
        capacity = words + letters
        if not spaces:  # nothing to widen: the letters take what they can, the rest stays
            letter = min(excess / line.letters, self.letter_stretch) if line.letters else 0.0
            return 0.0, letter, excess / capacity if capacity > EPSILON else INFINITY
        ratio = stretch_ratio(excess, words, letters)
        letter = min(ratio, 1.0) * self.letter_stretch
        return (excess - line.letters * letter) / spaces, letter, ratio

    def shrunk(self, line: Line, excess: float) -> tuple[float, float, float, float]:
        """(word spacing, letter spacing, ratio, overfull) that narrow ``line`` by ``-excess``.

        Past the limits (the breaker's estimate of a line's width can be a few hundredths of a
        point short, and the last pass accepts anything), word spaces shrink further down to
        :data:`OVERSHRINK_FLOOR` of a space; what is still too wide is reported as overfull.
        """
        low, desired, _ = self.settings.word_spacing
        space = self.breaker.space
        words = line.spaces * space * (desired - low)
        letters = line.letters * self.letter_shrink
        capacity = words + letters
        ratio = excess / capacity if capacity > EPSILON else -INFINITY
        letter = max(ratio, -1.0) * self.letter_shrink
        if not line.spaces:
            return 0.0, letter, ratio, max(0.0, -excess - letters)
        word = (excess - line.letters * letter) / line.spaces
        floor = -space * (1 - OVERSHRINK_FLOOR)
        overfull = max(0.0, (floor - word) * line.spaces)
        return max(word, floor), letter, ratio, overfull


FITNESS_DECENT_CLASS = 2


def stretch_ratio(excess: float, words: float, letters: float) -> float:
    """The adjustment ratio of a line ``excess`` short of its measure, whose word spaces can
    give ``words`` and letters ``letters`` before their maxima.

    Up to the maxima it is Knuth–Plass's (1: both at their maxima). Past them letters stay at
    their limit and only word spaces widen, so the ratio goes on as theirs alone: a line with
    few spaces rates as loose as it looks, not as loose as its many letters would make it.
    """
    capacity = words + letters
    if excess <= capacity:
        return excess / capacity if capacity > EPSILON else 0.0
    return 1 + (excess - capacity) / words if words > EPSILON else INFINITY


def _fitness(ratio: float) -> int:
    """Knuth–Plass fitness class: 0 very loose, 1 loose, 2 decent, 3 tight."""
    if ratio > FITNESS_LOOSE:
        return 0
    if ratio > FITNESS_DECENT:
        return 1
    if ratio >= FITNESS_TIGHT:
        return FITNESS_DECENT_CLASS
    return 3


def _chosen(breaks: Sequence[_Break], finals: Iterable[_Node]) -> list[_Break] | None:
    """The breaks of the best final node, first to last."""
    best = min(finals, key=lambda node: float(node[DEMERITS]), default=None)
    chosen: list[_Break] = []
    node = best
    while node is not None and node[PREVIOUS] is not None:
        chosen.append(breaks[node[0]])
        node = node[PREVIOUS]
    return chosen[::-1] if best is not None else None


def _hold(lines: list[Line], gap: float) -> list[Line]:
    """Mark the lines whose slack would take the next line whole (see :attr:`Line.hold`)."""
    out: list[Line] = []
    for index, line in enumerate(lines):
        if index + 1 < len(lines):
            after = lines[index + 1]
            space = gap if line.kind == SPACE_BREAK else 0.0
            if _laid_out(line) + space + _laid_out(after) <= line.width + JOIN_MARGIN:
                line = replace(line, hold=True)
        out.append(line)
    return out


def _laid_out(line: Line) -> float:
    """A line's width as WeasyPrint measures it before justifying (explicit spacing only)."""
    width = line.natural + line.letters * line.letter_spacing
    if line.word_spacing < 0:
        width += line.spaces * line.word_spacing
    return width


def _pieces(runs: Sequence[Run], styles: Callable[[frozenset[str]], FontStyle],
            hyphenate: bool) -> list[_Piece]:
    pieces: list[_Piece] = []
    offset = 0
    for run in runs:
        end = offset + len(run.text)
        if run.text:
            pieces.append(_Piece(offset, end, styles(run.marks),
                                 hyphenate and not NO_HYPHENATION_MARKS & run.marks))
        offset = end
    return pieces


NO_HYPHENATION_MARKS = frozenset({"nh", "code", "nw"})
"""Runs never hyphenated: marked by the layout, code, no-wrap."""


def _nowrap_mask(runs: Sequence[Run], text: str) -> list[bool]:
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


TOKEN = re.compile("( +)|([\u00a0])|([^ \u00a0]+)")
"""Spaces, a no-break space, or a word: the three things a paragraph is made of here."""
EXPLICIT_CHARS = re.compile(f"[{HYPHEN}{EM_DASH}{EN_DASH}]")


class _BreakFinder:
    """Walks a paragraph's text once, adding up widths, and lists its breakpoints."""

    def __init__(self, paragraph: _Paragraph, emergency: bool) -> None:
        self.p = paragraph
        self.emergency = emergency
        self.text = paragraph.text
        self.shaper = paragraph.shaper
        self.size = paragraph.size
        self.low, self.desired, self.high = paragraph.settings.word_spacing
        self.breaks: list[_Break] = []
        self.width = self.stretch = self.shrink = 0.0
        self.letters = 0
        self.nowrap = _nowrap_mask(paragraph.spec.runs, self.text)
        self.any_nowrap = any(self.nowrap)
        self.piece_at = [0] * len(self.text)
        for number, piece in enumerate(paragraph.pieces):
            self.piece_at[piece.start:piece.end] = [number] * (piece.end - piece.start)
        self.narrowest = min(paragraph.measures)

    def sums(self) -> Sums:
        return (self.width, self.stretch, self.shrink, self.letters)

    def find(self) -> list[_Break]:
        origin = self.sums()
        self.breaks.append(_Break("start", 0, 0, 0.0, False, 0.0, origin, origin))
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
        self.breaks.append(_Break(FINAL, last, len(text), -INFINITY, False, 0.0, sums, sums))
        return self.breaks

    def prefix(self) -> None:
        """The list bullet before the first line: its width, and its spaces stretch."""
        p = self.p
        self.width += p.prefix_width
        if p.prefix_spaces:
            space = self.shaper.width(NBSP, p.breaker.styles(frozenset()), self.size)
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
        self.breaks.append(_Break(SPACE_BREAK, start, end, 0.0, False, 0.0, before,
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
        if s.hyphenate and self.p.breaker.hyphenator is not None:
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
        hyphenator = self.p.breaker.hyphenator
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
        """Every character boundary of a stretch too wide for the narrowest line."""
        edges = [start, *sorted(cuts), end]
        points: list[int] = []
        for a, b in itertools.pairwise(edges):
            width = sum(self.shaper.width(self.text[x:y], piece.style, self.size)
                        for x, y, piece in self.styled(a, b))
            if width > self.narrowest:
                points.extend(range(a + 1, b))
        return points

    def styled(self, start: int, end: int) -> list[tuple[int, int, _Piece]]:
        """text[start:end] split where the run changes."""
        out: list[tuple[int, int, _Piece]] = []
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
            self.breaks.append(_Break(kind, k, k, penalty, kind in (HYPHENATION, EXPLICIT),
                                      hyphen if kind == HYPHENATION else 0.0, sums, sums))
        self.width += total - done
        self.letters += end - previous


def is_letter(char: str) -> bool:
    return char.isalpha()
