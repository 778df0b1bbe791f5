"""Photos converted for the press: RGB to the printer's CMYK, or grey on black-only pages.

WeasyPrint reads every image through the edition's fetcher; :func:`image_transform` gives it,
instead of the original file, the photo converted with the printer's profile (relative
colorimetric with black point compensation), so that one render serves every output and nothing
RGB reaches a press file. A photo placed above the printer's ``max_ppi`` is first resampled to
it (:func:`photo_scales`, :func:`downsampled`): newsprint resolves no more. Converted photos are
cached by the source's bytes, the profile and the scale.
"""

from __future__ import annotations

import hashlib
import io
import math
from collections.abc import Callable, Sequence
from pathlib import Path

import PIL
from PIL import Image, ImageCms, ImageOps

from ..compose.plan import PagePlan
from ..core.cache import Cache, write_entry
from ..source.manifest import Edition
from .profile import load_profile

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp"}
JPEG_QUALITY = 92
PHOTOS = "photos"
"""The cache's folder of converted photos."""


def photo_pages(edition: Edition) -> dict[str, int]:
    """Page number of each photo (by its path relative to the edition folder): photos print
    with the first placement of their article."""
    pages: dict[str, int] = {}
    for number, spec in enumerate(edition.manifest.pages, start=1):
        for placement in spec.articles:
            article = edition.articles.get(placement.slug)
            if article is None or placement.continued:
                continue
            for photo in article.meta.photos:
                pages.setdefault(photo.src.replace("\\", "/"), number)
    return pages


def photo_scales(plans: Sequence[PagePlan], max_ppi: float) -> dict[str, float]:
    """By how much each photo placed above ``max_ppi`` is resampled (``max_ppi`` over its
    effective resolution, below 1), by its path relative to the edition folder; a photo placed
    twice takes the larger scale. The effective resolution is the smaller of the two axes'
    (``object-fit: cover`` scales by the larger ratio), as the preflight counts it."""
    scales: dict[str, float] = {}
    for plan in plans:
        for placed in plan.articles:
            for photo in placed.photos:
                width_in, height_in = photo.rect.w / 72, photo.img_height / 72
                if width_in <= 0 or height_in <= 0 or not photo.width_px or not photo.height_px:
                    continue
                ppi = min(photo.width_px / width_in, photo.height_px / height_in)
                if ppi > max_ppi:
                    src = photo.src.replace("\\", "/")
                    scales[src] = max(scales.get(src, 0.0), max_ppi / ppi)
    return scales


def downsampled(image: Image.Image, scale: float) -> Image.Image:
    """``image`` resampled by ``scale`` (below 1) with a Lanczos filter, its pixel size rounded
    down so that the photo does not exceed ``max_ppi``; the image itself at a scale of 1."""
    if scale >= 1:
        return image
    size = (max(1, math.floor(image.width * scale + 1e-9)),
            max(1, math.floor(image.height * scale + 1e-9)))
    if size == image.size:
        return image
    return image.resize(size, Image.Resampling.LANCZOS)


def grey_photos(edition: Edition) -> Callable[[str], bool]:
    """Whether a photo (by its path relative to the edition folder) is served grey: it prints
    on a page in the printer's ``black_only_pages``."""
    pages = photo_pages(edition)
    black_only = set(edition.paper.printer.black_only_pages)
    return lambda src: pages.get(src.replace("\\", "/"), 0) in black_only


