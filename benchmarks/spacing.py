"""Benchmark: word spacing of justified body text — WeasyPrint's greedy lines against total-fit.

Every body paragraph of the demo editions (issues/2024/015, 016 and 017, or ``--editions``: the
``Para`` blocks of the articles, list items with their bullet; quotes and fact boxes are set ragged
or in other faces and are left out), typeset with the layout's typography rule set, is set in one
column of the layout (``--layout``, default: the current version), two ways:

(a) greedy: WeasyPrint itself, with the layout's CSS as it is (``hyphens: auto`` through the
    layout's hyphenator, ``hyphenate-limit-chars: 7 3 2``): one measuring render, the lines and
    the justification spacing read back from WeasyPrint's boxes — the lines as printed today;
(b) total-fit: :class:`typeset.compose.linebreak.LineBreaker` with the layout's
    ``[justification]`` (or the proposed H&J settings with any ``--set`` overrides), its lines
    rendered by :mod:`typeset.compose.lines`.

For each it prints the distribution of the word-space stretch over the justified lines (a space's
advance over the font's natural space, one figure per line with spaces — a paragraph's last line
is not justified), of the ink gap between words (em, from the ink of one word to the ink of the
next, as measured for TeX), letter spacing, and the share of hyphenated lines and the longest run
of them.
``--fonts DIR`` adds the same two rows with the Noto Serif faces of DIR
(NotoSerif-SemiCondensed*.ttf) in place of the layout's. ``--verify`` renders the total-fit lines
with WeasyPrint and checks that every line comes out exactly as composed. The breaker is timed
(CPU time, cold: fonts and hyphenation loaded, nothing cached; warm: every paragraph again).

    .venv/bin/python benchmarks/spacing.py --layout weekly-a3@2 --editions issues/2024/017
    .venv/bin/python benchmarks/spacing.py --no-greedy --verify      # the current layout
    .venv/bin/python benchmarks/spacing.py --no-greedy --set hyphen_penalty=300 --set \\
        "letter_spacing=(-0.015,0.015)"
"""

from __future__ import annotations

import argparse
import ast
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from typeset.compose.breaks import EXPANDABLE, line_pieces  # noqa: E402
from typeset.compose.justification import (  # noqa: E402
    EXPLICIT,
    HYPHENATION,
    Composition,
    Justification,
    ParagraphSpec,
    body_style,
)
from typeset.compose.linebreak import LineBreaker  # noqa: E402
from typeset.compose.lines import (  # noqa: E402
    paragraph_html,
    rendered_text,
    tracking_style,
)
from typeset.compose.paragraphs import justification  # noqa: E402
from typeset.compose.shaping import BOLD, REGULAR, FontStyle, Shaper  # noqa: E402
from typeset.render.boxes import line_text, walk  # noqa: E402
from typeset.render.engine import Renderer  # noqa: E402
from typeset.source.articles import Para, Run, Subhead  # noqa: E402
from typeset.source.layouts import Layout, load_layout  # noqa: E402
from typeset.source.manifest import load_edition  # noqa: E402
from typeset.typography import Hyphenator, install, typeset_text  # noqa: E402

