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
from itertools import pairwise

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

    def last(self, instruction: pikepdf.ContentStreamInstruction, font: str
             ) -> tuple[int, str] | None:
        """How many glyphs the operator shows and the text of the last one."""
        mapping = self._map(font)
        if mapping is None:
            return None
        data = b"".join(bytes(e) for e in _elements(instruction)
                        if isinstance(e, pikepdf.String))
        if len(data) < 2:
            return None
        return len(data) // 2, mapping.get(int.from_bytes(data[-2:], "big"), "")

    def first(self, instruction: pikepdf.ContentStreamInstruction, font: str, text: str
              ) -> int | None:
        """How many glyphs at the head of the operator read ``text``, None when they do not."""
        mapping = self._map(font)
        if mapping is None:
            return None
        read, count = "", 0
        for element in _elements(instruction):
            if not isinstance(element, pikepdf.String):
                continue
            data = bytes(element)
            for i in range(0, len(data), 2):
                if len(read) >= len(text):
                    return count if read == text else None
                read += mapping.get(int.from_bytes(data[i:i + 2], "big"), "")
                count += 1
        return count if read == text else None

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
    by_line: dict[int, list[Run]] = {}
    for run in runs:
        by_line.setdefault(round(run.baseline), []).append(run)

    def on(line: TextLine) -> list[Run]:
        near = round(line.baseline)
        return [run for key in (near - 1, near, near + 1) for run in by_line.get(key, ())
                if run.on(line)]

    def add(index: int, span: Span) -> bool:
        taken = found.setdefault(index, [])
        if any(start < span[1] and span[0] < end for start, end, _ in taken):
            return False
        taken.append(span)
        return True

    for word in words:
        ending, starting = on(word.line), on(word.next)
        if not ending or not starting:
            continue
        last = max(ending, key=lambda run: run.x).shows[-1]
        first = min(starting, key=lambda run: run.x).shows[0]
        tail = glyphs.last(ops[last[0]], last[1])  # type: ignore[arg-type]
        count = glyphs.first(ops[first[0]], first[1], word.second)  # type: ignore[arg-type]
        if tail is None or tail[1] not in HYPHENS or not count:
            continue
        if add(last[0], (tail[0] - 1, tail[0], word.text)):
            add(first[0], (0, count, " "))
    return found


def _split(instruction: pikepdf.ContentStreamInstruction, spans: list[Span]) -> Ops:
    """The text-showing operator as several ``TJ``, the glyphs of each span in a ``/Span`` with
    its ``/ActualText`` (a number between glyphs goes with the glyph before it)."""
    cuts = sorted({edge for start, end, _ in spans for edge in (start, end)})
    pieces: list[tuple[Span | None, list[object]]] = []

    def span_of(index: int) -> Span | None:
        return next((s for s in spans if s[0] <= index < s[1]), None)

    def put(span: Span | None, item: object) -> None:
        if not pieces or pieces[-1][0] != span:
            pieces.append((span, []))
        pieces[-1][1].append(item)

    glyph = 0
    for element in _elements(instruction):
        if not isinstance(element, pikepdf.String):
            put(pieces[-1][0] if pieces else span_of(0), element)
            continue
        data = bytes(element)
        count = len(data) // 2
        inner = [c for c in cuts if glyph < c < glyph + count]
        if not inner:  # WeasyPrint shows most glyphs one string each: kept as they are
            put(span_of(glyph), element)
        for start, end in pairwise([glyph, *inner, glyph + count] if inner else []):
            put(span_of(start), pikepdf.String(data[2 * (start - glyph):2 * (end - glyph)]))
        glyph += count
    out: Ops = []
    for span, items in pieces:
        show = pikepdf.ContentStreamInstruction([pikepdf.Array(items)], pikepdf.Operator("TJ"))
        if span is None:
            out.append(show)
            continue
        properties = pikepdf.Dictionary(ActualText=pikepdf.String(span[2]))
        out += [pikepdf.ContentStreamInstruction([pikepdf.Name.Span, properties],
                                                 pikepdf.Operator("BDC")),
                show, pikepdf.ContentStreamInstruction([], pikepdf.Operator("EMC"))]
    return out


def mark_ops(ops: Ops, resources: pikepdf.Object, trim: Sequence[float],
             words: Sequence[BrokenWord]) -> tuple[Ops, int]:
    """The operators of a page's content stream with every broken word marked (see the
    module), and how many were marked."""
    if not words:
        return ops, 0
    spans = _spans(words, text_runs(ops, trim), ops, Glyphs(resources))
    if not spans:
        return ops, 0
    out: Ops = []
    for index, instruction in enumerate(ops):
        if index in spans:
            out += _split(instruction, spans[index])  # type: ignore[arg-type]
        else:
            out.append(instruction)
    return out, sum(1 for taken in spans.values() for span in taken if span[2] != " ")


def mark_broken_words(pdf: pikepdf.Pdf, page: pikepdf.Page, words: Sequence[BrokenWord]
                      ) -> int:
    """Mark every broken word of ``page``; returns how many were marked."""
    if not words:
        return 0
    ops: Ops = list(pikepdf.parse_content_stream(page))
    trim = [float(v) for v in page.obj.get("/TrimBox", page.obj.MediaBox)]
    out, count = mark_ops(ops, page.obj.get("/Resources", pikepdf.Dictionary()), trim, words)
    if count:
        page.obj.Contents = pikepdf.Stream(pdf, pikepdf.unparse_content_stream(out))
    return count
