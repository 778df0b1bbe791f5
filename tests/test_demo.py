"""The demo edition end to end: pages, trim size, fonts, copyfit, and every word in the PDF."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium

from typeset.app.build import BuildResult
from typeset.source.fonts import unexpected_fonts

A3 = (297 * 72 / 25.4, 420 * 72 / 25.4)


def test_eight_a3_pages(demo_build: tuple[BuildResult, Path]) -> None:
    _, out = demo_build
    pdf = pikepdf.open(out / "2024-016.pdf")
    assert len(pdf.pages) == 8
    for page in pdf.pages:
        box = page.obj.get("/TrimBox", page.mediabox)
        width = float(box[2]) - float(box[0])
        height = float(box[3]) - float(box[1])
        assert abs(width - A3[0]) < 0.5 and abs(height - A3[1]) < 0.5


def test_only_shipped_fonts_are_embedded(demo_build: tuple[BuildResult, Path]) -> None:
    result, out = demo_build
    names = []
    with pikepdf.open(out / "2024-016.pdf") as pdf:
        for page in pdf.pages:
            fonts = page.obj.Resources.get("/Font", {})
            for key in fonts:
                font = fonts[key]
                names.append(str(font.BaseFont))
                descendant = font.get("/DescendantFonts")
                descriptor = (descendant[0] if descendant else font).get("/FontDescriptor")
                assert descriptor is not None and any(
                    k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), \
                    f"{font.BaseFont} is not embedded"
    assert names
    assert unexpected_fonts(names, result.layout.font_files, result.layout.families) == []


def test_report_says_every_article_fits(demo_build: tuple[BuildResult, Path]) -> None:
    _, out = demo_build
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert report["issue"] == {"year": 2024, "number": 16, "total": 1234,
                               "date": "2024-04-25", "pages": 8,
                               "title": "Иртышская неделя"}
    assert len(report["articles"]) >= 12
    for row in report["articles"]:
        assert row["fits"], row
        assert row["overset_lines"] == 0
    continued = [r for r in report["articles"] if len(r["pages"]) > 1]
    assert continued, "the demo must exercise a continuation"
    assert not [f for f in report["findings"] if f["severity"] == "error"]


def _pdf_words(path: Path) -> tuple[set[str], set[str]]:
    """Words of the PDF's text, and the first halves of words hyphenated at a line end."""
    doc = pdfium.PdfDocument(str(path))
    joined = "\n".join(page.get_textpage().get_text_range() for page in doc).lower()
    joined = joined.replace("\u00ad", "")
    joined = re.sub(r"-\r?\n", "-", joined)  # a real hyphen at a line end stays a hyphen
    # PDFium marks a word hyphenated at a line end with U+FFFE and joins the next line's text in
    # its reading order, which across columns may be another column: keep both halves
    heads = set(re.findall(r"(\w+)\ufffe", joined))
    words = set(re.findall(r"\w+", joined.replace("\ufffe", ""))) | set(
        re.findall(r"\w+", joined.replace("\ufffe", " ")))
    return words, heads


def test_every_word_of_every_article_is_in_the_pdf(demo_build: tuple[BuildResult, Path]) -> None:
    result, out = demo_build
    words, heads = _pdf_words(out / "2024-016.pdf")

    def found(word: str) -> bool:
        return word in words or any(word[:i] in heads and word[i:] in words
                                    for i in range(2, len(word) - 1))

    for slug, article in result.edition.articles.items():
        missing = [w for w in article.words() if not found(w.lower())]
        assert not missing, f"{slug}: {missing[:10]}"


def test_masthead_and_imprint(demo_build: tuple[BuildResult, Path]) -> None:
    _, out = demo_build
    doc = pdfium.PdfDocument(str(out / "2024-016.pdf"))
    first = doc[0].get_textpage().get_text_range()
    last = doc[len(doc) - 1].get_textpage().get_text_range()
    for expected in ("Иртышская неделя", "1234", "25 апреля 2024", "четверг",
                     "Выходит с 1991 года", "16+"):
        assert expected in first.replace("\u00a0", " ").replace("\u202f", " "), expected
    for expected in ("Учредитель", "Главный редактор", "Тираж", "Подписано в печать",
                     "Заказ", "Адрес редакции"):
        assert expected in last.replace("\u00a0", " "), expected


