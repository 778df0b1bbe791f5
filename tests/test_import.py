"""``typeset import``: Word files (built here with python-docx) to articles that build."""

from __future__ import annotations

import collections
import io
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.shared import Inches
from docx.text.paragraph import Paragraph
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from PIL import Image
from rich.console import Console

from typeset.app.cli import main
from typeset.core.models import SLUG
from typeset.source.articles import Article, FactBox, Para, Quote, Subhead, read_article, runs_text
from typeset.source.word import (
    ArticleExistsError,
    ImportResult,
    NotDocxError,
    import_docx,
    inline_markdown,
    markdown_text,
    slugify,
    split_credit,
    style_role,
)

from .conftest import ROOT, MakeEdition

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = f'xmlns:w="{W}" xmlns:v="urn:schemas-microsoft-com:vml"'
DEMO = ROOT / "issues" / "2024" / "017"


def run(argv: list[str]) -> tuple[int, str]:
    """The CLI's status and output, each message on one line whatever the paths' length."""
    buffer = io.StringIO()
    status = main(argv, Console(file=buffer, width=100, color_system=None, soft_wrap=True))
    return status, buffer.getvalue()


# --- building Word files -----------------------------------------------------------------------

def jpeg(size: tuple[int, int] = (1600, 1067), fmt: str = "JPEG") -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", size, (150, 110, 70)).save(out, fmt)
    out.seek(0)
    return out


def write_docx(path: Path, build: Callable[[Document], None]) -> Path:
    document = docx.Document()
    build(document)
    document.save(str(path))
    return path


def add_xml(paragraph: Paragraph, xml: str) -> None:
    """Append raw WordprocessingML (runs, changes, text boxes) to a paragraph."""
    paragraph._p.append(parse_xml(f"<w:root {NS}>{xml}</w:root>")[0])


def add_part(path: Path, name: str, xml: str, rel_type: str, content_type: str) -> None:
    """Add a part (footnotes.xml…) to a saved .docx with its relationship and content type."""
    with zipfile.ZipFile(path) as package:
        parts = {n: package.read(n) for n in package.namelist()}
    rels = parts["word/_rels/document.xml.rels"].decode()
    rels = rels.replace("</Relationships>", f'<Relationship Id="rIdX1" Type="{rel_type}" '
                        f'Target="{name.removeprefix("word/")}"/></Relationships>')
    types = parts["[Content_Types].xml"].decode()
    types = types.replace("</Types>", f'<Override PartName="/{name}" '
                          f'ContentType="{content_type}"/></Types>')
    parts |= {"word/_rels/document.xml.rels": rels.encode(), "[Content_Types].xml":
              types.encode(), name: xml.encode()}
    with zipfile.ZipFile(path, "w") as package:
        for part, data in parts.items():
            package.writestr(part, data)


def style(document: Document, name: str) -> str:
    document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    return name


def docx_words(path: Path) -> list[str]:
    """Every word Word shows (deletions and comments aside), read independently of typeset:
    every w:t of the document and its footnotes."""
    texts: list[str] = []
    with zipfile.ZipFile(path) as package:
        for name in ("word/document.xml", "word/footnotes.xml"):
            if name in package.namelist():
                root = etree.fromstring(package.read(name))
                texts.extend(t.text or "" for t in root.iter(f"{{{W}}}t"))
    return words(" ".join(texts))


def words(text: str) -> list[str]:
    return re.findall(r"\w+", unicodedata.normalize("NFKC", text))


def read_back(result: ImportResult) -> Article:
    article, findings = read_article(result.article, result.slug, lambda text: text)
    assert findings == [] and article is not None
    return article


def imported(source: Path, issue: Path, **options: object) -> tuple[ImportResult, Article, str]:
    """Import, then check that the article reads back and keeps every word of the document."""
    result = import_docx(source, issue, **options)  # type: ignore[arg-type]
    article = read_back(result)
    missing = collections.Counter(docx_words(source)) - collections.Counter(words(article.text()))
    assert not missing, f"words lost: {missing}"
    assert not [w for w in result.warnings if w.code == "lost-words"]
    return result, article, result.article.read_text("utf-8")


def messages(result: ImportResult) -> str:
    return "\n".join(str(w) for w in result.warnings)


@pytest.fixture
def issue(tmp_path: Path) -> Path:
    folder = tmp_path / "issue"
    folder.mkdir()
    return folder


