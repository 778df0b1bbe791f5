"""The builds behind the proof page (``typeset serve``), each one run in a separate process.

A build forks worker processes (:func:`typeset.core.parallel.fork_map`), and forking a process
that runs other threads can deadlock the child; the web server runs threads (its watcher, its
event loop's helpers). So the server never builds in its own process: :class:`BuildWorker`
keeps one *spawned* process (a fresh interpreter, single-threaded) that runs the builds one at
a time and stays warm between them, as ``typeset watch`` does, with its imports, fonts and CSS
loaded once.

A build there does what ``typeset build`` does — the same steps, the same all-or-nothing
outputs in the same folder — and hands back a :class:`Proof`: ``report.json`` as written (or,
for an edition with errors, the same fields as far as the build got, with nothing written) and
images of the pages, rendered from the composite PDF with PDFium. A page image is named by the
digest of the page's own PDF, so a page that did not change keeps its name and is neither
rendered nor sent again.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import math
import multiprocessing
import os
import signal
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from ..core.errors import EditionError, TypesetError, error

FULL_DPI = 150.0
"""The resolution of a page at full size: a 9 pt body line is 19 pixels high, readable."""

IMAGE_FORMAT = 1
"""Bump when the images change for the same page (resolution, format): new names."""


@dataclass(frozen=True)
class PageImage:
    """One page as the proof page shows it: a small image for the spreads and a full one."""

    number: int
    digest: str
    """Names both images: the digest of the page's PDF and the image settings."""
    width: int
    height: int
    """The small image's size in pixels (the full one is twice as large)."""
    small: bytes | None = None
    full: bytes | None = None
    """PNG bytes; None when the server said it has them already."""


@dataclass
class Proof:
    """What one build hands to the proof page."""

    status: str
    """``current`` (built and written), ``errors`` (the edition has errors: nothing written)
    or ``failed`` (typeset itself failed: a bug, or the build process died)."""
    report: dict[str, Any]
    """``report.json`` as written; for an edition with errors, its fields as far as the build
    got (``articles`` is empty when the errors stopped it before the layout)."""
    seconds: float = 0.0
    finished: float = field(default_factory=time.time)
    pages: list[PageImage] = field(default_factory=list)
    """Every page, in order (only when ``current``)."""
    page_mm: tuple[float, float] | None = None
    """The trimmed page's width and height in millimetres."""
    summary: str = ""
    """One line for the terminal: what was built, or why not."""
    composite: Path | None = None
    """The composite PDF as written (only when ``current``)."""


def build_proof(issue_dir: Path, out_dir: Path | None, have: frozenset[str] = frozenset(),
                full_dpi: float = FULL_DPI) -> Proof:
    """Build the edition as ``typeset build`` does, write its outputs, and make the images of
    the pages whose digest is not in ``have``. Runs in the build process."""
    from .build import build_edition, collect_outputs
    from .outputs import write_outputs
    from .report import make_report, pages_line

    start = time.perf_counter()

    def seconds() -> float:
        return time.perf_counter() - start

    try:
        result = build_edition(issue_dir, strict=False)
        findings, files = result.findings, {}
        if not any(f.severity.value == "error" for f in findings):
            try:
                files = collect_outputs(result)
            except EditionError as exc:  # the press preflight refused a page
                findings = exc.findings
        if any(f.severity.value == "error" for f in findings):
            report = make_report(result.edition, result.layout, result.composed, findings, [])
            return _with_errors(report.as_json(), seconds())
        target = out_dir or result.edition.root / "build" / result.edition.key
        write_outputs(target, files)
        built = seconds()
        report_json: dict[str, Any] = json.loads(files["report.json"])
        digests = [_digest(page.pdf, full_dpi) for page in result.pages]
        sizes, images, page_mm = render_pages(
            files[f"{result.edition.key}.pdf"],
            [i for i, digest in enumerate(digests) if digest not in have], full_dpi)
    except EditionError as exc:  # steps 1–3 found errors: nothing was laid out
        return _with_errors({"issue": None, "articles": [],
                             "findings": [f.as_json() for f in exc.findings]}, seconds())
    except TypesetError as exc:  # not an edition (any more), a worker died: say so
        return _with_errors({"issue": None, "articles": [],
                             "findings": [error("build", str(exc)).as_json()]}, seconds())
    except Exception:
        return _crashed(seconds())
    pages = [PageImage(index + 1, digest, *sizes[index], *images.get(index, (None, None)))
             for index, digest in enumerate(digests)]
    return Proof("current", report_json, seconds(), pages=pages, page_mm=page_mm,
                 summary=f"built in {built:.1f} s; {pages_line(result.pages)}; "
                         f"{len(images)} page image{'s' if len(images) != 1 else ''} in "
                         f"{seconds() - built:.1f} s",
                 composite=(target / f"{result.edition.key}.pdf").resolve())


