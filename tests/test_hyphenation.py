"""Tests of Russian hyphenation (typeset.typography.hyphenation) and its WeasyPrint hook."""

from __future__ import annotations

import itertools
import os
import re
from pathlib import Path

import pyphen
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from typeset.core.errors import TypesetError
from typeset.typography import Hyphenator, install, typeset_text, typo_stream
from typeset.typography.hyphenation import (
    HyphenationError,
    Patterns,
    marked_breaks,
    parse_exceptions,
)

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "layouts" / "weekly-a3" / "hyphenation"
SHY = "\u00ad"
OBJ = "\ufffc"


def shared_typography() -> Path:
    """shared/typography beside the repository clone, or the copy kept in tests/cases/shared."""
    sibling = ROOT.parent / "shared" / "typography"
    return sibling if (sibling / "hyphenation.tsv").is_file() else ROOT / "tests/cases/shared"


def breaks(field: str) -> set[int]:
    """'под-ъезд, по-дъезд' → {3, 2}: the offsets marked by '-' in each listed form."""
    found: set[int] = set()
    for form in field.split(","):
        form = form.strip()
        if form in ("", "-"):
            continue
        found.update(marked_breaks(form))
    return found


ROWS = [
    line.split("\t")
    for line in (shared_typography() / "hyphenation.tsv").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]
WORDS = {row[0]: (breaks(row[1]), breaks(row[2])) for row in ROWS}


@pytest.fixture(scope="module")
def hyphenator() -> Hyphenator:
    return Hyphenator.from_folder(FOLDER)


# --- the shared word list ---------------------------------------------------------------------

@pytest.mark.parametrize("word", list(WORDS))
def test_no_forbidden_break(hyphenator: Hyphenator, word: str) -> None:
    forbidden = WORDS[word][1]
    assert set(hyphenator.positions(word)) & forbidden == set()


@pytest.mark.parametrize("word", list(WORDS))
def test_breaks_are_preferred_ones(hyphenator: Hyphenator, word: str) -> None:
    preferred = WORDS[word][0]
    assert set(hyphenator.positions(word)) <= preferred, hyphenator.mark(word)


@pytest.mark.parametrize("word", list(WORDS))
def test_all_preferred_breaks_found(hyphenator: Hyphenator, word: str) -> None:
    preferred = WORDS[word][0]
    assert set(hyphenator.positions(word)) == preferred, hyphenator.mark(word)


def _score(positions: dict[str, set[int]]) -> tuple[int, int, int]:
    """(forbidden hits, breaks not preferred, preferred breaks missed) over the shared words."""
    forbidden = sum(len(positions[w] & WORDS[w][1]) for w in WORDS)
    extra = sum(len(positions[w] - WORDS[w][0]) for w in WORDS)
    missed = sum(len(WORDS[w][0] - positions[w]) for w in WORDS)
    return forbidden, extra, missed


def test_chosen_patterns_beat_pyphens_own(hyphenator: Hyphenator) -> None:
    """Why the layout ships the TeX/ruhyphal patterns rather than pyphen's bundled ru_RU."""
    stock = pyphen.Pyphen(filename=pyphen.dictionaries / "hyph_ru_RU.dic", left=2, right=2)
    stock_positions = {w: set(stock.positions(w)) for w in WORDS}
    chosen = Hyphenator(Patterns.from_file(next(FOLDER.glob("*.dic"))))  # no exceptions
    chosen_positions = {w: set(chosen.positions(w)) for w in WORDS}
    stock_score, chosen_score = _score(stock_positions), _score(chosen_positions)
    assert chosen_score[0] == 0
    assert chosen_score[1:] < stock_score[1:], (chosen_score, stock_score)
    assert _score({w: set(hyphenator.positions(w)) for w in WORDS}) == (0, 0, 0)


# --- house rules ------------------------------------------------------------------------------

