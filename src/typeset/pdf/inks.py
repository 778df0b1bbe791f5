"""The inks a page prints with: small text in one solid ink, black that overprints, the
registration colour.

Rules applied to content streams (lists of pikepdf instructions), each a small function:

* :func:`solid_small_text` — text smaller than the printer's ``min_color_text_pt`` (9 pt) is
  drawn in a single ink at 100 %: a 70 % K credit line becomes 100 % K (screened or registered
  small type is fuzzy on newsprint). Every output gets it (:mod:`typeset.pdf.content`): layouts
  that printed editions never change, so this is fixed at prepress, for every layout.
* :func:`overprint_black` — in the press files, 100 % K text, rules and other vector paint
  overprint (``/op``, ``/OP`` with ``/OPM 1`` through ExtGState), every other colour knocks out;
  images are not touched.
* :data:`REGISTRATION` — the colour of crop marks, ``/Separation /All``: printed on every plate.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import pikepdf

from .ads import is_ad_form

Ops = list[pikepdf.ContentStreamInstruction | pikepdf.ContentStreamInlineImage]
Colour = tuple[str, tuple[float, ...]]
"""A colour space (``/DeviceCMYK``, ``/DeviceGray``, ``/DeviceRGB`` or a resource name) and the
colour's components."""

TEXT_SHOW = {"Tj", "TJ", "'", '"'}
PATH_BUILD = {"m", "l", "c", "v", "y", "h", "re"}
FILLS = {"f", "F", "f*", "B", "B*", "b", "b*"}
STROKES = {"S", "s", "B", "B*", "b", "b*"}
FILL_MODES, STROKE_MODES = {0, 2, 4, 6}, {1, 2, 5, 6}
"""Text render modes (``Tr``) that fill, that stroke."""
INITIAL = {"/DeviceGray": (0.0,), "/DeviceCMYK": (0.0, 0.0, 0.0, 1.0), "/DeviceRGB": (0.0,) * 3}
BLACK: Colour = ("/DeviceCMYK", (0.0, 0.0, 0.0, 1.0))

REGISTRATION_NAME = "/TSRegistration"
"""The colour-space resource name of the registration colour."""


def registration_space(pdf: pikepdf.Pdf) -> pikepdf.Array:
    """``[/Separation /All /DeviceCMYK tint→(t t t t)]``: the registration colour."""
    tint = pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[0, 0, 0, 0], C1=[1, 1, 1, 1],
                              N=1)
    return pikepdf.Array([pikepdf.Name.Separation, pikepdf.Name.All, pikepdf.Name.DeviceCMYK,
                          pdf.make_indirect(tint)])


def op(operator: str, *operands: pikepdf.Object | float) -> pikepdf.ContentStreamInstruction:
    """One content-stream instruction."""
    return pikepdf.ContentStreamInstruction(list(operands), pikepdf.Operator(operator))


def _num(value: object) -> float:
    return float(value)  # type: ignore[arg-type]


def process(colour: Colour) -> tuple[float, ...] | None:
    """The colour as C, M, Y, K (DeviceCMYK or DeviceGray), else None."""
    space, values = colour
    if space == "/DeviceCMYK" and len(values) == 4:
        return values
    if space == "/DeviceGray" and len(values) == 1:
        return (0.0, 0.0, 0.0, 1 - values[0])
    return None


def is_black(colour: Colour) -> bool:
    """100 % K alone."""
    cmyk = process(colour)
    return cmyk is not None and max(cmyk[:3]) < 1e-4 and cmyk[3] > 1 - 1e-4


def solid(colour: Colour) -> Colour | None:
    """The single solid ink a small text in ``colour`` prints with, None when it already does
    (or prints no ink, or is not a process colour): the strongest ink at 100 %, K on a tie."""
    cmyk = process(colour)
    if cmyk is None or max(cmyk) < 1e-4:
        return None
    strongest = max(range(4), key=lambda i: (cmyk[i], i == 3))
    target = tuple(1.0 if i == strongest else 0.0 for i in range(4))
    if all(abs(a - b) < 1e-4 for a, b in zip(cmyk, target, strict=True)):
        return None
    return ("/DeviceCMYK", target)


