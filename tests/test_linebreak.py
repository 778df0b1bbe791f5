"""Tests of total-fit line breaking (typeset.compose.linebreak) and of the HTML of its lines
(typeset.compose.lines), rendered by WeasyPrint."""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from typeset.compose import linebreak as lb
from typeset.compose.breakpoints import BreakFinder
from typeset.compose.breaks import EXPANDABLE, pango_may_break
from typeset.compose.justification import (
    EMERGENCY,
    EXPLICIT,
    FINAL,
    HYPHENATION,
    SPACE_BREAK,
    Composition,
    Justification,
    Line,
    ParagraphSpec,
    body_style,
)
from typeset.compose.linebreak import LineBreaker
from typeset.compose.lines import paragraph_html, rendered_text, tracking_style
from typeset.compose.shaping import Shaper
from typeset.render.boxes import line_text, walk
from typeset.render.engine import Renderer
from typeset.source.articles import Run, runs_text
from typeset.source.layouts import load_layout
from typeset.typography import Hyphenator, typeset_text

ROOT = Path(__file__).resolve().parents[1]
LAYOUT = ROOT / "layouts" / "weekly-a3"
COLUMN = load_layout(ROOT, "weekly-a3").grid.column_width
INDENT = 10.8
"""base.css: ``text-indent: 1.2em`` at 9 pt."""
SIZE = 9.0
EPS = 1e-6
NBSP = "\u00a0"

TEXT = typeset_text(
    "Павлодарская область остаётся ключевым внешнеторговым партнёром, сообщили в акимате. "
    "Делегация промышленников обсудила строительство дороги и модернизацию вокзала. "
    "Сельскохозяйственные предприятия завершили весенне-полевые работы раньше "
    "запланированного срока, а в 2024-м году — на две недели раньше, чем в 2023-м.")


@pytest.fixture(scope="module")
def shaper() -> Shaper:
    return Shaper.for_layout(LAYOUT)


@pytest.fixture(scope="module")
def hyphenator() -> Hyphenator:
    return Hyphenator.from_folder(LAYOUT / "hyphenation")


@pytest.fixture(scope="module")
def breaker(shaper: Shaper, hyphenator: Hyphenator) -> LineBreaker:
    return LineBreaker(shaper, hyphenator)


def set_width(line: Line, outside: int = 0) -> float:
    """The width WeasyPrint gives ``line`` with its spacing (``outside`` bullet spaces)."""
    spaces = line.spaces + (outside if line.word_spacing > 0 else 0)
    return line.natural + line.letters * line.letter_spacing + spaces * line.word_spacing


def check(composition: Composition, spec: ParagraphSpec, breaker: LineBreaker) -> None:
    """Every promise the breaker makes about a composition."""
    text, lines, s = composition.text, composition.lines, breaker.settings
    assert text == runs_text(spec.runs)
    if not text.strip():
        assert lines == ()
        return
    # all the text, in order: lines meet at a break, with only spaces between them
    assert lines[0].start == 0
    assert lines[-1].end == len(text.rstrip(" ")) and lines[-1].last
    for before, after in itertools.pairwise(lines):
        assert not before.last
        assert text[before.end:after.start].strip(" ") == ""
        if before.kind == SPACE_BREAK:
            assert text[before.end] == " "  # never at U+00A0, U+202F or inside a word
        else:
            assert before.end == after.start
        if before.kind == HYPHENATION:
            assert text[before.end - 1].isalpha() and text[before.end].isalpha()
        if before.kind == EXPLICIT:
            assert text[before.end - 1] == "-"
    outside = sum(char in EXPANDABLE for char in spec.prefix)
    low, desired, _ = s.word_spacing
    for index, line in enumerate(lines):
        width = set_width(line, outside if index == 0 else 0)
        assert width <= line.width + line.overfull + EPS  # never wider than the column
        if composition.passes < 3:
            assert line.overfull == 0
            assert s.letter_spacing[0] * SIZE - EPS <= line.letter_spacing
            assert line.letter_spacing <= s.letter_spacing[1] * SIZE + EPS
        if not line.last and line.spaces and not line.overfull:
            assert width == pytest.approx(line.width, abs=1e-6)  # justified exactly
            assert line.word_spacing >= -(1 - lb.OVERSHRINK_FLOOR) * breaker.space - EPS
        if line.ratio >= -1 and line.spaces:
            assert line.word_spacing >= (low - desired) * breaker.space - EPS
    # hyphens: never more in a row than allowed, never where forbidden (the last pass breaks
    # these rules only rather than run out of the column)
    run = 0
    for index, line in enumerate(lines):
        hyphenated = line.kind in (HYPHENATION, EXPLICIT)
        run = run + 1 if hyphenated else 0
        if composition.passes < 3:
            assert run <= s.max_hyphen_lines
            assert not (hyphenated and index in spec.no_hyphen)
    if len(lines) > 1 and composition.passes < 3:
        assert lines[-1].end - lines[-1].start >= s.min_last_line


