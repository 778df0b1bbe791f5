"""preview, new, watch, verify, archive: the everyday commands."""

from __future__ import annotations

import io
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest
from PIL import Image
from rich.console import Console

from typeset.app.cli import main, watch_edition
from typeset.app.workflow import scratch_file

from .conftest import MakeEdition, article


def run(argv: list[str]) -> tuple[int, str]:
    buffer = io.StringIO()
    status = main(argv, Console(file=buffer, width=200, color_system=None))
    return status, buffer.getvalue()


def small_edition(make_edition: MakeEdition) -> Path:
    body = "\n\n".join(["Небольшой абзац текста для проверки рабочих команд."] * 4)
    return make_edition({"a": article("Проверка", body), "b": article("Вторая", body)},
                        pages='[[pages]]\narticles = [{ slug = "a", span = 2 }, '
                              '{ slug = "b", span = 3 }]\n')


def test_preview_writes_a_png_per_page_and_a_contact_sheet(make_edition: MakeEdition,
                                                           tmp_path: Path) -> None:
    folder = small_edition(make_edition)
    out = tmp_path / "preview"
    status, text = run(["preview", str(folder), "-o", str(out), "--dpi", "20"])
    assert status == 0, text
    page = Image.open(out / "page-01.png")
    assert abs(page.width / page.height - 297 / 420) < 0.01
    assert (out / "contact-sheet.png").exists()


def test_new_scaffolds_the_next_edition(make_edition: MakeEdition) -> None:
    folder = small_edition(make_edition)
    status, text = run(["new", "--from", str(folder)])
    assert status == 0, text
    target = folder.parent / "017"
    data = tomllib.loads((target / "issue.toml").read_text("utf-8"))
    assert data["number"] == 17
    assert str(data["date"]) == "2024-05-02"
    assert len(data["pages"]) == 1
    assert (target / "articles").is_dir() and not list((target / "articles").iterdir())
    assert run(["new", "--from", str(folder)])[0] == 2  # already exists


def test_watch_builds_once(make_edition: MakeEdition, tmp_path: Path) -> None:
    folder = small_edition(make_edition)
    status, text = run(["watch", str(folder), "-o", str(tmp_path / "w"), "--once"])
    assert status == 0, text
    assert "built" in text
    assert (tmp_path / "w" / "2024-016.pdf").exists()


def test_watch_says_what_each_save_changed(make_edition: MakeEdition, tmp_path: Path) -> None:
    folder = small_edition(make_edition)
    path = folder / "articles" / "b.md"
    original = path.read_text("utf-8")
    out = tmp_path / "w"

    def saves() -> Iterator[set[str]]:
        # too long for its columns: the rebuild fails and says by how much
        added = ("Добавленный абзац, которого никто не ждал: он длинный, занимает несколько "
                 "строк в колонке и вместе с такими же не помещается на полосу. ")
        path.write_text(original + "\n\n".join([added * 3] * 60), "utf-8")
        yield {str(path)}
        path.write_text(original.replace("Вторая", "Вторая, исправленная"), "utf-8")
        yield {str(path)}

    buffer = io.StringIO()
    watch_edition(folder, out, Console(file=buffer, width=200, color_system=None), saves())
    text = buffer.getvalue()
    first, overset, fixed = text.split("changed: b.md")[0], *text.split("changed: b.md")[1:]
    assert "built in" in first and "Pages: 1 rendered, 0 from the cache" in first
    assert "'b' does not fit" in overset and "not built" in overset
    assert re.search(r"b: fits, \d+ lines? spare → \d+ lines over", overset)
    assert "earlier outputs are kept" in overset
    assert re.search(r"b: \d+ lines over → fits, \d+ lines? spare", fixed)
    # the fixed save renders the page again (its HTML changed)
    assert "built in" in fixed and "Pages: 1 rendered, 0 from the cache" in fixed
    assert (out / "2024-016.pdf").exists()


def test_watch_rebuilds_when_a_file_is_saved(make_edition: MakeEdition, tmp_path: Path) -> None:
    """The real thing: `typeset watch` in its own process, woken by a save on disk."""
    folder = small_edition(make_edition)
    out = tmp_path / "w"
    process = subprocess.Popen(
        [sys.executable, "-m", "typeset", "watch", str(folder), "-o", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8",
        env={**os.environ, "COLUMNS": "200", "TERM": "dumb", "PYTHONUNBUFFERED": "1"})
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout or ()],
                     daemon=True).start()

    def wait_for(text: str) -> list[str]:
        seen = []
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                assert process.poll() is None, "".join(seen)
                continue
            seen.append(line)
            if text in line:
                return seen
        raise AssertionError(f"no {text!r} in:\n{''.join(seen)}")

    try:
        wait_for("built in")
        path = folder / "articles" / "b.md"
        path.write_text(path.read_text("utf-8").replace("Вторая", "Вторая, исправленная"),
                        "utf-8")
        seen = wait_for("built in")
        assert any("changed: b.md" in line for line in seen), "".join(seen)
        process.send_signal(signal.SIGINT)  # Ctrl-C: a normal end, not an error
        assert process.wait(timeout=30) == 0
        wait_for("Stopped watching.")
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_verify_says_what_differs(make_edition: MakeEdition, tmp_path: Path) -> None:
    folder = small_edition(make_edition)
    out = tmp_path / "out"
    assert run(["build", str(folder), "-o", str(out)])[0] == 0
    status, text = run(["verify", str(folder), str(out)])
    assert status == 0, text
    (out / "report.json").write_text("{}")
    (out / "stray.txt").write_text("x")
    status, text = run(["verify", str(folder), str(out)])
    assert status == 1
    assert "report.json" in text and "stray.txt: not produced by the sources" in text