def typical(document: Document) -> None:
    """An article as a journalist marks it up: every structure the importer knows."""
    document.add_paragraph("Культура", style=style(document, "Рубрика"))
    document.add_paragraph("Библиотека открыла читальный зал", style="Title")
    document.add_paragraph("Студенты получили коворкинг", style="Subtitle")
    para = document.add_paragraph("Областная библиотека открыла ")
    para.add_run("новый зал").bold = True
    para.add_run(" для ")
    para.add_run("студентов").italic = True
    para.add_run(". Работает он \"с утра до вечера\" - без выходных.")
    document.add_paragraph("Что внутри", style="Heading 2")
    document.add_paragraph("- Мы долго к этому шли, - говорит директор.")
    document.add_paragraph("В зале есть:")
    document.add_paragraph("сорок рабочих мест;", style="List Bullet")
    document.add_paragraph("быстрый интернет.", style="List Bullet")
    document.add_paragraph("Записаться", style="List Number")
    document.add_paragraph("Книга - лучший собеседник.", style="Quote")
    document.add_paragraph("Читатель всегда прав.", style="Intense Quote")
    document.add_paragraph("В фонде 300 тысяч книг.", style=style(document, "Врезка"))
    document.add_paragraph("Факт: зал открыт с 9 до 21 часа.")
    document.add_picture(jpeg(), width=Inches(4))
    document.add_paragraph("Читальный зал после ремонта. Фото автора")
    document.add_paragraph("Ждём всех.")
    document.add_paragraph("Анна ЛИТВИНОВА")


# --- an article as marked up in Word -----------------------------------------------------------

def test_a_typical_article(tmp_path: Path, issue: Path) -> None:
    source = write_docx(tmp_path / "Читальный зал.docx", typical)
    result, article, text = imported(source, issue)
    assert result.slug == "chitalnyi-zal"
    assert result.warnings == []
    meta = article.meta
    assert (meta.title, meta.rubric, meta.subtitle, meta.author) == (
        "Библиотека открыла читальный зал", "Культура", "Студенты получили коворкинг",
        "Анна ЛИТВИНОВА")
    assert [(p.src, p.caption, p.credit) for p in meta.photos] == [
        ("images/chitalnyi-zal-1.jpg", "Читальный зал после ремонта.", "Фото автора")]
    assert result.images == [issue / "images" / "chitalnyi-zal-1.jpg"]
    assert (issue / "images" / "chitalnyi-zal-1.jpg").read_bytes()[:2] == b"\xff\xd8"
    assert "Областная библиотека открыла **новый зал** для *студентов*. Работает он " \
           "\"с утра до вечера\" - без выходных." in text
    assert "## Что внутри" in text
    assert "* сорок рабочих мест;\n* быстрый интернет." in text
    assert "1. Записаться" in text
    assert "> Книга - лучший собеседник.\n>\n> Читатель всегда прав." in text
    assert "::: fact Факт\nВ фонде 300 тысяч книг.\n:::" in text
    assert "::: fact Факт\nзал открыт с 9 до 21 часа.\n:::" in text
    kinds = [type(b).__name__ + (f":{b.kind}" if isinstance(b, Para) else "")
             for b in article.blocks]
    assert kinds == ["Para:p", "Subhead", "Para:p", "Para:p", "Para:li", "Para:li", "Para:li",
                     "Quote", "FactBox", "FactBox", "Para:p"]
    speech = article.blocks[2]
    assert isinstance(speech, Para) and runs_text(speech.runs) == (
        "- Мы долго к этому шли, - говорит директор.")
    assert result.words == len(article.words())


def test_an_imported_article_builds_without_edits(tmp_path: Path,
                                                  make_edition: MakeEdition) -> None:
    from typeset.app.build import build_edition

    folder = make_edition({}, "number = 16\ndate = 2024-04-25\n\n[[pages]]\n"
                          'articles = ["chitalnyi-zal"]\n\n[[pages]]\narticles = ["biblioteka"]\n')
    imported(write_docx(tmp_path / "Читальный зал.docx", typical), folder)
    imported(DEMO / "incoming" / "biblioteka.docx", folder)
    result = build_edition(folder)
    assert [f for f in result.findings if f.severity.value == "error"] == []
    assert result.pdf.startswith(b"%PDF")


