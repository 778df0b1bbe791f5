"""Step 6a: prepress — print-ready press files, the composite PDF, preflight.

One WeasyPrint render serves every output. The photos are converted to the printer's CMYK while
WeasyPrint reads them (:func:`image_transform`); afterwards each rendered page is normalised once
(:func:`normalise`): WeasyPrint's crop marks are drawn in RGB black with a fully transparent fill,
they become 100 % K strokes; every page and form gets resources of its own holding only what its
content uses, so that a page split off the edition carries only its own fonts and images.

* :func:`make_composite`: the whole edition for layout staff, CropBox = TrimBox.
* :func:`make_press_files`: one PDF/X-4 (or PDF/X-1a) file per page plus ``SHA256SUMS``, with the
  preflight of :mod:`typeset.preflight`.

Every output is deterministic: no clock, fixed document IDs, the dates of the edition.
"""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import pikepdf
import PIL
from PIL import Image, ImageCms, ImageOps

from .errors import Finding, error

if TYPE_CHECKING:
    from .build import BuildResult
    from .manifest import Edition

PT_PER_MM = 72 / 25.4
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp"}
JPEG_QUALITY = 92
PROFILE_HELP = ("ask the printing house for its CMYK output profile (for coldset newsprint usually "
                "ISOnewspaper26v4 from WAN-IFRA / ECI, www.eci.org), put it there, or remove "
                "'icc' from [printer]")
PDFX_VERSION = {"x-4": "PDF/X-4", "x-1a": "PDF/X-1:2001"}
PDF_VERSION = {"x-4": "1.6", "x-1a": "1.4"}


# --- the printer's profile ----------------------------------------------------------------------

def profile_path(edition: Edition) -> Path | None:
    icc = edition.paper.printer.icc
    return (edition.root / icc) if icc else None


def load_profile(edition: Edition) -> tuple[bytes | None, list[Finding]]:
    """The printer's ICC profile bytes, or a finding saying why there are none."""
    path = profile_path(edition)
    toml = edition.root / "newspaper.toml"
    if path is None:
        return None, [error("icc-missing", "[printer] names no CMYK output profile ('icc'); press "
                            f"files need the printer's profile: {PROFILE_HELP}", toml)]
    if not path.is_file():
        return None, [error("icc-missing", f"the printer profile {path} ([printer] icc) does not "
                            f"exist: {PROFILE_HELP}", toml)]
    data = path.read_bytes()
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(data))
    except (OSError, ImageCms.PyCMSError) as exc:
        return None, [error("icc-invalid", f"{path} is not a readable ICC profile: {exc}", toml)]
    if profile.profile.xcolor_space.strip() != "CMYK":
        return None, [error("icc-invalid", f"{path} is a {profile.profile.xcolor_space.strip()} "
                            "profile; the printer's CMYK output profile is needed", toml)]
    return data, []


# --- photos: RGB -> printer CMYK (or grey on black-only pages) --------------------------------

def photo_pages(edition: Edition) -> dict[str, int]:
    """Page number of each photo (by its path relative to the edition folder): photos print
    with the first placement of their article."""
    pages: dict[str, int] = {}
    for number, spec in enumerate(edition.manifest.pages, start=1):
        for placement in spec.articles:
            article = edition.articles.get(placement.slug)
            if article is None or placement.continued:
                continue
            for photo in article.meta.photos:
                pages.setdefault(photo.src.replace("\\", "/"), number)
    return pages


def grey_photos(edition: Edition) -> Callable[[str], bool]:
    """Whether a photo (by its path relative to the edition folder) is served grey: it prints
    on a page in the printer's ``black_only_pages``."""
    pages = photo_pages(edition)
    black_only = set(edition.paper.printer.black_only_pages)
    return lambda src: pages.get(src.replace("\\", "/"), 0) in black_only


