"""Bad input is refused clearly, and nothing outside the edition is ever read."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pikepdf
import pytest
from PIL import Image
from rich.console import Console

from typeset.app.cli import main
from typeset.render.fetcher import EditionFetcher, FetchRefused

from .conftest import MakeEdition, article

SECRET = "TOP-SECRET-OUTSIDE-CONTENT"


def jpeg(size: tuple[int, int] = (300, 200)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (90, 120, 150)).save(buffer, "JPEG")
    return buffer.getvalue()


def bomb_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(buffer, "PNG")
    return buffer.getvalue()


def photo_article(src: str) -> str:
    return f"---\ntitle: Снимок\nphotos:\n  - src: {src}\n    caption: Подпись\n---\nТекст.\n"


def run(argv: list[str]) -> tuple[int, str]:
    buffer = io.StringIO()
    status = main(argv, Console(file=buffer, width=300, color_system=None))
    return status, buffer.getvalue()


BAD = {
    "raw-html-file-image": ({"a": article(body='<img src="file:///etc/passwd">\n')},
                            "articles/a.md:4: error: raw HTML is not allowed"),
    "markdown-image": ({"a": article(body="Смотри ![x](images/a.jpg).\n")},
                       "articles/a.md:4: error: inline image 'images/a.jpg'"),
    "dotdot-photo": ({"a": photo_article("../../../../etc/passwd")},
                     "articles/a.md:4: error: 'photos.0.src'"),
    "missing-photo": ({"a": photo_article("images/nope.jpg")},
                      "error: photo 'images/nope.jpg' not found"),
    "unknown-key": ({"a": "---\ntitle: X\ncolor: red\n---\nТекст.\n"},
                    "articles/a.md:3: error: unknown key 'color'"),
    "broken-yaml": ({"a": "---\ntitle: [X\n---\nТекст.\n"}, "front matter is not valid YAML"),
    "missing-title": ({"a": "---\nrubric: X\n---\nТекст.\n"},
                      "articles/a.md:2: error: required key 'title' is missing"),
    "no-front-matter": ({"a": "Просто текст.\n"}, "articles/a.md:1: error: the article must "
                                                  "start with a YAML front matter"),
    "too-long": ({"a": article(body="\n\n".join(["Строка текста."] * 400))},
                 "error: page 1: 'a' does not fit: "),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_edition_is_refused(case: str, make_edition: MakeEdition, tmp_path: Path) -> None:
    articles, expected = BAD[case]
    folder = make_edition(articles)
    out = tmp_path / "out"
    status, text = run(["build", str(folder), "-o", str(out)])
    assert status == 1, text
    assert expected in text.replace("\n", ""), text
    assert "Traceback" not in text
    assert not (out / "2024-016.pdf").exists()


def test_symlink_out_of_the_edition_is_refused(make_edition: MakeEdition, tmp_path: Path) -> None:
    outside = tmp_path / "outside.jpg"
    outside.write_bytes(jpeg())
    folder = make_edition({"a": photo_article("images/link.jpg")})
    os.symlink(outside, folder / "images" / "link.jpg")
    status, text = run(["build", str(folder), "-o", str(tmp_path / "out")])
    assert status == 1
    assert "points outside the edition folder" in text


def test_decompression_bomb_is_refused(make_edition: MakeEdition, tmp_path: Path) -> None:
    folder = make_edition({"a": photo_article("images/bomb.png")},
                          images={"bomb.png": bomb_png()})
    status, text = run(["build", str(folder), "-o", str(tmp_path / "out")])
    assert status == 1
    assert "articles/a.md" in text and "photo 'images/bomb.png' is too large" in text


def test_all_errors_of_an_edition_at_once(make_edition: MakeEdition, tmp_path: Path) -> None:
    folder = make_edition({"a": "---\nrubric: X\n---\nТекст.\n",
                           "b": article(body="<b>жирный</b>\n"),
                           "c": photo_article("images/nope.jpg")})
    status, text = run(["build", str(folder), "-o", str(tmp_path / "out")])
    assert status == 1
    for expected in ("a.md:2", "b.md:4", "photo 'images/nope.jpg' not found"):
        assert expected in text
    assert "3 errors" in text


def test_link_to_a_local_file_is_printed_as_text_never_attached(make_edition: MakeEdition,
                                                                 tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    folder = make_edition({"a": article(body=f"См. [документ]({secret.as_uri()}) и "
                                             "<https://example.kz/x>.\n")})
    out = tmp_path / "out"
    status, text = run(["build", str(folder), "-o", str(out)])
    assert status == 0, text
    for pdf_path in out.rglob("*.pdf"):
        with pikepdf.open(pdf_path) as pdf:
            assert "/EmbeddedFiles" not in pdf.Root.get("/Names", {})
            for page in pdf.pages:
                assert "/Annots" not in page.obj or not any(
                    "/URI" in str(a.get("/A", {})) for a in page.obj.Annots)
        assert SECRET.encode() not in pdf_path.read_bytes()


@pytest.mark.parametrize("url", [
    "http://example.com/x.png", "https://example.com/x.css", "ftp://x/y", "data:text/plain,x",
    "file:///etc/passwd", "file:///{edition}/../../../../etc/passwd", "file://otherhost/x",
])
def test_fetcher_refuses(url: str, tmp_path: Path) -> None:
    fetcher = EditionFetcher(tmp_path)
    with pytest.raises(FetchRefused):
        fetcher.fetch(url.format(edition=str(tmp_path).lstrip("/")))
    assert fetcher.refused


def test_fetcher_serves_files_inside(tmp_path: Path) -> None:
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "a.jpg").write_bytes(jpeg())
    response = EditionFetcher(tmp_path).fetch((tmp_path / "images" / "a.jpg").as_uri())
    assert response.read()[:2] == b"\xff\xd8"


def test_missing_glyph_names_the_character_and_the_article(make_edition: MakeEdition,
                                                           tmp_path: Path) -> None:
    folder = make_edition({"a": article(body="Иероглиф 漢 в тексте.\n")})
    status, text = run(["build", str(folder), "-o", str(tmp_path / "out")])
    assert status == 1
    flat = text.replace("\n", "")
    assert "articles/a.md:4: error: article 'a': character U+6F22" in flat
    assert "is not in the layout's fonts" in flat


def test_a_pasted_phrase_in_another_script_is_one_error(make_edition: MakeEdition,
                                                        tmp_path: Path) -> None:
    body = "Первый абзац.\n\nЦитата: 我们的城市很美丽 — сказал гость.\n"
    folder = make_edition({"a": article(body=body)})
    status, text = run(["build", str(folder), "-o", str(tmp_path / "out")])
    assert status == 1
    flat = text.replace("\n", "")
    assert flat.count("error:") == 1 and "1 error; nothing was written" in flat
    assert "articles/a.md:6: error: article 'a': 8 characters are not in the layout's fonts: " \
           "U+6211 CJK UNIFIED IDEOGRAPH-6211 ('我'), U+4EEC" in flat
    assert "and 3 more" in flat


def test_concurrent_builds_of_one_edition_do_not_corrupt_outputs(make_edition: MakeEdition,
                                                                 tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    folder = make_edition({"a": article(body="Абзац.\n\nЕщё абзац.\n")})
    out = tmp_path / "out"
    with ThreadPoolExecutor(2) as pool:
        statuses = list(pool.map(lambda _: run(["build", str(folder), "-o", str(out)])[0],
                                 range(2)))
    assert statuses == [0, 0]
    assert not list(out.rglob("*.tmp"))
    status, text = run(["verify", str(folder), str(out)])
    assert status == 0, text
