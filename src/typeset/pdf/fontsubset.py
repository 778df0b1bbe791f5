"""Font subsets: every font program typeset writes is subset here, by the uharfbuzz wheel.

WeasyPrint would subset each page's fonts itself with the system's ``libharfbuzz-subset`` when
it is installed and with fontTools when it is not, so the bytes of every output would depend on
the machine. It embeds its fonts whole instead (:meth:`typeset.render.engine.Renderer.page_pdf`)
and typeset subsets them here, always with the HarfBuzz that the ``uharfbuzz`` wheel ships (a
fixed version, recorded in report.json as :data:`SUBSETTER`), from the layout's own font file.

Glyph ids are kept (WeasyPrint writes ``CIDToGIDMap /Identity``), so content streams stay valid.
The subset tag is derived from the source font and the glyph set (:func:`subset_tag`): two fonts
of the same name are the same font program, in one file or across all the press files.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pikepdf
import uharfbuzz as hb

SUBSETTER = f"uharfbuzz {hb.__version__} (HarfBuzz {hb.version_string()})"
"""What subsets every font, for the build record."""

DROP_TABLES = ("BASE", "DSIG", "EBDT", "EBLC", "EBSC", "GDEF", "GPOS", "GSUB", "JSTF", "LTSH",
               "MATH", "PCLT", "SVG ", "gasp", "kern", "morx", "meta", "STAT")
"""Tables a PDF viewer never reads: the text is already shaped and positioned."""
FLAGS = (hb.SubsetFlags.RETAIN_GIDS | hb.SubsetFlags.NO_HINTING | hb.SubsetFlags.NOTDEF_OUTLINE
         | hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED)


def subset_font(font: bytes, gids: Iterable[int]) -> bytes:
    """``font`` reduced to the glyphs ``gids`` (and .notdef), glyph ids unchanged, no hinting."""
    request = hb.SubsetInput()
    request.glyph_set.update(sorted({0, *gids}))
    drop = request.sets(hb.SubsetInputSets.DROP_TABLE_TAG)
    for tag in DROP_TABLES:
        drop.add(int.from_bytes(tag.encode("ascii"), "big"))  # hb_tag_t
    request.flags = FLAGS
    subset = hb.subset(hb.Face(hb.Blob(font)), request)
    if subset is None:
        raise ValueError("HarfBuzz could not subset the font")
    return bytes(subset.blob.data)


def subset_tag(source_sha: str, gids: Iterable[int]) -> str:
    """Six capitals derived from the source font's SHA-256 and the glyph set (ISO 32000 9.6.4:
    the tag names the subset; here equal tags mean equal subsets)."""
    seed = source_sha + ":" + ",".join(map(str, sorted({0, *gids})))
    digest = hashlib.sha256(seed.encode()).digest()
    return "".join(chr(ord("A") + b % 26) for b in digest[:6])


def postscript_name(font: bytes) -> str:
    """The font's PostScript name (name ID 6), what BaseFont and FontName must say."""
    face = hb.Face(hb.Blob(font))
    return str(face.get_name(hb.OTNameIdPredefined.POSTSCRIPT_NAME) or "")


@dataclass(frozen=True)
class SourceFont:
    """A font file of the layout: its bytes, their digest and its PostScript name."""

    data: bytes
    sha256: str
    name: str

    @classmethod
    def of(cls, data: bytes) -> SourceFont:
        return cls(data, hashlib.sha256(data).hexdigest(), postscript_name(data))


@lru_cache(maxsize=64)
def _layout_font(path: Path, size: int, mtime: int) -> SourceFont:
    return SourceFont.of(path.read_bytes())


def layout_fonts(files: Sequence[Path]) -> dict[str, SourceFont]:
    """The layout's font files by PostScript name (read once per process)."""
    fonts: dict[str, SourceFont] = {}
    for path in files:
        stat = path.stat()
        font = _layout_font(path, stat.st_size, stat.st_mtime_ns)
        fonts.setdefault(font.name, font)
    return fonts