class PhotoConverter:
    """Converts photos with one output profile; results cached by (path, mtime, profile)."""

    def __init__(self, profile: bytes, cache_dir: Path | None = None) -> None:
        self.digest = hashlib.sha256(profile).hexdigest()
        self.cache_dir = cache_dir
        """Converted photos on disk, keyed by the source's bytes, the profile and Pillow's
        version: a rebuild does not convert an unchanged photo again."""
        self.output = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        self.srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
        self.cache: dict[tuple[str, int, str, bool], bytes] = {}
        self._grey_lut: list[int] | None = None

    def _source(self, image: Image.Image) -> ImageCms.ImageCmsProfile:
        embedded = image.info.get("icc_profile")
        if embedded:
            try:
                profile = ImageCms.ImageCmsProfile(io.BytesIO(embedded))
                if profile.profile.xcolor_space.strip() == "RGB":
                    return profile
            except (OSError, ImageCms.PyCMSError):
                pass
        return self.srgb

    def to_cmyk(self, image: Image.Image) -> Image.Image:
        transform = ImageCms.buildTransform(
            self._source(image), self.output, "RGB", "CMYK",
            renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
            flags=ImageCms.Flags.BLACKPOINTCOMPENSATION)
        return _applied(image, transform)

    def grey_lut(self) -> list[int]:
        """L* (0–255) -> DeviceGray value printing that lightness with K alone on this press
        (the profile's K ramp: takes the dot gain of newsprint into account)."""
        if self._grey_lut is None:
            ramp = Image.new("CMYK", (256, 1))
            ramp.putdata([(0, 0, 0, k) for k in range(256)])
            to_lab = ImageCms.buildTransform(self.output, ImageCms.createProfile("LAB"),
                                             "CMYK", "LAB")
            lab = _applied(ramp, to_lab).getchannel("L")
            lightness = [int(lab.getpixel((i, 0)) or 0) for i in range(256)]  # type: ignore[arg-type]
            darkest = min(lightness)
            lut = []
            for value in range(256):
                # black point compensation: the photo's black becomes solid K
                target = darkest + value * (255 - darkest) / 255
                k = min(range(256), key=lambda i: (abs(lightness[i] - target), i))
                lut.append(255 - k)
            self._grey_lut = lut
        return self._grey_lut

    def to_grey(self, image: Image.Image) -> Image.Image:
        transform = ImageCms.buildTransform(self._source(image), ImageCms.createProfile("LAB"),
                                            "RGB", "LAB")
        return _applied(image, transform).getchannel("L").point(self.grey_lut())

    def convert(self, path: Path, grey: bool) -> bytes:
        key = (str(path), path.stat().st_mtime_ns, self.digest, grey)
        cached = self.cache.get(key)
        if cached is None and self.cache_dir is not None:
            cached = self._from_disk(path, grey)
            if cached is not None:
                self.cache[key] = cached
        if cached is None:
            with Image.open(path) as original:
                image = ImageOps.exif_transpose(original)
                if image.mode == "CMYK" and not grey:
                    result = image
                else:
                    if image.mode in ("RGBA", "LA", "P", "PA") or "transparency" in image.info:
                        rgba = image.convert("RGBA")
                        image = Image.new("RGB", rgba.size, (255, 255, 255))
                        image.paste(rgba, mask=rgba.getchannel("A"))
                    elif image.mode != "RGB":
                        image = image.convert("RGB")
                    image.info.setdefault("icc_profile", original.info.get("icc_profile"))
                    result = self.to_grey(image) if grey else self.to_cmyk(image)
                out = io.BytesIO()
                result.save(out, "JPEG", quality=JPEG_QUALITY, optimize=False, subsampling=0)
                cached = self.cache[key] = out.getvalue()
                self._to_disk(path, grey, cached)
        return cached

    def _disk_path(self, path: Path, grey: bool) -> Path | None:
        if self.cache_dir is None:
            return None
        seed = hashlib.sha256(path.read_bytes()).hexdigest() + self.digest + str(grey)
        seed += f"{JPEG_QUALITY}|{PIL.__version__}"
        return self.cache_dir / f"{hashlib.sha256(seed.encode()).hexdigest()[:32]}.jpg"

    def _from_disk(self, path: Path, grey: bool) -> bytes | None:
        target = self._disk_path(path, grey)
        try:
            return target.read_bytes() if target is not None and target.is_file() else None
        except OSError:
            return None

    def _to_disk(self, path: Path, grey: bool, data: bytes) -> None:
        target = self._disk_path(path, grey)
        if target is None:
            return
        from .outputs import write_cache_file
        write_cache_file(target, data)


