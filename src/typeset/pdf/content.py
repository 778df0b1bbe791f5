"""Normalising a rendered page's content: what WeasyPrint writes, made fit for print.

WeasyPrint draws crop marks in RGB black with a fully transparent fill: they become strokes in
the registration colour (:data:`typeset.pdf.inks.REGISTRATION_NAME`, printed on every plate),
and every grey given in RGB becomes K (:func:`rewrite_content`). Text smaller than the printer's
``min_color_text_pt`` prints in one solid ink (:func:`typeset.pdf.inks.solid_small_text`).
Images lose ``/Interpolate`` (PDF/A forbids it; a press must not smooth photos). The page's
origin moves to (0, 0): WeasyPrint puts the trim box there and the bleed at negative
coordinates, which some RIPs and imposition tools refuse. Every page and form gets resources of
its own holding only what its content uses (WeasyPrint shares one dictionary for all), so that a
page split off the edition carries only its own fonts and images. These are conformance fixes
of the rendered pages: they apply to every layout and every output. Images are renamed in
the order they are drawn (:func:`stable_image_names`): WeasyPrint names them by a digest of
their absolute path, which would give the same edition other bytes in another folder.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path

import pikepdf

from ..compose.linebreaks import BrokenWord
from .fontsubset import subset_page_fonts
from .inks import REGISTRATION_NAME, registration_space, solid_small_text
from .inks import op as instruction_of
from .preflight import transparency_in
from .text import mark_ops

Ops = list[pikepdf.ContentStreamInstruction | pikepdf.ContentStreamInlineImage]
NAMED_RESOURCES = {"Tf": "/Font", "Do": "/XObject", "gs": "/ExtGState", "cs": "/ColorSpace",
                   "CS": "/ColorSpace", "sh": "/Shading"}
NO_FILL = {"B": "S", "B*": "S", "b": "s", "b*": "s", "f": "n", "F": "n", "f*": "n"}


def _num(value: object) -> float:
    return float(value)  # type: ignore[arg-type]


def _grey_rgb(operands: Sequence[object]) -> float | None:
    """The grey level of an RGB colour whose three components are equal, else None."""
    values = [_num(v) for v in operands]
    return values[0] if len(values) == 3 and max(values) - min(values) < 1e-6 else None


def rewrite_content(ops: Ops, resources: pikepdf.Object) -> tuple[Ops, bool]:
    """RGB greys -> K; paths painted with a fully transparent fill are stroked only, in the
    registration colour (WeasyPrint draws crop marks so). Returns the new operators and
    whether anything changed."""
    states = resources.get("/ExtGState", pikepdf.Dictionary())
    out: Ops = []
    changed = False
    fill_alpha, stack = 1.0, []
    for instruction in ops:
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            out.append(instruction)
            continue
        operands, op = list(instruction.operands), str(instruction.operator)
        if op == "q":
            stack.append(fill_alpha)
        elif op == "Q" and stack:
            fill_alpha = stack.pop()
        elif op == "gs" and str(operands[0]) in states:
            state = states[str(operands[0])]
            if "/ca" in state and set(state.keys()) <= {"/ca", "/Type"} and _num(state.ca) == 0:
                fill_alpha, changed = 0.0, True
                continue
        elif (op in ("RG", "K", "G") and fill_alpha == 0
              and (tint := _stroke_tint(op, operands)) is not None):
            out.append(pikepdf.ContentStreamInstruction(
                [pikepdf.Name(REGISTRATION_NAME)], pikepdf.Operator("CS")))
            operands, op = [pikepdf.Object.parse(f"{tint:.4f}".encode())], "SCN"
            changed = True
        elif op in ("rg", "RG") and (grey := _grey_rgb(operands)) is not None:
            operands = [pikepdf.Object.parse(b"0")] * 3 + [
                pikepdf.Object.parse(f"{1 - grey:.4f}".encode())]
            op, changed = ("k" if op == "rg" else "K"), True
        elif op in NO_FILL and fill_alpha == 0:
            op, changed = NO_FILL[op], True
        out.append(pikepdf.ContentStreamInstruction(operands, pikepdf.Operator(op)))
    return out, changed


def _stroke_tint(op: str, operands: Sequence[object]) -> float | None:
    """How much of the registration colour a crop mark's stroke colour asks for (its grey)."""
    values = [_num(v) for v in operands]
    if op == "RG":
        grey = _grey_rgb(operands)
        return None if grey is None else 1 - grey
    if op == "G":
        return 1 - values[0]
    return values[3] if len(values) == 4 and max(values[:3]) < 1e-6 else None