def embed_subset(pdf: pikepdf.Pdf, font: pikepdf.Object, source: SourceFont,
                 gids: set[int]) -> None:
    """Give the Type0 font ``font`` the subset of ``source`` to ``gids``: font program, subset
    tag and names (BaseFont, CIDFont BaseFont, FontName all ``TAG+PostScriptName``)."""
    data = subset_font(source.data, gids)
    name = pikepdf.Name(f"/{subset_tag(source.sha256, gids)}+{source.name}")
    descendant = font.DescendantFonts[0]
    descriptor = descendant.FontDescriptor
    stream = pikepdf.Stream(pdf, data)
    if "/FontFile3" in descriptor:  # OpenType with CFF outlines
        stream.Subtype = pikepdf.Name.OpenType
        descriptor.FontFile3 = stream
    else:
        stream.Length1 = len(data)
        descriptor.FontFile2 = stream
    descriptor.FontName = name
    if "/CIDSet" in descriptor:  # optional in PDF/A-2; it would have to list every glyph kept
        del descriptor["/CIDSet"]
    descendant.BaseFont = name
    font.BaseFont = name


def used_glyphs(font: pikepdf.Object) -> set[int]:
    """The glyph ids a WeasyPrint Type0 font uses: the keys of its /W widths array."""
    widths = font.DescendantFonts[0].get("/W")
    gids: set[int] = set()
    if not isinstance(widths, pikepdf.Array):
        return gids
    items = list(widths)
    i = 0
    while i < len(items) - 1:
        first, nxt = int(items[i]), items[i + 1]
        if isinstance(nxt, pikepdf.Array):
            gids.update(range(first, first + len(nxt)))
            i += 2
        else:
            gids.update(range(first, int(nxt) + 1))
            i += 3
    return gids


def is_identity_cid_font(font: pikepdf.Object) -> bool:
    """A Type0 font with an embedded OpenType CIDFont (TrueType or CFF outlines) whose CIDs are
    glyph ids, as WeasyPrint writes every font."""
    if font.get("/Subtype") != pikepdf.Name.Type0 or "/DescendantFonts" not in font:
        return False
    descendant = font.DescendantFonts[0]
    descriptor = descendant.get("/FontDescriptor")
    return (descendant.get("/CIDToGIDMap") == pikepdf.Name.Identity
            and isinstance(descriptor, pikepdf.Dictionary)
            and ("/FontFile2" in descriptor or "/FontFile3" in descriptor))


def font_program(font: pikepdf.Object) -> bytes:
    """The embedded font program of a Type0 font."""
    descriptor = font.DescendantFonts[0].FontDescriptor
    key = "/FontFile2" if "/FontFile2" in descriptor else "/FontFile3"
    return bytes(descriptor[key].read_bytes())


def source_of(font: pikepdf.Object, layout: dict[str, SourceFont]) -> SourceFont:
    """The layout's file of an embedded font (by PostScript name), else the embedded program
    itself (a font the layout does not have: the build reports it as substituted)."""
    embedded = font_program(font)
    found = layout.get(postscript_name(embedded))
    return found if found is not None else SourceFont.of(embedded)


def subset_page_fonts(pdf: pikepdf.Pdf, font_files: Sequence[Path]) -> None:
    """Subset every font of ``pdf`` (one rendered page) from the layout's files."""
    layout = layout_fonts(font_files)
    done: set[tuple[int, int]] = set()
    for page in pdf.pages:
        for font in _fonts(page.obj.get("/Resources"), set()):
            if font.objgen in done or not is_identity_cid_font(font):
                continue
            done.add(font.objgen)
            embed_subset(pdf, font, source_of(font, layout), used_glyphs(font))


def _fonts(resources: pikepdf.Object | None, seen: set[tuple[int, int]]
           ) -> list[pikepdf.Object]:
    if not isinstance(resources, pikepdf.Dictionary):
        return []
    found = list(resources.get("/Font", pikepdf.Dictionary()).values())
    for xobject in resources.get("/XObject", pikepdf.Dictionary()).values():
        if xobject.get("/Subtype") == pikepdf.Name.Form and xobject.objgen not in seen:
            seen.add(xobject.objgen)
            found += _fonts(xobject.get("/Resources"), seen)
    return found
