"""Advertising modules on the page: at the foot of the text area, obstacles for the articles.

:func:`place_ads` turns a page's checked bookings (:func:`typeset.source.ads.read_ads`) into
:class:`~typeset.compose.plan.AdBox` es. A module stands on the foot of the page's text area
(above the imprint on the last page), as wide as its columns and as tall as booked; above it, one
grid line holds its label. What it takes from the articles is rounded up to whole grid lines
(:func:`module_lines`), so that the articles above it keep the baseline grid; the composer reads
what is left in each column from :func:`column_floors`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ..core.errors import Finding, error
from ..source.ads import Ad
from ..source.layouts import Grid, Rect
from .plan import AdBox, PagePlan

LABEL_LINES = 1
"""Grid lines above a module for its label («Реклама»)."""
CLEARANCE = 0.3
"""Share of a grid line kept free between the text above a module and its label."""


def module_lines(grid: Grid, height: float) -> int:
    """Grid lines a module of ``height`` points takes from the articles, its label included."""
    return math.ceil((height + (LABEL_LINES + CLEARANCE) * grid.line) / grid.line - 1e-6)


def place_ads(grid: Grid, page: PagePlan, ads: Sequence[Ad], label: str
              ) -> tuple[list[AdBox], list[Finding]]:
    """The page's modules at the foot of its text area; a module taller than the page's room
    for articles and ads is an error at its booking and is not placed."""
    boxes: list[AdBox] = []
    findings: list[Finding] = []
    foot = grid.y(page.top_line + page.lines)
    for ad in ads:
        lines = module_lines(grid, ad.height)
        if lines > page.lines:
            findings.append(error(
                "ad-too-tall", f"page {page.number}: {ad.name} is {ad.booking.height:g} mm "
                f"tall: with its label it takes {lines} grid lines, but the page has "
                f"{page.lines} below its {'masthead' if page.number == 1 else 'running head'}"
                f"; book a lower module or another page", ad.manifest, ad.line,
                page=page.number))
            continue
        rect = Rect(grid.x(ad.column), foot - ad.height, ad.width, ad.height)
        label_rect = Rect(rect.x, rect.y - LABEL_LINES * grid.line, rect.w,
                          LABEL_LINES * grid.line)
        booking = ad.booking
        boxes.append(AdBox(f"ad-{page.number}-{ad.index + 1}", ad.kind.value, booking.file,
                           rect, label_rect, label, ad.column, booking.columns, lines,
                           booking.height, booking.advertiser, booking.order, ad.path,
                           ad.name, ad.manifest, ad.line))
    return boxes, findings


def column_floors(page: PagePlan, columns: int) -> list[tuple[int, AdBox | None]]:
    """For each grid column: the line (from the top of the page's articles) where the articles
    must end, and the module that stands there (None: the foot of the page)."""
    floors: list[tuple[int, AdBox | None]] = [(page.lines, None)] * columns
    for ad in page.ads:
        for c in range(ad.column, ad.column + ad.columns):
            if page.lines - ad.lines < floors[c][0]:
                floors[c] = (page.lines - ad.lines, ad)
    return floors


def ad_share(page: PagePlan, grid: Grid) -> float:
    """The modules' area over the page's text area (all columns, margin to margin)."""
    text_area = grid.width(grid.columns) * grid.lines * grid.line
    return sum(ad.area for ad in page.ads) / text_area if text_area else 0.0
