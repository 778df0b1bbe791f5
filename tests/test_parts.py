"""Pages rendered as pieces (head, each article, foot), cached apart and joined.

A layout with ``render_by_article = true`` (the current one) renders each article of a page as a
document of its own: after an edit only the changed article is rendered again, and the page
comes out byte for byte as from pieces all rendered afresh, looking exactly as the page rendered
whole.
"""

from __future__ import annotations

import html
import io
from pathlib import Path

import pikepdf
import pypdfium2
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import ImageChops

from typeset.app.build import BuildResult, build_edition, collect_outputs
from typeset.app.outputs import write_outputs
from typeset.pdf.assemble import renamed
from typeset.render.parts import ARTICLE, FOOT_PART, WHOLE, Part, split_page
from typeset.source.layouts import load_layout

from .conftest import MakeEdition, article

ROOT = Path(__file__).resolve().parents[1]

PAGE = """<html><body><section class="page" id="page-1">\
<header class="abs running-head">2</header>\
<div class="abs rule-v"></div>\
<article class="span-3" id="a--0"><div class="abs body"><p>Первая</p></div></article>\
<article class="span-2" id="b--0"><div class="abs body"><p>Вторая</p></div></article>\
<div class="abs ad-label">Реклама</div><div class="abs ad ad-pdf" id="ad-1"></div>\
<footer class="abs">Учредитель</footer>\
</section></body></html>"""


def test_a_page_splits_into_its_articles_the_first_with_the_head_and_its_foot() -> None:
    first, second, foot = split_page(PAGE, has_foot=True)
    assert (first.name, second.name, foot.name) == ("a--0", "b--0", FOOT_PART)
    assert (first.article, second.article, foot.article) == ("a--0", "b--0", None)
    assert (first.foot, second.foot, foot.foot) == (False, False, True)
    # each piece keeps the page and its furniture, and only its own article
    assert "Первая" in first.html and "Вторая" not in first.html
    assert "Вторая" in second.html and "Первая" not in second.html
    assert "<article" not in foot.html
    assert all("Учредитель" in p.html and "running-head" in p.html for p in (first, second, foot))
    # the first draws the head and the crop marks; the foot draws the foot alone
    assert "marks: none" not in first.css and "marks: none" in second.css + foot.css
    assert first.css == (".page > footer, .page > .ad, .page > .ad-label "
                         "{ display: none !important; }")
    head = ".page > :not(article):not(footer):not(.ad):not(.ad-label)"
    assert head in second.css and ".page > footer" in second.css
    assert foot.css.endswith(f"{head} {{ display: none !important; }}")


def test_a_page_without_a_foot_or_articles() -> None:
    assert [p.name for p in split_page(PAGE, has_foot=False)] == ["a--0", "b--0"]
    bare = ARTICLE.sub("", PAGE)
    assert split_page(bare, has_foot=True) == [Part(WHOLE, bare, "")]
    assert split_page(bare, has_foot=True)[0].article is None


def test_joined_pieces_name_their_resources_apart() -> None:
    ops = [pikepdf.ContentStreamInstruction([pikepdf.Name("/F1"), 9], pikepdf.Operator("Tf")),
           pikepdf.ContentStreamInstruction([pikepdf.Name("/Im1")], pikepdf.Operator("Do")),
           pikepdf.ContentStreamInstruction([pikepdf.Name("/a0")], pikepdf.Operator("gs")),
           pikepdf.ContentStreamInstruction([0.5, pikepdf.Name("/P0")], pikepdf.Operator("scn")),
           pikepdf.ContentStreamInstruction([pikepdf.Name("/DeviceCMYK")],
                                            pikepdf.Operator("cs"))]
    names = {("/Font", "/F1"): "/p1F1", ("/XObject", "/Im1"): "/p1Im1",
             ("/ExtGState", "/a0"): "/p1a0", ("/Pattern", "/P0"): "/p1P0"}
    out = renamed(ops, names)  # type: ignore[arg-type]
    assert [str(i.operands[-1] if str(i.operator) == "scn" else i.operands[0]) for i in out] == [
        "/p1F1", "/p1Im1", "/p1a0", "/p1P0", "/DeviceCMYK"]
    assert float(out[0].operands[1]) == 9  # the other operands as they were


BODY = "\n\n".join(
    ["Весенний паводок в этом году прошёл спокойно: вода поднялась на два метра, но ни один "
     "дом не подтопило. Спасатели дежурили у мостов круглые сутки, а жители помогали им "
     "укреплять берега мешками с песком."] * 5)


def _edition(make_edition: MakeEdition) -> Path:
    pages = ('[[pages]]\narticles = [{ slug = "flood", span = 3 }, { slug = "roads", span = 2 }]\n'
             '\n[[pages]]\narticles = [{ slug = "market", span = 5 }]\n')
    return make_edition({"flood": article("Паводок прошёл спокойно", BODY),
                         "roads": article("Дороги после зимы", BODY),
                         "market": article("Ярмарка выходного дня", BODY)}, pages=pages)


