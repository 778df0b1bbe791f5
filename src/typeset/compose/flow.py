"""Flowing measured body text into columns: sequential fill and balancing.

The body of an article is a list of :class:`FlowItem` — paragraphs, whose every line is known from
the measuring pass, and boxes (subheads, quotes, fact boxes, the byline) of a whole number of grid
lines. :func:`fill` pours items into columns of given capacities; :func:`balance` finds the lowest
common bottom at which they all fit, so that an article's columns end on the same baseline.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from markupsafe import Markup

from ..source.articles import Run
from .justification import Composition

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
    height: float = 0.0
    """For boxes: the height measured, in points (the box takes it rounded up to grid lines)."""
    composition: Composition | None = None
    """A composer layout's paragraph: its lines as composed (None: as WeasyPrint measured)."""
    no_hyphen: frozenset[int] = frozenset()
    """Lines the paragraph was composed not to end in a hyphen (at the foot of a column)."""

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
    variants: dict[int, FlowItem] = field(default_factory=dict)
    """Paragraphs broken again so that no column ends with a hyphen, by item index: they
    replace the flow's items when the fill is used."""


def remaining_lines(items: Sequence[FlowItem], pos: Pos) -> int:
    """Body lines from ``pos`` to the end of the flow."""
    if pos.item >= len(items):
        return 0
    return items[pos.item].lines - pos.line + sum(i.lines for i in items[pos.item + 1:])


Rebreak = Callable[[FlowItem, int], FlowItem | None]
"""Breaks a paragraph again so that the given line does not end in a hyphen (a composer
layout's :meth:`typeset.compose.paragraphs.ParagraphComposer.rebreak`); None when it cannot."""
REBREAKS = 3
"""Times a paragraph at a column's foot is broken again before its hyphenated line is carried to
the next column instead."""


@dataclass
class _Pour:
    """One pouring of a flow into columns: the paragraphs broken again on the way."""

    items: Sequence[FlowItem]
    rebreak: Rebreak | None
    changed: dict[int, FlowItem] = field(default_factory=dict)

    def at(self, i: int) -> FlowItem:
        return self.changed.get(i) or self.items[i]

    def split(self, i: int, line: int, room: int, foot: bool, keep: bool = True) -> int:
        """Lines of paragraph ``i`` from ``line`` that go into ``room`` lines at a column's foot,
        widows and orphans respected; with ``foot``, never a hyphen on the column's last line: the
        paragraph is broken again without it (kept as a variant when ``keep``), or the line
        goes to the next column."""
        item = self.at(i)
        for _ in range(REBREAKS + 1):
            take = _take(item, line, room)
            if not (foot and take > 0 and item.hyphens[line + take - 1]):
                break
            variant = None if self.rebreak is None else self.rebreak(item, line + take - 1)
            if variant is None or not _same_start(item, variant, line):
                break
            item = variant
            if keep:
                self.changed[i] = variant
        if self.rebreak is None:  # WeasyPrint's lines: one line less, as before
            if foot and take > 0 and item.hyphens[line + take - 1]:
                take -= 1
                if line == 0 and take < ORPHANS:
                    take = 0
            return take
        while foot and take > 0 and item.hyphens[line + take - 1]:
            take -= 1
        return 0 if line == 0 and take < ORPHANS else take

    def kept_with(self, i: int, room: int, foot: bool) -> bool:
        """Whether what follows subhead ``i`` starts in the ``room`` lines left below it: a box
        whole, or at least :data:`ORPHANS` lines of a paragraph (all of a shorter one)."""
        if i + 1 >= len(self.items):
            return True
        nxt = self.at(i + 1)
        if not nxt.splittable or nxt.lines <= room:
            return nxt.lines <= room
        return self.split(i + 1, 0, room, foot, keep=False) >= min(ORPHANS, nxt.lines)


def _take(item: FlowItem, line: int, room: int) -> int:
    take = room
    if item.lines - (line + take) < WIDOWS:
        take = item.lines - line - WIDOWS
    if line == 0 and take < ORPHANS:
        take = 0
    return take


def _same_start(item: FlowItem, variant: FlowItem, line: int) -> bool:
    """The variant sets the lines before ``line`` as they were (they stand in a column
    already)."""
    return (variant.starts[:line + 1] == item.starts[:line + 1]
            and variant.hyphens[:line] == item.hyphens[:line])


def fill(items: Sequence[FlowItem], pos: Pos, capacities: Sequence[int],
         avoid_hyphen_at_end: bool = False, rebreak: Rebreak | None = None) -> Filled:
    """Pour items from ``pos`` into columns of the given capacities, in order.

    With ``rebreak`` (a composer layout) no column ends with a hyphen; without it, only the last
    column when ``avoid_hyphen_at_end`` (a page's foot, above «Окончание на с. N»). A subhead is
    never the last thing in a column: it goes to the next column unless the text it heads starts
    below it. The paragraphs broken again on the way are in the result's ``variants``.
    """
    pour = _Pour(items, rebreak)
    columns: list[list[Fragment]] = []
    used_lines: list[int] = []
    i, line = pos.item, pos.line
    for col_index, cap in enumerate(capacities):
        foot = rebreak is not None or (avoid_hyphen_at_end and col_index == len(capacities) - 1)
        frags: list[Fragment] = []
        used = 0
        while i < len(items):
            item = pour.at(i)
            room = cap - used
            if item.splittable:
                left = item.lines - line
                if left <= room:
                    frags.append(Fragment(i, line, item.lines))
                    used += left
                    i, line = i + 1, 0
                    continue
                take = pour.split(i, line, room, foot)
                if take > 0:
                    frags.append(Fragment(i, line, line + take))
                    used += take
                    line += take
                break
            # an unsplittable box; a subhead only with the start of its text
            fits = item.lines <= room and (item.kind != "subhead" or pour.kept_with(
                i, room - item.lines, foot))
            if fits or (used == 0 and item.lines > cap):
                frags.append(Fragment(i, 0, item.lines))
                used += item.lines
                i, line = i + 1, 0
                continue
            break
        columns.append(frags)
        used_lines.append(used)
    return Filled(columns, used_lines, Pos(i, line), pour.changed)


def balance(items: Sequence[FlowItem], pos: Pos, tops: Sequence[int],
            bottom: int, rebreak: Rebreak | None = None) -> tuple[int, Filled] | None:
    """The lowest common bottom (≤ ``bottom``) at which the rest of the flow fits, and the fill.

    ``tops`` are the lines where each column's text starts (below heads and photos).
    """
    total = remaining_lines(items, pos)
    low = max(min(tops) + 1, min(tops) + total // max(1, len(tops)))
    for y in range(max(low, 1), bottom + 1):
        caps = [max(0, y - t) for t in tops]
        filled = fill(items, pos, caps, rebreak=rebreak)
        if filled.end.item >= len(items):
            return y, filled
    return None
