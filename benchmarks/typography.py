"""Benchmark: what the typography rules cost, rule set 1 against rule set 2.

Collects every string the build hands to :func:`typeset.typography.typeset_text` for the demo
articles (``issues/2024/*/articles/*.md``): the front matter's title, subtitle, lead, rubric,
author and photo captions, and each paragraph, heading and list item of the body, with U+FFFC
at every inline-markup boundary and code spans blanked, as the article reader does. It then
times each rule set over all of them, interleaved, keeping the best of N runs, and prints the
milliseconds, the ratio of set 2 to set 1, and the share of the no-break spaces among all
spaces in each set's output.

Run from the repository root::

    .venv/bin/python benchmarks/typography.py            # best of 7
    .venv/bin/python benchmarks/typography.py --runs 15
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt
from mdit_py_plugins.container import container_plugin

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from typeset.typography import RULESETS, typeset_text  # noqa: E402

OBJ = "\ufffc"
_FRONT_KEYS = ("title", "subtitle", "lead", "rubric", "author")


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "typographer": False})
    md.use(container_plugin, name="fact")
    return md


def _inline(children: list[Any]) -> str:
    """An inline token's text as the reader hands it over: one U+FFFC before each run."""
    runs: list[str] = [""]
    for child in children:
        if child.type == "text":
            runs[-1] += child.content
        elif child.type in ("softbreak", "hardbreak"):
            runs[-1] += " "
        elif child.type == "code_inline":
            runs.extend(["", ""])  # a code span is a run of its own, never typeset
        elif child.type in ("em_open", "em_close", "strong_open", "strong_close"):
            runs.append("")
    return "".join(OBJ + run for run in runs if run) or ""


def paragraphs(root: Path = ROOT) -> Iterator[str]:
    """Every string of the demo articles that goes through the typography rules."""
    md = _markdown()
    for path in sorted(root.glob("issues/2024/*/articles/*.md")):
        source = path.read_text(encoding="utf-8")
        _, front, body = source.split("---", 2)
        meta = yaml.safe_load(front) or {}
        for key in _FRONT_KEYS:
            if isinstance(meta.get(key), str):
                yield meta[key]
        for photo in meta.get("photos") or []:
            for key in ("caption", "credit"):
                if isinstance(photo.get(key), str):
                    yield photo[key]
        for token in md.parse(body):
            if token.type == "inline" and token.children:
                text = _inline(token.children)
                if text:
                    yield text


def no_break_share(texts: list[str]) -> float:
    """The share of no-break spaces (U+00A0, U+202F) among all spaces of ``texts``."""
    joined = "".join(texts)
    no_break = joined.count("\u00a0") + joined.count("\u202f")
    return no_break / max(1, no_break + joined.count(" "))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of each set; the best counts")
    args = parser.parse_args(argv)
    texts = list(paragraphs())
    best = {number: float("inf") for number in RULESETS}
    for _ in range(args.runs):
        for number in RULESETS:  # interleaved, so that a busy machine hurts both alike
            gc.collect()
            start = time.perf_counter()
            for text in texts:
                typeset_text(text, number)
            best[number] = min(best[number], time.perf_counter() - start)
    chars = sum(len(t) for t in texts)
    print(f"{len(texts)} strings, {chars} characters, best of {args.runs} runs")
    for number in RULESETS:
        share = no_break_share([typeset_text(t, number) for t in texts])
        print(f"rule set {number}: {best[number] * 1000:7.1f} ms   no-break spaces {share:5.1%}")
    print(f"rule set 2 / rule set 1: {best[2] / best[1]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