def _outputs(result: BuildResult, out: Path) -> dict[str, bytes]:
    write_outputs(out, collect_outputs(result))
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file()}


@pytest.fixture
def cached(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TYPESET_NO_CACHE", raising=False)


def test_an_edit_renders_only_the_changed_article_and_gives_the_same_bytes(
        make_edition: MakeEdition, tmp_path: Path, cached: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _edition(make_edition)
    assert load_layout(ROOT, "weekly-a3").config.render_by_article
    first = build_edition(folder)
    # page 1: two articles; page 2: one article and the foot with the imprint
    assert [(p.parts, len(p.fresh_parts)) for p in first.pages] == [(2, 2), (2, 2)]
    roads = folder / "articles" / "roads.md"
    roads.write_text(roads.read_text("utf-8").replace("мешками", "тяжёлыми мешками", 1), "utf-8")
    again = build_edition(folder)
    assert [p.cached for p in again.pages] == [False, True]
    assert len(again.pages[0].fresh_parts) == 1  # only «roads» was rendered again
    edited = _outputs(again, tmp_path / "edited")
    monkeypatch.setenv("TYPESET_NO_CACHE", "1")
    fresh = _outputs(build_edition(folder), tmp_path / "fresh")
    assert edited.keys() == fresh.keys()
    assert [name for name in edited if edited[name] != fresh[name]] == []


def _images(pdf: bytes) -> list[object]:
    document = pypdfium2.PdfDocument(pdf)
    return [page.render(scale=60 / 72).to_pil().convert("L") for page in document]


def test_the_joined_page_looks_exactly_as_the_page_rendered_whole(
        make_edition: MakeEdition, tmp_path: Path) -> None:
    folder = _edition(make_edition)
    pieces = _outputs(build_edition(folder), tmp_path / "pieces")
    toml = folder.parents[2] / "layouts" / "weekly-a3" / "layout.toml"
    toml.write_text(toml.read_text("utf-8").replace("render_by_article = true",
                                                    "render_by_article = false"), "utf-8")
    whole_result = build_edition(folder)
    assert [p.parts for p in whole_result.pages] == [0, 0]
    whole = _outputs(whole_result, tmp_path / "whole")
    for name in ("2024-016.pdf", "archive/2024-016.pdf"):
        for joined, alone in zip(_images(pieces[name]), _images(whole[name]), strict=True):
            assert ImageChops.difference(joined, alone).getbbox() is None  # type: ignore[arg-type]
    # one font program per face on each page, and the text reads in the order of the page:
    # the running head, the articles, the imprint
    with pikepdf.open(io.BytesIO(pieces["press/IN_20240425_p02.pdf"])) as pdf:
        fonts = pdf.pages[0].obj.Resources.Font
        names = [str(fonts[key].BaseFont).split("+", 1)[1] for key in fonts.keys()]  # noqa: SIM118
        programs = {fonts[key].DescendantFonts[0].FontDescriptor.FontFile2.objgen
                    for key in fonts.keys()}  # noqa: SIM118
    assert len(set(names)) == len(programs)
    text = pypdfium2.PdfDocument(pieces["archive/2024-016.pdf"])[1].get_textpage().get_text_range()
    assert text.index("Иртышская неделя") < text.index("Ярмарка") < text.index("Мнение авторов")


def test_a_frozen_layout_renders_its_pages_whole(demo_build: tuple[BuildResult, Path]) -> None:
    result, _ = demo_build
    assert not result.layout.config.render_by_article
    assert all(page.parts == 0 for page in result.pages)


ARTICLE_IDS = st.lists(st.from_regex(r"[a-z][a-z0-9-]{0,12}--[0-9]", fullmatch=True),
                       min_size=0, max_size=6, unique=True)
TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
               max_size=40).map(html.escape)


@given(ARTICLE_IDS, st.lists(TEXT, min_size=6, max_size=6), st.booleans())
def test_every_article_is_in_exactly_one_piece_in_the_page_order(
        ids: list[str], texts: list[str], has_foot: bool) -> None:
    articles = "".join(f'<article class="span-2" id="{ident}"><div class="abs body"><p>{text}'
                       f"</p></div></article>" for ident, text in zip(ids, texts, strict=False))
    page = (f'<section class="page"><header class="abs">{texts[-1]}</header>{articles}'
            f'<footer class="abs">Учредитель</footer></section>')
    parts = split_page(page, has_foot)
    if not ids:
        assert parts == [Part(WHOLE, page, "")]
        return
    assert [p.article for p in parts] == [*ids, *([None] if has_foot else [])]
    for part in parts:
        found = [m.group("id") for m in ARTICLE.finditer(part.html)]
        assert found == ([part.article] if part.article else [])
        # the furniture stays in every piece, and what is not an article is unchanged
        assert ARTICLE.sub("", part.html) == ARTICLE.sub("", page)
    assert sum("marks: none" not in p.css for p in parts) == 1  # one piece draws the marks
