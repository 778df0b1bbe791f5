"""The CLI: help with examples everywhere, exit statuses, messages without tracebacks."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from typeset.app.cli import cli, main

from .conftest import MakeEdition, article


def run(argv: list[str]) -> tuple[int, str]:
    buffer = io.StringIO()
    console = Console(file=buffer, width=200, color_system=None)
    status = main(argv, console)
    return status, buffer.getvalue()


def test_main_help_has_example(capsys: pytest.CaptureFixture[str]) -> None:
    status, _ = run(["--help"])
    assert status == 0
    assert "Examples:" in capsys.readouterr().out


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_help_shows_an_example(command: str,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    status, _ = run([command, "--help"])
    assert status == 0
    out = capsys.readouterr().out
    assert "Example" in out and f"typeset {command}" in out


def test_wrong_command_line_exits_2() -> None:
    assert run(["nonsense"])[0] == 2
    assert run(["build"])[0] == 2


def test_bad_edition_exits_1_with_message_and_no_traceback(make_edition: MakeEdition,
                                                            tmp_path: Path) -> None:
    folder = make_edition({"a": "---\nrubric: Власть\n---\nТекст.\n"})
    out = tmp_path / "out"
    status, text = run(["build", str(folder), "-o", str(out)])
    assert status == 1
    assert "required key 'title' is missing" in text
    assert "Traceback" not in text
    assert not (out / "2024-016.pdf").exists()


def test_build_writes_pdf_and_report(make_edition: MakeEdition, tmp_path: Path) -> None:
    body = "\n\n".join(["Короткий абзац текста для проверки сборки."] * 3)
    folder = make_edition({"a": article("Проверка", body)})
    out = tmp_path / "out"
    status, text = run(["build", str(folder), "-o", str(out)])
    assert status == 0, text
    assert (out / "2024-016.pdf").read_bytes().startswith(b"%PDF")
    assert (out / "report.json").exists()


def test_check_runs_the_preflight_that_needs_no_pdf(make_edition: MakeEdition,
                                                    tmp_path: Path) -> None:
    folder = make_edition({"a": article()})
    paper = folder.parents[2] / "newspaper.toml"
    paper.write_text(paper.read_text("utf-8").replace("page_multiple = 1", "page_multiple = 4"))
    status, text = run(["check", str(folder)])
    assert status == 1
    assert "the edition has 1 pages; the press needs a multiple of 4: add 3 pages" in text
    assert not list(folder.parents[2].rglob("*.pdf"))


def test_brackets_in_user_text_are_printed_as_they_are(make_edition: MakeEdition) -> None:
    """Paths and messages are never read as the terminal's colour markup."""
    text = "---\ntitle: Снимок\nphotos:\n  - src: \"images/[/red]harvest [final].jpg\"\n" \
           "    caption: Подпись\n---\nТекст.\n"
    folder = make_edition({"a": text})
    status, out = run(["check", str(folder)])
    assert status == 1, out
    assert "images/[/red]harvest [final].jpg" in out
    assert "Traceback" not in out


@pytest.mark.parametrize("dpi", ["0", "-5", "nan", "100000"])
def test_preview_refuses_a_resolution_out_of_range(make_edition: MakeEdition, dpi: str) -> None:
    folder = make_edition({"a": article()})
    status, _ = run(["preview", str(folder), "--dpi", dpi])
    assert status == 2


@pytest.mark.parametrize("command", ["check", "build"])
def test_an_overset_edition_still_shows_the_whole_copyfit(make_edition: MakeEdition,
                                                          command: str, tmp_path: Path) -> None:
    long = "\n\n".join(["Абзац, который не помещается на полосу вместе с остальными."] * 400)
    folder = make_edition({"a": article("Длинная", long), "b": article("Короткая", "Текст.")},
                          pages='[[pages]]\narticles = [{ slug = "a", span = 3 }, '
                                '{ slug = "b", span = 2 }]\n')
    argv = [command, str(folder)] + (["-o", str(tmp_path / "out")] if command == "build" else [])
    status, out = run(argv)
    assert status == 1
    assert "lines over" in out  # the table: a does not fit …
    assert "│ b " in out and "spare)" in out  # … and b does
    assert "'a' does not fit" in out  # then the errors
    assert "Rendering" not in out  # nothing rendered for an edition that cannot be built
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("where", ["issues/2024", "issues/2024/099", "layouts/weekly-a3"])
def test_a_folder_that_is_not_an_edition_is_a_usage_error(where: str) -> None:
    root = Path(__file__).resolve().parents[1]
    status, out = run(["check", str(root / where)])
    assert status == 2
    assert "an edition is a folder issues/<YYYY>/<NNN>/ with an issue.toml" in out


def test_a_terminal_gets_a_progress_bar_of_pages_a_log_only_the_steps(
        make_edition: MakeEdition, tmp_path: Path) -> None:
    folder = make_edition({"a": article()})
    terminal = io.StringIO()
    assert main(["build", str(folder), "-o", str(tmp_path / "t")],
                Console(file=terminal, width=120, force_terminal=True)) == 0
    assert "Rendering pages" in terminal.getvalue()
    status, log = run(["build", str(folder), "-o", str(tmp_path / "l")])
    assert status == 0
    assert "Rendering pages" not in log and "\n\n" not in log.split("Step 7")[0]


def test_ctrl_c_during_a_build_exits_130_and_says_outputs_are_untouched(
        make_edition: MakeEdition, monkeypatch: pytest.MonkeyPatch) -> None:
    import typeset.app.build

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(typeset.app.build, "build_edition", interrupted)
    status, out = run(["build", str(make_edition({"a": article()}))])
    assert status == 130
    assert "Interrupted; earlier outputs are untouched." in out


def test_watch_on_a_folder_that_is_not_an_edition_exits_2(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[1]
    status, out = run(["watch", str(root / "issues" / "2024"), "-o", str(tmp_path / "w")])
    assert status == 2
    assert "not built" not in out
