"""``report.json`` and the terminal summary: what was built and what was found."""

from __future__ import annotations

import hashlib
import platform
from dataclasses import asdict, dataclass, field
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from .. import __version__
from ..compose.edition import EditionLayout, Hyphenation
from ..compose.spacing import LooseLine, Spacing, loose_lines, spacing
from ..core.errors import Finding, Severity
from ..pdf.fontsubset import SUBSETTER
from ..render.engine import package_version, pango_version
from ..source.layouts import Layout
from ..source.manifest import Edition
from .pages import RenderedPage


@dataclass(frozen=True)
class IssueInfo:
    year: int
    number: int
    total: int | None
    date: str
    pages: int
    title: str


@dataclass(frozen=True)
class PlacementRow:
    """One placement of an article: its page, columns, depth in grid lines, body lines."""

    page: int
    columns: int
    lines: int
    body_lines: int


@dataclass(frozen=True)
class ArticleRow:
    slug: str
    title: str
    pages: list[int]
    fits: bool
    overset_lines: int
    underset_lines: int
    placements: list[PlacementRow] = field(default_factory=list)


@dataclass(frozen=True)
class AdRow:
    """One advertising module as booked: its page, file, advertiser, order and size."""

    page: int
    file: str
    advertiser: str | None
    order: str | None
    columns: int
    height: float
    """Millimetres."""
    column: int
    """The grid column (1 = leftmost) where it starts."""


@dataclass(frozen=True)
class AdShare:
    """How much of a page's text area its ads take."""

    page: int
    ad_share: float
    """The modules' area over the text area (all columns, margin to margin), 0–1."""


@dataclass(frozen=True)
class BuildRecord:
    """What built the outputs: the software's versions and the layout's and fonts' digests."""

    typeset: str
    weasyprint: str
    pango: str
    pyphen: str
    pikepdf: str
    subsetter: str
    """What subset every embedded font (the uharfbuzz wheel and the HarfBuzz it ships)."""
    python: str
    layout: str
    layout_sha256: str
    fonts: dict[str, str]

    @classmethod
    def of(cls, layout: Layout) -> BuildRecord:
        return cls(__version__, package_version("weasyprint"), pango_version(),
                   package_version("pyphen"), package_version("pikepdf"), SUBSETTER,
                   platform.python_version(), layout.ref, layout.digest,
                   {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
                    for p in layout.font_files})


@dataclass
class Report:
    """``report.json``: what was built and what was found."""

    issue: IssueInfo
    articles: list[ArticleRow]
    hyphenation: Hyphenation
    findings: list[Finding]
    outputs: list[str]
    build: BuildRecord
    ads: list[AdRow] = field(default_factory=list)
    ad_shares: list[AdShare] = field(default_factory=list)
    """Every page's share of ads (listed when the edition books any)."""
    spacing: Spacing | None = None
    """The word-space stretch of the body text (a composer layout's; None: WeasyPrint's lines)."""
    loose_lines: list[LooseLine] = field(default_factory=list)
    """The body lines stretched more than 2×, where they stand (a composer layout's)."""

    def as_json(self) -> dict[str, Any]:
        data = {"issue": asdict(self.issue),
                "articles": [asdict(row) for row in self.articles],
                "hyphenation": asdict(self.hyphenation),
                "findings": [f.as_json() for f in self.findings],
                "outputs": self.outputs,
                "build": asdict(self.build)}
        if self.ads:  # an edition without ads keeps the report it always had
            data["ads"] = [asdict(row) for row in self.ads]
            data["ad_share"] = [asdict(row) for row in self.ad_shares]
        if self.spacing is not None:  # so does an edition WeasyPrint broke the lines of
            data["spacing"] = asdict(self.spacing)
            data["loose_lines"] = [{**asdict(loose), "box": list(loose.box)}
                                   for loose in self.loose_lines]
        return data


def article_rows(edition: Edition, composed: EditionLayout) -> list[ArticleRow]:
    pages_of: dict[str, list[PlacementRow]] = {}
    for page in composed.pages:
        for placed in page.articles:
            pages_of.setdefault(placed.slug, []).append(PlacementRow(
                page.number, placed.span, placed.height, sum(c.used for c in placed.columns)))
    return [ArticleRow(slug, edition.articles[slug].meta.title, fit.pages,
                       fit.overset_lines == 0, fit.overset_lines, fit.underset_lines,
                       pages_of.get(slug, []))
            for slug, fit in composed.copyfit.items()]


def ad_rows(composed: EditionLayout) -> tuple[list[AdRow], list[AdShare]]:
    """Every module placed, and every page's ad share (none when no page has ads)."""
    rows = [AdRow(page.number, ad.src, ad.advertiser, ad.order, ad.columns, ad.height_mm,
                  ad.column + 1) for page in composed.pages for ad in page.ads]
    shares = [AdShare(page.number, round(page.ad_share, 4)) for page in composed.pages]
    return rows, shares if rows else []


def make_report(edition: Edition, layout: Layout, composed: EditionLayout,
                findings: list[Finding], outputs: list[str]) -> Report:
    issue = IssueInfo(edition.year, edition.number, edition.manifest.total,
                      edition.manifest.date.isoformat(), len(edition.manifest.pages),
                      edition.paper.title)
    ads, shares = ad_rows(composed)
    return Report(issue, article_rows(edition, composed), composed.hyphenation(),
                  list(findings), outputs, BuildRecord.of(layout), ads, shares,
                  spacing(composed.flows.values()),
                  loose_lines(composed.pages, layout.grid.line))


