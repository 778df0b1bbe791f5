"""Copyfit: overset and underset counted exactly, continuations carry the rest, nothing lost."""

from __future__ import annotations

import json

import pytest

from typeset.app.build import build_edition
from typeset.core.errors import EditionError, Finding

from .conftest import MakeEdition, article

LINE = "Строка."  # one short paragraph = exactly one body line


def lines_body(n: int) -> str:
    return "\n\n".join(f"{LINE} {i}" for i in range(n))


def underset_of(make_edition: MakeEdition, n: int, span: int = 5) -> int:
    folder = make_edition({"a": article("Проверка", lines_body(n))},
                          pages=f'[[pages]]\narticles = [{{ slug = "a", span = {span} }}]\n')
    result = build_edition(folder, write_pdf=False)
    return result.composed.copyfit["a"].underset_lines


@pytest.mark.parametrize("k", [1, 7])
def test_article_k_lines_too_long_is_refused_with_k(make_edition: MakeEdition, k: int) -> None:
    spare = underset_of(make_edition, 20, span=1)
    folder = make_edition({"a": article("Проверка", lines_body(20 + spare + k))},
                          pages='[[pages]]\narticles = [{ slug = "a", span = 1 }]\n')
    with pytest.raises(EditionError) as info:
        build_edition(folder, write_pdf=False)
    (finding,) = [f for f in info.value.errors if f.code == "overset"]
    assert finding.article == "a" and finding.page == 1
    assert f"{k} body line" in finding.message
    assert str(finding.location).endswith("issue.toml:5")  # the placement's line


def test_exact_fit_reports_zero(make_edition: MakeEdition) -> None:
    spare = underset_of(make_edition, 20, span=1)
    folder = make_edition({"a": article("Проверка", lines_body(20 + spare))},
                          pages='[[pages]]\narticles = [{ slug = "a", span = 1 }]\n')
    fit = build_edition(folder, write_pdf=False).composed.copyfit["a"]
    assert fit.overset_lines == 0 and fit.underset_lines == 0


def test_continuation_receives_the_rest_with_jump_lines(make_edition: MakeEdition) -> None:
    spare = underset_of(make_edition, 20, span=1)
    body = lines_body(20 + spare + 30)
    folder = make_edition(
        {"a": article("Продолжение", body), "b": article("Соседка", lines_body(10))},
        pages='[[pages]]\narticles = [{ slug = "a", span = 1 }, { slug = "b", span = 4 }]\n'
              '[[pages]]\narticles = [{ slug = "a", span = 1, continued = true }]\n')
    result = build_edition(folder)
    fit = result.composed.copyfit["a"]
    assert fit.pages == [1, 2]
    assert fit.overset_lines == 0
    first, second = (a for p in result.composed.pages for a in p.articles if a.slug == "a")
    assert first.jump_out is not None and first.jump_out.text == "Окончание на с. 2"
    assert second.head.jump == "Начало на с. 1"
    # every line is placed once: lines on page 1 + page 2 = all lines
    placed = sum(c.used for c in first.columns) + sum(c.used for c in second.columns)
    assert placed == 20 + spare + 30  # one-line paragraphs, no byline


def _errors(make_edition: MakeEdition, articles: dict[str, str], pages: str) -> list[Finding]:
    folder = make_edition(articles, pages=pages)
    with pytest.raises(EditionError) as info:
        build_edition(folder, write_pdf=False)
    return list(info.value.errors)


def test_a_continuation_with_nothing_left_is_an_error(make_edition: MakeEdition) -> None:
    errors = _errors(make_edition, {"a": article("Короткая", lines_body(10))},
                     '[[pages]]\narticles = [{ slug = "a", span = 3 }]\n'
                     '[[pages]]\narticles = [{ slug = "a", span = 5, continued = true }]\n')
    (finding,) = [f for f in errors if f.code == "continuation-empty"]
    assert "'a' ends on this page" in finding.message and "page 2" in finding.message
    assert str(finding.location).endswith("issue.toml:5")


