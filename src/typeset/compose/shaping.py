"""Text widths from the layout's own font files, shaped by HarfBuzz as Pango shapes them.

The line breaker needs the width of every piece of a paragraph exactly as WeasyPrint will set it,
without asking WeasyPrint: WeasyPrint (through Pango) shapes each inline run separately with
HarfBuzz, so kerning never crosses the edge of a run, and takes every character the text font
lacks from the next font of the CSS stack ("TS Symbols"). :class:`Shaper` does the same with the
same font files, so its widths agree with WeasyPrint's to a few thousandths of a point.

Pango's rules reproduced here:

- font matching follows CSS: the family's face of the nearest style, then the nearest weight;
- a character goes to the first font of the stack that has a glyph for it; a space or format
  character (U+00A0, U+202F, U+2060…) goes with its neighbours when they agree;
- glyph advances are rounded to Pango units (1/1024 of a CSS pixel), as Pango's HarfBuzz font
  scale is an integer number of those units per em.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import uharfbuzz as hb

PT_PER_PX = 0.75
"""CSS: 1px = 0.75pt. Pango works in pixels at WeasyPrint's 96 dpi."""
PANGO_SCALE = 1024
"""Pango units per pixel: the resolution of every glyph advance Pango computes."""
FEATURES: dict[str, bool] = {"kern": True, "liga": True, "clig": True}
"""What ``font-kerning: normal; font-variant-ligatures: common-ligatures`` ask of HarfBuzz
(base.css); the rest are HarfBuzz's defaults, as in Pango."""
LANGUAGE = "ru"
"""The documents' ``lang``: Pango passes it to HarfBuzz, which selects ``locl`` forms by it."""
REGULAR, BOLD = 400, 700
NEUTRAL_CATEGORIES = frozenset({"Zs", "Cc", "Cf"})
"""Characters Pango sets in the font of the character before them (spaces, format characters)."""

_FONT_FACE = re.compile(r"@font-face\s*\{(?P<body>[^}]*)\}")
_DESCRIPTOR = re.compile(r"(?P<name>[a-z-]+)\s*:\s*(?P<value>[^;]+)")
_URL = re.compile(r"url\(\s*['\"]?(?P<url>[^'\")]+)['\"]?\s*\)")


class FontStyle(NamedTuple):
    """A CSS font selection for a run of text: family, weight, slant and size relative to the
    paragraph's font size (``code`` is ``0.9em``). A tuple: it keys every cache."""

    family: str
    weight: int = REGULAR
    italic: bool = False
    scale: float = 1.0


class FaceKey(NamedTuple):
    """What one ``@font-face`` rule declares: a family's face of a weight and a slant."""

    family: str
    weight: int
    italic: bool


def font_faces_from_css(css: str, base: Path) -> dict[FaceKey, Path]:
    """The ``@font-face`` rules of a stylesheet: each declared face and its font file."""
    faces: dict[FaceKey, Path] = {}
    for rule in _FONT_FACE.finditer(css):
        descriptors = {m.group("name"): m.group("value").strip()
                       for m in _DESCRIPTOR.finditer(rule.group("body"))}
        url = _URL.search(descriptors.get("src", ""))
        family = descriptors.get("font-family", "").strip("'\" ")
        if url is None or not family:
            continue
        weight = descriptors.get("font-weight", "normal")
        key = FaceKey(family, BOLD if weight == "bold" else REGULAR if weight == "normal"
                      else int(weight), descriptors.get("font-style", "normal") != "normal")
        faces[key] = (base / url.group("url")).resolve()
    return faces


def _style_order(italic: bool) -> tuple[bool, ...]:
    return (True, False) if italic else (False, True)


def _weight_order(weight: int, available: Sequence[int]) -> list[int]:
    """CSS Fonts 3 §5.2: the weights to try, nearest first, heavier or lighter by the rule."""
    lighter = sorted((w for w in available if w < weight), reverse=True)
    heavier = sorted(w for w in available if w > weight)
    exact = [weight] if weight in available else []
    if weight > 500:
        return exact + heavier + lighter
    between = [w for w in heavier if w <= 500]
    return exact + between + lighter + [w for w in heavier if w > 500]


def match_face(faces: Mapping[FaceKey, Path], style: FontStyle, family: str) -> FaceKey | None:
    """The face CSS font matching picks for ``style`` in ``family`` (None: no such family)."""
    declared = [key for key in faces if key.family == family]
    for italic in _style_order(style.italic):
        candidates = {key.weight: key for key in declared if key.italic == italic}
        for weight in _weight_order(style.weight, list(candidates)):
            return candidates[weight]
    return None


