"""The ad preflight: what a printing house would refuse in an advertiser's file, found first.

An ad prints as its advertiser sent it (:mod:`typeset.pdf.ads`), so it is checked as it was sent,
each problem named by the ad's file and advertiser at its booking's line in issue.toml:

* RGB anywhere in a PDF ad — colour operators and spaces of its content, forms, tiling patterns
  and annotations' appearances, its images (inline ones too), shadings and shading patterns,
  ICC profiles of three components, an RGB output intent: error;
* fonts not embedded: error;
* total ink above the printer's ``ink_limit`` in its CMYK images (and in a CMYK image ad), or
  in a vector colour: error;
* hairlines under :data:`HAIRLINE_PT`: warning (they break up on newsprint);
* text under :data:`SMALL_TEXT_PT` in more than one ink: warning (misregistration smears it);
* transparency when the printer wants PDF/X-1a: error.

The resources are read by :class:`typeset.pdf.preflight.PagePreflight` (fonts, colour spaces,
shadings, patterns, transparency), the content here, with the graphics state a line width and a
text size need.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import pikepdf
from PIL import Image

from ..compose.plan import AdBox, PagePlan
from ..core.errors import Finding, error, warning
from ..source.manifest import Edition
from .preflight import (
    TAC_TOLERANCE,
    TEXT_SHOW,
    PagePreflight,
    image_coverage,
    ink_coverage,
    is_rgb,
)

HAIRLINE_PT = 0.1
"""Thinnest line a newsprint press holds, in points."""
SMALL_TEXT_PT = 7.0
"""Text below this size should be in one ink."""
STROKES = {"S", "s", "B", "B*", "b", "b*"}
IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
INITIAL = {"cmyk": (0.0, 0.0, 0.0, 1.0), "grey": (0.0,), "one": (1.0,), "n": (1.0,)}
"""The colour a colour space starts with when it is set."""
Matrix = tuple[float, float, float, float, float, float]


def _times(m: Matrix, n: Matrix) -> Matrix:
    """``m`` then ``n`` (PDF's row-vector convention: m × n)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s,
            e * p + f * r + t, e * q + f * s + u)


def _scale(m: Matrix) -> float:
    return math.sqrt(abs(m[0] * m[3] - m[1] * m[2]))


def _matrix(values: Sequence[object]) -> Matrix:
    a, b, c, d, e, f = (float(v) for v in values[:6])  # type: ignore[arg-type]
    return (a, b, c, d, e, f)


def _components(space: pikepdf.Object) -> str:
    """``cmyk``, ``grey``, ``one`` (a single ink: Separation), ``n`` (DeviceN) or ``other``."""
    if isinstance(space, pikepdf.Name):
        return {"/DeviceCMYK": "cmyk", "/DeviceGray": "grey", "/CalGray": "grey"}.get(
            str(space), "other")
    if isinstance(space, pikepdf.Array) and len(space):
        family = str(space[0])
        if family == "/ICCBased":
            return {4: "cmyk", 1: "grey"}.get(int(space[1].get("/N", 0)), "other")
        if family == "/Separation":
            return "one"
        if family == "/DeviceN":
            return "n"
    return "other"


def _inks(kind: str, values: Sequence[float]) -> int:
    """How many inks a colour prints with."""
    if kind == "grey":
        return 1 if values and values[0] < 0.999 else 0
    if kind == "one":
        return 1 if values and values[0] > 0.001 else 0
    if kind in ("cmyk", "n"):
        return sum(1 for v in values if v > 0.001)
    if kind == "pattern":
        return 0  # a pattern's own content is walked apart
    return 2  # Lab, an unknown space: not a single ink


