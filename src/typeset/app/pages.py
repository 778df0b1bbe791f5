"""Step 5: render the pages — each page on its own, cached, in parallel, merged into one PDF.

A page is rendered by WeasyPrint, checked against its plan (:func:`typeset.render.boxes.
check_columns`), normalised for print (:mod:`typeset.pdf.content`), given its PDF ads as forms
(:func:`typeset.pdf.ads.place_ads`) and, in the same worker, made into its press file with its
preflight (:func:`typeset.pdf.press.press_page`): all the work that depends on one page only
runs on all cores.

What a page's render depends on — its HTML, the photos and ads it shows (their bytes, and
whether they print grey), the layout, the printer's profile and marks, the software — makes its
cache key, so after an edit only the pages whose HTML or files changed are rendered again. What
its press file depends on besides (the printer's settings, the edition's metadata) is checked
apart: a changed ink limit makes the press files again without rendering anything. The
composite is then assembled by :mod:`typeset.pdf.fontmerge`, which embeds each font and each
image once.

A layout with ``render_by_article = true`` renders a page as pieces (:mod:`typeset.render.parts`:
one per article, the first with the page's head; the foot), each checked,
normalised and cached apart, and joins them (:mod:`typeset.pdf.assemble`): after an edit only
the changed articles are rendered again, and the page comes out as it would from pieces all
rendered afresh.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..compose.plan import PagePlan
from ..core.cache import Cache, Discard, code_digest, take_discarded
from ..core.errors import Finding, Location, Severity
from ..core.parallel import fork_map
from ..pdf.ads import place_ads
from ..pdf.assemble import assemble, is_page
from ..pdf.content import normalise_page
from ..pdf.fontmerge import merge_pages
from ..pdf.photos import grey_photos, photo_scales
from ..pdf.press import press_key, press_page
from ..pdf.profile import load_profile, profile_digest
from ..render.boxes import broken_words, check_columns, geometry_findings, page_overflow_findings
from ..render.engine import Renderer, software
from ..render.parts import Part, split_page
from ..source.layouts import Layout
from ..source.manifest import Edition

PAGES = "pages"
"""The cache's folder of rendered pages."""
PARTS = "parts"
"""The cache's folder of rendered pieces of pages (layouts that render articles apart)."""


@dataclass
class RenderedPart:
    """One piece of a page, rendered, checked and normalised (see :mod:`typeset.render.parts`)."""

    pdf: bytes
    findings: list[Finding]
    discarded: list[Discard] = field(default_factory=list)
    """Cache entries the worker found unusable while rendering it (not kept with the piece)."""


@dataclass
class PartJob:
    part: Part
    key: str
    cached: RenderedPart | None = None
    """The piece as an earlier build rendered it."""


@dataclass
class RenderedPage:
    """One page's outputs: what the composite, the archive and the press file are made of."""

    number: int
    pdf: bytes
    """The page alone, normalised for print (:func:`typeset.pdf.content.normalise`)."""
    findings: list[Finding]
    """Rendering and geometry findings."""
    press: bytes | None = None
    """The page's press file (None without a usable printer profile)."""
    press_findings: list[Finding] = field(default_factory=list)
    """The page's preflight."""
    press_key: str = ""
    """What the press file was made for (:func:`typeset.pdf.press.press_key`)."""
    cached: bool = False
    """Taken from the cache, not rendered by this build."""
    discarded: list[Discard] = field(default_factory=list)
    """Cache entries the worker found unusable (converted photos), for the build's report."""
    parts: int = 0
    """Pieces the page is rendered in (0: rendered whole)."""
    fresh_parts: dict[str, RenderedPart] = field(default_factory=dict)
    """The pieces this build rendered, by cache key (the others came from the cache)."""


@dataclass
class PageJob:
    number: int
    html: str
    key: str
    press_key: str
    parts: list[PartJob] = field(default_factory=list)
    """The page's pieces when its layout renders articles apart."""


@dataclass
class PageState:
    """What every page worker shares (inherited by the fork)."""

    edition: Edition
    layout: Layout
    plans: dict[int, PagePlan]
    renderer: Renderer
    extra_css: str
    identifier: bytes
    profile: bytes | None


