"""Editions as a clumsy week and a hostile user make them (issue 13): damaged caches, photos as
phones deliver them, too-wide words, full disks, every error at once, messages that say exactly
what is wrong. Each numbered case of the issue has its test here, named after it."""

from __future__ import annotations

import errno
import io
import json
import os
import pickle
import random
import re
from pathlib import Path

import pytest
from PIL import Image, ImageCms
from rich.console import Console

from typeset.app import outputs
from typeset.app.build import build_edition
from typeset.app.cli import main
from typeset.core import cache as cache_module
from typeset.core.cache import FOLDER, Cache, unwrap, wrap
from typeset.pdf.photos import PhotoConverter, decode_photo
from typeset.source.images import check_image

from .conftest import ROOT, MakeEdition, article

PROFILE = (ROOT / "printers" / "demo" / "typeset-demo-tr002.icc").read_bytes()
BODY = "\n\n".join(["Небольшой абзац текста для проверки того, как собирается выпуск."] * 3)


def run(argv: list[str]) -> tuple[int, str]:
    buffer = io.StringIO()
    status = main(argv, Console(file=buffer, width=300, color_system=None))
    return status, buffer.getvalue()


def files_of(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.name != outputs.LOCK}


def photo_bytes(size: tuple[int, int] = (900, 600), fmt: str = "JPEG", mode: str = "RGB",
                **save: object) -> bytes:
    """A photo with detail in it (noise over a gradient: JPEG data all the way to its end)."""
    rng = random.Random(13)
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    noise = Image.frombytes("RGB", size, bytes(rng.randrange(256) for _ in range(3 * size[0]
                                                                                 * size[1])))
    image = Image.blend(image, noise, 0.3).convert(mode)
    buffer = io.BytesIO()
    image.save(buffer, fmt, **save)
    return buffer.getvalue()


def photo_article(src: str, body: str = BODY) -> str:
    return (f"---\ntitle: Снимок\nphotos:\n  - src: {src}\n    caption: Подпись\n---\n"
            f"{body}\n")


# -- 1, 2: damaged cache entries are discarded and made again ------------------------------------

def _wrong_type(kind: str, name: str, raw: bytes) -> bytes:
    """A well-formed entry (its header right) whose content is not what the kind holds."""
    data, _ = unwrap(kind, name, raw)
    assert data is not None
    if kind == "measure":  # every measurement of the wrong shape (it used to raise IndexError)
        content = json.dumps({key: [1] for key in json.loads(data)}).encode()
    else:
        content = {"articles": pickle.dumps(("not an article", 5)),
                   "photos": b"GIF89a not a jpeg",
                   }.get(kind, b'{"press": true}' if name.endswith(".json") else b"%PNG no pdf")
    return wrap(kind, name, content)


