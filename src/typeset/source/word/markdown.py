"""Step 5 of an import: write Markdown.

Escape whatever CommonMark would read as markup (:func:`escape_inline`, :func:`escape_line`)
and check every paragraph by reading it back: emphasis CommonMark cannot express is narrowed to
the words, else dropped with a warning; never the text.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml
from markdown_it import MarkdownIt

from ...core.errors import Finding
from .convert import Block, Span, tidy
from .messages import Notes, Para
from .shape import Draft

_CHECK = MarkdownIt("commonmark", {"html": True})
_ESCAPE = re.compile(r"[\\`*_\[\]<#&]")
_BOX_OPENING = re.compile(r"(?P<title>Факты?|Справка|Кстати|Цифры|ФАКТЫ?|СПРАВКА|Fact)\s*:\s+"
                          r"(?=\S)")


def escape_inline(text: str) -> str:
    """Backslash-escape what CommonMark reads as inline markup."""
    return _ESCAPE.sub(lambda m: "\\" + m.group(0), text)


def escape_line(text: str) -> str:
    """Backslash-escape what would open a block at the start of a line (a list, a quote, a
    heading, a fence, a fact box) in text already escaped by :func:`escape_inline`."""
    match = re.match(r"\d{1,9}(?=[.)])", text)
    if match:
        return text[:match.end()] + "\\" + text[match.end():]
    if text[:1] in ("-", "+", "=", ":", "~", ">", "|"):
        return "\\" + text
    return text


def markdown_text(text: str) -> str:
    """One paragraph of plain text as the Markdown line the importer writes: it reads back as
    exactly that text, its whitespace collapsed (and soft hyphens dropped); "- " at its start
    stays dialogue."""
    return _paragraph(Block("plain", tidy([Span(text)])), Notes(Path()))


def inline_markdown(runs: Iterable[tuple[str, Iterable[str]]]) -> tuple[str, list[Finding]]:
    """Runs of text with their marks (``"strong"``, ``"em"``) as the Markdown line the
    importer writes, and the warning if some emphasis had to go."""
    notes = Notes(Path("runs"))
    spans = tidy([Span(text, frozenset(marks)) for text, marks in runs])
    return _inline_markdown(spans, None, notes), notes.items


def _emit(spans: Sequence[Span]) -> str:
    """Inline Markdown: links around bold around italic, spaces kept outside the marks."""
    out: list[str] = []
    for href, group in itertools.groupby(spans, key=lambda s: s.href):
        text = _emit_marks(list(group), ("strong", "em"))
        if href:
            target = quote(href, safe=":/?#@!$&'*+,;=%~-._[]")
            text = _wrap(text, "[", f"]({target})")
        out.append(text)
    return "".join(out)


def _emit_marks(spans: list[Span], order: tuple[str, ...]) -> str:
    if not order:
        return "".join(escape_inline(s.text) for s in spans)
    mark, delimiter = order[0], "**" if order[0] == "strong" else "*"
    out = []
    for marked, group in itertools.groupby(spans, key=lambda s: mark in s.marks):
        inner = _emit_marks(list(group), order[1:])
        out.append(_wrap(inner, delimiter, delimiter) if marked else inner)
    return "".join(out)


def _wrap(text: str, opening: str, closing: str) -> str:
    core = text.strip()
    if not core:
        return text
    return text[:len(text) - len(text.lstrip())] + opening + core + closing + \
        text[len(text.rstrip()):]


def _shrink(spans: Sequence[Span]) -> list[Span]:
    """Punctuation at the edges of bold or italic taken out of it: ``слово«**цитата**»``
    where CommonMark cannot read ``слово**«цитата»**``."""
    out: list[Span] = []
    for span in spans:
        match = re.fullmatch(r"([\W_]*)(.*?)([\W_]*)", span.text, re.S)
        if not span.marks or match is None or not match.group(2):
            out.append(span)
            continue
        for part, marks in ((match.group(1), frozenset[str]()), (match.group(2), span.marks),
                            (match.group(3), frozenset[str]())):
            if part:
                out.append(Span(part, marks, span.href))
    return out


def _readback(markdown: str) -> list[tuple[str, frozenset[str]]]:
    """The text and marks CommonMark reads in one inline line, character by character."""
    out: list[tuple[str, frozenset[str]]] = []
    marks: set[str] = set()
    for token in _CHECK.parseInline(markdown)[0].children or []:
        if token.type == "text":
            out.extend((c, frozenset(marks)) for c in token.content)
        elif token.type in ("em_open", "strong_open"):
            marks.add(token.type.removesuffix("_open"))
        elif token.type in ("em_close", "strong_close"):
            marks.discard(token.type.removesuffix("_close"))
        elif token.type in ("link_open", "link_close"):
            continue
        else:
            out.append(("\0" + token.type, frozenset()))
    return [(c, frozenset() if c.isspace() else m) for c, m in out]


def _wanted(spans: Sequence[Span]) -> list[tuple[str, frozenset[str]]]:
    return [(c, frozenset() if c.isspace() else s.marks) for s in spans for c in s.text]


def _inline_markdown(spans: Sequence[Span], at: Para | None, notes: Notes) -> str:
    """The spans as inline Markdown, checked by reading back. Emphasis CommonMark cannot
    express there is narrowed to the words, else dropped with a warning; never the text."""
    line = escape_line(_emit(spans))
    if _readback(line) == _wanted(spans):
        return line
    spans = _shrink(spans)
    line = escape_line(_emit(spans))
    if _readback(line) == _wanted(spans):
        return line
    for strip in ("em", "strong", "href"):
        spans = [Span(s.text, s.marks - {strip}, None if strip == "href" else s.href)
                 for s in spans]
        line = escape_line(_emit(spans))
        if _readback(line) == _wanted(spans):
            break
    what = {"em": "italic", "strong": "bold and italic", "href": "emphasis and links"}[strip]
    notes.add("emphasis", f"the {what} of this paragraph could not be written in Markdown and "
              "was left out; the text is kept", at)
    return line


def _front_matter(draft: Draft) -> str:
    data: dict[str, Any] = dict(draft.meta)
    if draft.photos:
        data["photos"] = [{k: v for k, v in (("src", p.src), ("caption", p.caption),
                                            ("credit", p.credit)) if v}
                          for p in draft.photos]
    ordered = {k: data[k] for k in ("title", "rubric", "subtitle", "lead", "author", "photos")
               if k in data}
    return yaml.safe_dump(ordered, allow_unicode=True, sort_keys=False, width=10**6)


def article_markdown(draft: Draft, notes: Notes) -> str:
    """The article file: YAML front matter, then the body as Markdown."""
    chunks = [_chunk(group, notes) for group in _groups(draft.body)]
    body = "\n\n".join(c for c in chunks if c)
    return f"---\n{_front_matter(draft)}---\n{body}\n"


def _groups(blocks: list[Block], boxes: bool = True) -> Iterator[list[Block]]:
    """Neighbouring blocks that make one Markdown block: a list, a quote, a fact box."""
    group: list[Block] = []

    def key(block: Block) -> str:
        if block.role == "li":
            return f"li-{block.ordered}"
        if block.role in ("quote", "fact"):
            return block.role
        return f"single-{id(block)}"

    for block in blocks:
        if boxes and block.role == "plain" and _BOX_OPENING.match(block.text):
            if group:
                yield group
            yield [Block("box", block.spans, block.para)]
            group = []
            continue
        if group and key(group[-1]) != key(block):
            yield group
            group = []
        group.append(block)
    if group:
        yield group


def _paragraph(block: Block, notes: Notes) -> str:
    """A paragraph line; one that starts with "- " stays dialogue (read back as "- …")."""
    spans = block.spans
    if block.role == "dialogue":
        return "- " + _inline_markdown(spans, block.para, notes)
    first = spans[0] if spans else None
    if first is not None and not first.marks and not first.href and re.match(r"- \S", first.text):
        rest = [Span(first.text[2:], first.marks), *spans[1:]]
        rest = [s for s in rest if s.text]
        if rest:
            return "- " + _inline_markdown(rest, block.para, notes)
    return _inline_markdown(spans, block.para, notes)


def _chunk(group: list[Block], notes: Notes) -> str:
    head = group[0]
    if head.role == "li":
        return "\n".join((f"{n}. " if b.ordered else "* ")
                         + _inline_markdown(b.spans, b.para, notes)
                         for n, b in enumerate(group, 1))
    if head.role == "heading":
        return "## " + _inline_markdown(head.spans, head.para, notes)
    if head.role == "quote":
        return "\n>\n".join("> " + _paragraph(b, notes) for b in group)
    if head.role == "box":
        match = _BOX_OPENING.match(head.text)
        assert match is not None
        line = _paragraph(Block("plain", _cut(head.spans, match.end()), head.para), notes)
        return f"::: fact {match.group('title')}\n{line}\n:::"
    if head.role == "fact":
        title = "Факт"
        first = group[0]
        if (len(group) > 1 and len(first.text.split()) <= 5 and all("strong" in s.marks
                                                                    for s in first.spans)
                and not re.search(r"[.!?…]$", first.text)):
            title, group = first.text.rstrip(":").strip(), group[1:]
        inner = "\n\n".join(_chunk(g, notes) for g in _groups(
            [Block("plain" if b.role == "fact" else b.role, b.spans, b.para, b.ordered)
             for b in group], boxes=False))
        return f"::: fact {title}\n{inner}\n:::"
    return _paragraph(head, notes)


def _cut(spans: Sequence[Span], offset: int) -> list[Span]:
    out: list[Span] = []
    seen = 0
    for span in spans:
        end = seen + len(span.text)
        if end > offset:
            out.append(Span(span.text[max(0, offset - seen):], span.marks, span.href))
        seen = end
    return tidy(out)
