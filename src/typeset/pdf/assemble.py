"""One page joined from the pieces it was rendered in (:mod:`typeset.render.parts`).

Every piece is a normalised one-page PDF of the same page boxes (:func:`typeset.pdf.content.
normalise_page`: its own resources, its fonts subset, its origin moved). The page is the first
piece with the others' content appended in order, each piece's content between ``q`` and ``Q``
(each begins by moving its own origin), and their resources taken over under names of their own
(``/p1_…``, ``/p2_…``: every piece names its fonts and images as the first does). The fonts of a
face are then one subset again (:func:`typeset.pdf.fontmerge.merge_fonts`), an image shown by
two pieces one object. What the pieces are made of decides the bytes, not which of them came
from the cache: a page joined from cached pieces is the page joined from fresh ones.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import pikepdf

from .content import NAMED_RESOURCES, Ops
from .fontmerge import merge_fonts, merge_images

KINDS = ("/ColorSpace", "/ExtGState", "/Font", "/Pattern", "/Properties", "/Shading", "/XObject")
"""The resource categories a content stream names."""

Names = dict[tuple[str, str], str]


def _copy(pdf: pikepdf.Pdf, source: pikepdf.Pdf, value: pikepdf.Object) -> pikepdf.Object:
    return pdf.copy_foreign(value if value.is_indirect else source.make_indirect(value))


def _adopt(pdf: pikepdf.Pdf, source: pikepdf.Pdf, theirs: pikepdf.Object | None,
           ours: pikepdf.Object, prefix: str) -> Names:
    """The piece's resources copied into ``ours`` under ``prefix``: old → new name by kind."""
    names: Names = {}
    if not isinstance(theirs, pikepdf.Dictionary):
        return names
    for kind in KINDS:
        found = theirs.get(kind)
        if not isinstance(found, pikepdf.Dictionary) or not len(found):
            continue
        if not isinstance(ours.get(kind), pikepdf.Dictionary):
            ours[kind] = pikepdf.Dictionary()
        target = ours[kind]
        for name in sorted(found.keys()):
            new = f"/{prefix}{name[1:]}"
            if new in target:  # never: the first piece's names have no prefix
                raise ValueError(f"resource {new} of a piece is already on the page")
            target[new] = _copy(pdf, source, found[name])
            names[(kind, name)] = new
    return names


def _operand(op: str, count: int) -> tuple[str, int] | None:
    """The kind of resource an operator names and the index of the operand naming it."""
    kind = NAMED_RESOURCES.get(op)
    if kind is not None:
        return kind, 0
    if op in ("scn", "SCN") and count:
        return "/Pattern", count - 1
    if op in ("BDC", "DP") and count == 2:
        return "/Properties", 1
    return None


def renamed(ops: Ops, names: Names) -> Ops:
    """``ops`` naming their resources by ``names``."""
    out: Ops = []
    for instruction in ops:
        if isinstance(instruction, pikepdf.ContentStreamInstruction):
            operands = list(instruction.operands)
            found = _operand(str(instruction.operator), len(operands))
            if found is not None and operands:
                kind, index = found
                name = operands[index]
                new = names.get((kind, str(name))) if isinstance(name, pikepdf.Name) else None
                if new is not None:
                    operands[index] = pikepdf.Name(new)
                    instruction = pikepdf.ContentStreamInstruction(operands,
                                                                   instruction.operator)
        out.append(instruction)
    return out


def is_page(data: bytes) -> bool:
    """Whether ``data`` opens as a PDF of one page (a piece of a page, as the cache holds it)."""
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            return len(pdf.pages) == 1
    except (pikepdf.PdfError, ValueError):
        return False


def _wrapped(content: bytes) -> bytes:
    return b"q\n" + content + b"\nQ"


def assemble(parts: Sequence[bytes], font_files: Sequence[Path]) -> bytes:
    """The page that ``parts`` (one-page PDFs of the same boxes, drawn in this order) make."""
    sources: list[pikepdf.Pdf] = []
    with pikepdf.open(io.BytesIO(parts[0])) as pdf:
        try:
            page = pdf.pages[0]
            page.contents_coalesce()
            if not isinstance(page.obj.get("/Resources"), pikepdf.Dictionary):
                page.obj.Resources = pikepdf.Dictionary()
            resources = page.obj.Resources
            contents = [_wrapped(page.obj.Contents.read_bytes()) if "/Contents" in page.obj
                        else b""]
            for number, data in enumerate(parts[1:], start=1):
                source = pikepdf.open(io.BytesIO(data))
                sources.append(source)
                other = source.pages[0]
                names = _adopt(pdf, source, other.obj.get("/Resources"), resources, f"p{number}_")
                ops: Ops = list(pikepdf.parse_content_stream(other))
                contents.append(_wrapped(pikepdf.unparse_content_stream(renamed(ops, names))))
                if "/Group" in other.obj and "/Group" not in page.obj:
                    page.obj.Group = _copy(pdf, source, other.obj.Group)
                for annotation in other.obj.get("/Annots", pikepdf.Array()):
                    if "/Annots" not in page.obj:
                        page.obj.Annots = pikepdf.Array()
                    page.obj.Annots.append(_copy(pdf, source, annotation))
            page.obj.Contents = pikepdf.Stream(pdf, b"\n".join(contents))
            merge_fonts(pdf, list(font_files))
            merge_images(pdf)
            pdf.remove_unreferenced_resources()
            out = io.BytesIO()
            pdf.save(out, compress_streams=True, deterministic_id=True,
                     stream_decode_level=pikepdf.StreamDecodeLevel.none)
            return out.getvalue()
        finally:
            for source in sources:
                source.close()
