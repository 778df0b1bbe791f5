"""Images are checked before layout: inside the edition, readable, bounded, a known format, and
decoded completely; their size is the size they are shown at (EXIF orientation applied)."""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageFile

from ..core.cache import Cache
from ..core.errors import Finding, error

MAX_PIXELS = 60_000_000
"""Largest image accepted (60 Mpx: a 9000 × 6600 scan); larger is refused as a possible bomb."""
FORMATS = {"JPEG", "PNG", "TIFF"}
MODES = {"1", "L", "LA", "La", "P", "PA", "RGB", "RGBA", "RGBa", "RGBX", "CMYK", "YCbCr", "LAB",
         "I", "I;16", "I;16L", "I;16B", "I;16N", "F"}
"""Pixel modes the press conversion takes (:func:`typeset.pdf.photos.normalised`)."""
ORIENTATION = 0x0112
"""The EXIF tag of a photo's orientation; 5–8 show it turned a quarter."""
QUARTER_TURNED = {5, 6, 7, 8}


@dataclass(frozen=True)
class ImageInfo:
    path: Path
    width: int
    """The width it is shown at: its stored height when EXIF turns it a quarter."""
    height: int
    mode: str
    format: str

    @property
    def aspect(self) -> float:
        return self.width / self.height


@contextlib.contextmanager
def strict_decoding() -> Iterator[None]:
    """A truncated image raises while this holds (WeasyPrint tells Pillow, process-wide, to
    load truncated images, which then print part grey)."""
    before = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = before


def shown_size(image: Image.Image) -> tuple[int, int]:
    """Width and height as the photo is shown: EXIF orientations 5–8 turn it a quarter."""
    width, height = image.size
    try:
        turned = image.getexif().get(ORIENTATION) in QUARTER_TURNED
    except Exception:  # an unreadable EXIF block: Pillow shows the photo as stored
        turned = False
    return (height, width) if turned else (width, height)


def inside(folder: Path, relative: str) -> Path | None:
    """The resolved path of ``relative`` if it stays inside ``folder`` (symlinks resolved)."""
    base = folder.resolve()
    target = (base / relative).resolve()
    if target == base or base not in target.parents:
        return None
    return target


def check_image(folder: Path, src: str, article: Path, line: int, cache: Cache | None = None
                ) -> tuple[ImageInfo | None, list[Finding]]:
    """The photo ``src`` checked: inside the edition, a known format, bounded, every pixel
    decoded. With ``cache``, a file checked before (the same bytes at the same place) is not
    decoded again: its verdict is kept under the digest of its bytes."""
    target = inside(folder, src)
    if cache is None or not cache.enabled or target is None or not target.is_file():
        return _check_image(folder, src, article, line)
    return cache.remembered(
        "images", (target.read_bytes(), str(target), src, str(article), str(line)),
        lambda: _check_image(folder, src, article, line),
        lambda v: isinstance(v, tuple) and len(v) == 2)


def _check_image(folder: Path, src: str, article: Path, line: int
                 ) -> tuple[ImageInfo | None, list[Finding]]:
    target = inside(folder, src)
    if target is None:
        return None, [error("image-outside", f"photo '{src}' points outside the edition folder "
                            "(a '..' or a symlink); copy the file into images/", article, line)]
    if not target.is_file():
        return None, [error("image-missing", f"photo '{src}' not found; put it in the edition's "
                            "images/ folder or fix the path", article, line)]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(target) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise Image.DecompressionBombError(f"{width}×{height}")
                fmt = image.format or "?"
                mode = image.mode
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        return None, [error("image-too-large", f"photo '{src}' is too large ({exc}); images are "
                            f"limited to {MAX_PIXELS // 1_000_000} megapixels — scale it down",
                            article, line)]
    except (OSError, SyntaxError, ValueError) as exc:
        return None, [error("image-unreadable", f"photo '{src}' is not a readable image ({exc}); "
                            "save it again as JPEG or PNG", article, line)]
    if fmt not in FORMATS:
        return None, [error("image-format", f"photo '{src}' is {fmt}; use JPEG, PNG or TIFF",
                            article, line)]
    if mode not in MODES:
        return None, [error("image-mode", f"photo '{src}' has pixels of mode {mode}, which "
                            "typeset cannot convert for print; save it as RGB, CMYK or "
                            "greyscale", article, line)]
    try:
        with strict_decoding(), Image.open(target) as image:
            image.load()  # every pixel: verify() above reads only the structure
            shown = shown_size(image)
    except (OSError, SyntaxError, ValueError) as exc:
        return None, [error("image-damaged", f"photo '{src}' is damaged: it does not decode "
                            f"completely ({exc}); export it again from the original",
                            article, line)]
    return ImageInfo(target, *shown, mode, fmt), []
