"""Advertising modules: booked, placed around, checked, printed as the advertiser sent them."""

from __future__ import annotations

import io
import json
import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

import typeset.app.build
from typeset.app.build import BuildResult, build_edition, collect_outputs
from typeset.app.cli import main
from typeset.app.outputs import write_outputs
from typeset.core.errors import EditionError, Finding, Severity
from typeset.core.units import PT_PER_MM
from typeset.pdf.ads import AD_FORM_PREFIX, place_ads
from typeset.source.layouts import Rect, load_layout

from .conftest import ROOT, article
from .test_demo import _pdf_words

DEMO_ADS = ROOT / "issues" / "2024" / "017" / "ads"
TWO_COLUMNS_MM = 2 * 51.4 + 4.5
"""The width of a two-column module of weekly-a3 (columns of 51.4 mm, gutters of 4.5 mm)."""
BODY = "\n\n".join(
    f"Абзац {n}: жители Павлодара обсуждают весеннюю уборку улиц, ремонт дворов и новые "
    "автобусные маршруты, которые акимат обещает открыть до конца мая." for n in range(1, 19))


def paper(root: Path, ads_table: str = "") -> None:
    """A newspaper repository at ``root``, as the conftest's editions are made."""
    root.mkdir(parents=True, exist_ok=True)
    text = (ROOT / "newspaper.toml").read_text("utf-8").replace("page_multiple = 4",
                                                               "page_multiple = 1")
    (root / "newspaper.toml").write_text(text + ads_table, "utf-8")
    shutil.copytree(ROOT / "layouts", root / "layouts")
    shutil.copytree(ROOT / "printers", root / "printers")


def edition(root: Path, pages: str, articles: dict[str, str],
            files: dict[str, bytes] | None = None, layout: str = "") -> Path:
    folder = root / "issues" / "2024" / "017"
    (folder / "articles").mkdir(parents=True, exist_ok=True)
    (folder / "ads").mkdir(exist_ok=True)
    for slug, text in articles.items():
        (folder / "articles" / f"{slug}.md").write_text(text, "utf-8")
    for name, data in (files or {}).items():
        (folder / name).write_bytes(data)
    pin = f'layout = "{layout}"\n' if layout else ""
    (folder / "issue.toml").write_text(
        f"number = 17\ndate = 2024-05-02\n{pin}\n" + textwrap.dedent(pages), "utf-8")
    return folder


def pdf_ad(width_mm: float, height_mm: float, content: bytes,
           resources: Callable[[pikepdf.Pdf], pikepdf.Dictionary] | None = None) -> bytes:
    """A one-page PDF ad of the given trim size drawing ``content``."""
    pdf = pikepdf.new()
    page = pdf.add_blank_page(page_size=(width_mm * PT_PER_MM, height_mm * PT_PER_MM))
    page.obj.Contents = pdf.make_stream(content)
    if resources is not None:
        page.obj.Resources = resources(pdf)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def errors(folder: Path) -> list[Finding]:
    with pytest.raises(EditionError) as info:
        build_edition(folder, write_pdf=False)
    return info.value.errors


def line_of(folder: Path, text: str) -> int:
    lines = (folder / "issue.toml").read_text("utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if text in line)


# -- one edition with ads, built once -------------------------------------------------------------

PAGES = """\
[[pages]]
articles = [{ slug = "city", span = 3 }, { slug = "side", span = 2 }]

[[pages]]
articles = [{ slug = "roads", span = 3 }, { slug = "notes", span = 2 }]
ads = [
  { file = "ads/bank.pdf", columns = 2, height = 80, advertiser = "АО «Иртыш Кредит»", order = "R-117" },
  { file = "ads/classifieds.jpg", columns = 2, height = 50, column = 4 },
]
"""  # noqa: E501


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildResult, Path, Path]:
    """A two-page edition: page 2 books the demo's bank ad (vector) and its grey classifieds."""
    root = tmp_path_factory.mktemp("ads") / "paper"
    paper(root)
    articles = {slug: article(title, BODY) for slug, title in
                [("city", "Город"), ("side", "Рядом"), ("roads", "Дороги"), ("notes", "Заметки")]}
    folder = edition(root, PAGES, articles,
                     {f"ads/{name}": (DEMO_ADS / name).read_bytes()
                      for name in ("bank.pdf", "classifieds.jpg")})
    result = build_edition(folder)
    out = root / "out"
    write_outputs(out, collect_outputs(result))
    return result, out, folder


