"""Step 6a: the press files — one print-ready PDF/X page per file, named as the printer asks.

Each normalised page (:mod:`typeset.pdf.content`) gets the printer's boxes, loses its links, is
preflighted (:mod:`typeset.pdf.preflight`), gets its black overprint (``overprint_black``,
:func:`typeset.pdf.inks.set_black_overprint`) and is written as PDF/X-4 (or PDF/X-1a:2003) with
the printer's profile as its output intent and the edition's metadata, titled «…, полоса 3».
:func:`press_page` does one page (the page workers call it as they render),
:func:`make_press_files` all of them plus ``SHA256SUMS``.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from typing import Protocol

import pikepdf

from ..compose.plan import PagePlan
from ..core.errors import Finding
from ..source.layouts import Layout
from ..source.manifest import Edition
from .inks import set_black_overprint
from .intents import add_output_intent
from .preflight import page_count_findings, preflight_page, resolution_findings
from .profile import load_profile, profile_digest
from .writer import document_id, save, set_boxes
from .xmp import Metadata, xmp_packet

PDFX_VERSION = {"x-4": "PDF/X-4", "x-1a": "PDF/X-1a:2003"}
"""ISO 15930-7 and ISO 15930-4 (X-1a:2001 would need a PDF 1.3 file)."""
PDF_VERSION = {"x-4": "1.6", "x-1a": "1.4"}


def part(number: int) -> str:
    """What a press file is of the edition, after its title: «полоса 3»."""
    return f"полоса {number}"


class PageOutput(Protocol):
    """A rendered page with the press file made when it was rendered (see
    :class:`typeset.app.pages.RenderedPage`)."""

    number: int
    pdf: bytes
    press: bytes | None
    press_findings: list[Finding]
    press_key: str


def press_key(edition: Edition, layout: Layout, number: int, profile_sha: str) -> str:
    """Everything page ``number``'s press file depends on besides the page itself
    (``profile_sha``: the :func:`~typeset.pdf.profile.profile_digest` of the printer's
    profile)."""
    config = layout.config
    seed = "|".join([edition.paper.model_dump_json(), edition.key,
                     repr(Metadata.of(edition, part(number))),
                     f"{config.page_width}x{config.page_height}", profile_sha])
    return hashlib.sha256(seed.encode()).hexdigest()


def press_page(edition: Edition, layout: Layout, pdf: bytes, number: int,
               profile: bytes | None) -> tuple[bytes | None, list[Finding]]:
    """The press file of one normalised page (None without a profile), and its preflight."""
    with pikepdf.open(io.BytesIO(pdf)) as source:
        page = source.pages[0]
        findings = set_boxes(page, layout, edition.paper.printer.bleed, crop_to_trim=False)
        if "/Annots" in page.obj:
            del page.obj["/Annots"]  # links do not print; PDF/X wants none on the page
        findings.extend(preflight_page(page, edition, number))
        if edition.paper.printer.overprint_black:
            set_black_overprint(source, page)
        data = None if profile is None else _pdfx(edition, page, number, profile)
    return data, findings


def press_name(edition: Edition, page: int, pages: int) -> str:
    manifest = edition.manifest
    return edition.paper.printer.name.format(
        code=edition.paper.code, year=edition.year, number=edition.number,
        total=manifest.total or 0, date=manifest.date, page=page, pages=pages)


def make_press_files(edition: Edition, layout: Layout, plans: Sequence[PagePlan],
                     pages: Sequence[PageOutput]) -> tuple[dict[str, bytes], list[Finding]]:
    """One print-ready PDF per page, named by the printer's pattern, plus SHA256SUMS.

    The page workers made each page's press file and preflight as they rendered it
    (:func:`press_page`); they are made here only when the printer's settings changed since.
    """
    profile, findings = load_profile(edition)
    count = len(pages)
    findings.extend(page_count_findings(edition, count))
    files: dict[int, bytes] = {}
    profile_sha = profile_digest(profile)
    for page in pages:
        if page.press_key == press_key(edition, layout, page.number, profile_sha):
            data, found = page.press, page.press_findings
        else:
            data, found = press_page(edition, layout, page.pdf, page.number, profile)
        findings.extend(found)
        if data is not None:
            files[page.number] = data
    findings.extend(resolution_findings(edition, plans))
    if profile is None:
        return {}, findings
    named = {press_name(edition, number, count): data for number, data in files.items()}
    sums = "".join(f"{hashlib.sha256(named[n]).hexdigest()}  {n}\n" for n in sorted(named))
    named["SHA256SUMS"] = sums.encode()
    return named, findings


def _pdfx(edition: Edition, page: pikepdf.Page, number: int, profile: bytes) -> bytes:
    """One page as PDF/X: the page (its own resources only), OutputIntent, Info, XMP."""
    printer = edition.paper.printer
    flavour = printer.pdf
    with pikepdf.new() as pdf:
        pdf.pages.append(page)
        add_output_intent(pdf, profile, printer, "pdfx")
        meta = Metadata.of(edition, part(number))
        pdf.trailer.Info = pdf.make_indirect(meta.info(
            GTS_PDFXVersion=pikepdf.String(PDFX_VERSION[flavour]),
            Trapped=pikepdf.Name("/False")))
        packet = xmp_packet(meta, pdfx=PDFX_VERSION[flavour])
        stream = pikepdf.Stream(pdf, packet)
        stream.Type, stream.Subtype = pikepdf.Name.Metadata, pikepdf.Name.XML
        pdf.Root.Metadata = pdf.make_indirect(stream)
        pdf.Root.Lang = pikepdf.String(edition.paper.language)
        return save(pdf, document_id(edition, f"press-{number}"), PDF_VERSION[flavour],
                    object_streams=flavour != "x-1a")