class _Font:
    """One font file opened for HarfBuzz, with per-size fonts and a glyph-coverage cache."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.face = hb.Face(hb.Blob.from_file_path(str(path)))
        self.upem: int = self.face.upem
        self._sized: dict[int, Any] = {}
        self._unscaled = hb.Font(self.face)
        self.covered: set[str] = set()
        """Characters known to have a glyph (grown as text is seen)."""
        self._missing: set[str] = set()

    def covers(self, char: str) -> bool:
        if char in self.covered:
            return True
        if char in self._missing:
            return False
        found = self._unscaled.get_nominal_glyph(ord(char)) is not None
        (self.covered if found else self._missing).add(char)
        return found

    def covers_all(self, text: str) -> bool:
        chars = set(text)
        return chars <= self.covered or all(self.covers(char) for char in chars)

    def sized(self, units_per_em: int) -> Any:
        """A HarfBuzz font whose advances come out in Pango units, rounded as Pango rounds."""
        font = self._sized.get(units_per_em)
        if font is None:
            font = hb.Font(self.face)
            font.scale = (units_per_em, units_per_em)
            self._sized[units_per_em] = font
        return font


@dataclass(frozen=True)
class Glyphs:
    """A shaped piece of text: its advance and the ink bearings at its two ends, in points."""

    width: float
    left_bearing: float
    """From the pen position to the left edge of the first glyph's ink."""
    right_bearing: float
    """From the right edge of the last glyph's ink to the end of the advance."""


