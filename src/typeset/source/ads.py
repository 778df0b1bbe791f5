"""Advertising modules: the bookings of issue.toml, checked against the grid and the ad files.

A page books its ads with ``ads = [{ file, columns, height, column?, advertiser?, order? }]``.
:func:`read_ads` checks every booking of the edition and returns the modules each page can
place, with every problem found at the booking's line in issue.toml:

* the module must lie within the grid (``column`` + ``columns``) and overlap no other module;
* the file must be inside the edition folder and readable: a PDF, or a JPEG, PNG or TIFF that
  passes the photo checks (:func:`typeset.source.images.check_image`);
* a PDF's TrimBox (else its MediaBox) must be the module's size within
  :data:`SIZE_TOLERANCE_MM`; a raster ad must have the module's proportions within the same
  tolerance and reach the printer's ``min_ppi`` at the module's size.

Whether a module fits its page (its height, the room it leaves the articles) is for the
composer to say (:mod:`typeset.compose.ads`); what is inside a PDF ad (colour, fonts, ink) for
the ad preflight (:mod:`typeset.pdf.ad_preflight`).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from ..core.errors import Finding, Severity, error, warning
from ..core.models import AdBooking
from ..core.units import PT_PER_MM
from .images import check_image, inside
from .layouts import Grid
from .manifest import Edition

SIZE_TOLERANCE_MM = 1.0
"""How far an ad's size may be from its module's, in millimetres, on either side."""
RASTER_SUFFIXES = {".jpg", ".jpeg", ".png", ".tif", ".tiff"}


class AdKind(enum.StrEnum):
    PDF = "pdf"
    """Printed as vectors: the first page embedded as a form at the module."""
    RASTER = "raster"
    """A JPEG, PNG or TIFF scaled to the module, converted like a photo."""


@dataclass(frozen=True)
class Ad:
    """One booked module, where it goes in the grid, and its file when that is usable."""

    page: int
    """1-based page number."""
    index: int
    """Position in the page's ``ads`` list."""
    booking: AdBooking
    column: int
    """0-based grid column where the module starts."""
    width: float
    """Module width, points: the columns' widths and the gutters between them."""
    height: float
    """Module height, points (the booked millimetres)."""
    kind: AdKind
    path: Path | None
    """The resolved file; None when it is missing or unusable (an error says why)."""
    manifest: Path
    line: int | None
    """The booking's line in issue.toml."""

    @property
    def file(self) -> str:
        return self.booking.file

    @property
    def name(self) -> str:
        """«ad 'ads/bank.pdf' (АО «Иртыш Кредит»)»: how messages name the ad."""
        by = f" ({self.booking.advertiser})" if self.booking.advertiser else ""
        return f"ad '{self.booking.file}'{by}"

    @property
    def columns(self) -> range:
        return range(self.column, self.column + self.booking.columns)


def read_ads(edition: Edition, grid: Grid, layout_ref: str) -> tuple[list[list[Ad]],
                                                                       list[Finding]]:
    """The modules of every page (one list per page, in booking order) and every problem of
    the bookings. A module whose file has a problem is still placed (the page keeps its
    shape, so that the copyfit stays meaningful); one outside the grid or overlapping another
    is not."""
    manifest = edition.folder / "issue.toml"
    findings: list[Finding] = []
    pages: list[list[Ad]] = []
    for page_index, spec in enumerate(edition.manifest.pages):
        number = page_index + 1
        placed: list[Ad] = []
        next_column = 0
        for k, booking in enumerate(spec.ads):
            line = edition.manifest_lines.get(("pages", page_index, "ads", k))
            column = booking.column - 1 if booking.column is not None else next_column
            next_column = column + booking.columns
            kind = AdKind.PDF if booking.file.lower().endswith(".pdf") else AdKind.RASTER
            ad = Ad(number, k, booking, column, grid.width(booking.columns),
                    booking.height * PT_PER_MM, kind, None, manifest, line)
            found = _geometry(ad, placed, grid, layout_ref)
            findings.extend(found)
            if found:
                continue
            path, file_findings = _check_file(ad, edition, grid)
            findings.extend(file_findings)
            if path is not None and not any(f.severity is Severity.ERROR for f in file_findings):
                ad = Ad(number, k, booking, column, ad.width, ad.height, kind, path, manifest,
                        line)
            placed.append(ad)
        pages.append(placed)
    return pages, findings


def _geometry(ad: Ad, placed: Sequence[Ad], grid: Grid, layout_ref: str) -> list[Finding]:
    """The module lies within the grid and overlaps no module placed before it."""
    b = ad.booking
    if ad.column + b.columns > grid.columns:
        first = f" from column {ad.column + 1}" if ad.column else ""
        return [error("ad-too-wide", f"page {ad.page}: {ad.name} is {b.columns} column"
                      f"{'s' if b.columns != 1 else ''} wide{first}, but layout {layout_ref} has "
                      f"{grid.columns}; book fewer columns or an earlier 'column'",
                      ad.manifest, ad.line, page=ad.page)]
    for other in placed:
        shared = set(ad.columns) & set(other.columns)
        if shared:
            cols = sorted(c + 1 for c in shared)
            span = f"{cols[0]}" if len(cols) == 1 else f"{cols[0]}–{cols[-1]}"
            return [error("ad-overlap", f"page {ad.page}: {ad.name} overlaps {other.name} in "
                          f"column{'s' if len(cols) > 1 else ''} {span}; modules stand side by "
                          "side at the foot of the page: change 'column', or book this ad on "
                          "another page", ad.manifest, ad.line, page=ad.page)]
    return []


