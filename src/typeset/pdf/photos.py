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
from ..core.cache import Cache
from ..source.images import strict_decoding
from ..source.manifest import Edition
from .profile import load_profile

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp"}
JPEG_QUALITY = 92
PHOTOS = "photos"
"""The cache's folder of converted photos."""
CONVERSION = 2
"""The version of :func:`decode_photo` and :func:`normalised`, part of a converted photo's
cache key: a change to them converts every photo again."""
SPACES = {"RGB": "RGB", "CMYK": "CMYK", "L": "GRAY"}
"""An ICC profile's colour space for each mode the colour transforms take."""


def photo_pages(edition: Edition) -> dict[str, int]:
    """Page number of each photo and image ad (by its path relative to the edition folder):
    photos print with the first placement of their article, ads on the page that books them."""
    pages: dict[str, int] = {}
    for number, spec in enumerate(edition.manifest.pages, start=1):
        for placement in spec.articles:
            article = edition.articles.get(placement.slug)
            if article is None or placement.continued:
                continue
            for photo in article.meta.photos:
                pages.setdefault(photo.src.replace("\\", "/"), number)
        for ad in spec.ads:
            pages.setdefault(ad.file.replace("\\", "/"), number)
    return pages


GREY_MODES = {"1", "L", "LA", "I", "I;16", "F"}
"""Pillow's modes of a greyscale image."""


def grey_ads(edition: Edition) -> set[str]:
    """The image ads delivered in grey (by their path relative to the edition folder): they
    print in black only, as their advertisers meant, not as a four-colour grey."""
    found = set()
    folder = edition.folder.resolve()
    for spec in edition.manifest.pages:
        for ad in spec.ads:
            path = (folder / ad.file).resolve()
            if path.suffix.lower() not in IMAGE_SUFFIXES or folder not in path.parents:
                continue
            try:
                with Image.open(path) as image:
                    if image.mode in GREY_MODES:
                        found.add(ad.file.replace("\\", "/"))
            except (OSError, ValueError, SyntaxError):
                continue  # the ad's own check says what is wrong with it
    return found


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
    """Whether a photo or an image ad (by its path relative to the edition folder) is served
    grey: it prints on a page in the printer's ``black_only_pages``, or it is an ad delivered
    in grey."""
    pages = photo_pages(edition)
    black_only = set(edition.paper.printer.black_only_pages)
    grey = grey_ads(edition)

    def is_grey(src: str) -> bool:
        src = src.replace("\\", "/")
        return src in grey or pages.get(src, 0) in black_only

    return is_grey


class PhotoConverter:
    """Converts photos with one output profile; results cached by (path, mtime, profile)."""

    def __init__(self, profile: bytes, cache: Cache | None = None) -> None:
        self.digest = hashlib.sha256(profile).hexdigest()
        self.disk = cache or Cache(None)
        """Converted photos on disk, keyed by the source's bytes, the profile and Pillow's
        version: a rebuild does not convert an unchanged photo again."""
        self.output = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        self.srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
        self.cache: dict[tuple[str, int, str, bool, float], bytes] = {}
        self._grey_lut: list[int] | None = None

    def _source(self, image: Image.Image) -> ImageCms.ImageCmsProfile:
        """The profile of the photo's pixels (see :func:`normalised`): the embedded one, else
        sRGB for RGB and the printer's own for CMYK."""
        profile = embedded_profile(image)
        if profile is not None:
            return profile
        return self.output if image.mode == "CMYK" else self.srgb

    def to_cmyk(self, image: Image.Image) -> Image.Image:
        transform = ImageCms.buildTransform(
            self._source(image), self.output, image.mode, "CMYK",
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
                                            image.mode, "LAB")
        return _applied(image, transform).getchannel("L").point(self.grey_lut())

    def convert(self, path: Path, grey: bool, scale: float = 1.0) -> bytes:
        """The photo at ``path`` resampled by ``scale`` (see :func:`downsampled`) and converted
        to the printer's CMYK, or to grey; JPEG bytes."""
        key = (str(path), path.stat().st_mtime_ns, self.digest, grey, scale)
        cached = self.cache.get(key)
        if cached is None and self.disk.enabled:
            cached = self._from_disk(path, grey, scale)
            if cached is not None:
                self.cache[key] = cached
        if cached is None:
            image = normalised(decode_photo(path))
            profile = image.info.get("icc_profile")
            image = downsampled(image, scale)
            image.info["icc_profile"] = profile
            result = self.to_grey(image) if grey else self.to_cmyk(image)
            out = io.BytesIO()
            result.save(out, "JPEG", quality=JPEG_QUALITY, optimize=False, subsampling=0)
            cached = self.cache[key] = out.getvalue()
            self._to_disk(path, grey, scale, cached)
        return cached

    def _disk_name(self, path: Path, grey: bool, scale: float) -> str:
        seed = hashlib.sha256(path.read_bytes()).hexdigest() + self.digest + str(grey)
        seed += f"|{scale!r}|{JPEG_QUALITY}|{PIL.__version__}|{CONVERSION}"
        return f"{hashlib.sha256(seed.encode()).hexdigest()[:32]}.jpg"

    def _from_disk(self, path: Path, grey: bool, scale: float) -> bytes | None:
        return self.disk.read(PHOTOS, self._disk_name(path, grey, scale), is_jpeg)

    def _to_disk(self, path: Path, grey: bool, scale: float, data: bytes) -> None:
        if self.disk.enabled:
            self.disk.write(PHOTOS, self._disk_name(path, grey, scale), data)


