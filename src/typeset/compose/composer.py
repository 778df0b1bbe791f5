"""Step 4b: lay out pages — place articles in the grid, copyfit them, continue them.

Articles fill a page top to bottom, left to right, in the order the manifest lists them: each goes
where the columns it spans are least filled (the leftmost such place). An article is as tall as its
balanced text unless nothing stands below it, in which case it reaches the foot of the page and
its photo grows (cropped, within limits) to take up the slack. Text that does not fit goes to the
article's continuation or is counted, line by line, as overset. Nothing is dropped silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from ..core.errors import Finding, error, warning
from ..source.articles import Run, runs_html, split_runs
from ..source.layouts import Grid, Rect
from .ads import column_floors
from .flow import Filled, FlowItem, Fragment, Pos, Rebreak, balance, fill, remaining_lines
from .lines import paragraph_html, rendered_text, tracking_style
from .plan import (
    AdBox,
    ColumnBox,
    Copyfit,
    Head,
    JumpOut,
    PagePlan,
    PhotoBox,
    Piece,
    PlacedArticle,
    RuleBox,
)

RULE_LINES = 1
"""Lines above an article that does not start at the top of the page: the rule between articles."""
PHOTO_CAPTION_GAP = 2.0
"""Points between a photo and its caption."""


@dataclass
class PhotoSpec:
    """A photo to place: its image, aspect, caption lines at the photo width, span."""

    src: str
    aspect: float
    span: int
    caption_lines: int
    caption: str | None
    credit: str | None
    width_px: int
    height_px: int


@dataclass
class PlacementSpec:
    """One manifest placement, with everything measured that it needs."""

    slug: str
    page: int
    span: int
    index: int
    """0 for the start of the article, 1… for its continuations."""
    last: bool
    """No later placement continues this article."""
    head: Head
    head_lines: int
    photos: list[PhotoSpec]
    next_page: int | None = None
    following: PlacementSpec | None = None
    """The placement that continues this one."""
    manifest: Path | None = None
    """The issue.toml path, for messages."""
    line: int | None = None
    """The placement's line in issue.toml, for messages."""


@dataclass
class Slot:
    spec: PlacementSpec
    column: int
    top: int
    height: int
    open_below: bool = False
    no_room: bool = False
    """The columns it spans are filled to the foot of the page by the articles before it."""
    blocked_by: AdBox | None = None
    """The advertising module that takes the room it would otherwise have had."""


MIN_PHOTO_LINES = 4
"""Grid lines of the smallest photo (image and caption)."""
PHOTO_CROP = 0.75
"""A photo may be cropped down to this share of its natural height…"""
PHOTO_GROW = 1.4
"""…or grow (cropped at the sides) up to this multiple of it, to absorb spare lines."""
RULE_OFFSET = 0.45
"""Where the rule above an article sits within its grid line, as a share of the line."""


def photo_lines(grid: Grid, photo: PhotoSpec) -> int:
    width = grid.width(photo.span)
    return max(MIN_PHOTO_LINES, round(width / photo.aspect / grid.line))


def photo_range(grid: Grid, photo: PhotoSpec, max_lines: int) -> range:
    natural = photo_lines(grid, photo)
    low = max(MIN_PHOTO_LINES, round(natural * PHOTO_CROP))
    high = max(low, min(max_lines, round(natural * PHOTO_GROW)))
    return range(low, high + 1)


@dataclass(frozen=True)
class PhotoPlace:
    """Where a photo goes within its placement: column, span, top line and lines taken."""

    column: int
    span: int
    top: int
    lines: int


@dataclass
class Body:
    """A choice of photo sizes with the text flowed around them."""

    tops: list[int]
    """The line where each column's text starts (below the head and the photos)."""
    photos: list[PhotoPlace]
    filled: Filled


