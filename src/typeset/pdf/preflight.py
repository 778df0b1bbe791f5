"""Preflight of the press pages: what a printing house's preflight would reject, found first.

Checked on each normalised page (see :func:`typeset.pdf.content.normalise`):

* every font is embedded (FontFile, FontFile2 or FontFile3);
* nothing is RGB: colour operators, colour spaces of content, images, shadings, forms;
* total area coverage: the 99.9th percentile of C+M+Y+K of every CMYK image (Pillow, full
  resolution; a few pixels above it are JPEG noise, not ink a press lays down) and every vector
  colour, against ``ink_limit``: an error more than :data:`TAC_TOLERANCE` above it, a warning
  above it;
* coloured (not K-only) text below ``min_color_text_pt``: registration on newsprint smears it;
* the effective resolution of each photo (its pixels over its placed size) against ``min_ppi``;
* for PDF/X-1a: no transparency (soft masks, ca/CA below 1, blend modes, transparency groups).

Advertising modules placed as forms (:mod:`typeset.pdf.ads`) are skipped: the ad preflight
(:mod:`typeset.pdf.ad_preflight`) checks each ad's own file and names it and its advertiser.
"""

from __future__ import annotations

import hashlib
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

import pikepdf
from PIL import Image, ImageMath

from ..compose.plan import PagePlan
from ..core.errors import Finding, error, warning
from ..source.manifest import Edition
from .ads import is_ad_form
from .profile import load_profile

RGB_SPACES = {"/DeviceRGB", "/CalRGB"}
TAC_PERCENTILE = 99.9
"""The share of an image's pixels (%) whose total ink must be within the limit."""
TAC_TOLERANCE = 2.0
"""Total ink (%) above the printer's limit that is an error rather than a warning."""
TEXT_SHOW = {"Tj", "TJ", "'", '"'}


def is_rgb(space: pikepdf.Object) -> bool:
    """DeviceRGB, CalRGB, ICCBased with N=3, Indexed/Pattern/DeviceN on an RGB base."""
    if isinstance(space, pikepdf.Name):
        return str(space) in RGB_SPACES
    if isinstance(space, pikepdf.Array) and len(space):
        family = str(space[0])
        if family == "/ICCBased":
            return int(space[1].get("/N", 0)) == 3
        if family in ("/CalRGB",):
            return True
        if family == "/Indexed":
            return is_rgb(space[1])
        if family in ("/Separation", "/DeviceN"):
            return is_rgb(space[2])
        if family == "/Pattern" and len(space) > 1:
            return is_rgb(space[1])
    return False


def transparency_in(resources: pikepdf.Object) -> list[str]:
    """What makes content using ``resources`` transparent (for PDF/X-1a)."""
    found = []
    for name, state in resources.get("/ExtGState", pikepdf.Dictionary()).items():
        for key in ("/ca", "/CA"):
            if key in state and float(state[key]) < 1:
                found.append(f"ExtGState {name} {key} {float(state[key])}")
        if str(state.get("/SMask", "/None")) != "/None":
            found.append(f"ExtGState {name} soft mask")
        if str(state.get("/BM", "/Normal")) not in ("/Normal", "/Compatible"):
            found.append(f"ExtGState {name} blend mode {state.BM}")
    for name, xobject in resources.get("/XObject", pikepdf.Dictionary()).items():
        if is_ad_form(name):  # checked with the ad's own file (pdf/ad_preflight.py)
            continue
        if "/SMask" in xobject:
            found.append(f"image {name} has a soft mask")
        if xobject.get("/Subtype") == "/Form" and "/Group" in xobject:
            found.append(f"form {name} is a transparency group")
    return found


