"""The proofreader's warnings in an edition: at the spot's line, switchable per newspaper, and
the typography rule set chosen by the layout."""

from __future__ import annotations

from pathlib import Path

import pytest

from typeset.app.build import build_edition, typography_of
from typeset.core.errors import EditionError
from typeset.typography import CODES

from .conftest import MakeEdition, article

# One spot for each check, each on a line of its own (the body starts on line 4).
SPOTS = {
    "repeated-word": "Делегация прибыла в в Павлодар утром.",
    "missing-comma": "Мы хотели приехать раньше но поезд задержался на два часа.",
    "exclamations": "Сколько можно ждать!!!",
    "mixed-script": "В Пaвлодаре открылся новый сквер.",
    "mixed-quotes": "Он сказал «да», а она ответила \"нет\".",
    "unbalanced": "Фонд (созданный в прошлом году помогает ветеранам.",
    "double-punctuation": "Работы завершены,, но не везде.",
    "no-space-after-period": "Собрание закончилось.Решение принято единогласно.",
    "latin-homoglyph": "В 2O24 году план выполнен.",
    "loose-hyphen": "Весна -время посевной.",
}
CLEAN = ("Делегация прибыла в Павлодар утром. Мы хотели приехать раньше, но поезд задержался. "
         "«Всё готово», — сказал он.")


def _warnings(result_findings: list[object]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for finding in result_findings:
        code = getattr(finding, "code", "")
        if code.startswith("proofreading/"):
            found.setdefault(code.removeprefix("proofreading/"), []).append(str(finding))
    return found


def test_every_check_has_a_spot_here() -> None:
    assert set(SPOTS) == set(CODES)


def test_each_check_warns_at_its_line(make_edition: MakeEdition) -> None:
    body = "\n\n".join(SPOTS.values())
    folder = make_edition({"a": article("Проверка", body)})
    result = build_edition(folder, write_pdf=False)
    found = _warnings(result.findings)
    assert set(found) == set(SPOTS), found
    for index, code in enumerate(SPOTS):
        line = 4 + 2 * index  # front matter: 3 lines; a blank line between paragraphs
        (message,) = found[code]
        assert message.startswith(f"issues/2024/016/articles/a.md:{line}: warning: "
                                  "proofreading: ") or f"a.md:{line}: warning: proofreading: " \
            in message, message


def test_the_text_is_left_as_typed(make_edition: MakeEdition) -> None:
    folder = make_edition({"a": article("Проверка", SPOTS["repeated-word"])})
    result = build_edition(folder, write_pdf=False)
    assert "в в" in result.edition.articles["a"].text().replace("\u00a0", " ")


def test_clean_text_gives_no_warning(make_edition: MakeEdition) -> None:
    folder = make_edition({"a": article("Проверка", CLEAN)})
    assert _warnings(build_edition(folder, write_pdf=False).findings) == {}


def test_the_demo_editions_are_clean_but_for_the_planted_slips() -> None:
    from .conftest import ROOT

    for number in ("015", "016"):
        result = build_edition(ROOT / "issues" / "2024" / number, write_pdf=False)
        assert _warnings(result.findings) == {}, number


def test_a_newspaper_switches_checks_off(make_edition: MakeEdition) -> None:
    folder = make_edition({"a": article("Проверка", SPOTS["repeated-word"] + " "
                                        + SPOTS["exclamations"])})
    paper = folder.parents[2] / "newspaper.toml"
    paper.write_text(paper.read_text("utf-8")
                     + '\n[proofreading]\noff = ["repeated-word"]\n', "utf-8")
    found = _warnings(build_edition(folder, write_pdf=False).findings)
    assert set(found) == {"exclamations"}


def test_an_unknown_check_is_an_error_at_its_line(make_edition: MakeEdition) -> None:
    folder = make_edition({"a": article("Проверка", CLEAN)})
    paper = folder.parents[2] / "newspaper.toml"
    text = paper.read_text("utf-8") + '\n[proofreading]\noff = ["spelling"]\n'
    paper.write_text(text, "utf-8")
    with pytest.raises(EditionError) as caught:
        build_edition(folder, write_pdf=False)
    (problem,) = caught.value.errors
    assert problem.location.path == paper
    assert problem.location.line == len(text.splitlines())
    assert "spelling" in problem.message and "repeated-word" in problem.message


def test_the_layout_chooses_the_rule_set(make_edition: MakeEdition) -> None:
    """A pinned layout without a rule set keeps rule set 1 (printed editions keep their
    bytes); a layout naming rule set 2 gets it: «для» glued only by set 1."""
    text = "Подарок для всех жителей города"
    folder = make_edition({"a": article("Проверка", text)})
    manifest = folder / "issue.toml"
    manifest.write_text('layout = "weekly-a3@1"\n' + manifest.read_text("utf-8"), "utf-8")
    assert typography_of(folder) == 1
    first = build_edition(folder, write_pdf=False).edition.articles["a"].text()
    assert "для\u00a0всех" in first
    layout = folder.parents[2] / "layouts" / "weekly-a3" / "layout.toml"
    if "typography" not in layout.read_text("utf-8"):
        layout.write_text(layout.read_text("utf-8").replace("version = ", "typography = 2\n"
                                                            "version = ", 1), "utf-8")
    manifest.write_text(manifest.read_text("utf-8").replace('layout = "weekly-a3@1"\n', ""),
                        "utf-8")
    assert typography_of(folder) == 2
    second = build_edition(folder, write_pdf=False).edition.articles["a"].text()
    assert "для всех" in second


def test_typo_proofreads_and_lists_the_checks() -> None:
    import subprocess
    import sys

    def typo(*args: str, text: str = "") -> str:
        done = subprocess.run([sys.executable, "-m", "typeset", "typo", *args], input=text,
                              capture_output=True, text=True, timeout=60, check=True)
        return done.stdout

    out = typo("--proofread", text="Чистый текст.\nМы пришли в в школу.\n")
    assert out.startswith("2: repeated-word: "), out
    listed = typo("--codes").split()
    assert all(code in listed for code in CODES)


def test_the_proof_line_is_where_the_spot_is(tmp_path: Path) -> None:
    """A paragraph over several lines: the warning is at the line of the spot, not the first."""
    from typeset.source.articles import read_article

    path = tmp_path / "a.md"
    path.write_text("---\ntitle: Т\n---\nПервая строка абзаца,\nвторая строка, и в в ней "
                    "повтор.\n", "utf-8")
    _, findings = read_article(path, "a", lambda s: s, proofread_skip=())
    (warning,) = findings
    assert warning.location.line == 5 and warning.code == "proofreading/repeated-word"