class PhotoConverter:
    """Converts photos with one output profile; results cached by (path, mtime, profile)."""

    def __init__(self, profile: bytes, cache_dir: Path | None = None) -> None:
        self.digest = hashlib.sha256(profile).hexdigest()
        self.cache_dir = cache_dir
        """Converted photos on disk, keyed by the source's bytes, the profile and Pillow's
        version: a rebuild does not convert an unchanged photo again."""
        self.output = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        self.srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
        self.cache: dict[tuple[str, int, str, bool, float], bytes] = {}
        self._grey_lut: list[int] | None = None

    def _source(self, image: Image.Image) -> ImageCms.ImageCmsProfile:
        embedded = image.info.get("icc_profile")
        if embedded:
            try:
                profile = ImageCms.ImageCmsProfile(io.BytesIO(embedded))
                if profile.profile.xcolor_space.strip() == "RGB":
                    return profile
            except (OSError, ImageCms.PyCMSError):
                pass
        return self.srgb

    def to_cmyk(self, image: Image.Image) -> Image.Image:
        transform = ImageCms.buildTransform(
            self._source(image), self.output, "RGB", "CMYK",
            renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
            flags=ImageCms.Flags.BLACKPOINTCOMPENSATION)
        return _applied(image, transform)

    def grey_lut(self) -> list[int]:
        """L* (0–255) -> DeviceGray value printing that lightness with K alone on this press
        (the profile's K ramp: takes the dot gain of newsprint into account)."""
        if self._grey_lut is None:
            ramp = Image.new("CMYK", (256, 1))
            ramp.putdata([(0, 0, 0, k) for k in range(256)])
            to_lab = ImageCms.buildTransform(self.output, ImageCms.createProfile("LAB"),
                                             "CMYK", "LAB")
            lab = _applied(ramp, to_lab).getchannel("L")
            lightness = [int(lab.getpixel((i, 0)) or 0) for i in range(256)]  # type: ignore[arg-type]
            darkest = min(lightness)
            lut = []
            for value in range(256):
                # black point compensation: the photo's black becomes solid K
                target = darkest + value * (255 - darkest) / 255
                k = min(range(256), key=lambda i: (abs(lightness[i] - target), i))
                lut.append(255 - k)
            self._grey_lut = lut
        return self._grey_lut

    def to_grey(self, image: Image.Image) -> Image.Image:
        transform = ImageCms.buildTransform(self._source(image), ImageCms.createProfile("LAB"),
                                            "RGB", "LAB")
        return _applied(image, transform).getchannel("L").point(self.grey_lut())

    def convert(self, path: Path, grey: bool, scale: float = 1.0) -> bytes:
        """The photo at ``path`` resampled by ``scale`` (see :func:`downsampled`) and converted
        to the printer's CMYK, or to grey; JPEG bytes."""
        key = (str(path), path.stat().st_mtime_ns, self.digest, grey, scale)
        cached = self.cache.get(key)
        if cached is None and self.cache_dir is not None:
            cached = self._from_disk(path, grey, scale)
            if cached is not None:
                self.cache[key] = cached
        if cached is None:
            with Image.open(path) as original:
                image = downsampled(ImageOps.exif_transpose(original), scale)
                if image.mode == "CMYK" and not grey:
                    result = image
                else:
                    if image.mode in ("RGBA", "LA", "P", "PA") or "transparency" in image.info:
                        rgba = image.convert("RGBA")
                        image = Image.new("RGB", rgba.size, (255, 255, 255))
                        image.paste(rgba, mask=rgba.getchannel("A"))
                    elif image.mode != "RGB":
                        image = image.convert("RGB")
                    image.info.setdefault("icc_profile", original.info.get("icc_profile"))
                    result = self.to_grey(image) if grey else self.to_cmyk(image)
                out = io.BytesIO()
                result.save(out, "JPEG", quality=JPEG_QUALITY, optimize=False, subsampling=0)
                cached = self.cache[key] = out.getvalue()
                self._to_disk(path, grey, scale, cached)
        return cached

    def _disk_path(self, path: Path, grey: bool, scale: float) -> Path | None:
        if self.cache_dir is None:
            return None
        seed = hashlib.sha256(path.read_bytes()).hexdigest() + self.digest + str(grey)
        seed += f"|{scale!r}"
        seed += f"{JPEG_QUALITY}|{PIL.__version__}"
        return self.cache_dir / f"{hashlib.sha256(seed.encode()).hexdigest()[:32]}.jpg"

    def _from_disk(self, path: Path, grey: bool, scale: float) -> bytes | None:
        target = self._disk_path(path, grey, scale)
        try:
            return target.read_bytes() if target is not None and target.is_file() else None
        except OSError:
            return None

    def _to_disk(self, path: Path, grey: bool, scale: float, data: bytes) -> None:
        target = self._disk_path(path, grey, scale)
        if target is None:
            return
        write_entry(target, data)


def _applied(image: Image.Image, transform: ImageCms.ImageCmsTransform) -> Image.Image:
    converted = ImageCms.applyTransform(image, transform)
    assert converted is not None  # None only when converting in place
    return converted


class PhotoTransform:
    """What the fetcher serves instead of an edition image: the photo converted (and resampled
    once the pages are laid out, see :meth:`place`)."""

    def __init__(self, edition: Edition, profile: bytes) -> None:
        self.converter = PhotoConverter(profile, Cache.of(edition.root).kind(PHOTOS))
        self.folder = edition.folder.resolve()
        self.grey = grey_photos(edition)
        self.max_ppi = edition.paper.printer.max_ppi
        self.scales: dict[str, float] = {}
        """By photo (relative to the edition folder): see :func:`photo_scales`."""

    def place(self, plans: Sequence[PagePlan]) -> None:
        """The pages are laid out: photos placed above ``max_ppi`` are served resampled."""
        self.scales = photo_scales(plans, self.max_ppi)

    def __call__(self, path: Path) -> tuple[bytes, str] | None:
        resolved = path.resolve()
        if resolved.suffix.lower() not in IMAGE_SUFFIXES or self.folder not in resolved.parents:
            return None
        src = resolved.relative_to(self.folder).as_posix()
        return self.converter.convert(resolved, self.grey(src), self.scales.get(src, 1.0)
                                      ), "image/jpeg"


def image_transform(edition: Edition) -> PhotoTransform | None:
    """What the fetcher serves instead of an edition image (CMYK conversion), or None.

    Photos of pages in ``black_only_pages`` become grey (DeviceGray prints on the K plate only);
    the page of a photo is the page of its article's first placement. Without a usable profile
    nothing is converted: the press step then reports the missing profile.
    """
    profile, _ = load_profile(edition)
    return None if profile is None else PhotoTransform(edition, profile)