class Shaper:
    """Widths of text in the layout's fonts, shaped as WeasyPrint shapes it.

    ``faces`` maps every declared face to its file (see :func:`font_faces_from_css`); a style's
    fonts are its own family's face and, for characters that face lacks, the ``fallback``
    family's. Results are cached by (face, size, text).
    """

    def __init__(self, faces: Mapping[FaceKey, Path], fallback: str | None = "TS Symbols",
                 language: str = LANGUAGE, features: Mapping[str, bool] | None = None) -> None:
        self.faces = dict(faces)
        self.fallback = fallback
        self.language = language
        self.features = dict(FEATURES if features is None else features)
        self._fonts: dict[Path, _Font] = {}
        self._stacks: dict[FontStyle, tuple[_Font, ...]] = {}
        self._widths: dict[tuple[FontStyle, float, str], float] = {}
        self._cumulative: dict[tuple[FontStyle, float, str], tuple[float, ...]] = {}
        self._glyphs: dict[tuple[FontStyle, float, str], Glyphs] = {}
        self._gaps: dict[tuple[FontStyle, float, str, int], float] = {}

    @classmethod
    def for_layout(cls, layout_folder: Path, fallback: str | None = "TS Symbols") -> Shaper:
        """The fonts a layout's ``css/fonts.css`` declares."""
        css_folder = layout_folder / "css"
        css = (css_folder / "fonts.css").read_text("utf-8")
        return cls(font_faces_from_css(css, css_folder), fallback)

    def width(self, text: str, style: FontStyle, size: float) -> float:
        """The advance of ``text`` set in ``style`` at ``size`` pt (the paragraph's font size), in
        points, as one inline run (cached)."""
        key = (style, size, text)
        found = self._widths.get(key)
        if found is None:
            found = sum(self._shape_in(font, piece, style, size)[0]
                        for font, piece in self._segments(text, self._stack(style)))
            self._widths[key] = found
        return found

    def advances(self, text: str, style: FontStyle, size: float,
                 offsets: Sequence[int]) -> list[float]:
        """The advance of ``text`` up to each of ``offsets`` (character offsets), as part of the
        whole run: a kerning pair across an offset counts before it, a ligature at its first
        character."""
        key = (style, size, text)
        cumulative = self._cumulative.get(key)
        if cumulative is None:
            cumulative = self._cumulate(text, style, size)
            self._cumulative[key] = cumulative
        return [cumulative[offset] for offset in offsets]

    def glyphs(self, text: str, style: FontStyle, size: float) -> Glyphs:
        """Advance and end bearings of ``text`` as one inline run (cached)."""
        key = (style, size, text)
        found = self._glyphs.get(key)
        if found is None:
            found = self._shape(text, style, size)
            self._glyphs[key] = found
        return found

    def font_files(self, style: FontStyle) -> tuple[Path, ...]:
        """The font files of ``style``'s stack, text font first (for cache keys and reports)."""
        return tuple(font.path for font in self._stack(style))

    def _stack(self, style: FontStyle) -> tuple[_Font, ...]:
        stack = self._stacks.get(style)
        if stack is None:
            keys = [match_face(self.faces, style, style.family)]
            if self.fallback is not None and self.fallback != style.family:
                keys.append(match_face(self.faces, style, self.fallback))
            paths = [self.faces[key] for key in keys if key is not None]
            if not paths:
                raise KeyError(f"no @font-face for {style.family!r}")
            stack = tuple(self._font(path) for path in paths)
            self._stacks[style] = stack
        return stack

    def _font(self, path: Path) -> _Font:
        font = self._fonts.get(path)
        if font is None:
            font = _Font(path)
            self._fonts[path] = font
        return font

    def _segments(self, text: str, stack: Sequence[_Font]) -> list[tuple[_Font, str]]:
        """Split ``text`` where Pango's itemizer changes fonts."""
        primary = stack[0]
        if primary.covers_all(text):
            return [(primary, text)]
        fonts = self._char_fonts(text, stack)
        segments: list[tuple[_Font, str]] = []
        start = 0
        for i in range(1, len(text) + 1):
            if i == len(text) or fonts[i] is not fonts[start]:
                segments.append((fonts[start], text[start:i]))
                start = i
        return segments

    @staticmethod
    def _char_fonts(text: str, stack: Sequence[_Font]) -> list[_Font]:
        """The font of every character, as Pango 1.50 picks it (measured against WeasyPrint).

        A character goes to the first font of the stack that has it. A space or format character
        goes with its neighbours when the characters on both sides are in the same font (or it
        has a neighbour on one side only), else to the first font that has it: "≈ ≈" and " ≈"
        set the space in the symbols font, "≈ а" and "а ≈" in the text font.
        """
        picked: list[_Font | None] = [
            None if unicodedata.category(char) in NEUTRAL_CATEGORIES
            else next((font for font in stack if font.covers(char)), stack[0])
            for char in text]
        before: _Font | None = None
        after: list[_Font | None] = [None] * len(text)
        following: _Font | None = None
        for i in range(len(text) - 1, -1, -1):
            after[i] = following
            following = picked[i] or following
        fonts: list[_Font] = []
        for i, char in enumerate(text):
            font = picked[i]
            if font is None:
                if before is None or after[i] is None or before is after[i]:
                    font = before or after[i] or stack[0]
                else:
                    font = next((f for f in stack if f.covers(char)), stack[0])
            else:
                before = font
            fonts.append(font)
        return fonts

    def gap_width(self, before: str, char: str, after: str, style: FontStyle,
                  size: float) -> float:
        """The advance of the space ``char`` between the characters ``before`` and ``after``
        (either may be empty): its font depends on theirs (see :meth:`_char_fonts`)."""
        stack = self._stack(style)
        if stack[0].covers_all(before + char + after):
            return self.width(char, style, size)  # all in the text font: the usual case
        key = (style, size, before + char + after, len(before))
        found = self._gaps.get(key)
        if found is None:
            fonts = self._char_fonts(before + char + after, stack)
            found = self._shape_in(fonts[len(before)], char, style, size)[0]
            self._gaps[key] = found
        return found

    def _shape_in(self, font: _Font, text: str, style: FontStyle,
                  size: float) -> tuple[float, list[Any], list[Any]]:
        """Shape ``text`` in one font: its advance in points, glyph infos and positions."""
        sized = font.sized(self._units_per_em(style, size))
        buffer = hb.Buffer()
        buffer.add_str(text)
        buffer.guess_segment_properties()
        buffer.language = self.language
        hb.shape(sized, buffer, self.features)
        infos, positions = buffer.glyph_infos or [], buffer.glyph_positions or []
        total = sum(position.x_advance for position in positions)
        return total * self._to_pt, infos, positions

    @staticmethod
    def _units_per_em(style: FontStyle, size: float) -> int:
        return round(size * style.scale / PT_PER_PX * PANGO_SCALE)

    _to_pt = PT_PER_PX / PANGO_SCALE

    def _cumulate(self, text: str, style: FontStyle, size: float) -> tuple[float, ...]:
        per_char = [0.0] * (len(text) + 1)
        base = 0
        for font, piece in self._segments(text, self._stack(style)):
            _, infos, positions = self._shape_in(font, piece, style, size)
            for info, position in zip(infos, positions, strict=True):
                per_char[base + info.cluster + 1] += position.x_advance * self._to_pt
            base += len(piece)
        return tuple(itertools.accumulate(per_char))

    def _shape(self, text: str, style: FontStyle, size: float) -> Glyphs:
        if not text:
            return Glyphs(0.0, 0.0, 0.0)
        to_pt = self._to_pt
        total = 0.0
        left = right = 0.0
        segments = self._segments(text, self._stack(style))
        for index, (font, piece) in enumerate(segments):
            width, infos, positions = self._shape_in(font, piece, style, size)
            sized = font.sized(self._units_per_em(style, size))
            if index == 0 and infos:
                extents = sized.get_glyph_extents(infos[0].codepoint)
                left = (positions[0].x_offset + extents.x_bearing) * to_pt
            if index == len(segments) - 1 and infos:
                extents = sized.get_glyph_extents(infos[-1].codepoint)
                ink_end = positions[-1].x_offset + extents.x_bearing + extents.width
                right = (positions[-1].x_advance - ink_end) * to_pt
            total += width
        return Glyphs(total, left, right)