def _applied(image: Image.Image, transform: ImageCms.ImageCmsTransform) -> Image.Image:
    converted = ImageCms.applyTransform(image, transform)
    assert converted is not None  # None only when converting in place
    return converted


def image_transform(edition: Edition) -> Callable[[Path], tuple[bytes, str] | None] | None:
    """What the fetcher serves instead of an edition image (CMYK conversion), or None.

    Photos of pages in ``black_only_pages`` become grey (DeviceGray prints on the K plate only);
    the page of a photo is the page of its article's first placement. Without a usable profile
    nothing is converted: the press step then reports the missing profile.
    """
    profile, _ = load_profile(edition)
    if profile is None:
        return None
    cache = None if os.environ.get("TYPESET_NO_CACHE") else edition.root / "build" / ".cache"
    converter = PhotoConverter(profile, cache / "photos" if cache else None)
    folder = edition.folder.resolve()
    grey_photo = grey_photos(edition)

    def transform(path: Path) -> tuple[bytes, str] | None:
        resolved = path.resolve()
        if resolved.suffix.lower() not in IMAGE_SUFFIXES or folder not in resolved.parents:
            return None
        return converter.convert(resolved, grey_photo(resolved.relative_to(folder).as_posix())
                                 ), "image/jpeg"

    return transform


# --- normalising the rendered PDF --------------------------------------------------------------

Ops = list[pikepdf.ContentStreamInstruction | pikepdf.ContentStreamInlineImage]
NAMED_RESOURCES = {"Tf": "/Font", "Do": "/XObject", "gs": "/ExtGState", "cs": "/ColorSpace",
                   "CS": "/ColorSpace", "sh": "/Shading"}
NO_FILL = {"B": "S", "B*": "S", "b": "s", "b*": "s", "f": "n", "F": "n", "f*": "n"}


def _num(value: object) -> float:
    return float(value)  # type: ignore[arg-type]


def _grey_rgb(operands: Sequence[object]) -> float | None:
    """The grey level of an RGB colour whose three components are equal, else None."""
    values = [_num(v) for v in operands]
    return values[0] if len(values) == 3 and max(values) - min(values) < 1e-6 else None


def rewrite_content(ops: Ops, resources: pikepdf.Object) -> tuple[Ops, bool]:
    """RGB greys -> K; paths painted with a fully transparent fill are stroked only (WeasyPrint
    draws crop marks so). Returns the new operators and whether anything changed."""
    states = resources.get("/ExtGState", pikepdf.Dictionary())
    out: Ops = []
    changed = False
    fill_alpha, stack = 1.0, []
    for instruction in ops:
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            out.append(instruction)
            continue
        operands, op = list(instruction.operands), str(instruction.operator)
        if op == "q":
            stack.append(fill_alpha)
        elif op == "Q" and stack:
            fill_alpha = stack.pop()
        elif op == "gs" and str(operands[0]) in states:
            state = states[str(operands[0])]
            if "/ca" in state and set(state.keys()) <= {"/ca", "/Type"} and _num(state.ca) == 0:
                fill_alpha, changed = 0.0, True
                continue
        elif op in ("rg", "RG") and (grey := _grey_rgb(operands)) is not None:
            operands = [pikepdf.Object.parse(b"0")] * 3 + [
                pikepdf.Object.parse(f"{1 - grey:.4f}".encode())]
            op, changed = ("k" if op == "rg" else "K"), True
        elif op in NO_FILL and fill_alpha == 0:
            op, changed = NO_FILL[op], True
        out.append(pikepdf.ContentStreamInstruction(operands, pikepdf.Operator(op)))
    return out, changed