class AdPreflight(PagePreflight):
    """Walks one PDF ad's first page (content, forms, patterns, annotations) once."""

    def __init__(self, edition: Edition) -> None:
        super().__init__(edition, 0)
        self.hairlines: list[float] = []
        self.multi_ink_text: list[float] = []
        self.max_image_tac = 0.0

    def check(self, pdf: pikepdf.Pdf) -> None:
        """Walk the ad's first page (content, forms, patterns, images, annotations) and its
        output intents."""
        for intent in pdf.Root.get("/OutputIntents", pikepdf.Array()):
            profile = intent.get("/DestOutputProfile")
            if profile is not None and int(profile.get("/N", 0)) == 3:
                self.rgb.add("an RGB output intent")
        page = pdf.pages[0]
        self.walk_ad(page.obj, IDENTITY)
        if "/Group" in page.obj:
            self.transparency.append("a page transparency group")
        for annotation in page.obj.get("/Annots", pikepdf.Array()):
            appearances = annotation.get("/AP", pikepdf.Dictionary())
            for key in ("/N", "/R", "/D"):
                state = appearances.get(key)
                streams = ([state] if isinstance(state, pikepdf.Stream) else
                           list(state.values()) if isinstance(state, pikepdf.Dictionary) else [])
                for stream in streams:
                    if isinstance(stream, pikepdf.Stream) and stream.objgen not in self.seen:
                        self.seen.add(stream.objgen)
                        before = set(self.rgb)
                        self.walk_ad(stream, IDENTITY)
                        self.rgb = before | {f"{what} in an annotation's appearance"
                                             for what in self.rgb - before}
        for xobject in self.images.values():
            space = xobject.get("/ColorSpace", pikepdf.Name.DeviceGray)
            if is_rgb(space):
                self.rgb.add(f"an image of {xobject.get('/Width')}×{xobject.get('/Height')} px")
            elif _components(space) == "cmyk":
                self.max_image_tac = max(self.max_image_tac, image_coverage(xobject).percentile)

    def walk_ad(self, holder: pikepdf.Object, ctm: Matrix) -> None:
        """One content stream (a page, a form, a tiling pattern, an appearance) and what it
        draws."""
        resources = holder.get("/Resources", pikepdf.Dictionary())
        self._resources(resources)
        self._patterns(resources, ctm)
        spaces = resources.get("/ColorSpace", pikepdf.Dictionary())
        xobjects = resources.get("/XObject", pikepdf.Dictionary())
        width = 1.0
        fill: tuple[str, tuple[float, ...]] = ("grey", (0.0,))
        fill_kind = "grey"
        font_size = 0.0
        text: Matrix = IDENTITY
        stack: list[tuple[Matrix, float, tuple[str, tuple[float, ...]], str]] = []
        for instruction in pikepdf.parse_content_stream(holder):
            if isinstance(instruction, pikepdf.ContentStreamInlineImage):
                if is_rgb(_inline_space(instruction.iimage)):
                    self.rgb.add("an inline image")
                continue
            op, args = str(instruction.operator), list(instruction.operands)
            if op == "q":
                stack.append((ctm, width, fill, fill_kind))
            elif op == "Q" and stack:
                ctm, width, fill, fill_kind = stack.pop()
            elif op == "cm":
                ctm = _times(_matrix(args), ctm)
            elif op == "w":
                width = float(args[0])
            elif op in STROKES and width * _scale(ctm) < HAIRLINE_PT:
                self.hairlines.append(width * _scale(ctm))
            elif op in ("rg", "RG"):
                self.rgb.add(f"the '{op}' colour operator")
            elif op in ("cs", "CS"):
                space = spaces.get(str(args[0]), args[0])
                if is_rgb(space):
                    self.rgb.add(f"colour space {args[0]}")
                if op == "cs":  # the space's initial colour: black, or the full tint
                    fill_kind = _components(space)
                    fill = (fill_kind, INITIAL.get(fill_kind, ()))
            elif op in ("g", "k", "sc", "scn", "K", "SC", "SCN"):
                values = tuple(float(v) for v in args if not isinstance(v, pikepdf.Name))
                if len(values) == 4 and op != "g":
                    self.max_vector_tac = max(self.max_vector_tac, 100 * sum(values))
                if op in ("g", "k", "sc", "scn"):
                    kind = {"g": "grey", "k": "cmyk"}.get(op, fill_kind)
                    fill = (kind if values else "pattern", values)
            elif op == "BT":
                text = IDENTITY
            elif op == "Tf":
                font_size = float(args[1])
            elif op == "Tm":
                text = _matrix(args)
            elif op in TEXT_SHOW:
                size = font_size * _scale(text) * _scale(ctm)
                if size < SMALL_TEXT_PT and _inks(*fill) > 1:
                    self.multi_ink_text.append(size)
            elif op == "Do":
                self._draw(xobjects.get(str(args[0])), ctm)

    def _draw(self, xobject: pikepdf.Object | None, ctm: Matrix) -> None:
        if xobject is None or xobject.objgen in self.seen:
            return
        self.seen.add(xobject.objgen)
        if xobject.get("/Subtype") == "/Form":
            matrix = _matrix(list(xobject.get("/Matrix", IDENTITY)))
            self.walk_ad(xobject, _times(matrix, ctm))
        elif xobject.get("/Subtype") == "/Image":
            self.images[xobject.objgen] = xobject

    def _patterns(self, resources: pikepdf.Object, ctm: Matrix) -> None:
        """Tiling patterns are content of their own (shading patterns: see _resources)."""
        for pattern in resources.get("/Pattern", pikepdf.Dictionary()).values():
            if int(pattern.get("/PatternType", 0)) == 1 and pattern.objgen not in self.seen:
                self.seen.add(pattern.objgen)
                matrix = _matrix(list(pattern.get("/Matrix", IDENTITY)))
                self.walk_ad(pattern, _times(matrix, ctm))

    def ad_findings(self, ad: AdBox, page: int) -> list[Finding]:
        """What was found, in words naming the ad, at its booking."""
        what = f"page {page}: {ad.name}"
        limit = self.ink_limit
        found: list[Finding] = []

        def add(code: str, message: str, *, warn: bool = False) -> None:
            make = warning if warn else error
            found.append(make(code, f"{what}: {message}", ad.manifest, ad.line, page=page))

        if self.rgb:
            add("ad-rgb", f"RGB colour: {', '.join(sorted(self.rgb))}; ask the advertiser for "
                "the ad in CMYK (PDF/X-1a or PDF/X-4 for the printer's profile)")
        missing = sorted(base.lstrip("/") for base, embedded in self.fonts.items()
                         if not embedded)
        if missing:
            add("ad-font", f"font{'s' if len(missing) > 1 else ''} {', '.join(missing)} not "
                "embedded; ask the advertiser to embed every font")
        if self.max_image_tac > limit + TAC_TOLERANCE:
            add("ad-ink-limit", f"an image reaches {self.max_image_tac:.0f} % total ink, above the "
                f"printer's {limit:.0f} %; ask the advertiser to convert it with the printer's "
                "profile")
        if self.max_vector_tac > limit + 0.5:
            add("ad-ink-limit", f"a colour of {self.max_vector_tac:.0f} % total ink, above the "
                f"printer's {limit:.0f} %; ask the advertiser for the printer's ink limit")
        if self.edition.paper.printer.pdf == "x-1a" and self.transparency:
            add("ad-transparency", "the printer wants PDF/X-1a, which allows no transparency, "
                f"but the ad has {', '.join(sorted(set(self.transparency)))}; ask the "
                "advertiser for a flattened PDF/X-1a")
        if self.hairlines:
            add("ad-hairline", f"{len(self.hairlines)} line{'s' if len(self.hairlines) > 1 else ''}"
                f" thinner than {HAIRLINE_PT:g} pt (the thinnest {min(self.hairlines):.2f} pt) "
                "may break up on newsprint", warn=True)
        if self.multi_ink_text:
            small = self.multi_ink_text
            add("ad-small-text", f"{len(small)} run{'s' if len(small) > 1 else ''} of text "
                f"under {SMALL_TEXT_PT:g} pt in more than one ink (the smallest "
                f"{min(small):.1f} pt): misregistration makes it fuzzy", warn=True)
        return found