def compose(breaker: LineBreaker, text: str, width: float = COLUMN, **kwargs: Any) -> Composition:
    spec = ParagraphSpec((Run(text),), (width,), **kwargs)
    composition = breaker.compose(spec)
    check(composition, spec, breaker)
    return composition


# --- the breaker --------------------------------------------------------------------------------


def test_a_paragraph_fills_its_lines(breaker: LineBreaker) -> None:
    composition = compose(breaker, TEXT, indent=INDENT)
    assert len(composition.lines) > 4
    assert composition.lines[0].width == pytest.approx(COLUMN - INDENT)
    assert all(line.width == pytest.approx(COLUMN) for line in composition.lines[1:])
    assert composition.passes == 1


def test_short_and_empty_paragraphs(breaker: LineBreaker) -> None:
    (line,) = compose(breaker, "Да.").lines
    assert line.last and line.kind == FINAL and line.word_spacing == 0
    assert compose(breaker, "").lines == ()
    assert compose(breaker, "   ").lines == ()


def test_no_break_spaces_are_never_broken(breaker: LineBreaker) -> None:
    glued = NBSP.join(["в", "2024", "году", "и", "в", "2025"])
    composition = compose(breaker, f"{glued} {glued} {glued}", width=80)
    assert [c.text[line.start:line.end] for c, line in
            ((composition, line) for line in composition.lines)] == [glued] * 3


def test_numbers_keep_their_endings(breaker: LineBreaker) -> None:
    """"2024-го" never parts at the hyphen (the no-wrap rule of ``articles.Run``)."""
    text = "итоги 2024-го и 2025-го годов"
    for width in range(40, 140, 7):
        for line in compose(breaker, text, width=width).lines:
            assert not text[:line.end].endswith(("2024-", "2025-"))


def test_a_line_may_end_after_a_hyphen_between_words(breaker: LineBreaker) -> None:
    text = "трасса Омск-Павлодар закрыта"
    spec = ParagraphSpec((Run(text),), (COLUMN,))
    breaks = breaker.compose_at(spec, [text.index("-") + 1])
    assert breaks.lines[0].kind == EXPLICIT
    assert rendered_text(spec.runs, breaks.lines[0]) == "трасса\u00a0Омск-"
    for short in ("Т-34 вышел", "е-mail пришёл"):  # a digit, one letter: no break
        with pytest.raises(ValueError, match="no break opportunity"):
            breaker.compose_at(ParagraphSpec((Run(short),), (COLUMN,)), [short.index("-") + 1])


def test_at_most_so_many_hyphens_in_a_row(shaper: Shaper, hyphenator: Hyphenator) -> None:
    text = " ".join(["электроприборостроение", "сельскохозяйственные", "высококвалифицированные",
                     "машиностроительная", "интеллектуальная"] * 4)
    for limit in (1, 2, 3):
        breaker = LineBreaker(shaper, hyphenator, Justification(max_hyphen_lines=limit))
        composition = compose(breaker, text, width=70)
        assert composition.hyphenated > 0


def test_forbidden_hyphen_lines(breaker: LineBreaker) -> None:
    composition = compose(breaker, TEXT)
    hyphenated = [i for i, line in enumerate(composition.lines) if line.kind == HYPHENATION]
    assert hyphenated
    again = compose(breaker, TEXT, no_hyphen=frozenset(hyphenated))
    assert all(again.lines[i].kind != HYPHENATION for i in hyphenated if i < len(again.lines))


def test_the_last_line_is_never_a_stub(shaper: Shaper, hyphenator: Hyphenator) -> None:
    lenient = LineBreaker(shaper, hyphenator, Justification(min_last_line=0))
    strict = LineBreaker(shaper, hyphenator, Justification(min_last_line=12))
    stubs = 0
    for width in range(100, 160, 3):
        last = compose(lenient, TEXT, width=width).lines[-1]
        stubs += last.end - last.start < 12
        last = compose(strict, TEXT, width=width).lines[-1]
        assert last.end - last.start >= 12
    assert stubs  # the rule changed something