class PagePreflight:
    """Walks one page's content (and its forms) once and collects everything checked."""

    def __init__(self, edition: Edition, number: int) -> None:
        printer = edition.paper.printer
        self.edition, self.number = edition, number
        self.ink_limit, self.min_text = printer.ink_limit, printer.min_color_text_pt
        self.rgb: set[str] = set()
        self.fonts: dict[str, bool] = {}
        self.max_vector_tac = 0.0
        self.color_text: list[float] = []
        self.images: dict[tuple[int, int], pikepdf.Object] = {}
        self.transparency: list[str] = []
        self.seen: set[tuple[int, int]] = set()

    def walk(self, holder: pikepdf.Object, ops: list[object], scale: float) -> None:
        resources = holder.get("/Resources", pikepdf.Dictionary())
        self._resources(resources)
        fill: tuple[float, ...] = (0.0, 0.0, 0.0, 1.0)
        font_size, text_scale = 0.0, 1.0
        stack: list[tuple[float, tuple[float, ...]]] = []
        spaces = resources.get("/ColorSpace", pikepdf.Dictionary())
        for instruction in ops:
            if isinstance(instruction, pikepdf.ContentStreamInlineImage):
                continue
            op = str(instruction.operator)  # type: ignore[attr-defined]
            args = list(instruction.operands)  # type: ignore[attr-defined]
            if op == "q":
                stack.append((scale, fill))
            elif op == "Q" and stack:
                scale, fill = stack.pop()
            elif op == "cm":
                a, b, c, d = (float(v) for v in args[:4])
                scale *= math.sqrt(abs(a * d - b * c))
            elif op in ("rg", "RG"):
                self.rgb.add(f"'{op}' colour operator")
            elif op in ("cs", "CS"):
                name = str(args[0])
                space = spaces.get(name, args[0]) if not name.startswith("/Device") else args[0]
                if is_rgb(space):
                    self.rgb.add(f"colour space {name}")
            elif op in ("k", "K", "sc", "scn", "SC", "SCN"):
                values = tuple(float(v) for v in args if not isinstance(v, pikepdf.Name))
                if len(values) == 4:
                    self.max_vector_tac = max(self.max_vector_tac, 100 * sum(values))
                if op in ("k", "sc", "scn"):
                    fill = values
            elif op in ("g",):
                fill = (0.0, 0.0, 0.0, 1 - float(args[0]))
            elif op == "Tf":
                font_size = float(args[1])
            elif op == "Tm":
                a, b, c, d = (float(v) for v in args[:4])
                text_scale = math.sqrt(abs(a * d - b * c))
            elif op in TEXT_SHOW:
                if len(fill) == 4 and any(v > 0.001 for v in fill[:3]):
                    self.color_text.append(font_size * text_scale * scale)
            elif op == "Do" and is_ad_form(args[0]):
                continue  # an advertising module: the ad preflight checks its own file
            elif op == "Do":
                xobject: pikepdf.Object | None = resources.get(
                    "/XObject", pikepdf.Dictionary()).get(str(args[0]))
                if xobject is None or xobject.objgen in self.seen:
                    continue
                self.seen.add(xobject.objgen)
                if xobject.get("/Subtype") == "/Form":
                    self.walk(xobject, list(pikepdf.parse_content_stream(xobject)), scale)
                elif xobject.get("/Subtype") == "/Image":
                    self.images[xobject.objgen] = xobject

    def _resources(self, resources: pikepdf.Object) -> None:
        for name, space in resources.get("/ColorSpace", pikepdf.Dictionary()).items():
            if is_rgb(space):
                self.rgb.add(f"colour space {name}")
        for name, shading in resources.get("/Shading", pikepdf.Dictionary()).items():
            if is_rgb(shading.get("/ColorSpace", pikepdf.Name.DeviceGray)):
                self.rgb.add(f"shading {name}")
        for name, pattern in resources.get("/Pattern", pikepdf.Dictionary()).items():
            inner = pattern.get("/Shading")
            if inner is not None and is_rgb(inner.get("/ColorSpace", pikepdf.Name.DeviceGray)):
                self.rgb.add(f"pattern {name}")
        for font in resources.get("/Font", pikepdf.Dictionary()).values():
            base = str(font.get("/BaseFont", "?"))
            if str(font.get("/Subtype")) == "/Type3":
                continue
            descriptors = [d.get("/FontDescriptor") for d in font.get("/DescendantFonts", [])]
            descriptors.append(font.get("/FontDescriptor"))
            embedded = any(d is not None and any(k in d for k in
                                                 ("/FontFile", "/FontFile2", "/FontFile3"))
                           for d in descriptors)
            self.fonts[base] = self.fonts.get(base, False) or embedded
        self.transparency.extend(transparency_in(resources))

    def image_findings(self) -> list[Finding]:
        found = []
        for xobject in self.images.values():
            space = xobject.get("/ColorSpace", pikepdf.Name.DeviceGray)
            if is_rgb(space):
                self.rgb.add(f"image ({xobject.get('/Width')}×{xobject.get('/Height')} px)")
                continue
            mismatch = _jpeg_mismatch(xobject)
            if mismatch:
                found.append(error("image-data", f"page {self.number}: {mismatch}",
                                   page=self.number))
                continue
            if str(space) != "/DeviceCMYK":
                continue
            coverage = image_coverage(xobject)
            if coverage.percentile <= self.ink_limit:
                continue
            over = coverage.percentile > self.ink_limit + TAC_TOLERANCE
            found.append((error if over else warning)(
                "ink-limit", f"page {self.number}: a photo ({xobject.get('/Width')}×"
                f"{xobject.get('/Height')} px) reaches {coverage.percentile:.0f} % total ink "
                f"(at its {TAC_PERCENTILE:g}th percentile; {coverage.peak:.0f} % at most), "
                f"above the printer's {self.ink_limit:.0f} %; convert it with the printer's "
                "profile, built for that limit", page=self.number))
        return found

    def findings(self) -> list[Finding]:
        page = self.number
        found = self.image_findings()
        toml = self.edition.root / "newspaper.toml"
        for base, embedded in sorted(self.fonts.items()):
            if not embedded:
                found.append(error("font-not-embedded", f"page {page}: font {base} is not "
                                   "embedded", page=page))
        if self.rgb:
            found.append(error("rgb", f"page {page}: RGB colour in the press file: "
                               f"{', '.join(sorted(self.rgb))}; use device-cmyk() colours and "
                               "the printer's profile", page=page))
        if self.max_vector_tac > self.ink_limit + 0.5:
            over = self.max_vector_tac > self.ink_limit + TAC_TOLERANCE
            found.append((error if over else warning)(
                "ink-limit", f"page {page}: a colour of {self.max_vector_tac:.0f} % total ink, "
                f"above the printer's {self.ink_limit:.0f} %", toml, page=page))
        small = [s for s in self.color_text if s < self.min_text - 0.01]
        if small:
            found.append(warning("color-text", f"page {page}: {len(small)} runs of coloured "
                                 f"(not 100 % K) text as small as {min(small):.1f} pt, below "
                                 f"{self.min_text:g} pt: misregistration makes it fuzzy",
                                 page=page))
        return found


