"""Nothing prints outside its column: words and addresses wider than a column.

A word longer than its column (a web address, a long file or product code) cannot be broken by
the line breaker: WeasyPrint lets it run over the next column or past the trim. Measuring reports
every line that runs past the right edge of its column (:attr:`Measured.wide`); here

* :func:`break_wide_words` breaks each such word after ``/ . - ? &`` (a zero-width space in the
  text of that word only, so that the break shows no hyphen) and measures its paragraph again;
  text whose lines all fit is never touched;
* :func:`overflow_findings` makes an error, at its article's line, of whatever still runs past
  its column: a word without those characters, or one in a headline, a caption or a box.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..core.errors import Finding, error
from ..source.articles import Article, Run, runs_text
from ..source.manifest import Edition
from .flow import FlowItem
from .measure import Measured

BREAK_AFTER = "/.-?&"
"""Characters a word too wide for its column may be broken after."""
ZWSP = "\u200b"
"""Zero-width space: a break opportunity that prints nothing."""
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_BREAKS = re.compile(f"[{re.escape(BREAK_AFTER)}]+(?=[^{re.escape(BREAK_AFTER)}])")


def break_wide_words(flows: dict[str, list[FlowItem]], measured: dict[str, Measured]
                     ) -> list[FlowItem]:
    """Break the too-wide words of every paragraph that has a line running past its column;
    return the paragraphs changed (to be measured again)."""
    changed = []
    for flow in flows.values():
        for item in flow:
            m = measured.get(item.id)
            if item.kind != "para" or m is None or not m.wide:
                continue
            runs = breakable(item.runs, m.wide)
            if runs != item.runs:
                item.runs = runs
                changed.append(item)
    return changed


def breakable(runs: Sequence[Run], wide: Sequence[str]) -> tuple[Run, ...]:
    """``runs`` with a zero-width space after each ``/ . - ? &`` (after the last of a row of
    them, never at a word's end) of every word holding the longest word of a line in
    ``wide``."""
    text = runs_text(runs)
    longest = [max(_SPACES.split(line.replace(ZWSP, "")), key=len) for line in wide]
    cuts: set[int] = set()
    for word in re.finditer(r"[^\s\u00a0\u202f]+", text):
        if ZWSP in word.group() or not any(part and part in word.group() for part in longest):
            continue
        cuts.update(word.start() + m.end() for m in _BREAKS.finditer(word.group()))
    if not cuts:
        return tuple(runs)
    out: list[Run] = []
    seen = 0
    for run in runs:
        pieces, last = [], 0
        for cut in sorted(c - seen for c in cuts if seen < c <= seen + len(run.text)):
            pieces += [run.text[last:cut], ZWSP]
            last = cut
        out.append(Run("".join([*pieces, run.text[last:]]), run.marks))
        seen += len(run.text)
    return tuple(out)


def overflow_findings(edition: Edition, measured: dict[str, Measured]) -> list[Finding]:
    """An error for every measured piece with a line that still runs past its column, at the
    line of the article (or newspaper.toml) it comes from."""
    findings = []
    for ident, m in sorted(measured.items()):
        if not m.wide:
            continue
        slug, _, piece = ident.partition("--")
        article = edition.articles.get(slug)
        shown = _shown(m.wide[0])
        if article is None:  # the imprint: text from newspaper.toml
            findings.append(error("too-wide", f"'{shown}' in the imprint is wider than the "
                                  "page; shorten it or add spaces", edition.root /
                                  "newspaper.toml"))
            continue
        findings.append(error(
            "too-wide", f"'{shown}' is wider than its column and would print outside it; "
            f"typeset breaks a long word only after {' '.join(BREAK_AFTER)}: add spaces, or "
            "shorten it (a short link instead of a long address)", article.path,
            _line(article, piece, m.wide[0]), article=slug))
    return findings


def _shown(text: str) -> str:
    text = text.replace(ZWSP, "").strip()
    return text if len(text) <= 50 else text[:47] + "…"


def _line(article: Article, piece: str, text: str) -> int:
    """The line of the article a measured piece comes from: a body block's own line, else the
    line of the front matter key that holds the text."""
    if piece.startswith("b") and piece[1:].isdigit() and int(piece[1:]) < len(article.blocks):
        return article.blocks[int(piece[1:])].line or article.body_line
    word = max(_SPACES.split(text.replace(ZWSP, "")), key=len)
    meta = article.meta
    values: list[tuple[tuple[str | int, ...], str | None]] = [
        (("rubric",), meta.rubric), (("title",), meta.title), (("subtitle",), meta.subtitle),
        (("lead",), meta.lead), (("author",), meta.author)]
    for k, photo in enumerate(meta.photos):
        values += [(("photos", k, "caption"), photo.caption), (("photos", k, "credit"),
                                                                photo.credit)]
    for key, value in values:
        if value and word in value:
            return article.lines.get(key, article.body_line)
    return article.body_line
