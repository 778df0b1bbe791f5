"""Page previews: a PNG per page and a contact sheet, rendered with PDFium (no external program).

``typeset preview --lines`` marks the loosely spaced lines of a composer layout on the images: a
translucent band over each justified line whose word spaces stretch more than
:data:`MARK_ABOVE`, from yellow to red as the stretch grows (:func:`mark_lines`).
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageDraw

from ..compose.spacing import LooseLine

SHEET_COLUMNS = 4


def page_images(pdf: bytes, dpi: float = 50.0) -> list[Image.Image]:
    """Render every page of ``pdf`` (its CropBox: the trimmed page) to an RGB image."""
    document = pdfium.PdfDocument(pdf)
    images = []
    try:
        for index in range(len(document)):
            page = document[index]
            bitmap = page.render(scale=dpi / 72, crop=(0, 0, 0, 0), may_draw_forms=False)
            images.append(bitmap.to_pil().convert("RGB"))
            page.close()
    finally:
        document.close()
    return images


def contact_sheet(images: list[Image.Image], width: int = 1600) -> Image.Image:
    """All pages side by side, four to a row, with page numbers."""
    if not images:
        return Image.new("RGB", (width, 10), "white")
    cell_w = width // SHEET_COLUMNS
    ratio = images[0].height / images[0].width
    cell_h = int(cell_w * ratio)
    rows = math.ceil(len(images) / SHEET_COLUMNS)
    sheet = Image.new("RGB", (width, rows * (cell_h + 24)), "#d9d9d9")
    draw = ImageDraw.Draw(sheet)
    for i, image in enumerate(images):
        x = (i % SHEET_COLUMNS) * cell_w
        y = (i // SHEET_COLUMNS) * (cell_h + 24)
        thumb = image.resize((cell_w - 8, cell_h - 8), Image.Resampling.LANCZOS)
        sheet.paste(thumb, (x + 4, y + 4))
        draw.text((x + cell_w // 2 - 6, y + cell_h + 4), str(i + 1), fill="black")
    return sheet


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=False)
    return buffer.getvalue()


MARK_ABOVE = 1.5
"""Lines stretched more than this are marked by ``--lines``."""
MARK_ALPHA = 110
"""Opacity of a mark (0–255): the text stays legible under it."""
MM_PER_INCH = 25.4


def stretch_colour(stretch: float) -> tuple[int, int, int]:
    """Yellow at 1.5×, orange at 2×, red from 3×."""
    share = min(1.0, max(0.0, (stretch - MARK_ABOVE) / (3.0 - MARK_ABOVE)))
    return (255, round(220 * (1 - share)), 0)


def mark_lines(images: list[Image.Image], lines: Sequence[LooseLine], dpi: float
               ) -> list[Image.Image]:
    """The page images with a translucent band over each of ``lines``, coloured by its
    stretch."""
    scale = dpi / MM_PER_INCH
    marked = []
    for number, image in enumerate(images, start=1):
        overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
        draw = ImageDraw.Draw(overlay)
        for line in lines:
            if line.page != number:
                continue
            x, y, w, h = (v * scale for v in line.box)
            draw.rectangle((x, y, x + w, y + h), fill=(*stretch_colour(line.stretch),
                                                        MARK_ALPHA))
        marked.append(Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB"))
    return marked


def preview_files(pdf: bytes, dpi: float = 50.0,
                  lines: Sequence[LooseLine] | None = None) -> dict[str, bytes]:
    """``page-01.png`` … and ``contact-sheet.png``; with ``lines``, those lines marked."""
    images = page_images(pdf, dpi)
    if lines is not None:
        images = mark_lines(images, lines, dpi)
    files = {f"page-{i:02d}.png": png_bytes(image) for i, image in enumerate(images, start=1)}
    files["contact-sheet.png"] = png_bytes(contact_sheet(images))
    return files


def default_preview_dir(root: Path, key: str) -> Path:
    return root / "build" / key / "preview"