def test_archive_rebuilds_every_edition(tmp_path: Path) -> None:
    """Both editions of the repository, the back issue pinned to its layout version."""
    import shutil

    from .conftest import ROOT

    repo = tmp_path / "repo"
    repo.mkdir()
    for name in ("newspaper.toml", "layouts", "printers", "issues"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, repo / name, ignore=shutil.ignore_patterns("017"))
        else:
            shutil.copy(source, repo / name)
    out = tmp_path / "archive"
    status, text = run(["archive", str(repo / "issues"), "-o", str(out), "--jobs", "2"])
    assert status == 0, text
    assert "2 of 2 editions bagged" in text
    for key in ("2024-015", "2024-016"):
        data = out / key / "data"
        assert (data / "archive" / f"{key}.pdf").exists()
        assert (data / "sources" / "layouts" / "weekly-a3@1" / "layout.toml").exists()
        assert not (data / "sources" / "layouts" / "weekly-a3").exists()
        assert '"weekly-a3@1"' in (data / "sources" / "layouts" / "versions.toml").read_text()
    built = tmp_path / "built"
    status, text = run(["build", str(repo / "issues" / "2024" / "015"), "-o", str(built)])
    assert status == 0, text
    for name in ("archive/2024-015.pdf", "press/SHA256SUMS"):
        assert (built / name).read_bytes() == (out / "2024-015" / "data" / name).read_bytes()


def test_editing_one_article_re_renders_only_its_page(make_edition: MakeEdition,
                                                      tmp_path: Path) -> None:
    body = "\n\n".join(["Абзац для проверки пересборки одной полосы газеты."] * 5)
    folder = make_edition({"a": article("Первая", body), "b": article("Вторая", body)})
    pages = folder.parents[2] / "build" / ".cache" / "pages"
    out = tmp_path / "out"
    assert run(["build", str(folder), "-o", str(out)])[0] == 0
    first = set(pages.glob("*.json"))  # one per page rendered, beside its PDFs
    assert len(first) == 2
    before = (out / "2024-016.pdf").read_bytes()
    path = folder / "articles" / "b.md"
    path.write_text(path.read_text("utf-8").replace("Вторая", "Вторая, исправленная"), "utf-8")
    assert run(["build", str(folder), "-o", str(out)])[0] == 0
    added = set(pages.glob("*.json")) - first
    assert len(added) == 1  # page 2 only: page 1 came from the cache
    assert (out / "2024-016.pdf").read_bytes() != before


def test_an_edit_re_renders_the_pages_of_the_article_and_its_continuation(
        make_edition: MakeEdition, tmp_path: Path) -> None:
    long = "\n\n".join(f"Абзац номер {k} длинной статьи, которая не помещается в одну колонку "
                       "первой полосы и продолжается на третьей." for k in range(40))
    short = "\n\n".join(["Короткая заметка второй полосы."] * 3)
    folder = make_edition(
        {"a": article("Длинная", long), "b": article("Вторая", short)},
        pages='[[pages]]\narticles = [{ slug = "a", span = 1 }]\n'
              '[[pages]]\narticles = ["b"]\n'
              '[[pages]]\narticles = [{ slug = "a", span = 1, continued = true }]\n')
    cache = folder.parents[2] / "build" / ".cache" / "pages"
    out = tmp_path / "out"
    status, text = run(["build", str(folder), "-o", str(out)])
    assert status == 0, text
    assert "→ p. 3" in text  # the article does run on to page 3
    first = set(cache.glob("*.json"))
    assert len(first) == 3
    path = folder / "articles" / "a.md"
    path.write_text(path.read_text("utf-8").replace(
        "Абзац номер 0 ", "Первый абзац, дописанный редактором на целых две строки, "
        "чтобы остальной текст сдвинулся, "),
                    "utf-8")
    status, text = run(["build", str(folder), "-o", str(out)])
    assert status == 0, text
    added = set(cache.glob("*.json")) - first
    # the first paragraph grew by lines: page 1 changed and the rest of the text moved on
    # page 3; page 2 came from the cache
    assert len(added) == 2


