"""Property tests: whatever the input, the readers succeed or raise typeset's own error."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import tomllib
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from typeset.core.errors import EditionError
from typeset.source.articles import read_article
from typeset.source.manifest import load_edition

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


def _expected_valid(text: str) -> bool:
    """An independent oracle: whether the manifest of edition 016 with one article ``a`` is
    valid, read with tomllib and the contract's rules (not typeset's code)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return False
    known = {"number", "date", "total", "layout", "circulation", "signed", "order", "pages"}
    if set(data) - known or data.get("number") != 16 or type(data.get("number")) is not int:
        return False
    date = data.get("date")
    if not isinstance(date, dt.date) or isinstance(date, dt.datetime) or date.year != 2024:
        return False
    if "total" in data and not (type(data["total"]) is int and data["total"] >= 1):
        return False
    pages = data.get("pages")
    if not isinstance(pages, list) or not pages:
        return False
    started: dict[str, int] = {}
    for number, page in enumerate(pages, start=1):
        for entry in page.get("articles", []):
            item = {"slug": entry} if isinstance(entry, str) else entry
            slug, continued = item["slug"], item.get("continued", False)
            if slug != "a" or not 1 <= item.get("span", 1) <= 12:
                return False  # only articles/a.md exists; "../x" is no slug
            if continued and (slug not in started or started[slug] == number):
                return False
            if not continued and slug in started:
                return False
            if not continued:
                started[slug] = number
    return True


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(toml_lines, max_size=8))
def test_manifest_loader_agrees_with_the_contract(lines: list[str]) -> None:
    """The loader accepts exactly the manifests the contract allows; every error it gives for
    issue.toml says where (the file, and a line when the file parses)."""
    text = "\n".join(lines) + "\n"
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copy(ROOT / "newspaper.toml", root / "newspaper.toml")
        folder = root / "issues" / "2024" / "016"
        (folder / "articles").mkdir(parents=True)
        (folder / "articles" / "a.md").write_text("---\ntitle: A\n---\nТекст.\n", "utf-8")
        (folder / "issue.toml").write_text(text, "utf-8")
        try:
            load_edition(folder, lambda s: s)
        except EditionError as exc:
            assert not _expected_valid(text), [str(f) for f in exc.errors]
            for finding in exc.errors:
                assert finding.location.path == folder / "issue.toml", str(finding)
                assert finding.message
        else:
            assert _expected_valid(text), text