def _jpeg_mismatch(xobject: pikepdf.Object) -> str:
    """A JPEG whose data has other channels than its ColorSpace says (the original RGB file
    embedded instead of the converted CMYK bytes)."""
    if str(xobject.get("/Filter")) != "/DCTDecode":
        return ""
    expected = {"/DeviceCMYK": "CMYK", "/DeviceGray": "L", "/DeviceRGB": "RGB"}.get(
        str(xobject.get("/ColorSpace")))
    mode = Image.open(io.BytesIO(xobject.read_raw_bytes())).mode
    if expected and mode != expected:
        return (f"an image says {xobject.ColorSpace} but its JPEG data is {mode}: the PDF carries "
                "the original file, not the converted photo")
    return ""


@dataclass(frozen=True)
class InkCoverage:
    """The total ink (C+M+Y+K, %) of an image."""

    percentile: float
    """At the :data:`TAC_PERCENTILE` th percentile of its pixels."""
    peak: float
    """At its darkest pixel."""


_TAC_MEMO: dict[str, InkCoverage] = {}
"""Total ink of images already checked by this process, by the SHA-256 of their data. Pages are
checked in forked workers, whose memo ends with them: it spares only a page's repeated photo
and the one-process builds (``--jobs 1``); the page cache is what spares unchanged pages."""


def image_coverage(xobject: pikepdf.Object) -> InkCoverage:
    """The total ink of a CMYK image XObject (memoised by its data; 0 for other images)."""
    key = hashlib.sha256(xobject.read_raw_bytes()).hexdigest() if isinstance(
        xobject, pikepdf.Stream) else ""
    if key and key in _TAC_MEMO:
        return _TAC_MEMO[key]
    image = _decoded(xobject)
    coverage = ink_coverage(image) if image is not None else InkCoverage(0.0, 0.0)
    if key:
        _TAC_MEMO[key] = coverage
    return coverage


def _decoded(xobject: pikepdf.Object) -> Image.Image | None:
    image: Image.Image
    if str(xobject.get("/Filter")) == "/DCTDecode":
        # Pillow undoes Adobe's inverted CMYK itself (WeasyPrint writes the /Decode for it)
        image = Image.open(io.BytesIO(xobject.read_raw_bytes()))
    elif isinstance(xobject, pikepdf.Stream):
        image = pikepdf.PdfImage(xobject).as_pil_image()
    else:
        return None
    return image if image.mode == "CMYK" else None