def test_ads_stand_at_the_foot_of_the_page_side_by_side(
        built: tuple[BuildResult, Path, Path]) -> None:
    result, _, _ = built
    grid = result.layout.grid
    page = result.composed.pages[1]
    bank, classifieds = page.ads
    foot = grid.y(page.top_line + page.lines)
    assert bank.rect.x == pytest.approx(grid.x(0)) and classifieds.rect.x == pytest.approx(
        grid.x(3))
    assert bank.rect.w == pytest.approx(TWO_COLUMNS_MM * PT_PER_MM, abs=0.01)
    assert bank.rect.h == pytest.approx(80 * PT_PER_MM)
    assert bank.rect.bottom == pytest.approx(foot) == classifieds.rect.bottom
    assert bank.label_rect.bottom == pytest.approx(bank.rect.y)  # the label just above
    # the articles end on the grid above the modules in their columns
    roads, notes = page.articles
    assert roads.column == 0 and roads.top + roads.height == page.lines - bank.lines
    assert notes.column == 3 and notes.top + notes.height == page.lines - classifieds.lines


def test_the_vector_content_of_an_ad_is_unchanged_in_the_press_file(
        built: tuple[BuildResult, Path, Path]) -> None:
    _, out, _ = built
    with pikepdf.open(DEMO_ADS / "bank.pdf") as ad, \
            pikepdf.open(out / "press" / "IN_20240502_p02.pdf") as press:
        original = ad.pages[0]
        forms = {str(k): v for k, v in press.pages[0].obj.Resources.XObject.items()
                 if str(k).startswith(AD_FORM_PREFIX)}
        (form,) = forms.values()
        assert form.Subtype == "/Form"
        assert form.read_bytes() == original.obj.Contents.read_bytes()
        ops = [(list(i.operands), str(i.operator))
               for i in pikepdf.parse_content_stream(form)]
        assert ops == [(list(i.operands), str(i.operator))
                       for i in pikepdf.parse_content_stream(original)]
        # its trim, never its bleed; its own fonts; no image: it was not rasterised
        assert [float(v) for v in form.BBox] == [float(v) for v in original.obj.TrimBox]
        assert len(form.Resources.Font) == len(original.obj.Resources.Font)
        assert "/Image" not in {str(x.get("/Subtype")) for x in
                                form.Resources.get("/XObject", pikepdf.Dictionary()).values()}
    for pdf in (out / "2024-017.pdf", out / "archive" / "2024-017.pdf"):
        with pikepdf.open(pdf) as doc:
            names = [str(k) for k in doc.pages[1].obj.Resources.XObject.keys()]  # noqa: SIM118
            assert f"{AD_FORM_PREFIX}1" in names, pdf


def test_the_ad_is_drawn_at_its_module_clipped_to_it(built: tuple[BuildResult, Path, Path]
                                                     ) -> None:
    result, out, _ = built
    with pikepdf.open(out / "press" / "IN_20240502_p02.pdf") as press:
        page = press.pages[0]
        trim = [float(v) for v in page.obj.TrimBox]
        drawn = [i for i in pikepdf.parse_content_stream(page) if str(i.operator) == "re"]
        x, y, w, h = (float(v) for v in drawn[-1].operands)  # the clip before the form
    bank = result.composed.pages[1].ads[0]
    assert (x - trim[0], trim[3] - (y + h)) == pytest.approx((bank.rect.x, bank.rect.y), abs=0.01)
    assert (w, h) == pytest.approx((bank.rect.w, bank.rect.h), abs=0.01)


