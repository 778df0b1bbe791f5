"""A conformance check of the outputs: the rules of PDF/X-4, PDF/X-1a:2003 and PDF/A-2 that
matter to what typeset writes, checked with pikepdf (veraPDF is not at hand; PDFBox Preflight
knows only PDF/A-1).

:func:`check` runs every rule that applies to one output and returns the problems found, each
as ``rule: message``; :func:`subset_clashes` checks a set of files together. The tests run them
over every output of the demo editions (``tests/test_conformance.py``), with qpdf and
Ghostscript besides. Each rule is a small function:

* :func:`no_interpolation` — no image asks to be smoothed (ISO 19005-2 6.2.8.1);
* :func:`no_encryption_or_javascript` — nothing locked, nothing that runs;
* :func:`output_intent` — one OutputIntent of the right kind, carrying the printer's CMYK
  output profile;
* :func:`info_matches_xmp` — the Info dictionary and the XMP packet say the same;
* :func:`fonts_embedded` — every font embedded (``Length1`` given), with a ToUnicode map for
  every glyph it has widths for, named ``TAG+PostScriptName`` as its program is;
* :func:`no_transparency` — for PDF/X-1a: no soft mask, constant alpha, blend mode or group;
* :func:`ink_and_resolution` — every photo's total ink at its 99.9th percentile within the
  limit, every vector colour too, no photo above ``max_ppi``;
* :func:`black_overprints` — for press files: 100 % K paint overprints, nothing else does;
* :func:`page_boxes` — MediaBox at (0, 0), TrimBox within BleedBox within MediaBox.
"""

from __future__ import annotations

import hashlib
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pikepdf

from .fontmerge import parse_to_unicode
from .fontsubset import is_identity_cid_font, postscript_name, used_glyphs
from .inks import FILL_MODES, FILLS, STROKE_MODES, STROKES, TEXT_SHOW, State, is_black, process
from .preflight import TAC_TOLERANCE, image_coverage, transparency_in

Kind = Literal["press", "archive", "composite"]


@dataclass(frozen=True)
class Expected:
    """What an output must be."""

    kind: Kind
    profile: bytes | None = None
    """The printer's output profile (press files and archive)."""
    ink_limit: float = 240
    max_ppi: float = 300
    pdfx: str = "PDF/X-4"
    """GTS_PDFXVersion of a press file."""
    overprint_black: bool = True


Rule = Callable[[pikepdf.Pdf, Expected], list[str]]


def _streams(resources: pikepdf.Object, seen: set[tuple[int, int]]
             ) -> Iterator[tuple[pikepdf.Object, pikepdf.Object]]:
    """(holder, resources) of every form reachable from ``resources``."""
    xobjects = resources.get("/XObject", pikepdf.Dictionary()) if isinstance(
        resources, pikepdf.Dictionary) else pikepdf.Dictionary()
    for xobject in xobjects.values():
        if xobject.get("/Subtype") == "/Form" and xobject.objgen not in seen:
            seen.add(xobject.objgen)
            inner = xobject.get("/Resources", pikepdf.Dictionary())
            yield xobject, inner
            yield from _streams(inner, seen)


def content_holders(pdf: pikepdf.Pdf) -> Iterator[tuple[int, pikepdf.Object, pikepdf.Object]]:
    """(page number, holder, resources) of every page and every form it draws."""
    for number, page in enumerate(pdf.pages, start=1):
        resources = page.obj.get("/Resources", pikepdf.Dictionary())
        yield number, page.obj, resources
        for holder, inner in _streams(resources, set()):
            yield number, holder, inner


def _images(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Object]:
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image":
            yield obj


def no_interpolation(pdf: pikepdf.Pdf, expected: Expected) -> list[str]:
    found = [f"image {image.objgen[0]} has /Interpolate true" for image in _images(pdf)
             if bool(image.get("/Interpolate", False))]
    for number, holder, _ in content_holders(pdf):
        for instruction in pikepdf.parse_content_stream(holder):
            if isinstance(instruction, pikepdf.ContentStreamInlineImage) and bool(
                    instruction.iimage.obj.get("/I", False)):
                found.append(f"page {number}: an inline image has /I true")
    return found


def no_encryption_or_javascript(pdf: pikepdf.Pdf, expected: Expected) -> list[str]:
    found = ["the file is encrypted"] if pdf.is_encrypted else []
    names = pdf.Root.get("/Names", pikepdf.Dictionary())
    if "/JavaScript" in names:
        found.append("document-level JavaScript (/Names /JavaScript)")
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and (
                obj.get("/S") == "/JavaScript" or "/JS" in obj):
            found.append(f"object {obj.objgen[0]} is a JavaScript action")
    for holder in (pdf.Root, *(page.obj for page in pdf.pages)):
        if "/AA" in holder:
            found.append("additional actions (/AA)")
    return found


