"""The one reader of WeasyPrint's box tree: measured lines and heights, rendered columns.

WeasyPrint has no public API for the laid-out boxes, so everything that reads them is here, in
one module, against the names WeasyPrint 70 uses (``BlockBox``, ``LineBox``, ``_page_box``…):

* :func:`read_measurements` finds each measured piece of the measuring document and reads its
  height and, for a paragraph, the text of every line;
* :func:`check_columns` reads the rendered pages back and checks them against their plan: every
  column's content ends inside its box, its text lines sit on the baseline grid, it has the
  number of lines planned, and a composed paragraph's lines are the ones composed, character for
  character. A disagreement would mean lost, overlapping or re-broken text, so it is an error,
  never a warning;
* :func:`wide_lines` finds the lines that run past the right edge of their block (a word or an
  address wider than its column): measuring reports them, so that composition can break them or
  refuse them, and :func:`page_overflow_findings` makes sure none reaches a rendered page.
* :func:`broken_words` lists the words a rendered page breaks at a line end (see
  :mod:`typeset.compose.linebreaks`), so that its PDF text reads them whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise, zip_longest
from typing import Any

from ..compose.linebreaks import HYPHENS, BrokenWord, TextLine
from ..compose.measure import Measured, line_starts
from ..compose.plan import PagePlan
from ..core.errors import Finding, error
from ..core.units import PX_TO_PT


def walk(box: Any) -> Iterator[Any]:
    """Every box of a WeasyPrint box tree, depth first (absolutely placed boxes included)."""
    if type(box).__name__ == "AbsolutePlaceholder":  # absolutely positioned: the real box
        box = box._box
    yield box
    for child in getattr(box, "children", ()):
        yield from walk(child)


def line_text(line: Any) -> str:
    parts = []
    for box in walk(line):
        tag = getattr(box, "element_tag", "") or ""
        if "::" in tag:
            continue
        text = getattr(box, "text", None)
        if isinstance(text, str):
            parts.append(text)
    return "".join(parts)


OVERFLOW_TOLERANCE = 0.5
"""Points a line may pass the right edge of its block before it counts as printing outside."""


def wide_lines(block: Any) -> list[tuple[str, float]]:
    """The text of every line inside ``block`` (at any depth) that reaches past the right edge
    of the block holding it, and by how many points."""
    found: list[tuple[str, float]] = []

    def visit(box: Any, container: Any) -> None:
        if type(box).__name__ == "LineBox":
            edge = container.content_box_x() + container.width
            right = max((b.position_x + b.margin_width() for b in walk(box)
                         if type(b).__name__ == "TextBox"), default=edge)
            over = (right - edge) * PX_TO_PT
            if over > OVERFLOW_TOLERANCE:
                found.append((line_text(box), over))
            return
        if type(box).__name__ == "AbsolutePlaceholder":
            box = box._box
        inner = box if type(box).__name__ in _BLOCKS else container
        for child in getattr(box, "children", ()):
            visit(child, inner)

    visit(block, block)
    return found


_BLOCKS = {"BlockBox", "BlockReplacedBox", "TableCellBox", "FlexBox", "InlineBlockBox",
           "PageBox", "MarginBox"}
"""Boxes whose content width bounds the lines inside them."""


def read_measurements(document: Any, ids: set[str]) -> dict[str, Measured]:
    """Find each measured item's box in a rendered WeasyPrint document."""
    found: dict[str, Measured] = {}
    for page in document.pages:
        for box in walk(page._page_box):
            element = getattr(box, "element", None)
            if element is None or type(box).__name__ != "BlockBox":
                continue
            ident = element.get("id")
            if ident not in ids:
                continue
            height = box.height * PX_TO_PT
            lines: list[str] = []
            paras = [b for b in walk(box) if type(b).__name__ == "BlockBox"
                     and getattr(b, "element_tag", "") == "p"]
            if len(paras) == 1:
                lines = [line_text(line) for line in paras[0].children
                         if type(line).__name__ == "LineBox"]
            wide = [text for text, _ in wide_lines(box)]
            if ident in found:  # a piece broken across two measuring pages
                found[ident].height += height
                found[ident].lines.extend(lines)
                found[ident].wide.extend(wide)
            else:
                found[ident] = Measured(height, lines, wide)
    return found