def test_pdftotext_finds_hyphenated_words(demo_build: tuple[BuildResult, Path]) -> None:
    """A word split at a line end is still found by text search: the line-end hyphen and the
    word's second half carry /ActualText (typeset.pdf.text)."""
    import shutil
    import subprocess

    import pytest
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils not installed")
    result, out = demo_build
    text = subprocess.run(["pdftotext", str(out / "2024-016.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    found = set(re.findall(r"\w+", text.lower()))
    words = {w.lower() for a in result.edition.articles.values() for w in a.words()}
    missing = sorted(words - found)
    assert missing == [], missing[:20]


def test_hyphenation_on_the_page(demo_build: tuple[BuildResult, Path]) -> None:
    """At most 3 hyphenated lines in a row, at most 30 % of body lines hyphenated, and no
    paragraph whose last line ends in a hyphenated word."""
    result, _ = demo_build
    stats = result.composed.hyphenation()
    assert stats.longest_run <= 3
    assert stats.percent <= 30
    for flow in result.composed.flows.values():
        for item in flow:
            if item.kind == "para" and item.hyphens:
                assert not item.hyphens[-1], item.id


def test_no_word_hyphenated_across_a_page(demo_build: tuple[BuildResult, Path]) -> None:
    result, _ = demo_build
    for page in result.composed.pages:
        for placed in page.articles:
            if placed.jump_out is not None:
                last = placed.columns[-1].pieces[-1]
                assert not last.hyphen, placed.id


def test_typeset_text_has_no_raw_typography(demo_build: tuple[BuildResult, Path]) -> None:
    """No straight quotes, no spaced hyphen used as a dash, no three dots in the demo's text."""
    doc = pdfium.PdfDocument(str(demo_build[1] / "2024-016.pdf"))
    text = "\n".join(page.get_textpage().get_text_range() for page in doc)
    assert '"' not in text
    assert not re.search(r"\s-\s", text)
    assert "..." not in text


def test_composite_embeds_each_font_once(demo_build: tuple[BuildResult, Path]) -> None:
    """Pages are rendered separately and merged: each face must still be embedded once."""
    _, out = demo_build
    with pikepdf.open(out / "2024-016.pdf") as pdf:
        faces: dict[str, set[tuple[int, int]]] = {}
        files: set[tuple[int, int]] = set()
        for page in pdf.pages:
            for key in page.obj.Resources.Font.keys():  # noqa: SIM118 - pikepdf names
                font = page.obj.Resources.Font[key]
                name = str(font.BaseFont).split("+", 1)[1]
                faces.setdefault(name, set()).add(font.objgen)
                files.add(font.DescendantFonts[0].FontDescriptor.FontFile2.objgen)
        assert faces and all(len(objects) == 1 for objects in faces.values()), faces
        assert len(files) == len(faces)


# --- №17: the current layout, every body line composed by typeset ------------------------------


def test_demo_17_builds_clean_and_fits(demo17_build: tuple[BuildResult, Path]) -> None:
    """Nothing overset, underset small (no warning), no error; the only warnings are the
    proofreader's, at the three slips planted in its articles."""
    result, out = demo17_build
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert report["build"]["layout"] == result.layout.ref == "weekly-a3@3"
    for row in report["articles"]:
        assert row["fits"] and row["overset_lines"] == 0, row
        assert row["underset_lines"] <= 2 * max(p["columns"] for p in row["placements"]), row
    codes = [f["code"] for f in report["findings"]]
    assert len(codes) == 3 and all(code.startswith("proofreading/") for code in codes), codes


def test_demo_17_spacing_meets_the_targets(demo17_build: tuple[BuildResult, Path]) -> None:
    """Issue 14's figures: median stretch ≤ 1.5×, p99 ≤ 3×, at most 10 % of justified lines
    over 2×; at most 30 % of lines hyphenated, at most 3 in a row."""
    _, out = demo17_build
    report = json.loads((out / "report.json").read_text("utf-8"))
    spacing = report["spacing"]
    assert spacing["median"] <= 1.5 and spacing["p99"] <= 3.0
    assert spacing["over_2_percent"] <= 10
    assert spacing["hyphenated_percent"] <= 30 and spacing["longest_run"] <= 3
    assert report["hyphenation"]["longest_run"] <= 3
    assert all(line["stretch"] > 2 for line in report["loose_lines"])


def test_demo_17_every_word_is_in_the_pdf(demo17_build: tuple[BuildResult, Path]) -> None:
    """Every word of every article, found by pdftotext in the composite and in the archive: the
    composer's line-end hyphens read whole."""
    import shutil
    import subprocess

    import pytest
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils not installed")
    result, out = demo17_build
    words = {w.lower() for a in result.edition.articles.values() for w in a.words()}
    for name in ("2024-017.pdf", "archive/2024-017.pdf"):
        text = subprocess.run(["pdftotext", str(out / name), "-"], capture_output=True,
                              text=True, check=True).stdout
        missing = sorted(words - set(re.findall(r"\w+", text.lower())))
        assert not missing, (name, missing[:20])


def test_demo_17_no_column_ends_in_a_hyphen(demo17_build: tuple[BuildResult, Path]) -> None:
    result, _ = demo17_build
    for page in result.composed.pages:
        for placed in page.articles:
            for column in placed.columns:
                if column.pieces and column.pieces[-1].kind == "para":
                    assert not column.pieces[-1].texts[-1].endswith("-"), placed.id
                if column.pieces:
                    assert column.pieces[-1].kind != "subhead", placed.id