def output_intent(pdf: pikepdf.Pdf, expected: Expected) -> list[str]:
    if expected.kind == "composite":
        return []
    kind = "/GTS_PDFX" if expected.kind == "press" else "/GTS_PDFA1"
    intents = [i for i in pdf.Root.get("/OutputIntents", pikepdf.Array()) if i.get("/S") == kind]
    if len(intents) != 1:
        return [f"{len(intents)} OutputIntents {kind}, one is needed"]
    intent = intents[0]
    found = []
    profile = intent.get("/DestOutputProfile")
    if not isinstance(profile, pikepdf.Stream):
        return ["the OutputIntent carries no DestOutputProfile"]
    data = profile.read_bytes()
    if expected.profile is not None and data != expected.profile:
        found.append("the OutputIntent's profile is not the printer's")
    if data[12:16] != b"prtr" or data[16:20] != b"CMYK" or int(profile.get("/N", 0)) != 4:
        found.append("the OutputIntent's profile is not a CMYK output profile with /N 4")
    if not str(intent.get("/OutputConditionIdentifier", "")):
        found.append("the OutputIntent has no OutputConditionIdentifier")
    return found


XMP_NAMES = {"dc": "http://purl.org/dc/elements/1.1/", "xmp": "http://ns.adobe.com/xap/1.0/",
             "pdf": "http://ns.adobe.com/pdf/1.3/", "pdfxid": "http://www.npes.org/pdfx/ns/id/",
             "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
             "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#"}


def _xmp(pdf: pikepdf.Pdf) -> dict[str, str]:
    """The simple properties of the XMP packet and the first item of its arrays."""
    root = ET.fromstring(pdf.Root.Metadata.read_bytes().split(b"?>", 1)[1].rsplit(b"<?", 1)[0])
    values: dict[str, str] = {}
    for prefix, uri in XMP_NAMES.items():
        for element in root.iter():
            if element.tag.startswith(f"{{{uri}}}"):
                items = element.findall(".//rdf:li", XMP_NAMES)
                text = items[0].text if items else element.text
                values[f"{prefix}:{element.tag.split('}')[1]}"] = (text or "").strip()
    return values


def _xmp_date(pdf_date: str) -> str:
    """D:20240425000000+00'00' → 2024-04-25T00:00:00+00:00."""
    m = re.match(r"D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)([+-])(\d\d)'(\d\d)'", pdf_date)
    if m is None:
        return pdf_date
    y, mo, d, h, mi, s, sign, th, tm = m.groups()
    return f"{y}-{mo}-{d}T{h}:{mi}:{s}{sign}{th}:{tm}"


def info_matches_xmp(pdf: pikepdf.Pdf, expected: Expected) -> list[str]:
    if expected.kind == "composite":
        return []
    if "/Metadata" not in pdf.Root:
        return ["no XMP metadata"]
    if "/Filter" in pdf.Root.Metadata:
        return ["the XMP packet is compressed"]
    xmp, info = _xmp(pdf), pdf.trailer.get("/Info", pikepdf.Dictionary())
    pairs = {"/Title": "dc:title", "/Author": "dc:creator", "/Subject": "dc:description",
             "/Keywords": "pdf:Keywords", "/Producer": "pdf:Producer",
             "/Creator": "xmp:CreatorTool", "/Trapped": "pdf:Trapped",
             "/GTS_PDFXVersion": "pdfxid:GTS_PDFXVersion"}
    found = []
    for key, prop in pairs.items():
        if key not in info and prop not in xmp:
            continue
        value = str(info.get(key, "")).lstrip("/")
        if value != xmp.get(prop, ""):
            found.append(f"Info {key} {value!r} but XMP {prop} {xmp.get(prop, '')!r}")
    for key, prop in (("/CreationDate", "xmp:CreateDate"), ("/ModDate", "xmp:ModifyDate")):
        if _xmp_date(str(info.get(key, ""))) != xmp.get(prop, ""):
            found.append(f"Info {key} {str(info.get(key, ''))!r} but XMP {prop} "
                         f"{xmp.get(prop, '')!r}")
    if expected.kind == "press" and str(info.get("/GTS_PDFXVersion", "")) != expected.pdfx:
        found.append(f"GTS_PDFXVersion is not {expected.pdfx}")
    if expected.kind == "archive" and (xmp.get("pdfaid:part") != "2"
                                       or xmp.get("pdfaid:conformance") not in ("A", "B", "U")):
        found.append("no PDF/A-2 identification in the XMP packet")
    return found


