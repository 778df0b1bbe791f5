"""The archive file (PDF/A-2b) and the determinism of every output."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

from typeset.app.build import BuildResult, build_edition, collect_outputs


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
