"""Press files: one PDF/X page per file, CMYK only, exact boxes, checksums; the composite."""

from __future__ import annotations

import dataclasses
import hashlib
import io
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageChops, ImageStat

from typeset.app.build import BuildResult
from typeset.core.errors import Finding
from typeset.pdf.preflight import is_rgb
from typeset.pdf.press import make_press_files, press_name

PT_PER_MM = 72 / 25.4
A3 = (297 * PT_PER_MM, 420 * PT_PER_MM)


def _press(out: Path) -> dict[str, Path]:
    return {p.name: p for p in sorted((out / "press").iterdir())}


def _with_printer(result: BuildResult, **changes: object) -> BuildResult:
    paper = result.edition.paper
    printer = paper.printer.model_copy(update=changes)
    edition = dataclasses.replace(result.edition,
                                  paper=paper.model_copy(update={"printer": printer}))
    return dataclasses.replace(result, edition=edition, findings=[])


def _press_files(result: BuildResult) -> tuple[dict[str, bytes], list[Finding]]:
    return make_press_files(result.edition, result.layout, result.composed.pages, result.pages)


def _box(page: pikepdf.Page, key: str) -> list[float]:
    return [float(v) for v in page.obj[key]]


def test_press_files_are_named_by_the_pattern(demo_build: tuple[BuildResult, Path]) -> None:
    result, out = demo_build
    names = set(_press(out))
    pages = len(result.composed.pages)
    assert pages == 8
    expected = {press_name(result.edition, n, pages) for n in range(1, pages + 1)}
    assert expected == {f"IN_20240425_p{n:02}.pdf" for n in range(1, 9)}
    assert names == expected | {"SHA256SUMS"}


def test_checksums_verify(demo_build: tuple[BuildResult, Path]) -> None:
    _, out = demo_build
    lines = (out / "press" / "SHA256SUMS").read_text().splitlines()
    assert [line.split("  ")[1] for line in lines] == sorted(line.split("  ")[1] for line in lines)
    for line in lines:
        digest, name = line.split("  ")
        assert hashlib.sha256((out / "press" / name).read_bytes()).hexdigest() == digest


def _rgb_in(holder: pikepdf.Object, ops: list[object], seen: set[tuple[int, int]]) -> list[str]:
    found = []
    resources = holder.get("/Resources", pikepdf.Dictionary())
    for name, space in resources.get("/ColorSpace", pikepdf.Dictionary()).items():
        if is_rgb(space):
            found.append(f"colour space {name}")
    for instruction in ops:
        op = str(getattr(instruction, "operator", ""))
        args = list(getattr(instruction, "operands", []))
        if op in ("rg", "RG") or (op in ("cs", "CS") and str(args[0]) == "/DeviceRGB"):
            found.append(op)
    for name, xobject in resources.get("/XObject", pikepdf.Dictionary()).items():
        if xobject.objgen in seen:
            continue
        seen.add(xobject.objgen)
        space = xobject.get("/ColorSpace", pikepdf.Name.DeviceGray)
        if xobject.Subtype == "/Image" and is_rgb(space):
            found.append(f"image {name}")
        if xobject.Subtype == "/Form":
            group = xobject.get("/Group", pikepdf.Dictionary())
            if is_rgb(group.get("/CS", pikepdf.Name.DeviceGray)):
                found.append(f"group of {name}")
            found += _rgb_in(xobject, list(pikepdf.parse_content_stream(xobject)), seen)
    return found


def test_each_press_file_is_a_cmyk_pdfx_page(demo_build: tuple[BuildResult, Path]) -> None:
    result, out = demo_build
    bleed = result.edition.paper.printer.bleed * PT_PER_MM
    for name, path in _press(out).items():
        if name == "SHA256SUMS":
            continue
        with pikepdf.open(path) as pdf:
            assert len(pdf.pages) == 1, name
            intent = pdf.Root.OutputIntents[0]
            assert intent.S == "/GTS_PDFX"
            profile = intent.DestOutputProfile
            assert profile.N == 4 and profile.read_bytes()[16:20] == b"CMYK"
            assert str(pdf.trailer.Info.GTS_PDFXVersion) == "PDF/X-4"
            number = int(name.split("_p")[1][:2])
            assert str(pdf.trailer.Info.Title).endswith(f" г., полоса {number}")
            assert pdf.trailer.Info.Trapped == "/False"
            assert b"pdfxid:GTS_PDFXVersion>PDF/X-4<" in pdf.Root.Metadata.read_bytes()
            page = pdf.pages[0]
            trim, bleed_box = _box(page, "/TrimBox"), _box(page, "/BleedBox")
            media = _box(page, "/MediaBox")
            assert trim[2] - trim[0] == pytest.approx(A3[0], abs=0.1)
            assert trim[3] - trim[1] == pytest.approx(A3[1], abs=0.1)
            for side in range(4):
                sign = -1 if side < 2 else 1
                assert sign * (bleed_box[side] - trim[side]) >= bleed - 0.01, (name, side)
                assert sign * (media[side] - bleed_box[side]) >= -0.01, (name, side)
            assert _rgb_in(page.obj, list(pikepdf.parse_content_stream(page)), set()) == [], name