def used_names(ops: Ops) -> dict[str, set[str]]:
    used: dict[str, set[str]] = {}
    for instruction in ops:
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            continue
        op, operands = str(instruction.operator), instruction.operands
        kind = NAMED_RESOURCES.get(op)
        if kind and operands and isinstance(operands[0], pikepdf.Name):
            used.setdefault(kind, set()).add(str(operands[0]))
        elif op in ("scn", "SCN") and operands and isinstance(operands[-1], pikepdf.Name):
            used.setdefault("/Pattern", set()).add(str(operands[-1]))
    return used


def _own_resources(pdf: pikepdf.Pdf, resources: pikepdf.Object, ops: Ops
                   ) -> pikepdf.Dictionary:
    """A resource dictionary with only what ``ops`` names (WeasyPrint shares one for all)."""
    own = pikepdf.Dictionary()
    for kind, names in sorted(used_names(ops).items()):
        if kind not in resources:
            continue
        source = resources[kind]
        subset = pikepdf.Dictionary({n: source[n] for n in sorted(names) if n in source})
        if len(subset):
            own[kind] = subset
    for key in ("/Properties", "/ProcSet"):
        if key in resources:
            own[key] = resources[key]
    return own


def _normalise_stream(pdf: pikepdf.Pdf, holder: pikepdf.Object, data: bytes,
                      done: set[tuple[int, int]]) -> bytes:
    resources = holder.get("/Resources", pikepdf.Dictionary())
    ops: Ops = list(pikepdf.parse_content_stream(pikepdf.Stream(pdf, data)))
    ops, _ = rewrite_content(ops, resources)
    own = _own_resources(pdf, resources, ops)
    for xobject in own.get("/XObject", pikepdf.Dictionary()).values():
        if xobject.get("/Subtype") == "/Form" and xobject.objgen not in done:
            done.add(xobject.objgen)
            form_data = _normalise_stream(pdf, xobject, xobject.read_bytes(), done)
            xobject.write(form_data)
            if "/Group" in xobject and not _has_transparency(xobject):
                del xobject["/Group"]
            elif "/Group" in xobject:
                xobject.Group.CS = pikepdf.Name.DeviceCMYK
    holder.Resources = own
    return pikepdf.unparse_content_stream(ops)


def _has_transparency(xobject: pikepdf.Object) -> bool:
    from .preflight import transparency_in
    return bool(transparency_in(xobject.get("/Resources", pikepdf.Dictionary())))


def normalise(pdf: pikepdf.Pdf) -> None:
    """Fix WeasyPrint's RGB crop marks and give every page and form its own resources."""
    done: set[tuple[int, int]] = set()
    for page in pdf.pages:
        page.contents_coalesce()
        data = _normalise_stream(pdf, page.obj, page.obj.Contents.read_bytes(), done)
        page.obj.Contents = pikepdf.Stream(pdf, data)
        if "/Group" in page.obj:
            page.obj.Group.CS = pikepdf.Name.DeviceCMYK


def set_boxes(page: pikepdf.Page, result: BuildResult, crop_to_trim: bool) -> list[Finding]:
    """TrimBox = the layout's page size, BleedBox = trim + the printer's bleed exactly."""
    config = result.layout.config
    width, height = config.page_width * PT_PER_MM, config.page_height * PT_PER_MM
    bleed = result.edition.paper.printer.bleed * PT_PER_MM
    trim = [_num(v) for v in page.obj.get("/TrimBox", page.obj.MediaBox)]
    findings = []
    if abs(trim[2] - trim[0] - width) > 0.5 or abs(trim[3] - trim[1] - height) > 0.5:
        findings.append(error("trim-size", f"the rendered page is {trim[2] - trim[0]:.1f} × "
                              f"{trim[3] - trim[1]:.1f} pt, the layout says {width:.1f} × "
                              f"{height:.1f} pt", result.layout.folder / "layout.toml"))
    x, y = trim[0], trim[1]
    trim_box = [x, y, x + width, y + height]
    bleed_box = [x - bleed, y - bleed, x + width + bleed, y + height + bleed]
    media = [_num(v) for v in page.obj.MediaBox]
    media = [min(media[0], bleed_box[0]), min(media[1], bleed_box[1]),
             max(media[2], bleed_box[2]), max(media[3], bleed_box[3])]

    def box(values: list[float]) -> pikepdf.Array:
        return pikepdf.Array([Decimal(f"{v:.4f}") for v in values])

    page.obj.MediaBox = box(media)
    page.obj.TrimBox = box(trim_box)
    page.obj.BleedBox = box(bleed_box)
    if crop_to_trim:
        page.obj.CropBox = box(trim_box)
    elif "/CropBox" in page.obj:
        del page.obj["/CropBox"]
    return findings


