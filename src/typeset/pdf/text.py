"""The text a page gives to search and copy: words broken at a line end read whole.

For every :class:`~typeset.compose.linebreaks.BrokenWord` of a page, the glyphs are found in the
content stream by where they are drawn — the last glyph of the last text run on the broken
line, the first glyphs of the first run on the next one (a run starts where the text matrix is
set; WeasyPrint sets it for every text box, a composer for every line) — and wrapped in marked
content (ISO 32000 14.9.4)::

    [(Павло)] TJ /Span <</ActualText (дар)>> BDC [(-)] TJ EMC          % «Павлодар»
    /Span <</ActualText ( )>> BDC [(дар)] TJ EMC [( и еще)] TJ

A real hyphen is replaced by itself and the second half («-Водоканал»), so that extraction
keeps it and does not join the lines itself. Nothing is drawn differently. Glyphs are
identified by the font's ToUnicode map; a break whose glyphs do not read as expected is left
as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pikepdf

from ..compose.linebreaks import HYPHENS, BrokenWord, TextLine
from .fontmerge import parse_to_unicode

Ops = list[pikepdf.ContentStreamInstruction | pikepdf.ContentStreamInlineImage]
Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
TOLERANCE = 1.0
"""Points a run's start may be off the line it is looked for on."""


def _multiply(m: Matrix, n: Matrix) -> Matrix:
    """``m`` then ``n`` (PDF's row-vector convention)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s,
            e * p + f * r + t, e * q + f * s + u)


def _matrix(operands: Sequence[object]) -> Matrix:
    a, b, c, d, e, f = (float(v) for v in operands[:6])  # type: ignore[arg-type]
    return (a, b, c, d, e, f)


@dataclass
class Run:
    """Text shown from one text position on: where it starts (points from the trimmed page's
    top left) and the indices of its text-showing operators, each with its font resource."""

    x: float
    baseline: float
    shows: list[tuple[int, str]] = field(default_factory=list)

    def on(self, line: TextLine) -> bool:
        return (abs(self.baseline - line.baseline) <= TOLERANCE
                and line.left - TOLERANCE <= self.x <= line.right + TOLERANCE)


def text_runs(ops: Ops, trim: Sequence[float]) -> list[Run]:
    """The text runs of a content stream (forms are not entered)."""
    ctm, tm = IDENTITY, IDENTITY
    stack: list[Matrix] = []
    leading = 0.0
    font = ""
    runs: list[Run] = []
    current: Run | None = None
    for index, instruction in enumerate(ops):
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            continue
        operator, operands = str(instruction.operator), list(instruction.operands)
        if operator == "q":
            stack.append(ctm)
        elif operator == "Q" and stack:
            ctm = stack.pop()
        elif operator == "cm":
            ctm = _multiply(_matrix(operands), ctm)
        elif operator == "BT":
            tm, current = IDENTITY, None
        elif operator == "Tm":
            tm, current = _matrix(operands), None
        elif operator in ("Td", "TD"):
            tx, ty = (float(v) for v in operands[:2])
            tm, current = _multiply((1, 0, 0, 1, tx, ty), tm), None
            leading = -ty if operator == "TD" else leading
        elif operator == "TL":
            leading = float(operands[0])
        elif operator == "T*":
            tm, current = _multiply((1, 0, 0, 1, 0, -leading), tm), None
        elif operator == "Tf":
            font = str(operands[0])
        elif operator in ("Tj", "TJ"):
            if current is None:
                x, y = _multiply(tm, ctm)[4:]
                current = Run(x - trim[0], trim[3] - y)
                runs.append(current)
            current.shows.append((index, font))
        elif operator in ("'", '"'):
            current = None  # moves to the next line: not a form WeasyPrint writes
    return runs


class Glyphs:
    """Decodes the codes of a text-showing operator with its font's ToUnicode map."""

    def __init__(self, resources: pikepdf.Object) -> None:
        self.fonts = resources.get("/Font", pikepdf.Dictionary())
        self.maps: dict[str, dict[int, str] | None] = {}

    def codes(self, instruction: pikepdf.ContentStreamInstruction, font: str
              ) -> list[tuple[int, str]] | None:
        """(code, its text) of every glyph shown, or None for a font it cannot read."""
        mapping = self._map(font)
        if mapping is None:
            return None
        out = []
        for element in _elements(instruction):
            if isinstance(element, pikepdf.String):
                data = bytes(element)
                out += [(code, mapping.get(code, "")) for code in
                        (int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data), 2))]
        return out

    def _map(self, font: str) -> dict[int, str] | None:
        if font not in self.maps:
            found = self.fonts.get(font)
            self.maps[font] = None
            if (isinstance(found, pikepdf.Dictionary) and found.get("/Subtype") == "/Type0"
                    and "/ToUnicode" in found):
                self.maps[font] = {code: bytes.fromhex(text).decode("utf-16-be", "replace")
                                   for code, text in
                                   parse_to_unicode(found.ToUnicode.read_bytes()).items()}
        return self.maps[font]


