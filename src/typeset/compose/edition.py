"""Step 4: lay out the pages — measure every piece, then compose the pages of the edition.

:func:`lay_out_edition` is the stage's entry point: it turns the edition's articles into flows of
measured pieces, stands each page's advertising modules at its foot (:mod:`.ads`), composes the
articles in the grid around them (:class:`~typeset.compose.composer.Composer`) and returns the
page plans with the copyfit report. One layout pass serves every output.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from markupsafe import Markup

from ..core.cache import Cache
from ..core.errors import Finding, error
from ..source.ads import Ad, read_ads
from ..source.articles import Article, FactBox, Para, Quote, Subhead, mark_range, runs_html
from ..source.layouts import Layout, Rect
from ..source.manifest import Edition
from .ads import ad_share, place_ads
from .composer import Composer, PhotoSpec, PlacementSpec
from .flow import FlowItem
from .measure import Measured, MeasureItem, Measurer, grid_lines, line_starts
from .overflow import break_wide_words, overflow_findings
from .paragraphs import ParagraphComposer
from .plan import CaptionText, Copyfit, Furniture, Head, PagePlan, Piece


@dataclass(frozen=True)
class Hyphenation:
    """How much of the body text ends lines in a hyphen, and the longest run of them."""

    body_lines: int
    hyphenated_lines: int
    percent: float
    longest_run: int


@dataclass
class EditionLayout:
    """The composed edition: page plans and what the copyfit found."""

    pages: list[PagePlan]
    copyfit: dict[str, Copyfit]
    findings: list[Finding] = field(default_factory=list)
    flows: dict[str, list[FlowItem]] = field(default_factory=dict)
    """Every article's measured body, line by line."""

    def hyphenation(self) -> Hyphenation:
        lines = hyphenated = longest = 0
        for flow in self.flows.values():
            for item in flow:
                if item.kind != "para" or not item.hyphens:
                    continue
                lines += item.lines
                hyphenated += sum(item.hyphens)
                run = 0
                for h in item.hyphens:
                    run = run + 1 if h else 0
                    longest = max(longest, run)
        share = round(100 * hyphenated / lines, 1) if lines else 0.0
        return Hyphenation(lines, hyphenated, share, longest)


EXTRA_SPACE = {"subhead": 0.7, "quote": 0.8, "fact": 0.8, "byline": 0.2}
"""Space, in grid lines, added around a box in the column flow."""
HEAD_SPACE = 0.6
"""Space, in grid lines, between a head and what follows it."""
CAPTION_SPACE = 0.5
"""Space, in grid lines, added below a caption."""
FURNITURE_GAP = 0.6
"""Grid lines left free between the masthead or running head and the first article."""
MAX_HYPHEN_RUN = 3
"""Most consecutive lines of a paragraph that may end in a hyphen (where WeasyPrint breaks the
lines: a composer layout's limit is its ``hyphen_limit``)."""
HYPHEN_RUN_ROUNDS = 4
"""Measuring passes spent keeping hyphen runs short (each fixes the runs the previous left)."""


def lay_out_edition(edition: Edition, layout: Layout, measurer: Measurer,
                    paragraphs: ParagraphComposer | None = None) -> EditionLayout:
    """Measure every piece of the edition and compose its pages.

    A composer layout (one with ``[justification]``) breaks its body paragraphs with
    ``paragraphs`` (made here when not given); the measurer then measures only heads, captions,
    boxes and the imprint."""
    flows = {slug: _flow_items(a) for slug, a in edition.articles.items()}
    findings: list[Finding] = []
    placements = _placements(edition, layout, findings)
    ads, ad_findings = read_ads(edition, layout.grid, layout.ref)
    findings.extend(ad_findings)
    specs = [spec for page in placements for spec in page]
    if layout.config.justification is not None and paragraphs is None:
        paragraphs = ParagraphComposer(layout, Cache.of(edition.root), edition=edition.key)
    started = None if paragraphs is None else paragraphs.start(flows)
    # while the composer's workers break the paragraphs, WeasyPrint measures the rest
    measured = measurer.measure(_measure_items(edition, layout, flows, specs,
                                               paragraphs=paragraphs is None))
    if paragraphs is not None and started is not None:
        paragraphs.finish(started)
    _apply_measurements(flows, specs, measured, layout)
    if paragraphs is None:
        _remeasure(break_wide_words(flows, measured), layout, measurer, measured)
        _limit_hyphen_runs(flows, layout, measurer, measured)
    else:
        measured.update({ident: Measured(0.0, wide=wide)
                         for ident, wide in paragraphs.wide_lines(flows).items()})
    findings += overflow_findings(edition, measured)
    imprint_lines = grid_lines(measured.get("imprint", Measured(0)).height, layout.grid.line)
    composer = Composer(layout.grid, flows, layout.config.photo_max_lines,
                        None if paragraphs is None else paragraphs.rebreak)
    pages = [_compose_page(composer, layout, number, page_specs, len(placements), imprint_lines,
                           ads[number - 1], edition.paper.ads.label, findings)
             for number, page_specs in enumerate(placements, start=1)]
    if paragraphs is not None:
        paragraphs.save()
    return EditionLayout(pages, composer.copyfit, findings + composer.findings, flows)