def test_title_from_the_first_heading_rubric_in_capitals_byline_with_credit(
        tmp_path: Path, issue: Path) -> None:
    def build(document: Document) -> None:
        document.add_paragraph("КУЛЬТУРА")
        document.add_heading("Читателям открыли зал", level=1)
        document.add_paragraph("Текст статьи.")
        document.add_heading("Подзаголовок", level=3)
        document.add_paragraph("Ещё текст.")
        document.add_paragraph("Анна ЛИТВИНОВА, фото автора")

    _, article, text = imported(write_docx(tmp_path / "a.docx", build), issue)
    assert (article.meta.rubric, article.meta.title, article.meta.author) == (
        "КУЛЬТУРА", "Читателям открыли зал", "Анна ЛИТВИНОВА, фото автора")
    assert "## Подзаголовок" in text


def test_without_any_heading_the_first_paragraph_is_the_title(tmp_path: Path,
                                                             issue: Path) -> None:
    def build(document: Document) -> None:
        document.add_paragraph("Читателям открыли зал")
        document.add_paragraph("Текст статьи, длинный и подробный.")

    result, article, _ = imported(write_docx(tmp_path / "a.docx", build), issue)
    assert article.meta.title == "Читателям открыли зал"
    assert "the first paragraph («Читателям открыли зал») was taken as the title" in \
        messages(result)


def test_two_title_paragraphs_make_one_title_and_a_later_subtitle_is_a_subhead(
        tmp_path: Path, issue: Path) -> None:
    def build(document: Document) -> None:
        document.add_paragraph("Длинный заголовок,", style="Title")
        document.add_paragraph("разбитый на две строки", style="Title")
        document.add_paragraph("Текст.")
        document.add_paragraph("Поздний подзаголовок", style="Subtitle")

    _, article, text = imported(write_docx(tmp_path / "a.docx", build), issue)
    assert article.meta.title == "Длинный заголовок, разбитый на две строки"
    assert article.meta.subtitle is None and "## Поздний подзаголовок" in text


def test_styles_named_for_lead_author_and_caption(tmp_path: Path, issue: Path) -> None:
    def build(document: Document) -> None:
        document.add_paragraph("Заголовок", style="Title")
        document.add_paragraph("Вводный абзац.", style=style(document, "Лид"))
        document.add_paragraph("Текст.")
        document.add_picture(jpeg(), width=Inches(3))
        document.add_paragraph("Подпись (фото пресс-службы)", style="Caption")
        document.add_paragraph("Пресс-служба акимата", style=style(document, "Автор"))

    result, article, _ = imported(write_docx(tmp_path / "a.docx", build), issue)
    assert article.meta.lead == "Вводный абзац."
    assert article.meta.author == "Пресс-служба акимата"
    assert [(p.caption, p.credit) for p in article.meta.photos] == [
        ("Подпись", "фото пресс-службы")]
    assert result.warnings == []


@pytest.mark.parametrize(("name", "role"), [
    ("Title", "title"), ("Название", "title"), ("Subtitle", "subtitle"),
    ("Подзаголовок", "subtitle"), ("Heading 2", "heading-2"), ("heading 3", "heading-3"),
    ("Заголовок 2", "heading-2"), ("Рубрика", "rubric"), ("Лид", "lead"), ("Врез", "lead"),
    ("Автор", "author"), ("Byline", "author"), ("Caption", "caption"), ("Quote", "quote"),
    ("Intense Quote", "quote"), ("Цитата", "quote"), ("Врезка", "fact"), ("Факт", "fact"),
    ("Fact box", "fact"), ("Врезка с цифрами", "fact"), ("Normal", "plain"),
    ("List Bullet", "plain"), ("Body Text 2", "plain"), ("Мой стиль", None), ("TOC 1", None),
])
def test_word_styles_by_name(name: str, role: str | None) -> None:
    assert style_role(name) == role


# --- dialogue, fact boxes, escaping ------------------------------------------------------------

