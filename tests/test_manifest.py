"""Manifests and front matter: every error names the file and the line, all at once."""

from __future__ import annotations

import pytest

from typeset.app.build import build_edition
from typeset.core.errors import EditionError

from .conftest import MakeEdition, article


def errors_of(folder) -> list[str]:
    with pytest.raises(EditionError) as info:
        build_edition(folder, write_pdf=False)
    return [str(f) for f in info.value.errors]


def test_unknown_manifest_key_names_file_and_line(make_edition: MakeEdition) -> None:
    folder = make_edition({"a": article()}, """\
        number = 16
        date = 2024-04-25
        colour = "red"

        [[pages]]
        articles = ["a"]
        """)
    assert errors_of(folder) == [
        "issues/2024/016/issue.toml:3: error: unknown key 'colour'; check its spelling or "
        "remove it"] or errors_of(folder)[0].endswith(
        "issue.toml:3: error: unknown key 'colour'; check its spelling or remove it")


def test_unknown_placement_key_points_at_its_line(make_edition: MakeEdition) -> None:
    folder = make_edition({"a": article()}, """\
        number = 16
        date = 2024-04-25

        [[pages]]
        articles = ["a"]

        [[pages]]
        articles = [{ slug = "a", spna = 2, continued = true }]
        """)
    (message,) = errors_of(folder)
    assert "issue.toml:8: error: unknown key 'spna' in pages.1.articles.0" in message


def test_all_plan_errors_reported_together(make_edition: MakeEdition) -> None:
    folder = make_edition({"a": article(), "b": article()}, """\
        number = 16
        date = 2024-04-25

        [[pages]]
        articles = ["a", { slug = "ghost", continued = true }]

        [[pages]]
        articles = ["a", "missing", "b"]
        """)
    messages = errors_of(folder)
    assert any(":5: error: page 1: 'ghost' is marked continued = true but no earlier page "
               "starts it" in m for m in messages)
    assert any(":8: error: page 2: 'a' is already placed on page 1" in m for m in messages)
    assert any(":8: error: article 'missing' (page 2) not found" in m for m in messages)
    assert len(messages) == 3


def test_missing_required_fields(make_edition: MakeEdition) -> None:
    folder = make_edition({"a": article()}, "[[pages]]\narticles = [\"a\"]\n")
    messages = errors_of(folder)
    assert any("required key 'number' is missing" in m for m in messages)
    assert any("required key 'date' is missing" in m for m in messages)


def test_toml_syntax_error_has_line(make_edition: MakeEdition) -> None:
    folder = make_edition({"a": article()}, 'number = 16\ndate = 2024-04-25\n[[pages]\n')
    (message,) = errors_of(folder)
    assert "issue.toml:3: error: not valid TOML" in message


@pytest.mark.parametrize("date", ["25.04.2024", "2024-4-25"])
def test_a_misspelt_date_has_its_line_and_the_right_form(make_edition: MakeEdition,
                                                         date: str) -> None:
    folder = make_edition({"a": article()}, f'number = 16\ndate = {date}\n'
                          '[[pages]]\narticles = ["a"]\n')
    (message,) = errors_of(folder)
    assert "issue.toml:2: error: not valid TOML" in message
    assert "write a date as 2024-04-25" in message


def test_wrong_type_is_explained(make_edition: MakeEdition) -> None:
    folder = make_edition({"a": article()}, 'number = "шестнадцать"\ndate = 2024-04-25\n'
                          '[[pages]]\narticles = ["a"]\n')
    (message,) = errors_of(folder)
    assert "issue.toml:1: error: 'number': Input should be a valid integer" in message


def test_broken_yaml_front_matter(make_edition: MakeEdition) -> None:
    folder = make_edition({"a": "---\ntitle: \"Заголовок\nrubric: [Власть\n---\nТекст.\n"})
    (message,) = errors_of(folder)
    assert "articles/a.md:" in message and "front matter is not valid YAML" in message