def _fonts(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Object]:
    seen: set[tuple[int, int]] = set()
    for _, _, resources in content_holders(pdf):
        for font in resources.get("/Font", pikepdf.Dictionary()).values():
            if font.objgen not in seen:
                seen.add(font.objgen)
                yield font


def fonts_embedded(pdf: pikepdf.Pdf, expected: Expected) -> list[str]:
    """Every font embedded (a TrueType program with ``/Length1``). The fonts typeset subsets
    (Type0, glyph ids as CIDs) besides: a ToUnicode map for every glyph with a width, and
    BaseFont = FontName = ``TAG+`` the program's PostScript name."""
    found = []
    for font in _fonts(pdf):
        base = str(font.get("/BaseFont", "?"))
        if font.get("/Subtype") == "/Type3":
            continue
        parts = font.get("/DescendantFonts", [font])
        descriptor = parts[0].get("/FontDescriptor", pikepdf.Dictionary())
        program = next((descriptor[k] for k in ("/FontFile", "/FontFile2", "/FontFile3")
                        if k in descriptor), None)
        if program is None:
            found.append(f"{base} is not embedded")
            continue
        if "/FontFile2" in descriptor and "/Length1" not in program:
            found.append(f"{base}: FontFile2 has no /Length1")
        if not is_identity_cid_font(font):
            continue  # not a font typeset wrote (an advertiser's, in a form)
        if str(descriptor.get("/FontName")) != base:
            found.append(f"{base}: FontName is {descriptor.get('/FontName')}")
        if not re.fullmatch(r"/[A-Z]{6}\+.+", base):
            found.append(f"{base} has no subset tag")
        if (name := postscript_name(program.read_bytes())) != base[8:]:
            found.append(f"{base} names a font whose program is {name!r}")
        if "/ToUnicode" not in font:
            found.append(f"{base} has no ToUnicode map")
            continue
        mapped = parse_to_unicode(font.ToUnicode.read_bytes())
        unmapped = sorted(g for g in used_glyphs(font) - set(mapped) if g != 0)
        if unmapped:
            found.append(f"{base}: glyphs {unmapped[:5]} have no Unicode")
    return found


def no_transparency(pdf: pikepdf.Pdf, expected: Expected) -> list[str]:
    if expected.kind != "press" or not expected.pdfx.startswith("PDF/X-1a"):
        return []
    found = []
    for number, holder, resources in content_holders(pdf):
        found += [f"page {number}: {what}" for what in transparency_in(resources)]
        if "/Group" in holder:
            found.append(f"page {number}: a transparency group")
    found += [f"image {i.objgen[0]} has a soft mask" for i in _images(pdf) if "/SMask" in i]
    return found


def ink_and_resolution(pdf: pikepdf.Pdf, expected: Expected) -> list[str]:
    found = []
    for image in _images(pdf):
        if str(image.get("/ColorSpace")) != "/DeviceCMYK":
            continue
        coverage = image_coverage(image)
        if coverage.percentile > expected.ink_limit:
            found.append(f"image {image.objgen[0]}: {coverage.percentile:.1f} % total ink at "
                         f"its 99.9th percentile, above {expected.ink_limit:g} %")
    for number, holder, resources in content_holders(pdf):
        ctm = [1.0, 0.0, 0.0, 1.0]
        stack: list[list[float]] = []
        xobjects = resources.get("/XObject", pikepdf.Dictionary())
        for instruction in pikepdf.parse_content_stream(holder):
            if isinstance(instruction, pikepdf.ContentStreamInlineImage):
                continue
            operator, operands = str(instruction.operator), list(instruction.operands)
            if operator == "q":
                stack.append(ctm)
            elif operator == "Q" and stack:
                ctm = stack.pop()
            elif operator == "cm":
                a, b, c, d = (float(v) for v in operands[:4])
                ctm = [a * ctm[0] + b * ctm[2], a * ctm[1] + b * ctm[3],
                       c * ctm[0] + d * ctm[2], c * ctm[1] + d * ctm[3]]
            elif operator in ("k", "K", "scn", "SCN", "sc", "SC") and len(operands) == 4:
                tac = 100 * sum(float(v) for v in operands)
                if tac > expected.ink_limit + TAC_TOLERANCE:
                    found.append(f"page {number}: a colour of {tac:.0f} % total ink")
            elif operator == "Do" and holder.get("/Type") == "/Page":  # a form's CTM is its own
                image = xobjects.get(str(operands[0]), pikepdf.Dictionary())
                if image.get("/Subtype") != "/Image":
                    continue
                width_pt, height_pt = math.hypot(ctm[0], ctm[1]), math.hypot(ctm[2], ctm[3])
                ppi = min(int(image.Width) / width_pt, int(image.Height) / height_pt) * 72
                if ppi > expected.max_ppi + 0.5:
                    found.append(f"page {number}: a photo at {ppi:.0f} ppi, above "
                                 f"{expected.max_ppi:g}")
    return found


