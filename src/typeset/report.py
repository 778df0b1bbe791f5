"""``report.json`` and the terminal summary: what was built and what was found."""

from __future__ import annotations

import importlib.metadata
import platform
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from . import __version__
from .errors import Finding, Severity

if TYPE_CHECKING:
    from .build import BuildResult


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def pango_version() -> str:
    try:
        from weasyprint.text.ffi import pango
        number = int(pango.pango_version())  # 15012 → 1.50.12
        return f"{number // 10000}.{number // 100 % 100}.{number % 100}"
    except Exception:  # pragma: no cover - depends on the system library
        return "unknown"


def build_record(result: BuildResult) -> dict[str, Any]:
    import hashlib
    layout = result.layout
    return {
        "typeset": __version__,
        "weasyprint": _version("weasyprint"),
        "pango": pango_version(),
        "pyphen": _version("pyphen"),
        "pikepdf": _version("pikepdf"),
        "python": platform.python_version(),
        "layout": layout.ref,
        "layout_sha256": layout.digest,
        "fonts": {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in layout.font_files},
    }


def article_rows(result: BuildResult) -> list[dict[str, Any]]:
    rows = []
    pages_of: dict[str, list[dict[str, Any]]] = {}
    for page in result.composed.pages:
        for placed in page.articles:
            pages_of.setdefault(placed.slug, []).append({
                "page": page.number, "columns": placed.span, "lines": placed.height,
                "body_lines": sum(c.used for c in placed.columns)})
    for slug, data in result.composed.report.items():
        overset = int(data["overset_lines"])
        rows.append({
            "slug": slug,
            "title": result.edition.articles[slug].meta.title,
            "pages": data["pages"],
            "fits": overset == 0,
            "overset_lines": overset,
            "underset_lines": int(data["underset_lines"]),
            "placements": pages_of.get(slug, []),
        })
    return rows


def make_report(result: BuildResult, outputs: list[str]) -> dict[str, Any]:
    edition = result.edition
    return {
        "issue": {
            "year": edition.year,
            "number": edition.number,
            "total": edition.manifest.total,
            "date": edition.manifest.date.isoformat(),
            "pages": len(edition.manifest.pages),
            "title": edition.paper.title,
        },
        "articles": article_rows(result),
        "hyphenation": result.composed.hyphenation(),
        "findings": [f.as_json() for f in result.findings],
        "outputs": outputs,
        "build": build_record(result),
    }


def fit_states(result: BuildResult) -> dict[str, str]:
    """How each article fits, in words: "fits, 2 lines spare" or "3 lines over"."""
    states = {}
    for row in article_rows(result):
        over, spare = row["overset_lines"], row["underset_lines"]
        states[row["slug"]] = (f"{over} line{'s' if over != 1 else ''} over" if over else
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


def pages_line(result: BuildResult) -> str:
    """How many pages this build rendered and how many came from the cache."""
    cached = sum(page.cached for page in result.pages)
    rendered = len(result.pages) - cached
    return (f"Pages: {rendered} rendered, {cached} from the cache"
            if result.pages else "Pages: none rendered")


def print_summary(result: BuildResult, console: Console) -> None:
    """One screen: a table of placements and the findings."""
    print_copyfit(result, console)
    print_findings(result.findings, console)


def print_copyfit(result: BuildResult, console: Console) -> None:
    """The table of placements: on which page, how many columns and lines, what fits."""
    table = Table(title=escape(f"{result.edition.paper.title} — {result.edition.key}"),
                  show_lines=False)
    # depth: the grid lines the placement takes, head and photos included; text: its body lines
    for name in ("page", "article", "columns", "depth", "text", "fits"):
        table.add_column(name, justify="right" if name not in ("article", "fits") else "left")
    rows = article_rows(result)
    by_slug = {r["slug"]: r for r in rows}
    for page in result.composed.pages:
        for placed in page.articles:
            row = by_slug[placed.slug]
            last = placed.page == row["pages"][-1]
            if not last:
                fits = f"→ p. {row['pages'][row['pages'].index(placed.page) + 1]}"
            elif row["overset_lines"]:
                fits = f"[red]no: {row['overset_lines']} lines over[/red]"
            else:
                fits = f"[green]yes[/green] ({row['underset_lines']} spare)"
            table.add_row(str(page.number), escape(placed.slug), str(placed.span),
                          str(placed.height), str(sum(c.used for c in placed.columns)), fits)
    console.print(table)
    console.print("[dim]depth: grid lines the article takes on the page; text: its body lines; "
                  "spare or over: body lines[/dim]", highlight=False)


def print_findings(findings: list[Finding], console: Console) -> None:
    colours = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}
    for finding in findings:
        colour = colours[finding.severity]
        console.print(f"[{colour}]{escape(str(finding))}[/{colour}]", highlight=False,
                      soft_wrap=True)
