"""The pipeline, step by step; the same numbers appear in the progress output and the README.

1. Load the manifest (newspaper.toml, issue.toml)          :mod:`typeset.manifest`
2. Read the articles, applying Russian typography          :mod:`typeset.articles`
3. Check the layout, its fonts and every glyph              :mod:`typeset.layouts`, :mod:`fonts`
4. Lay out the pages: measure, place, copyfit, continue     :mod:`typeset.layout`
5. Render the pages with WeasyPrint, cached, in parallel    :mod:`typeset.pages`
6. Prepress and preflight: press files, archive file        :mod:`typeset.press`
7. Write the outputs, all or nothing                        :mod:`typeset.outputs`

Everything is gathered and checked before anything is written: a failed build raises
:class:`~typeset.errors.EditionError` and leaves earlier outputs untouched.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pikepdf

from .compose import PagePlan
from .errors import EditionError, Finding, Findings, error
from .fonts import check_text, unexpected_fonts
from .layout import EditionLayout, imprint_data, lay_out_edition, masthead_data
from .layouts import Layout, load_layout
from .manifest import Edition, load_edition
from .render import Renderer
from .typography import Hyphenator, install, typeset_text

if TYPE_CHECKING:
    from .pages import RenderedPage

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
    report: dict[str, Any] = field(default_factory=dict)
    pages: list[RenderedPage] = field(default_factory=list)
    """Every page alone, with its press file and preflight (see :mod:`typeset.pages`)."""


def prepare(issue_dir: Path, progress: Progress = _quiet) -> tuple[Edition, Layout, Renderer]:
    """Steps 1–3: load and check everything an edition needs."""
    progress(1, "Loading the manifest")
    progress(2, "Reading the articles")
    edition = load_edition(issue_dir, typeset_text)
    progress(3, "Checking the layout and glyphs")
    layout = load_layout(edition.root, edition.layout_ref, edition.folder / "issue.toml")
    hyphenation = layout.folder / "hyphenation"
    if hyphenation.is_dir():
        install(Hyphenator.from_folder(hyphenation))
    found = Findings()
    found.extend(edition.findings)
    text_fonts, fallback = layout.text_font_files, layout.fallback_font_files
    for pattern in layout.config.fallback_fonts:
        if not any(layout.folder.glob(pattern)):
            found.add(error("fallback-font", f"fallback font '{pattern}' of layout {layout.ref} "
                            "matches no file; put the font in fonts/ or fix fallback_fonts",
                            layout.folder / "layout.toml"))
    if not text_fonts:
        found.add(error("no-fonts", f"layout {layout.ref} ships no fonts in fonts/",
                        layout.folder / "layout.toml"))
    else:
        for slug, article in edition.articles.items():
            found.extend(check_text(article.text(), text_fonts, article.path,
                                    f"article '{slug}'", fallback))
        paper = edition.paper
        furniture = " ".join([paper.title, paper.subtitle, paper.founder, paper.editor,
                              paper.address, paper.registration, paper.price, paper.age_mark,
                              *masthead_data(edition).values(),
                              *(str(v) for v in imprint_data(edition).values() if v)])
        found.extend(check_text(furniture, text_fonts, edition.root / "newspaper.toml",
                                "imprint", fallback))
    found.raise_if_errors()
    from .press import image_transform
    renderer = Renderer(edition.folder, layout.folder, layout.css, image_transform(edition))
    return edition, layout, renderer


def build_edition(issue_dir: Path, progress: Progress = _quiet, *, write_pdf: bool = True,
                  strict: bool = True, render_with_errors: bool = False,
                  on_page: Callable[[int, int], None] | None = None) -> BuildResult:
    """Steps 1–6 in memory; :func:`typeset.outputs.write_outputs` does step 7.

    ``strict``: raise :class:`EditionError` when the edition has errors (else they are in the
    result's findings). Pages are not rendered when laying them out already found errors,
    unless ``render_with_errors`` (a preview of the pages as they stand)."""
    edition, layout, renderer = prepare(issue_dir, progress)
    progress(4, "Laying out the pages")
    composed = lay_out_edition(edition, layout, renderer)
    found = Findings()
    found.extend(edition.findings)
    found.extend(composed.findings)
    result = BuildResult(edition, layout, composed, b"")
    render = write_pdf and (render_with_errors or not found.has_errors)
    if render:
        progress(5, "Rendering with WeasyPrint")
        from .pages import merge, render_pages

        pages = {plan.number: plan for plan in composed.pages}
        result.pages = render_pages(
            result, renderer, lambda number: render_html(edition, layout, composed,
                                                         [pages[number]]),
            press_css(edition), _identifier(edition), on_page)
        for page in result.pages:
            found.extend(page.findings)
        result.pdf = merge(result.pages, result)
        found.extend(_font_findings(result.pdf, layout))
    found.extend(renderer.findings)
    if not render:  # typeset check, or errors already: the preflight that needs no PDF
        from .press import check_plan
        found.extend(check_plan(result))
    result.findings = list(found)
    if found.has_errors and strict:
        raise EditionError(found)
    return result


def press_css(edition: Edition) -> str:
    """Bleed and crop marks as the printer asks: one render serves every output; the composite
    and archive PDFs show the trimmed page (their CropBox is set to the TrimBox)."""
    printer = edition.paper.printer
    if not printer.marks:
        return f"@page {{ bleed: {printer.bleed}mm; marks: none; }}"
    # WeasyPrint draws crop marks over the outer half of the bleed area; render a wider area
    # so that the marks stand clear of the printer's bleed (press.py sets the exact BleedBox)
    area = max(2 * printer.bleed + 2, printer.bleed + MARK_ZONE_MM)
    return f"@page {{ bleed: {area}mm; marks: crop; }}"


MARK_ZONE_MM = 5.0
"""Room outside the bleed for the crop marks."""


def render_html(edition: Edition, layout: Layout, composed: EditionLayout,
                pages: list[PagePlan] | None = None) -> str:
    """The HTML of the edition's pages (all of them, or the ones given)."""
    paper = edition.paper
    masthead = masthead_data(edition)
    title = f"{paper.title} {masthead['number']} от {masthead['date']}"
    return layout.env.get_template("edition.html.j2").render(
        pages=composed.pages if pages is None else pages, paper=paper, masthead=masthead,
        imprint=imprint_data(edition),
        line=layout.grid.line, lang=paper.language, doc_title=title,
        keywords=", ".join(sorted({t for a in edition.articles.values() for t in a.meta.tags})),
        date_iso=f"{edition.manifest.date.isoformat()}T00:00:00Z")


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
    from .outputs import json_bytes
    from .press import make_composite
    from .report import make_report

    key = result.edition.key
    progress(6, "Prepress and preflight")
    files: dict[str, bytes] = {f"{key}.pdf": make_composite(result)}
    files.update(_extra_outputs(result))
    progress(7, "Writing the outputs")
    report = make_report(result, sorted([*files, "report.json"]))
    files["report.json"] = json_bytes(report)
    result.files = files
    result.report = report
    return files


def _extra_outputs(result: BuildResult) -> dict[str, bytes]:
    """Press files (press/…) and the archive file (archive/…), with their preflight findings."""
    from .archive import make_archive
    from .press import make_press_files

    files: dict[str, bytes] = {}
    press_files, findings = make_press_files(result)
    files.update({f"press/{name}": data for name, data in press_files.items()})
    files[f"archive/{result.edition.key}.pdf"] = make_archive(result)
    result.findings.extend(findings)
    if any(f.severity.value == "error" for f in findings):
        raise EditionError(result.findings)
    return files