def _photo(colour: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (600, 400), colour).save(buffer, "JPEG")
    return buffer.getvalue()


def _photo_edition(make_edition: MakeEdition, name: str) -> Path:
    text = ("---\ntitle: Снимок\nphotos:\n  - src: \"images/" + name + "\"\n"
            "    caption: Подпись\n---\n" + "\n\n".join(["Текст под снимком."] * 6) + "\n")
    return make_edition({"a": text}, images={name: _photo((200, 60, 40))})


def test_a_changed_photo_renders_its_page_again_whatever_its_name(
        make_edition: MakeEdition, tmp_path: Path) -> None:
    folder = _photo_edition(make_edition, "дом & сад's.jpg")  # escaped in the page's HTML
    cache = folder.parents[2] / "build" / ".cache" / "pages"
    out = tmp_path / "out"
    assert run(["build", str(folder), "-o", str(out)])[0] == 0
    first = set(cache.glob("*.json"))
    before = (out / "2024-016.pdf").read_bytes()
    (folder / "images" / "дом & сад's.jpg").write_bytes(_photo((40, 60, 200)))
    assert run(["build", str(folder), "-o", str(out)])[0] == 0
    assert len(set(cache.glob("*.json")) - first) == 1
    assert (out / "2024-016.pdf").read_bytes() != before


def _set_printer(folder: Path, old: str, new: str) -> None:
    toml = folder.parents[2] / "newspaper.toml"
    text = toml.read_text("utf-8")
    assert old in text
    toml.write_text(text.replace(old, new), "utf-8")


def test_printer_settings_remake_press_files_without_rendering(make_edition: MakeEdition,
                                                               tmp_path: Path) -> None:
    folder = _photo_edition(make_edition, "photo.jpg")
    cache = folder.parents[2] / "build" / ".cache" / "pages"
    out = tmp_path / "out"
    assert run(["build", str(folder), "-o", str(out)])[0] == 0
    first = set(cache.glob("*.json"))
    # the file name pattern and the ink limit change only the press files
    _set_printer(folder, 'name = "{code}_{date:%Y%m%d}_p{page:02}.pdf"',
                 'name = "{code}-{number}-{page}.pdf"')
    _set_printer(folder, "ink_limit = 240", "ink_limit = 250")
    status, text = run(["build", str(folder), "-o", str(out / "2")])
    assert status == 0, text
    assert "Pages: 0 rendered, 1 from the cache" in text
    assert set(cache.glob("*.json")) == first
    assert (out / "2" / "press" / "IN-16-1.pdf").is_file()
    # a black-only page changes how its photo is served: the page is rendered again, grey
    _set_printer(folder, "page_multiple = 1", "page_multiple = 1\nblack_only_pages = [1]")
    status, text = run(["build", str(folder), "-o", str(out / "3")])
    assert status == 0, text
    assert "Pages: 1 rendered, 0 from the cache" in text
    with pikepdf.open(out / "3" / "press" / "IN-16-1.pdf") as pdf:
        spaces = {str(o.ColorSpace) for o in pdf.objects
                  if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"}
    assert spaces == {"/DeviceGray"}


@pytest.mark.parametrize(("name", "scratch"), [
    ("articles/b.md", False), ("issue.toml", False), ("images/photo.jpg", False),
    ("articles/sed3dgZog", True), ("articles/.b.md.swp", True), ("articles/4913", True),
    ("articles/b.md~", True), ("articles/.#b.md", True), ("articles/#b.md#", True),
    ("articles/.goutputstream-ABC123", True), ("build/.report.json.x1y2.tmp", True),
])
def test_watch_ignores_editors_scratch_files(name: str, scratch: bool) -> None:
    assert scratch_file(f"/paper/issues/2024/016/{name}") is scratch


def test_a_photo_on_two_pages_is_embedded_once_in_the_composite(make_edition: MakeEdition,
                                                                 tmp_path: Path) -> None:
    text = ("---\ntitle: Снимок\nphotos:\n  - src: images/photo.jpg\n    caption: Подпись\n---\n"
            + "\n\n".join(["Текст под снимком."] * 6) + "\n")
    folder = make_edition({"a": text, "b": text.replace("Снимок", "Тот же снимок")},
                          images={"photo.jpg": _photo((200, 60, 40))})
    out = tmp_path / "out"
    status, log = run(["build", str(folder), "-o", str(out)])
    assert status == 0, log

    def images(path: Path) -> int:
        with pikepdf.open(path) as pdf:
            return sum(1 for o in pdf.objects if isinstance(o, pikepdf.Stream)
                       and o.get("/Subtype") == "/Image")

    assert images(out / "2024-016.pdf") == 1  # rendered apart, merged into one image
    assert images(out / "archive" / "2024-016.pdf") == 1
    assert [images(p) for p in sorted((out / "press").glob("*.pdf"))] == [1, 1]
