"""Step 3 of an import: convert with mammoth.

Word styles are first named by their role (title, subtitle, rubric, author, lead, caption,
quote, fact, dialogue, heading N, plain: see :mod:`.scan`), then mammoth's style map turns them
into clean HTML, read here into blocks of spans; pictures are collected as they come. The
marker runs of step 2 name each block's paragraph.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import lxml.html
import mammoth

from .messages import NotDocxError, Notes, Para, snippet
from .scan import MARK_CLOSE, MARK_OPEN, Scan

_STYLE_MAP = "\n".join([
    "p[style-name='ts-title'] => h1.title:fresh",
    *(f"p[style-name='ts-heading-{n}'] => h{min(n, 6)}:fresh" for n in range(1, 10)),
    *(f"p[style-name='ts-{role}'] => p.{role}:fresh"
      for role in ("subtitle", "rubric", "lead", "author", "caption", "quote", "fact",
                   "dialogue")),
    "p[style-name='ts-plain'] => p:fresh",
])
_MARK = re.compile(f"{MARK_OPEN}(\\d+){MARK_CLOSE}")
_NEUTRAL_RUN = re.compile(r"default paragraph font|основной шрифт абзаца|hyperlink|гиперссылка|"
                          r"(?:foot|end)note reference|знак (?:концевой )?сноски|.* char|"
                          r".* знак|page number|номер страницы", re.I)


@dataclass
class Picture:
    """A picture as mammoth gives it, numbered in document order; no data when it could not
    be read."""

    number: int
    content_type: str
    data: bytes


@dataclass
class Span:
    """A run of text with its marks (``strong``, ``em``) and link."""

    text: str
    marks: frozenset[str] = frozenset()
    href: str | None = None


@dataclass
class Block:
    """A paragraph of mammoth's output as spans, with its role, its source paragraph and its
    pictures."""

    role: str
    """A paragraph role (see :func:`style_role`), ``li``, ``row`` (a table row) or ``note``."""
    spans: list[Span] = field(default_factory=list)
    para: Para | None = None
    ordered: bool = False
    pictures: list[int] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The text of the spans."""
        return "".join(s.text for s in self.spans)


def _marker_of(paragraph: Any) -> int | None:
    """The index of the ``w:p`` a mammoth paragraph comes from (its last marker: a paragraph
    whose break was deleted brings its runs, and its marker, into the next one)."""
    found = None
    for run in paragraph.children:
        for child in getattr(run, "children", []):
            match = _MARK.fullmatch(getattr(child, "value", "") or "")
            if match:
                found = int(match.group(1))
    return found


def convert_document(parts: dict[str, bytes], scan: Scan, pictures: list[Picture],
                     notes: Notes) -> list[Block]:
    """The document through mammoth, as blocks in document order; its pictures are
    appended to ``pictures`` as they come."""
    by_index = {p.index: p for p in scan.paras}

    def paragraph(element: Any) -> Any:
        index = _marker_of(element)
        para = by_index.get(index) if index is not None else None
        role = para.role if para is not None else "plain"
        numbering = None if role == "dialogue" else element.numbering
        name = None if role == "plain" and numbering is not None else f"ts-{role}"
        return element.copy(style_id=None, style_name=name, numbering=numbering)

    def run(element: Any) -> Any:
        style = scan.styles.get(element.style_id or "")
        bold, italic = (style.bold, style.italic) if style else (False, False)
        if style is not None and not (bold or italic) and not _NEUTRAL_RUN.fullmatch(style.name):
            if style.name.lower() in ("strong", "строгий"):
                bold = True
            elif re.search(r"emphasis|выделение", style.name, re.I):
                italic = True
            else:
                notes.add("style", f"the Word character style «{style.name}» means nothing to "
                          "typeset; its text was kept plain")
        return element.copy(style_id=None, style_name=None,
                             is_bold=element.is_bold or bold,
                             is_italic=element.is_italic or italic)

    def transform(document: Any) -> Any:
        return mammoth.transforms.paragraph(paragraph)(mammoth.transforms.run(run)(document))

    def image(element: Any) -> dict[str, str]:
        number = len(pictures) + 1
        try:
            with element.open() as handle:
                data = handle.read()
        except Exception:  # a linked (not embedded) or missing picture: said at its place
            data = b""
        pictures.append(Picture(number, element.content_type or "", data))
        return {"src": f"ts-picture:{number}"}

    package = io.BytesIO()
    with zipfile.ZipFile(package, "w") as out:
        for name, data in parts.items():
            out.writestr(name, scan.document if name == "word/document.xml" else data)
    package.seek(0)
    try:
        result = mammoth.convert_to_html(
            package, style_map=_STYLE_MAP, include_embedded_style_map=False,
            transform_document=transform, convert_image=mammoth.images.img_element(image))
    except Exception as exc:  # mammoth on a package it does not understand
        raise NotDocxError(f"cannot be converted ({type(exc).__name__}: {exc}); open it in "
                           "Word and save it again as .docx") from None
    for message in result.messages:
        text = message.message
        if re.search(r"referenced but not defined|unlikely to display|Unrecognised .* style|"
                     r"ignored: (?:m:|w:fldSimple)", text):
            continue
        notes.add("word", f"mammoth: {text}")
    return _HtmlReader(by_index, notes).blocks(result.value)


