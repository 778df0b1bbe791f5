"""Step 5: render the pages — each page on its own, cached, in parallel, merged into one PDF.

A page's PDF depends only on its HTML, the layout, the photos it shows, the printer's profile and
the software: those make its cache key, so after an edit only the pages whose HTML changed are
rendered again. Pages that need rendering are rendered in worker processes, one per core; the
composite is then assembled by :mod:`typeset.fontmerge`, which embeds each font once.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import Finding, Location, Severity
from .fontmerge import merge_pages
from .geometry import check_columns, geometry_findings
from .measure import code_digest
from .outputs import write_cache_file

if TYPE_CHECKING:
    from .compose import PagePlan
    from .layouts import Layout
    from .manifest import Edition
    from .render import Renderer


@dataclass
class PageJob:
    number: int
    html: str
    key: str


_SRC = re.compile(r'src="([^"]+)"')


def _page_key(salt: str, html: str, edition: Edition) -> str:
    sha = hashlib.sha256((salt + html).encode())
    for src in sorted(set(_SRC.findall(html))):
        path = (edition.folder / src).resolve()
        if path.is_file():
            sha.update(hashlib.sha256(path.read_bytes()).digest())
    return sha.hexdigest()


def _finding_to_json(f: Finding) -> dict[str, Any]:
    return {"severity": f.severity.value, "code": f.code, "message": f.message,
            "page": f.page, "article": f.article}


def _finding_from_json(d: dict[str, Any]) -> Finding:
    return Finding(Severity(d["severity"]), d["code"], d["message"], Location(), d["page"],
                   d["article"])


_WORKER: tuple[Renderer, list[PagePlan], float, str, bytes] | None = None


def _render_one(job: PageJob) -> tuple[int, bytes, list[dict[str, Any]]]:
    assert _WORKER is not None
    renderer, plans, line, extra_css, identifier = _WORKER
    renderer.findings.clear()
    document = renderer.render(job.html, f"page {job.number}", extra_css=extra_css)
    plan = next(p for p in plans if p.number == job.number)
    findings = geometry_findings(check_columns(document, [plan], line))
    findings += renderer.findings
    pdf = document.write_pdf(pdf_identifier=identifier)
    return job.number, pdf, [_finding_to_json(f) for f in findings]


def render_pages(edition: Edition, layout: Layout, plans: list[PagePlan], renderer: Renderer,
                 page_html: Callable[[PagePlan], str], extra_css: str, identifier: bytes,
                 profile_digest: str,
                 on_page: Callable[[int, int], None] | None = None) -> tuple[bytes, list[Finding]]:
    """Every page rendered (or taken from the cache) and merged into the composite PDF."""
    global _WORKER
    no_cache = bool(os.environ.get("TYPESET_NO_CACHE"))
    cache = None if no_cache else edition.root / "build" / ".cache"
    salt = "|".join([code_digest(), version("weasyprint"), version("pyphen"), layout.digest,
                     extra_css, profile_digest, identifier.decode("latin-1")])
    jobs = [PageJob(plan.number, html, _page_key(salt, html, edition))
            for plan in plans for html in [page_html(plan)]]
    done: dict[int, tuple[bytes, list[dict[str, Any]]]] = {}
    if cache is not None:
        for job in jobs:
            pdf_path = cache / "pages" / f"{job.key}.pdf"
            meta_path = pdf_path.with_suffix(".json")
            if pdf_path.is_file() and meta_path.is_file():
                done[job.number] = (pdf_path.read_bytes(),
                                    json.loads(meta_path.read_text("utf-8")))
    missing = [job for job in jobs if job.number not in done]
    renderer.stylesheet()  # parse the CSS and load the fonts once, before any fork
    _WORKER = (renderer, plans, layout.grid.line, extra_css, identifier)
    try:
        workers = min(len(missing), os.cpu_count() or 1, 4)
        if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                results = _with_progress(pool.imap_unordered(_render_one, missing), len(jobs),
                                         len(jobs) - len(missing), on_page)
        else:
            results = _with_progress(map(_render_one, missing), len(jobs),
                                     len(jobs) - len(missing), on_page)
    finally:
        _WORKER = None
    for number, pdf, page_findings in results:
        done[number] = (pdf, page_findings)
        if cache is not None:
            job = next(j for j in jobs if j.number == number)
            _store(cache / "pages" / f"{job.key}.pdf", pdf, page_findings)
    merged = merge_pages([done[job.number][0] for job in jobs], layout.font_files,
                         None if cache is None else cache / "fonts")
    return merged, [_finding_from_json(d) for job in jobs for d in done[job.number][1]]


Rendered = tuple[int, bytes, list[dict[str, Any]]]


def _with_progress(results: Iterable[Rendered], total: int, done: int,
                   on_page: Callable[[int, int], None] | None) -> list[Rendered]:
    """Collect rendered pages, telling ``on_page(done, total)`` after each one."""
    collected = []
    if on_page is not None:
        on_page(done, total)
    for result in results:
        collected.append(result)
        done += 1
        if on_page is not None:
            on_page(done, total)
    return sorted(collected)


def _store(path: Path, pdf: bytes, findings: list[dict[str, Any]]) -> None:
    write_cache_file(path, pdf)
    write_cache_file(path.with_suffix(".json"), json.dumps(findings).encode())
