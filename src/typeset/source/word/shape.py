"""Step 4 of an import: shape the article.

Pictures pass the build's own checks (:func:`typeset.source.images.check_image`) and are turned
upright; title, rubric, subtitle, lead and author go into the front matter; pictures with their
captions and «Фото …» credits into ``photos:``; the rest into body blocks.
"""

from __future__ import annotations

import collections
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps

from ..images import check_image
from .convert import Block, Picture
from .messages import ImportRefused, Notes, snippet


@dataclass
class Photo:
    """A picture checked for the build: a usable one has its file name and, once shaped, its
    caption and credit."""

    number: int
    src: str
    data: bytes
    usable: bool
    reason: str = ""
    """Why a picture that is not usable was not imported."""
    caption: str | None = None
    credit: str | None = None


@dataclass
class Draft:
    """The article shaped: front matter, usable pictures, body blocks."""

    meta: dict[str, str] = field(default_factory=dict)
    photos: list[Photo] = field(default_factory=list)
    body: list[Block] = field(default_factory=list)


_FORMATS = {"JPEG": "jpg", "PNG": "png", "TIFF": "tif"}
_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/tiff": "tif", "image/gif": "gif",
          "image/bmp": "bmp", "image/x-emf": "emf", "image/x-wmf": "wmf",
          "image/svg+xml": "svg", "image/webp": "webp"}


def check_pictures(pictures: list[Picture], slug: str, tmp: Path,
                   article: Path) -> list[Photo]:
    """Every picture through the build's own checks; a usable one gets its file name."""
    photos: list[Photo] = []
    kept = 0
    (tmp / "images").mkdir()
    for picture in pictures:
        if not picture.data:
            photos.append(Photo(picture.number, "", b"", False, "it could not be read from "
                                 "the file; insert it again (Insert → Pictures)"))
            continue
        try:
            with Image.open(io.BytesIO(picture.data)) as probe:
                fmt = probe.format or ""
        except Exception:  # Pillow cannot even name it: check_image words the refusal
            fmt = ""
        ext = _FORMATS.get(fmt) or _TYPES.get(picture.content_type, "bin")
        src = f"images/{slug}-{kept + 1}.{ext}"
        (tmp / src).write_bytes(picture.data)
        info, findings = check_image(tmp, src, article, 0)
        if info is None:
            reason = "; ".join(f.message for f in findings)
            photos.append(Photo(picture.number, src, b"", False, reason))
            continue
        data, turned = _upright(picture.data)
        kept += 1
        photos.append(Photo(picture.number, src, data, True,
                             "turned" if turned else ""))
    return photos


def _upright(data: bytes) -> tuple[bytes, bool]:
    """The picture turned as its EXIF orientation says (the layout reads the stored size)."""
    with Image.open(io.BytesIO(data)) as image:
        if image.getexif().get(0x0112, 1) in (0, 1):
            return data, False
        fmt = image.format or "JPEG"
        turned = ImageOps.exif_transpose(image)
        out = io.BytesIO()
        extra: dict[str, Any] = {"quality": 95} if fmt == "JPEG" else {}
        if image.info.get("icc_profile"):
            extra["icc_profile"] = image.info["icc_profile"]
        turned.save(out, fmt, **extra)
        return out.getvalue(), True


_UP, _LOW = "А-ЯЁӘҒҚҢӨҰҮҺІ", "а-яёәғқңөұүһі"
_SURNAME = rf"[{_UP}](?:[{_LOW}]+|[{_UP}]+)(?:-[{_UP}](?:[{_LOW}]+|[{_UP}]+))?"
BYLINE = re.compile(rf"(?:(?:Текст|Автор)\s*:\s*)?(?:[{_UP}][{_LOW}]+|[{_UP}]\.(?:\s?[{_UP}]\.)?)"
                    rf"\s+{_SURNAME}(?:\s+{_SURNAME})?(?:\s*,\s*[^,.!?:;]{{1,40}})?")
"""A byline: «Анна Литвинова», «А. Литвинова», «Анна ЛИТВИНОВА, фото автора»."""
_CREDIT = [
    re.compile(r"(?P<caption>)(?P<credit>(?:фото|photo)\b.{0,80})", re.I),
    re.compile(r"(?P<caption>.*?[.!?…»\"”])\s+(?P<credit>(?:фото|photo)\b[^.!?]{0,80}\.?)", re.I),
    re.compile(r"(?P<caption>.*?)\s*\((?P<credit>(?:фото|photo)\b[^()]{0,80})\)\.?", re.I),
    re.compile(r"(?P<caption>.*?)\s+[/|–—-]\s+(?P<credit>(?:фото|photo)\b.{0,80})", re.I),
]


def split_credit(text: str) -> tuple[str | None, str | None]:
    """A caption and its trailing «Фото …» credit: ``("Гости в цехе.", "Фото автора")``."""
    for pattern in _CREDIT:
        match = pattern.fullmatch(text)
        if match:
            return match.group("caption").strip() or None, match.group("credit").strip()
    return text or None, None


