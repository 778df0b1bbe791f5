"""Markdown to typed blocks: paragraphs, subheads, emphasis, lists, dialogue, quotes, facts."""

from __future__ import annotations

from pathlib import Path

from typeset.source.articles import FactBox, Para, Quote, Run, Subhead, read_article, split_runs


def read(tmp_path: Path, body: str, **meta: str):
    text = "---\ntitle: Заголовок\n" + "".join(f"{k}: {v}\n" for k, v in meta.items())
    text += "---\n" + body
    path = tmp_path / "a.md"
    path.write_text(text, "utf-8")
    return read_article(path, "a", lambda s: s)


def test_blocks_of_a_typical_article(tmp_path: Path) -> None:
    body = ("Первый абзац с *курсивом* и **жирным**.\n\n## Подзаголовок\n\n"
            "> Цитата героя.\n\n::: fact Цифры\nВ 2018 году оборот вырос.\n:::\n\n"
            "- первый пункт\n- второй пункт\n")
    article, findings = read(tmp_path, body)
    assert findings == []
    assert article is not None
    kinds = [type(b).__name__ for b in article.blocks]
    assert kinds == ["Para", "Subhead", "Quote", "FactBox", "Para", "Para"]
    first = article.blocks[0]
    assert isinstance(first, Para)
    assert first.runs == (Run("Первый абзац с "), Run("курсивом", frozenset({"em"})),
                          Run(" и "), Run("жирным", frozenset({"strong"})), Run("."))
    assert isinstance(article.blocks[1], Subhead)
    assert isinstance(article.blocks[2], Quote)
    fact = article.blocks[3]
    assert isinstance(fact, FactBox) and fact.title == "Цифры"
    assert [b.kind for b in article.blocks[4:] if isinstance(b, Para)] == ["li", "li"]


def test_dialogue_dashes_are_paragraphs_not_lists(tmp_path: Path) -> None:
    body = "- Мы готовы, - сказал он.\n\n- А мы нет, - ответили ему.\n\nКонец.\n"
    article, _ = read(tmp_path, body)
    assert article is not None
    assert [(b.kind, b.runs[0].text[:4]) for b in article.blocks if isinstance(b, Para)] == [
        ("p", "- Мы"), ("p", "- А "), ("p", "Коне")]


def test_line_numbers_count_from_the_file_start(tmp_path: Path) -> None:
    _, findings = read(tmp_path, "Абзац.\n\nЕщё <i>один</i>.\n", rubric="Власть")
    assert [f.location.line for f in findings] == [7]


def test_split_runs_at_any_offset() -> None:
    runs = [Run("аб"), Run("вгд", frozenset({"em"})), Run("е")]
    head, tail = split_runs(runs, 3)
    assert head == [Run("аб"), Run("в", frozenset({"em"}))]
    assert tail == [Run("гд", frozenset({"em"})), Run("е")]
    for cut in range(0, 7):
        a, b = split_runs(runs, cut)
        assert "".join(r.text for r in a + b) == "абвгде"