@pytest.mark.parametrize("token", [
    "ЕАЭС", "ЮНЕСКО", "США", "НАТО", "КазНУ", "2024-го", "1990-х", "COVID-19", "Ту-154",
    "А320нео", "5-процентный", "iPhone", "Windows", "Қазақстан", "мәслихат", "ab", "",
    "по\u00adдъезд",
])
def test_never_split(hyphenator: Hyphenator, token: str) -> None:
    assert hyphenator.positions(token) == []
    assert hyphenator.mark(token) == token


@pytest.mark.parametrize(("word", "marked"), [
    ("подъезд", "подъ-езд"),
    ("Подъезды", "Подъ-ез-ды"),
    ("разыскать", "ра-зыс-кать"),
    ("спортсмены", "спорт-сме-ны"),
    ("Семёнов", "Се-мё-нов"),
    ("ЁЛОЧКА", "ЁЛОЧКА"),
    ("ёлочка", "ёлоч-ка"),
    ("кто-нибудь", "кто-ни-будь"),
    ("Омск-Павлодар", "Омск-Пав-ло-дар"),
    ("северо-восточный", "се-ве-ро-во-сточ-ный"),
    ("сегодня", "се-го-дня"),
    ("бездн", "бездн"),
    ("мир", "мир"),
    ("акция", "ак-ция"),
])
def test_marked(hyphenator: Hyphenator, word: str, marked: str) -> None:
    assert hyphenator.mark(word).replace(SHY, "-") == marked


def test_mark_text(hyphenator: Hyphenator) -> None:
    text = typeset_text('Подъезд "◊Войны◊" и ЕАЭС в 2024-м году.'.replace("◊", OBJ))
    marked = hyphenator.mark(text)
    assert marked.replace(SHY, "") == text
    assert marked.replace(SHY, "-").replace(OBJ, "◊") == (
        "Подъ-езд «◊Вой-ны◊» и\u00a0ЕАЭС в\u00a02024-м го-ду.")


def test_mark_keeps_hand_hyphenation(hyphenator: Hyphenator) -> None:
    assert hyphenator.mark(f"при{SHY}слать") == f"при{SHY}слать"
    assert hyphenator.mark(hyphenator.mark("машиностроительная")) == hyphenator.mark(
        "машиностроительная")


WORD_CHARS = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВЁЕЖ"


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(alphabet=WORD_CHARS + " -.,«»0123456789ЕАЭСQq" + OBJ, max_size=80)
       | st.lists(st.sampled_from([w for w in WORDS] + [" ", "-", OBJ, "ЕАЭС", "2024"]),
                  max_size=12).map("".join))
def test_mark_only_inserts_soft_hyphens_away_from_word_edges(text: str) -> None:
    hyphenator = _HYPHENATOR
    marked = hyphenator.mark(text)
    assert marked.replace(SHY, "") == text
    bare = marked.replace(OBJ, "")
    for match in re.finditer(SHY, bare):
        before = re.search(r"[^\W\d_]*$", bare[: match.start()].replace(SHY, ""))
        after = re.match(r"[^\W\d_]*", bare[match.end() :].replace(SHY, ""))
        assert before is not None and after is not None
        assert len(before.group(0)) >= 2 and len(after.group(0)) >= 2, marked


_HYPHENATOR = Hyphenator.from_folder(FOLDER)


def test_typo_stream_marks_hyphens(hyphenator: Hyphenator) -> None:
    out = list(typo_stream(["Машиностроительная отрасль\n"], hyphenator))
    assert out == [f"Ма{SHY}ши{SHY}но{SHY}стро{SHY}и{SHY}тель{SHY}ная от{SHY}расль\n"]


# --- the folder -------------------------------------------------------------------------------

def test_folder_ships_licence_and_exceptions() -> None:
    dic = next(FOLDER.glob("*.dic"))
    head = dic.read_text(encoding="utf-8")[:2000]
    assert "Lebedev" in head and "LaTeX Project Public License" in head
    assert "LaTeX Project Public License" in (FOLDER / "LICENSE-ruhyphal.txt").read_text()
    assert "подъ-езд" in (FOLDER / "exceptions.txt").read_text(encoding="utf-8").split()


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(HyphenationError, match="not found") as info:
        Hyphenator.from_folder(tmp_path / "nowhere")
    assert isinstance(info.value, TypesetError)


