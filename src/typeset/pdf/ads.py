"""PDF ads printed as the advertiser sent them: the ad's first page placed as a form XObject.

The page's HTML holds only a PDF ad's box (and its label); :func:`place_ads` then draws the ad
into the rendered page: the ad's first page becomes a form XObject (its content stream and
resources unchanged, copied with pikepdf), whose bounding box is the ad's TrimBox (else CropBox,
else MediaBox) — so an ad delivered with bleed prints its trim area — drawn at its module's
rectangle, centred, at its own size, clipped to the module. Nothing is rasterised: the composite,
the press files and the archive carry the ad's vectors.

The forms are named :data:`AD_FORM_PREFIX` ``1``, ``2``… in the page's resources: font merging
(:mod:`typeset.pdf.fontmerge`) leaves their fonts alone, and the page preflight leaves them to
the ad preflight (:mod:`typeset.pdf.ad_preflight`), which names the ad file and its advertiser.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Sequence
from pathlib import Path

import pikepdf

from ..source.layouts import Rect

AD_FORM_PREFIX = "/TSAd"
"""Resource names of the advertising modules' forms on a page."""


def is_ad_form(name: object) -> bool:
    """Whether a page's XObject resource ``name`` is an advertising module's form."""
    return str(name).startswith(AD_FORM_PREFIX)


def ad_form(pdf: pikepdf.Pdf, source: pikepdf.Pdf) -> pikepdf.Object:
    """The first page of ``source`` as a form XObject of ``pdf`` (``source`` must stay open
    until ``pdf`` is saved: pikepdf copies stream data when it writes)."""
    form = source.pages[0].as_form_xobject(handle_transformations=True)
    return pdf.copy_foreign(form)


def _extent(form: pikepdf.Object) -> tuple[float, float, float, float]:
    """The form's bounding box in the space it is drawn in (its /Matrix applied)."""
    x0, y0, x1, y1 = (float(v) for v in form.BBox)
    a, b, c, d, e, f = (float(v) for v in form.get("/Matrix", [1, 0, 0, 1, 0, 0]))
    xs, ys = [], []
    for x, y in ((x0, y0), (x0, y1), (x1, y0), (x1, y1)):
        xs.append(a * x + c * y + e)
        ys.append(b * x + d * y + f)
    return min(xs), min(ys), max(xs), max(ys)


def _n(value: float) -> str:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def placement_ops(name: str, form: pikepdf.Object, rect: Rect, trim: Sequence[float]) -> bytes:
    """Draw ``form`` centred on ``rect`` (points from the trimmed page's top-left corner) at
    its own size, clipped to ``rect``; ``trim`` is the page's TrimBox (the bleed offsets it
    in the MediaBox)."""
    x, y = trim[0] + rect.x, trim[3] - rect.bottom
    ex0, ey0, ex1, ey1 = _extent(form)
    tx = x + rect.w / 2 - (ex0 + ex1) / 2
    ty = y + rect.h / 2 - (ey0 + ey1) / 2
    return (f"q {_n(x)} {_n(y)} {_n(rect.w)} {_n(rect.h)} re W n "
            f"1 0 0 1 {_n(tx)} {_n(ty)} cm {name} Do Q\n").encode()


def place_ads(page_pdf: bytes, ads: Sequence[tuple[Path, Rect]]) -> bytes:
    """A rendered, normalised one-page PDF with the PDF ads drawn at their modules."""
    with contextlib.ExitStack() as stack:
        pdf = stack.enter_context(pikepdf.open(io.BytesIO(page_pdf)))
        page = pdf.pages[0]
        page.contents_coalesce()
        trim = [float(v) for v in page.obj.get("/TrimBox", page.obj.MediaBox)]
        if "/Resources" not in page.obj:
            page.obj.Resources = pikepdf.Dictionary()
        if "/XObject" not in page.obj.Resources:
            page.obj.Resources.XObject = pikepdf.Dictionary()
        xobjects = page.obj.Resources.XObject
        drawn = b""
        for k, (path, rect) in enumerate(ads, start=1):
            source = stack.enter_context(pikepdf.open(path))
            name = f"{AD_FORM_PREFIX}{k}"
            form = ad_form(pdf, source)
            xobjects[name] = form
            drawn += placement_ops(name, form, rect, trim)
        # the page's own content may leave its coordinate system changed (WeasyPrint's
        # starts with a flip): the ads are drawn after it is restored
        content = b"q\n" + page.obj.Contents.read_bytes() + b"\nQ\n" + drawn
        page.obj.Contents = pikepdf.Stream(pdf, content)
        out = io.BytesIO()
        pdf.save(out, compress_streams=True, deterministic_id=True)
        return out.getvalue()
