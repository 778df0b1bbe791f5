"""The pipeline, step by step; the same numbers appear in the progress output and the README.

1. Load the manifest (newspaper.toml, issue.toml)          :mod:`typeset.source.manifest`
2. Read the articles, applying Russian typography          :mod:`typeset.source.articles`
3. Check the layout, its fonts and every glyph              :mod:`typeset.source.layouts`
4. Lay out the pages: measure, place, copyfit, continue     :mod:`typeset.compose`
5. Render the pages with WeasyPrint, cached, in parallel    :mod:`typeset.app.pages`
6. Prepress and preflight: press files, archive file        :mod:`typeset.pdf`
7. Write the outputs, all or nothing                        :mod:`typeset.app.outputs`

Everything is gathered and checked before anything is written: a failed build raises
:class:`~typeset.core.errors.EditionError` and leaves earlier outputs untouched.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import pikepdf

from ..compose.edition import EditionLayout, lay_out_edition
from ..compose.furniture import Imprint, Masthead
from ..compose.paragraphs import ParagraphComposer
from ..core.cache import Cache, Discard, take_discarded
from ..core.errors import EditionError, Finding, Findings, Severity, TypesetError, error
from ..pdf.ad_preflight import preflight_ads
from ..pdf.archive import make_archive
from ..pdf.photos import PhotoTransform, image_transform
from ..pdf.preflight import plan_findings
from ..pdf.press import make_press_files
from ..pdf.writer import make_composite
from ..render.engine import Renderer
from ..render.html import ad_markup_findings, press_css, render_html
from ..render.measuring import WeasyMeasurer
from ..source.fonts import check_text, covered, unexpected_fonts
from ..source.layouts import Layout, load_layout
from ..source.manifest import Edition, find_root, layout_reference, load_edition
from ..typography import Hyphenator, install, typeset_text
from .outputs import json_bytes
from .pages import RenderedPage, merge, render_pages
from .report import Report, make_report

Progress = Callable[[int, str], None]


def _quiet(step: int, message: str) -> None:
    pass


@dataclass
class BuildResult:
    edition: Edition
    layout: Layout
    composed: EditionLayout
    pdf: bytes
    """Every page, normalised for print, merged with each font once: the composite and the
    archive file are made from it (empty for ``typeset check``)."""
    findings: list[Finding] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    """Every output by its path relative to the output folder."""
    report: Report | None = None
    pages: list[RenderedPage] = field(default_factory=list)
    """Every page alone, with its press file and preflight (see :mod:`typeset.app.pages`)."""
    discarded: list[Discard] = field(default_factory=list)
    """Cache entries found unusable and made again (:mod:`typeset.core.cache`)."""


def prepare(issue_dir: Path, progress: Progress = _quiet, *, strict: bool = True
            ) -> tuple[Edition, Layout, Renderer]:
    """Steps 1–3: load and check everything an edition needs.

    ``strict``: raise :class:`EditionError` when steps 1–3 found errors; else they are in the
    edition's findings, so that laying out can report its own (overset) beside them. It raises
    all the same when there is nothing to lay out (an unreadable issue.toml, a missing
    layout), with every error found until then."""
    progress(1, "Loading the manifest")
    progress(2, "Reading the articles")
    ruleset = typography_of(issue_dir)
    edition = load_edition(issue_dir, partial(typeset_text, ruleset=ruleset), strict=False,
                           typo_key=f"typography {ruleset}")
    progress(3, "Checking the layout and glyphs")
    found = Findings()
    found.extend(edition.findings)
    try:
        layout = load_layout(edition.root, edition.layout_ref, edition.folder / "issue.toml")
    except EditionError as exc:
        found.extend(exc.findings)
        raise EditionError(found) from None
    hyphenator = hyphenator_of(layout)
    if hyphenator is not None:
        install(hyphenator)
    found.extend(_glyph_findings(edition, layout))
    if strict:
        found.raise_if_errors()
    edition.findings = list(found)
    renderer = Renderer(edition.folder, layout.folder, layout.css, image_transform(edition))
    return edition, layout, renderer


_HYPHENATORS: dict[tuple[Path, tuple[tuple[str, int, int], ...]], Hyphenator] = {}


def hyphenator_of(layout: Layout) -> Hyphenator | None:
    """The layout's hyphenation patterns, read once per process while their files stay as they
    are (WeasyPrint's hyphenation and the composer's share them)."""
    folder = layout.folder / "hyphenation"
    if not folder.is_dir():
        return None
    files = tuple(sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size)
                         for p in folder.iterdir() if p.is_file()))
    found = _HYPHENATORS.get((folder, files))
    if found is None:  # parsing the patterns takes a tenth of a second: cached by their bytes
        contents = tuple(p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file())
        found = _HYPHENATORS[(folder, files)] = Cache.of(layout.folder.parents[1]).remembered(
            "hyphenation", (str(folder), *(name for name, _, _ in files), *contents),
            lambda: Hyphenator.from_folder(folder), lambda v: isinstance(v, Hyphenator))
    return found


def typography_of(issue_dir: Path) -> int:
    """The typography rule set of the layout an edition names (1 when the layout cannot be
    read: loading the edition then says what is wrong with it)."""
    ref = layout_reference(issue_dir)
    if ref is None:
        return 1
    try:
        return load_layout(find_root(issue_dir.resolve()), ref).config.typography
    except TypesetError:
        return 1


def _glyph_findings(edition: Edition, layout: Layout) -> list[Finding]:
    """Every character printed must be in the layout's own fonts (or its fallback)."""
    text_fonts, fallback = layout.text_font_files, layout.fallback_font_files
    found = [error("fallback-font", f"fallback font '{pattern}' of layout {layout.ref} matches "
                   "no file; put the font in fonts/ or fix fallback_fonts",
                   layout.folder / "layout.toml")
             for pattern in layout.config.fallback_fonts if not any(layout.folder.glob(pattern))]
    if not text_fonts:
        return [*found, error("no-fonts", f"layout {layout.ref} ships no fonts in fonts/",
                              layout.folder / "layout.toml")]
    covered(text_fonts, fallback, Cache.of(edition.root))  # each font's glyphs read once
    for slug, article in edition.articles.items():
        found.extend(check_text(article.text(), text_fonts, article.path, f"article '{slug}'",
                                fallback))
    paper = edition.paper
    furniture = " ".join([paper.title, paper.subtitle, paper.founder, paper.editor,
                          paper.address, paper.registration, paper.price, paper.age_mark,
                          *Masthead.of(edition).texts(), *Imprint.of(edition).texts()])
    found.extend(check_text(furniture, text_fonts, edition.root / "newspaper.toml", "imprint",
                            fallback))
    if any(page.ads for page in edition.manifest.pages):
        found.extend(check_text(paper.ads.label, text_fonts, edition.root / "newspaper.toml",
                                "the ads' label", fallback))
    return found