def test_folder_without_patterns(tmp_path: Path) -> None:
    with pytest.raises(HyphenationError, match="expected one"):
        Hyphenator.from_folder(tmp_path)


def test_bad_exception_line(tmp_path: Path) -> None:
    (tmp_path / "p.dic").write_text("UTF-8\n1ба\n", encoding="utf-8")
    (tmp_path / "exceptions.txt").write_text("# ok\nпод-ъезд\nпод--ъезд\n", encoding="utf-8")
    with pytest.raises(HyphenationError, match=r"exceptions.txt:3"):
        Hyphenator.from_folder(tmp_path)


def test_parse_exceptions() -> None:
    assert parse_exceptions(["подъ-езд  # comment", "", "Бездн", "Се-мё-нов"]) == {
        "подъезд": (4,), "бездн": (), "семенов": (2, 4)}


# --- the WeasyPrint hook ------------------------------------------------------------------------

def test_install_registers_russian(hyphenator: Hyphenator) -> None:
    install(hyphenator)
    for lang in ("ru", "ru-RU", "ru_KZ", "RU"):
        dictionary = pyphen.Pyphen(lang=lang)
        assert dictionary.inserted("подъезд") == "подъ-езд"
        assert dictionary.inserted("ЮНЕСКО") == "ЮНЕСКО"
        assert dictionary.inserted("Семёнов") == "Се-мё-нов"


def test_install_is_idempotent(hyphenator: Hyphenator) -> None:
    install(hyphenator)
    state = (dict(pyphen.LANGUAGES), dict(pyphen.LANGUAGES_LOWERCASE), len(pyphen.hdcache))
    dictionary = pyphen.hdcache[pyphen.LANGUAGES["ru"]]
    install(hyphenator)
    install(hyphenator)
    assert (dict(pyphen.LANGUAGES), dict(pyphen.LANGUAGES_LOWERCASE), len(pyphen.hdcache)) == state
    assert pyphen.hdcache[pyphen.LANGUAGES["ru"]] is dictionary


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
def test_no_file_handles_leak() -> None:
    before = len(os.listdir("/proc/self/fd"))
    for _ in range(20):
        install(Hyphenator.from_folder(FOLDER))
    assert len(os.listdir("/proc/self/fd")) <= before
    install(_HYPHENATOR)


# --- on the page --------------------------------------------------------------------------------

PAGE_CSS = """
@page { size: 300mm 2000mm; margin: 5mm; }
body { font: 10pt/12pt "DejaVu Serif"; margin: 0; }
p { margin: 0 0 6pt; hyphens: auto; hyphenate-character: "-"; break-inside: avoid; }
"""
SENTENCE = ("В {0} году подъезд и объявление, ЕАЭС и ЮНЕСКО, а также сельскохозяйственные и "
            "машиностроительная отрасли, электроприборостроения программа Волгоград 2024-го "
            "интеллектуальная цифровизации транспорт эксперт покрытие просмотр спецодежда "
            "разыскать подписать прислать Семёнов Королёв внешнеторговый жужжать акция.")


