"""Flowing measured body text into columns: sequential fill and balancing.

The body of an article is a list of :class:`FlowItem` — paragraphs, whose every line is known from
the measuring pass, and boxes (subheads, quotes, fact boxes, the byline) of a whole number of grid
lines. :func:`fill` pours items into columns of given capacities; :func:`balance` finds the lowest
common bottom at which they all fit, so that an article's columns end on the same baseline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from markupsafe import Markup

from ..source.articles import Run

ORPHANS = 2
"""Fewest lines of a paragraph left at the foot of a column."""
WIDOWS = 2
"""Fewest lines of a paragraph carried to the head of the next column."""


@dataclass
class FlowItem:
    """One unit of an article's body flow."""

    id: str
    kind: str
    """``para`` (splittable between lines) or a box: ``subhead``, ``quote``, ``fact``,
    ``byline``."""
    lines: int
    runs: tuple[Run, ...] = ()
    para_kind: str = "p"
    first: bool = False
    """No first-line indent (the first paragraph, or one after a subhead)."""
    starts: list[int] = field(default_factory=list)
    """For paragraphs: the character offset where each line starts."""
    hyphens: list[bool] = field(default_factory=list)
    """For paragraphs: whether each line ends in a hyphenated word."""
    html: Markup = field(default_factory=Markup)
    title: Markup = field(default_factory=Markup)
    paras: list[Markup] = field(default_factory=list)

    @property
    def splittable(self) -> bool:
        return self.kind == "para" and len(self.starts) == self.lines and self.lines > 0


@dataclass(frozen=True)
class Fragment:
    """Lines ``start`` to ``end`` (exclusive) of item ``item``."""

    item: int
    start: int
    end: int


@dataclass(frozen=True)
class Pos:
    """A place in a flow: item index and the line within it."""

    item: int = 0
    line: int = 0


@dataclass
class Filled:
    columns: list[list[Fragment]]
    used: list[int]
    end: Pos


def remaining_lines(items: Sequence[FlowItem], pos: Pos) -> int:
    """Body lines from ``pos`` to the end of the flow."""
    if pos.item >= len(items):
        return 0
    return items[pos.item].lines - pos.line + sum(i.lines for i in items[pos.item + 1:])


def fill(items: Sequence[FlowItem], pos: Pos, capacities: Sequence[int],
         avoid_hyphen_at_end: bool = False) -> Filled:
    """Pour items from ``pos`` into columns of the given capacities, in order."""
    columns: list[list[Fragment]] = []
    used_lines: list[int] = []
    i, line = pos.item, pos.line
    for col_index, cap in enumerate(capacities):
        frags: list[Fragment] = []
        used = 0
        while i < len(items):
            item = items[i]
            room = cap - used
            if item.splittable:
                left = item.lines - line
                if left <= room:
                    frags.append(Fragment(i, line, item.lines))
                    used += left
                    i, line = i + 1, 0
                    continue
                take = room
                if item.lines - (line + take) < WIDOWS:
                    take = item.lines - line - WIDOWS
                if line == 0 and take < ORPHANS:
                    take = 0
                if (avoid_hyphen_at_end and col_index == len(capacities) - 1 and take > 0
                        and item.hyphens[line + take - 1]):
                    take -= 1
                    if line == 0 and take < ORPHANS:
                        take = 0
                if take > 0:
                    frags.append(Fragment(i, line, line + take))
                    used += take
                    line += take
                break
            # an unsplittable box
            nxt = items[i + 1] if i + 1 < len(items) else None
            keep = item.kind == "subhead" and nxt is not None
            need = item.lines + (min(ORPHANS, nxt.lines) if keep and nxt else 0)
            if need <= room or (used == 0 and item.lines > cap):
                frags.append(Fragment(i, 0, item.lines))
                used += item.lines
                i, line = i + 1, 0
                continue
            break
        columns.append(frags)
        used_lines.append(used)
    return Filled(columns, used_lines, Pos(i, line))


def balance(items: Sequence[FlowItem], pos: Pos, tops: Sequence[int],
            bottom: int) -> tuple[int, Filled] | None:
    """The lowest common bottom (≤ ``bottom``) at which the rest of the flow fits, and the fill.

    ``tops`` are the lines where each column's text starts (below heads and photos).
    """
    total = remaining_lines(items, pos)
    low = max(min(tops) + 1, min(tops) + total // max(1, len(tops)))
    for y in range(max(low, 1), bottom + 1):
        caps = [max(0, y - t) for t in tops]
        filled = fill(items, pos, caps)
        if filled.end.item >= len(items):
            return y, filled
    return None
