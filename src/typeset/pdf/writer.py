"""Page boxes and deterministic saving, shared by every PDF output.

Every output is deterministic: no clock, fixed document IDs derived from the edition
(:func:`document_id`), content-derived ``/ID[1]``, the dates of the edition. The page boxes say
what the printer cuts: TrimBox is the layout's page, BleedBox the printer's bleed around it
(:func:`set_boxes`).
"""

from __future__ import annotations

import hashlib
import io
from decimal import Decimal

import pikepdf

from ..core.errors import Finding, error
from ..core.units import PT_PER_MM
from ..source.layouts import Layout
from ..source.manifest import Edition


def set_boxes(page: pikepdf.Page, layout: Layout, bleed_mm: float, crop_to_trim: bool
              ) -> list[Finding]:
    """TrimBox = the layout's page size, BleedBox = trim + the printer's bleed exactly."""
    config = layout.config
    width, height = config.page_width * PT_PER_MM, config.page_height * PT_PER_MM
    bleed = bleed_mm * PT_PER_MM
    trim = [float(v) for v in page.obj.get("/TrimBox", page.obj.MediaBox)]
    findings = []
    if abs(trim[2] - trim[0] - width) > 0.5 or abs(trim[3] - trim[1] - height) > 0.5:
        findings.append(error("trim-size", f"the rendered page is {trim[2] - trim[0]:.1f} × "
                              f"{trim[3] - trim[1]:.1f} pt, the layout says {width:.1f} × "
                              f"{height:.1f} pt", layout.folder / "layout.toml"))
    x, y = trim[0], trim[1]
    trim_box = [x, y, x + width, y + height]
    bleed_box = [x - bleed, y - bleed, x + width + bleed, y + height + bleed]
    media = [float(v) for v in page.obj.MediaBox]
    media = [min(media[0], bleed_box[0]), min(media[1], bleed_box[1]),
             max(media[2], bleed_box[2]), max(media[3], bleed_box[3])]

    def box(values: list[float]) -> pikepdf.Array:
        return pikepdf.Array([Decimal(f"{v:.4f}") for v in values])

    page.obj.MediaBox = box(media)
    page.obj.TrimBox = box(trim_box)
    page.obj.BleedBox = box(bleed_box)
    if crop_to_trim:
        page.obj.CropBox = box(trim_box)
    elif "/CropBox" in page.obj:
        del page.obj["/CropBox"]
    return findings


def document_id(edition: Edition, kind: str) -> bytes:
    """A stable 16-byte document ID from the paper, the edition and the kind of output."""
    seed = f"{edition.paper.title}|{edition.paper.code}|{edition.key}|{kind}"
    return hashlib.md5(seed.encode(), usedforsecurity=False).digest()


def save(pdf: pikepdf.Pdf, doc_id: bytes, version: str | None = None, *,
         object_streams: bool = True) -> bytes:
    """Deterministic bytes: /ID[0] ours, /ID[1] a hash of the content; qpdf writes no dates."""
    pdf.trailer.ID = pikepdf.Array([pikepdf.String(doc_id), pikepdf.String(doc_id)])
    out = io.BytesIO()
    mode = (pikepdf.ObjectStreamMode.generate if object_streams
            else pikepdf.ObjectStreamMode.disable)
    pdf.save(out, deterministic_id=True, compress_streams=True, object_stream_mode=mode,
             stream_decode_level=pikepdf.StreamDecodeLevel.none,  # compressed once, kept
             force_version=version or "", fix_metadata_version=False)
    return out.getvalue()


def make_composite(pages_pdf: bytes, edition: Edition, layout: Layout) -> bytes:
    """The whole-edition PDF for layout staff (from the merged, normalised pages): the
    trimmed page shown, deterministic."""
    with pikepdf.open(io.BytesIO(pages_pdf)) as pdf:
        for page in pdf.pages:
            set_boxes(page, layout, edition.paper.printer.bleed, crop_to_trim=True)
        return save(pdf, document_id(edition, "composite"))