def _with_errors(report: dict[str, Any], seconds: float) -> Proof:
    count = sum(f.get("severity") == "error" for f in report.get("findings", []))
    return Proof("errors", report, seconds,
                 summary=f"not built ({seconds:.1f} s): {count} error{'s' if count != 1 else ''}"
                         "; the earlier outputs are kept")


def _crashed(seconds: float) -> Proof:
    """A bug in typeset: its traceback saved to a file that the page names, as the CLI does."""
    fd, path = tempfile.mkstemp(prefix="typeset-crash-", suffix=".txt")
    with open(fd, "w", encoding="utf-8") as handle:
        handle.write(traceback.format_exc())
    message = (f"typeset failed unexpectedly (a bug). The details are in {path}; please "
               "attach that file to a bug report.")
    return Proof("failed", {"issue": None, "articles": [],
                            "findings": [error("crash", message).as_json()]},
                 seconds, summary=message)


def _digest(page_pdf: bytes, full_dpi: float) -> str:
    salt = f"typeset-proof-{IMAGE_FORMAT}-{full_dpi:g}".encode()
    return hashlib.sha256(salt + page_pdf).hexdigest()[:32]


def render_pages(pdf: bytes, indexes: list[int], full_dpi: float
                 ) -> tuple[list[tuple[int, int]], dict[int, tuple[bytes, bytes]],
                            tuple[float, float]]:
    """The size of every page's small image (half of ``full_dpi``), the pages ``indexes`` of
    ``pdf`` as PNG, small and full (rendered in parallel), and the page size in mm."""
    import pypdfium2 as pdfium

    from ..core.parallel import fork_map

    scale = full_dpi / 72
    document = pdfium.PdfDocument(pdf)
    try:
        sizes_pt = [document[index].get_size() for index in range(len(document))]
    finally:
        document.close()
    # the size PDFium renders a page at, halved as Image.reduce does
    sizes = [((math.ceil(w * scale) + 1) // 2, (math.ceil(h * scale) + 1) // 2)
             for w, h in sizes_pt]
    rendered = fork_map(_render_page, (pdf, scale), indexes)
    width_pt, height_pt = sizes_pt[0] if sizes_pt else (0.0, 0.0)
    return (sizes, dict(zip(indexes, rendered, strict=True)),
            (round(width_pt * 25.4 / 72, 2), round(height_pt * 25.4 / 72, 2)))


def _render_page(state: tuple[bytes, float], index: int) -> tuple[bytes, bytes]:
    """One page (its CropBox: the trimmed page, as :mod:`typeset.app.preview` renders it) as
    PNG, small and full size; in a worker of :func:`~typeset.core.parallel.fork_map`."""
    import pypdfium2 as pdfium

    pdf, scale = state
    document = pdfium.PdfDocument(pdf)
    try:
        page = document[index]
        full = page.render(scale=scale, crop=(0, 0, 0, 0),
                           may_draw_forms=False).to_pil().convert("RGB")
        page.close()
    finally:
        document.close()
    return _png(full.reduce(2)), _png(full)


def _png(image: Any) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=1)  # as small as level 6 here, twice as fast
    return buffer.getvalue()