def _inline_space(image: pikepdf.PdfInlineImage) -> pikepdf.Object:
    """An inline image's colour space, its abbreviations spelt out."""
    try:
        spaces = image.colorspace
    except (NotImplementedError, ValueError, AttributeError, KeyError):
        return pikepdf.Name.DeviceGray
    if isinstance(spaces, str):
        return pikepdf.Name(spaces) if spaces.startswith("/") else pikepdf.Name("/" + spaces)
    return spaces if spaces is not None else pikepdf.Name.DeviceGray


def image_ad_tac(path: Path) -> float:
    """The total ink of a CMYK image ad at the :data:`~typeset.pdf.preflight.TAC_PERCENTILE`
    th percentile, in percent (0 for another mode: the photo conversion gives it the printer's
    limit)."""
    with Image.open(path) as image:
        if image.mode != "CMYK":
            return 0.0
        return ink_coverage(image).percentile


def preflight_ads(edition: Edition, plans: Sequence[PagePlan]) -> list[Finding]:
    """The ad preflight of every module of the edition whose file is usable (each file read
    once, however often it is booked)."""
    found: list[Finding] = []
    checked: dict[Path, AdPreflight | float] = {}
    limit = edition.paper.printer.ink_limit
    for plan in plans:
        for ad in plan.ads:
            if ad.path is None:
                continue
            if ad.kind == "raster":
                tac = checked.get(ad.path)
                if not isinstance(tac, float):
                    tac = checked[ad.path] = image_ad_tac(ad.path)
                if tac > limit + TAC_TOLERANCE:
                    found.append(error(
                        "ad-ink-limit", f"page {plan.number}: {ad.name} reaches {tac:.0f} % "
                        f"total ink, above the printer's {limit:.0f} %; ask the advertiser to "
                        "convert it with the printer's profile, or to send it in RGB",
                        ad.manifest, ad.line, page=plan.number))
                continue
            check = checked.get(ad.path)
            if not isinstance(check, AdPreflight):
                check = checked[ad.path] = AdPreflight(edition)
                with pikepdf.open(ad.path) as pdf:
                    check.check(pdf)
            found.extend(check.ad_findings(ad, plan.number))
    return found
