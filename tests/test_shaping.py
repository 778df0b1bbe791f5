"""Tests of HarfBuzz widths (typeset.compose.shaping) against WeasyPrint's own."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

import pytest

from typeset.compose.shaping import (
    BOLD,
    FaceKey,
    FontStyle,
    Shaper,
    font_faces_from_css,
    match_face,
)
from typeset.render.boxes import walk
from typeset.render.engine import Renderer
from typeset.source.layouts import load_layout

ROOT = Path(__file__).resolve().parents[1]
LAYOUT = ROOT / "layouts" / "weekly-a3"
SIZE = 9.0
TOLERANCE = 0.01
"""Points: the agreement asked of HarfBuzz widths with WeasyPrint's."""
SERIF = FontStyle("TS Serif")
BOLD_SERIF = FontStyle("TS Serif", BOLD)
ITALIC = FontStyle("TS Serif", italic=True)
BOLD_ITALIC = FontStyle("TS Serif", BOLD, True)
CODE = FontStyle("TS Sans", scale=0.9)

# (text, style): words, kerning pairs, ligatures, spaces of every kind, symbols the text font
# lacks (set in the fallback), digits and signs of the demo text
SAMPLES: list[tuple[str, FontStyle]] = [
    ("Павлодарская область остаётся ключевым", SERIF),
    ("«Т», Т. Таков, ТАСС — 5\u00a0000\u202f₸", SERIF),
    ("Электроприборостроение и нефтехимия", BOLD_SERIF),
    ("курсив «слово» Т, Ульяна", ITALIC),
    ("Жирный курсив: ГЭС-2, №\u202f5", BOLD_ITALIC),
    ("code_x = 5; print(\"ok\")", CODE),
    ("fi fl office — Affluent", SERIF),
    ("пере-", SERIF),
    ("Омск-Павлодар, 2024-го, 14-\u2060летний", SERIF),
    ("+12…+15 °C, 10–12 м/с, 5 %", SERIF),
    ("≈ 3 → 4 ≤ 5", SERIF),
    ("а ≈ б ≈≈ в", SERIF),
    ("т.\u00a0е. и\u00a0т.\u00a0д.", SERIF),
]


@pytest.fixture(scope="module")
def shaper() -> Shaper:
    return Shaper.for_layout(LAYOUT)


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    layout = load_layout(ROOT, "weekly-a3")
    return Renderer(ROOT, layout.folder, layout.css)


def _markup(text: str, style: FontStyle) -> str:
    html = escape(text, quote=False)
    if style.family == "TS Sans":
        html = f"<code>{html}</code>"
    if style.italic:
        html = f"<em>{html}</em>"
    if style.weight == BOLD:
        html = f"<strong>{html}</strong>"
    return html


def weasyprint_widths(renderer: Renderer, samples: list[str]) -> list[float]:
    """The width of each HTML sample set alone on a line, in points, as WeasyPrint lays it out."""
    body = "".join(f'<p style="white-space: pre; text-indent: 0; text-align: left">{html}</p>'
                   for html in samples)
    document = renderer.render(f'<html lang="ru"><body><div class="body" style="width: 2000pt">'
                               f"{body}</div></body></html>", "shaping test")
    lines: list[Any] = [box for box in walk(document.pages[0]._page_box)
                        if type(box).__name__ == "LineBox"]
    return [sum(child.width for child in line.children) * 0.75 for line in lines]


def test_widths_agree_with_weasyprint(shaper: Shaper, renderer: Renderer) -> None:
    expected = weasyprint_widths(renderer, [_markup(text, style) for text, style in SAMPLES])
    for (text, style), width in zip(SAMPLES, expected, strict=True):
        assert shaper.width(text, style, SIZE) == pytest.approx(width, abs=TOLERANCE), text


def test_runs_are_shaped_separately(shaper: Shaper, renderer: Renderer) -> None:
    """Kerning never crosses the edge of an inline run: «Т» in bold, then the comma."""
    html = "<strong>«Т»</strong>, <em>Т</em>. Т<strong>а</strong>ков"
    (width,) = weasyprint_widths(renderer, [html])
    parts = [("«Т»", BOLD_SERIF), (", ", SERIF), ("Т", ITALIC), (". Т", SERIF),
             ("а", BOLD_SERIF), ("ков", SERIF)]
    assert sum(shaper.width(t, s, SIZE) for t, s in parts) == pytest.approx(width, abs=TOLERANCE)


def test_spaces_take_the_font_of_their_neighbours(shaper: Shaper) -> None:
    """Between two symbols from the fallback font a space is the fallback's (wider) space."""
    serif_space = shaper.width(" ", SERIF, SIZE)
    assert shaper.gap_width("≈", " ", "≈", SERIF, SIZE) > serif_space
    assert shaper.gap_width("≈", " ", "а", SERIF, SIZE) == serif_space
    assert shaper.gap_width("а", "\u00a0", "б", SERIF, SIZE) == serif_space


def test_advances_add_up_to_the_width(shaper: Shaper) -> None:
    word = "Павлодарская"
    advances = shaper.advances(word, SERIF, SIZE, [0, 4, len(word)])
    assert advances[0] == 0
    assert 0 < advances[1] < advances[2]
    assert advances[2] == pytest.approx(shaper.width(word, SERIF, SIZE))


def test_glyph_bearings(shaper: Shaper) -> None:
    glyphs = shaper.glyphs("ой", SERIF, SIZE)
    assert 0 < glyphs.left_bearing < 1
    assert 0 < glyphs.right_bearing < 1
    assert shaper.glyphs("", SERIF, SIZE).width == 0


def test_font_matching_follows_css() -> None:
    css = (LAYOUT / "css" / "fonts.css").read_text("utf-8")
    faces = font_faces_from_css(css, LAYOUT / "css")
    assert faces[FaceKey("TS Serif", BOLD, True)].name == "NotoSerif-SemiCondensedBoldItalic.ttf"
    # no bold italic sans: the italic face, by CSS's rule that slant comes before weight
    match = match_face(faces, FontStyle("TS Sans", BOLD, True), "TS Sans")
    assert match == FaceKey("TS Sans", 400, True)
    assert match_face(faces, SERIF, "No Such Family") is None
    shaper = Shaper(faces)
    assert shaper.font_files(SERIF)[-1].name == "DejaVuSerif.ttf"
    # an undeclared family falls back to the fallback font, as in the CSS stack
    assert [p.name for p in shaper.font_files(FontStyle("Nothing"))] == ["DejaVuSerif.ttf"]
    with pytest.raises(KeyError):
        Shaper(faces, fallback=None).width("x", FontStyle("Nothing"), SIZE)
