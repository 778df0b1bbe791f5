"""Step 4: lay out pages — measure every piece, then compose the pages of the edition.

:func:`lay_out_edition` is the stage's entry point: it turns the edition's articles into flows of
measured pieces (:mod:`typeset.measure`), composes each page in the grid (:mod:`typeset.compose`)
and returns the page plans with the copyfit report. One layout pass serves every output.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from .articles import Article, FactBox, Para, Quote, Subhead, mark_range, runs_html
from .compose import Composer, Furniture, PagePlan, PhotoSpec, PlacementSpec
from .errors import Finding, error
from .flow import FlowItem
from .layouts import Layout, Rect
from .manifest import Edition
from .measure import (
    MeasureCache,
    Measured,
    MeasureItem,
    grid_lines,
    line_starts,
    read_measurements,
)
from .parallel import chunks, fork_map, workers
from .render import Renderer

MONTHS = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
          "сентября", "октября", "ноября", "декабря")
WEEKDAYS = ("понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье")


def russian_date(date: dt.date) -> str:
    """«25 апреля 2024 г.»"""
    return f"{date.day}\u00a0{MONTHS[date.month - 1]} {date.year}\u00a0г."


def number_label(edition: Edition) -> str:
    """«№ 16 (1234)»"""
    total = f" ({edition.manifest.total})" if edition.manifest.total else ""
    return f"№\u202f{edition.number}{total}"


def masthead_data(edition: Edition) -> dict[str, str]:
    date = edition.manifest.date
    return {
        "number": number_label(edition),
        "date": russian_date(date),
        "weekday_date": f"{russian_date(date)}, {WEEKDAYS[date.weekday()]}",
        "founded": f"Выходит с {edition.paper.founded} года",
    }


def imprint_data(edition: Edition) -> dict[str, Any]:
    m = edition.manifest
    signed = (f"{m.signed.day:02d}.{m.signed.month:02d}.{m.signed.year} "
              f"в\u00a0{m.signed.hour:02d}:{m.signed.minute:02d}" if m.signed else None)
    circulation = f"{m.circulation:,}".replace(",", "\u202f") if m.circulation else None
    return {"number_line": f"{number_label(edition)} от {russian_date(m.date)}",
            "signed": signed, "circulation": circulation, "order": m.order}


@dataclass
class EditionLayout:
    """The composed edition: page plans and what the copyfit found."""

    pages: list[PagePlan]
    report: dict[str, dict[str, Any]]
    findings: list[Finding] = field(default_factory=list)
    flows: dict[str, list[FlowItem]] = field(default_factory=dict)
    """Every article's measured body, line by line."""

    def hyphenation(self) -> dict[str, Any]:
        """How much of the body text ends lines in a hyphen, and the longest run of them."""
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
        return {"body_lines": lines, "hyphenated_lines": hyphenated, "percent": share,
                "longest_run": longest}


def _head(article: Article, variant: str, jump: str = "") -> dict[str, Any]:
    meta = article.meta
    return {"variant": variant, "rubric": meta.rubric, "title": meta.title,
            "subtitle": meta.subtitle, "lead": meta.lead, "jump": jump}


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


def _item_data(item: FlowItem) -> dict[str, Any]:
    if item.kind == "para":
        classes = item.para_kind + (" first" if item.first else "")
        if item.para_kind == "li":
            classes += " start"
        return {"kind": "para", "classes": classes, "html": Markup(runs_html(item.runs)),
                "hyphen": False}
    return {"kind": item.kind, "lines": 0, "html": item.html, "title": item.title,
            "paras": item.paras}


EXTRA_SPACE = {"subhead": 0.7, "quote": 0.8, "fact": 0.8, "byline": 0.2}
"""Space, in grid lines, added around a box in the column flow."""


