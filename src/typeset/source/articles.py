"""Step 2: read articles — YAML front matter and CommonMark body into typed blocks.

An article becomes an :class:`Article`: its front matter (validated by
:class:`~typeset.models.FrontMatter`) and a list of body blocks (:class:`Para`, :class:`Subhead`,
:class:`Quote`, :class:`FactBox`). Inline content is kept as :class:`Run` objects — text with a set
of marks — so that the layout can split a paragraph at any character and render both halves. The
Russian typography rules are applied here, once per paragraph, never inside code spans.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin
from pydantic import ValidationError

from ..core.errors import Finding, error, warning
from ..core.models import FrontMatter
from ..core.validation import decode_utf8, pydantic_findings, yaml_key_lines
from ..typography import proofread

OBJ = "\ufffc"  # marks an inline-markup boundary while the typography rules run
_NUMBER_ENDING = re.compile(r"\d+-[а-яё]{1,3}\b")


@dataclass(frozen=True)
class Run:
    """A stretch of inline text with its marks (``em``, ``strong``, ``code``)."""

    text: str
    marks: frozenset[str] = frozenset()

    def html(self) -> str:
        out = escape(self.text, quote=False)
        # "2024-го", "5-й": a number and its ending never part at a line end
        out = _NUMBER_ENDING.sub(r'<span class="nw">\g<0></span>', out)
        for mark in sorted(self.marks):
            # "nh": a word the layout keeps from hyphenating
            out = f'<span class="nh">{out}</span>' if mark == "nh" else f"<{mark}>{out}</{mark}>"
        return out


def runs_html(runs: Sequence[Run]) -> str:
    return "".join(run.html() for run in runs)


def runs_text(runs: Sequence[Run]) -> str:
    return "".join(run.text for run in runs)


def mark_range(runs: Sequence[Run], start: int, end: int, mark: str) -> list[Run]:
    """Add ``mark`` to the characters ``start``–``end`` of the runs' joined text."""
    head, rest = split_runs(runs, start)
    middle, tail = split_runs(rest, end - start)
    return [*head, *(Run(r.text, r.marks | {mark}) for r in middle), *tail]


def split_runs(runs: Sequence[Run], offset: int) -> tuple[list[Run], list[Run]]:
    """Split inline runs at a character offset of their joined text."""
    head: list[Run] = []
    tail: list[Run] = []
    seen = 0
    for run in runs:
        end = seen + len(run.text)
        if end <= offset:
            head.append(run)
        elif seen >= offset:
            tail.append(run)
        else:
            cut = offset - seen
            head.append(Run(run.text[:cut], run.marks))
            tail.append(Run(run.text[cut:], run.marks))
        seen = end
    return head, tail


@dataclass(frozen=True)
class Para:
    """A body paragraph; ``kind`` is ``p``, ``li`` (list item) or ``sign`` (a signature line)."""

    runs: tuple[Run, ...]
    kind: str = "p"
    line: int = 0


@dataclass(frozen=True)
class Subhead:
    runs: tuple[Run, ...]
    line: int = 0


@dataclass(frozen=True)
class Quote:
    paras: tuple[Para, ...]
    line: int = 0


@dataclass(frozen=True)
class FactBox:
    title: str
    paras: tuple[Para, ...]
    line: int = 0


Block = Para | Subhead | Quote | FactBox


@dataclass
class Article:
    slug: str
    path: Path
    meta: FrontMatter
    blocks: list[Block] = field(default_factory=list)
    body_line: int = 1
    """The file line the body starts on (after the front matter)."""
    lines: dict[tuple[str | int, ...], int] = field(default_factory=dict)
    """The file line of each front matter key, by its path (``("photos", 0, "src")``)."""

    def words(self) -> list[str]:
        """Every word of the article's text in reading order (for completeness checks)."""
        return re.findall(r"\w+", self.text())

    def text(self) -> str:
        """All the text the article prints, typeset (for the glyph check)."""
        texts = [self.meta.rubric or "", self.meta.title, self.meta.subtitle or "",
                 self.meta.lead or ""]
        for photo in self.meta.photos:
            texts += [photo.caption or "", photo.credit or ""]
        for block in self.blocks:
            match block:
                case Para(runs=runs) | Subhead(runs=runs):
                    texts.append(runs_text(runs))
                case Quote(paras=paras):
                    texts.extend(runs_text(p.runs) for p in paras)
                case FactBox(title=title, paras=paras):
                    texts.append(title)
                    texts.extend(runs_text(p.runs) for p in paras)
        texts.append(self.meta.author or "")
        return " ".join(texts)


