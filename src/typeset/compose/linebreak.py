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
  ``min_last_line`` characters, never a line wider than its measure (the last pass breaks the
  first three only where the text would otherwise run out of its column);
- passes: first within a tolerance, then as loose as need be, and finally anything that keeps
  the text inside the column where it can (breaking a word too long for it after ``/ . - ? &``)
  — no text is ever lost, and a line that still runs past its column is reported
  (:attr:`~.justification.Line.overfull`: an error of the build).

Widths of the chosen lines are measured again exactly as :mod:`.lines` renders them
(:func:`.breaks.line_pieces`), and each
line gets the word and letter spacing that fills its measure.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from .breakpoints import BreakFinder, Breakpoint, Hyphenator, StyledRun, styled_runs
from .breaks import EXPANDABLE, SPACE, Run, line_pieces
from .justification import (
    EMERGENCY,
    FINAL,
    HYPHENATION,
    JOIN_MARGIN,
    PANGO_UNIT,
    SPACE_BREAK,
    Composition,
    Justification,
    Line,
    ParagraphSpec,
    body_style,
)
from .shaping import FontStyle, Shaper

INFINITY = math.inf
AWFUL = 1e20
"""Demerits of a line that is allowed only because nothing better exists."""
OVERFULL = 1e26
"""Demerits of a line squeezed past its minimum spacing, per point it is too wide: worse than
any number of awful lines, so that a paragraph takes as many as it needs to stay inside its
column, and where it cannot, runs out of it as little as it can."""
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

    def knows(self, spec: ParagraphSpec) -> bool:
        """Whether ``spec`` is composed already (in this process, or imported)."""
        return spec in self._cache

    def remember(self, spec: ParagraphSpec, composition: Composition) -> None:
        """Keep a composition made elsewhere (by a worker process with these settings)."""
        self._cache[spec] = composition

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
        return {self.cache_key(spec): [c.text, c.passes, [line.to_json() for line in c.lines],
                                       c.tracking]
                for spec, c in self._cache.items()}

    def import_cache(self, data: dict[str, Any], specs: Iterable[ParagraphSpec]) -> int:
        """Take back the compositions of ``specs`` found in ``data``; returns how many."""
        taken = 0
        for spec in specs:
            if spec in self._cache:
                continue
            entry = data.get(self.cache_key(spec))
            if entry is not None:
                text, passes, lines, tracking = entry
                self._cache[spec] = Composition(
                    text, tuple(Line.from_json(line) for line in lines), passes, tracking)
                taken += 1
        return taken


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