def _check_file(ad: Ad, edition: Edition, grid: Grid) -> tuple[Path | None, list[Finding]]:
    src = ad.booking.file
    target = inside(edition.folder, src)
    if target is None:
        return None, [error("ad-outside", f"page {ad.page}: {ad.name} points outside the "
                            "edition folder (a '..' or a symlink); copy the file into the "
                            "edition's ads/ folder", ad.manifest, ad.line, page=ad.page)]
    if not target.is_file():
        return None, [error("ad-missing", f"page {ad.page}: {ad.name} not found; put the file "
                            "in the edition's ads/ folder or fix the path", ad.manifest, ad.line,
                            page=ad.page)]
    if ad.kind is AdKind.PDF:
        return target, _check_pdf(ad, target)
    if target.suffix.lower() not in RASTER_SUFFIXES:
        return None, [error("ad-format", f"page {ad.page}: {ad.name} is neither a PDF nor a "
                            "JPEG, PNG or TIFF; ask the advertiser for a PDF", ad.manifest,
                            ad.line, page=ad.page)]
    return target, _check_raster(ad, edition, target, src)


def pdf_size(page: pikepdf.Page) -> tuple[str, float, float]:
    """The box that defines a PDF page's printed size (TrimBox, else CropBox, else MediaBox),
    and its width and height in points as the page shows (rotation and UserUnit applied)."""
    for name in ("/TrimBox", "/CropBox", "/MediaBox"):
        if name in page.obj:
            box = [float(v) for v in page.obj[name]]
            break
    unit = float(page.obj.get("/UserUnit", 1))
    width, height = abs(box[2] - box[0]) * unit, abs(box[3] - box[1]) * unit
    if int(page.obj.get("/Rotate", 0)) % 180:
        width, height = height, width
    return name.lstrip("/"), width, height


def _check_pdf(ad: Ad, path: Path) -> list[Finding]:
    try:
        with pikepdf.open(path) as pdf:
            if not len(pdf.pages):
                raise ValueError("it has no pages")
            box, width, height = pdf_size(pdf.pages[0])
            count = len(pdf.pages)
    except (pikepdf.PdfError, pikepdf.PasswordError, OSError, ValueError, KeyError,
            IndexError) as exc:
        return [error("ad-unreadable", f"page {ad.page}: {ad.name} is not a readable PDF "
                      f"({str(exc).splitlines()[0][:200]}); ask the advertiser for the file "
                      "again", ad.manifest, ad.line, page=ad.page)]
    findings = []
    if not _fits(width, height, ad):
        findings.append(error(
            "ad-size", f"page {ad.page}: {ad.name} is {_mm(width)} × {_mm(height)} mm (its "
            f"{box}), but the module is {_mm(ad.width)} × {_mm(ad.height)} mm "
            f"({ad.booking.columns} column{'s' if ad.booking.columns != 1 else ''} × "
            f"{ad.booking.height:g} mm); ask the advertiser for the module's size or book the "
            "size the ad has", ad.manifest, ad.line, page=ad.page))
    if count > 1:
        findings.append(warning("ad-pages", f"page {ad.page}: {ad.name} has {count} pages; only "
                                "the first prints", ad.manifest, ad.line, page=ad.page))
    return findings


def _check_raster(ad: Ad, edition: Edition, path: Path, src: str) -> list[Finding]:
    info, found = check_image(edition.folder, src, ad.manifest, ad.line or 0)
    if info is None:  # the photo checks' own words, about an ad
        return [error(f.code, f"page {ad.page}: {ad.name}: "
                      + f.message.replace(f"photo '{src}' ", "", 1), ad.manifest, ad.line,
                      page=ad.page) for f in found]
    findings = []
    shown_height = ad.width * info.height / info.width
    if abs(shown_height - ad.height) > SIZE_TOLERANCE_MM * PT_PER_MM:
        findings.append(error(
            "ad-size", f"page {ad.page}: {ad.name} is {info.width}×{info.height} px: at the "
            f"module's width of {_mm(ad.width)} mm it would be {_mm(shown_height)} mm tall, "
            f"but the module is {_mm(ad.height)} mm; ask the advertiser for the module's "
            "proportions or book the height the ad has", ad.manifest, ad.line, page=ad.page))
    minimum = edition.paper.printer.min_ppi
    ppi = min(info.width / (ad.width / 72), info.height / (ad.height / 72))
    if ppi < minimum - 0.5:
        findings.append(error(
            "ad-resolution", f"page {ad.page}: {ad.name} is {info.width}×{info.height} px over "
            f"{_mm(ad.width)} × {_mm(ad.height)} mm: {ppi:.0f} ppi, below the printer's "
            f"{minimum}; ask the advertiser for a larger file or a PDF", ad.manifest, ad.line,
            page=ad.page))
    return findings


def _fits(width: float, height: float, ad: Ad) -> bool:
    tolerance = SIZE_TOLERANCE_MM * PT_PER_MM
    return abs(width - ad.width) <= tolerance and abs(height - ad.height) <= tolerance


def _mm(points: float) -> str:
    return f"{points / PT_PER_MM:.1f}"