Typography = Callable[[str], str]

_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*\r?\n?", re.S | re.M)


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "typographer": False})
    # raw HTML and inline images are recognised only to be refused
    md.enable(["html_block", "html_inline", "image"])
    md.use(container_plugin, name="fact")
    return md


_MD = _markdown()


def read_article(path: Path, slug: str, typo: Typography,
                 proofread_skip: Collection[str] | None = None
                 ) -> tuple[Article | None, list[Finding]]:
    """Read one article file; return it (or None) and what was wrong with it.

    With ``proofread_skip`` (the codes a newspaper has switched off) the text is also
    proofread as the journalist typed it: what only a person can settle (a repeated word, a
    Latin letter in a Cyrillic word…) is a warning at its line, the text left as it is."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [error("unreadable", f"cannot read the article: {exc.strerror}", path)]
    source, undecodable = decode_utf8(raw, path)
    if source is None:
        return None, [undecodable] if undecodable else []
    match = _FRONT.match(source)
    if not match:
        return None, [error("front-matter", "the article must start with a YAML front matter "
                            "block between two '---' lines (with at least a title:)", path, 1)]
    findings: list[Finding] = []
    yaml_text = match.group(1)
    try:
        data = yaml.safe_load(yaml_text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        context, start = getattr(exc, "context", None), getattr(exc, "context_mark", None)
        if "end of stream" in problem and start is not None:
            # an unclosed quote or bracket runs to the end: point at where it opened
            mark, problem = start, f"{context}, found no end to it (a quote not closed?)"
        line = mark.line + 2 if mark is not None else 1
        return None, [error("yaml", f"front matter is not valid YAML: {problem}; "
                            "quote values that contain ':' or start with '\"'", path, line)]
    if not isinstance(data, dict):
        return None, [error("front-matter", "front matter must be a mapping of keys "
                            "(title: …, rubric: …)", path, 2)]
    lines = yaml_key_lines(yaml_text, first_line=2)
    try:
        meta = FrontMatter.model_validate(data)
    except ValidationError as exc:
        return None, pydantic_findings(exc, path, lines)
    body_line = source[: match.end()].count("\n") + 1
    body = source[match.end():]
    if proofread_skip is not None:
        findings.extend(_proofread_front(meta, lines, path, proofread_skip))
    meta = meta.model_copy(update={
        key: typo(value) for key in ("title", "subtitle", "lead", "rubric", "author")
        if isinstance(value := getattr(meta, key), str)
    } | {"photos": [p.model_copy(update={
        "caption": typo(p.caption) if p.caption else None,
        "credit": typo(p.credit) if p.credit else None}) for p in meta.photos]})
    blocks = _BlockReader(_MD.parse(body), path, body_line, typo, findings,
                          proofread_skip).read()
    if not blocks and not meta.lead and not meta.photos and not findings:
        # a photo story or a lead alone is a legitimate article; a headline alone is not
        findings.append(error("empty-article", "the article has no text: its headline would "
                              "print over blank space; write its body below the front matter, "
                              "or take it off the page", path, body_line))
    return Article(slug, path, meta, blocks, body_line, lines), findings


PROOFREAD_FRONT = ("title", "subtitle", "lead")
"""Front matter fields proofread like the body (rubric and author are names, not prose)."""


def proofreading_findings(text: str, path: Path, line: int, skip: Collection[str]
                          ) -> list[Finding]:
    """The proofreader's remarks on ``text`` as typed (a paragraph whose first line is
    ``line``), each a warning at the line of its spot, with the words around it."""
    found = []
    for remark in proofread(text, skip):
        where = line + text.count("\n", 0, remark.start)
        found.append(warning(f"proofreading/{remark.code}", f"proofreading: {remark.message}"
                             f" (in «{_context(text, remark.start, remark.end)}»)", path, where))
    return found


CONTEXT_CHARS = 24
"""Characters shown on each side of a proofreading remark's spot."""