def _is_rubric(block: Block) -> bool:
    text = block.text
    short = len(text.split()) <= 4 and len(text) <= 40 and not re.search(r"[.!?…]$", text)
    letters = [c for c in text if c.isalpha()]
    caps = bool(letters) and all(c.isupper() for c in letters)
    styled = block.role == "rubric" or (block.para is not None and block.para.caps)
    emphasised = all(s.marks for s in block.spans)
    return block.role == "rubric" or (short and (caps or styled or emphasised))


def shape_article(blocks: list[Block], photos: list[Photo], notes: Notes) -> Draft:
    """The blocks as an article: title, rubric, subtitle, lead and author into the front
    matter, pictures with their captions into ``photos:``, the rest into the body."""
    draft = Draft(photos=[p for p in photos if p.usable])
    by_number = {p.number: p for p in photos}
    blocks = _take_pictures(blocks, by_number, notes)
    if not any(b.text for b in blocks):
        raise ImportRefused("the document has no text to import")
    # the title: the Title style, else the first heading, else the first paragraph
    titled = [i for i, b in enumerate(blocks) if b.role == "title"]
    headed = [i for i, b in enumerate(blocks) if b.role.startswith("heading-")]
    if titled or headed:
        start = (titled or headed)[0]
    else:
        start = next((i for i, b in enumerate(blocks)
                      if not _is_rubric(b) and b.role in ("plain", "li", "dialogue")),
                     next(i for i, b in enumerate(blocks) if b.text))
        notes.add("no-title", "no paragraph has the Title or a Heading style: the first "
                  f"paragraph («{snippet(blocks[start].text)}») was taken as the title",
                  order=0)
    end = start + 1
    while end < len(blocks) and blocks[end].role == blocks[start].role and titled:
        end += 1
    meta: dict[str, list[str]] = collections.defaultdict(list)
    meta["title"] = [b.text for b in blocks[start:end]]
    body: list[Block] = []
    for block in blocks[:start]:
        if block.role in ("rubric", "subtitle", "lead", "author"):
            meta[block.role].append(block.text)
        elif _is_rubric(block) and not meta["rubric"]:
            meta["rubric"].append(block.text)
        else:
            notes.add("above-title", "text above the title was kept at the start of the body",
                      block.para)
            body.append(block)
    started = False
    for block in blocks[end:]:
        role = block.role
        if role in ("rubric", "lead", "author") or (role == "subtitle" and not started):
            meta[role].append(block.text)
            continue
        if role in ("title", "subtitle") or role.startswith("heading-"):
            block.role = "heading"
        elif role == "caption":
            block.role = "plain"
        started = True
        body.append(block)
    if not meta["author"]:
        last = next((b for b in reversed(body) if b.role != "note"), None)
        if last is not None and last.role == "plain" and BYLINE.fullmatch(last.text):
            meta["author"].append(last.text)
            body.remove(last)
    for key, joiner in (("title", " "), ("rubric", " "), ("subtitle", " "), ("lead", " "),
                        ("author", ", ")):
        if meta[key]:
            draft.meta[key] = joiner.join(meta[key])
    draft.body = body
    return draft


def _take_pictures(blocks: list[Block], photos: dict[int, Photo],
                   notes: Notes) -> list[Block]:
    """Pictures out of the text; the paragraph under a picture is its caption, and a
    trailing «Фото …» in it (or a line of its own under it) the credit."""
    out: list[Block] = []
    said: set[int] = set()
    i = 0
    while i < len(blocks):
        block = blocks[i]
        i += 1
        usable = []
        for number in block.pictures:
            photo = photos.get(number)
            if photo is None:
                continue
            said.add(number)
            if photo.usable:
                usable.append(photo)
                if photo.reason == "turned":
                    notes.add("picture", f"picture {number} carried an EXIF rotation; it was "
                              "saved upright, as Word shows it", block.para)
            else:
                notes.add("picture", f"picture {number} was not imported: {photo.reason}",
                          block.para)
        if block.text:
            if usable:
                notes.add("picture", "a picture inside the text was taken out of it and listed "
                          "under photos:", block.para)
            out.append(block)
            continue
        if not usable:
            continue
        photo = usable[-1]
        below = blocks[i] if i < len(blocks) else None
        if (below is not None and not below.pictures and below.role in ("plain", "caption")
                and (below.role == "caption" or len(below.text.split()) <= 60)):
            photo.caption, photo.credit = split_credit(below.text)
            i += 1
            after = blocks[i] if i < len(blocks) else None
            if (photo.credit is None and after is not None and after.role in ("plain", "caption")
                    and not after.pictures and split_credit(after.text)[0] is None):
                photo.credit = after.text
                i += 1
    for number, photo in sorted(photos.items()):
        if number not in said and not photo.usable:
            notes.add("picture", f"picture {number} was not imported: {photo.reason}")
        elif photo.usable and not photo.caption:
            notes.add("caption", f"picture {number} ({photo.src}) has no caption; write one "
                      "under photos:")
    return out