class Composer:
    """Composes the pages of one edition from measured pieces."""

    def __init__(self, grid: Grid, flows: dict[str, list[FlowItem]], photo_max_lines: int,
                 rebreak: Rebreak | None = None):
        self.grid = grid
        self.flows = flows
        self.photo_max_lines = photo_max_lines
        self.rebreak = rebreak
        """A composer layout's: breaks a paragraph again so that no column ends in a hyphen."""
        self.positions: dict[str, Pos] = {slug: Pos() for slug in flows}
        self.findings: list[Finding] = []
        self.copyfit: dict[str, Copyfit] = {slug: Copyfit() for slug in flows}

    # -- geometry of one placement --------------------------------------------------------------

    def _body_tops(self, spec: PlacementSpec, rule: int, photo_sizes: Sequence[int]
                   ) -> tuple[list[int], list[PhotoPlace]]:
        """Where each column's text starts, and the photos' places."""
        tops = [rule + spec.head_lines] * spec.span
        places = []
        column = 0
        for photo, img in zip(spec.photos, photo_sizes, strict=True):
            span = min(photo.span, spec.span)
            if column + span > spec.span:
                column = 0
            top = max(tops[column:column + span])
            lines = img + photo.caption_lines
            places.append(PhotoPlace(column, span, top, lines))
            for c in range(column, column + span):
                tops[c] = top + lines
            column += span
        return tops, places

    def natural_height(self, spec: PlacementSpec, rule: int, available: int) -> int:
        """Lines the placement needs with its text balanced (capped at ``available``)."""
        sizes = [photo_lines(self.grid, p) for p in spec.photos]
        tops, _ = self._body_tops(spec, rule, sizes)
        items = self.flows[spec.slug]
        if not spec.last:
            return available
        result = balance(items, self.positions[spec.slug], tops, available, self.rebreak)
        return available if result is None else result[0]

    def _balanced_body(self, slot: Slot, rule: int) -> Body | None:
        """The article's end, balanced: the photo sizes that leave the fewest spare lines (the
        natural sizes first), or None when the rest of the text does not fit at any size."""
        spec = slot.spec
        items, start, height = self.flows[spec.slug], self.positions[spec.slug], slot.height
        ranges = [photo_range(self.grid, p, self.photo_max_lines) for p in spec.photos]
        best: tuple[int, int] | None = None
        choice = None
        for sizes in _size_choices(ranges, [photo_lines(self.grid, p) for p in spec.photos]):
            tops, places = self._body_tops(spec, rule, sizes)
            result = balance(items, start, tops, height, self.rebreak)
            if result is None:
                continue
            _bottom, filled = result
            under = sum(height - t - u for t, u in zip(tops, filled.used, strict=True))
            score = (under, abs(sum(sizes) - sum(r.start for r in ranges)))
            if best is None or score < best:
                best = score
                choice = Body(tops, places, filled)
            if under == 0 or not slot.open_below:
                break
        return choice

    def _filled_body(self, slot: Slot, rule: int) -> Body:
        """The columns filled in order, to the slot's foot (a continued article, or one whose
        end does not fit: what is left over is its overset)."""
        spec = slot.spec
        sizes = ([photo_range(self.grid, p, self.photo_max_lines).start for p in spec.photos]
                 if spec.last else [photo_lines(self.grid, p) for p in spec.photos])
        tops, places = self._body_tops(spec, rule, sizes)
        caps = [max(0, slot.height - t) for t in tops]
        if not spec.last and caps:
            caps[-1] = max(0, caps[-1] - 1)  # the jump line
        filled = fill(self.flows[spec.slug], self.positions[spec.slug], caps,
                      avoid_hyphen_at_end=not spec.last, rebreak=self.rebreak)
        return Body(tops, places, filled)

    def place(self, slot: Slot, page: PagePlan) -> PlacedArticle:
        spec = slot.spec
        rule = RULE_LINES if slot.top > 0 else 0
        body = (self._balanced_body(slot, rule) if spec.last else None) or self._filled_body(
            slot, rule)
        items = self.flows[spec.slug]
        for index, variant in body.filled.variants.items():  # broken again for a column's foot
            items[index] = variant
        self.positions[spec.slug] = body.filled.end
        placed = self._boxes(slot, page, rule, body)
        copyfit = self.copyfit[spec.slug]
        copyfit.pages.append(page.number)
        if spec.last:
            placed.overset = remaining_lines(items, body.filled.end)
            placed.underset = sum(col.lines - col.used for col in placed.columns)
            copyfit.overset_lines = placed.overset
            copyfit.underset_lines = placed.underset
        elif spec.next_page is not None:
            last = placed.columns[-1].rect if placed.columns else placed.head_rect
            rect = Rect(last.x, self.grid.y(page.top_line + slot.top + slot.height - 1), last.w,
                        self.grid.line)
            placed.jump_out = JumpOut(rect, f"Окончание на с. {spec.next_page}")
        return placed

    def _boxes(self, slot: Slot, page: PagePlan, rule: int, body: Body) -> PlacedArticle:
        """The placement's head, photo and column boxes on the page."""
        spec, g = slot.spec, self.grid
        items = self.flows[spec.slug]
        line0 = page.top_line + slot.top
        placed = PlacedArticle(
            spec.slug, f"{spec.slug}-{spec.index}", page.number, spec.span, slot.column,
            slot.top, slot.height, spec.head,
            g.rect(slot.column, spec.span, line0 + rule, spec.head_lines))
        for photo, place in zip(spec.photos, body.photos, strict=True):
            rect = g.rect(slot.column + place.column, place.span, line0 + place.top, place.lines)
            img = (place.lines - photo.caption_lines) * g.line - PHOTO_CAPTION_GAP
            placed.photos.append(PhotoBox(rect, img, photo.src, photo.caption, photo.credit,
                                          photo.width_px, photo.height_px))
        for c, (top, frags, used) in enumerate(zip(body.tops, body.filled.columns,
                                                   body.filled.used, strict=True)):
            rect = g.rect(slot.column + c, 1, line0 + top, max(0, slot.height - top))
            placed.columns.append(ColumnBox(rect, [_piece(items, f, g.line) for f in frags],
                                            max(0, slot.height - top), used))
        return placed

    # -- a page ---------------------------------------------------------------------------------

    def compose_page(self, page: PagePlan, specs: Sequence[PlacementSpec]) -> None:
        """Place the articles in the grid: above and beside the page's advertising modules,
        whose columns end where the highest module in them begins."""
        g = self.grid
        floors = column_floors(page, g.columns)

        def floor(column: int, span: int) -> tuple[int, AdBox | None]:
            return min(floors[column:column + span], key=lambda f: f[0])

        skyline = [0] * g.columns
        slots: list[Slot] = []
        for spec in specs:
            column = min(range(g.columns - spec.span + 1),
                         key=lambda c: (max(skyline[c:c + spec.span]), c))
            top = max(skyline[column:column + spec.span])
            bottom, ad = floor(column, spec.span)
            available = bottom - top
            rule = RULE_LINES if top > 0 else 0
            no_room = available <= rule + spec.head_lines
            height = (max(0, available) if no_room
                      else self.natural_height(spec, rule, available))
            blocked = ad if no_room and page.lines - top > rule + spec.head_lines else None
            slots.append(Slot(spec, column, top, height, no_room=no_room, blocked_by=blocked))
            for c in range(column, column + spec.span):
                skyline[c] = top + height
        for i, slot in enumerate(slots):
            cols = set(range(slot.column, slot.column + slot.spec.span))
            below = any(cols & set(range(o.column, o.column + o.spec.span)) and o.top > slot.top
                        for o in slots[i + 1:])
            if not below:
                slot.open_below = True
                slot.height = max(0, floor(slot.column, slot.spec.span)[0] - slot.top)
        for slot in slots:
            before = remaining_lines(self.flows[slot.spec.slug], self.positions[slot.spec.slug])
            placed = self.place(slot, page)
            page.articles.append(placed)
            if slot.top > 0:
                y = g.y(page.top_line + slot.top) + g.line * RULE_OFFSET
                page.rules.append(RuleBox("rule-h", Rect(
                    g.x(slot.column), y, g.width(slot.spec.span), 0).style))
            if slot.column > 0:
                x = g.x(slot.column) - g.gutter / 2
                y0 = g.y(page.top_line + slot.top) + (g.line if slot.top > 0 else 0)
                page.rules.append(RuleBox("rule-v", Rect(
                    x, y0, 0, g.y(page.top_line + slot.top + slot.height) - y0).style))
            self._check(placed, slot, before)

    def _check(self, placed: PlacedArticle, slot: Slot, before: int) -> None:
        """Findings of one placement; ``before``: the article's body lines still to place when
        it came to this placement."""
        spec = slot.spec
        after = remaining_lines(self.flows[spec.slug], self.positions[spec.slug])
        if slot.no_room and slot.blocked_by is not None:
            ad = slot.blocked_by
            at = f" (issue.toml:{spec.line})" if spec.line else ""
            self.findings.append(error(
                "no-room", f"page {placed.page}: {ad.name} leaves no room for '{spec.slug}'"
                f"{at}: with the articles placed before it, the module fills the "
                f"{spec.span} column{'s' if spec.span != 1 else ''} the article spans; book a "
                "lower module or other columns, or give the article fewer columns",
                ad.manifest, ad.line, page=placed.page, article=spec.slug))
        elif slot.no_room:
            self.findings.append(error(
                "no-room", f"page {placed.page}: no room for '{spec.slug}': the {spec.span} "
                f"column{'s' if spec.span != 1 else ''} it spans are filled to the foot of the "
                f"page by the articles placed before it; give it fewer columns, or move it to "
                "another page", spec.manifest, spec.line, page=placed.page, article=spec.slug))
        elif not spec.last and before > 0 and after == 0 and (
                spec.following is not None and spec.following.photos):
            self.findings.append(warning(
                "continuation-photos-only", f"page {placed.page}: '{spec.slug}' ends on this "
                f"page, so its continuation on page {spec.next_page} holds only photos; "
                "check that this is meant", spec.manifest, spec.line, page=placed.page,
                article=spec.slug))
        elif not spec.last and before > 0 and after == 0:
            self.findings.append(error(
                "continuation-empty", f"page {placed.page}: '{spec.slug}' ends on this page, so "
                f"its continuation on page {spec.next_page} would be empty; remove the "
                f"continuation from page {spec.next_page}, or give the article fewer columns "
                "here", spec.manifest, spec.line, page=placed.page, article=spec.slug))
        elif spec.last and placed.overset:
            self.findings.append(error(
                "overset", f"page {placed.page}: '{spec.slug}' does not fit: {placed.overset} "
                f"body line{'s' if placed.overset != 1 else ''} overset; cut the text, give it "
                "more columns, or continue it on a later page", spec.manifest, spec.line,
                page=placed.page, article=spec.slug))
        elif (spec.last and before > 0 and slot.open_below
              and placed.underset > 2 * max(1, spec.span)):
            self.findings.append(warning(
                "underset", f"page {placed.page}: '{spec.slug}' leaves {placed.underset} empty "
                "lines; add text or a photo, or give it fewer columns", spec.manifest,
                spec.line, page=placed.page, article=spec.slug))