@dataclass
class ColumnCheck:
    page: int
    article: str
    planned_lines: int
    rendered_lines: int
    overflow: float
    """Points by which the content passes the foot of its column box (≤ 0 is fine)."""
    off_grid: int
    """Text lines of body paragraphs whose baseline is off the grid."""
    differing: list[tuple[str, str]] = field(default_factory=list)
    """Composed lines that WeasyPrint laid out otherwise: (composed, rendered) text."""


def check_columns(document: Any, pages: list[PagePlan], line: float) -> list[ColumnCheck]:
    checks: list[ColumnCheck] = []
    for plan, page in zip(pages, document.pages, strict=False):
        columns = [b for b in walk(page._page_box) if type(b).__name__ == "BlockBox"
                   and "body" in (b.element.get("class", "") if b.element is not None else "")
                   .split() and getattr(b, "element_tag", "") == "div"]
        planned = [(a.slug, c) for a in plan.articles for c in a.columns]
        for (slug, column), box in zip(planned, columns, strict=False):
            top = box.content_box_y()
            bottom = top + box.height
            content_bottom = max((c.position_y + c.margin_height() for c in box.children),
                                 default=top)
            rendered = 0
            off_grid = 0
            differing: list[tuple[str, str]] = []
            for piece, child in zip_longest(column.pieces, box.children):
                if child is None:
                    continue
                tag = getattr(child, "element_tag", "")
                if tag == "p":
                    lines = [b for b in child.children if type(b).__name__ == "LineBox"]
                    rendered += len(lines)
                    for line_box in lines:
                        offset = (line_box.position_y - top) * PX_TO_PT / line
                        if abs(offset - round(offset)) > 0.02:
                            off_grid += 1
                    if piece is not None and piece.texts:
                        differing += _differing(piece.texts, lines)
                else:
                    rendered += round(child.margin_height() * PX_TO_PT / line)
            checks.append(ColumnCheck(plan.number, slug, column.used, rendered,
                                      (content_bottom - bottom) * PX_TO_PT, off_grid,
                                      differing))
    return checks


JOINER = "\u2060"
"""WORD JOINER: the composer's lines hold it wherever Pango could break; it prints nothing."""
LINE_END = " \u200b"
"""What may follow a line's text in its box: the space or zero-width space it breaks at."""


def _differing(composed: list[str], lines: list[Any]) -> list[tuple[str, str]]:
    """The composed lines of a paragraph that its rendered lines do not reproduce."""
    rendered = [line_text(line).rstrip(LINE_END) for line in lines]
    return [(want, got) for want, got in zip_longest(composed, rendered, fillvalue="")
            if want != got]


def geometry_findings(checks: list[ColumnCheck]) -> list[Finding]:
    findings = []
    for c in checks:
        if c.differing:
            want, got = c.differing[0]
            findings.append(error(
                "geometry", f"page {c.page}: a column of '{c.article}' renders "
                f"{len(c.differing)} line{'s' if len(c.differing) != 1 else ''} otherwise than "
                f"composed (composed {_shown(want)!r}, rendered {_shown(got)!r}); this is a "
                "typeset bug, please report it with the edition", page=c.page,
                article=c.article))
        if c.overflow > 0.5 or c.rendered_lines != c.planned_lines or c.off_grid:
            findings.append(error(
                "geometry", f"page {c.page}: a column of '{c.article}' was planned with "
                f"{c.planned_lines} lines but renders {c.rendered_lines} (overflow "
                f"{c.overflow:.1f} pt, {c.off_grid} lines off the grid); this is a typeset bug, "
                "please report it with the edition", page=c.page, article=c.article))
    return findings


def _shown(text: str) -> str:
    text = text.replace("\u2060", "")
    return text if len(text) <= 50 else text[:47] + "…"


def page_overflow_findings(document: Any, number: int) -> list[Finding]:
    """Every line of a rendered page that reaches past the right edge of its block: it would
    print over the next column or past the trim. Composition refuses such lines before
    rendering (see :func:`wide_lines`), so one found here is an error, never a warning."""
    findings = []
    for page in document.pages[:1]:
        for text, over in wide_lines(page._page_box):
            shown = text if len(text) <= 50 else text[:47] + "…"
            findings.append(error(
                "overflow", f"page {number}: a line runs {over:.1f} pt past the edge of its "
                f"column: '{shown}'; break the word or address with spaces, or shorten it",
                page=number))
    return findings