def set_colour(colour: Colour, stroke: bool) -> Ops:
    """The operators that set ``colour`` (a space by resource name takes ``cs`` + ``scn``)."""
    space, values = colour
    numbers = [pikepdf.Object.parse((f"{v:.4f}".rstrip("0").rstrip(".") or "0").encode())
               for v in values]
    if space == "/DeviceCMYK":
        return [op("K" if stroke else "k", *numbers)]
    if space == "/DeviceGray":
        return [op("G" if stroke else "g", *numbers)]
    if space == "/DeviceRGB":
        return [op("RG" if stroke else "rg", *numbers)]
    return [op("CS" if stroke else "cs", pikepdf.Name(space)),
            op("SCN" if stroke else "scn", *numbers)]


@dataclass
class State:
    """The part of the graphics state these rules read, saved and restored by ``q``/``Q``."""

    fill: Colour = ("/DeviceGray", (0.0,))
    stroke: Colour = ("/DeviceGray", (0.0,))
    ctm_scale: float = 1.0
    font_size: float = 0.0
    render_mode: int = 0
    text_scale: float = 1.0
    stack: list[tuple[Colour, Colour, float, float, int]] = field(default_factory=list)

    def update(self, operator: str, operands: Sequence[object]) -> None:
        """Follow one operator."""
        if operator == "q":
            self.stack.append((self.fill, self.stroke, self.ctm_scale, self.font_size,
                               self.render_mode))
        elif operator == "Q" and self.stack:
            (self.fill, self.stroke, self.ctm_scale, self.font_size,
             self.render_mode) = self.stack.pop()
        elif operator == "cm":
            a, b, c, d = (_num(v) for v in operands[:4])
            self.ctm_scale *= math.sqrt(abs(a * d - b * c))
        elif operator == "Tm":
            a, b, c, d = (_num(v) for v in operands[:4])
            self.text_scale = math.sqrt(abs(a * d - b * c))
        elif operator == "BT":
            self.text_scale = 1.0
        elif operator == "Tf":
            self.font_size = abs(_num(operands[1]))
        elif operator == "Tr":
            self.render_mode = int(_num(operands[0]))
        elif operator in ("cs", "CS"):
            space = str(operands[0])
            colour = (space, INITIAL.get(space, (0.0,)))
            if operator == "cs":
                self.fill = colour
            else:
                self.stroke = colour
        elif operator in ("sc", "scn", "SC", "SCN"):
            values = tuple(_num(v) for v in operands if not isinstance(v, pikepdf.Name))
            if operator in ("sc", "scn"):
                self.fill = (self.fill[0], values)
            else:
                self.stroke = (self.stroke[0], values)
        elif operator in ("k", "g", "rg", "K", "G", "RG"):
            space = {"k": "/DeviceCMYK", "g": "/DeviceGray", "rg": "/DeviceRGB"}[
                operator.lower()]
            colour = (space, tuple(_num(v) for v in operands))
            if operator.islower():
                self.fill = colour
            else:
                self.stroke = colour

    @property
    def text_size(self) -> float:
        """The size text is shown at, in points on the page."""
        return self.font_size * self.text_scale * self.ctm_scale


def solid_small_text(ops: Ops, below: float) -> tuple[Ops, bool]:
    """Text shown smaller than ``below`` points in a screened or multi-ink colour is shown in
    :func:`solid` ink instead; the colour is set back after it (inside the text object)."""
    state = State()
    out: Ops = []
    changed = False
    for instruction in ops:
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            out.append(instruction)
            continue
        operator, operands = str(instruction.operator), list(instruction.operands)
        if operator in TEXT_SHOW and 0 < state.text_size < below - 0.01:
            fill = solid(state.fill) if state.render_mode in FILL_MODES else None
            stroke = solid(state.stroke) if state.render_mode in STROKE_MODES else None
            if fill is not None or stroke is not None:
                changed = True
                out += set_colour(fill, False) if fill else []
                out += set_colour(stroke, True) if stroke else []
                out.append(instruction)
                out += set_colour(state.fill, False) if fill else []
                out += set_colour(state.stroke, True) if stroke else []
                continue
        state.update(operator, operands)
        out.append(instruction)
    return out, changed


def overprint_states(pdf: pikepdf.Pdf) -> dict[tuple[bool, bool], pikepdf.Object]:
    """The four ExtGStates: (fill overprints, stroke overprints)."""
    return {(fill, stroke): pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.ExtGState, op=fill, OP=stroke, OPM=1))
        for fill in (False, True) for stroke in (False, True)}