def test_word_dash_bullets_are_dialogue_unless_they_enumerate(tmp_path: Path,
                                                             issue: Path) -> None:
    def build(document: Document) -> None:
        numbering = document.part.numbering_part.element
        numbering.append(parse_xml(
            f'<w:abstractNum {NS} w:abstractNumId="90"><w:lvl w:ilvl="0">'
            '<w:numFmt w:val="bullet"/><w:lvlText w:val="–"/></w:lvl></w:abstractNum>'))
        for num in ("90", "91"):
            numbering.append(parse_xml(f'<w:num {NS} w:numId="{num}"><w:abstractNumId '
                                       'w:val="90"/></w:num>'))
        document.add_paragraph("Заголовок", style="Title")
        items = [("90", "Придёте завтра?"), ("90", "Обязательно, - ответил он."),
                 ("91", "книги;"), ("91", "журналы.")]
        for num, text in items:
            para = document.add_paragraph(text)
            para._p.get_or_add_pPr().append(parse_xml(
                f'<w:numPr {NS}><w:ilvl w:val="0"/><w:numId w:val="{num}"/></w:numPr>'))

    _, article, text = imported(write_docx(tmp_path / "a.docx", build), issue)
    assert "- Придёте завтра?\n\n- Обязательно, - ответил он." in text
    assert [(runs_text(b.runs), b.kind) for b in article.blocks if isinstance(b, Para)] == [
        ("- Придёте завтра?", "p"), ("- Обязательно, - ответил он.", "p"),
        ("книги;", "li"), ("журналы.", "li")]


def test_framed_shaded_and_one_cell_boxes_are_fact_boxes(tmp_path: Path, issue: Path) -> None:
    def build(document: Document) -> None:
        document.add_paragraph("Заголовок", style="Title")
        document.add_paragraph("Текст.")
        shaded = document.add_paragraph("Цифры").runs[0]
        shaded.bold = True
        document.paragraphs[-1]._p.get_or_add_pPr().append(parse_xml(
            f'<w:shd {NS} w:val="clear" w:color="auto" w:fill="D9D9D9"/>'))
        more = document.add_paragraph("Зал на 40 мест.")
        more._p.get_or_add_pPr().append(parse_xml(
            f'<w:shd {NS} w:val="clear" w:color="auto" w:fill="D9D9D9"/>'))
        document.add_paragraph("Между ними.")
        document.add_table(rows=1, cols=1).cell(0, 0).text = "Вход свободный."

    result, article, text = imported(write_docx(tmp_path / "a.docx", build), issue)
    assert "::: fact Цифры\nЗал на 40 мест.\n:::" in text
    boxes = [b for b in article.blocks if isinstance(b, FactBox)]
    assert [(b.title, [runs_text(p.runs) for p in b.paras]) for b in boxes] == [
        ("Цифры", ["Зал на 40 мест."]), ("Факт", ["Вход свободный."])]
    assert result.warnings == []


SPECIAL = ["1. Не список", "2024) тоже", "# не заголовок", "* звёздочка", "+ плюс",
           "- тире в начале, - сказал он.", "-- два дефиса", "> не цитата", "::: не врезка",
           "<b>не HTML</b> и <!-- -->", "&amp; &#169; как есть", "`код` и ```", "_под_ *черк*",
           "[ссылка](http://x) ![картинка](y)", "обратный \\ слэш \\", "---", "~~~", "| a | b |",
           "=== ", "Цена 100 % * 2 = 200_000 #хэштег"]


@pytest.mark.parametrize("text", SPECIAL)
def test_markdown_significant_text_reads_back_as_typed(tmp_path: Path, issue: Path,
                                                      text: str) -> None:
    def build(document: Document) -> None:
        document.add_paragraph("Заголовок", style="Title")
        document.add_paragraph(text)

    _, article, _ = imported(write_docx(tmp_path / "a.docx", build), issue)
    (block,) = article.blocks
    assert isinstance(block, Para) and block.kind == "p"
    assert runs_text(block.runs) == " ".join(text.split())


