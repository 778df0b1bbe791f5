"""Checking the rendered pages against the plan: nothing overflows, lines sit on the grid.

The composer decides, line by line, what goes in each column; WeasyPrint then lays the pieces out
again. This check reads the final layout back and makes sure the two agree: every column's content
ends inside its box, its text lines sit on the baseline grid, and the number of lines is the one
planned. A disagreement would mean lost or overlapping text, so it is an error, never a warning.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .compose import PagePlan
from .errors import Finding, error
from .measure import PX_TO_PT, _walk


@dataclass
class ColumnCheck:
    page: int
    article: str
    planned_lines: int
    rendered_lines: int
    overflow: float
    """Points by which the content passes the foot of its column box (≤ 0 is fine)."""
    off_grid: int
    """Text lines of body paragraphs whose baseline is off the grid."""


def check_columns(document: Any, pages: list[PagePlan], line: float) -> list[ColumnCheck]:
    checks: list[ColumnCheck] = []
    for plan, page in zip(pages, document.pages, strict=False):
        columns = [b for b in _walk(page._page_box) if type(b).__name__ == "BlockBox"
                   and "body" in (b.element.get("class", "") if b.element is not None else "")
                   .split() and getattr(b, "element_tag", "") == "div"]
        planned = [(a.slug, c.used) for a in plan.articles for c in a.columns]
        for (slug, used), box in zip(planned, columns, strict=False):
            top = box.content_box_y()
            bottom = top + box.height
            content_bottom = max((c.position_y + c.margin_height() for c in box.children),
                                 default=top)
            rendered = 0
            off_grid = 0
            for child in box.children:
                tag = getattr(child, "element_tag", "")
                if tag == "p":
                    lines = [b for b in child.children if type(b).__name__ == "LineBox"]
                    rendered += len(lines)
                    for line_box in lines:
                        offset = (line_box.position_y - top) * PX_TO_PT / line
                        if abs(offset - round(offset)) > 0.02:
                            off_grid += 1
                else:
                    rendered += round(child.margin_height() * PX_TO_PT / line)
            checks.append(ColumnCheck(plan.number, slug, used, rendered,
                                      (content_bottom - bottom) * PX_TO_PT, off_grid))
    return checks


def geometry_findings(checks: list[ColumnCheck]) -> list[Finding]:
    findings = []
    for c in checks:
        if c.overflow > 0.5 or c.rendered_lines != c.planned_lines or c.off_grid:
            findings.append(error(
                "geometry", f"page {c.page}: a column of '{c.article}' was planned with "
                f"{c.planned_lines} lines but renders {c.rendered_lines} (overflow "
                f"{c.overflow:.1f} pt, {c.off_grid} lines off the grid); this is a typeset bug, "
                "please report it with the edition", page=c.page, article=c.article))
    return findings
