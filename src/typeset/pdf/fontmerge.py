"""Merging pages rendered separately into one PDF that embeds each font once.

Pages are rendered one by one (so that an unchanged page comes from the cache and pages render in
parallel); each page's PDF then carries its own subset of every font it uses
(:func:`typeset.pdf.fontsubset.subset_page_fonts`). Appending them naively would embed every font
eight times. Here every face is subset once, from the layout's own font file, to the union of the
glyphs all pages use: WeasyPrint keeps original glyph ids (``CIDToGIDMap /Identity``), so the
pages' content streams stay valid and only their font resources are pointed at the merged font.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf

from .ads import is_ad_form
from .fontsubset import SourceFont, embed_subset, is_identity_cid_font, layout_fonts


@dataclass
class Face:
    """One font face as used across the pages."""

    name: str
    """The PostScript name, e.g. ``NotoSerif-Bold`` (the PDF font name without its tag)."""
    source: SourceFont
    """The layout's font file."""
    widths: dict[int, int] = field(default_factory=dict)
    unicode: dict[int, str] = field(default_factory=dict)
    """Glyph id → the hex UTF-16 text it stands for (from ToUnicode)."""
    sample: pikepdf.Object | None = None
    """One of the pages' Type0 font dictionaries, to copy descriptors from."""


def _parse_widths(array: pikepdf.Array) -> dict[int, int]:
    widths: dict[int, int] = {}
    items = list(array)
    i = 0
    while i < len(items):
        first = int(items[i])
        nxt = items[i + 1]
        if isinstance(nxt, pikepdf.Array):
            for offset, width in enumerate(nxt):
                widths[first + offset] = int(width)
            i += 2
        else:
            last, common = int(nxt), int(items[i + 2])
            for gid in range(first, last + 1):
                widths[gid] = common
            i += 3
    return widths


_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)
_HEX = re.compile(rb"<([0-9A-Fa-f]+)>")


def parse_to_unicode(data: bytes) -> dict[int, str]:
    """A ToUnicode CMap: code → the hex UTF-16 text it stands for."""
    mapping: dict[int, str] = {}
    for block in _BFCHAR.findall(data):
        codes = _HEX.findall(block)
        for src, dst in zip(codes[::2], codes[1::2], strict=False):
            mapping[int(src, 16)] = dst.decode().upper()
    for block in _BFRANGE.findall(data):
        for line in block.splitlines():
            codes = _HEX.findall(line)
            if len(codes) == 3 and b"[" not in line:
                low, high, start = int(codes[0], 16), int(codes[1], 16), int(codes[2], 16)
                width = len(codes[2])
                for gid in range(low, high + 1):
                    mapping[gid] = f"{start + gid - low:0{width}X}"
            elif len(codes) >= 3:
                low = int(codes[0], 16)
                for offset, dst in enumerate(codes[2:]):
                    mapping[low + offset] = dst.decode().upper()
    return mapping


def _to_unicode_cmap(mapping: dict[int, str]) -> bytes:
    lines = [b"/CIDInit /ProcSet findresource begin", b"12 dict begin", b"begincmap",
             b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
             b"/CMapName /Adobe-Identity-UCS def", b"/CMapType 2 def",
             b"1 begincodespacerange", b"<0000> <FFFF>", b"endcodespacerange"]
    items = sorted(mapping.items())
    for start in range(0, len(items), 100):
        chunk = items[start:start + 100]
        lines.append(f"{len(chunk)} beginbfchar".encode())
        lines.extend(f"<{gid:04X}> <{text}>".encode() for gid, text in chunk)
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines) + b"\n"


def _widths_array(widths: dict[int, int]) -> pikepdf.Array:
    out: list[object] = []
    run: list[int] = []
    start = previous = -2
    for gid in sorted(widths):
        if gid != previous + 1 and run:
            out += [start, pikepdf.Array(run)]
            run = []
        if not run:
            start = gid
        run.append(widths[gid])
        previous = gid
    if run:
        out += [start, pikepdf.Array(run)]
    return pikepdf.Array(out)


def _font_dicts(resources: pikepdf.Object | None, seen: set[tuple[int, int]]
                ) -> list[tuple[pikepdf.Object, str]]:
    """(Font resource dictionary, key) of every Type0 font reachable from ``resources``; an
    advertising module keeps the fonts its advertiser embedded (:mod:`typeset.pdf.ads`)."""
    found: list[tuple[pikepdf.Object, str]] = []
    if not isinstance(resources, pikepdf.Dictionary):
        return found
    fonts = resources.get("/Font")
    if isinstance(fonts, pikepdf.Dictionary):
        for key in sorted(fonts.keys()):  # pikepdf gives a set: an order of its own
            font = fonts[key]
            if font.get("/Subtype") == pikepdf.Name.Type0:
                found.append((fonts, key))
    xobjects = resources.get("/XObject")
    if isinstance(xobjects, pikepdf.Dictionary):
        for key in sorted(xobjects.keys()):
            xobject = xobjects[key]
            if is_ad_form(key):
                continue
            if xobject.get("/Subtype") == pikepdf.Name.Form and xobject.objgen not in seen:
                seen.add(xobject.objgen)
                found += _font_dicts(xobject.get("/Resources"), seen)
    return found


