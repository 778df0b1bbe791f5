"""The HTML of the pages, rendered with the layout's own templates, and the print CSS.

:func:`render_html` turns page plans into the document WeasyPrint renders; :func:`press_css` adds
the bleed and crop marks the printer asks for, so that one render serves every output.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import escape

from ..compose.furniture import Imprint, Masthead, edition_title
from ..compose.plan import PagePlan
from ..core.errors import Finding, error
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


def ad_markup_findings(edition: Edition, layout: Layout, pages: Sequence[PagePlan]
                       ) -> list[Finding]:
    """A layout shows a page's advertising modules by rendering ``page.ads`` (each module's box
    with its ``id``, and its label); a layout whose templates predate ads would print a page
    without them. One error, at the first booking, when the layout does not show them (the
    templates are the layout's: the first page with ads tells for every page)."""
    plan = next((plan for plan in pages if plan.ads), None)
    if plan is None:
        return []
    html = render_html(edition, layout, [plan])
    for ad in plan.ads:
        if f'id="{ad.id}"' not in html or str(escape(ad.label)) not in html:
            return [error("ad-layout", f"page {plan.number}: layout {layout.ref} does not "
                          "show advertising modules (its templates do not render page.ads "
                          "with their labels); use a layout version that does",
                          ad.manifest, ad.line, page=plan.number)]
    return []


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
