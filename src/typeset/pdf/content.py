"""Normalising a rendered page's content: what WeasyPrint writes, made fit for print.

WeasyPrint draws crop marks in RGB black with a fully transparent fill: they become 100 % K
strokes, and every grey given in RGB becomes K (:func:`rewrite_content`). Every page and form
gets resources of its own holding only what its content uses (WeasyPrint shares one dictionary
for all), so that a page split off the edition carries only its own fonts and images. Images are
renamed in the order they are drawn (:func:`stable_image_names`): WeasyPrint names them by a
digest of their absolute path, which would make the same edition in another folder other bytes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import pikepdf

from .preflight import transparency_in

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
    """RGB greys -> K; paths painted with a fully transparent fill are stroked only (WeasyPrint
    draws crop marks so). Returns the new operators and whether anything changed."""
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
        elif op in ("rg", "RG") and (grey := _grey_rgb(operands)) is not None:
            operands = [pikepdf.Object.parse(b"0")] * 3 + [
                pikepdf.Object.parse(f"{1 - grey:.4f}".encode())]
            op, changed = ("k" if op == "rg" else "K"), True
        elif op in NO_FILL and fill_alpha == 0:
            op, changed = NO_FILL[op], True
        out.append(pikepdf.ContentStreamInstruction(operands, pikepdf.Operator(op)))
    return out, changed


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
                      done: set[tuple[int, int]]) -> bytes:
    resources = holder.get("/Resources", pikepdf.Dictionary())
    ops: Ops = list(pikepdf.parse_content_stream(pikepdf.Stream(pdf, data)))
    ops, _ = rewrite_content(ops, resources)
    ops, resources = stable_image_names(ops, resources)
    own = _own_resources(pdf, resources, ops)
    for xobject in own.get("/XObject", pikepdf.Dictionary()).values():
        if xobject.get("/Subtype") == "/Form" and xobject.objgen not in done:
            done.add(xobject.objgen)
            form_data = _normalise_stream(pdf, xobject, xobject.read_bytes(), done)
            xobject.write(form_data)
            if "/Group" in xobject and not _has_transparency(xobject):
                del xobject["/Group"]
            elif "/Group" in xobject:
                xobject.Group.CS = pikepdf.Name.DeviceCMYK
    holder.Resources = own
    return pikepdf.unparse_content_stream(ops)


def _has_transparency(xobject: pikepdf.Object) -> bool:
    return bool(transparency_in(xobject.get("/Resources", pikepdf.Dictionary())))


def normalise(pdf: pikepdf.Pdf) -> None:
    """Fix WeasyPrint's RGB crop marks and give every page and form its own resources."""
    done: set[tuple[int, int]] = set()
    for page in pdf.pages:
        page.contents_coalesce()
        data = _normalise_stream(pdf, page.obj, page.obj.Contents.read_bytes(), done)
        page.obj.Contents = pikepdf.Stream(pdf, data)
        if "/Group" in page.obj:
            page.obj.Group.CS = pikepdf.Name.DeviceCMYK


def normalise_page(data: bytes) -> bytes:
    """One rendered page (a PDF of its own), normalised."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        normalise(pdf)
        out = io.BytesIO()
        pdf.save(out, compress_streams=True, deterministic_id=True)
        return out.getvalue()