@dataclass
class FileKeys:
    """How the files a page shows enter its cache key: their bytes, whether they print grey,
    their resampling (the fetcher serves photos converted, see
    :func:`typeset.pdf.photos.image_transform`)."""

    folder: Path
    grey: Callable[[str], bool]
    scales: dict[str, float]
    digests: dict[Path, str] = field(default_factory=dict)
    """Each file's digest, read once per build (a page's key and its pieces' name the same)."""

    def digest(self, path: Path | None) -> str:
        if path is None:
            return hashlib.sha256(b"").hexdigest()
        if path not in self.digests:
            data = path.read_bytes() if path.is_file() else b""
            self.digests[path] = hashlib.sha256(data).hexdigest()
        return self.digests[path]

    def update(self, sha: Any, plan: PagePlan, articles: Sequence[str] | None = None,
               ads: bool = True) -> None:
        """Add the photos of ``plan``'s articles (those with these ids, or all) and, with
        ``ads``, its advertising modules to ``sha``."""
        photos = {photo.src for placed in plan.articles for photo in placed.photos
                  if articles is None or placed.id in articles}
        for src in sorted(photos):
            scale = self.scales.get(src.replace("\\", "/"), 1.0)
            sha.update(f"|{src}|{self.grey(src)}|{scale!r}|"
                       f"{self.digest(self.folder / src)}".encode())
        for ad in plan.ads if ads else ():  # a PDF ad is drawn in after rendering, by its bytes
            sha.update(f"|ad|{ad.src}|{self.grey(ad.src)}|{self.digest(ad.path)}".encode())


def _page_key(salt: str, job: PageJob, plan: PagePlan, files: FileKeys) -> str:
    """The page's HTML and every photo and ad it shows."""
    sha = hashlib.sha256(f"{salt}|{job.number}|{job.html}".encode())
    files.update(sha, plan)
    return sha.hexdigest()


def _part_key(salt: str, part: Part, plan: PagePlan, files: FileKeys) -> str:
    """A piece's HTML and CSS, the photos of its article, the ads of the page's foot."""
    sha = hashlib.sha256(f"{salt}|part|{part.name}|{part.css}|{part.html}".encode())
    files.update(sha, plan, [part.article] if part.article else [], ads=part.foot)
    return sha.hexdigest()


def _finding_to_json(f: Finding, root: Path) -> dict[str, Any]:
    path = f.location.path
    if path is not None and path.is_relative_to(root):
        path = path.relative_to(root)  # the repository may move with its cache
    return {"severity": f.severity.value, "code": f.code, "message": f.message,
            "page": f.page, "article": f.article,
            "path": None if path is None else str(path), "line": f.location.line}


def _finding_from_json(d: dict[str, Any], root: Path) -> Finding:
    path = None if d["path"] is None else root / d["path"]
    return Finding(Severity(d["severity"]), d["code"], d["message"], Location(path, d["line"]),
                   d["page"], d["article"])


def _render(state: PageState, number: int, plan: PagePlan, html: str, extra_css: str
            ) -> RenderedPart:
    """Render, check and normalise a page's HTML (the whole page, or one piece of it whose
    ``plan`` holds the articles it draws)."""
    renderer = state.renderer
    before = len(renderer.findings)
    document = renderer.render(html, f"page {number}", extra_css=extra_css)
    findings = geometry_findings(check_columns(document, [plan], state.layout.grid.line))
    findings += page_overflow_findings(document, number)
    findings += renderer.findings[before:]
    del renderer.findings[before:]
    pdf = normalise_page(renderer.page_pdf(document, state.identifier),
                         state.layout.font_files, state.edition.paper.printer.min_color_text_pt,
                         broken_words(document, plan))
    return RenderedPart(pdf, findings)


def _render_parts(state: PageState, job: PageJob, plan: PagePlan
                  ) -> tuple[RenderedPart, dict[str, RenderedPart]]:
    """The page joined from its pieces, those not in the cache rendered here; and those."""
    fresh: dict[str, RenderedPart] = {}
    pieces: list[RenderedPart] = []
    for part_job in job.parts:
        piece = part_job.cached
        if piece is None:
            part = part_job.part
            only = replace(plan, articles=[a for a in plan.articles if a.id == part.article])
            piece = fresh[part_job.key] = _render(state, job.number, only, part.html,
                                                  f"{state.extra_css}\n{part.css}")
        pieces.append(piece)
    findings = [f for piece in pieces for f in piece.findings]
    if len(pieces) == 1:  # the page is its one piece
        return RenderedPart(pieces[0].pdf, findings), fresh
    return RenderedPart(assemble([piece.pdf for piece in pieces], state.layout.font_files),
                        findings), fresh