def _piece(items: Sequence[FlowItem], frag: Fragment, line: float) -> Piece:
    item = items[frag.item]
    if item.kind != "para":
        return Piece(item.kind, item.html, lines=item.lines, title=item.title, paras=item.paras,
                     pad=_pad(item, line))
    classes = [item.para_kind]
    if item.para_kind == "li" and frag.start == 0:
        classes.append("start")
    if frag.start > 0:
        classes.append("cont")
    elif item.first:
        classes.append("first")
    if frag.end < item.lines:
        classes.append("split")
    if item.composition is not None:  # composed: the lines themselves
        tracking = item.composition.tracking
        lines = item.composition.lines[frag.start:frag.end]
        return Piece("para", Markup(paragraph_html(item.runs, lines, tracking=tracking)),
                     " ".join(classes), lines=frag.end - frag.start,
                     style=tracking_style(tracking),
                     texts=[rendered_text(item.runs, line) for line in lines],
                     hyphenated=[line.hyphen for line in lines],
                     stretch=[line.stretch if line.spaces and not line.last else None
                              for line in lines])
    runs = list(item.runs)
    hyphen = False
    if item.splittable and (frag.start > 0 or frag.end < item.lines):
        end = item.starts[frag.end] if frag.end < item.lines else None
        if end is not None:
            runs, _ = split_runs(runs, end)
            hyphen = item.hyphens[frag.end - 1]
        if frag.start > 0:
            _, runs = split_runs(runs, item.starts[frag.start])
    html = Markup(runs_html(_strip_runs(runs)))
    return Piece("para", html, " ".join(classes), hyphen, frag.end - frag.start)