def lay_out_edition(edition: Edition, layout: Layout, renderer: Renderer) -> EditionLayout:
    grid = layout.grid
    cfg = layout.config
    manifest = edition.manifest
    flows = {slug: _flow_items(a) for slug, a in edition.articles.items()}

    # which placements, with which span and head, on which page
    findings: list[Finding] = []
    placements: list[list[PlacementSpec]] = []
    by_slug: dict[str, list[PlacementSpec]] = {}
    items: list[MeasureItem] = []
    for number, page in enumerate(manifest.pages, start=1):
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
                    f"{layout.ref} has {grid.columns}", edition.folder / "issue.toml", line,
                    page=number, article=p.slug))
                span = grid.columns
            previous = by_slug.get(p.slug, [])
            index = len(previous)
            variant = "full" if index == 0 else "cont"
            jump = (f"Начало на с. {previous[0].page}" if previous else "")
            head = _head(article, variant, jump)
            head_id = f"{p.slug}--head-{index}"
            items.append(MeasureItem(head_id, "head", grid.width(span), head,
                                     f"span-{span}"))
            spec = PlacementSpec(p.slug, number, span, index, True, head, 0, [],
                                 manifest=edition.folder / "issue.toml")
            spec.line = line
            if previous:
                previous[-1].last = False
                previous[-1].next_page = number
                previous[-1].following = spec
            specs.append(spec)
            by_slug.setdefault(p.slug, []).append(spec)
        placements.append(specs)
    for slug, specs in by_slug.items():
        article = edition.articles[slug]
        photos = list(article.meta.photos)
        groups = [photos] if len(specs) == 1 else [photos[:1], photos[1:]]
        for spec, group in zip(specs, groups, strict=False):
            for j, photo in enumerate(group):
                info = edition.images[photo.src]
                span = min(photo.span or _photo_span(spec.span, info.aspect, j), spec.span)
                cap_id = f"{slug}--cap-{spec.index}-{j}"
                data = {"caption": photo.caption, "credit": photo.credit}
                items.append(MeasureItem(cap_id, "caption", grid.width(span), data, ""))
                spec.photos.append(PhotoSpec(photo.src, info.aspect, span, 0, photo.caption,
                                             photo.credit, info.width, info.height))
    for flow in flows.values():
        for item in flow:
            items.append(MeasureItem(item.id, item.kind, grid.column_width, _item_data(item)))
    items.append(MeasureItem("imprint", "imprint", grid.width(grid.columns), None, ""))

    measured = _measure(layout, renderer, edition, items)

    # apply the measurements
    for flow in flows.values():
        for item in flow:
            m = measured.get(item.id, Measured(grid.line))
            if item.kind == "para":
                _apply_lines(item, m)
            else:
                item.lines = grid_lines(m.height, grid.line, EXTRA_SPACE[item.kind] * grid.line)
    _limit_hyphen_runs(flows, layout, renderer, edition)
    for specs in by_slug.values():
        for spec in specs:
            m = measured.get(f"{spec.slug}--head-{spec.index}", Measured(grid.line))
            spec.head_lines = grid_lines(m.height, grid.line, 0.6 * grid.line)
            for j, placed_photo in enumerate(spec.photos):
                cap = measured.get(f"{spec.slug}--cap-{spec.index}-{j}", Measured(0))
                placed_photo.caption_lines = grid_lines(cap.height, grid.line, 0.5 * grid.line)
    imprint_lines = grid_lines(measured.get("imprint", Measured(0)).height, grid.line)

    composer = Composer(grid, flows, cfg.photo_max_lines)
    pages: list[PagePlan] = []
    count = len(manifest.pages)
    for number, specs in enumerate(placements, start=1):
        head_lines = cfg.masthead_lines if number == 1 else cfg.running_head_lines
        lines = grid.lines - head_lines
        imprint = None
        if number == count:
            lines -= imprint_lines + 1
            imprint = Rect(grid.left, grid.y(grid.lines - imprint_lines), grid.width(
                grid.columns), imprint_lines * grid.line)
        furniture = Rect(grid.left, grid.top, grid.width(grid.columns),
                         (head_lines - 0.6) * grid.line)
        plan = PagePlan(number, head_lines, lines, Furniture(furniture.style), imprint=imprint)
        composer.compose_page(plan, specs)
        pages.append(plan)
    return EditionLayout(pages, composer.report, findings + composer.findings, flows)


MAX_HYPHEN_RUN = 3
"""Most consecutive lines of a paragraph that may end in a hyphen."""


def _apply_lines(item: FlowItem, m: Measured) -> None:
    item.lines = max(1, len(m.lines))
    mapped = line_starts("".join(r.text for r in item.runs), m.lines)
    if mapped is not None:
        item.starts, item.hyphens = mapped
    else:
        item.starts, item.hyphens = [], []


def _limit_hyphen_runs(flows: dict[str, list[FlowItem]], layout: Layout, renderer: Renderer,
                       edition: Edition, rounds: int = 4) -> None:
    """No more than three hyphenated lines in a row: keep the fourth line's word whole.

    WeasyPrint has no ``hyphenate-limit-lines``, so the paragraphs that break the rule are
    measured again with the offending word marked unbreakable, until none is left.
    """
    for _ in range(rounds):
        todo: list[FlowItem] = []
        for flow in flows.values():
            for item in flow:
                if item.kind == "para" and item.hyphens and _protect_runs(item):
                    todo.append(item)
        if not todo:
            return
        again = [MeasureItem(item.id, "para", layout.grid.column_width, _item_data(item))
                 for item in todo]
        measured = _measure(layout, renderer, edition, again)
        for item in todo:
            _apply_lines(item, measured.get(item.id, Measured(layout.grid.line)))


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


PARALLEL_MEASURE = 40
"""Pieces worth forking measuring workers for (fewer are measured at once in this process)."""


def _measure(layout: Layout, renderer: Renderer, edition: Edition,
             items: list[MeasureItem]) -> dict[str, Measured]:
    """Measure the pieces, taking those measured before (same text, width, layout and
    software versions) from the cache: after an edit only the changed article is laid out.

    Many pieces are dealt among forked workers, one measuring document each."""
    cache = MeasureCache.for_edition(edition, layout)
    keys = {item.id: cache.key(item, imprint_data(edition)) for item in items}
    found = {item.id: m for item in items if (m := cache.get(keys[item.id])) is not None}
    missing = [item for item in items if item.id not in found]
    if missing:
        template = layout.env.get_template("measure.html.j2")
        parts = chunks(missing, workers() if len(missing) >= PARALLEL_MEASURE else 1)
        jobs = [(template.render(items=part, line=layout.grid.line,
                                 lang=edition.paper.language, page_width=layout.grid.page_width,
                                 paper=edition.paper, imprint=imprint_data(edition)),
                 {item.id for item in part}) for part in parts]
        renderer.stylesheet()  # parsed once, before any fork
        for fresh, findings in fork_map(_measure_part, renderer, jobs):
            renderer.findings.extend(findings)
            for ident, m in fresh.items():
                cache.put(keys[ident], m)
            found.update(fresh)
        cache.save()
    return found


def _measure_part(renderer: Renderer, job: tuple[str, set[str]]
                  ) -> tuple[dict[str, Measured], list[Finding]]:
    html, ids = job
    before = len(renderer.findings)
    document = renderer.render(html, "measuring pass")
    findings = renderer.findings[before:]
    del renderer.findings[before:]
    return read_measurements(document, ids), findings