def _render_one(state: PageState, job: PageJob) -> RenderedPage:
    """Render, check, normalise and preflight one page (whole, or from its pieces), and make its
    press file."""
    plan = state.plans[job.number]
    fresh: dict[str, RenderedPart] = {}
    if job.parts:
        page, fresh = _render_parts(state, job, plan)
    else:
        page = _render(state, job.number, plan, job.html, state.extra_css)
    pdf = page.pdf
    vector_ads = [(ad.path, ad.rect) for ad in plan.ads if ad.kind == "pdf" and ad.path]
    if vector_ads:  # after normalising: the ads print exactly as their advertisers sent them
        pdf = place_ads(pdf, vector_ads)
    press, press_findings = press_page(state.edition, state.layout, pdf, job.number,
                                       state.profile)
    return RenderedPage(job.number, pdf, page.findings, press, press_findings, job.press_key,
                        discarded=take_discarded(), parts=len(job.parts), fresh_parts=fresh)


def render_pages(edition: Edition, layout: Layout, plans: Sequence[PagePlan],
                 renderer: Renderer, page_html: Callable[[PagePlan], str], extra_css: str,
                 identifier: bytes, on_page: Callable[[int, int], None] | None = None
                 ) -> list[RenderedPage]:
    """Every page rendered (or taken from the cache), in page order.

    A cached page whose press file was made for other printer settings (an ink limit, a file
    name pattern) keeps its render; only its press file and preflight are made again."""
    cache = Cache.of(edition.root)
    profile, _ = load_profile(edition)
    profile_sha = profile_digest(profile)
    salt = "|".join([code_digest(), software(), layout.digest, extra_css,
                     identifier.decode("latin-1"), profile_sha,
                     f"solid below {edition.paper.printer.min_color_text_pt}"])
    files = FileKeys(edition.folder, grey_photos(edition),
                     photo_scales(plans, edition.paper.printer.max_ppi))
    by_article = layout.config.render_by_article
    jobs = []
    for plan in plans:
        job = PageJob(plan.number, page_html(plan), "",
                      press_key(edition, layout, plan.number, profile_sha))
        job.key = _page_key(salt, job, plan, files)
        if by_article:
            job.parts = [PartJob(part, _part_key(salt, part, plan, files))
                         for part in split_page(job.html, bool(plan.ads or plan.imprint))]
        jobs.append(job)
    root = edition.root
    done: dict[int, RenderedPage] = {}
    if cache.enabled:
        for job in jobs:
            page = _load(cache, job, root)
            if page is None:
                continue
            if page.press_key != job.press_key:  # other printer settings: remake the press file
                page.press, page.press_findings = press_page(edition, layout, page.pdf,
                                                             job.number, profile)
                page.press_key = job.press_key
                _store(cache, job, page, root)
            done[job.number] = page
    missing = [job for job in jobs if job.number not in done]
    if cache.enabled:  # a page to render again may keep some of its pieces
        for job in missing:
            for part_job in job.parts:
                part_job.cached = _load_part(cache, part_job.key, root)
    total, count = len(jobs), len(done)
    if on_page is not None:
        on_page(count, total)

    def rendered(page: RenderedPage) -> None:
        nonlocal count
        count += 1
        if on_page is not None:
            on_page(count, total)

    if missing:
        renderer.stylesheet()  # parse the CSS and load the fonts once, before any fork
    state = PageState(edition, layout, {plan.number: plan for plan in plans}, renderer,
                      extra_css, identifier, profile)
    # pieces first, all of them shared among the workers (a sparse edition's few pages would
    # leave a worker idle), then each page joined and pressed
    fresh = _render_pieces(state, missing)
    # the costliest pages first, so that no worker starts a long page when the others are done
    # (a page's HTML stands for its cost: its lines, spans, boxes)
    order = sorted(missing, key=lambda job: -(len(job.parts) if job.parts else len(job.html)))
    for job, page in zip(order, fork_map(_render_one, state, order, rendered), strict=True):
        page.fresh_parts = fresh.get(job.number, {})
        page.discarded += [d for part in page.fresh_parts.values() for d in part.discarded]
        done[job.number] = page
        if cache.enabled:
            for key, part in page.fresh_parts.items():
                _store_part(cache, key, part, root)
            _store(cache, job, page, root)
    return [done[job.number] for job in jobs]


@dataclass
class PieceJob:
    number: int
    part_job: PartJob