# -- the build process ----------------------------------------------------------------------------

@dataclass(frozen=True)
class BuildRequest:
    have: frozenset[str]
    """The digests of the page images the server holds."""


class BuildWorker:
    """One spawned process that builds the edition whenever asked, one build at a time.

    :meth:`build` blocks until the build is done (call it from a thread of the server); the
    process is started on the first build and again after it died; :meth:`close` ends it and
    the processes it forked."""

    def __init__(self, issue_dir: Path, out_dir: Path | None, full_dpi: float = FULL_DPI) -> None:
        self.issue_dir, self.out_dir, self.full_dpi = issue_dir, out_dir, full_dpi
        self._process: Any = None
        self._conn: Connection | None = None
        self._closed = False

    def build(self, have: frozenset[str] = frozenset()) -> Proof:
        start = time.perf_counter()
        try:
            if self._closed:
                raise EOFError
            conn = self._start()
            conn.send(BuildRequest(have))
            proof: Proof = conn.recv()
            return proof
        except (EOFError, OSError, BrokenPipeError):
            process = self._process
            if process is not None:
                process.join(1.0)
            code = process.exitcode if process is not None else None
            if not self._closed:
                self._end()
            message = (f"the build process ended unexpectedly (exit status {code}); the next "
                       "save starts a new one")
            return Proof("failed", {"issue": None, "articles": [],
                                    "findings": [error("build", message).as_json()]},
                         time.perf_counter() - start, summary=message)

    def _start(self) -> Connection:
        if self._conn is not None and self._process is not None and self._process.is_alive():
            return self._conn
        self._end()
        context = multiprocessing.get_context("spawn")  # a fresh interpreter: no threads
        parent, child = context.Pipe()
        self._process = context.Process(
            target=_serve_builds, args=(child, self.issue_dir, self.out_dir, self.full_dpi),
            name="typeset-serve-build", daemon=False)
        self._process.start()
        child.close()
        self._conn = parent
        return parent

    def close(self) -> None:
        """End the build process and everything it forked, for good."""
        self._closed = True
        self._end()

    def _end(self) -> None:
        """End the build process and everything it forked (it leads its own process group);
        a build waiting for it in another thread gets EOFError."""
        process, conn = self._process, self._conn
        self._process = self._conn = None
        if process is not None:
            self._kill(process)
        if conn is not None:
            conn.close()

    @staticmethod
    def _kill(process: Any) -> None:
        for sig in (signal.SIGTERM, signal.SIGKILL):
            if not process.is_alive():
                break
            try:
                os.killpg(process.pid, sig)
            except (ProcessLookupError, PermissionError):  # not yet its own group
                with contextlib.suppress(ProcessLookupError):
                    os.kill(process.pid, sig)
            process.join(5.0)


def _serve_builds(conn: Connection, issue_dir: Path, out_dir: Path | None,
                  full_dpi: float) -> None:
    """The build process: answer every request with a :class:`Proof`, until the pipe closes.

    It leads its own process group, so that Ctrl-C in the server's terminal reaches the server
    alone, and the server ends this process and its forked workers together (SIGTERM: the
    workers are shut down as the build unwinds)."""
    os.setpgid(0, 0)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    while True:
        try:
            request: BuildRequest = conn.recv()
        except (EOFError, OSError):
            return
        proof = build_proof(issue_dir, out_dir, request.have, full_dpi)
        try:
            conn.send(proof)
        except OSError:  # the server is gone
            return


def finding_text(finding: dict[str, Any]) -> str:
    """A finding of ``report.json`` as the terminal shows it: ``path:line: severity: …``."""
    where = finding.get("file", "")
    if where and finding.get("line"):
        where = f"{where}:{finding['line']}"
    return f"{where + ': ' if where else ''}{finding.get('severity')}: {finding.get('message')}"