class _Paragraph:
    """One paragraph being broken: its text, breakpoints and the dynamic programme."""

    def __init__(self, breaker: LineBreaker, spec: ParagraphSpec) -> None:
        self.breaker = breaker
        self.shaper = breaker.shaper
        self.settings = breaker.settings
        self.spec = spec
        self.size = breaker.font_size
        self.text = "".join(run.text for run in spec.runs)
        self.runs = spec.runs
        self.styles = breaker.styles
        self.hyphenator = breaker.hyphenator
        self.pieces: list[StyledRun] = styled_runs(spec.runs, breaker.styles,
                                                   self.settings.hyphenate)
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
        breaks: list[Breakpoint] = []
        for number, how in enumerate(self.passes(), start=1):
            if number == 1 or how.last_resort:
                breaks = BreakFinder(self, emergency=how.last_resort).find()
            chosen = self.best(breaks, how)
            if chosen is not None:
                return self.composition(chosen, number)
        raise AssertionError("the last pass always finds breaks")

    def compose_at(self, ends: Sequence[int]) -> Composition:
        breaks = BreakFinder(self, emergency=True).find()
        by_end: dict[int, Breakpoint] = {}
        for brk in breaks[1:]:
            by_end.setdefault(brk.end, brk)
        final = breaks[-1]
        missing = [end for end in ends if end not in by_end]
        if missing:
            raise ValueError(f"no break opportunity at offsets {missing}")
        chosen = [by_end[end] for end in ends if end != final.end]
        return self.composition([*chosen, final], 1)

    # -- the dynamic programme

    def best(self, breaks: Sequence[Breakpoint], how: _Pass) -> list[Breakpoint] | None:
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
                overflow = 0.0
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
                    if ratio < -1 - EPSILON:
                        if not anything:
                            continue  # this line, and every longer one from here, is too long
                        overflow = -excess - max(capacity, 0.0)
                survivors.append(node)
                if ratio > tolerance and not anything:
                    continue
                # hard rules; the last pass breaks one only rather than run out of the column
                broken = flagged and (hyphens >= max_hyphens or line in no_hyphen)
                stub = final and previous is not None and brk.end - start0 < min_last
                if (broken or stub) and not anything:
                    continue  # never «ено» alone, never a fourth hyphen in a row
                fitness = FITNESS_DECENT_CLASS if final else _fitness(ratio)
                demerits = demerits0 + self.demerits(ratio, brk, flagged0,
                                                     abs(fitness - fitness0) > 1, overflow)
                if broken or stub:
                    demerits += AWFUL
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

    def ratio(self, origin: Breakpoint, brk: Breakpoint, line: int, how: _Pass) -> float:
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

    def demerits(self, ratio: float, brk: Breakpoint, after_hyphen: bool, misfit: bool,
                 overflow: float = 0.0) -> float:
        """Knuth–Plass demerits of one line, with TeX's extras for hyphens and fitness; a line
        squeezed past its minimum spacing (the last pass only) costs by the points it is too
        wide for that, ``overflow``."""
        s = self.settings
        if ratio < -1 - EPSILON:  # past its minimum spacing: perhaps running out of its column
            return OVERFULL * (1 + overflow)
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

    def composition(self, chosen: Sequence[Breakpoint], passes: int) -> Composition:
        """The chosen breaks as lines, measured exactly as rendered, with their spacing; the
        paragraph tracked (:meth:`tracked`)."""
        lines: list[Line] = []
        start = 0
        for index, brk in enumerate(chosen):
            lines.append(self.line(index, start, brk))
            start = brk.start
        tracking = 0.0
        if not self.spec.prefix:  # a list item's bullet is outside its lines: not tracked
            lines, tracking = self.tracked(lines)
        return Composition(self.text, tuple(_hold(lines, self.breaker.space)), passes,
                           tracking)

    def tracked(self, lines: list[Line]) -> tuple[list[Line], float]:
        """The lines with the paragraph's own letter spacing where it sets them as well.

        Every line with letter spacing of its own is a ``<span>`` in the HTML, and WeasyPrint
        lays out a page's spans at a cost (about 1.5 ms each). A paragraph's letter spacing (on
        its ``<p>``), in whole Pango units within the letter-spacing limits, is chosen so that as
        many lines as can take it: those whose word spaces then stay at least natural and no
        wider than their maximum (or than the breaker set them); WeasyPrint's justification
        widens them. Each line takes a range of letter spacings; the best choice is an end of one
        of those ranges. The other lines keep their own spacing."""
        _, desired, high = self.settings.word_spacing
        widest = self.breaker.space * (high - desired)
        low_units = math.ceil(-self.letter_shrink / PANGO_UNIT)
        high_units = math.floor(self.letter_stretch / PANGO_UNIT)

        def words(line: Line, units: int) -> float | None:
            """The word spacing of ``line`` tracked by ``units``, None when it cannot be."""
            if line.overfull > 0:
                return None
            room = line.width - line.natural - line.letters * units * PANGO_UNIT
            if room < 0:
                return None
            if line.last:
                return 0.0 if room >= JOIN_MARGIN else None
            if not line.spaces:  # nothing to justify: only at its own letter spacing
                return 0.0 if units == int(line.letter_spacing / PANGO_UNIT) else None
            word = room / line.spaces
            if room < JOIN_MARGIN or word > max(widest, line.word_spacing) + EPSILON:
                return None
            return word

        options = {0}
        for line in lines:
            if line.letters and line.overfull <= 0:
                slack = line.width - line.natural
                most = slack - (JOIN_MARGIN if line.spaces or line.last else 0.0)
                least = slack - line.spaces * max(widest, line.word_spacing)
                options.add(math.floor(most / line.letters / PANGO_UNIT))
                options.add(math.ceil(least / line.letters / PANGO_UNIT))
                options.add(int(line.letter_spacing / PANGO_UNIT))
        candidates = sorted((u for u in options if low_units <= u <= high_units), key=abs)
        best = min(candidates, key=lambda units: sum(words(line, units) is None
                                                     for line in lines))
        out = []
        space = self.breaker.space
        for line in lines:
            word = words(line, best)
            if word is not None:
                letter = best * PANGO_UNIT
                line = replace(line, word_spacing=word, letter_spacing=letter,
                               stretch=(space + word + letter) / space if line.spaces else 1.0)
            out.append(line)
        return out, best * PANGO_UNIT

    def line(self, index: int, start: int, brk: Breakpoint) -> Line:
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


def _chosen(breaks: Sequence[Breakpoint], finals: Iterable[_Node]) -> list[Breakpoint] | None:
    """The breaks of the best final node, first to last."""
    best = min(finals, key=lambda node: float(node[DEMERITS]), default=None)
    chosen: list[Breakpoint] = []
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

