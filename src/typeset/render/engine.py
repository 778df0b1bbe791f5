"""Step 5: render with WeasyPrint — through the edition's fetcher, with every warning kept.

WeasyPrint reports problems (an image it could not load, a CSS rule it ignored) by logging and
goes on. Here every message it logs during a render is captured; the build turns the ones that
mean lost content into errors and shows the rest.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from ..core.errors import Finding, error, warning
from .fetcher import EditionFetcher

LOST_CONTENT = ("Failed to load", "Failed to read", "Failed to handle", "not found",
                "Error fetching", "Invalid profile", "refused")
"""WeasyPrint log messages that mean something would be missing from the page."""


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def capture_weasyprint_logs() -> Iterator[list[logging.LogRecord]]:
    logger = logging.getLogger("weasyprint")
    handler = _Collect()
    old_propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield handler.records
    finally:
        logger.removeHandler(handler)
        logger.propagate = old_propagate


@dataclass
class Renderer:
    """Renders HTML of one edition with one layout; reusable across passes."""

    edition_folder: Path
    layout_folder: Path
    css: str
    image_transform: Any = None
    """See :class:`~typeset.render.fetcher.EditionFetcher`."""
    fetcher: EditionFetcher = field(init=False)
    font_config: FontConfiguration = field(init=False)
    findings: list[Finding] = field(default_factory=list)
    _stylesheet: Any = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.fetcher = EditionFetcher(self.edition_folder, self.layout_folder,
                                      image_transform=self.image_transform)
        self.font_config = FontConfiguration()

    def stylesheet(self) -> Any:
        if self._stylesheet is None:
            with capture_weasyprint_logs() as records:
                self._stylesheet = CSS(string=self.css,
                                       base_url=(self.layout_folder / "css").as_uri() + "/",
                                       url_fetcher=self.fetcher, font_config=self.font_config)
            self._absorb(records, "layout CSS")
        return self._stylesheet

    def render(self, html: str, what: str, extra_css: str = "") -> Any:
        """Lay out ``html`` into a WeasyPrint Document."""
        sheets = [self.stylesheet()]
        with capture_weasyprint_logs() as records:
            if extra_css:
                sheets.append(CSS(string=extra_css, url_fetcher=self.fetcher,
                                  font_config=self.font_config))
            document = HTML(string=html, base_url=self.edition_folder.as_uri() + "/",
                            url_fetcher=self.fetcher).render(
                stylesheets=sheets, font_config=self.font_config, presentational_hints=False)
        self._absorb(records, what)
        return document

    def page_pdf(self, document: Any, identifier: bytes) -> bytes:
        """A rendered document's PDF bytes (uncompressed: the pdf stage compresses every stream
        once), each font embedded whole: typeset subsets them itself with the uharfbuzz wheel
        (:mod:`typeset.pdf.fontsubset`), whereas WeasyPrint would use the system's
        libharfbuzz-subset when installed and fontTools when not, making the bytes depend on
        the machine (and taking half a second per font without the library)."""
        with _fonts_embedded_whole():
            data: bytes = document.write_pdf(pdf_identifier=identifier, uncompressed_pdf=True)
        return data

    def _absorb(self, records: list[logging.LogRecord], what: str) -> None:
        for record in records:
            message = record.getMessage().strip().splitlines()[0][:300]
            if any(key in message for key in LOST_CONTENT) or record.levelno >= logging.ERROR:
                self.findings.append(error("render", f"{what}: {message}"))
            else:
                self.findings.append(warning("render", f"{what}: {message}"))
        for refused in self.fetcher.refused:
            self.findings.append(error("fetch-refused", f"{what}: refused to read {refused}"))
        self.fetcher.refused.clear()


@contextmanager
def _fonts_embedded_whole() -> Iterator[None]:
    """WeasyPrint's ``Font.subset`` does nothing while this lasts (WeasyPrint 70: its ``clean``
    subsets, then handles variable and colour fonts; the widths and ToUnicode map it writes are
    still those of the glyphs used)."""
    from weasyprint.pdf.fonts import Font

    subset = Font.subset
    Font.subset = lambda self, to_unicode, hinting: None
    try:
        yield
    finally:
        Font.subset = subset


def package_version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "unknown"


def pango_version() -> str:
    """The version of the system's Pango, which lays out every line WeasyPrint draws."""
    try:
        from weasyprint.text.ffi import pango
        number = int(pango.pango_version())  # 15012 → 1.50.12
        return f"{number // 10000}.{number // 100 % 100}.{number % 100}"
    except Exception:  # pragma: no cover - depends on the system library
        return "unknown"


RENDERING_PACKAGES = ("weasyprint", "pydyf", "fonttools", "pyphen", "pillow", "pikepdf",
                      "uharfbuzz")
"""The libraries that shape a rendered page besides typeset's own code."""


def software() -> str:
    """The versions of everything that shapes a rendered page besides typeset's own code."""
    return "|".join([*(f"{name}={package_version(name)}" for name in RENDERING_PACKAGES),
                     f"pango={pango_version()}"])