def test_a_word_wider_than_the_column_is_broken_not_lost(breaker: LineBreaker) -> None:
    word = "https://example.kz/" + "очень-длинный-адрес" * 3
    composition = compose(breaker, f"Адрес {word} указан.", width=60)
    assert composition.passes == 3
    assert any(line.kind == EMERGENCY for line in composition.lines)


def test_list_bullet_prefix(breaker: LineBreaker) -> None:
    bullet = "•\u00a0\u00a0"
    composition = compose(breaker, TEXT, width=COLUMN - 8.1, indent=-8.1, prefix=bullet)
    first = composition.lines[0]
    assert first.width == pytest.approx(COLUMN)
    assert first.natural > breaker.shaper.width(bullet, body_style(frozenset()), SIZE)


def test_styles_and_marks(breaker: LineBreaker) -> None:
    runs = (Run("Обычный текст, "), Run("жирный текст", frozenset({"strong"})), Run(" и "),
            Run("курсив", frozenset({"em"})), Run(", "), Run("code_x = 5", frozenset({"code"})),
            Run(" и "), Run("неперенос", frozenset({"nh"})), Run(" в конце абзаца."))
    spec = ParagraphSpec(runs, (60.0,))
    composition = breaker.compose(spec)
    check(composition, spec, breaker)
    text = composition.text
    for line in composition.lines:
        if line.hyphen:  # never inside code or a run the layout keeps whole
            assert not ("code_x" in text[line.start:line.end + 3]
                        or "неперенос" in text[line.start - 5:line.end + 5])


def test_results_are_cached(breaker: LineBreaker) -> None:
    spec = ParagraphSpec((Run(TEXT),), (COLUMN,), INDENT)
    first = breaker.compose(spec)
    assert breaker.compose(spec) is first
    saved = json.loads(json.dumps(breaker.export_cache()))
    fresh = LineBreaker(breaker.shaper, breaker.hyphenator)
    assert fresh.import_cache(saved, [spec]) == 1
    assert fresh.compose(spec) == first
    other = LineBreaker(breaker.shaper, breaker.hyphenator, salt="another layout")
    assert other.import_cache(saved, [spec]) == 0


# --- the dynamic programme is exact -------------------------------------------------------------


def brute_force(paragraph: Any, breaks: Sequence[Any], how: Any) -> float:
    """The least total demerits over every subset of breaks, by the breaker's own rules."""
    s = paragraph.settings
    best = lb.INFINITY
    inner = range(1, len(breaks) - 1)
    for count in range(len(inner) + 1):
        for subset in itertools.combinations(inner, count):
            path = [0, *subset, len(breaks) - 1]
            total, fitness, hyphens, ok = 0.0, lb.FITNESS_DECENT_CLASS, 0, True
            for line, (a, b) in enumerate(itertools.pairwise(path)):
                origin, brk = breaks[a], breaks[b]
                ratio = paragraph.ratio(origin, brk, min(line, paragraph.special_lines), how)
                hyphens = hyphens + 1 if brk.flagged else 0
                final = brk.kind == FINAL
                if (ratio < -1 - EPS or ratio > how.tolerance or hyphens > s.max_hyphen_lines
                        or (final and line > 0 and brk.end - origin.start < s.min_last_line)):
                    ok = False
                    break
                new = lb.FITNESS_DECENT_CLASS if final else lb._fitness(ratio)
                total += paragraph.demerits(ratio, brk, origin.flagged, abs(new - fitness) > 1)
                fitness = new
            if ok:
                best = min(best, total)
    return best


@pytest.mark.parametrize("width", [60.0, 75.0, 90.0])
def test_total_fit_finds_the_least_demerits(breaker: LineBreaker, width: float) -> None:
    text = "Делегация обсудила строительство дороги."
    spec = ParagraphSpec((Run(text),), (width,), 6.0)
    paragraph = lb._Paragraph(breaker, spec)
    breaks = BreakFinder(paragraph, emergency=False).find()
    assert len(breaks) <= 20  # small enough to try every subset
    how, chosen = next((how, chosen) for how in paragraph.passes()
                       if (chosen := paragraph.best(breaks, how)) is not None)
    index = {id(brk): i for i, brk in enumerate(breaks)}
    path = [0, *(index[id(brk)] for brk in chosen)]
    total, fitness = 0.0, lb.FITNESS_DECENT_CLASS
    for line, (a, b) in enumerate(itertools.pairwise(path)):
        ratio = paragraph.ratio(breaks[a], breaks[b], min(line, paragraph.special_lines), how)
        new = lb.FITNESS_DECENT_CLASS if breaks[b].kind == FINAL else lb._fitness(ratio)
        total += paragraph.demerits(ratio, breaks[b], breaks[a].flagged, abs(new - fitness) > 1)
        fitness = new
    assert total == pytest.approx(brute_force(paragraph, breaks, how))


