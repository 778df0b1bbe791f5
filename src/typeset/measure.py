"""Step 4a: measure — lay out every piece once at its width and read back lines and heights.

WeasyPrint's multi-column layout cannot report what did not fit and can truncate silently, so the
page is composed by typeset itself (:mod:`typeset.compose`). This stage feeds WeasyPrint one tall
measuring document holding every paragraph at the column width, every head at its span's width,
every caption at its photo's width, and reads back, from the laid-out boxes, where each line of
each paragraph starts and whether it ends in a hyphenated break. Heights are rounded up to whole
grid lines: everything on the page snaps to the baseline grid.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .layouts import Layout
    from .manifest import Edition



PX_TO_PT = 0.75


@dataclass
class MeasureItem:
    """One thing to measure: an id, a width in points and what to render."""

    id: str
    kind: str
    """``para``, ``subhead``, ``quote``, ``fact``, ``byline``, ``head``, ``caption`` or
    ``imprint``."""
    width: float
    data: Any
    classes: str = "body"


@dataclass
class Measured:
    height: float
    """Height in points."""
    lines: list[str] = field(default_factory=list)
    """For paragraphs: the text of every line, as laid out."""


def _walk(box: Any) -> Iterator[Any]:
    if type(box).__name__ == "AbsolutePlaceholder":  # absolutely positioned: the real box
        box = box._box
    yield box
    for child in getattr(box, "children", ()):
        yield from _walk(child)


def _line_text(line: Any) -> str:
    parts = []
    for box in _walk(line):
        tag = getattr(box, "element_tag", "") or ""
        if "::" in tag:
            continue
        text = getattr(box, "text", None)
        if isinstance(text, str):
            parts.append(text)
    return "".join(parts)


def read_measurements(document: Any, ids: set[str]) -> dict[str, Measured]:
    """Find each measured item's box in a rendered WeasyPrint document."""
    found: dict[str, Measured] = {}
    for page in document.pages:
        for box in _walk(page._page_box):
            element = getattr(box, "element", None)
            if element is None or type(box).__name__ != "BlockBox":
                continue
            ident = element.get("id")
            if ident not in ids:
                continue
            height = box.height * PX_TO_PT
            lines: list[str] = []
            paras = [b for b in _walk(box) if type(b).__name__ == "BlockBox"
                     and getattr(b, "element_tag", "") == "p"]
            if len(paras) == 1:
                lines = [_line_text(line) for line in paras[0].children
                         if type(line).__name__ == "LineBox"]
            if ident in found:  # a piece broken across two measuring pages
                found[ident].height += height
                found[ident].lines.extend(lines)
            else:
                found[ident] = Measured(height, lines)
    return found


def grid_lines(height: float, line: float, extra: float = 0.0) -> int:
    """Whole grid lines needed for ``height`` points plus ``extra`` space."""
    return max(1, math.ceil((height + extra) / line - 0.01))


def line_starts(text: str, lines: list[str]) -> tuple[list[int], list[bool]] | None:
    """Map laid-out lines back onto the paragraph's text.

    Returns the character offset where each line starts and whether each line ends with a hyphen
    added by hyphenation; None when the lines do not match the text (then the paragraph is kept
    whole).
    """
    starts: list[int] = []
    hyphens: list[bool] = []
    pos = 0
    for raw in lines:
        while pos < len(text) and text[pos] == " ":
            pos += 1
        starts.append(pos)
        piece = raw.rstrip(" ")
        if text.startswith(piece, pos):
            hyphens.append(False)
            pos += len(piece)
        elif piece.endswith("-") and text.startswith(piece[:-1], pos):
            hyphens.append(True)
            pos += len(piece) - 1
        else:
            return None
    if text[pos:].strip():
        return None
    return starts, hyphens


@lru_cache(maxsize=1)
def code_digest() -> str:
    """SHA-256 of typeset's own source: a changed rule or hyphenation hook invalidates caches."""
    sha = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        sha.update(path.relative_to(package).as_posix().encode())
        sha.update(path.read_bytes())
    return sha.hexdigest()


class MeasureCache:
    """Measurements on disk, keyed by everything a piece's lines depend on.

    The key covers the piece's kind, width and content, the layout's digest (CSS, fonts,
    hyphenation patterns) and the versions of typeset, WeasyPrint and pyphen, so a cached
    measurement is exactly what a new measuring pass would find. The cache lives in
    ``build/.cache/`` of the newspaper's repository; ``TYPESET_NO_CACHE=1`` turns it off.
    """

    def __init__(self, path: Path | None, salt: str) -> None:
        self.path = path
        self.salt = salt
        self.data: dict[str, Any] = {}
        self.dirty = False
        if path is not None and path.is_file():
            try:
                self.data = json.loads(path.read_text("utf-8"))
            except (OSError, ValueError):
                self.data = {}

    @classmethod
    def for_edition(cls, edition: Edition, layout: Layout) -> MeasureCache:
        from .report import pango_version

        salt = "|".join([code_digest(), version("weasyprint"), version("pyphen"),
                         pango_version(), layout.digest])
        if os.environ.get("TYPESET_NO_CACHE"):
            return cls(None, salt)
        name = hashlib.sha256(salt.encode()).hexdigest()[:16]
        return cls(edition.root / "build" / ".cache" / f"measure-{name}.json", salt)

    def key(self, item: MeasureItem, context: Any) -> str:
        content = repr((item.kind, round(item.width, 3), item.classes, item.data,
                        context if item.kind == "imprint" else None))
        return hashlib.sha256((self.salt + content).encode()).hexdigest()

    def get(self, key: str) -> Measured | None:
        entry = self.data.get(key)
        return Measured(entry[0], list(entry[1])) if entry else None

    def put(self, key: str, measured: Measured) -> None:
        self.data[key] = [measured.height, measured.lines]
        self.dirty = True

    def save(self) -> None:
        if self.path is None or not self.dirty:
            return
        from .outputs import write_cache_file
        write_cache_file(self.path, json.dumps(self.data, ensure_ascii=False).encode())
        self.dirty = False