def build_edition(issue_dir: Path, progress: Progress = _quiet, *, write_pdf: bool = True,
                  strict: bool = True, render_with_errors: bool = False,
                  on_page: Callable[[int, int], None] | None = None) -> BuildResult:
    """Steps 1–6 in memory; :func:`typeset.app.outputs.write_outputs` does step 7.

    ``strict``: raise :class:`EditionError` when the edition has errors (else they are in the
    result's findings). Pages are not rendered when laying them out already found errors,
    unless ``render_with_errors`` (a preview of the pages as they stand)."""
    take_discarded()  # what an earlier build in this process (watch) found is told already
    edition, layout, renderer = prepare(issue_dir, progress, strict=False)
    found = Findings()
    found.extend(edition.findings)
    sources_ok = not found.has_errors
    progress(4, "Laying out the pages")  # with errors too: an overset is one of them
    paragraphs = None
    if layout.config.justification is not None:  # typeset breaks the body lines itself
        paragraphs = ParagraphComposer(layout, Cache.of(edition.root), hyphenator_of(layout),
                                       edition.key)
    composed = lay_out_edition(edition, layout, WeasyMeasurer(edition, layout, renderer),
                               paragraphs)
    if isinstance(renderer.image_transform, PhotoTransform):
        renderer.image_transform.place(composed.pages)  # photos above max_ppi: resampled
    found.extend(_not_following_from_plan_errors(composed.findings, edition))
    # the advertisers' files as they were sent, and the layout's markup for them: no rendering
    found.extend(preflight_ads(edition, composed.pages))
    found.extend(ad_markup_findings(edition, layout, composed.pages))
    result = BuildResult(edition, layout, composed, b"")
    # errors stop before rendering; a preview shows the pages with layout errors (overset),
    # never with broken sources (a photo that does not decode, a missing article)
    render = write_pdf and ((render_with_errors and sources_ok) or not found.has_errors)
    if render:
        progress(5, "Rendering with WeasyPrint")
        result.pages = render_pages(
            edition, layout, composed.pages, renderer,
            lambda plan: render_html(edition, layout, [plan]), press_css(edition),
            _identifier(edition), on_page)
        for page in result.pages:
            found.extend(page.findings)
        result.pdf = merge(result.pages, edition, layout)
        found.extend(_font_findings(result.pdf, layout))
    found.extend(renderer.findings)
    # once each: forked workers inherit what this process had found before they started
    result.discarded = list(dict.fromkeys(
        [*take_discarded(), *(d for page in result.pages for d in page.discarded)]))
    if not render:  # typeset check, or errors already: the preflight that needs no PDF
        found.extend(plan_findings(edition, composed.pages))
    result.findings = list(found)
    if found.has_errors and strict:
        raise EditionError(found)
    return result