def test_an_unclosed_quote_points_where_it_opens(make_edition: MakeEdition) -> None:
    folder = make_edition({"a": "---\ntitle: \"Заголовок\nrubric: Власть\nauthor: Я\n---\n"
                                "Текст.\n"})
    (message,) = errors_of(folder)
    assert "articles/a.md:2: error: front matter is not valid YAML" in message
    assert "not closed" in message


def test_a_missing_photo_points_at_its_src(make_edition: MakeEdition) -> None:
    text = ("---\ntitle: Заголовок\nrubric: Власть\nphotos:\n  - src: images/none.jpg\n"
            "    caption: Подпись\n---\nТекст.\n")
    folder = make_edition({"a": text})
    (message,) = errors_of(folder)
    assert "articles/a.md:5: error: photo 'images/none.jpg' not found" in message


def test_missing_title(make_edition: MakeEdition) -> None:
    folder = make_edition({"a": "---\nrubric: Власть\n---\nТекст.\n"})
    (message,) = errors_of(folder)
    assert message.endswith("articles/a.md:2: error: required key 'title' is missing")


def test_unknown_front_matter_key_has_its_line(make_edition: MakeEdition) -> None:
    folder = make_edition({"a": "---\ntitle: Заголовок\nrubric: Власть\nautor: Я\n---\nТекст.\n"})
    (message,) = errors_of(folder)
    assert "articles/a.md:4: error: unknown key 'autor'" in message


def test_raw_html_is_an_error_with_line(make_edition: MakeEdition) -> None:
    body = "Первый абзац.\n\nВторой <b>жирный</b> абзац.\n\n<div>блок</div>\n"
    folder = make_edition({"a": article(body=body)})
    messages = errors_of(folder)
    assert any("articles/a.md:6: error: raw HTML is not allowed" in m for m in messages)
    assert any("articles/a.md:8: error: raw HTML is not allowed" in m for m in messages)


def test_photo_outside_edition(make_edition: MakeEdition) -> None:
    text = ("---\ntitle: Заголовок\nphotos:\n  - src: ../../../../newspaper.toml\n---\nТекст.\n")
    folder = make_edition({"a": text})
    (message,) = errors_of(folder)
    assert "articles/a.md:4: error: 'photos.0.src'" in message
    assert "inside the edition folder" in message


def test_duplicate_edition_number(make_edition: MakeEdition) -> None:
    folder = make_edition({"a": article()})
    twin = folder.parent / "017"
    (twin / "articles").mkdir(parents=True)
    (twin / "issue.toml").write_text('number = 16\ndate = 2024-05-02\n[[pages]]\narticles = []\n')
    messages = errors_of(folder)
    assert any("edition № 16 of 2024 is also in" in m for m in messages)


def test_number_and_year_must_match_the_folder(make_edition: MakeEdition) -> None:
    folder = make_edition({"a": article()}, 'number = 61\ndate = 2025-04-25\n'
                          '[[pages]]\narticles = ["a"]\n')
    messages = errors_of(folder)
    assert any("issue.toml:1: error: folder 016 holds edition number 61" in m for m in messages)
    assert any("issue.toml:2: error: the edition's date 2025-04-25 is not in the year" in m
               for m in messages)


def test_signed_after_the_edition_date_is_questioned(make_edition: MakeEdition) -> None:
    folder = make_edition({"a": article()}, 'number = 16\ndate = 2024-04-25\n'
                          'signed = 2024-04-28T18:00:00\n[[pages]]\narticles = ["a"]\n')
    result = build_edition(folder, write_pdf=False)
    (late,) = [f for f in result.findings if f.code == "signed-late"]
    assert str(late).endswith("issue.toml:3: warning: signed for print 2024-04-28 18:00, after "
                              "the edition's date 2024-04-25; the imprint prints it as it is — "
                              "check the date")
