"""How evenly a composer layout's body text is spaced: the figures of ``report.json`` and
``make bench``, and where the loose lines are.

A justified line's *stretch* is the width of its word spaces over the font's natural space
(1.0: natural; 2.0: twice as wide). :func:`spacing` gives its distribution over every justified
line of an edition's body paragraphs (a paragraph's last line is ragged, and a line without a
space has nothing to stretch: neither counts), with the hyphenated lines and the longest run of
them; :func:`loose_lines` finds the lines on the pages stretched past a threshold, with their
boxes, for the proof page and ``typeset preview --lines``.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..core.units import PT_PER_MM
from .flow import FlowItem
from .plan import PagePlan

LOOSE = 2.0
"""Lines stretched more than this are loose: ``report.json`` lists them."""


@dataclass(frozen=True)
class Spacing:
    """The word-space stretch of an edition's justified body lines, and its hyphens."""

    lines: int
    """Body lines composed."""
    justified_lines: int
    """Lines justified (not a paragraph's last, with a space to stretch): the lines below."""
    median: float
    p95: float
    p99: float
    max: float
    over_1_5_percent: float
    """Share of the justified lines stretched more than 1.5×, in percent."""
    over_2_percent: float
    """Share of the justified lines stretched more than 2×, in percent."""
    hyphenated_lines: int
    """Lines ending in a hyphen, automatic or written."""
    hyphenated_percent: float
    longest_run: int
    """Most hyphenated lines in a row."""


def quantile(values: Sequence[float], q: float) -> float:
    """The ``q`` quantile of sorted ``values`` (nearest rank)."""
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def spacing(flows: Iterable[Sequence[FlowItem]]) -> Spacing | None:
    """The figures of every composed paragraph of the flows (None when none is composed)."""
    stretches: list[float] = []
    lines = hyphenated = longest = 0
    composed = False
    for flow in flows:
        for item in flow:
            if item.composition is None:
                continue
            composed = True
            run = 0
            for line in item.composition.lines:
                lines += 1
                if line.spaces and not line.last:
                    stretches.append(line.stretch)
            for hyphen in item.composition.hyphens:
                hyphenated += hyphen
                run = run + 1 if hyphen else 0
                longest = max(longest, run)
    if not composed:
        return None
    ordered = sorted(stretches) or [1.0]
    count = len(stretches)

    def share(above: float) -> float:
        return round(100 * sum(s > above for s in stretches) / count, 1) if count else 0.0

    return Spacing(lines, count, round(statistics.median(ordered), 3),
                   round(quantile(ordered, 0.95), 3), round(quantile(ordered, 0.99), 3),
                   round(ordered[-1], 3), share(1.5), share(2.0), hyphenated,
                   round(100 * hyphenated / lines, 1) if lines else 0.0, longest)


@dataclass(frozen=True)
class LooseLine:
    """A justified body line stretched past a threshold, where it stands."""

    page: int
    article: str
    column: int
    """The article's column on the page, 1 the leftmost of its placement."""
    line: int
    """The line in that column, 1 the top."""
    stretch: float
    box: tuple[float, float, float, float]
    """x, y, width and height in mm from the trimmed page's top left corner."""


def loose_lines(pages: Iterable[PagePlan], line_height: float,
                above: float = LOOSE) -> list[LooseLine]:
    """Every composed line on the pages stretched more than ``above``, in page order."""
    found: list[LooseLine] = []
    for page in pages:
        for placed in page.articles:
            for number, column in enumerate(placed.columns, start=1):
                offset = 0
                for piece in column.pieces:
                    for k, stretch in enumerate(piece.stretch):
                        if stretch is not None and stretch > above:
                            rect = column.rect
                            y = rect.y + (offset + k) * line_height
                            found.append(LooseLine(
                                page.number, placed.slug, number, offset + k + 1,
                                round(stretch, 3),
                                (round(rect.x / PT_PER_MM, 2), round(y / PT_PER_MM, 2),
                                 round(rect.w / PT_PER_MM, 2),
                                 round(line_height / PT_PER_MM, 2))))
                    offset += piece.lines
    return found