def test_page_files_carry_only_their_own_images(demo_build: tuple[BuildResult, Path]) -> None:
    result, out = demo_build
    total = 0
    for number, plan in enumerate(result.composed.pages, start=1):
        path = out / "press" / press_name(result.edition, number, len(result.composed.pages))
        with pikepdf.open(path) as pdf:
            images = [o for o in pdf.objects
                      if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"]
        assert len(images) == sum(len(a.photos) for a in plan.articles), number
        total += path.stat().st_size
    composite = (out / f"{result.edition.key}.pdf").stat().st_size
    assert total < 2 * composite  # only the fonts repeat from page to page


def _render(path: Path, index: int, scale: float, crop_to_trim: bool) -> Image.Image:
    crop = (0.0, 0.0, 0.0, 0.0)
    if crop_to_trim:  # let PDFium crop in PDF units: no half-pixel shift from rounding
        with pikepdf.open(path) as pdf:
            pk = pdf.pages[index]
            media, trim = _box(pk, "/MediaBox"), _box(pk, "/TrimBox")
        crop = (trim[0] - media[0], trim[1] - media[1], media[2] - trim[2], media[3] - trim[3])
    doc = pdfium.PdfDocument(str(path))
    image: Image.Image = doc[index].render(scale=scale, crop=crop).to_pil().convert("RGB")
    doc.close()
    return image


def test_press_page_looks_like_the_composite(demo_build: tuple[BuildResult, Path]) -> None:
    result, out = demo_build
    composite = out / f"{result.edition.key}.pdf"
    for number in (1, 5):
        press = out / "press" / press_name(result.edition, number, len(result.composed.pages))
        a = _render(press, 0, 0.25, crop_to_trim=True)
        b = _render(composite, number - 1, 0.25, crop_to_trim=False)
        assert abs(a.width - b.width) <= 1 and abs(a.height - b.height) <= 1
        # compare at a coarse grid: half-pixel shifts of small text do not count
        size = (a.width // 10, a.height // 10)
        a, b = a.resize(size, Image.Resampling.BOX), b.resize(size, Image.Resampling.BOX)
        diff = ImageStat.Stat(ImageChops.difference(a, b)).mean
        assert max(diff) < 4, (number, diff)


def test_composite_shows_the_trimmed_page(demo_build: tuple[BuildResult, Path]) -> None:
    result, out = demo_build
    with pikepdf.open(out / f"{result.edition.key}.pdf") as pdf:
        assert len(pdf.pages) == 8
        for page in pdf.pages:
            assert _box(page, "/CropBox") == _box(page, "/TrimBox")


def test_preflight_is_quiet_on_the_demo(demo_build: tuple[BuildResult, Path]) -> None:
    result, _ = demo_build
    codes = {f.code for f in result.findings if f.severity.value == "error"}
    assert not codes & {"rgb", "ink-limit", "font-not-embedded", "transparency", "page-count",
                         "image-data"}


def test_page_count_must_fill_the_signature(demo_build: tuple[BuildResult, Path]) -> None:
    result, _ = demo_build
    _, findings = _press_files(_with_printer(result, page_multiple=3))
    errors = [f for f in findings if f.code == "page-count"]
    assert len(errors) == 1 and "add 1 page" in errors[0].message


def test_missing_profile_is_a_clear_error(demo_build: tuple[BuildResult, Path]) -> None:
    result, _ = demo_build
    files, findings = _press_files(_with_printer(result, icc="printers/nowhere.icc"))
    assert files == {}
    missing = [f for f in findings if f.code == "icc-missing"]
    assert missing and "nowhere.icc" in missing[0].message and "ISOnewspaper26v4" in \
        missing[0].message
    assert missing[0].location.path is not None
    assert missing[0].location.path.name == "newspaper.toml"


def test_x1a_flags_no_transparency_in_the_demo(demo_build: tuple[BuildResult, Path]) -> None:
    result, _ = demo_build
    files, findings = _press_files(_with_printer(result, pdf="x-1a"))
    assert not [f for f in findings if f.code == "transparency"]
    name = press_name(result.edition, 1, 8)
    with pikepdf.open(io.BytesIO(files[name])) as pdf:
        assert pdf.pdf_version == "1.4"
        assert str(pdf.trailer.Info.GTS_PDFXVersion) == "PDF/X-1a:2003"
        assert "/GTS_PDFXConformance" not in pdf.trailer.Info


def test_photos_are_cmyk_or_grey(demo_build: tuple[BuildResult, Path]) -> None:
    result, out = demo_build
    with pikepdf.open(out / "press" / press_name(result.edition, 1, 8)) as pdf:
        spaces = {str(o.ColorSpace) for o in pdf.objects
                  if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"}
    assert spaces <= {"/DeviceCMYK", "/DeviceGray"} and spaces


def test_photo_conversion_is_cmyk_grey_and_deterministic(tmp_path: Path) -> None:
    from typeset.pdf.photos import PhotoConverter

    root = Path(__file__).resolve().parents[1]
    profile = root / "printers" / "demo" / "typeset-demo-tr002.icc"
    photo = tmp_path / "red.png"
    Image.new("RGB", (40, 30), (200, 30, 30)).save(photo)
    first, second = PhotoConverter(profile.read_bytes()), PhotoConverter(profile.read_bytes())
    cmyk = first.convert(photo, grey=False)
    assert cmyk == second.convert(photo, grey=False)
    image = Image.open(io.BytesIO(cmyk))
    assert image.mode == "CMYK"
    c, m, y, _k = image.getpixel((20, 15))  # type: ignore[misc]
    assert m > c and y > c
    grey = Image.open(io.BytesIO(first.convert(photo, grey=True)))
    assert grey.mode == "L"


def test_photos_above_max_ppi_are_resampled_down_to_it() -> None:
    from typeset.pdf.photos import downsampled

    image = Image.new("RGB", (1001, 667), (90, 60, 40))
    assert downsampled(image, 1.0) is image
    smaller = downsampled(image, 0.6)
    assert smaller.size == (600, 400)  # rounded down: never above max_ppi


def test_no_photo_exceeds_max_ppi(demo_build: tuple[BuildResult, Path]) -> None:
    """pdfimages measures every photo of every press file at its placed size."""
    import shutil
    import subprocess

    if shutil.which("pdfimages") is None:
        pytest.skip("poppler-utils (pdfimages) not installed")
    result, out = demo_build
    max_ppi = result.edition.paper.printer.max_ppi
    rows = []
    for path in sorted((out / "press").glob("*.pdf")):
        listing = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True,
                                 text=True, check=True).stdout.splitlines()[2:]
        rows += [line.split() for line in listing]
    assert len(rows) == 10
    for row in rows:
        assert row[9] == "no", row  # no interpolation
        assert int(row[12]) <= max_ppi and int(row[13]) <= max_ppi, row
    assert any(int(row[12]) == max_ppi for row in rows)  # the demo's photos were resampled


def test_crop_marks_print_on_every_plate(demo_build: tuple[BuildResult, Path]) -> None:
    result, out = demo_build
    with pikepdf.open(out / "press" / press_name(result.edition, 1, 8)) as pdf:
        marks = pdf.pages[0].obj.Resources.XObject.x0
        space = marks.Resources.ColorSpace["/TSRegistration"]
        assert [str(v) for v in space[:3]] == ["/Separation", "/All", "/DeviceCMYK"]
        ops = [(str(i.operator), [str(v) for v in i.operands])
               for i in pikepdf.parse_content_stream(marks)]
        strokes = [o for o in ops if o[0] == "S"]
        assert len(strokes) == 8
        assert ("CS", ["/TSRegistration"]) in ops and not [o for o in ops if o[0] in ("K", "RG")]


def test_the_ink_limit_is_enforced(demo_build: tuple[BuildResult, Path]) -> None:
    """The demo's photos reach up to about 238 % at their 99.9th percentile: a printer at 225 %
    refuses them (an error more than 2 % above the limit), one at 237 % is warned."""
    result, _ = demo_build
    _, findings = _press_files(_with_printer(result, ink_limit=225))
    assert [f for f in findings if f.code == "ink-limit" and f.severity.value == "error"]
    _, findings = _press_files(_with_printer(result, ink_limit=237))
    ink = [f for f in findings if f.code == "ink-limit"]
    assert ink and all(f.severity.value == "warning" for f in ink)
    assert "99.9th percentile" in ink[0].message


@pytest.mark.parametrize(("pixels", "percentile", "peak"), [
    ([(0, 0, 0, 0)] * 1000, 0.0, 0.0),
    ([(255, 255, 255, 255)] + [(51, 51, 51, 51)] * 999, 80.0, 400.0),  # one pixel is noise
    ([(255, 255, 255, 255)] * 2 + [(51, 51, 51, 51)] * 998, 400.0, 400.0),  # two are not
    ([(153, 153, 102, 204)] * 1000, 240.0, 240.0),
])
def test_ink_coverage_is_exact(pixels: list[tuple[int, int, int, int]], percentile: float,
                               peak: float) -> None:
    from typeset.pdf.preflight import ink_coverage

    image = Image.new("CMYK", (len(pixels), 1))
    image.putdata(pixels)
    coverage = ink_coverage(image)
    assert coverage.percentile == pytest.approx(percentile)
    assert coverage.peak == pytest.approx(peak)