def _render_piece(state: PageState, job: PieceJob) -> RenderedPart:
    part = job.part_job.part
    plan = state.plans[job.number]
    only = replace(plan, articles=[a for a in plan.articles if a.id == part.article])
    piece = _render(state, job.number, only, part.html, f"{state.extra_css}\n{part.css}")
    piece.discarded = take_discarded()
    return piece


def _render_pieces(state: PageState, pages: Sequence[PageJob]
                   ) -> dict[int, dict[str, RenderedPart]]:
    """Render every piece of ``pages`` that the cache did not have, the costliest first; each
    becomes its job's ``cached`` piece. Returns them by page and cache key."""
    pieces = sorted((PieceJob(job.number, part_job) for job in pages for part_job in job.parts
                     if part_job.cached is None),
                    key=lambda piece: -len(piece.part_job.part.html))
    fresh: dict[int, dict[str, RenderedPart]] = {}
    for piece, part in zip(pieces, fork_map(_render_piece, state, pieces), strict=True):
        piece.part_job.cached = part
        fresh.setdefault(piece.number, {})[piece.part_job.key] = part
    return fresh


def _load_part(cache: Cache, key: str, root: Path) -> RenderedPart | None:
    """A piece from the cache, its entries proven; None when either is missing or unusable."""
    raw = cache.read(PARTS, f"{key}.json")
    if raw is None:
        return None
    try:
        findings = [_finding_from_json(d, root) for d in json.loads(raw.decode("utf-8"))]
    except (ValueError, KeyError, TypeError, AttributeError):
        cache.discard(PARTS, f"{key}.json", "not a parts entry")
        return None
    pdf = cache.read(PARTS, f"{key}.pdf", is_page)
    return None if pdf is None else RenderedPart(pdf, findings)


def _store_part(cache: Cache, key: str, part: RenderedPart, root: Path) -> None:
    cache.write(PARTS, f"{key}.pdf", part.pdf)
    # the findings last: a piece is in the cache once its JSON is
    cache.write(PARTS, f"{key}.json", json.dumps(
        [_finding_to_json(f, root) for f in part.findings], ensure_ascii=False).encode())


def merge(pages: list[RenderedPage], edition: Edition, layout: Layout) -> bytes:
    """The composite of the rendered pages, each font and each image embedded once."""
    return merge_pages([page.pdf for page in pages], layout.font_files)


def is_pdf(data: bytes) -> bool:
    """Whether ``data`` looks like a whole PDF file: its header and, at its end, its trailer."""
    return data.startswith(b"%PDF-") and b"%%EOF" in data[-64:]


def _load(cache: Cache, job: PageJob, root: Path) -> RenderedPage | None:
    """A page from the cache, every one of its entries proven (:meth:`Cache.read`); None when
    any is missing or unusable (the page is then rendered again and all are rewritten)."""
    meta_name = f"{job.key}.json"
    raw = cache.read(PAGES, meta_name)
    if raw is None:
        return None
    try:
        meta = json.loads(raw.decode("utf-8"))
        press_key = meta["press_key"]
        findings = [_finding_from_json(d, root) for d in meta["findings"]]
        press_findings = [_finding_from_json(d, root) for d in meta["press_findings"]]
        has_press = meta["press"]
        if not isinstance(press_key, str) or not isinstance(has_press, bool):
            raise TypeError(meta_name)
    except (ValueError, KeyError, TypeError, AttributeError):
        cache.discard(PAGES, meta_name, "not a pages entry")
        return None
    pdf = cache.read(PAGES, f"{job.key}.pdf", is_pdf)
    press = cache.read(PAGES, f"{job.key}.press.pdf", is_pdf) if has_press else None
    if pdf is None or (has_press and press is None):
        return None
    return RenderedPage(job.number, pdf, findings, press, press_findings, press_key, cached=True)


def _store(cache: Cache, job: PageJob, page: RenderedPage, root: Path) -> None:
    cache.write(PAGES, f"{job.key}.pdf", page.pdf)
    if page.press is not None:
        cache.write(PAGES, f"{job.key}.press.pdf", page.press)
    else:
        cache.remove(PAGES, f"{job.key}.press.pdf")
    meta = {"press": page.press is not None, "press_key": page.press_key,
            "findings": [_finding_to_json(f, root) for f in page.findings],
            "press_findings": [_finding_to_json(f, root) for f in page.press_findings]}
    # the metadata last: a page is in the cache once its JSON is
    cache.write(PAGES, f"{job.key}.json", json.dumps(meta, ensure_ascii=False).encode())