def _elements(instruction: pikepdf.ContentStreamInstruction) -> list[object]:
    operands = list(instruction.operands)
    if str(instruction.operator) == "TJ":
        return list(operands[0])
    return [operands[0]]


Span = tuple[int, int, str]
"""Glyphs ``start`` to ``end`` (exclusive) of a text-showing operator, and their
``/ActualText``."""


def _spans(words: Sequence[BrokenWord], runs: list[Run], ops: Ops, glyphs: Glyphs
           ) -> dict[int, list[Span]]:
    found: dict[int, list[Span]] = {}

    def add(index: int, span: Span) -> bool:
        taken = found.setdefault(index, [])
        if any(start < span[1] and span[0] < end for start, end, _ in taken):
            return False
        taken.append(span)
        return True

    for word in words:
        ending = [run for run in runs if run.on(word.line)]
        starting = [run for run in runs if run.on(word.next)]
        if not ending or not starting:
            continue
        last = max(ending, key=lambda run: run.x).shows[-1]
        first = min(starting, key=lambda run: run.x).shows[0]
        tail = glyphs.codes(ops[last[0]], last[1])  # type: ignore[arg-type]
        head = glyphs.codes(ops[first[0]], first[1])  # type: ignore[arg-type]
        if not tail or not head or tail[-1][1] not in HYPHENS:
            continue
        read, count = "", 0
        for _, text in head:
            if len(read) >= len(word.second):
                break
            read, count = read + text, count + 1
        if read != word.second:
            continue
        if add(last[0], (len(tail) - 1, len(tail), word.text)):
            add(first[0], (0, count, " "))
    return found


def _split(instruction: pikepdf.ContentStreamInstruction, spans: list[Span]) -> Ops:
    """The text-showing operator as several ``TJ``, the glyphs of each span in a ``/Span`` with
    its ``/ActualText`` (a number between glyphs goes with the glyph before it)."""
    pieces: list[tuple[Span | None, list[object]]] = []
    glyph = 0

    def span_of(index: int) -> Span | None:
        return next((s for s in spans if s[0] <= index < s[1]), None)

    for element in _elements(instruction):
        if not isinstance(element, pikepdf.String):
            if pieces:
                pieces[-1][1].append(element)
            else:
                pieces.append((span_of(0), [element]))
            continue
        data = bytes(element)
        for i in range(0, len(data), 2):
            span = span_of(glyph)
            if not pieces or pieces[-1][0] != span:
                pieces.append((span, []))
            items = pieces[-1][1]
            if items and isinstance(items[-1], bytes):
                items[-1] += data[i:i + 2]
            else:
                items.append(data[i:i + 2])
            glyph += 1
    out: Ops = []
    for span, items in pieces:
        array = pikepdf.Array([pikepdf.String(item) if isinstance(item, bytes) else item
                               for item in items])
        show = pikepdf.ContentStreamInstruction([array], pikepdf.Operator("TJ"))
        if span is None:
            out.append(show)
            continue
        properties = pikepdf.Dictionary(ActualText=pikepdf.String(span[2]))
        out += [pikepdf.ContentStreamInstruction([pikepdf.Name.Span, properties],
                                                 pikepdf.Operator("BDC")),
                show, pikepdf.ContentStreamInstruction([], pikepdf.Operator("EMC"))]
    return out


def mark_broken_words(pdf: pikepdf.Pdf, page: pikepdf.Page, words: Sequence[BrokenWord]
                      ) -> int:
    """Mark every broken word of ``page`` (see the module); returns how many were marked."""
    if not words:
        return 0
    ops: Ops = list(pikepdf.parse_content_stream(page))
    trim = [float(v) for v in page.obj.get("/TrimBox", page.obj.MediaBox)]
    glyphs = Glyphs(page.obj.get("/Resources", pikepdf.Dictionary()))
    spans = _spans(words, text_runs(ops, trim), ops, glyphs)
    if not spans:
        return 0
    out: Ops = []
    for index, instruction in enumerate(ops):
        if index in spans:
            out += _split(instruction, spans[index])  # type: ignore[arg-type]
        else:
            out.append(instruction)
    page.obj.Contents = pikepdf.Stream(pdf, pikepdf.unparse_content_stream(out))
    return sum(1 for taken in spans.values() for span in taken if span[2] != " ")