def _context(text: str, start: int, end: int) -> str:
    """The words around ``text[start:end]``, on one line, cut at word boundaries."""
    left = text[max(0, start - CONTEXT_CHARS):start]
    right = text[end:end + CONTEXT_CHARS]
    if start > CONTEXT_CHARS and " " in left:
        left = "…" + left[left.index(" ") + 1:]
    if end + CONTEXT_CHARS < len(text) and " " in right:
        right = right[:right.rindex(" ")] + "…"
    return " ".join((left + text[start:end] + right).split())


def _proofread_front(meta: FrontMatter, lines: dict[tuple[str | int, ...], int], path: Path,
                     skip: Collection[str]) -> list[Finding]:
    found = []
    for key in PROOFREAD_FRONT:
        value = getattr(meta, key)
        if isinstance(value, str):
            found.extend(proofreading_findings(value, path, lines.get((key,), 1), skip))
    for k, photo in enumerate(meta.photos):
        if photo.caption:
            found.extend(proofreading_findings(photo.caption, path,
                                               lines.get(("photos", k, "caption"), 1), skip))
    return found


def _line(token: Token, body_line: int) -> int:
    return body_line + (token.map[0] if token.map else 0)


@dataclass
class _Box:
    """A quote or fact box being read: its paragraphs so far."""

    kind: str
    """``blockquote_open`` or ``container_fact_open``."""
    line: int
    title: str
    paras: list[Para] = field(default_factory=list)

    def block(self) -> Block:
        if self.kind == "blockquote_open":
            return Quote(tuple(self.paras), self.line)
        return FactBox(self.title, tuple(self.paras), self.line)


@dataclass
class _BlockReader:
    """Turns markdown-it's flat token stream into body blocks, one token kind a method."""

    tokens: list[Token]
    path: Path
    body_line: int
    typo: Typography
    findings: list[Finding]
    proofread_skip: Collection[str] | None = None
    """The proofreading codes switched off; None: no proofreading."""
    blocks: list[Block] = field(default_factory=list)
    boxes: list[_Box] = field(default_factory=list)
    """Open quotes and fact boxes, innermost last (a nested one is flattened into its parent)."""
    lists: list[bool] = field(default_factory=list)
    """Open lists, innermost last: whether each is dialogue rather than a real list."""

    def read(self) -> list[Block]:
        for index, token in enumerate(self.tokens):
            line = _line(token, self.body_line)
            match token.type:
                case "html_block":
                    self._error("raw-html", "raw HTML is not allowed in an article: "
                                f"{token.content.strip()[:60]!r}; write Markdown instead", line)
                case "blockquote_open" | "container_fact_open":
                    title = token.info.strip().removeprefix("fact").strip() or "Факт"
                    self.boxes.append(_Box(token.type, line, self.typo(title)))
                case "blockquote_close" | "container_fact_close" if self.boxes:
                    self._close_box()
                case "bullet_list_open" | "ordered_list_open":
                    self.lists.append(token.type == "bullet_list_open"
                                      and _is_dialogue(self.tokens, index))
                case "bullet_list_close" | "ordered_list_close":
                    self.lists.pop()
                case "inline":
                    self._inline(index, token, line)
                case "fence" | "code_block":
                    self._error("code-block", "indented or fenced code is not allowed in an "
                                "article; remove the indentation or the ``` fence", line)
        return self.blocks

    def _error(self, code: str, message: str, line: int) -> None:
        self.findings.append(error(code, message, self.path, line))

    def _close_box(self) -> None:
        box = self.boxes.pop()
        if self.boxes:  # nested: flatten into the enclosing box
            self.boxes[-1].paras.extend(box.paras)
        else:
            self.blocks.append(box.block())

    def _inline(self, index: int, token: Token, line: int) -> None:
        speech = bool(self.lists) and self.lists[-1] and (
            self.tokens[index - 2].type == "list_item_open")
        runs = tuple(_runs(token, self.path, line, self.typo, self.findings, speech))
        if not runs:
            return
        if self.proofread_skip is not None:
            self.findings.extend(proofreading_findings(token.content, self.path, line,
                                                       self.proofread_skip))
        if self.tokens[index - 1].type == "heading_open":
            block: Para | Subhead = (Para(runs, "p", line) if self.boxes
                                     else Subhead(runs, line))
        else:
            in_list = any(not dialogue for dialogue in self.lists)
            block = Para(runs, "li" if in_list else "p", line)
        if self.boxes:
            assert isinstance(block, Para)
            self.boxes[-1].paras.append(block)
        else:
            self.blocks.append(block)


