"""The archive file (PDF/A-2b) and the determinism of every output."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from typeset.app.build import BuildResult, build_edition, collect_outputs

from .conftest import MakeEdition


def test_archive_metadata(demo_build: tuple[BuildResult, Path]) -> None:
    result, out = demo_build
    with pikepdf.open(out / "archive" / f"{result.edition.key}.pdf") as pdf:
        xmp = pdf.Root.Metadata.read_bytes().decode()
        assert "<pdfaid:part>2</pdfaid:part>" in xmp
        assert "<pdfaid:conformance>B</pdfaid:conformance>" in xmp
        title = "Иртышская неделя № 16 (1234) от 25 апреля 2024 г."
        assert title in xmp and str(pdf.trailer.Info.Title) == title
        assert "<dc:language><rdf:Bag><rdf:li>ru</rdf:li>" in xmp
        assert "<xmp:CreateDate>2024-04-25T00:00:00+00:00</xmp:CreateDate>" in xmp
        assert str(pdf.Root.Lang) == "ru"
        assert pdf.Root.OutputIntents[0].S == "/GTS_PDFA1"
        assert "/Filter" not in pdf.Root.Metadata
        with pdf.open_outline() as outline:
            pages = list(outline.root)
            assert [p.title for p in pages] == [f"Страница {n}" for n in range(1, 9)]
            assert all(p.children for p in pages)
        for page in pdf.pages:
            assert list(page.obj.CropBox) == list(page.obj.TrimBox)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_every_output_is_deterministic(demo_build: tuple[BuildResult, Path],
                                       monkeypatch: pytest.MonkeyPatch, jobs: str) -> None:
    """A build from scratch (no cache), in one process or in two workers, gives the same
    bytes for every file as the demo build (which may have come from the cache)."""
    result, out = demo_build
    monkeypatch.setenv("TYPESET_NO_CACHE", "1")
    monkeypatch.setenv("TYPESET_JOBS", jobs)
    again = collect_outputs(build_edition(result.edition.folder))
    assert any(name.startswith("press/") for name in again)
    for name, data in sorted(again.items()):
        assert (out / name).read_bytes() == data, name


HIDE_HARFBUZZ_SUBSET = """
import sys
import cffi

_dlopen = cffi.FFI.dlopen


def dlopen(self, name, *args):
    if name and "harfbuzz-subset" in str(name):
        raise OSError(f"{name}: hidden by the test")
    return _dlopen(self, name, *args)


cffi.FFI.dlopen = dlopen  # what WeasyPrint finds when Debian's libharfbuzz-subset0 is missing
from typeset.app.cli import main

status = main(sys.argv[1:])
with open("/proc/self/maps") as maps:
    assert "libharfbuzz-subset" not in maps.read(), "libharfbuzz-subset was loaded"
sys.exit(status)
"""


def test_bytes_do_not_depend_on_the_system_subsetter(demo_build: tuple[BuildResult, Path],
                                                     tmp_path: Path) -> None:
    """A build in a process where the system's libharfbuzz-subset cannot be loaded (two
    workers, no cache) gives the same bytes, report.json included: every font is subset by the
    uharfbuzz wheel, and the build record says so."""
    import json
    import os
    import subprocess
    import sys

    result, out = demo_build
    env = {**os.environ, "TYPESET_NO_CACHE": "1", "TYPESET_JOBS": "2"}
    again = tmp_path / "out"
    run = subprocess.run([sys.executable, "-c", HIDE_HARFBUZZ_SUBSET, "build",
                          str(result.edition.folder), "-o", str(again)],
                         env=env, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    names = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()
                   and not p.name.startswith("."))
    assert names == sorted(str(p.relative_to(again)) for p in again.rglob("*") if p.is_file()
                           and not p.name.startswith("."))
    for name in names:
        assert (again / name).read_bytes() == (out / name).read_bytes(), name
    record = json.loads((out / "report.json").read_text("utf-8"))["build"]
    assert record["subsetter"].startswith("uharfbuzz ")


def test_the_same_sources_in_another_folder_give_the_same_bytes(make_edition: MakeEdition,
                                                                   tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch
                                                                   ) -> None:
    """WeasyPrint names an image by a digest of its absolute path; the pages name images by
    the order they are drawn, so an archive bag rebuilds to the same bytes anywhere."""
    monkeypatch.setenv("TYPESET_NO_CACHE", "1")
    buffer = io.BytesIO()
    Image.new("RGB", (600, 400), (200, 60, 40)).save(buffer, "JPEG")
    text = ("---\ntitle: Снимок\nphotos:\n  - src: images/photo.jpg\n    caption: Подпись\n"
            "---\n" + "\n\n".join(["Текст под снимком."] * 6) + "\n")
    folder = make_edition({"a": text}, images={"photo.jpg": buffer.getvalue()})
    here = collect_outputs(build_edition(folder))
    moved = tmp_path / "elsewhere" / "deeper"
    shutil.copytree(folder.parents[2], moved)
    there = collect_outputs(build_edition(moved / "issues" / "2024" / "016"))
    assert sorted(here) == sorted(there)
    for name in here:  # report.json names files as seen from the working directory
        assert here[name] == there[name] or name == "report.json", name
    with pikepdf.open(io.BytesIO(here["archive/2024-016.pdf"])) as pdf:
        assert "/Im1" in pdf.pages[0].Resources.XObject