_SUPER = str.maketrans("0123456789+-=()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ")
_SUB = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")


class _HtmlReader:
    """mammoth's HTML to blocks of spans; the markers name each block's paragraph."""

    def __init__(self, by_index: dict[int, Para], notes: Notes) -> None:
        self.by_index = by_index
        self.notes = notes
        self.out: list[Block] = []

    def blocks(self, html: str) -> list[Block]:
        if not html.strip():
            return []
        root = lxml.html.fragment_fromstring(html, create_parent="div")
        for el in root:
            self._block(el)
        return self.out

    def _block(self, el: Any) -> None:
        tag, classes = el.tag, (el.get("class") or "").split()
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._para(el, "title" if "title" in classes else f"heading-{tag[1]}")
        elif tag == "p":
            self._para(el, classes[0] if classes else "plain")
        elif tag in ("ul", "ol"):
            if any((li.get("id") or "").startswith(("footnote-", "endnote-")) for li in el):
                for li in el:
                    for child in li:
                        self._para(child, "note")
            else:
                self._list(el)
        elif tag == "table":
            self._table(el)
        else:
            self._para(el, "plain")

    def _para(self, el: Any, role: str, **extra: Any) -> Block:
        block = Block(role, **extra)
        markers: list[int] = []
        self._inline(el, frozenset(), None, block, markers)
        if markers:
            block.para = self.by_index.get(markers[-1] if role != "row" else markers[0])
        block.spans = tidy(block.spans)
        if block.spans or block.pictures:
            self.out.append(block)
        return block

    def _list(self, el: Any) -> None:
        for li in el:
            if li.tag != "li":
                continue
            nested = [c for c in li if c.tag in ("ul", "ol")]
            for child in nested:
                li.remove(child)
            self._para(li, "li", ordered=el.tag == "ol")
            for child in nested:
                self._list(child)

    def _table(self, el: Any) -> None:
        rows = el.xpath("./tr | ./thead/tr | ./tbody/tr")
        cells = max((len([c for c in r if c.tag in ("td", "th")]) for r in rows), default=0)
        for row in rows:
            if cells <= 1:
                for cell in row:
                    for child in cell:
                        self._block(child)
                continue
            block = Block("row")
            markers: list[int] = []
            for cell in row:
                if cell.tag not in ("td", "th"):
                    continue
                inner = Block("row")
                for child in cell:
                    if inner.spans:
                        inner.spans.append(Span(" "))
                    self._inline(child, frozenset(), None, inner, markers)
                inner.spans = tidy(inner.spans)
                if inner.spans and block.spans:
                    block.spans.append(Span(" | "))
                block.spans.extend(inner.spans)
                block.pictures.extend(inner.pictures)
            block.para = self.by_index.get(markers[0]) if markers else None
            if block.spans or block.pictures:
                self.out.append(block)

    def _inline(self, el: Any, marks: frozenset[str], href: str | None, block: Block,
                markers: list[int]) -> None:
        self._text(el.text, marks, href, block, markers)
        for child in el:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag in ("strong", "b"):
                self._inline(child, marks | {"strong"}, href, block, markers)
            elif tag in ("em", "i"):
                self._inline(child, marks | {"em"}, href, block, markers)
            elif tag in ("sup", "sub"):
                self._script(child, tag, marks, href, block, markers)
            elif tag == "s":
                inner = Block("plain")
                self._inline(child, marks, href, inner, markers)
                if inner.text.strip():
                    block.spans.extend(inner.spans)
                    self.notes.add("strikethrough", f"struck-through text «{snippet(inner.text)}» "
                                   "was kept (print has no strikethrough); delete it if it "
                                   "was meant to go", self._at(markers))
            elif tag == "a":
                target = child.get("href") or ""
                if re.match(r"#(?:foot|end)note-", target):
                    pass  # a note reference or a note's way back: the note text is kept
                else:
                    link = target if re.match(r"(?i)(https?|mailto):", target) else href
                    self._inline(child, marks, link, block, markers)
            elif tag == "br":
                block.spans.append(Span(" ", marks, href))
            elif tag == "img":
                match = re.fullmatch(r"ts-picture:(\d+)", child.get("src") or "")
                if match:
                    block.pictures.append(int(match.group(1)))
            elif tag == "input":
                self.notes.add("checkbox", "a check box cannot be carried; it was left out",
                               self._at(markers))
            elif tag in ("p", "ul", "ol", "li", "div"):
                if block.spans:
                    block.spans.append(Span(" "))
                self._inline(child, marks, href, block, markers)
            else:
                self._inline(child, marks, href, block, markers)
            self._text(child.tail, marks, href, block, markers)

    def _script(self, el: Any, tag: str, marks: frozenset[str], href: str | None,
                block: Block, markers: list[int]) -> None:
        inner = Block("plain")
        self._inline(el, marks, href, inner, markers)
        text = inner.text
        table = _SUPER if tag == "sup" else _SUB
        converted = text.translate(table)
        if all(c != o or c.isspace() for c, o in zip(converted, text, strict=True)):
            block.spans.append(Span(converted, marks, href))
            return
        block.spans.extend(inner.spans)
        if text.strip():
            what = "superscript" if tag == "sup" else "subscript"
            self.notes.add("script", f"{what} «{snippet(text)}» was kept as ordinary text",
                           self._at(markers))

    def _text(self, text: str | None, marks: frozenset[str], href: str | None, block: Block,
              markers: list[int]) -> None:
        if not text:
            return
        markers.extend(int(m) for m in _MARK.findall(text))
        text = _MARK.sub("", text)
        if text:
            block.spans.append(Span(text, marks, href))

    def _at(self, markers: list[int]) -> Para | None:
        return self.by_index.get(markers[-1]) if markers else None