def test_no_room_is_said_as_such_not_as_overset(make_edition: MakeEdition) -> None:
    spare = underset_of(make_edition, 20, span=2)
    long = article("Длинная", lines_body(20 + spare + 40))
    errors = _errors(make_edition, {"a": long, "b": article("Вторая", lines_body(30))},
                     '[[pages]]\narticles = [{ slug = "a", span = 2 }, { slug = "b", span = 4 }]\n')
    (no_room,) = [f for f in errors if f.code == "no-room"]
    assert "'b'" in no_room.message and "fewer columns" in no_room.message
    assert not [f for f in errors if f.article == "b" and f.code == "overset"]


def test_a_span_wider_than_the_grid_is_an_error(make_edition: MakeEdition) -> None:
    errors = _errors(make_edition, {"a": article("Широкая", lines_body(10))},
                     '[[pages]]\narticles = [{ slug = "a", span = 8 }]\n')
    (finding,) = [f for f in errors if f.code == "span"]
    assert "spans 8 columns" in finding.message and "has 5" in finding.message
    assert str(finding.location).endswith("issue.toml:5")


def test_columns_of_an_article_end_on_one_baseline(make_edition: MakeEdition) -> None:
    body = "\n\n".join(["Длинный абзац текста, который займёт несколько строк в узкой колонке "
                        "газетной полосы и проверит балансировку колонок статьи."] * 12)
    folder = make_edition({"a": article("Баланс", body), "b": article("Ниже", lines_body(5))},
                          pages='[[pages]]\narticles = [{ slug = "a", span = 3 }, '
                                '{ slug = "b", span = 3 }]\n')
    result = build_edition(folder)
    placed = result.composed.pages[0].articles[0]
    bottoms = [c.rect.y + c.used * result.layout.grid.line for c in placed.columns]
    assert max(bottoms) - min(bottoms) <= 2 * result.layout.grid.line


def test_report_json_has_the_spec_fields(demo_build) -> None:  # type: ignore[no-untyped-def]
    _, out = demo_build
    report = json.loads((out / "report.json").read_text("utf-8"))
    row = report["articles"][0]
    assert set(row) >= {"slug", "pages", "fits", "overset_lines", "underset_lines"}
    for finding in report["findings"]:
        assert set(finding) >= {"severity", "code", "message"}


def test_an_article_ending_early_is_reported_once(make_edition: MakeEdition) -> None:
    """Placed on three pages, it ends on the second: one error there, nothing after."""
    spare = underset_of(make_edition, 20, span=1)
    folder = make_edition(
        {"a": article("Длинная", lines_body(20 + spare + 30)), "b": article("Б", lines_body(5))},
        pages='[[pages]]\narticles = [{ slug = "a", span = 1 }, { slug = "b", span = 4 }]\n'
              '[[pages]]\narticles = [{ slug = "a", span = 1, continued = true }]\n'
              '[[pages]]\narticles = [{ slug = "a", span = 1, continued = true }]\n')
    result = build_edition(folder, write_pdf=False, strict=False)
    empty = [f for f in result.findings if f.code == "continuation-empty"]
    assert [(f.page, "page 3" in f.message) for f in empty] == [(2, True)]
    assert not [f for f in result.findings if f.code == "underset" and f.page == 3]


def test_a_continuation_left_with_photos_only_is_a_warning(make_edition: MakeEdition) -> None:
    from PIL import Image

    def jpeg() -> bytes:
        import io
        buffer = io.BytesIO()
        Image.new("RGB", (600, 400), (90, 120, 150)).save(buffer, "JPEG")
        return buffer.getvalue()

    text = ("---\ntitle: Два снимка\nphotos:\n  - src: images/one.jpg\n    caption: Первый\n"
            "  - src: images/two.jpg\n    caption: Второй\n---\n" + lines_body(5) + "\n")
    folder = make_edition(
        {"a": text}, images={"one.jpg": jpeg(), "two.jpg": jpeg()},
        pages='[[pages]]\narticles = [{ slug = "a", span = 2 }]\n'
              '[[pages]]\narticles = [{ slug = "a", span = 2, continued = true }]\n')
    result = build_edition(folder, write_pdf=False)  # no error: it builds
    (only,) = [f for f in result.findings if f.code == "continuation-photos-only"]
    assert only.page == 1 and "holds only photos" in only.message
