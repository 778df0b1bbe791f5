"""Images are checked before layout: inside the edition, readable, bounded, a known format."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from ..core.errors import Finding, error

MAX_PIXELS = 60_000_000
"""Largest image accepted (60 Mpx: a 9000 × 6600 scan); larger is refused as a possible bomb."""
FORMATS = {"JPEG", "PNG", "TIFF"}


@dataclass(frozen=True)
class ImageInfo:
    path: Path
    width: int
    height: int
    mode: str
    format: str

    @property
    def aspect(self) -> float:
        return self.width / self.height


def inside(folder: Path, relative: str) -> Path | None:
    """The resolved path of ``relative`` if it stays inside ``folder`` (symlinks resolved)."""
    base = folder.resolve()
    target = (base / relative).resolve()
    if target == base or base not in target.parents:
        return None
    return target


def check_image(folder: Path, src: str, article: Path, line: int) -> tuple[ImageInfo | None,
                                                                           list[Finding]]:
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
    return ImageInfo(target, width, height, mode, fmt), []
