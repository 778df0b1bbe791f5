"""Composer layouts (weekly-a3 since version 3): every body line composed before rendering,
rendered exactly as composed, the flow's rules at column feet, the spacing figures and the
debug view of loose lines."""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict, replace
from pathlib import Path

import pytest
from PIL import Image

from typeset.app.build import BuildResult, build_edition, collect_outputs, prepare
from typeset.compose.flow import FlowItem
from typeset.compose.paragraphs import ParagraphComposer
from typeset.compose.plan import PagePlan, Piece
from typeset.compose.spacing import loose_lines, quantile, spacing
from typeset.core.cache import Cache
from typeset.render.boxes import check_columns, geometry_findings
from typeset.render.html import render_html

from .conftest import ROOT, MakeEdition, article
from .test_robustness import run

pytestmark = pytest.mark.xdist_group("composer")  # one worker builds the edition once

SENTENCES = [
    "Делегация Павлодарской области обсудила с коллегами строительство новой дороги.",
    "Сельскохозяйственные предприятия завершили весенне-полевые работы раньше срока.",
    "По данным управления, к посевной готовы девяносто четыре процента тракторов.",
    "Жители микрорайона просили отремонтировать тротуары и установить освещение.",
    "Специалисты акимата пообещали вернуться к вопросу после утверждения бюджета.",
    "Программа модернизации коммунальной инфраструктуры рассчитана на пять лет.",
]


def body(paragraphs: int, subheads: bool = True) -> str:
    out = []
    for k in range(paragraphs):
        if subheads and k % 4 == 3:
            out.append(f"## Подзаголовок номер {k}")
        if k % 7 == 5:
            out.append("- " + SENTENCES[k % 6] + "\n- " + SENTENCES[(k + 1) % 6])
            continue
        text = " ".join(SENTENCES[(k + j) % 6] for j in range(2 + k % 3))
        out.append(text.replace("новой", "*новой*").replace("пять", "**пять**"))
    return "\n\n".join(out)


PAGES = ('[[pages]]\narticles = [{ slug = "a", span = 2 }, { slug = "b", span = 3 }]\n'
         '[[pages]]\narticles = [{ slug = "a", span = 2, continued = true }]\n')


