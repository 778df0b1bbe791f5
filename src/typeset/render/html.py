"""The HTML of the pages, rendered with the layout's own templates, and the print CSS.

:func:`render_html` turns page plans into the document WeasyPrint renders; :func:`press_css` adds
the bleed and crop marks the printer asks for, so that one render serves every output.
"""

from __future__ import annotations

from ..compose.furniture import Imprint, Masthead, edition_title
from ..compose.plan import PagePlan
from ..source.layouts import Layout
from ..source.manifest import Edition

MARK_ZONE_MM = 5.0
"""Room outside the bleed for the crop marks."""


def render_html(edition: Edition, layout: Layout, pages: list[PagePlan]) -> str:
    """The HTML of the given pages of the edition."""
    paper = edition.paper
    return layout.env.get_template("edition.html.j2").render(
        pages=pages, paper=paper, masthead=Masthead.of(edition), imprint=Imprint.of(edition),
        line=layout.grid.line, lang=paper.language, doc_title=edition_title(edition),
        keywords=", ".join(sorted({t for a in edition.articles.values() for t in a.meta.tags})),
        date_iso=f"{edition.manifest.date.isoformat()}T00:00:00Z")


def press_css(edition: Edition) -> str:
    """Bleed and crop marks as the printer asks: one render serves every output; the composite
    and archive PDFs show the trimmed page (their CropBox is set to the TrimBox)."""
    printer = edition.paper.printer
    if not printer.marks:
        return f"@page {{ bleed: {printer.bleed}mm; marks: none; }}"
    # WeasyPrint draws crop marks over the outer half of the bleed area; render a wider area
    # so that the marks stand clear of the printer's bleed (the pdf stage sets the exact
    # BleedBox)
    area = max(2 * printer.bleed + 2, printer.bleed + MARK_ZONE_MM)
    return f"@page {{ bleed: {area}mm; marks: crop; }}"