def _copy_except(source: pikepdf.Object, *dropped: str) -> pikepdf.Dictionary:
    keys: list[str] = list(source.keys())
    return pikepdf.Dictionary({key: source[key] for key in keys if key not in dropped})


def merge_fonts(pdf: pikepdf.Pdf, font_files: list[Path]) -> None:
    """Point every page's fonts at one subset per face."""
    layout = layout_fonts(font_files)
    faces: dict[str, Face] = {}
    refs: list[tuple[pikepdf.Object, str, str]] = []
    seen: set[tuple[int, int]] = set()
    for page in pdf.pages:
        for fonts, key in _font_dicts(page.obj.get("/Resources"), seen):
            font = fonts[key]
            if not is_identity_cid_font(font):
                continue  # not a font WeasyPrint wrote with original glyph ids: leave it
            name = str(font.BaseFont).lstrip("/")
            name = name.split("+", 1)[1] if "+" in name[:8] else name
            source = layout.get(name)
            if source is None:
                continue  # unknown to the layout: the page keeps its own subset (the font check
                # reports the font)
            face = faces.setdefault(name, Face(name, source=source))
            widths = font.DescendantFonts[0].get("/W")
            if isinstance(widths, pikepdf.Array):
                face.widths.update(_parse_widths(widths))
            if "/ToUnicode" in font:
                face.unicode.update(parse_to_unicode(font.ToUnicode.read_bytes()))
            if face.sample is None:
                face.sample = font
            refs.append((fonts, key, name))
    merged: dict[str, pikepdf.Object] = {}
    for name, face in sorted(faces.items()):
        assert face.sample is not None
        sample = face.sample
        descriptor = _copy_except(sample.DescendantFonts[0].FontDescriptor,
                                  "/FontFile2", "/CIDSet")  # embed_subset replaces a FontFile3
        descendant = _copy_except(sample.DescendantFonts[0], "/W", "/FontDescriptor")
        descendant.W = _widths_array(face.widths)
        descendant.FontDescriptor = pdf.make_indirect(descriptor)
        font = _copy_except(sample, "/DescendantFonts", "/ToUnicode")
        font.DescendantFonts = pikepdf.Array([pdf.make_indirect(descendant)])
        if face.unicode:
            font.ToUnicode = pikepdf.Stream(pdf, _to_unicode_cmap(face.unicode))
        embed_subset(pdf, font, face.source, set(face.widths))
        merged[name] = pdf.make_indirect(font)
    for fonts, key, name in refs:
        if name in merged:
            fonts[key] = merged[name]


def merge_images(pdf: pikepdf.Pdf) -> None:
    """Point every use of the same image (same data, same dictionary) at one object: pages
    rendered apart each embed their own copy of a photo or logo they share."""
    first: dict[str, pikepdf.Object] = {}
    seen: set[tuple[int, int]] = set()

    def visit(resources: pikepdf.Object | None) -> None:
        if not isinstance(resources, pikepdf.Dictionary):
            return
        xobjects = resources.get("/XObject")
        if not isinstance(xobjects, pikepdf.Dictionary):
            return
        for key in sorted(xobjects.keys()):
            xobject = xobjects[key]
            if xobject.get("/Subtype") == pikepdf.Name.Form:
                if xobject.objgen not in seen:
                    seen.add(xobject.objgen)
                    visit(xobject.get("/Resources"))
                continue
            if xobject.get("/Subtype") != pikepdf.Name.Image or "/SMask" in xobject:
                continue  # an image with a soft mask keeps its own (the mask is another image)
            sha = hashlib.sha256(xobject.read_raw_bytes())
            sha.update(repr(sorted((k, repr(v)) for k, v in xobject.items()
                                   if k != "/Length")).encode())
            kept = first.setdefault(sha.hexdigest(), xobject)
            if kept.objgen != xobject.objgen:
                xobjects[key] = kept

    for page in pdf.pages:
        visit(page.obj.get("/Resources"))


def merge_pages(pages: list[bytes], font_files: list[Path]) -> bytes:
    """One PDF of the given single-page PDFs, each font and each image embedded once."""
    pdf = pikepdf.new()
    sources = [pikepdf.open(io.BytesIO(data)) for data in pages]
    try:
        for source in sources:
            pdf.pages.extend(source.pages)
        first = sources[0]
        pdf.docinfo = pdf.copy_foreign(first.docinfo)  # type: ignore[assignment]
        for key in ("/Lang", "/ViewerPreferences", "/MarkInfo"):
            if key in first.Root:
                value = first.Root[key]
                pdf.Root[key] = pdf.copy_foreign(value) if value.is_indirect else value
        merge_fonts(pdf, font_files)
        merge_images(pdf)
        pdf.remove_unreferenced_resources()
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, compress_streams=True,
                 stream_decode_level=pikepdf.StreamDecodeLevel.none,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return out.getvalue()
    finally:
        for source in sources:
            source.close()
