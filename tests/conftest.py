"""Shared fixtures: the repository, a built demo edition, and small editions made on the fly."""

from __future__ import annotations

import functools
import os
import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

from typeset.app.build import BuildResult, build_edition, collect_outputs
from typeset.app.outputs import write_outputs

# CI runs the property tests on a fixed set of examples, so that a run never fails by chance;
# on a developer's machine they explore new random inputs every time.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "issues" / "2024" / "016"
DEMO17 = ROOT / "issues" / "2024" / "017"


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildResult, Path]:
    """Edition №16 (printed with weekly-a3@1: WeasyPrint breaks its lines), built once per test
    process."""
    out = tmp_path_factory.mktemp("demo")
    result = build_edition(DEMO)
    write_outputs(out, collect_outputs(result))
    return result, out


@pytest.fixture(scope="session")
def demo17_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildResult, Path]:
    """The demo edition №17 (the current layout: typeset composes its lines, ads), built once
    per test process."""
    out = tmp_path_factory.mktemp("demo17")
    result = build_edition(DEMO17)
    write_outputs(out, collect_outputs(result))
    return result, out


MakeEdition = Callable[..., Path]


def write_edition(root: Path, articles: dict[str, str], manifest: str | None = None, *,
                  pages: str | None = None, images: dict[str, bytes] | None = None,
                  number: int = 16, date: str = "2024-04-25") -> Path:
    """Write one small edition into the repository ``root`` (made with the demo's
    newspaper.toml, layouts and printers when missing); return the edition folder."""
    if not root.exists():
        root.mkdir(parents=True)
        # small test editions are not printed in signatures of four pages
        paper = (ROOT / "newspaper.toml").read_text("utf-8")
        (root / "newspaper.toml").write_text(
            paper.replace("page_multiple = 4", "page_multiple = 1"), "utf-8")
        shutil.copytree(ROOT / "layouts", root / "layouts")
        printers = ROOT / "printers"
        if printers.exists():
            shutil.copytree(printers, root / "printers")
    folder = root / "issues" / date[:4] / f"{number:03d}"
    (folder / "articles").mkdir(parents=True, exist_ok=True)
    (folder / "images").mkdir(exist_ok=True)
    for slug, text in articles.items():
        (folder / "articles" / f"{slug}.md").write_text(textwrap.dedent(text), "utf-8")
    for name, data in (images or {}).items():
        (folder / "images" / name).write_bytes(data)
    if manifest is None:
        plan = pages or "\n".join(
            f'[[pages]]\narticles = ["{slug}"]\n' for slug in articles)
        manifest = f"number = {number}\ndate = {date}\n\n{plan}"
    (folder / "issue.toml").write_text(textwrap.dedent(manifest), "utf-8")
    return folder


@pytest.fixture
def make_edition(tmp_path: Path) -> MakeEdition:
    """Write a small newspaper repository with one edition (№ 16 of 2024-04-25 unless
    ``number`` and ``date`` say otherwise: called again, another edition of the same
    repository); return the edition folder."""
    return functools.partial(write_edition, tmp_path / "paper")


def article(title: str = "Заголовок", body: str = "Текст статьи.", **meta: str) -> str:
    extra = "".join(f"{k}: {v}\n" for k, v in meta.items())
    return f"---\ntitle: \"{title}\"\n{extra}---\n{body}\n"