def _not_following_from_plan_errors(findings: list[Finding], edition: Edition) -> list[Finding]:
    """The layout's findings, but for those about articles on a page whose plan had errors
    (laid out without the values in error, what it finds there would only follow from them)."""
    if not edition.pages_in_error:
        return findings
    doubtful = {placement.slug for number, page in enumerate(edition.manifest.pages, start=1)
                if number in edition.pages_in_error for placement in page.articles}
    return [f for f in findings if f.article not in doubtful
            and f.page not in edition.pages_in_error]


def _identifier(edition: Edition) -> bytes:
    seed = f"{edition.paper.title}|{edition.year}|{edition.number}|typeset"
    return hashlib.md5(seed.encode(), usedforsecurity=False).hexdigest().encode()


def _font_findings(pdf: bytes, layout: Layout) -> list[Finding]:
    names: list[str] = []
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            resources = page.obj.get("/Resources", pikepdf.Dictionary())
            fonts = resources.get("/Font", pikepdf.Dictionary())
            names.extend(str(fonts[key].get("/BaseFont", "")) for key in fonts.keys())  # noqa: SIM118 - pikepdf keys are names
    return [error("font-substituted", f"the PDF uses font '{name}', which is not one of layout "
                  f"{layout.ref}'s fonts: some character fell back to a system font",
                  layout.folder / "fonts")
            for name in unexpected_fonts(names, layout.font_files, layout.families)]


def collect_outputs(result: BuildResult, progress: Progress = _quiet) -> dict[str, bytes]:
    """Step 6: every output file of the edition, in memory, keyed by its relative path."""
    edition, layout = result.edition, result.layout
    progress(6, "Prepress and preflight")
    files: dict[str, bytes] = {f"{edition.key}.pdf": make_composite(result.pdf, edition, layout)}
    press_files, findings = make_press_files(edition, layout, result.composed.pages,
                                             result.pages)
    files.update({f"press/{name}": data for name, data in press_files.items()})
    files[f"archive/{edition.key}.pdf"] = make_archive(result.pdf, edition, layout,
                                                       result.composed.pages)
    result.findings.extend(findings)
    if any(f.severity is Severity.ERROR for f in findings):
        raise EditionError(result.findings)
    progress(7, "Writing the outputs")
    report = make_report(edition, layout, result.composed, result.findings,
                         sorted([*files, "report.json"]))
    files["report.json"] = json_bytes(report.as_json())
    result.files = files
    result.report = report
    return files