def stable_image_names(ops: Ops, resources: pikepdf.Object) -> tuple[Ops, pikepdf.Object]:
    """Images drawn by ``ops`` renamed ``/Im1``, ``/Im2``… in the order they are first drawn;
    returns the new operators and resources that also hold the new names (the given ones,
    which WeasyPrint shares among pages, are left as they are)."""
    xobjects = resources.get("/XObject")
    if not isinstance(xobjects, pikepdf.Dictionary):
        return ops, resources
    names: dict[str, str] = {}
    out: Ops = []
    for instruction in ops:
        if (not isinstance(instruction, pikepdf.ContentStreamInlineImage)
                and str(instruction.operator) == "Do" and instruction.operands
                and str(instruction.operands[0]) in xobjects
                and xobjects[str(instruction.operands[0])].get("/Subtype") == "/Image"):
            new = names.setdefault(str(instruction.operands[0]), f"/Im{len(names) + 1}")
            instruction = pikepdf.ContentStreamInstruction([pikepdf.Name(new)],
                                                           instruction.operator)
        out.append(instruction)
    if not names:
        return ops, resources
    renamed = pikepdf.Dictionary({key: xobjects[key] for key in xobjects.keys()})  # noqa: SIM118 - pikepdf keys are names
    for old, new in names.items():
        renamed[new] = xobjects[old]
    copy = pikepdf.Dictionary({key: resources[key] for key in resources.keys()})  # noqa: SIM118
    copy["/XObject"] = renamed
    return out, copy


def used_names(ops: Ops) -> dict[str, set[str]]:
    used: dict[str, set[str]] = {}
    for instruction in ops:
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            continue
        op, operands = str(instruction.operator), instruction.operands
        kind = NAMED_RESOURCES.get(op)
        if kind and operands and isinstance(operands[0], pikepdf.Name):
            used.setdefault(kind, set()).add(str(operands[0]))
        elif op in ("scn", "SCN") and operands and isinstance(operands[-1], pikepdf.Name):
            used.setdefault("/Pattern", set()).add(str(operands[-1]))
    return used


def _own_resources(pdf: pikepdf.Pdf, resources: pikepdf.Object, ops: Ops
                   ) -> pikepdf.Dictionary:
    """A resource dictionary with only what ``ops`` names (WeasyPrint shares one for all)."""
    own = pikepdf.Dictionary()
    for kind, names in sorted(used_names(ops).items()):
        if kind not in resources:
            continue
        source = resources[kind]
        subset = pikepdf.Dictionary({n: source[n] for n in sorted(names) if n in source})
        if len(subset):
            own[kind] = subset
    for key in ("/Properties", "/ProcSet"):
        if key in resources:
            own[key] = resources[key]
    return own


def _normalise_stream(pdf: pikepdf.Pdf, holder: pikepdf.Object, data: bytes,
                      done: set[tuple[int, int]], solid_below: float,
                      broken: Sequence[BrokenWord] = ()) -> bytes:
    resources = holder.get("/Resources", pikepdf.Dictionary())
    ops: Ops = list(pikepdf.parse_content_stream(pikepdf.Stream(pdf, data)))
    ops, marks = rewrite_content(ops, resources)
    ops, _ = solid_small_text(ops, solid_below)
    if broken:
        box = holder.get("/TrimBox", holder.get("/MediaBox", pikepdf.Array([0, 0, 0, 0])))
        trim = [float(v) for v in box]
        ops, _ = mark_ops(ops, resources, trim, broken)
    ops, resources = stable_image_names(ops, resources)
    own = _own_resources(pdf, resources, ops)
    if marks and any(isinstance(i, pikepdf.ContentStreamInstruction)
                     and str(i.operator) == "CS" and str(i.operands[0]) == REGISTRATION_NAME
                     for i in ops):
        spaces = own.get("/ColorSpace", pikepdf.Dictionary())
        spaces[REGISTRATION_NAME] = registration_space(pdf)
        own.ColorSpace = spaces
    for xobject in own.get("/XObject", pikepdf.Dictionary()).values():
        if xobject.get("/Subtype") == "/Image":
            _no_interpolation(xobject)
        if xobject.get("/Subtype") == "/Form" and xobject.objgen not in done:
            done.add(xobject.objgen)
            form_data = _normalise_stream(pdf, xobject, xobject.read_bytes(), done, solid_below)
            xobject.write(form_data)
            if "/Group" in xobject and not _has_transparency(xobject):
                del xobject["/Group"]
            elif "/Group" in xobject:
                xobject.Group.CS = pikepdf.Name.DeviceCMYK
    holder.Resources = own
    return pikepdf.unparse_content_stream(ops)


