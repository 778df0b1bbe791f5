"""Glyph coverage: every character printed must be in the layout's own fonts.

Pango would silently fall back to a system font for a character the layout's fonts lack; the
printer would then get a font nobody chose, and an archive rebuilt elsewhere would differ. So the
text is checked before rendering, and the PDF's fonts after.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont

from ..core.cache import Cache
from ..core.errors import Finding, error

IGNORED = {"\u00ad", "\n", "\t", "\r", "\ufffc", "\u200b", "\u2060"}


@lru_cache(maxsize=16)
def _cmap(path: Path) -> frozenset[int]:
    with TTFont(path, lazy=True) as font:
        # only the code points are wanted: placeholder glyph names spare decoding the 'post'
        # table's real names, which costs more than the cmap itself
        font.setGlyphOrder([f"g{k}" for k in range(font["maxp"].numGlyphs)])
        return frozenset(font.getBestCmap())


@lru_cache(maxsize=16)
def _names(path: Path) -> tuple[str, ...]:
    with TTFont(path, lazy=True) as font:
        names = {font["name"].getDebugName(6) or ""}
    return tuple(n for n in names if n)


def covered(fonts: Iterable[Path], fallback: Iterable[Path] = (), cache: Cache | None = None
            ) -> frozenset[int]:
    """Code points present in every one of ``fonts`` (any style may set any text), or in every
    one of the ``fallback`` fonts (which every font-family stack names last). With ``cache``
    each font's code points are read once for its bytes, not once per process."""
    fonts, fallback = tuple(fonts), tuple(fallback)
    if cache is not None and cache.enabled:
        for path in {*fonts, *fallback}:
            if _stamp(path) not in _KNOWN:
                _KNOWN[_stamp(path)] = cache.remembered("glyphs", (path.read_bytes(),),
                                                lambda p=path: _cmap(p),  # type: ignore[misc]
                                                lambda v: isinstance(v, frozenset))
    return _covered(fonts, fallback)


_KNOWN: dict[tuple[Path, int, int], frozenset[int]] = {}
"""Code points of the fonts read through a cache, by path and file stamp (see :func:`covered`)."""


def _stamp(path: Path) -> tuple[Path, int, int]:
    stat = path.stat()
    return path, stat.st_mtime_ns, stat.st_size


@lru_cache(maxsize=16)
def _covered(fonts: tuple[Path, ...], fallback: tuple[Path, ...]) -> frozenset[int]:
    """:func:`covered`, once per set of fonts (an edition checks every article against it)."""
    sets = [_KNOWN.get(_stamp(p)) or _cmap(p) for p in fonts]
    text = frozenset.intersection(*sets) if sets else frozenset()
    extra = [_KNOWN.get(_stamp(p)) or _cmap(p) for p in fallback]
    return text | frozenset.intersection(*extra) if extra else text


def postscript_names(fonts: Iterable[Path]) -> set[str]:
    return {name for p in fonts for name in _names(p)}


def check_text(text: str, fonts: list[Path], where: Path | None, what: str,
               fallback: list[Path] | None = None, cache: Cache | None = None
               ) -> list[Finding]:
    """Characters of ``text`` that the layout's fonts cannot print: one error for each, or one
    error listing them all when there are many (a pasted phrase in another script)."""
    cover = covered(tuple(fonts), tuple(fallback or ()), cache)
    # in the order they appear, as a reader would find them
    missing = sorted({c for c in text if ord(c) not in cover and c not in IGNORED},
                     key=text.index)
    if not missing:
        return []
    source = where.read_text("utf-8").splitlines() if where is not None and where.is_file() else []

    def line_of(char: str) -> int | None:
        return next((n for n, s in enumerate(source, start=1) if char in s), None)

    def describe(char: str) -> str:
        return f"U+{ord(char):04X} {unicodedata.name(char, 'unnamed character')} ({char!r})"

    if len(missing) > MAX_LISTED:
        first = missing[0]
        shown = ", ".join(describe(c) for c in missing[:MAX_LISTED])
        more = len(missing) - MAX_LISTED
        return [error("glyph-missing", f"{what}: {len(missing)} characters are not in the layout's "
                      f"fonts: {shown} and {more} more; replace them or add a font that has them",
                      where, line_of(first))]
    return [error("glyph-missing", f"{what}: character {describe(char)} is not in the layout's "
                  "fonts; replace it or add a font that has it", where, line_of(char))
            for char in missing]


MAX_LISTED = 5
"""Missing characters reported one by one; more are listed in one error."""


WIDTHS = ("", "-Ultra-Condensed", "-Extra-Condensed", "-Condensed", "-Semi-Condensed",
          "-Semi-Expanded", "-Expanded", "-Extra-Expanded", "-Ultra-Expanded")
"""Pango's names of font widths, as WeasyPrint appends them to an embedded font's name."""


def unexpected_fonts(pdf_font_names: Iterable[str], fonts: list[Path],
                     families: Iterable[str] = ()) -> list[str]:
    """Fonts in a PDF that are not the layout's own (subset prefixes ignored).

    typeset names an embedded font of the layout by its PostScript name ("NotoSerif-Bold";
    WeasyPrint's own name, after the CSS family, is accepted too: "TS-Serif-Bold"); a font that
    Pango substituted keeps its own name ("DejaVuSans").
    """
    allowed = postscript_names(fonts)
    for family in families:
        stem = family.replace(" ", "-")
        styled = {stem, *(f"{stem}-{s}" for s in ("Bold", "Italic", "Bold-Italic",
                                                   "BoldItalic", "Regular"))}
        # a face of another width carries Pango's name of it: "TS-Serif-Bold-Semi-Condensed"
        allowed |= {f"{name}{width}" for name in styled for width in WIDTHS}
    out = []
    for raw in pdf_font_names:
        name = raw.lstrip("/")
        base = name.split("+", 1)[1] if "+" in name[:8] else name
        if base not in allowed:
            out.append(base)
    return sorted(set(out))