def is_jpeg(data: bytes) -> bool:
    """Whether ``data`` is a whole JPEG file: its start and its end-of-image marker."""
    return data.startswith(b"\xff\xd8") and data.rstrip(b"\0").endswith(b"\xff\xd9")


# -- decoding and normalising: what any photo becomes before its colours are converted -----------

def decode_photo(path: Path) -> Image.Image:
    """The photo as it is shown, every pixel decoded (a truncated file raises, see
    :func:`typeset.source.images.strict_decoding`), turned upright by its EXIF orientation, its
    embedded ICC profile kept in ``info``."""
    with strict_decoding(), Image.open(path) as original:
        original.load()
        image = ImageOps.exif_transpose(original)
        image.info.setdefault("icc_profile", original.info.get("icc_profile"))
    return image


def embedded_profile(image: Image.Image) -> ImageCms.ImageCmsProfile | None:
    """The photo's embedded ICC profile when it is usable and fits its mode, else None."""
    embedded = image.info.get("icc_profile")
    if not embedded or image.mode not in SPACES:
        return None
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(embedded))
    except (OSError, ImageCms.PyCMSError):
        return None
    return profile if profile.profile.xcolor_space.strip() == SPACES[image.mode] else None


def normalised(image: Image.Image) -> Image.Image:
    """8-bit pixels in a mode the colour transforms take, on white paper.

    RGB and CMYK stay as they are; transparency (an alpha channel, a palette's or a key
    colour) is flattened on white; 16-bit and 32-bit grey are scaled to 8 bits (converting
    them directly clips every value above 255 to white); grey stays grey when it carries a
    grey profile, else it becomes RGB (read as sRGB, as a browser shows it); any other mode
    becomes RGB. The embedded profile is kept when it still fits."""
    profile = image.info.get("icc_profile")
    transparent = "transparency" in image.info or image.mode in (
        "RGBA", "RGBa", "LA", "La", "PA")
    if image.mode in ("RGB", "CMYK") and not transparent:
        return image
    if image.mode == "I" or image.mode.startswith("I;16"):
        image = image.convert("I").point(lambda v: v * (1 / 257)).convert("L")
    elif image.mode in ("F", "1"):
        image = image.convert("L")
    elif image.mode == "La":
        image = image.convert("LA")  # premultiplied alpha: Pillow converts it only to LA
    if transparent:
        rgba = image.convert("RGBA")
        image = Image.new("RGB", rgba.size, (255, 255, 255))
        image.paste(rgba, mask=rgba.getchannel("A"))
    elif image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    image.info["icc_profile"] = profile
    if image.mode == "L" and embedded_profile(image) is None:
        image = image.convert("RGB")
        image.info["icc_profile"] = profile
    return image


def _applied(image: Image.Image, transform: ImageCms.ImageCmsTransform) -> Image.Image:
    converted = ImageCms.applyTransform(image, transform)
    assert converted is not None  # None only when converting in place
    return converted


class PhotoTransform:
    """What the fetcher serves instead of an edition image: the photo converted (and resampled
    once the pages are laid out, see :meth:`place`)."""

    def __init__(self, edition: Edition, profile: bytes) -> None:
        self.converter = PhotoConverter(profile, Cache.of(edition.root))
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