def test_an_ad_delivered_with_bleed_prints_its_trim_area() -> None:
    """auto.pdf carries 3 mm of bleed: the form is its TrimBox, centred on the module."""
    module = Rect(100.0, 200.0, 163.2 * PT_PER_MM, 100 * PT_PER_MM)
    page = pikepdf.new()
    bleed = 20.0  # a rendered page's MediaBox starts outside its trim
    blank = page.add_blank_page(page_size=(842 + 2 * bleed, 1191 + 2 * bleed))
    blank.obj.MediaBox = pikepdf.Array([-bleed, -bleed, 842 + bleed, 1191 + bleed])
    blank.obj.TrimBox = pikepdf.Array([0, 0, 842, 1191])
    blank.obj.Contents = page.make_stream(b"1 0 0 -1 0 1191 cm")
    data = io.BytesIO()
    page.save(data)
    placed = place_ads(data.getvalue(), [(DEMO_ADS / "auto.pdf", module)])
    with pikepdf.open(io.BytesIO(placed)) as pdf, pikepdf.open(DEMO_ADS / "auto.pdf") as ad:
        form = pdf.pages[0].obj.Resources.XObject[f"{AD_FORM_PREFIX}1"]
        assert [float(v) for v in form.BBox] == [float(v) for v in ad.pages[0].obj.TrimBox]
        assert [float(v) for v in ad.pages[0].obj.MediaBox] != [float(v) for v in form.BBox]
        ops = list(pikepdf.parse_content_stream(pdf.pages[0]))
        # the page's own content is closed off (q … Q) before the ad is drawn
        assert str(ops[0].operator) == "q" and str(ops[2].operator) == "Q"
        clip, move = ops[4], ops[7]
        assert [float(v) for v in clip.operands] == pytest.approx(
            [module.x, 1191 - module.bottom, module.w, module.h], abs=1e-3)
        assert [float(v) for v in move.operands][4:] == pytest.approx(
            [module.x, 1191 - module.bottom], abs=1e-3)


def test_an_article_next_to_an_ad_keeps_every_word(built: tuple[BuildResult, Path, Path]) -> None:
    result, out, _ = built
    for slug in ("roads", "notes"):
        assert result.composed.copyfit[slug].overset_lines == 0
    words, heads = _pdf_words(out / "2024-017.pdf")
    for slug in ("roads", "notes"):
        missing = [w for w in result.edition.articles[slug].words()
                   if w.lower() not in words and not any(
                       w.lower()[:i] in heads for i in range(2, len(w) - 1))]
        assert not missing, f"{slug}: {missing[:10]}"


def test_each_module_carries_its_label(built: tuple[BuildResult, Path, Path]) -> None:
    import pypdfium2 as pdfium

    _, out, _ = built
    doc = pdfium.PdfDocument(str(out / "2024-017.pdf"))
    text = doc[1].get_textpage().get_text_range()
    assert text.count("Реклама") == 2
    assert "Реклама" not in doc[0].get_textpage().get_text_range()


def test_a_grey_image_ad_prints_in_black_only(built: tuple[BuildResult, Path, Path]) -> None:
    _, out, _ = built
    with pikepdf.open(out / "press" / "IN_20240502_p02.pdf") as press:
        images = [x for x in press.pages[0].obj.Resources.XObject.values()
                  if x.get("/Subtype") == "/Image"]
    assert [str(x.ColorSpace) for x in images] == ["/DeviceGray"]


def test_report_json_lists_every_ad_and_the_ad_share(built: tuple[BuildResult, Path, Path]
                                                     ) -> None:
    result, out, _ = built
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert report["ads"] == [
        {"page": 2, "file": "ads/bank.pdf", "advertiser": "АО «Иртыш Кредит»",
         "order": "R-117", "columns": 2, "height": 80.0, "column": 1},
        {"page": 2, "file": "ads/classifieds.jpg", "advertiser": None, "order": None,
         "columns": 2, "height": 50.0, "column": 4}]
    grid = result.layout.grid
    area = TWO_COLUMNS_MM * (80 + 50) * PT_PER_MM ** 2
    share = area / (grid.width(grid.columns) * grid.lines * grid.line)
    assert report["ad_share"] == [{"page": 1, "ad_share": 0.0},
                                  {"page": 2, "ad_share": pytest.approx(share, abs=1e-4)}]
    assert not [f for f in report["findings"] if f["code"].startswith("ad")]


def test_the_archive_bookmarks_name_the_advertisers(built: tuple[BuildResult, Path, Path]
                                                    ) -> None:
    _, out, _ = built
    with pikepdf.open(out / "archive" / "2024-017.pdf") as pdf, pdf.open_outline() as outline:
        second = outline.root[1]
        assert [c.title for c in second.children] == [
            "Дороги", "Заметки", "Реклама: АО «Иртыш Кредит»", "Реклама: classifieds.jpg"]