def _is_dialogue(tokens: list[Token], start: int) -> bool:
    """Is the ``-`` list opening at ``start`` really paragraphs of direct speech?

    Journalists start reported speech with "- ", which CommonMark reads as a list. A loose list
    (items separated by blank lines) or a one-item list is dialogue; a tight list of several
    items is a real list.
    """
    if tokens[start].markup != "-":
        return False
    level = tokens[start].level
    items = 0
    loose = False
    for tok in tokens[start + 1:]:
        if tok.type == "bullet_list_close" and tok.level == level:
            break
        if tok.type == "list_item_open" and tok.level == level + 1:
            items += 1
        if tok.type == "paragraph_open" and tok.level == level + 2 and not tok.hidden:
            loose = True
    return loose or items == 1


def _runs(inline: Token, path: Path, line: int, typo: Typography,
          findings: list[Finding], speech: bool = False) -> list[Run]:
    """Inline tokens to runs, with the typography rules applied across them."""
    marks: set[str] = set()
    raw: list[Run] = [Run("- ")] if speech else []
    html: list[str] = []
    for child in inline.children or []:
        kind = child.type
        if kind == "text":
            raw.append(Run(child.content, frozenset(marks)))
        elif kind in ("softbreak", "hardbreak"):
            raw.append(Run(" ", frozenset(marks)))
        elif kind == "code_inline":
            raw.append(Run(child.content, frozenset(marks | {"code"})))
        elif kind in ("em_open", "strong_open"):
            marks.add(kind.removesuffix("_open"))
        elif kind in ("em_close", "strong_close"):
            marks.discard(kind.removesuffix("_close"))
        elif kind == "html_inline":
            html.append(child.content)
        elif kind == "image":
            findings.append(error("inline-image", f"inline image '{child.attrGet('src')}' is not "
                                  "allowed in the text; list photos under photos: in the front "
                                  "matter", path, line))
        elif kind in ("link_open", "link_close"):
            continue  # print shows the link text; the address is never fetched
    if html:
        findings.append(error("raw-html", "raw HTML is not allowed in an article: "
                              f"{' '.join(html)[:80]!r}; write Markdown instead (*italic*, "
                              "**bold**)", path, line))
    return _typeset_runs(raw, typo)


def _typeset_runs(runs: list[Run], typo: Typography) -> list[Run]:
    if not runs:
        return []
    joined = "".join(OBJ + ("" if "code" in r.marks else r.text.replace(OBJ, "")) for r in runs)
    parts = typo(joined).split(OBJ)[1:]
    if len(parts) != len(runs):  # a rule lost a boundary: fall back to run by run
        parts = [typo(r.text) for r in runs]
    out = [Run(r.text if "code" in r.marks else text, r.marks) for r, text in zip(runs, parts,
                                                                                 strict=True)]
    merged: list[Run] = []
    for run in out:
        if not run.text:
            continue
        if merged and merged[-1].marks == run.marks:
            merged[-1] = Run(merged[-1].text + run.text, run.marks)
        else:
            merged.append(run)
    if merged:
        merged[0] = Run(merged[0].text.lstrip(), merged[0].marks)
        merged[-1] = Run(merged[-1].text.rstrip(), merged[-1].marks)
    return [r for r in merged if r.text]