def _placements(edition: Edition, layout: Layout, findings: list[Finding]
                ) -> list[list[PlacementSpec]]:
    """Which placements, with which span, head and photos, on which page."""
    grid = layout.grid
    manifest_path = edition.folder / "issue.toml"
    pages: list[list[PlacementSpec]] = []
    by_slug: dict[str, list[PlacementSpec]] = {}
    for number, page in enumerate(edition.manifest.pages, start=1):
        specs = []
        for k, p in enumerate(page.articles):
            article = edition.articles.get(p.slug)
            if article is None:
                continue
            span = p.span or grid.columns
            line = edition.manifest_lines.get(("pages", number - 1, "articles", k))
            if span > grid.columns:
                findings.append(error(
                    "span", f"page {number}: '{p.slug}' spans {span} columns, but layout "
                    f"{layout.ref} has {grid.columns}", manifest_path, line,
                    page=number, article=p.slug))
                span = grid.columns
            previous = by_slug.setdefault(p.slug, [])
            jump = f"Начало на с. {previous[0].page}" if previous else ""
            spec = PlacementSpec(p.slug, number, span, len(previous), True,
                                 _head(article, "cont" if previous else "full", jump), 0, [],
                                 manifest=manifest_path, line=line)
            if previous:
                previous[-1].last = False
                previous[-1].next_page = number
                previous[-1].following = spec
            previous.append(spec)
            specs.append(spec)
        pages.append(specs)
    for slug, placed in by_slug.items():
        _add_photos(edition, edition.articles[slug], placed)
    return pages


def _add_photos(edition: Edition, article: Article, specs: list[PlacementSpec]) -> None:
    """An article's photos: all with its start, or the first with its start and the others
    with its continuation."""
    photos = list(article.meta.photos)
    groups = [photos] if len(specs) == 1 else [photos[:1], photos[1:]]
    for spec, group in zip(specs, groups, strict=False):
        for j, photo in enumerate(group):
            info = edition.images.get(photo.src)
            if info is None:  # missing or unreadable: an error already, laid out without it
                continue
            span = min(photo.span or _photo_span(spec.span, info.aspect, j), spec.span)
            spec.photos.append(PhotoSpec(photo.src, info.aspect, span, 0, photo.caption,
                                         photo.credit, info.width, info.height))


def _head(article: Article, variant: str, jump: str = "") -> Head:
    meta = article.meta
    return Head(variant, meta.rubric, meta.title, meta.subtitle, meta.lead, jump)


def _measure_items(edition: Edition, layout: Layout, flows: dict[str, list[FlowItem]],
                   specs: Sequence[PlacementSpec], paragraphs: bool = True) -> list[MeasureItem]:
    """Every piece to measure: heads and captions at their widths, the body at the column's
    (its paragraphs only when ``paragraphs``: a composer layout has composed them)."""
    grid = layout.grid
    items = [MeasureItem(f"{spec.slug}--head-{spec.index}", "head", grid.width(spec.span),
                         spec.head, f"span-{spec.span}") for spec in specs]
    first = [spec.slug for spec in specs]
    by_article = sorted(specs, key=lambda spec: first.index(spec.slug))  # by first placement
    for spec in by_article:
        for j, photo in enumerate(spec.photos):
            items.append(MeasureItem(f"{spec.slug}--cap-{spec.index}-{j}", "caption",
                                     grid.width(photo.span),
                                     CaptionText(photo.caption, photo.credit), ""))
    for flow in flows.values():
        for item in flow:
            if paragraphs or item.kind != "para":
                items.append(MeasureItem(item.id, item.kind, grid.column_width,
                                         _item_piece(item)))
    items.append(MeasureItem("imprint", "imprint", grid.width(grid.columns), None, ""))
    return items


def _apply_measurements(flows: dict[str, list[FlowItem]], specs: Sequence[PlacementSpec],
                        measured: dict[str, Measured], layout: Layout) -> None:
    line = layout.grid.line
    for flow in flows.values():
        for item in flow:
            if item.composition is not None:
                continue  # composed: its lines are known
            m = measured.get(item.id, Measured(line))
            if item.kind == "para":
                _apply_lines(item, m)
            else:
                item.lines = grid_lines(m.height, line, EXTRA_SPACE[item.kind] * line)
                item.height = m.height
    for spec in specs:
        m = measured.get(f"{spec.slug}--head-{spec.index}", Measured(line))
        spec.head_lines = grid_lines(m.height, line, HEAD_SPACE * line)
        for j, photo in enumerate(spec.photos):
            cap = measured.get(f"{spec.slug}--cap-{spec.index}-{j}", Measured(0))
            photo.caption_lines = grid_lines(cap.height, line, CAPTION_SPACE * line)