_SPACE = re.compile(r"[ \t\n\r\f\v\u2028\u2029\u0085]+")
INVISIBLE = str.maketrans("", "", "\u00ad\ufffc\u200b\ufeff")
"""Soft hyphens, object marks and zero-width characters: dropped from the text."""


def tidy(spans: Sequence[Span]) -> list[Span]:
    """Whitespace collapsed, soft hyphens and object marks dropped, emphasis only on words,
    neighbours of the same marks merged, nothing at either end."""
    out: list[Span] = []
    for span in spans:
        text = _SPACE.sub(" ", span.text.translate(INVISIBLE))
        text = "".join(c for c in text if unicodedata.category(c) != "Cc")
        if out and out[-1].text.endswith(" ") and text.startswith(" "):
            text = text[1:]
        if not text:
            continue
        marks = span.marks if re.search(r"\w", text) else frozenset()
        if out and out[-1].marks == marks and out[-1].href == span.href:
            out[-1] = Span(out[-1].text + text, marks, span.href)
        else:
            out.append(Span(text, marks, span.href))
    while out and not out[0].text.strip():
        out.pop(0)
    while out and not out[-1].text.strip():
        out.pop()
    if out:
        out[0] = Span(out[0].text.lstrip(), out[0].marks, out[0].href)
        out[-1] = Span(out[-1].text.rstrip(), out[-1].marks, out[-1].href)
    return out
