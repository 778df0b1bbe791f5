"""Property tests: whatever the input, the readers succeed or raise typeset's own error."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from typeset.articles import read_article
from typeset.errors import TypesetError
from typeset.manifest import load_edition

from .conftest import ROOT

yaml_values = st.one_of(st.text(max_size=30), st.integers(), st.booleans(), st.none(),
                        st.lists(st.text(max_size=10), max_size=3))
front_keys = st.sampled_from(["title", "rubric", "subtitle", "lead", "author", "photos", "tags",
                              "colour", "title:", "- x"])
markdown_bits = st.sampled_from([
    "Абзац текста.", "## Подзаголовок", "> цитата", "::: fact Факт", ":::", "- пункт",
    "<b>html</b>", "![img](images/a.jpg)", "[ссылка](file:///etc/passwd)", "`код`", "*курсив*",
    "    отступ", "```", "---", "\"кавычки\" - тире...", "\u0000", "\ufffc",
])


@st.composite
def article_sources(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        return draw(st.text(max_size=200))
    fields = draw(st.dictionaries(front_keys, yaml_values, max_size=5))
    head = "".join(f"{k}: {v!r}\n" if not isinstance(v, str) else f"{k}: {v}\n"
                   for k, v in fields.items())
    body = "\n\n".join(draw(st.lists(markdown_bits, max_size=8)))
    return f"---\n{head}---\n{body}\n"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=article_sources())
def test_article_reader_never_crashes(source: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "a.md"
        path.write_text(source, "utf-8", errors="surrogatepass")
        article, findings = read_article(path, "a", lambda s: s)
        if article is None:  # refused: always with a reason that names the file
            assert any(f.severity.value == "error" for f in findings)
        for finding in findings:
            assert finding.location.path == path


toml_lines = st.sampled_from([
    "number = 16", "number = 0", "number = \"16\"", "date = 2024-04-25", "date = 2024-13-01",
    "date = 2024-04-25T10:00:00", "total = -1", "layout = \"weekly-a3@9\"", "colour = 1",
    "[[pages]]", "articles = [\"a\"]", "articles = [{ slug = \"a\", span = 9 }]",
    "articles = [{ slug = \"a\", continued = true }]", "articles = [\"../x\"]", "[pages",
    "articles = [\"missing\"]", "signed = 2024-04-24T18:00:00", "= broken",
])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(toml_lines, max_size=8))
def test_manifest_loader_succeeds_or_raises_its_own_error(lines: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copy(ROOT / "newspaper.toml", root / "newspaper.toml")
        folder = root / "issues" / "2024" / "016"
        (folder / "articles").mkdir(parents=True)
        (folder / "articles" / "a.md").write_text("---\ntitle: A\n---\nТекст.\n", "utf-8")
        (folder / "issue.toml").write_text("\n".join(lines) + "\n", "utf-8")
        with contextlib.suppress(TypesetError):
            load_edition(folder, lambda s: s)