BOX_ALIGN = {"subhead": 1.0, "quote": 0.5, "fact": 0.5}
"""Where a box's content sits in its grid lines: at the foot (1) or in the middle (0.5)."""


def _pad(item: FlowItem, line: float) -> float:
    """Points above a box's measured content that align it in its box (:data:`BOX_ALIGN`)."""
    room = item.lines * line - item.height
    return round(max(0.0, room) * BOX_ALIGN.get(item.kind, 0.0), 3)


def _strip_runs(runs: list[Run]) -> list[Run]:
    """Runs without the spaces a line break swallowed at either end."""
    out = [r for r in runs if r.text]
    if out:
        out[0] = Run(out[0].text.lstrip(" "), out[0].marks)
        out[-1] = Run(out[-1].text.rstrip(" "), out[-1].marks)
    return out


def _size_choices(ranges: Sequence[range], natural: Sequence[int]) -> list[list[int]]:
    """Photo heights to try, the natural sizes first, then larger, then smaller (one photo
    changes at a time; the first photo absorbs the slack)."""
    if not ranges:
        return [[]]
    first = ranges[0]
    rest = list(natural[1:])
    order = [natural[0]] + [n for n in reversed(first) if n > natural[0]] + [
        n for n in reversed(first) if n < natural[0]]
    return [[n, *rest] for n in order]