def fit_states(edition: Edition, composed: EditionLayout) -> dict[str, str]:
    """How each article fits, in words: "fits, 2 lines spare" or "3 lines over"."""
    states = {}
    for row in article_rows(edition, composed):
        over, spare = row.overset_lines, row.underset_lines
        states[row.slug] = (f"{over} line{'s' if over != 1 else ''} over" if over else
                               f"fits, {spare} line{'s' if spare != 1 else ''} spare")
    return states


def fit_changes(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """What an edit changed in the copyfit: one line per article whose fit changed."""
    lines = []
    for slug in sorted(before.keys() | after.keys()):
        old, new = before.get(slug), after.get(slug)
        if old == new:
            continue
        if old is None:
            lines.append(f"{slug}: new, {new}")
        elif new is None:
            lines.append(f"{slug}: no longer in the edition")
        else:
            lines.append(f"{slug}: {old} → {new}")
    return lines


def pages_line(pages: list[RenderedPage]) -> str:
    """How many pages this build rendered and how many came from the cache; and, when pages
    rendered as pieces kept some of them, how many pieces were rendered."""
    if not pages:
        return "Pages: none rendered"
    cached = sum(page.cached for page in pages)
    rendered = len(pages) - cached
    line = f"Pages: {rendered} rendered, {cached} from the cache"
    made = [page for page in pages if not page.cached and page.parts]
    pieces = sum(page.parts for page in made)
    fresh = sum(len(page.fresh_parts) for page in made)
    if fresh < pieces:
        line += (f"; of {'its' if len(made) == 1 else 'their'} {pieces} pieces {fresh} "
                 f"rendered, {pieces - fresh} from the cache")
    return line


def print_summary(edition: Edition, composed: EditionLayout, findings: list[Finding],
                  console: Console) -> None:
    """One screen: a table of placements, the ad share of the pages, the spacing of the body
    text, and the findings."""
    print_copyfit(edition, composed, console)
    print_ad_shares(composed, console)
    print_spacing(composed, console)
    print_findings(findings, console)


def spacing_line(figures: Spacing) -> str:
    """«Spacing: word spaces 1.03× (median), 2.66× (p99), 6.5 % of lines over 2×; …»."""
    return (f"Spacing: word spaces {figures.median:.2f}× (median), {figures.p99:.2f}× (p99), "
            f"{figures.over_2_percent:.1f} % of justified lines over 2×; "
            f"{figures.hyphenated_percent:.1f} % of lines hyphenated, at most "
            f"{figures.longest_run} in a row")


def print_spacing(composed: EditionLayout, console: Console) -> None:
    """The spacing figures of a composer layout's body text, on one line."""
    figures = spacing(composed.flows.values())
    if figures is not None:
        console.print(spacing_line(figures), highlight=False)


def print_ad_shares(composed: EditionLayout, console: Console) -> None:
    """«Ads: p. 1 24 % (2), p. 2 13 % (1)…»: each page's modules' share of its text area."""
    rows, shares = ad_rows(composed)
    if not rows:
        return
    counts = {share.page: sum(row.page == share.page for row in rows) for share in shares}
    parts = [f"p. {s.page} {100 * s.ad_share:.0f} % ({counts[s.page]})" for s in shares]
    console.print(f"Ads, share of the text area (modules): {', '.join(parts)}", highlight=False)


def print_copyfit(edition: Edition, composed: EditionLayout, console: Console) -> None:
    """The table of placements: on which page, how many columns and lines, what fits."""
    # user text goes in as Text: never read as markup or an emoji code
    table = Table(title=Text(f"{edition.paper.title} — {edition.key}"), show_lines=False)
    # depth: the grid lines the placement takes, head and photos included; text: its body lines
    for name in ("page", "article", "columns", "depth", "text", "fits"):
        table.add_column(name, justify="right" if name not in ("article", "fits") else "left")
    by_slug = {row.slug: row for row in article_rows(edition, composed)}
    for page in composed.pages:
        for placed in page.articles:
            row = by_slug[placed.slug]
            last = placed.page == row.pages[-1]
            if not last:
                fits = f"→ p. {row.pages[row.pages.index(placed.page) + 1]}"
            elif row.overset_lines:
                fits = f"[red]no: {row.overset_lines} lines over[/red]"
            else:
                fits = f"[green]yes[/green] ({row.underset_lines} spare)"
            table.add_row(str(page.number), Text(placed.slug), str(placed.span),
                          str(placed.height), str(sum(c.used for c in placed.columns)), fits)
    console.print(table)
    console.print("[dim]depth: grid lines the article takes on the page; text: its body lines; "
                  "spare or over: body lines[/dim]", highlight=False)


def print_findings(findings: list[Finding], console: Console) -> None:
    colours = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}
    for finding in findings:
        colour = colours[finding.severity]
        console.print(f"[{colour}]{escape(str(finding))}[/{colour}]", highlight=False,
                      soft_wrap=True, emoji=False)