def normalise_page(data: bytes) -> bytes:
    """One rendered page (a PDF of its own), normalised."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        normalise(pdf)
        out = io.BytesIO()
        pdf.save(out, compress_streams=True, deterministic_id=True)
        return out.getvalue()


def open_normalised(result: BuildResult) -> pikepdf.Pdf:
    """The composite of the normalised pages (:func:`typeset.pages.merge`), opened afresh for
    each output."""
    return pikepdf.open(io.BytesIO(result.pdf))


def document_id(result: BuildResult, kind: str) -> bytes:
    """A stable 16-byte document ID from the paper, the edition and the kind of output."""
    edition = result.edition
    seed = f"{edition.paper.title}|{edition.paper.code}|{edition.key}|{kind}"
    return hashlib.md5(seed.encode(), usedforsecurity=False).digest()


def save(pdf: pikepdf.Pdf, doc_id: bytes, version: str | None = None, *,
         object_streams: bool = True) -> bytes:
    """Deterministic bytes: /ID[0] ours, /ID[1] a hash of the content; qpdf writes no dates."""
    pdf.trailer.ID = pikepdf.Array([pikepdf.String(doc_id), pikepdf.String(doc_id)])
    out = io.BytesIO()
    mode = (pikepdf.ObjectStreamMode.generate if object_streams
            else pikepdf.ObjectStreamMode.disable)
    pdf.save(out, deterministic_id=True, compress_streams=True, object_stream_mode=mode,
             stream_decode_level=pikepdf.StreamDecodeLevel.none,  # compressed once, kept
             force_version=version or "", fix_metadata_version=False)
    return out.getvalue()


def make_composite(result: BuildResult) -> bytes:
    """The whole-edition PDF for layout staff: trimmed page shown, deterministic."""
    with open_normalised(result) as pdf:
        for page in pdf.pages:
            set_boxes(page, result, crop_to_trim=True)
        return save(pdf, document_id(result, "composite"))


def check_plan(result: BuildResult) -> list[Finding]:
    """The preflight that needs no PDF (``typeset check``): the printer's profile, the page
    count against the press signature, and the effective resolution of every photo."""
    from .preflight import resolution_findings

    _, findings = load_profile(result.edition)
    findings.extend(page_count_findings(result, len(result.composed.pages)))
    return findings + resolution_findings(result)


def page_count_findings(result: BuildResult, count: int) -> list[Finding]:
    """The page count must fill the press's signatures (``page_multiple``)."""
    multiple = result.edition.paper.printer.page_multiple
    if count % multiple == 0:
        return []
    add = multiple - count % multiple
    return [error("page-count", f"the edition has {count} pages; the press needs a multiple of "
                  f"{multiple}: add {add} page{'s' if add > 1 else ''} (or remove "
                  f"{count % multiple})", result.edition.folder / "issue.toml")]


def make_press_files(result: BuildResult) -> tuple[dict[str, bytes], list[Finding]]:
    """One print-ready PDF per page, named by the printer's pattern, plus SHA256SUMS.

    The page workers made each page's press file and preflight as they rendered it
    (:func:`press_page`); they are made here only when the printer's settings changed since.
    """
    from .preflight import resolution_findings

    profile, findings = load_profile(result.edition)
    count = len(result.pages)
    findings.extend(page_count_findings(result, count))
    pages: dict[int, bytes] = {}
    profile_sha = profile_digest(profile)
    for page in result.pages:
        if page.press_key == press_key(result, page.number, profile_sha):
            data, found = page.press, page.press_findings
        else:
            data, found = press_page(result, page.pdf, page.number, profile)
        findings.extend(found)
        if data is not None:
            pages[page.number] = data
    findings.extend(resolution_findings(result))
    if profile is None:
        return {}, findings
    files = {press_name(result, number, count): data for number, data in pages.items()}
    sums = "".join(f"{hashlib.sha256(files[n]).hexdigest()}  {n}\n" for n in sorted(files))
    files["SHA256SUMS"] = sums.encode()
    return files, findings