def _no_interpolation(image: pikepdf.Object) -> None:
    """No ``/Interpolate`` (ISO 19005-2 6.2.8.1; WeasyPrint 70 sets it on every image)."""
    for item in (image, image.get("/SMask"), image.get("/Mask")):
        if isinstance(item, pikepdf.Stream) and "/Interpolate" in item:
            del item["/Interpolate"]


def _move_origin(pdf: pikepdf.Pdf, page: pikepdf.Page) -> None:
    """Put the MediaBox's lower left corner at (0, 0): the content moves with a ``cm`` ahead of
    it, the page boxes and annotations by the same offset."""
    media = [float(v) for v in page.obj.MediaBox]
    dx, dy = -media[0], -media[1]
    if abs(dx) < 1e-6 and abs(dy) < 1e-6:
        return
    shift = instruction_of("cm", 1, 0, 0, 1, pikepdf.Object.parse(f"{dx:.4f}".encode()),
                           pikepdf.Object.parse(f"{dy:.4f}".encode()))
    page.obj.Contents = pikepdf.Stream(
        pdf, pikepdf.unparse_content_stream([shift]) + b"\n" + page.obj.Contents.read_bytes())
    for key in ("/MediaBox", "/CropBox", "/BleedBox", "/TrimBox", "/ArtBox"):
        if key in page.obj:
            page.obj[key] = _shifted(page.obj[key], dx, dy)
    for annot in page.obj.get("/Annots", pikepdf.Array()):
        if "/Rect" in annot:
            annot.Rect = _shifted(annot.Rect, dx, dy)
        if "/QuadPoints" in annot:
            annot.QuadPoints = _shifted(annot.QuadPoints, dx, dy)


def _shifted(values: pikepdf.Object, dx: float, dy: float) -> pikepdf.Array:
    return pikepdf.Array([Decimal(f"{float(v) + (dy if i % 2 else dx):.4f}")
                          for i, v in enumerate(values)])


def _has_transparency(xobject: pikepdf.Object) -> bool:
    return bool(transparency_in(xobject.get("/Resources", pikepdf.Dictionary())))


def normalise(pdf: pikepdf.Pdf, solid_below: float = 9.0,
              broken: Mapping[int, Sequence[BrokenWord]] | None = None) -> None:
    """Everything the module says, for every page: crop marks, greys, small text, images,
    origin, resources of its own; the ``broken`` words of each page (by index) marked to read
    whole (:mod:`typeset.pdf.text`)."""
    done: set[tuple[int, int]] = set()
    for index, page in enumerate(pdf.pages):
        page.contents_coalesce()
        data = _normalise_stream(pdf, page.obj, page.obj.Contents.read_bytes(), done,
                                 solid_below, (broken or {}).get(index, ()))
        page.obj.Contents = pikepdf.Stream(pdf, data)
        if "/Group" in page.obj:
            page.obj.Group.CS = pikepdf.Name.DeviceCMYK
        _move_origin(pdf, page)


def normalise_page(data: bytes, font_files: Sequence[Path], solid_below: float,
                   broken: Sequence[BrokenWord] = ()) -> bytes:
    """One rendered page (a PDF of its own), normalised, its fonts subset from the layout's
    ``font_files``; text smaller than ``solid_below`` points in one solid ink; the ``broken``
    words marked to read whole (:func:`typeset.pdf.text.mark_broken_words`)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        normalise(pdf, solid_below, {0: broken})
        subset_page_fonts(pdf, font_files)
        out = io.BytesIO()
        pdf.save(out, compress_streams=True, deterministic_id=True)
        return out.getvalue()