DAMAGE = {
    "truncated": lambda kind, name, raw, other: raw[: len(raw) // 2],
    "garbage": lambda kind, name, raw, other: b"\x00garbage\xff" * 40,
    "wrong type": lambda kind, name, raw, other: _wrong_type(kind, name, raw),
    "foreign": lambda kind, name, raw, other: other,  # a sound entry, written for another name
}


def _targets(cache: Path) -> list[Path]:
    """One entry of every kind (fonts are subset afresh by every build: no cache); for the
    pages one of each file of an entry, on three pages, so that every one of them is read (a
    page stops reading at its first unusable file); the rendered pieces of the pages (the
    current layout renders each article apart), so that every page is rendered again and its
    photo read."""
    pages = sorted(p.name.removesuffix(".json") for p in (cache / "pages").glob("*.json"))
    assert len(pages) == 3
    parts = sorted(p.name.removesuffix(".json") for p in (cache / "parts").glob("*.json"))
    assert len(parts) == 4  # an article a page, and the last page's foot (the imprint)
    return [next((cache / "articles").iterdir()), next((cache / "measure").iterdir()),
            next((cache / "photos").iterdir()),
            cache / "pages" / f"{pages[0]}.json", cache / "pages" / f"{pages[1]}.pdf",
            cache / "pages" / f"{pages[2]}.press.pdf",
            cache / "parts" / f"{parts[0]}.json",
            *(cache / "parts" / f"{part}.pdf" for part in parts[1:])]


def test_1_2_every_damaged_cache_entry_is_discarded_and_the_outputs_stay_the_same(
        make_edition: MakeEdition, tmp_path: Path) -> None:
    folder = make_edition({"a": article("Первая", BODY), "b": photo_article("images/p.jpg"),
                           "c": article("Третья", BODY)}, images={"p.jpg": photo_bytes()})
    cache = folder.parents[2] / FOLDER
    status, text = run(["build", str(folder), "-o", str(tmp_path / "clean")])
    assert status == 0, text
    clean = files_of(tmp_path / "clean")
    for mode, damage in DAMAGE.items():
        raws = {target: target.read_bytes() for target in _targets(cache)}
        for target, raw in raws.items():
            other = next(data for path, data in raws.items() if path != target)
            target.write_bytes(damage(target.parent.name, target.name, raw, other))
        out = tmp_path / mode.replace(" ", "-")
        status, text = run(["build", str(folder), "-o", str(out)])
        assert status == 0, (mode, text)
        assert files_of(out) == clean, mode
        line = next(line for line in text.splitlines() if line.startswith("cache:"))
        assert "discarded and made again" in line, line
        for kind in ("articles", "measure", "pages 3", "parts 4", "photos"):
            assert kind in line, (mode, line)
        assert "Pages: 3 rendered, 0 from the cache" in text, mode


def test_1_well_formed_entries_that_do_not_load_are_discarded(make_edition: MakeEdition,
                                                             tmp_path: Path) -> None:
    """Entries proven by their digests whose content is not what it claims: a compiled
    template that is not Jinja's code, a piece of a page that looks like a PDF and does not
    open. Each is discarded and made again; the outputs do not change."""
    import jinja2.bccache

    folder = make_edition({"a": article("Первая", BODY), "b": article("Вторая", BODY)})
    cache = folder.parents[2] / FOLDER
    status, text = run(["build", str(folder), "-o", str(tmp_path / "clean")])
    assert status == 0, text
    clean = files_of(tmp_path / "clean")
    fake_pdf = b"%PDF-1.7\ntrailer <<>>\n%%EOF\n"
    for target in (cache / "templates").iterdir():
        junk = jinja2.bccache.bc_magic + pickle.dumps("not a checksum") + b"junk"
        target.write_bytes(wrap("templates", target.name, junk))
    for target in (cache / "parts").glob("*.pdf"):
        target.write_bytes(wrap("parts", target.name, fake_pdf))
    for target in (cache / "pages").iterdir():
        target.unlink()  # so that the pages are joined from their pieces again
    for attempt in ("damaged", "made again"):
        out = tmp_path / attempt.replace(" ", "-")
        status, text = run(["build", str(folder), "-o", str(out)])
        assert status == 0, (attempt, text)
        assert files_of(out) == clean, attempt
        if attempt == "damaged":
            line = next(line for line in text.splitlines() if line.startswith("cache:"))
            assert "templates" in line and "parts" in line, line
        else:  # what was made again is used
            assert not any(line.startswith("cache:") for line in text.splitlines()), text


def test_1_verify_does_not_trust_the_cache(make_edition: MakeEdition, tmp_path: Path) -> None:
    """A press file changed in the output folder and, consistently, in the cache (a sound
    entry with the changed bytes): verify builds without the cache and sees the change."""
    folder = make_edition({"a": article("Первая", BODY)})
    out = tmp_path / "out"
    assert run(["build", str(folder), "-o", str(out)])[0] == 0
    press = next((out / "press").glob("*.pdf"))
    data = press.read_bytes()
    middle = len(data) // 2
    changed = data[:middle] + bytes([data[middle] ^ 1]) + data[middle + 1:]
    cache = Cache(folder.parents[2] / FOLDER)
    entries = (folder.parents[2] / FOLDER / "pages").glob("*.press.pdf")
    entry = next(p for p in entries if unwrap("pages", p.name, p.read_bytes())[0] == data)
    cache.write("pages", entry.name, changed)
    press.write_bytes(changed)
    status, text = run(["verify", str(folder), str(out)])
    assert status == 1, text
    assert f"press/{press.name}: differs" in text


def test_2_a_wrong_typed_measurement_is_measured_again(tmp_path: Path) -> None:
    """A measurement of the wrong shape (it used to raise IndexError) is dropped and told."""
    from typeset.compose.measure import Measured
    from typeset.render.measuring import MeasureCache

    measures = MeasureCache(Cache(tmp_path), "salt")
    measures.data = {"k1": [1], "k2": 7, "k3": [12.5, ["a"], []]}
    cache_module.take_discarded()
    assert measures.get("k1") is None and measures.get("k2") is None
    assert measures.get("k3") == Measured(12.5, ["a"], [])
    assert [d.kind for d in cache_module.take_discarded()] == ["measure", "measure"]
    assert measures.dirty and set(measures.data) == {"k3"}


# -- 3: every kind of photo is converted through the printer's profile ---------------------------

def _modes() -> dict[str, Image.Image]:
    dark = Image.new("L", (40, 30), 60)
    sixteen = Image.new("I;16", (40, 30), 60 * 257)
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    tagged = Image.new("RGB", (40, 30), (60, 60, 60))
    tagged.info["icc_profile"] = srgb
    alpha = Image.new("RGBA", (40, 30), (60, 60, 60, 255))
    alpha.paste((0, 0, 0, 0), (0, 0, 10, 30))  # a transparent strip prints as paper
    return {"8-bit grey": dark, "16-bit grey": sixteen, "palette": dark.convert("RGB").convert("P"),
            "alpha": alpha, "grey alpha": Image.merge("LA", [dark, Image.new("L", (40, 30), 255)]),
            "cmyk": Image.new("CMYK", (40, 30), (0, 0, 0, 195)), "icc-tagged": tagged,
            "bilevel": Image.new("1", (40, 30), 0)}


@pytest.mark.parametrize("name", sorted(_modes()))
@pytest.mark.parametrize("grey", [False, True])
def test_3_every_kind_of_photo_prints_through_the_printer_profile(name: str, grey: bool,
                                                                  tmp_path: Path) -> None:
    """A dark photo prints dark whatever its depth, palette, alpha or colour space (a 16-bit
    grey PNG used to print as a blank box)."""
    image = _modes()[name]
    path = tmp_path / ("photo.tif" if image.mode in ("CMYK", "1") else "photo.png")
    image.save(path, icc_profile=image.info.get("icc_profile"))
    converted = Image.open(io.BytesIO(PhotoConverter(PROFILE).convert(path, grey)))
    assert converted.mode == ("L" if grey else "CMYK")
    middle = converted.getpixel((20, 15))
    if grey:
        assert isinstance(middle, int) and middle < 200, middle  # DeviceGray: 255 is paper
    else:
        assert isinstance(middle, tuple) and sum(middle) > 120, middle  # ink, not paper
    if name == "alpha":
        paper = converted.getpixel((2, 15))
        assert (paper > 240) if grey else sum(paper) < 20, paper  # type: ignore[operator,arg-type]


# -- 4: a truncated JPEG is an error naming it ---------------------------------------------------

def test_4_a_truncated_jpeg_is_an_error_naming_it(make_edition: MakeEdition) -> None:
    data = photo_bytes()
    folder = make_edition({"a": photo_article("images/half.jpg")},
                          images={"half.jpg": data[: len(data) // 2]})
    info, findings = check_image(folder, "images/half.jpg", folder / "articles" / "a.md", 4)
    assert info is None and [f.code for f in findings] == ["image-damaged"]
    with pytest.raises(OSError):
        decode_photo(folder / "images" / "half.jpg")
    status, text = run(["check", str(folder)])
    assert status == 1
    assert "articles/a.md:4: error: photo 'images/half.jpg' is damaged" in text
    assert "Traceback" not in text


# -- 5: a phone photo is laid out as it is shown -------------------------------------------------

def test_5_an_exif_turned_photo_is_framed_by_its_shown_size(make_edition: MakeEdition) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # stored landscape, shown portrait (turned a quarter clockwise)
    data = photo_bytes((900, 600), exif=exif)
    folder = make_edition({"a": photo_article("images/phone.jpg")}, images={"phone.jpg": data},
                          pages='[[pages]]\narticles = [{ slug = "a", span = 3 }]\n')
    info, _ = check_image(folder, "images/phone.jpg", folder / "articles" / "a.md", 4)
    assert info is not None and (info.width, info.height) == (600, 900)
    converted = PhotoConverter(PROFILE).convert(folder / "images" / "phone.jpg", grey=False)
    assert Image.open(io.BytesIO(converted)).size == (600, 900)
    result = build_edition(folder, write_pdf=False, strict=False)
    photo = result.composed.pages[0].articles[0].photos[0]
    assert (photo.width_px, photo.height_px) == (600, 900)  # the resolution check's pixels
    assert photo.img_height > photo.rect.w  # framed as a portrait


# -- 6: nothing prints outside its column --------------------------------------------------------

URL = ("https://www.pavlodar-region.example.org/" + "news_archive.section." * 6
       + "page?id=12345&utm_source=newspaper&utm_medium=print")


def test_6_a_long_address_is_broken_after_slashes_and_dots(make_edition: MakeEdition) -> None:
    """Where WeasyPrint breaks the lines (a layout without [justification])."""
    body = f"Короткий абзац.\n\nПодробнее: {URL} — там всё.\n\n{BODY}"
    folder = make_edition({"a": article("Адрес", body), "b": article("Соседняя", BODY)},
                          'number = 16\ndate = 2024-04-25\nlayout = "weekly-a3@2"\n'
                          '[[pages]]\narticles = [{ slug = "a", span = 1 }, '
                          '{ slug = "b", span = 4 }]\n')
    result = build_edition(folder)
    assert not [f for f in result.findings if f.severity.value == "error"]
    flow = result.composed.flows["a"]
    broken = [item for item in flow if any("\u200b" in run.text for run in item.runs)]
    assert [item.id for item in broken] == ["a--b1"]  # the address's paragraph, nothing else
    text = "".join(run.text for run in broken[0].runs)
    assert "org/\u200bnews_archive.\u200bsection." in text and "https://\u200bwww." in text
    assert broken[0].splittable  # its lines still map onto its text


def test_6_the_composer_breaks_a_long_address_after_slashes_and_dots(
        make_edition: MakeEdition) -> None:
    """Where typeset composes the lines: the same places, no character added to the text."""
    body = f"Короткий абзац.\n\nПодробнее: {URL} — там всё.\n\n{BODY}"
    folder = make_edition({"a": article("Адрес", body), "b": article("Соседняя", BODY)},
                          pages='[[pages]]\narticles = [{ slug = "a", span = 1 }, '
                                '{ slug = "b", span = 4 }]\n')
    result = build_edition(folder)  # the geometry check: every line rendered as composed
    assert not [f for f in result.findings if f.severity.value == "error"]
    (item,) = [item for item in result.composed.flows["a"] if URL in "".join(
        run.text for run in item.runs)]
    assert item.composition is not None
    text = item.composition.text
    ends = [text[line.end - 1] for line in item.composition.lines if line.kind == "emergency"]
    assert len(ends) > 3 and set(ends) <= set("/.-?&")
    assert "\u200b" not in text


def test_6_an_unbreakable_word_is_an_error_at_its_line(make_edition: MakeEdition) -> None:
    word = "Ж" * 60
    folder = make_edition({"a": article("Слово", f"Короткий абзац.\n\nСлово {word} здесь.")},
                          pages='[[pages]]\narticles = [{ slug = "a", span = 1 }]\n')
    status, text = run(["check", str(folder)])
    assert status == 1
    assert f"articles/a.md:6: error: '{word[:47]}…' is wider than its column" in text


def test_6_a_rendered_line_past_its_column_is_an_error() -> None:
    from weasyprint import HTML

    from typeset.render.boxes import page_overflow_findings

    wide = HTML(string=f'<div style="width: 80px"><p>Адрес {"x" * 80} здесь</p></div>').render()
    assert [f.code for f in page_overflow_findings(wide, 1)] == ["overflow"]
    fits = HTML(string='<div style="width: 80px"><p>Адрес здесь и там</p></div>').render()
    assert page_overflow_findings(fits, 1) == []


# -- 7, 8: outputs that cannot be written; what a killed build left ------------------------------

def _failing(after: int, error: OSError, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = {"n": 0}
    real = os.fsync

    def fsync(fd: int) -> None:
        calls["n"] += 1
        if calls["n"] > after:
            raise error
        real(fd)

    monkeypatch.setattr(outputs.os, "fsync", fsync)


@pytest.mark.parametrize(("code", "words"), [(errno.ENOSPC, "disk full"),
                                             (errno.EACCES, "permission denied")])
def test_7_an_output_that_cannot_be_written_is_exit_1_and_keeps_the_earlier_outputs(
        make_edition: MakeEdition, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        code: int, words: str) -> None:
    folder = make_edition({"a": article("Первая", BODY)})
    out = tmp_path / "out"
    assert run(["build", str(folder), "-o", str(out)])[0] == 0
    before = files_of(out)
    path = folder / "articles" / "a.md"
    path.write_text(path.read_text("utf-8").replace("Первая", "Исправленная"), "utf-8")
    _failing(2, OSError(code, os.strerror(code)), monkeypatch)
    status, text = run(["build", str(folder), "-o", str(out)])
    assert status == 1, text
    assert re.search(rf"error: cannot write \S+/out/\S+: {words}; the earlier outputs are kept",
                     text), text
    assert "Traceback" not in text and "bug" not in text
    assert files_of(out) == before  # no temporary file, nothing replaced


def test_7_an_output_folder_that_cannot_be_made_is_exit_1(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(Path, "mkdir", refuse)
    with pytest.raises(outputs.OutputError, match=r"cannot write \S+/out: permission denied"):
        outputs.write_outputs(tmp_path / "out", {"a.pdf": b"%PDF"})


def test_8_a_killed_build_s_temporary_files_are_named_by_verify_and_removed_by_the_next_build(
        make_edition: MakeEdition, tmp_path: Path) -> None:
    folder = make_edition({"a": article("Первая", BODY)})
    out = tmp_path / "out"
    assert run(["build", str(folder), "-o", str(out)])[0] == 0
    stale = [out / ".2024-016.pdf.k1ll3d_x.tmp", out / "press" / ".IN_p01.pdf.abcd1234.tmp"]
    for path in stale:
        path.write_bytes(b"half a file")
    status, text = run(["verify", str(folder), str(out)])
    assert status == 1
    assert ".2024-016.pdf.k1ll3d_x.tmp: a temporary file of an interrupted build" in text
    assert run(["build", str(folder), "-o", str(out)])[0] == 0
    assert not [p for p in stale if p.exists()]
    assert run(["verify", str(folder), str(out)])[0] == 0


# -- 9: every error of an edition in one run -----------------------------------------------------

def test_9_a_schema_error_does_not_hide_the_errors_of_the_articles(
        make_edition: MakeEdition) -> None:
    folder = make_edition(
        {"a": article("Смайлик", "Текст 😀 с эмодзи."), "b": photo_article("images/nope.jpg"),
         "c": article("HTML", "Текст <b>жирный</b>.")},
        pages='[[pages]]\narticles = [{ slug = "a", span = 0 }, "b", "c"]\n')
    status, text = run(["check", str(folder)])
    assert status == 1
    for expected in ("issue.toml:5: error: 'pages.0.articles.0.span'",
                     "a.md:4: error: article 'a': character U+1F600",
                     "b.md:4: error: photo 'images/nope.jpg' not found",
                     "c.md:4: error: raw HTML is not allowed"):
        assert expected in text, text
    assert "4 errors" in text


def test_9_photo_html_glyph_and_overset_errors_together(make_edition: MakeEdition) -> None:
    long = "\n\n".join(["Абзац, который не помещается на полосу вместе с остальными."] * 400)
    folder = make_edition(
        {"a": article("Длинная", long), "b": photo_article("images/nope.jpg"),
         "c": article("HTML", "Текст <b>жирный</b> 😀.")},
        pages='[[pages]]\narticles = [{ slug = "a", span = 2 }, { slug = "b", span = 3 }]\n'
              '[[pages]]\narticles = ["c"]\n')
    status, text = run(["check", str(folder)])
    assert status == 1
    for expected in ("photo 'images/nope.jpg' not found", "raw HTML is not allowed",
                     "character U+1F600", "'a' does not fit"):
        assert expected in text, text
    assert "lines over" in text  # the copyfit table first


# -- 10: messages --------------------------------------------------------------------------------

def test_10_user_text_is_never_an_emoji_code(make_edition: MakeEdition) -> None:
    manifest = "number = 16\ndate = 2024-04-25\n" + "\n" * 97 + 'colour = "red"\n' \
               '[[pages]]\narticles = ["a"]\n'
    folder = make_edition({"a": article()}, manifest)
    status, text = run(["check", str(folder)])
    assert status == 1
    assert "issue.toml:100: error: unknown key 'colour'" in text
    assert "💯" not in text


def test_10_a_windows_1251_manifest_names_its_line_and_says_save_as_utf8(
        make_edition: MakeEdition) -> None:
    folder = make_edition({"a": article()})
    manifest = folder / "issue.toml"
    manifest.write_bytes(("# Выпуск № 16\n" + manifest.read_text("utf-8")).encode("cp1251"))
    status, text = run(["check", str(folder)])
    assert status == 1
    assert "issue.toml:1: error: issue.toml is not UTF-8 text" in text
    assert "Windows-1251" in text and "save it as UTF-8" in text
    assert "codec" not in text


def test_10_an_impossible_date_says_which_day_does_not_exist(make_edition: MakeEdition) -> None:
    folder = make_edition({"a": article()}, 'number = 16\ndate = 2024-02-30\n\n'
                                            '[[pages]]\narticles = ["a"]\n')
    status, text = run(["check", str(folder)])
    assert status == 1
    assert "issue.toml:2: error: there is no 30 February 2024" in text
    assert "write a date as" not in text


def test_10_the_same_article_twice_on_a_page_is_not_told_to_continue_there(
        make_edition: MakeEdition) -> None:
    folder = make_edition({"a": article(), "b": article()},
                          pages='[[pages]]\narticles = ["a", "b", "a"]\n')
    status, text = run(["check", str(folder)])
    assert status == 1
    assert "issue.toml:5: error: page 1: 'a' is placed twice on this page" in text
    assert "continued = true" not in text


# -- 11: nothing printed blank -------------------------------------------------------------------

def test_11_an_article_with_nothing_but_its_headline_is_an_error(
        make_edition: MakeEdition) -> None:
    folder = make_edition({"a": "---\ntitle: Пустая\n---\n\n", "b": article()},
                          pages='[[pages]]\narticles = ["a", "b"]\n')
    status, text = run(["check", str(folder)])
    assert status == 1
    assert "articles/a.md:4: error: the article has no text" in text


def test_11_a_photo_story_without_body_text_is_fine(make_edition: MakeEdition) -> None:
    folder = make_edition({"a": "---\ntitle: Фото\nphotos:\n  - src: images/p.jpg\n"
                                "    caption: Подпись\n---\n"}, images={"p.jpg": photo_bytes()})
    status, text = run(["check", str(folder)])
    assert "no text" not in text and status == 0, text


def test_11_a_page_without_articles_is_an_error_at_its_line(make_edition: MakeEdition) -> None:
    folder = make_edition({"a": article()},
                          pages='[[pages]]\narticles = ["a"]\n\n[[pages]]\narticles = []\n')
    status, text = run(["check", str(folder)])
    assert status == 1
    assert "issue.toml:8: error: page 2 has no articles and would print blank" in text