def _body_columns(page: Any) -> list[Any]:
    return [b for b in walk(page._page_box) if type(b).__name__ == "BlockBox"
            and "body" in (b.element.get("class", "") if b.element is not None else "").split()
            and getattr(b, "element_tag", "") == "div"]


def _lines(box: Any) -> list[Any]:
    return [child for child in getattr(box, "children", ()) if type(child).__name__ == "LineBox"]


def _text_line(line: Any) -> TextLine:
    return TextLine(line.position_x * PX_TO_PT, (line.position_x + line.width) * PX_TO_PT,
                    (line.position_y + line.baseline) * PX_TO_PT)


def _continuations(page: Any, plan: PagePlan
                   ) -> tuple[dict[int, Any], set[int], dict[int, list[bool]]]:
    """Body paragraphs continued in the next column (the paragraph box's id → the box of its
    continuation), those whose final "-" the template added (``Piece.hyphen``), and which lines
    of a composed paragraph end in a hyphen hyphenation added (``Piece.hyphenated``)."""
    boxes = iter(_body_columns(page))
    following: dict[int, Any] = {}
    added: set[int] = set()
    composed: dict[int, list[bool]] = {}
    for placed in plan.articles:
        paras: list[tuple[Any, Any]] = []
        for column in placed.columns:
            box = next(boxes, None)
            if box is None:
                return following, added, composed
            children = [c for c in box.children if getattr(c, "element_tag", "") == "p"]
            pieces = [p for p in column.pieces if p.kind == "para"]
            paras += list(zip(pieces, children, strict=False))
        added.update(id(box) for piece, box in paras if piece.hyphen)
        composed.update((id(box), piece.hyphenated) for piece, box in paras if piece.texts)
        for (_, box), (after, after_box) in pairwise(paras):
            if "cont" in after.classes.split():
                following[id(box)] = after_box
    return following, added, composed


def broken_words(document: Any, plan: PagePlan) -> list[BrokenWord]:
    """Every word that page ``plan`` of the rendered ``document`` breaks at a line end, whether
    hyphenation added the hyphen (WeasyPrint's ``hyphens: auto``, or the template's "-" at the
    foot of a column) or it is the word's own. Lines are matched to their paragraph's text as the
    measuring pass does (:func:`typeset.compose.measure.line_starts`); a paragraph whose lines do
    not match is left out."""
    if not document.pages:
        return []
    page = document.pages[0]
    following, added, composed = _continuations(page, plan)
    # an element's lines, in order: a paragraph set in columns (a lead) is one box per column
    paragraphs: dict[int, tuple[Any, list[Any], list[Any]]] = {}
    for box in walk(page._page_box):
        lines = _lines(box)
        element = getattr(box, "element", None)
        if lines and element is not None and type(box).__name__ != "LineBox":
            _, boxes, all_lines = paragraphs.setdefault(id(element), (element, [], []))
            boxes.append(box)
            all_lines.extend(lines)
    words: list[BrokenWord] = []
    for element, boxes, lines in paragraphs.values():
        text = "".join(element.itertext())
        if id(boxes[-1]) in added and text.endswith("-"):
            text = text[:-1]
        texts = [line_text(line).replace(JOINER, "") for line in lines]
        if id(boxes[-1]) in composed:  # the composer knows which hyphens it added
            hyphenated = composed[id(boxes[-1])]
        else:
            mapped = line_starts(text, texts)
            if mapped is None:
                continue
            _, hyphenated = mapped
        continued = following.get(id(boxes[-1]))
        for index, raw in enumerate(texts):
            shown = raw.rstrip(" ")
            if not shown.endswith(HYPHENS) or len(shown) < 2 or not shown[-2].isalnum():
                continue  # not a hyphen, or a dash after a space
            if index + 1 < len(lines):
                after, after_text = lines[index + 1], texts[index + 1]
            elif continued is not None and _lines(continued):
                after = _lines(continued)[0]
                after_text = line_text(after).replace(JOINER, "")
            else:
                continue
            second = re.match(r"\S*", after_text.lstrip(" "))
            if second is None or not second.group():
                continue
            words.append(BrokenWord(_text_line(lines[index]),
                                    "" if hyphenated[index] else shown[-1], second.group(),
                                    _text_line(after)))
    return words