def ink_coverage(image: Image.Image) -> InkCoverage:
    """C+M+Y+K of a CMYK image at the :data:`TAC_PERCENTILE` th percentile and at its peak,
    exactly: the sums (0–1020) are counted in two 256-bin histograms, of ``sum // 4`` and then,
    within the one bin that holds the rank, of ``sum % 4``."""
    c, m, y, k = (band.convert("I") for band in image.split())
    total = ImageMath.lambda_eval(lambda v: v["c"] + v["m"] + v["y"] + v["k"],
                                  c=c, m=m, y=y, k=k)
    high = ImageMath.lambda_eval(lambda v: v["t"] >> 2, t=total).convert("L")
    low = ImageMath.lambda_eval(lambda v: v["t"] & 3, t=total).convert("L")
    counts = high.histogram()

    def value_at(rank: int) -> int:
        below = 0
        for bin_, count in enumerate(counts):
            if below + count > rank:
                mask = high.point(lambda v: 255 if v == bin_ else 0)  # noqa: B023 - used now
                for rest, fine in enumerate(low.histogram(mask=mask)[:4]):
                    if below + fine > rank:
                        return 4 * bin_ + rest
                    below += fine
            below += count
        return 0

    pixels = image.width * image.height
    rank = max(0, math.ceil(pixels * TAC_PERCENTILE / 100) - 1)
    return InkCoverage(value_at(rank) * 100 / 255, value_at(pixels - 1) * 100 / 255)


def resolution_findings(edition: Edition, plans: Sequence[PagePlan]) -> list[Finding]:
    """Effective resolution of every placed photo: pixels over placed inches (object-fit:
    cover scales by the larger ratio, so the smaller ppi of the two axes counts)."""
    found = []
    minimum = edition.paper.printer.min_ppi
    for plan in plans:
        for placed in plan.articles:
            for photo in placed.photos:
                width_in, height_in = photo.rect.w / 72, photo.img_height / 72
                if width_in <= 0 or height_in <= 0 or not photo.width_px:
                    continue
                ppi = min(photo.width_px / width_in, photo.height_px / height_in)
                if ppi < minimum:
                    found.append(warning(
                        "image-resolution", f"page {plan.number}: {photo.src} is "
                        f"{photo.width_px}×{photo.height_px} px placed at "
                        f"{photo.rect.w / 72 * 25.4:.0f}×{photo.img_height / 72 * 25.4:.0f} mm: "
                        f"{ppi:.0f} ppi, below the printer's {minimum}; use a larger original "
                        "or place it smaller", edition.folder / photo.src,
                        page=plan.number, article=placed.slug))
    return found


def preflight_page(page: pikepdf.Page, edition: Edition, number: int) -> list[Finding]:
    """Every check above for one normalised press page, annotations already removed (the
    resolution of photos aside: that is known from the plan, see :func:`resolution_findings`)."""
    check = PagePreflight(edition, number)
    check.walk(page.obj, list(pikepdf.parse_content_stream(page)), 1.0)
    found = check.findings()
    if edition.paper.printer.pdf == "x-1a" and (check.transparency or
                                                        "/Group" in page.obj):
        what = sorted(set(check.transparency)) or ["a page transparency group"]
        found.append(error("transparency", f"page {number}: PDF/X-1a allows no transparency, "
                           f"found {', '.join(what)}", page=number))
    return found


def page_count_findings(edition: Edition, count: int) -> list[Finding]:
    """The page count must fill the press's signatures (``page_multiple``)."""
    multiple = edition.paper.printer.page_multiple
    if count % multiple == 0:
        return []
    add = multiple - count % multiple
    return [error("page-count", f"the edition has {count} pages; the press needs a multiple of "
                  f"{multiple}: add {add} page{'s' if add > 1 else ''} (or remove "
                  f"{count % multiple})", edition.folder / "issue.toml")]


def plan_findings(edition: Edition, plans: Sequence[PagePlan]) -> list[Finding]:
    """The preflight that needs no PDF (``typeset check``): the printer's profile, the page
    count against the press signature, and the effective resolution of every photo."""
    _, findings = load_profile(edition)
    findings.extend(page_count_findings(edition, len(plans)))
    return findings + resolution_findings(edition, plans)
