"""Every output of the printed editions (015 and 016) passes the conformance check, qpdf and
Ghostscript; the archive reads whole with pdftotext.

The rules are :mod:`typeset.pdf.conformance` (no veraPDF here); qpdf, Ghostscript and poppler
are Debian packages that ``make test`` installs when it can (the tests that need one skip, saying
which, when it is missing).
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest

from typeset.app.build import BuildResult, build_edition, collect_outputs
from typeset.app.outputs import write_outputs
from typeset.pdf.conformance import Expected, check, subset_clashes
from typeset.pdf.press import make_press_files

from .conftest import ROOT

Built = tuple[BuildResult, Path]


@pytest.fixture(scope="module")
def editions(demo_build: Built, tmp_path_factory: pytest.TempPathFactory) -> list[Built]:
    """Both printed editions: 016 (the demo) and 015."""
    out = tmp_path_factory.mktemp("015")
    result = build_edition(ROOT / "issues" / "2024" / "015")
    write_outputs(out, collect_outputs(result))
    return [demo_build, (result, out)]


def _outputs(out: Path) -> dict[str, Path]:
    return {str(p.relative_to(out)): p for p in sorted(out.rglob("*.pdf"))}


def _expected(result: BuildResult, name: str, **changes: object) -> Expected:
    printer = result.edition.paper.printer
    profile = (ROOT / str(printer.icc)).read_bytes()
    kind = "press" if name.startswith("press/") else (
        "archive" if name.startswith("archive/") else "composite")
    expected = Expected(kind, profile, printer.ink_limit, printer.max_ppi,
                        overprint_black=printer.overprint_black)
    return dataclasses.replace(expected, **changes)  # type: ignore[arg-type]


def test_every_output_conforms(editions: list[Built]) -> None:
    for result, out in editions:
        assert result.edition.paper.printer.ink_limit == 240
        outputs = _outputs(out)
        assert len(outputs) == len(result.composed.pages) + 2
        for name, path in outputs.items():
            assert check(path, _expected(result, name)) == [], f"{result.edition.key} {name}"


def test_press_files_as_x1a_conform(demo_build: Built, tmp_path: Path) -> None:
    result, _ = demo_build
    paper = result.edition.paper
    printer = paper.printer.model_copy(update={"pdf": "x-1a"})
    edition = dataclasses.replace(result.edition,
                                  paper=paper.model_copy(update={"printer": printer}))
    files, _ = make_press_files(edition, result.layout, result.composed.pages, result.pages)
    for name, data in sorted(files.items()):
        if name.endswith(".pdf"):
            (tmp_path / name).write_bytes(data)
            assert check(tmp_path / name, _expected(result, f"press/{name}",
                                                    pdfx="PDF/X-1a:2003")) == [], name


def test_every_press_page_sets_black_overprint(editions: list[Built]) -> None:
    for _, out in editions:
        for path in sorted((out / "press").glob("*.pdf")):
            with pikepdf.open(path) as pdf:
                states = pdf.pages[0].obj.Resources.ExtGState
                assert any(bool(s.get("/op")) and int(s.get("/OPM", 0)) == 1
                           for s in states.values()), path.name


def test_one_subset_name_one_font_program(editions: list[Built]) -> None:
    """Across the press files of both editions, and their composites and archives."""
    paths = [p for _, out in editions for p in _outputs(out).values()]
    assert subset_clashes(paths) == []


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (make test installs it with apt-get as root)")
    return found


def test_qpdf_finds_nothing_wrong(editions: list[Built]) -> None:
    qpdf = _tool("qpdf")
    for _, out in editions:
        for name, path in _outputs(out).items():
            run = subprocess.run([qpdf, "--check", str(path)], capture_output=True, text=True,
                                 check=False)
            assert run.returncode == 0, (name, run.stdout[-500:], run.stderr[-500:])
            assert "No syntax or stream encoding errors found" in run.stdout, name
            assert not run.stderr, (name, run.stderr[-500:])


def test_ghostscript_reads_every_page(editions: list[Built]) -> None:
    gs = _tool("gs")
    for _, out in editions:
        for name, path in _outputs(out).items():
            run = subprocess.run([gs, "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER",
                                  "-sDEVICE=nullpage", str(path)],
                                 capture_output=True, text=True, check=False)
            assert run.returncode == 0 and not run.stdout.strip() and not run.stderr.strip(), (
                name, run.stdout[-500:], run.stderr[-500:])


def _pdftotext(path: Path, *options: str) -> str:
    return subprocess.run([_tool("pdftotext"), *options, str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def test_the_archive_reads_whole(editions: list[Built]) -> None:
    """Every word of every article, each compound word with its hyphen, no line ending in a
    hyphen: words hyphenated at a line end, even at the foot of a column, read whole."""
    for result, out in editions:
        text = _pdftotext(out / "archive" / f"{result.edition.key}.pdf")
        words = set(re.findall(r"\w+", text.lower()))
        tokens = set(re.findall(r"\w+(?:[-\u2010]\w+)*", text.lower()))
        for slug, article in result.edition.articles.items():
            missing = [w for w in article.words() if w.lower() not in words]
            assert not missing, f"{result.edition.key} {slug}: {missing[:10]}"
            compounds = {c.lower() for c in re.findall(r"\w+(?:-\w+)+", article.text())}
            assert compounds <= tokens, f"{slug}: {sorted(compounds - tokens)[:10]}"
        assert not re.findall(r"\w[-\u2010]\n", text), re.findall(r"\w+[-\u2010]\n", text)


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", re.sub(r"<[^>]+>", " ", text)))


def test_the_archive_reads_in_the_order_of_the_articles(editions: list[Built]) -> None:
    """In the order the page draws its text (pdftotext -raw), each page's articles follow the
    order of issue.toml, each head before its body."""
    for result, out in editions:
        archive = out / "archive" / f"{result.edition.key}.pdf"
        for plan in result.composed.pages:
            text = _words(_pdftotext(archive, "-raw", "-f", str(plan.number),
                                     "-l", str(plan.number)))
            last = -1
            for placed in plan.articles:
                title = text.find(_words(result.edition.articles[placed.slug].meta.title))
                assert title > last, (plan.number, placed.slug)
                pieces = [p for c in placed.columns for p in c.pieces if p.kind == "para"]
                if pieces:
                    opening = " ".join(_words(pieces[0].html).split()[:4])
                    assert text.find(opening, title) > title, (plan.number, placed.slug)
                last = title
