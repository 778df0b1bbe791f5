"""Words broken at a line end: what a PDF's text must still read whole.

A line that ends in a hyphen breaks a word in two. Hyphenation added that hyphen («Павло-» +
«дар» is «Павлодар»), or it is the word's own («Павлодар-» + «Водоканал» is
«Павлодар-Водоканал»). On the page the two look the same and a text extractor cannot tell them
apart: poppler drops every line-end hyphen inside a paragraph (and loses the real one), and keeps
a word split when its second half is at the head of the next column.

So whoever knows the lines lists each break as a :class:`BrokenWord`, and the pdf stage marks
the drawn glyphs (:func:`typeset.pdf.text.mark_broken_words`): the hyphen is replaced, for text
extraction, by what it stands for plus the word's second half (``/ActualText``), and the second
half at the head of the next line by a space. Today the render stage lists them from
WeasyPrint's lines (:func:`typeset.render.boxes.broken_words`); a composer that draws every line
itself, with a literal "-" at the end of a hyphenated one, lists them from its own lines — the
page plan knows where each line is and whether its hyphen is automatic — and nothing else
changes.
"""

from __future__ import annotations

from dataclasses import dataclass

HYPHENS = ("-", "\u2010")
"""Characters a line may end in when it breaks a word: HYPHEN-MINUS, HYPHEN."""


@dataclass(frozen=True)
class TextLine:
    """A line of text as drawn on the page, in points from the trimmed page's top left corner:
    its baseline and the horizontal extent of its text."""

    left: float
    right: float
    baseline: float


@dataclass(frozen=True)
class BrokenWord:
    """A word broken at the end of ``line`` and continued at the head of ``next``."""

    line: TextLine
    """The line whose last glyph is the hyphen."""
    hyphen: str
    """What that hyphen is in the text: "" when hyphenation added it, "-" when it is the word's
    own."""
    second: str
    """The word's second half, as drawn at the head of ``next`` (punctuation after it
    included)."""
    next: TextLine
    """The line (in the same column or the next one) that starts with ``second``."""

    @property
    def text(self) -> str:
        """What the line-end hyphen stands for in the text: the rest of the word."""
        return self.hyphen + self.second
