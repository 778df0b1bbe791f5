"""Step 6b: the archive file — PDF/A-2b of the whole edition with its metadata.

The archive copy is the composite (CMYK photos, CropBox = TrimBox) with what PDF/A-2b asks for:
XMP metadata matching the Info dictionary (:mod:`typeset.pdf.xmp`), an OutputIntent /GTS_PDFA1
carrying the printer's CMYK profile (the content is DeviceCMYK), /Lang, a fixed document ID and
an outline: one entry per page («Страница N») with the page's articles under it, and its
advertisers («Реклама: АО «Иртыш Кредит»»). Its text reads whole and in the order of the
articles: the pages were drawn article by article, and words broken at a line end carry
``/ActualText`` (:mod:`typeset.pdf.text`).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import pikepdf

from ..compose.plan import PagePlan
from ..core.errors import EditionError
from ..source.layouts import Layout
from ..source.manifest import Edition
from .intents import add_output_intent
from .profile import load_profile
from .writer import document_id, save, set_boxes
from .xmp import Metadata, plain, xmp_packet


def _outline(pdf: pikepdf.Pdf, edition: Edition, plans: Sequence[PagePlan]) -> None:
    """«Страница N» per page, the page's articles (headline) and advertisers under it."""
    articles = edition.articles
    with pdf.open_outline() as outline:
        outline.root.clear()
        for plan in plans:
            index = plan.number - 1
            if index >= len(pdf.pages):
                continue
            entry = pikepdf.OutlineItem(f"Страница {plan.number}", index, "Fit")
            for placed in plan.articles:
                article = articles.get(placed.slug)
                if article is None:
                    continue
                y = _num_box(pdf.pages[index].obj.TrimBox)[3] - placed.head_rect.y
                entry.children.append(pikepdf.OutlineItem(
                    plain(article.meta.title), index, "XYZ", top=y))
            for ad in plan.ads:
                y = _num_box(pdf.pages[index].obj.TrimBox)[3] - ad.label_rect.y
                who = ad.advertiser or ad.src.rsplit("/", 1)[-1]
                entry.children.append(pikepdf.OutlineItem(
                    plain(f"{ad.label}: {who}"), index, "XYZ", top=y))
            outline.root.append(entry)


def _num_box(box: pikepdf.Object) -> list[float]:
    return [float(v) for v in box]


def make_archive(pages_pdf: bytes, edition: Edition, layout: Layout,
                 plans: Sequence[PagePlan]) -> bytes:
    """The edition as PDF/A-2b with title, date, language and publisher in its XMP (from the
    merged, normalised pages)."""
    profile, findings = load_profile(edition)
    if profile is None:
        raise EditionError(findings)
    meta = Metadata.of(edition)
    with pikepdf.open(io.BytesIO(pages_pdf)) as pdf:
        for page in pdf.pages:
            set_boxes(page, layout, edition.paper.printer.bleed, crop_to_trim=True)
            for annot in page.obj.get("/Annots", pikepdf.Array()):
                annot.F = 4  # PDF/A: annotations print, are not hidden
        add_output_intent(pdf, profile, edition.paper.printer, "pdfa")
        pdf.trailer.Info = pdf.make_indirect(meta.info(Trapped=pikepdf.Name("/False")))
        stream = pikepdf.Stream(pdf, xmp_packet(meta, pdfa=True))
        stream.Type, stream.Subtype = pikepdf.Name.Metadata, pikepdf.Name.XML
        pdf.Root.Metadata = pdf.make_indirect(stream)
        pdf.Root.Lang = pikepdf.String(edition.paper.language)
        _outline(pdf, edition, plans)
        return save(pdf, document_id(edition, "archive"), "1.7")