def profile_digest(profile: bytes | None) -> str:
    return hashlib.sha256(profile or b"").hexdigest()


def press_key(result: BuildResult, number: int, profile_sha: str) -> str:
    """Everything page ``number``'s press file depends on besides the page itself
    (``profile_sha``: the :func:`profile_digest` of the printer's profile)."""
    from .archive import Metadata

    config = result.layout.config
    seed = "|".join([result.edition.paper.model_dump_json(), result.edition.key,
                     repr(Metadata.of(result, f"page {number}")),
                     f"{config.page_width}x{config.page_height}", profile_sha])
    return hashlib.sha256(seed.encode()).hexdigest()


def press_page(result: BuildResult, pdf: bytes, number: int, profile: bytes | None
               ) -> tuple[bytes | None, list[Finding]]:
    """The press file of one normalised page (None without a profile), and its preflight."""
    from .preflight import preflight_page

    with pikepdf.open(io.BytesIO(pdf)) as source:
        page = source.pages[0]
        findings = set_boxes(page, result, crop_to_trim=False)
        if "/Annots" in page.obj:
            del page.obj["/Annots"]  # links do not print; PDF/X wants none on the page
        findings.extend(preflight_page(page, result, number))
        data = None if profile is None else _press_page(result, page, number, profile)
    return data, findings


def press_name(result: BuildResult, page: int, pages: int) -> str:
    edition = result.edition
    manifest = edition.manifest
    return edition.paper.printer.name.format(
        code=edition.paper.code, year=edition.year, number=edition.number,
        total=manifest.total or 0, date=manifest.date, page=page, pages=pages)


def _press_page(result: BuildResult, page: pikepdf.Page, number: int, profile: bytes) -> bytes:
    """One page as PDF/X: the page (its own resources only), OutputIntent, Info, XMP."""
    from .archive import Metadata, xmp_packet

    printer = result.edition.paper.printer
    flavour = printer.pdf
    with pikepdf.new() as pdf:
        pdf.pages.append(page)
        icc = pikepdf.Stream(pdf, profile)
        icc.N = 4
        icc.Alternate = pikepdf.Name.DeviceCMYK
        condition = printer.icc_name or "Custom"
        pdf.Root.OutputIntents = pikepdf.Array([pikepdf.Dictionary(
            Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFX,
            OutputConditionIdentifier=pikepdf.String(condition),
            OutputCondition=pikepdf.String(condition), Info=pikepdf.String(condition),
            RegistryName=pikepdf.String("http://www.color.org"),
            DestOutputProfile=pdf.make_indirect(icc))])
        meta = Metadata.of(result, f"page {number}")
        pdf.trailer.Info = pdf.make_indirect(meta.info(
            GTS_PDFXVersion=pikepdf.String(PDFX_VERSION[flavour]),
            Trapped=pikepdf.Name("/False")))
        if flavour == "x-1a":
            pdf.trailer.Info.GTS_PDFXConformance = pikepdf.String("PDF/X-1a:2001")
        packet = xmp_packet(meta, pdfx=PDFX_VERSION[flavour])
        stream = pikepdf.Stream(pdf, packet)
        stream.Type, stream.Subtype = pikepdf.Name.Metadata, pikepdf.Name.XML
        pdf.Root.Metadata = pdf.make_indirect(stream)
        pdf.Root.Lang = pikepdf.String(result.edition.paper.language)
        return save(pdf, document_id(result, f"press-{number}"), PDF_VERSION[flavour],
                    object_streams=flavour != "x-1a")