def _rendered_paragraphs(hyphenator: Hyphenator) -> tuple[list[str], list[list[str]]]:
    from weasyprint import HTML
    from weasyprint.formatting_structure.boxes import BlockBox, LineBox, TextBox

    install(hyphenator)
    sources: list[tuple[str, str]] = []
    for word in [*WORDS, "ЕАЭС", "ЮНЕСКО", "2024-го"]:
        for width in range(14, 170, 6):
            sources.append((word, f"{width}pt"))
    for width in range(50, 200, 7):
        sources.append((SENTENCE.format(width), f"{width}pt"))
    body = "".join(f'<p style="width: {w}">{t}</p>' for t, w in sources)
    html = f'<html lang="ru"><head><style>{PAGE_CSS}</style></head><body>{body}</body></html>'
    document = HTML(string=html).render()
    paragraphs: list[list[str]] = []

    def walk(box: object) -> None:
        if isinstance(box, BlockBox) and box.element_tag == "p":
            paragraphs.append([
                "".join(t.text for t in line.descendants() if isinstance(t, TextBox)).strip()
                for line in box.children if isinstance(line, LineBox)
            ])
            return
        for child in getattr(box, "children", []):
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    texts = [t for t, _ in sources]
    assert len(paragraphs) == len(texts)
    return texts, paragraphs


def _page_breaks(text: str, lines: list[str]) -> list[tuple[str, int]]:
    """(word, offset) of every hyphenation WeasyPrint made when setting ``text`` as ``lines``."""
    found = []
    position = 0
    squeezed = " ".join(text.split())
    for line, following in itertools.pairwise(lines):
        if squeezed.startswith(line, position) and not line.endswith("-"):
            position += len(line) + 1
            continue
        if squeezed.startswith(line, position):  # ends with an explicit hyphen of the text
            position += len(line)
            if squeezed[position : position + 1] == " ":
                position += 1
            continue
        assert line.endswith("-") and squeezed.startswith(line[:-1], position), (line, text)
        position += len(line) - 1  # the break, inside a word of the text
        start = re.search(r"[^\W\d_]*$", squeezed[:position])
        end = re.match(r"[^\W\d_]*", squeezed[position:])
        assert start is not None and end is not None and following.startswith(end.group(0)[:1])
        found.append((start.group(0) + end.group(0), len(start.group(0))))
    return found


@pytest.fixture(scope="module")
def page(hyphenator: Hyphenator) -> tuple[list[str], list[list[str]]]:
    return _rendered_paragraphs(hyphenator)


def test_page_breaks_follow_the_rules(hyphenator: Hyphenator,
                                      page: tuple[list[str], list[list[str]]]) -> None:
    texts, paragraphs = page
    seen = 0
    for text, lines in zip(texts, paragraphs, strict=True):
        for word, offset in _page_breaks(text, lines):
            seen += 1
            assert offset in hyphenator.positions(word), (word, offset, lines)
            if word in WORDS:
                assert offset not in WORDS[word][1], (word, offset)
                assert offset in WORDS[word][0], (word, offset)
    assert seen > 200  # the narrow columns really did hyphenate


def test_abbreviations_are_never_hyphenated_on_the_page(
        page: tuple[list[str], list[list[str]]]) -> None:
    texts, paragraphs = page
    for text, lines in zip(texts, paragraphs, strict=True):
        if text in ("ЕАЭС", "ЮНЕСКО"):
            assert lines == [text]
        for word, _ in _page_breaks(text, lines):
            assert word not in ("ЕАЭС", "ЮНЕСКО")
        if text == "2024-го":  # no hyphen of ours inside: the text is still "2024-го"
            assert "".join(lines) == text
        for line in lines:
            assert not re.search(r"(?:Е|ЕА|ЕАЭ|Ю|ЮН|ЮНЕ|ЮНЕС|ЮНЕСК|2|20|202|2024-г)-$", line)


def test_ordinal_with_digits_is_kept_whole_by_the_layout() -> None:
    """Pango (UAX #14) may break after the explicit hyphen of 2024-го, and the rules keep an
    ASCII hyphen there (no U+2011, by house decision): the article HTML wraps such tokens in
    a span the layout sets ``white-space: nowrap``."""
    from typeset.source.articles import Run

    assert '<span class="nw">2024-го</span>' in Run("к 2024-го году").html()
    assert '<span class="nw">5-й</span>' in Run("5-й раз").html()
    css = (Path(__file__).resolve().parents[1] / "layouts" / "weekly-a3" / "css" / "base.css")
    assert ".nw { white-space: nowrap; }" in css.read_text("utf-8")