def body_of(line: str) -> str:
    """What the article reader makes of one body line (no typography)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "a.md"
        path.write_text(f"---\ntitle: T\n---\n{line}\n", "utf-8")
        article, findings = read_article(path, "a", lambda text: text)
    if not line.strip():  # nothing but a headline: the reader refuses an empty article
        assert [f.code for f in findings] == ["empty-article"]
        return ""
    assert findings == [] and article is not None
    assert all(isinstance(b, Para) and b.kind == "p" for b in article.blocks)
    return " ".join(runs_text(b.runs) for b in article.blocks if isinstance(b, Para))


TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufffc"),
               max_size=40)


@given(TEXT)
def test_any_paragraph_text_reads_back_identically(text: str) -> None:
    """Up to whitespace: runs of it become one space, none at the ends; soft hyphens and
    zero-width spaces (Word's, not the journalist's) are dropped."""
    expected = text.translate(str.maketrans("", "", "\u00ad\u200b\ufeff"))
    expected = re.sub(r"[ \t\n\r\f\v\u2028\u2029\u0085]+", " ", expected).strip()
    assert body_of(markdown_text(text)) == expected


RUNS = st.lists(st.tuples(st.text(st.sampled_from([*"аб 1.-*_`#<&[]\\:«»()!", "\u00a0"]),
                                  min_size=1, max_size=6),
                          st.sets(st.sampled_from(["em", "strong"]))), min_size=1, max_size=5)


@given(RUNS)
def test_bold_and_italic_read_back_or_are_dropped_with_a_warning(runs: list[tuple[str, set[str]]]
                                                                 ) -> None:
    line, warnings = inline_markdown(runs)
    if line.startswith("- "):  # dialogue: the reader adds the dash back
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "a.md"
        path.write_text(f"---\ntitle: T\n---\n{line}\n", "utf-8")
        article, _ = read_article(path, "a", lambda text: text)
    assert article is not None
    got = [(c, r.marks) for b in article.blocks if isinstance(b, Para) for r in b.runs
           for c in r.text]
    text = re.sub(" +", " ", "".join(t for t, _ in runs)).strip()
    assert "".join(c for c, _ in got) == text
    if not warnings:  # every letter keeps its marks (punctuation at the edges may lose them)
        want = [m for t, marks in runs for c in t for m in [marks]
                if c.isalnum()]
        assert [set(m) for c, m in got if c.isalnum()] == [set(m) for m in want]


@pytest.mark.parametrize(("runs", "line"), [
    ([("Он сказал ", ""), ("«нет»", "strong"), (".", "")], "Он сказал **«нет»**."),
    ([("слово", ""), ("«цитата»", "strong")], "слово«**цитата**»"),
    ([("Жирный", "strong"), (" и курсив", "strong em"), (".", "")], "**Жирный *и курсив***."),
    ([("x", ""), ("(1)", "em"), ("y", "")], "x(*1*)y"),
    ([("1. ", "strong"), ("пункт", "")], "**1.** пункт"),
])
def test_emphasis_is_written_where_commonmark_can_read_it(runs: list[tuple[str, str]],
                                                          line: str) -> None:
    assert inline_markdown((t, m.split()) for t, m in runs) == (line, [])


@pytest.mark.parametrize(("text", "expected"), [
    ("Библиотека", "biblioteka"), ("Щучинск 2024", "shchuchinsk-2024"),
    ("Объявления", "obieiavleniia"), ("Қызылжар — Павлодар", "qyzylzhar-pavlodar"),
    ("Ёлка, ель и хвоя", "elka-el-i-khvoia"), ("  --Hello, World!!  ", "hello-world"),
    ("Café crème", "cafe-creme"), ("Юбилей «Иртыша»", "iubilei-irtysha"), ("日本", ""),
    ("Очень длинное название статьи про библиотеку и читальный зал для студентов города",
     "ochen-dlinnoe-nazvanie-stati-pro-biblioteku-i-chitalnyi-zal-dlia"),
])
def test_slug_is_the_file_name_in_icao_transliteration(text: str, expected: str) -> None:
    assert slugify(text) == expected


@given(st.text(max_size=120))
def test_any_file_name_gives_a_valid_slug_or_none(name: str) -> None:
    slug = slugify(name)
    assert slug == "" or (re.fullmatch(SLUG, slug) and "--" not in slug
                          and not slug.endswith("-"))
    assert slugify(slug) == slug


@pytest.mark.parametrize(("text", "caption", "credit"), [
    ("Гости в цехе. Фото автора", "Гости в цехе.", "Фото автора"),
    ("Гости в цехе. Фото: Иван Петров", "Гости в цехе.", "Фото: Иван Петров"),
    ("Гости в цехе (фото пресс-службы)", "Гости в цехе", "фото пресс-службы"),
    ("Гости в цехе / Фото Сергея Остапенко", "Гости в цехе", "Фото Сергея Остапенко"),
    ("Фото автора", None, "Фото автора"),
    ("Выставка «Фото старого Павлодара»", "Выставка «Фото старого Павлодара»", None),
])
def test_a_trailing_foto_is_the_credit(text: str, caption: str | None,
                                       credit: str | None) -> None:
    assert split_credit(text) == (caption, credit)


# --- what cannot be carried --------------------------------------------------------------------

def test_a_table_is_kept_as_paragraphs_with_a_warning(tmp_path: Path, issue: Path) -> None:
    def build(document: Document) -> None:
        document.add_paragraph("Заголовок", style="Title")
        document.add_paragraph("В таблице ниже посещаемость.")
        table = document.add_table(rows=2, cols=3)
        for row, cells in zip(table.rows, [("Месяц", "Читатели", "Книги"),
                                           ("Апрель", "1 200", "3 400")], strict=True):
            for cell, text in zip(row.cells, cells, strict=True):
                cell.text = text

    result, _, text = imported(write_docx(tmp_path / "delegation.docx", build), issue)
    assert "Месяц | Читатели | Книги\n\nАпрель | 1 200 | 3 400" in text
    (warning,) = result.warnings
    assert str(warning) == (
        "delegation.docx: warning: paragraph 3 («Месяц»): a table (2 × 3) cannot be carried; "
        "its text was kept as paragraphs, one per row, cells separated by « | »"
        if not str(warning).startswith("/") else str(warning))
    assert warning.location.path == tmp_path / "delegation.docx"
    assert warning.message.startswith("paragraph 3 («Месяц»): a table (2 × 3)")


def test_tracked_changes_insertions_kept_deletions_dropped(tmp_path: Path, issue: Path) -> None:
    def build(document: Document) -> None:
        document.add_paragraph("Заголовок", style="Title")
        para = document.add_paragraph("Зал открыли")
        add_xml(para, '<w:ins w:id="1" w:author="Ред" w:date="2024-05-01T10:00:00Z"><w:r>'
                '<w:t xml:space="preserve"> в среду</w:t></w:r></w:ins>')
        add_xml(para, '<w:del w:id="2" w:author="Ред" w:date="2024-05-01T10:00:00Z"><w:r>'
                '<w:delText xml:space="preserve"> во вторник</w:delText></w:r></w:del>')
        add_xml(para, '<w:r><w:t>.</w:t></w:r>')

    result, article, _ = imported(write_docx(tmp_path / "a.docx", build), issue)
    (block,) = article.blocks
    assert isinstance(block, Para) and runs_text(block.runs) == "Зал открыли в среду."
    assert messages(result).endswith(
        "paragraph 2 («Зал открыли в среду.»): tracked changes taken as if accepted: inserted "
        "«в среду» kept; deleted «во вторник» dropped; accept or reject them in Word to be sure")


def test_a_comment_is_left_out_with_a_warning(tmp_path: Path, issue: Path) -> None:
    def build(document: Document) -> None:
        document.add_paragraph("Заголовок", style="Title")
        para = document.add_paragraph("В фонде ")
        run = para.add_run("300 тысяч")
        para.add_run(" книг.")
        document.add_comment(run, text="Проверить цифру", author="Редактор", initials="Р")

    result, article, _ = imported(write_docx(tmp_path / "a.docx", build), issue)
    assert "Проверить" not in article.text()
    assert ("paragraph 2 («В фонде 300 тысяч книг.»): a comment by Редактор («Проверить "
            "цифру») was left out") in messages(result)


FOOTNOTES = (f'<w:footnotes {NS}><w:footnote w:type="separator" w:id="-1"><w:p><w:r>'
             '<w:separator/></w:r></w:p></w:footnote><w:footnote w:id="1"><w:p><w:r>'
             '<w:t>По данным библиотеки.</w:t></w:r></w:p></w:footnote></w:footnotes>')


def test_a_footnote_is_kept_at_the_end_with_a_warning(tmp_path: Path, issue: Path) -> None:
    def build(document: Document) -> None:
        document.add_paragraph("Заголовок", style="Title")
        para = document.add_paragraph("Читателей стало больше")
        add_xml(para, '<w:r><w:footnoteReference w:id="1"/></w:r>')
        add_xml(para, '<w:r><w:t>.</w:t></w:r>')
        document.add_paragraph("Последний абзац.")

    source = write_docx(tmp_path / "a.docx", build)
    add_part(source, "word/footnotes.xml", FOOTNOTES,
             "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes",
             "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml")
    result, article, _ = imported(source, issue)
    assert [runs_text(b.runs) for b in article.blocks if isinstance(b, Para)] == [
        "Читателей стало больше.", "Последний абзац.", "По данным библиотеки."]
    assert ("paragraph 2 («Читателей стало больше.»): a footnote cannot be carried; its text "
            "(«По данным библиотеки.») was kept as a paragraph at the end") in messages(result)


def test_a_text_box_a_field_hidden_text_and_an_unknown_style(tmp_path: Path,
                                                             issue: Path) -> None:
    def build(document: Document) -> None:
        document.add_paragraph("Заголовок", style="Title")
        para = document.add_paragraph("Абзац с рамкой.")
        add_xml(para, '<w:r><w:pict><v:shape id="t1" style="width:200pt;height:60pt">'
                '<v:textbox><w:txbxContent><w:p><w:r><w:t>Текст в надписи.</w:t></w:r></w:p>'
                '</w:txbxContent></v:textbox></v:shape></w:pict></w:r>')
        dated = document.add_paragraph("Сегодня ")
        add_xml(dated, '<w:fldSimple w:instr=" DATE \\@ &quot;d MMMM yyyy&quot; "><w:r>'
                '<w:t>2 мая 2024</w:t></w:r></w:fldSimple>')
        hidden = document.add_paragraph("Видно. ")
        hidden.add_run("Скрыто.").font.hidden = True
        document.add_paragraph("Особый абзац.", style=style(document, "Мой стиль"))
        document.sections[0].header.paragraphs[0].text = "Черновик редакции"

    result, article, _ = imported(write_docx(tmp_path / "a.docx", build), issue)
    assert [runs_text(b.runs) for b in article.blocks if isinstance(b, Para)] == [
        "Абзац с рамкой.", "Текст в надписи.", "Сегодня 2 мая 2024", "Видно. Скрыто.",
        "Особый абзац."]
    said = messages(result)
    assert ("a text box in paragraph 2 («Абзац с рамкой.»): a text box («Текст в надписи.») "
            "cannot be carried" not in said)
    assert ("paragraph 2 («Абзац с рамкой.»): a text box («Текст в надписи.») cannot be "
            "carried; its text was kept as paragraphs after the paragraph") in said
    assert ("paragraph 3 («Сегодня 2 мая 2024»): a Word field (DATE) was kept as the text it "
            "showed") in said
    assert "paragraph 4 («Видно. Скрыто.»): hidden text «Скрыто.» was kept" in said
    assert ("paragraph 5 («Особый абзац.»): the Word style «Мой стиль» means nothing to "
            "typeset") in said
    assert "the page header («Черновик редакции») was left out" in said


def test_an_unusable_picture_is_a_warning_and_its_caption_stays(tmp_path: Path,
                                                                issue: Path) -> None:
    def build(document: Document) -> None:
        document.add_paragraph("Заголовок", style="Title")
        document.add_paragraph("Текст.")
        document.add_picture(jpeg((400, 300), "GIF"), width=Inches(2))
        document.add_paragraph("Старый снимок. Фото из архива")

    result, article, _ = imported(write_docx(tmp_path / "a.docx", build), issue)
    assert article.meta.photos == [] and result.images == []
    assert not (issue / "images").exists() or not any((issue / "images").iterdir())
    assert "Старый снимок. Фото из архива" in article.text()
    assert ("paragraph 3: picture 1 was not imported: photo 'images/a-1.gif' is GIF; use "
            "JPEG, PNG or TIFF") in messages(result)


def test_a_picture_with_an_exif_rotation_is_saved_upright(tmp_path: Path, issue: Path) -> None:
    photo = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # stored sideways: turn 90° clockwise to view
    Image.new("RGB", (1600, 1067), (90, 90, 90)).save(photo, "JPEG", exif=exif)
    photo.seek(0)

    def build(document: Document) -> None:
        document.add_paragraph("Заголовок", style="Title")
        document.add_picture(photo, width=Inches(2))
        document.add_paragraph("Подпись.")

    result, _, _ = imported(write_docx(tmp_path / "a.docx", build), issue)
    with Image.open(result.images[0]) as saved:
        assert saved.size == (1067, 1600)
    assert "picture 1 carried an EXIF rotation; it was saved upright" in messages(result)


# --- refusals, overwriting, batches ------------------------------------------------------------

def test_files_that_are_not_docx_are_refused(tmp_path: Path, issue: Path) -> None:
    text = tmp_path / "text.docx"
    text.write_text("Просто текст, переименованный в .docx", "utf-8")
    old = tmp_path / "old.docx"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    archive = tmp_path / "archive.docx"
    with zipfile.ZipFile(archive, "w") as package:
        package.writestr("readme.txt", "not Word")
    cut = tmp_path / "cut.docx"
    cut.write_bytes(write_docx(tmp_path / "whole.docx", typical).read_bytes()[:3000])
    for path, said in [(text, "not a Word .docx file (no ZIP package inside)"),
                       (old, "password-protected or old .doc"),
                       (archive, "not a Word .docx file (a ZIP archive without "
                                 "word/document.xml)"),
                       (cut, "damaged .docx")]:
        with pytest.raises(NotDocxError, match=re.escape(said)):
            import_docx(path, issue)
        status, out = run(["import", str(path), str(issue)])
        assert status == 1 and said in out and "Traceback" not in out
        assert len(out.strip().splitlines()) == 1
    assert not (issue / "articles").exists() or not any((issue / "articles").iterdir())


def test_an_existing_article_or_picture_is_replaced_only_with_force(tmp_path: Path,
                                                                    issue: Path) -> None:
    source = write_docx(tmp_path / "zal.docx", typical)
    import_docx(source, issue)
    article = issue / "articles" / "zal.md"
    article.write_text("edited by hand", "utf-8")
    with pytest.raises(ArticleExistsError, match=re.escape("articles/zal.md exists; pass --force")):
        import_docx(source, issue)
    assert article.read_text("utf-8") == "edited by hand"
    status, out = run(["import", str(source), str(issue)])
    assert status == 1 and "pass --force" in out
    article.unlink()
    with pytest.raises(ArticleExistsError, match=re.escape("images/zal-1.jpg exists")):
        import_docx(source, issue)
    assert not article.exists()
    assert run(["import", str(source), str(issue), "--force"])[0] == 0
    assert article.read_text("utf-8").startswith("---\ntitle: Библиотека")
    assert sorted(p.name for p in (issue / "articles").iterdir()) == ["zal.md"]
    (issue / "images" / "zal-2.jpg").write_bytes(b"from an earlier import")
    result = import_docx(source, issue, force=True)
    assert "images/zal-2.jpg is left from an earlier import" in messages(result)


def test_a_folder_is_imported_file_by_file(tmp_path: Path, issue: Path) -> None:
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    write_docx(incoming / "Библиотека.docx", typical)
    write_docx(incoming / "Погода.docx", lambda d: d.add_paragraph("Погода", style="Title")
               and d.add_paragraph("Будет тепло."))
    (incoming / "Сломанный.docx").write_text("не Word", "utf-8")
    (incoming / "~$Библиотека.docx").write_bytes(b"\x00" * 162)  # Word's lock file
    status, out = run(["import", str(incoming), str(issue)])
    assert status == 1
    lines = out.splitlines()
    assert lines[0].startswith("ok      biblioteka: ")
    assert re.search(r"words, 1 photo, 0 warnings → .*articles/biblioteka.md", lines[0])
    assert lines[1].startswith("ok      pogoda: 3 words, 0 photos, 0 warnings")
    assert lines[2].startswith("FAILED  ") and "Сломанный.docx: not a Word .docx" in lines[2]
    assert "1 of 3 files not imported" in lines[3]
    assert sorted(p.name for p in (issue / "articles").iterdir()) == ["biblioteka.md",
                                                                     "pogoda.md"]
    assert run(["import", str(incoming / "Погода.docx"), str(issue), "--slug", "Bad Slug"])[0] \
        == 2


# --- the demo ----------------------------------------------------------------------------------

def test_the_demo_article_is_what_the_importer_makes_of_the_demo_docx(issue: Path) -> None:
    result, article, text = imported(DEMO / "incoming" / "biblioteka.docx", issue)
    assert text == (DEMO / "articles" / "biblioteka.md").read_text("utf-8")
    assert result.images[0].read_bytes() == (DEMO / "images" / "biblioteka-1.jpg").read_bytes()
    assert result.warnings == []
    assert 450 <= len(docx_words(DEMO / "incoming" / "biblioteka.docx")) <= 650
    assert any(isinstance(b, Quote) for b in article.blocks)
    assert any(isinstance(b, FactBox) for b in article.blocks)
    assert any(isinstance(b, Subhead) for b in article.blocks)