@pytest.fixture(scope="module")
def composed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small edition of the current layout: an article continued, lists, subheads."""
    root = tmp_path_factory.mktemp("composer") / "paper"
    root.mkdir()
    paper = (ROOT / "newspaper.toml").read_text("utf-8")
    (root / "newspaper.toml").write_text(paper.replace("page_multiple = 4", "page_multiple = 1"),
                                         "utf-8")
    for name in ("layouts", "printers"):
        shutil.copytree(ROOT / name, root / name)
    folder = root / "issues" / "2024" / "016"
    (folder / "articles").mkdir(parents=True)
    for slug, title, paragraphs in (("a", "Длинная статья", 30), ("b", "Соседка", 24)):
        (folder / "articles" / f"{slug}.md").write_text(article(title, body(paragraphs)),
                                                        "utf-8")
    (folder / "issue.toml").write_text(f"number = 16\ndate = 2024-04-25\n{PAGES}", "utf-8")
    return folder


@pytest.fixture(scope="module")
def built(composed: Path) -> BuildResult:
    return build_edition(composed)  # the geometry check compares every line: no error


def column_pieces(pages: list[PagePlan]) -> list[tuple[str, list[Piece]]]:
    return [(placed.slug, column.pieces) for page in pages for placed in page.articles
            for column in placed.columns]


def test_every_body_line_is_known_before_rendering_and_rendered_as_composed(
        built: BuildResult) -> None:
    result = built
    assert result.layout.config.justification is not None
    for flow in result.composed.flows.values():
        for item in flow:
            if item.kind == "para":
                assert item.composition is not None
                assert item.lines == len(item.composition.lines)
    for page in result.composed.pages:
        for placed in page.articles:
            for column in placed.columns:
                assert column.used == sum(piece.lines for piece in column.pieces)
                for piece in column.pieces:
                    if piece.kind == "para":
                        assert len(piece.texts) == len(piece.stretch) == piece.lines
                        assert "hyphens" not in piece.html  # the CSS sets hyphens: manual


def test_no_column_ends_in_a_hyphen_nor_with_a_subhead(built: BuildResult) -> None:
    result = built
    columns = column_pieces(result.composed.pages)
    assert len(columns) >= 5
    for slug, pieces in columns:
        if not pieces:
            continue
        last = pieces[-1]
        assert last.kind != "subhead", slug
        if last.kind == "para":
            assert not last.texts[-1].endswith("-"), (slug, last.texts[-1])


def test_copyfit_counts_the_composed_lines_exactly(make_edition: MakeEdition) -> None:
    folder = make_edition({"a": article("Не влезает", body(60, subheads=False))},
                          pages='[[pages]]\narticles = [{ slug = "a", span = 1 }]\n')
    result = build_edition(folder, write_pdf=False, strict=False)
    fit = result.composed.copyfit["a"]
    total = sum(item.lines for item in result.composed.flows["a"])
    placed = sum(column.used for page in result.composed.pages for placed in page.articles
                 for column in placed.columns)
    assert fit.overset_lines == total - placed > 0
    assert [f.code for f in result.findings if f.severity.value == "error"] == ["overset"]


def test_the_geometry_check_finds_a_line_rendered_otherwise_than_composed(
        composed: Path, built: BuildResult) -> None:
    result = built
    plan = result.composed.pages[1]
    page_line = result.layout.grid.line
    html = render_html(result.edition, result.layout, [plan])
    _, _, renderer = prepare(composed)
    document = renderer.render(html, "test")
    assert not geometry_findings(check_columns(document, [plan], page_line))
    piece = next(p for column in plan.articles[0].columns for p in column.pieces
                 if p.kind == "para")
    piece = replace(piece, texts=[piece.texts[0] + "x", *piece.texts[1:]])
    plan = replace(plan, articles=[replace(plan.articles[0], columns=[
        replace(plan.articles[0].columns[0], pieces=[piece])])])  # a re-broken line
    (finding,) = geometry_findings(check_columns(document, [plan], page_line))
    assert "renders 1 line otherwise than composed" in finding.message
    assert "typeset bug" in finding.message


def test_compositions_are_kept_for_the_next_build(built: BuildResult, tmp_path: Path) -> None:
    result = built
    cache = Cache(tmp_path / "cache")
    first = ParagraphComposer(result.layout, cache)
    flows = result.composed.flows
    fresh = {slug: [FlowItem(i.id, i.kind, 0, i.runs, i.para_kind, i.first) for i in flow]
             for slug, flow in flows.items()}
    first.compose_flows(fresh)
    first.save()
    second = ParagraphComposer(result.layout, cache)
    items = [item for flow in fresh.values() for item in flow if item.kind == "para"]
    second.restore([second.spec(item) for item in items])
    assert all(second.breaker.knows(second.spec(item)) for item in items)


def test_spacing_figures_and_loose_lines(built: BuildResult) -> None:
    result = built
    report = collect_outputs(result)["report.json"]
    data = json.loads(report)
    figures = data["spacing"]
    stretches = sorted(line.stretch for flow in result.composed.flows.values() for item in flow
                       if item.composition for line in item.composition.lines
                       if line.spaces and not line.last)
    assert figures["justified_lines"] == len(stretches)
    assert figures["p99"] == round(quantile(stretches, 0.99), 3)
    assert figures["over_2_percent"] == round(
        100 * sum(s > 2 for s in stretches) / len(stretches), 1)
    assert figures["longest_run"] <= 3
    assert figures == json.loads(json.dumps(asdict(spacing(result.composed.flows.values()))))
    width, height = 297.0, 420.0
    for entry in data["loose_lines"]:
        assert set(entry) == {"page", "article", "column", "line", "stretch", "box"}
        assert entry["stretch"] > 2
        x, y, w, h = entry["box"]
        assert 0 < x < x + w < width and 0 < y < y + h < height
        assert h == pytest.approx(10.8 / 72 * 25.4, abs=0.01)
    everything = loose_lines(result.composed.pages, result.layout.grid.line, 1.0)
    assert len(everything) >= len(data["loose_lines"])


def test_an_edition_whose_lines_weasyprint_breaks_has_no_spacing_figures(
        make_edition: MakeEdition) -> None:
    folder = make_edition({"a": article("Старый макет", body(6))},
                          'number = 16\ndate = 2024-04-25\nlayout = "weekly-a3@2"\n'
                          '[[pages]]\narticles = ["a"]\n')
    data = json.loads(collect_outputs(build_edition(folder))["report.json"])
    assert "spacing" not in data and "loose_lines" not in data


def test_preview_marks_the_loose_lines(composed: Path, built: BuildResult,
                                       tmp_path: Path) -> None:
    result = built
    marks = loose_lines(result.composed.pages, result.layout.grid.line, 1.5)
    assert marks
    plain, marked = tmp_path / "plain", tmp_path / "marked"
    assert run(["preview", str(composed), "-o", str(plain), "--dpi", "30"])[0] == 0
    status, text = run(["preview", str(composed), "-o", str(marked), "--dpi", "30", "--lines"])
    assert status == 0
    assert f"Marked {len(marks)} line" in text
    mark = marks[0]
    x, y, _, h = (v * 30 / 25.4 for v in mark.box)
    spot = (round(x + 2), round(y + h / 2))
    name = f"page-{mark.page:02d}.png"
    before = Image.open(plain / name).convert("RGB").getpixel(spot)
    after = Image.open(marked / name).convert("RGB").getpixel(spot)
    assert before != after and after[2] < before[2]  # tinted yellow to red: less blue