def _compose_page(composer: Composer, layout: Layout, number: int,
                  specs: list[PlacementSpec], count: int, imprint_lines: int,
                  ads: list[Ad], label: str, findings: list[Finding]) -> PagePlan:
    """One page: below the masthead (page 1) or the running head, above the imprint (the last
    page); the advertising modules at its foot, the articles above and beside them."""
    grid, cfg = layout.grid, layout.config
    head_lines = cfg.masthead_lines if number == 1 else cfg.running_head_lines
    lines = grid.lines - head_lines
    imprint = None
    if number == count:
        lines -= imprint_lines + 1
        imprint = Rect(grid.left, grid.y(grid.lines - imprint_lines), grid.width(grid.columns),
                       imprint_lines * grid.line)
    furniture = Rect(grid.left, grid.top, grid.width(grid.columns),
                     (head_lines - FURNITURE_GAP) * grid.line)
    plan = PagePlan(number, head_lines, lines, Furniture(furniture.style), imprint=imprint)
    plan.ads, ad_findings = place_ads(grid, plan, ads, label)
    plan.ad_share = ad_share(plan, grid)
    findings.extend(ad_findings)
    composer.compose_page(plan, specs)
    return plan


def _flow_items(article: Article) -> list[FlowItem]:
    items: list[FlowItem] = []
    first = True
    for i, block in enumerate(article.blocks):
        ident = f"{article.slug}--b{i}"
        match block:
            case Para(runs=runs, kind=kind):
                items.append(FlowItem(ident, "para", 0, runs, kind, first=first))
                first = False
            case Subhead(runs=runs):
                items.append(FlowItem(ident, "subhead", 0, html=Markup(runs_html(runs))))
                first = True
            case Quote(paras=paras):
                items.append(FlowItem(ident, "quote", 0, paras=[
                    Markup(runs_html(p.runs)) for p in paras]))
            case FactBox(title=title, paras=paras):
                items.append(FlowItem(ident, "fact", 0, title=Markup.escape(title), paras=[
                    Markup(runs_html(p.runs)) for p in paras]))
    if article.meta.author:
        items.append(FlowItem(f"{article.slug}--byline", "byline", 0,
                              html=Markup.escape(article.meta.author)))
    return items


def _item_piece(item: FlowItem) -> Piece:
    """A flow item as the measuring document shows it: a whole paragraph, or a box."""
    if item.kind == "para":
        classes = item.para_kind + (" first" if item.first else "")
        if item.para_kind == "li":
            classes += " start"
        return Piece("para", Markup(runs_html(item.runs)), classes)
    return Piece(item.kind, item.html, title=item.title, paras=item.paras)


def _apply_lines(item: FlowItem, m: Measured) -> None:
    item.lines = max(1, len(m.lines))
    mapped = line_starts("".join(r.text for r in item.runs), m.lines)
    if mapped is not None:
        item.starts, item.hyphens = mapped
    else:
        item.starts, item.hyphens = [], []


def _remeasure(items: list[FlowItem], layout: Layout, measurer: Measurer,
               measured: dict[str, Measured]) -> None:
    """Measure changed paragraphs again; ``measured`` keeps the latest of every piece."""
    if not items:
        return
    again = measurer.measure([MeasureItem(item.id, "para", layout.grid.column_width,
                                          _item_piece(item)) for item in items])
    for item in items:
        measured[item.id] = again.get(item.id, Measured(layout.grid.line))
        _apply_lines(item, measured[item.id])


def _limit_hyphen_runs(flows: dict[str, list[FlowItem]], layout: Layout, measurer: Measurer,
                       measured: dict[str, Measured]) -> None:
    """No more than three hyphenated lines in a row: keep the fourth line's word whole.

    WeasyPrint has no ``hyphenate-limit-lines``, so the paragraphs that break the rule are
    measured again with the offending word marked unbreakable, until none is left.
    """
    for _ in range(HYPHEN_RUN_ROUNDS):
        todo: list[FlowItem] = []
        for flow in flows.values():
            for item in flow:
                if item.kind == "para" and item.hyphens and _protect_runs(item):
                    todo.append(item)
        if not todo:
            return
        _remeasure(todo, layout, measurer, measured)


def _protect_runs(item: FlowItem) -> bool:
    """Mark the word broken at the end of every fourth hyphenated line in a row."""
    text = "".join(r.text for r in item.runs)
    run = 0
    changed = False
    for k, hyphenated in enumerate(item.hyphens):
        run = run + 1 if hyphenated else 0
        if run > MAX_HYPHEN_RUN and k + 1 < len(item.starts):
            cut = item.starts[k + 1]
            start = max(text.rfind(" ", 0, cut), text.rfind("\u00a0", 0, cut)) + 1
            ends = [i for i in (text.find(" ", cut), text.find("\u00a0", cut)) if i >= 0]
            end = min(ends) if ends else len(text)
            item.runs = tuple(mark_range(item.runs, start, end, "nh"))
            changed = True
            run = 0
    return changed


def _photo_span(span: int, aspect: float, index: int) -> int:
    """Columns a photo takes by default: all of a narrow article, fewer of a wide one."""
    if aspect < 1:  # portrait: a head-and-shoulders shot takes one column
        return 1
    if index > 0:
        return min(span, 2)
    return {1: 1, 2: 2, 3: 2, 4: 3}.get(span, 3)