# --- properties ---------------------------------------------------------------------------------

WORDS = ["в", "и", "на", "по", "что", "область", "промышленников", "электроприборостроение",
         "Павлодар", "Омск-Павлодар", "2024-го", "5\u202f000", "тенге,", "—", "«слово»",
         "сельскохозяйственные", "кто-то", "т.\u00a0е.", "№\u202f5", "+12…+15", "10–12"]


@st.composite
def paragraphs(draw: st.DrawFn) -> tuple[tuple[Run, ...], float, float]:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=40))
    separators = draw(st.lists(st.sampled_from([" ", " ", " ", NBSP]), min_size=len(words),
                               max_size=len(words)))
    text = "".join(w + s for w, s in zip(words, separators, strict=True)).strip(" \u00a0")
    cuts = sorted(set(draw(st.lists(st.integers(0, len(text)), max_size=3))))
    marks = [frozenset(), frozenset({"strong"}), frozenset({"em"}), frozenset({"nh"})]
    runs = [Run(text[a:b], draw(st.sampled_from(marks)))
            for a, b in itertools.pairwise([0, *cuts, len(text)]) if a < b]
    width = draw(st.floats(50, 300))
    indent = draw(st.sampled_from([0.0, INDENT, -8.1]))
    return tuple(runs), width, indent


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(paragraphs(), st.frozensets(st.integers(0, 6), max_size=3))
def test_properties(breaker: LineBreaker, paragraph: tuple[tuple[Run, ...], float, float],
                    no_hyphen: frozenset[int]) -> None:
    runs, width, indent = paragraph
    spec = ParagraphSpec(runs, (width,), indent, no_hyphen=no_hyphen)
    check(breaker.compose(spec), spec, breaker)


# --- Pango's break opportunities ----------------------------------------------------------------

INVENTORY = ("аяЖ5zZ.,:;!?()[]{}«»„“\"'/\\…-–—+%№₸°²·@&*=_<>|#$"
             "\u00a0\u202f\u2060\u2011\u2009")


def test_word_joiners_cover_every_break_pango_could_make() -> None:
    from weasyprint.text.line_break import get_log_attrs

    missed = []
    for before, after in itertools.product(INVENTORY, repeat=2):
        text = f"ж{before}{after}ж"
        if get_log_attrs(text, "ru")[2].is_line_break and not pango_may_break(before, after):
            missed.append(before + after)
    assert missed == []


# --- the HTML of composed lines, rendered ------------------------------------------------------


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    layout = load_layout(ROOT, "weekly-a3")
    return Renderer(ROOT, layout.folder, layout.css)


def html_of(runs: Sequence[Run], composition: Composition) -> tuple[str, str]:
    """A composed paragraph's ``<p>`` style (its tracking) and inner HTML."""
    return (tracking_style(composition.tracking),
            paragraph_html(runs, composition.lines, tracking=composition.tracking))


def rendered_lines(renderer: Renderer,
                   paragraphs: list[tuple[str, tuple[str, str]]]) -> list[list[str]]:
    """Render (class, (style, inner HTML)) paragraphs in a body column; each one's lines'
    text."""
    body = "".join(f'<p id="p{i}" class="{classes}" style="{style}">{html}</p>'
                   for i, (classes, (style, html)) in enumerate(paragraphs))
    document = renderer.render(
        f'<html lang="ru"><body><div class="body" style="width: {COLUMN}pt">{body}</div>'
        "</body></html>", "lines test", extra_css=".body p { hyphens: manual }")
    found: dict[str, list[str]] = {}
    for page in document.pages:
        for box in walk(page._page_box):
            element = getattr(box, "element", None)
            if element is not None and getattr(box, "element_tag", "") == "p" \
                    and type(box).__name__ == "BlockBox":
                found[element.get("id")] = [line_text(line).rstrip(" \u200b")
                                            for line in box.children
                                            if type(line).__name__ == "LineBox"]
    return [found[f"p{i}"] for i in range(len(paragraphs))]