EDITIONS = ("issues/2024/015", "issues/2024/016", "issues/2024/017")
BULLET = "•\u00a0\u00a0"
"""base.css: ``.body p.li.start::before { content: "•\\00a0\\00a0" }``."""
INDENT_EM, LIST_INDENT_EM = 1.2, 0.9
"""base.css: ``text-indent: 1.2em``; list items ``padding-left: 0.9em; text-indent: -0.9em``."""
PX = 0.75
PROPOSED = Justification()
"""The settings proposed for the next layout version: the breaker's defaults."""


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph as the column sets it."""

    runs: tuple[Run, ...]
    width: float
    indent: float
    prefix: str
    classes: str


def body_paragraphs(layout: Layout, editions: Sequence[str] = EDITIONS) -> list[Paragraph]:
    """Every body paragraph of the editions, typeset with the layout's typography rule set, with
    its indent as base.css sets it."""
    size = layout.config.body_size
    column = layout.grid.column_width
    paragraphs: list[Paragraph] = []
    typo = partial(typeset_text, ruleset=layout.config.typography)
    for folder in editions:
        edition = load_edition(ROOT / folder, typo)
        for article in edition.articles.values():
            first = True
            for block in article.blocks:
                if isinstance(block, Subhead):
                    first = True
                if not isinstance(block, Para):
                    continue
                if block.kind == "li":
                    hang = LIST_INDENT_EM * size
                    paragraphs.append(Paragraph(block.runs, column - hang, -hang, BULLET,
                                                "li start"))
                else:
                    paragraphs.append(Paragraph(block.runs, column,
                                                0.0 if first else INDENT_EM * size, "",
                                                "first" if first else ""))
                first = False
    return paragraphs


# --- what is measured ---------------------------------------------------------------------------


@dataclass
class Figures:
    """Spacing figures of one way of setting the paragraphs."""

    name: str
    lines: int = 0
    stretch: list[float] = field(default_factory=list)
    gaps: list[float] = field(default_factory=list)
    letters: list[float] = field(default_factory=list)
    hyphenated: int = 0
    longest_run: int = 0
    short_last: int = 0
    other: str = ""
    """Total-fit only: paragraphs set by the second / last pass, overfull lines."""
    seconds: str = ""

    def add_paragraph(self, hyphens: Sequence[bool], last_chars: int) -> None:
        self.lines += len(hyphens)
        self.hyphenated += sum(hyphens)
        run = 0
        for hyphen in hyphens:
            run = run + 1 if hyphen else 0
            self.longest_run = max(self.longest_run, run)
        self.short_last += len(hyphens) > 1 and last_chars < PROPOSED.min_last_line

    def row(self) -> dict[str, str]:
        s, g = sorted(self.stretch), sorted(self.gaps)
        return {
            "setting": self.name,
            "lines": str(self.lines),
            "median": f"{statistics.median(s):.2f}×",
            "p95": f"{_quantile(s, 0.95):.2f}×",
            "p99": f"{_quantile(s, 0.99):.2f}×",
            ">1.5×": f"{_share(s, 1.5):.1%}",
            ">2×": f"{_share(s, 2.0):.1%}",
            "gap med": f"{statistics.median(g):.2f}",
            "gap p99": f"{_quantile(g, 0.99):.2f}",
            "gap>1em": f"{_share(g, 1.0):.1%}",
            "|ls| p95": f"{_quantile(sorted(self.letters), 0.95):.3f}",
            "hyph": f"{self.hyphenated / self.lines:.1%}",
            "run": str(self.longest_run),
            "last<5": str(self.short_last),
            "other": self.other,
            "time": self.seconds,
        }


def _quantile(values: Sequence[float], q: float) -> float:
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def _share(values: Sequence[float], above: float) -> float:
    return sum(value > above for value in values) / len(values)


class Gaps:
    """Ink gaps between words: the bearings of the letters on either side of each space."""

    def __init__(self, shaper: Shaper, size: float) -> None:
        self.shaper = shaper
        self.size = size
        self.space = shaper.width(" ", body_style(frozenset()), size)

    def line(self, chars: Sequence[tuple[str, FontStyle]], extra: float,
             letter: float) -> tuple[list[float], list[float]]:
        """The stretch of one line's word spaces (none if it has none) and the ink gap (em) at
        each of them: ``extra`` is added to each space (justification and word spacing),
        ``letter`` to every character."""
        gaps: list[float] = []
        for i, (char, style) in enumerate(chars):
            if char not in EXPANDABLE or i == 0 or i + 1 == len(chars):
                continue
            before, before_style = chars[i - 1]
            after, after_style = chars[i + 1]
            if before in EXPANDABLE or after in EXPANDABLE:
                continue
            advance = self.shaper.width(char, style, self.size) + letter + extra
            right = self.shaper.glyphs(before, before_style, self.size).right_bearing
            left = self.shaper.glyphs(after, after_style, self.size).left_bearing
            gaps.append((right + letter + advance + left) / self.size)
        stretch = (self.space + letter + extra) / self.space
        return ([stretch] if any(char in EXPANDABLE for char, _ in chars) else []), gaps


# --- (a) greedy: WeasyPrint's own lines ---------------------------------------------------------


def greedy(paragraphs: Sequence[Paragraph], layout: Layout, shaper: Shaper) -> Figures:
    """Render every paragraph with the layout's CSS and read back WeasyPrint's lines."""
    install(Hyphenator.from_folder(layout.folder / "hyphenation"))
    body = "\n".join(f'<p id="p{i}" class="{p.classes}">{"".join(r.html() for r in p.runs)}</p>'
                     for i, p in enumerate(paragraphs))
    document = Renderer(ROOT, layout.folder, layout.css).render(_document(layout, body),
                                                                "greedy")
    figures = Figures("(a) greedy, WeasyPrint")
    gaps = Gaps(shaper, layout.config.body_size)
    for lines in _paragraph_lines(document, len(paragraphs)):
        texts = [line_text(line).rstrip(" ") for line in lines]
        for line in lines[:-1]:
            chars = list(_styled_chars(line))
            extra = max((box.justification_spacing for box in walk(line)
                         if type(box).__name__ == "TextBox"), default=0.0) * PX
            stretches, found = gaps.line(chars, extra, 0.0)
            figures.stretch += stretches
            figures.gaps += found
        figures.letters += [0.0] * len(lines)
        figures.add_paragraph([text.endswith("-") for text in texts], len(texts[-1]))
    return figures


def _styled_chars(line: Any) -> Iterable[tuple[str, FontStyle]]:
    for box in walk(line):
        if type(box).__name__ != "TextBox" or "::" in (getattr(box, "element_tag", "") or ""):
            continue
        style = box.style
        family = style["font_family"][0]
        weight = BOLD if style["font_weight"] >= BOLD else REGULAR
        scale = style["font_size"] * PX / 9.0
        for char in box.text:
            yield char, FontStyle(family, weight, style["font_style"] != "normal", scale)


def _document(layout: Layout, body: str) -> str:
    return (f'<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8"><style>'
            f"@page {{ size: {layout.grid.column_width + 20}pt 300000pt; margin: 10pt }}"
            f'</style></head><body><div class="body" style="width: {layout.grid.column_width}pt">'
            f"{body}</div></body></html>")


def _paragraph_lines(document: Any, count: int) -> list[list[Any]]:
    found: dict[str, list[Any]] = {}
    for page in document.pages:
        for box in walk(page._page_box):
            element = getattr(box, "element", None)
            if (element is not None and type(box).__name__ == "BlockBox"
                    and getattr(box, "element_tag", "") == "p"):
                found.setdefault(element.get("id"), []).extend(
                    line for line in box.children if type(line).__name__ == "LineBox")
    return [found.get(f"p{i}", []) for i in range(count)]


# --- (b) total-fit ------------------------------------------------------------------------------


def total_fit(paragraphs: Sequence[Paragraph], breaker: LineBreaker,
              name: str) -> tuple[Figures, list[Composition]]:
    started = time.process_time()
    compositions = [compose(breaker, p) for p in paragraphs]
    cold = time.process_time() - started
    started = time.process_time()
    for p in paragraphs:
        compose(breaker, p)
    warm = time.process_time() - started
    figures = Figures(name, seconds=f"{cold:.2f} s / {warm * 1000:.0f} ms")
    passes = [sum(c.passes == n for c in compositions) for n in (2, 3)]
    overfull = sum(line.overfull > 0 for c in compositions for line in c.lines)
    figures.other = f"{passes[0]}/{passes[1]}/{overfull}"
    gaps = Gaps(breaker.shaper, breaker.font_size)
    for p, composition in zip(paragraphs, compositions, strict=True):
        for line in composition.lines:
            figures.letters.append(abs(line.letter_spacing) / breaker.font_size)
            if line.last:
                continue
            chars = [(char, breaker.styles(marks))
                     for text, marks in line_pieces(p.runs, line.start, line.end, line.hyphen)
                     for char in text]
            stretches, found = gaps.line(chars, line.word_spacing, line.letter_spacing)
            figures.stretch += stretches
            figures.gaps += found
        figures.add_paragraph([line.kind in (HYPHENATION, EXPLICIT) for line in
                               composition.lines],
                              composition.lines[-1].end - composition.lines[-1].start)
    return figures, compositions


def compose(breaker: LineBreaker, p: Paragraph) -> Composition:
    return breaker.compose(ParagraphSpec(p.runs, (p.width,), p.indent, p.prefix))


def verify(paragraphs: Sequence[Paragraph], compositions: Sequence[Composition],
           layout: Layout) -> tuple[int, int]:
    """Render the composed lines with WeasyPrint: (lines that differ, lines)."""
    body = "\n".join(f'<p id="p{i}" class="{p.classes}" style="{tracking_style(c.tracking)}">'
                     f"{paragraph_html(p.runs, c.lines, tracking=c.tracking)}</p>"
                     for i, (p, c) in enumerate(zip(paragraphs, compositions, strict=True)))
    document = Renderer(ROOT, layout.folder, layout.css).render(
        _document(layout, body), "verify", extra_css=".body p { hyphens: manual }")
    wrong = total = 0
    for p, c, lines in zip(paragraphs, compositions, _paragraph_lines(document, len(paragraphs)),
                           strict=True):
        expected = [rendered_text(p.runs, line) for line in c.lines]
        got = [line_text(line).rstrip(" \u200b") for line in lines]
        total += len(expected)
        wrong += sum(a != b for a, b in zip(got, expected, strict=False))
        wrong += abs(len(got) - len(expected))
    return wrong, total


# --- fonts, settings, output --------------------------------------------------------------------


def with_fonts(layout: Layout, fonts: Path, scratch: Path) -> Layout:
    """A copy of ``layout`` whose "TS Serif" faces are NotoSerif-SemiCondensed*.ttf of ``fonts``."""
    root = scratch / "root"
    shutil.copytree(layout.folder, root / "layouts" / layout.name)
    css_path = root / "layouts" / layout.name / "css" / "fonts.css"
    css = css_path.read_text("utf-8")
    for style in ("Regular", "Italic", "Bold", "BoldItalic"):
        name = f"NotoSerif-SemiCondensed{'' if style == 'Regular' else style}.ttf"
        shutil.copy(fonts / name, root / "layouts" / layout.name / "fonts" / name)
        css = css.replace(f"../fonts/NotoSerif-{style}.ttf", f"../fonts/{name}")
    css_path.write_text(css, "utf-8")
    return load_layout(root, layout.name)


def settings_from(overrides: Sequence[str]) -> Justification:
    known = {f.name for f in fields(Justification)}
    values: dict[str, Any] = {}
    for item in overrides:
        key, _, value = item.partition("=")
        if key not in known:
            raise SystemExit(f"--set {key}: not a Justification setting ({', '.join(known)})")
        values[key] = ast.literal_eval(value)
    return Justification(**{**{f.name: getattr(PROPOSED, f.name) for f in fields(PROPOSED)},
                            **values})


def import_seconds() -> float:
    """CPU time to import the breaker and its hyphenation, in a fresh interpreter."""
    code = ("import time; t = time.process_time(); "
            "import typeset.compose.linebreak, typeset.compose.lines; "
            "print(time.process_time() - t)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={"PYTHONPATH": str(ROOT / "src")})
    return float(out.stdout)


def print_table(rows: Sequence[dict[str, str]]) -> None:
    keys = list(rows[0])
    widths = {k: max(len(k), *(len(r[k]) for r in rows)) for k in keys}
    print("  ".join(k.ljust(widths[k]) for k in keys))
    for r in rows:
        print("  ".join(r[k].ljust(widths[k]) for k in keys))


def measure(layout: Layout, label: str, settings: Justification, greedy_too: bool,
            check: bool, editions: Sequence[str] = EDITIONS) -> list[dict[str, str]]:
    paragraphs = body_paragraphs(layout, editions)
    started = time.process_time()
    shaper = Shaper.for_layout(layout.folder)
    breaker = LineBreaker(shaper, Hyphenator.from_folder(layout.folder / "hyphenation"),
                          settings, layout.config.body_size)
    setup = time.process_time() - started
    rows = []
    if greedy_too:
        rows.append(greedy(paragraphs, layout, Shaper.for_layout(layout.folder)).row()
                    | {"setting": f"(a) greedy, {label}"})
    figures, compositions = total_fit(paragraphs, breaker, f"(b) total-fit, {label}")
    figures.seconds = f"{setup:.2f} s + {figures.seconds}"
    rows.append(figures.row())
    if check:
        wrong, total = verify(paragraphs, compositions, layout)
        print(f"verify, {label}: {total - wrong} of {total} lines rendered by WeasyPrint exactly "
              "as composed")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fonts", type=Path, help="folder with NotoSerif-SemiCondensed*.ttf")
    parser.add_argument("--no-greedy", action="store_true", help="skip the WeasyPrint render")
    parser.add_argument("--verify", action="store_true", help="render the total-fit lines")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="override a proposed H&J setting")
    parser.add_argument("--layout", default="weekly-a3",
                        help="layout (and version) whose CSS, fonts, typography rule set and "
                             "[justification] to use; weekly-a3@2 for the lines as they were")
    parser.add_argument("--editions", nargs="+", default=list(EDITIONS), metavar="ISSUE_DIR",
                        help=f"editions whose paragraphs to set (default: {' '.join(EDITIONS)})")
    args = parser.parse_args()
    layout = load_layout(ROOT, args.layout)
    if layout.config.justification is not None and not args.set:
        settings = justification(layout.config.justification)
    else:
        settings = settings_from(args.set)
    rows = measure(layout, layout.ref, settings, not args.no_greedy, args.verify, args.editions)
    if args.fonts is not None:
        with tempfile.TemporaryDirectory() as scratch:
            condensed = with_fonts(layout, args.fonts, Path(scratch))
            rows += measure(condensed, "SemiCondensed", settings, not args.no_greedy,
                            args.verify, args.editions)
    print(f"column {layout.grid.column_width:.2f} pt, {layout.config.body_size:g} pt type; "
          "stretch: per justified line, a space's advance ÷ the font's space; gap: per space, "
          "ink to ink, em; time: CPU, setup + cold / warm")
    print(f"settings: {settings}")
    print_table(rows)
    print(f"import of typeset.compose: {import_seconds():.2f} s CPU")


if __name__ == "__main__":
    main()
