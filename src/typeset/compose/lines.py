"""The HTML of a paragraph's composed lines, which WeasyPrint 70 sets exactly as composed.

WeasyPrint cannot be told where to break, but it can be left no choice. Inside each line every
space becomes U+00A0 and a word joiner (U+2060: zero width, kerning kept) goes between any two
characters Pango might break between (after hyphens, around dashes, after slashes…), so the only
break opportunity left is the one between two lines: an ordinary space, or the hyphen or dash the
line ends with. WeasyPrint then justifies each line by widening its U+0020 and U+00A0 spaces,
exactly as it would have. The paragraph must be set with ``hyphens: manual``: with ``auto``,
WeasyPrint hyphenates the next line's first word into a loose line's slack (3 lines in 3,800).

- An automatic hyphen is a literal "-" (soft hyphens lose it on some lines in WeasyPrint 70).
- A paragraph's own letter spacing (:attr:`~.justification.Composition.tracking`) goes on its
  ``<p>`` (:func:`tracking_style`); the lines set with it need nothing more, justification widens
  their spaces. A line that must shrink (or takes another letter spacing) gets a ``<span>`` with a
  negative ``word-spacing`` (or its ``letter-spacing``) that brings it just inside its measure,
  rounded down to Pango units as WeasyPrint rounds it; WeasyPrint's justification adds the last
  hundredth of a point. (A span costs WeasyPrint about 1.5 ms to lay out: the fewer the better.)
- A line whose slack could take the next line whole (:attr:`~.justification.Line.hold`) has its
  spacing written out too, so that WeasyPrint finds no room to pull the next line up.
- The last line is left ragged by ``text-align: justify``; a slice of lines that stops before the
  paragraph's end must be set with ``text-align-last: justify`` (class ``split`` in base.css).

The paragraph's ``<p>`` keeps its classes (indent, list bullet from ``::before``); what this
module returns goes inside it. Inline markup (``em``, ``strong``, ``code``) is kept per line; the
text of each line is :func:`.breaks.line_pieces`'s.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from .breaks import SPACE, ZWSP, Run, line_pieces
from .justification import EMERGENCY, JOIN_MARGIN, PANGO_UNIT, SPACE_BREAK, Line

HTML_MARKS = ("code", "em", "strong")
"""Marks that are HTML elements, nested in this order (as :meth:`typeset.articles.Run.html`)."""


def _wrap(text: str, marks: frozenset[str]) -> str:
    out = escape(text, quote=False)
    for mark in HTML_MARKS:
        if mark in marks:
            out = f"<{mark}>{out}</{mark}>"
    return out


HALF_UNIT = 0.5
SPACING_DIGITS = 6
"""Decimals of the spacing written in CSS: far finer than a Pango unit."""


def _units(value: float) -> int:
    """A spacing in points as the whole Pango units WeasyPrint will use (``int()``: toward 0)."""
    return int(value / PANGO_UNIT)


def _css_units(units: int, letter_units: int) -> str:
    """CSS points for a spacing of exactly ``units`` after WeasyPrint's truncation.

    WeasyPrint sets a letter's extra to ``int(letter)`` and a space's to ``int(word + letter)``
    (in units); half a unit towards the sign of the sum keeps the truncation from taking a unit
    off.
    """
    total = units + letter_units
    value = (units + (HALF_UNIT if total >= 0 else -HALF_UNIT)) * PANGO_UNIT
    return f"{value:.{SPACING_DIGITS}f}pt"


def tracked(line: Line, tracking: float) -> bool:
    """Whether the paragraph's letter spacing ``tracking`` (set on its ``<p>``) and WeasyPrint's
    justification set ``line`` as composed, without a spacing of its own."""
    return (line.letter_spacing == tracking and line.word_spacing >= 0 and not line.hold
            and line.overfull <= 0)


def tracking_style(tracking: float) -> str:
    """The ``<p>``'s style for a paragraph's letter spacing (none when it has none)."""
    units = round(tracking / PANGO_UNIT)
    return f"letter-spacing: {_css_units(units, 0)}" if units else ""


def _spacing_style(line: Line, tracking: float = 0.0) -> str:
    """The inline style that sets ``line``'s spacing where the paragraph's ``tracking`` and
    justification alone would not.

    Letter spacing is written whenever the line's differs from the paragraph's; word spacing
    when the line must shrink, or must be held (:attr:`Line.hold`). Both are rounded as
    WeasyPrint rounds them, down, so the line is laid out just inside its measure;
    justification adds the rest.
    """
    if tracked(line, tracking):
        return ""
    styles: list[str] = []
    letter_units = _units(line.letter_spacing)
    if letter_units != round(tracking / PANGO_UNIT):
        styles.append(f"letter-spacing: {_css_units(letter_units, 0)}")
    explicit = line.word_spacing < 0 or line.hold or line.overfull > 0
    if explicit and line.spaces:
        laid_out = line.natural + line.letters * letter_units * PANGO_UNIT
        room = line.width - laid_out - JOIN_MARGIN
        if line.overfull > 0:
            room = line.spaces * line.word_spacing
        word_units = math.floor(room / line.spaces / PANGO_UNIT)
        if word_units:
            styles.append(f"word-spacing: {_css_units(word_units, letter_units)}")
    return "; ".join(styles)


def line_html(runs: Sequence[Run], line: Line, tracking: float = 0.0) -> str:
    """One line's HTML, without the break that follows it, in a paragraph tracked by
    ``tracking``."""
    html = "".join(_wrap(text, marks) for text, marks in
                   line_pieces(runs, line.start, line.end, line.hyphen))
    style = _spacing_style(line, tracking)
    if style:
        html = f'<span style="{style}">{html}</span>'
    if line.hold and not line.spaces and not line.last:
        room = line.width - line.natural - line.letters * line.letter_spacing - JOIN_MARGIN
        if room > 0:  # nothing to widen: fill the slack with an invisible box
            html += f'<span style="display: inline-block; width: {room:.3f}pt"></span>'
    return html


def _break_after(line: Line) -> str:
    """What separates a line from the next in the HTML: the only break opportunity."""
    if line.kind == SPACE_BREAK:
        return SPACE
    if line.kind == EMERGENCY:
        return ZWSP
    return ""  # after a hyphen or a dash Pango breaks by itself


def paragraph_html(runs: Sequence[Run], lines: Sequence[Line], start: int = 0,
                   stop: int | None = None, tracking: float = 0.0) -> str:
    """The HTML of ``lines[start:stop]`` of a paragraph, to go inside its ``<p>`` (whose style
    sets the paragraph's ``tracking``, :func:`tracking_style`).

    A slice that ends before the paragraph's last line needs ``text-align-last: justify``.
    """
    chosen = list(lines[start:stop])
    parts: list[str] = []
    for index, line in enumerate(chosen):
        parts.append(line_html(runs, line, tracking))
        if index + 1 < len(chosen):
            parts.append(_break_after(line))
    return "".join(parts)


def rendered_text(runs: Sequence[Run], line: Line) -> str:
    """The characters of one line as WeasyPrint lays them out (for comparisons in tests)."""
    return "".join(text for text, _ in line_pieces(runs, line.start, line.end, line.hyphen))