def test_weasyprint_sets_exactly_the_composed_lines(breaker: LineBreaker,
                                                    renderer: Renderer) -> None:
    runs_list = [
        ((Run(TEXT),), "", INDENT, ""),
        ((Run("Начало абзаца, "), Run("жирная часть", frozenset({"strong"})),
          Run(" и курсив: "), Run("«Омск-Павлодар»", frozenset({"em"})),
          Run(" — и снова обычный текст с кодом "), Run("x = 5", frozenset({"code"})),
          Run(" в середине и в 2024-м году тоже.")), "first", 0.0, ""),
        ((Run(TEXT[:200]),), "li start", -8.1, "•\u00a0\u00a0"),
    ]
    expected: list[list[str]] = []
    paragraphs: list[tuple[str, tuple[str, str]]] = []
    for runs, classes, indent, prefix in runs_list:
        width = COLUMN - 8.1 if prefix else COLUMN
        composition = breaker.compose(ParagraphSpec(runs, (width,), indent, prefix))
        expected.append([rendered_text(runs, line) for line in composition.lines])
        paragraphs.append((classes, html_of(runs, composition)))
    # a line that must shrink: the same text a little narrower than it likes
    spec = ParagraphSpec((Run(TEXT),), (COLUMN,), INDENT)
    tight = breaker.compose(replace(spec, widths=(COLUMN + 3,)))
    squeezed = breaker.compose_at(spec, [line.end for line in tight.lines])
    assert any(line.word_spacing < 0 for line in squeezed.lines)
    expected.append([rendered_text(spec.runs, line) for line in squeezed.lines])
    paragraphs.append(("", html_of(spec.runs, squeezed)))
    # lines whose slack would take the next line whole: held apart
    short = "Один два три четыре пять"
    for end in (short.index(" два"), short.index(" три")):
        held = breaker.compose_at(ParagraphSpec((Run(short),), (COLUMN,)), [end])
        assert held.lines[0].hold
        expected.append([rendered_text((Run(short),), line) for line in held.lines])
        paragraphs.append(("first", html_of((Run(short),), held)))
    # a word wider than the column, without a place to break: on its own line, overfull
    long = (Run("Сверхдлинное "), Run("электроприборостроение" * 4, frozenset({"nh"})),
            Run(" слово."))
    broken = breaker.compose(ParagraphSpec(long, (COLUMN,)))
    assert broken.passes == 3 and broken.lines[1].overfull > 0
    expected.append([rendered_text(long, line) for line in broken.lines])
    paragraphs.append(("first", html_of(long, broken)))
    assert rendered_lines(renderer, paragraphs) == expected


def test_weasyprint_widens_no_break_spaces_but_not_narrow_ones(shaper: Shaper,
                                                                renderer: Renderer) -> None:
    """Justification widens U+0020 and U+00A0 alike and leaves U+202F as it is — the model
    the breaker's glue follows."""
    first = "а\u202fб в\u00a0г д"
    html = f"{first} {'слово ' * 40}"
    document = renderer.render(
        f'<html lang="ru"><body><div class="body" style="width: {COLUMN}pt">'
        f'<p class="first">{html}</p></div></body></html>', "spaces test")
    line = next(box for box in walk(document.pages[0]._page_box)
                if type(box).__name__ == "LineBox")
    text = line_text(line).rstrip(" ")
    assert text.startswith(first)
    boxes = [box for box in walk(line) if type(box).__name__ == "TextBox"]
    extra = boxes[0].justification_spacing * 0.75
    natural = shaper.width(text, body_style(frozenset()), SIZE)
    widened = text.count(" ") + text.count(NBSP)
    assert extra > 0
    assert natural + widened * extra == pytest.approx(COLUMN, abs=0.01)


def test_never_a_last_line_shorter_than_the_paragraphs_minimum(shaper: Shaper,
                                                              hyphenator: Hyphenator) -> None:
    """Regression: in a dense six-page edition a paragraph broken again (to keep a hyphen off a
    line) ended «…полностью осво-» / «ено.», «ено.» alone. The composer never sets a last line
    shorter than ``min_last_line`` characters, however it is asked to break a paragraph again."""
    text = typeset_text("По итогам первого квартала из выделенных на ремонт дорог средств было "
                        "полностью освоено.")
    lenient = LineBreaker(shaper, hyphenator, Justification(min_last_line=0))
    stub = compose(lenient, text, width=128, no_hyphen=frozenset({1}))
    assert [text[line.start:line.end] for line in stub.lines][-2:] == [
        "средств было полностью осво", "ено."]  # what the rule prevents
    strict = LineBreaker(shaper, hyphenator)
    for width in range(100, 170):
        for no_hyphen in ((), (0,), (1,), (2,), (1, 2)):
            composition = compose(strict, text, width=width, no_hyphen=frozenset(no_hyphen))
            last = composition.lines[-1]
            assert len(composition.lines) == 1 or last.end - last.start >= 5, (width, no_hyphen)