def black_overprints(pdf: pikepdf.Pdf, expected: Expected) -> list[str]:
    if expected.kind != "press" or not expected.overprint_black:
        return []
    found: set[str] = set()
    for number, holder, resources in content_holders(pdf):
        states = resources.get("/ExtGState", pikepdf.Dictionary())
        state = State()
        overprint: list[tuple[bool | None, bool | None, int]] = [(None, None, 0)]
        for instruction in pikepdf.parse_content_stream(holder):
            if isinstance(instruction, pikepdf.ContentStreamInlineImage):
                continue
            operator, operands = str(instruction.operator), list(instruction.operands)
            if operator == "q":
                overprint.append(overprint[-1])
            elif operator == "Q" and len(overprint) > 1:
                overprint.pop()
            elif operator == "gs":
                gs = states.get(str(operands[0]), pikepdf.Dictionary())
                fill, stroke, mode = overprint[-1]
                stroke = bool(gs.OP) if "/OP" in gs else stroke
                fill = bool(gs.op) if "/op" in gs else (stroke if "/OP" in gs else fill)
                overprint[-1] = (fill, stroke, int(gs.get("/OPM", mode)))
            painted: list[tuple[str, bool]] = []
            if operator in TEXT_SHOW:
                painted = ([("fill", is_black(state.fill))] if state.render_mode in FILL_MODES
                           else []) + ([("stroke", is_black(state.stroke))]
                                       if state.render_mode in STROKE_MODES else [])
            elif operator in FILLS or operator in STROKES:
                painted = ([("fill", is_black(state.fill))] if operator in FILLS else []) + (
                    [("stroke", is_black(state.stroke))] if operator in STROKES else [])
            fill, stroke, mode = overprint[-1]
            for what, black in painted:
                colour = state.fill if what == "fill" else state.stroke
                if process(colour) is None:
                    continue  # the registration colour and other separations
                on = fill if what == "fill" else stroke
                if black and not (on and mode == 1):
                    found.add(f"page {number}: 100 % K {what} ({operator}) does not overprint")
                elif not black and on:
                    found.add(f"page {number}: a {what} in {colour[1]} overprints")
            state.update(operator, operands)
    return sorted(found)


def page_boxes(pdf: pikepdf.Pdf, expected: Expected) -> list[str]:
    found = []
    for number, page in enumerate(pdf.pages, start=1):
        media = [float(v) for v in page.obj.MediaBox]
        if media[0] != 0 or media[1] != 0:
            found.append(f"page {number}: the MediaBox starts at {media[:2]}, not at (0, 0)")
        boxes = [media]
        for key in ("/BleedBox", "/TrimBox"):
            if key in page.obj:
                box = [float(v) for v in page.obj[key]]
                outer = boxes[-1]
                if (box[0] < outer[0] - 0.01 or box[1] < outer[1] - 0.01
                        or box[2] > outer[2] + 0.01 or box[3] > outer[3] + 0.01):
                    found.append(f"page {number}: {key} is not inside the box around it")
                boxes.append(box)
        if expected.kind == "press" and "/TrimBox" not in page.obj:
            found.append(f"page {number}: no TrimBox")
    return found


RULES: tuple[Rule, ...] = (no_interpolation, no_encryption_or_javascript, output_intent,
                           info_matches_xmp, fonts_embedded, no_transparency,
                           ink_and_resolution, black_overprints, page_boxes)


def check(path: Path, expected: Expected) -> list[str]:
    """Every rule that applies to the output at ``path``: the problems, ``rule: message``."""
    with pikepdf.open(path) as pdf:
        return [f"{rule.__name__}: {problem}" for rule in RULES
                for problem in rule(pdf, expected)]


def font_programs(path: Path) -> dict[str, str]:
    """Every embedded font's name (with its subset tag) → the SHA-256 of its program."""
    programs: dict[str, str] = {}
    with pikepdf.open(path) as pdf:
        for font in _fonts(pdf):
            descriptor = font.get("/DescendantFonts", [font])[0].get("/FontDescriptor")
            for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                if descriptor is not None and key in descriptor:
                    programs[str(font.BaseFont)] = hashlib.sha256(
                        descriptor[key].read_bytes()).hexdigest()
    return programs


def subset_clashes(paths: Iterable[Path]) -> list[str]:
    """Font names that stand for different font programs in ``paths`` (one name, one font)."""
    seen: dict[str, tuple[str, Path]] = {}
    found = []
    for path in paths:
        for name, digest in font_programs(path).items():
            first = seen.setdefault(name, (digest, path))
            if first[0] != digest:
                found.append(f"{name} is one font in {first[1].name}, another in {path.name}")
    return found
