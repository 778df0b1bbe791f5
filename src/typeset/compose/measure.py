"""What composition needs measured, and the answers: lines and heights on the baseline grid.

WeasyPrint's multi-column layout cannot report what did not fit and can truncate silently, so
typeset composes the pages itself. For that it needs every piece measured at its width: each
paragraph's lines (where each starts, whether it ends in a hyphen), the height of every head,
caption, box and the imprint. A :class:`Measurer` answers a list of :class:`MeasureItem`;
:class:`typeset.render.measuring.WeasyMeasurer` does it with WeasyPrint. Heights are rounded up
to whole grid lines here: everything on the page snaps to the baseline grid.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from .plan import CaptionText, Head, Piece


@dataclass
class MeasureItem:
    """One thing to measure: an id, a width in points and what to render."""

    id: str
    kind: str
    """``para``, ``subhead``, ``quote``, ``fact``, ``byline``, ``head``, ``caption`` or
    ``imprint``."""
    width: float
    data: Piece | Head | CaptionText | None
    """What the layout's templates render: a body piece, a head, a caption (None for the
    imprint, which the template builds from the paper and the edition)."""
    classes: str = "body"


@dataclass
class Measured:
    height: float
    """Height in points."""
    lines: list[str] = field(default_factory=list)
    """For paragraphs: the text of every line, as laid out."""
    wide: list[str] = field(default_factory=list)
    """The text of every line that runs past the right edge of its column (a word or an
    address wider than the column): none may reach the page."""


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


class Measurer(Protocol):
    """Measures pieces at their widths (see :class:`typeset.render.measuring.WeasyMeasurer`)."""

    def measure(self, items: Sequence[MeasureItem]) -> dict[str, Measured]:
        """Every item's measurement by its id."""
        ...