def overprint_name(fill: bool, stroke: bool) -> str:
    return f"/TSOverprint{int(fill)}{int(stroke)}"


def overprint_black(ops: Ops, resources: pikepdf.Object
                    ) -> tuple[Ops, set[tuple[bool, bool]]]:
    """Before every fill, stroke or text, the ExtGState that makes 100 % K overprint and any
    other colour knock out (:func:`overprint_name`), and knockout before images and shadings;
    returns the operators and the states used.

    A path's ExtGState goes before its construction (nothing may come between a path and its
    painting operator). The state is unknown at the start of the stream (a form inherits its
    caller's), so the first paint always sets it."""
    state = State()
    out: Ops = []
    path: Ops = []
    current: list[tuple[bool | None, bool | None]] = [(None, None)]
    used: set[tuple[bool, bool]] = set()

    def want(fill: bool | None, stroke: bool | None) -> None:
        known_fill, known_stroke = current[-1]
        new = (fill if fill is not None else bool(known_fill),
               stroke if stroke is not None else bool(known_stroke))
        if (known_fill, known_stroke) != new:
            out.append(op("gs", pikepdf.Name(overprint_name(*new))))
            current[-1] = new
            used.add(new)

    for instruction in ops:
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            want(False, None)
            out.append(instruction)
            continue
        operator, operands = str(instruction.operator), list(instruction.operands)
        if operator in ("sh", "Do"):  # images and shadings knock out (a form sets its own)
            want(False, None)
        if operator in PATH_BUILD:
            path.append(instruction)
            continue
        if path and operator not in ("W", "W*"):
            if operator in FILLS or operator in STROKES:
                want(is_black(state.fill) if operator in FILLS else None,
                     is_black(state.stroke) if operator in STROKES else None)
            out += path
            path = []
        elif path:
            path.append(instruction)
            continue
        if operator in TEXT_SHOW:
            want(is_black(state.fill) if state.render_mode in FILL_MODES else None,
                 is_black(state.stroke) if state.render_mode in STROKE_MODES else None)
        elif operator == "q":
            current.append(current[-1])
        elif operator == "Q" and len(current) > 1:
            current.pop()
        elif operator == "gs" and _sets_overprint(resources, operands[0]):
            current[-1] = (None, None)  # another overprint setting: set ours again
        state.update(operator, operands)
        out.append(instruction)
    out += path
    return out, used


def _sets_overprint(resources: pikepdf.Object, name: object) -> bool:
    state = resources.get("/ExtGState", pikepdf.Dictionary()).get(str(name))
    return not isinstance(state, pikepdf.Dictionary) or bool(
        {"/OP", "/op", "/OPM"} & set(state.keys()))


def set_black_overprint(pdf: pikepdf.Pdf, page: pikepdf.Page) -> None:
    """:func:`overprint_black` on the page and every form it draws (but an advertising module,
    which prints as its advertiser sent it), each stream given the ExtGStates it uses."""
    states = overprint_states(pdf)
    done: set[tuple[int, int]] = set()

    def visit(holder: pikepdf.Object, data: bytes) -> bytes:
        if "/Resources" not in holder:
            holder.Resources = pikepdf.Dictionary()
        resources = holder.Resources
        ops, used = overprint_black(
            list(pikepdf.parse_content_stream(pikepdf.Stream(pdf, data))), resources)
        if used:
            extgstates = resources.get("/ExtGState", pikepdf.Dictionary())
            for fill, stroke in sorted(used):
                extgstates[overprint_name(fill, stroke)] = states[(fill, stroke)]
            resources.ExtGState = extgstates
        for name, xobject in resources.get("/XObject", pikepdf.Dictionary()).items():
            if is_ad_form(name):
                continue  # an advertiser's module prints as it was sent
            if xobject.get("/Subtype") == "/Form" and xobject.objgen not in done:
                done.add(xobject.objgen)
                xobject.write(visit(xobject, xobject.read_bytes()))
        return pikepdf.unparse_content_stream(ops)

    page.contents_coalesce()
    page.obj.Contents = pikepdf.Stream(pdf, visit(page.obj, page.obj.Contents.read_bytes()))