def test_ad_bytes_change_nothing_on_the_other_pages(built: tuple[BuildResult, Path, Path],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The page cache is keyed by the ad's bytes: a new ad file renders its page again, and
    only its page."""
    monkeypatch.delenv("TYPESET_NO_CACHE", raising=False)
    _, _, folder = built
    build_edition(folder)  # the cache holds both pages
    first = build_edition(folder)
    assert [p.cached for p in first.pages] == [True, True]
    ad_file = folder / "ads" / "bank.pdf"
    try:
        with pikepdf.open(DEMO_ADS / "bank.pdf") as ad:  # the same ad, a colour changed
            page = ad.pages[0]
            content = page.obj.Contents.read_bytes()
            changed = content.replace(b"0 0.9 0.85 0.1 scn", b"0 0.5 1 0 scn")
            assert changed != content
            page.obj.Contents = ad.make_stream(changed)
            ad.save(ad_file)
        again = build_edition(folder)
    finally:
        ad_file.write_bytes((DEMO_ADS / "bank.pdf").read_bytes())
    assert [p.cached for p in again.pages] == [True, False]
    assert again.pages[0].press == first.pages[0].press
    assert again.pages[1].press != first.pages[1].press


# -- bookings refused, each at its line ------------------------------------------------------------

@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "paper"
    paper(root)
    return root


def small(n: int = 6) -> str:
    return article("Заметка", "\n\n".join(f"Строка {k}." for k in range(n)))


RGB = b"1 0 0 rg 0 0 100 100 re f"
CMYK = b"0 0 0 1 k 0 0 100 100 re f"


def test_an_rgb_ad_is_refused_naming_the_file_and_advertiser(repo: Path) -> None:
    folder = edition(repo, """\
        [[pages]]
        articles = ["a"]
        ads = [{ file = "ads/shop.pdf", columns = 2, height = 40, advertiser = "ИП Ромашкина" }]
        """, {"a": small()}, {"ads/shop.pdf": pdf_ad(TWO_COLUMNS_MM, 40, RGB)})
    (finding,) = [f for f in errors(folder) if f.code == "ad-rgb"]
    assert "ad 'ads/shop.pdf' (ИП Ромашкина)" in finding.message
    assert "'rg' colour operator" in finding.message
    assert finding.location.line == line_of(folder, "ads/shop.pdf")


def test_a_wrongly_sized_ad_is_refused_with_both_sizes(repo: Path) -> None:
    folder = edition(repo, """\
        [[pages]]
        articles = ["a"]
        ads = [
          { file = "ads/ok.pdf", columns = 2, height = 40 },
          { file = "ads/big.pdf", columns = 2, height = 40, advertiser = "ТОО «Ошибка»" },
        ]
        """, {"a": small()}, {"ads/ok.pdf": pdf_ad(TWO_COLUMNS_MM + 0.8, 40, CMYK),
                              "ads/big.pdf": pdf_ad(100, 45, CMYK)})
    (finding,) = [f for f in errors(folder) if f.code == "ad-size"]
    assert "ad 'ads/big.pdf' (ТОО «Ошибка») is 100.0 × 45.0 mm (its MediaBox)" in finding.message
    assert "the module is 107.3 × 40.0 mm (2 columns × 40 mm)" in finding.message
    assert finding.location.line == line_of(folder, "ads/big.pdf")


def test_overlapping_and_too_wide_modules_are_refused_at_their_lines(repo: Path) -> None:
    ad = pdf_ad(TWO_COLUMNS_MM, 40, CMYK)
    folder = edition(repo, """\
        [[pages]]
        articles = ["a"]
        ads = [
          { file = "ads/a.pdf", columns = 2, height = 40 },
          { file = "ads/b.pdf", columns = 2, height = 40, column = 2 },
        ]

        [[pages]]
        articles = ["b"]
        ads = [{ file = "ads/a.pdf", columns = 2, height = 40, column = 5 }]
        """, {"a": small(), "b": small()}, {"ads/a.pdf": ad, "ads/b.pdf": ad})
    found = {f.code: f for f in errors(folder)}
    overlap, wide = found["ad-overlap"], found["ad-too-wide"]
    assert "ad 'ads/b.pdf' overlaps ad 'ads/a.pdf' in column 2" in overlap.message
    assert overlap.location.line == line_of(folder, "ads/b.pdf")
    current = load_layout(ROOT, "weekly-a3").ref
    assert f"is 2 columns wide from column 5, but layout {current} has 5" in wide.message
    assert wide.location.line == line_of(folder, "column = 5")


def test_a_module_taller_than_the_page_and_one_leaving_no_room(repo: Path) -> None:
    one = 51.4
    folder = edition(repo, """\
        [[pages]]
        articles = ["a"]
        ads = [{ file = "ads/tall.pdf", columns = 1, height = 390 }]

        [[pages]]
        articles = [{ slug = "b", span = 2 }]
        ads = [{ file = "ads/high.pdf", columns = 1, height = 372, column = 2 }]

        [[pages]]
        articles = ["c"]
        """, {"a": small(), "b": small(), "c": small()},
        {"ads/tall.pdf": pdf_ad(one, 390, CMYK), "ads/high.pdf": pdf_ad(one, 372, CMYK)})
    found = {f.code: f for f in errors(folder)}
    assert "with its label it takes 104 grid lines, but the page has 87 below its masthead" in (
        found["ad-too-tall"].message)
    assert found["ad-too-tall"].location.line == line_of(folder, "ads/tall.pdf")
    no_room = found["no-room"]
    assert "ad 'ads/high.pdf' leaves no room for 'b'" in no_room.message
    assert no_room.location.line == line_of(folder, "ads/high.pdf")


def test_missing_outside_unreadable_and_low_resolution_ads(repo: Path) -> None:
    small_jpeg = io.BytesIO()
    Image.new("L", (300, 140), 128).save(small_jpeg, "JPEG")
    folder = edition(repo, """\
        [[pages]]
        articles = ["a"]
        ads = [
          { file = "ads/none.pdf", columns = 1, height = 30 },
          { file = "ads/broken.pdf", columns = 1, height = 30 },
          { file = "ads/small.jpg", columns = 2, height = 50, column = 3, advertiser = "Частник" },
        ]

        [[pages]]
        articles = ["b"]
        ads = [{ file = "ads/elsewhere.pdf", columns = 1, height = 30 }]
        """, {"a": small(), "b": small()},
        {"ads/broken.pdf": b"%PDF-1.4 not really", "ads/small.jpg": small_jpeg.getvalue()})
    outside = repo / "elsewhere.pdf"
    outside.write_bytes(pdf_ad(51.4, 30, CMYK))
    (folder / "ads" / "elsewhere.pdf").symlink_to(outside)
    found = {f.code: f for f in errors(folder)}
    assert found["ad-missing"].location.line == line_of(folder, "none.pdf")
    assert "not a readable PDF" in found["ad-unreadable"].message
    assert found["ad-unreadable"].location.line == line_of(folder, "broken.pdf")
    resolution = found["ad-resolution"]
    assert "ad 'ads/small.jpg' (Частник) is 300×140 px" in resolution.message
    assert "below the printer's 150" in resolution.message
    assert resolution.location.line == line_of(folder, "small.jpg")
    assert "points outside the edition folder" in found["ad-outside"].message
    assert found["ad-outside"].location.line == line_of(folder, "elsewhere.pdf")


def fonts_not_embedded(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
    return pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.TrueType, BaseFont=pikepdf.Name.Arial,
        FontDescriptor=pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.FontDescriptor, FontName=pikepdf.Name.Arial))))))


def test_the_ad_preflight(repo: Path) -> None:
    """Fonts not embedded and ink over the limit are errors; hairlines and small text in
    several inks are warnings; each names the ad."""
    text = b"BT /F1 6 Tf 0.6 0.5 0.4 0 k 10 10 Td (Tel) Tj ET 0.05 w 0 0 m 100 0 l S "
    ink = b"0.9 0.9 0.9 0.9 k 0 0 50 50 re f"
    folder = edition(repo, """\
        [[pages]]
        articles = ["a"]
        ads = [{ file = "ads/bad.pdf", columns = 2, height = 40, advertiser = "ТОО «Пример»" }]
        """, {"a": small()},
        {"ads/bad.pdf": pdf_ad(TWO_COLUMNS_MM, 40, text + ink, fonts_not_embedded)})
    result = build_edition(folder, write_pdf=False, strict=False)
    found = {f.code: f for f in result.findings if f.code.startswith("ad-")}
    assert found["ad-font"].severity is Severity.ERROR and "Arial" in found["ad-font"].message
    assert "360 % total ink" in found["ad-ink-limit"].message
    assert found["ad-hairline"].severity is Severity.WARNING
    assert "0.05 pt" in found["ad-hairline"].message
    assert found["ad-small-text"].severity is Severity.WARNING
    assert "6.0 pt" in found["ad-small-text"].message
    for finding in found.values():
        assert "ad 'ads/bad.pdf' (ТОО «Пример»)" in finding.message
        assert finding.location.line == line_of(folder, "ads/bad.pdf")


def test_transparency_in_an_ad_is_refused_when_the_printer_wants_pdf_x1a(tmp_path: Path) -> None:
    root = tmp_path / "paper"
    paper(root)
    toml = root / "newspaper.toml"
    toml.write_text(toml.read_text("utf-8").replace('pdf = "x-4"', 'pdf = "x-1a"'), "utf-8")

    def half_transparent(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
        return pikepdf.Dictionary(ExtGState=pikepdf.Dictionary(
            GS1=pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, ca=0.5)))

    folder = edition(root, """\
        [[pages]]
        articles = ["a"]
        ads = [{ file = "ads/glass.pdf", columns = 2, height = 40 }]
        """, {"a": small()},
        {"ads/glass.pdf": pdf_ad(TWO_COLUMNS_MM, 40, b"/GS1 gs " + CMYK, half_transparent)})
    (finding,) = [f for f in errors(folder) if f.code == "ad-transparency"]
    assert "PDF/X-1a" in finding.message and "ca 0.5" in finding.message


def test_check_validates_ads_without_rendering(repo: Path, monkeypatch: pytest.MonkeyPatch
                                               ) -> None:
    def no_rendering(*args: object, **kwargs: object) -> None:
        raise AssertionError("check rendered a page")

    monkeypatch.setattr(typeset.app.build, "render_pages", no_rendering)
    folder = edition(repo, """\
        [[pages]]
        articles = ["a"]
        ads = [
          { file = "ads/rgb.pdf", columns = 2, height = 40 },
          { file = "ads/gone.pdf", columns = 2, height = 40 },
        ]
        """, {"a": small()}, {"ads/rgb.pdf": pdf_ad(TWO_COLUMNS_MM, 40, RGB)})
    buffer = io.StringIO()
    from rich.console import Console
    status = main(["check", str(folder)], Console(file=buffer, width=300, color_system=None))
    output = buffer.getvalue()
    assert status == 1
    assert f"issue.toml:{line_of(folder, 'rgb.pdf')}: error: page 1: ad 'ads/rgb.pdf'" in output
    assert f"issue.toml:{line_of(folder, 'gone.pdf')}: error: page 1: ad 'ads/gone.pdf'" in output


def test_the_label_comes_from_newspaper_toml_and_its_glyphs_are_checked(tmp_path: Path) -> None:
    root = tmp_path / "paper"
    paper(root, '\n[ads]\nlabel = "На правах рекламы 広"\n')
    folder = edition(root, """\
        [[pages]]
        articles = ["a"]
        ads = [{ file = "ads/a.pdf", columns = 2, height = 40 }]
        """, {"a": small()}, {"ads/a.pdf": pdf_ad(TWO_COLUMNS_MM, 40, CMYK)})
    with pytest.raises(EditionError) as info:
        build_edition(folder, write_pdf=False)
    (glyph,) = info.value.errors
    assert glyph.code == "glyph-missing" and "the ads' label" in glyph.message


def test_a_layout_that_does_not_show_ads_is_an_error(repo: Path) -> None:
    folder = edition(repo, """\
        [[pages]]
        articles = ["a"]
        ads = [{ file = "ads/a.pdf", columns = 2, height = 40 }]
        """, {"a": small()}, {"ads/a.pdf": pdf_ad(TWO_COLUMNS_MM, 40, CMYK)},
        layout="weekly-a3@1")
    (finding,) = [f for f in errors(folder) if f.code == "ad-layout"]
    assert "layout weekly-a3@1 does not show advertising modules" in finding.message


# -- RGB anywhere in a PDF ad: a table of cases --------------------------------------------------

def _rgb_ad(case: str) -> pikepdf.Pdf:
    pdf = pikepdf.new()
    page = pdf.add_blank_page(page_size=(100, 100))
    content = b"0 0 0 1 k 0 0 9 9 re f "
    resources = pikepdf.Dictionary()
    rgb_stream = pdf.make_stream(b"1 0 0 rg 0 0 9 9 re f")
    if case == "operator":
        content += b"0.2 0.4 0.6 RG 0 0 m 9 9 l S"
    elif case == "icc space":
        icc = pdf.make_stream(b"profile", N=3)
        resources.ColorSpace = pikepdf.Dictionary(CS0=pikepdf.Array([pikepdf.Name.ICCBased, icc]))
        content += b"/CS0 cs 1 0 0 sc 0 0 9 9 re f"
    elif case == "inline image":
        content += b"q 9 0 0 9 0 0 cm BI /W 1 /H 1 /CS /RGB /BPC 8 ID \xff\x00\x00 EI Q"
    elif case == "image":
        image = pdf.make_stream(b"\xff\x00\x00", Type=pikepdf.Name.XObject,
                                Subtype=pikepdf.Name.Image, Width=1, Height=1,
                                ColorSpace=pikepdf.Name.DeviceRGB, BitsPerComponent=8)
        resources.XObject = pikepdf.Dictionary(Im0=image)
        content += b"q 9 0 0 9 0 0 cm /Im0 Do Q"
    elif case == "form":
        rgb_stream.Type, rgb_stream.Subtype = pikepdf.Name.XObject, pikepdf.Name.Form
        rgb_stream.BBox = pikepdf.Array([0, 0, 9, 9])
        resources.XObject = pikepdf.Dictionary(Fm0=rgb_stream)
        content += b"/Fm0 Do"
    elif case == "shading":
        resources.Shading = pikepdf.Dictionary(Sh0=pikepdf.Dictionary(
            ShadingType=2, ColorSpace=pikepdf.Name.DeviceRGB, Coords=[0, 0, 9, 0],
            Function=pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[1, 0, 0],
                                        C1=[0, 0, 1], N=1)))
        content += b"/Sh0 sh"
    elif case == "tiling pattern":
        rgb_stream.PatternType, rgb_stream.PaintType, rgb_stream.TilingType = 1, 1, 1
        rgb_stream.BBox, rgb_stream.XStep, rgb_stream.YStep = pikepdf.Array([0, 0, 9, 9]), 9, 9
        rgb_stream.Resources = pikepdf.Dictionary()
        resources.Pattern = pikepdf.Dictionary(P0=rgb_stream)
        content += b"/Pattern cs /P0 scn 0 0 9 9 re f"
    elif case == "annotation":
        page.obj.Annots = pikepdf.Array([pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Square, Rect=[0, 0, 9, 9],
            AP=pikepdf.Dictionary(N=rgb_stream)))])
        rgb_stream.Type, rgb_stream.Subtype = pikepdf.Name.XObject, pikepdf.Name.Form
        rgb_stream.BBox = pikepdf.Array([0, 0, 9, 9])
    elif case == "output intent":
        pdf.Root.OutputIntents = pikepdf.Array([pikepdf.Dictionary(
            Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFX,
            DestOutputProfile=pdf.make_stream(b"profile", N=3))])
    page.obj.Contents = pdf.make_stream(content)
    page.obj.Resources = resources
    return pdf


@pytest.mark.parametrize(("case", "found"), [
    ("none", ""),
    ("operator", "the 'RG' colour operator"),
    ("icc space", "colour space /CS0"),
    ("inline image", "an inline image"),
    ("image", "an image of 1×1 px"),
    ("form", "the 'rg' colour operator"),
    ("shading", "shading /Sh0"),
    ("tiling pattern", "the 'rg' colour operator"),
    ("annotation", "the 'rg' colour operator in an annotation's appearance"),
    ("output intent", "an RGB output intent"),
])
def test_rgb_is_found_anywhere_in_a_pdf_ad(case: str, found: str) -> None:
    from types import SimpleNamespace

    from typeset.pdf.ad_preflight import AdPreflight
    from typeset.source.manifest import load_newspaper

    newspaper, _ = load_newspaper(ROOT)
    check = AdPreflight(SimpleNamespace(paper=newspaper))  # type: ignore[arg-type]
    with _rgb_ad(case) as pdf:
        check.check(pdf)
    assert check.rgb == ({found} if found else set())
