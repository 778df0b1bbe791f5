"""Measuring with WeasyPrint: one tall document of every piece, read back line by line.

:class:`WeasyMeasurer` answers the composer's questions (:class:`typeset.compose.measure.Measurer`)
by laying out one measuring document holding every paragraph at the column width, every head at
its span's width, every caption at its photo's width, with the layout's own templates (so that
what is measured is exactly what is printed), and reading the boxes back
(:func:`typeset.render.boxes.read_measurements`). Many pieces are dealt among forked workers, one
measuring document each; pieces measured before come from the cache (:class:`MeasureCache`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import version
from typing import Any

from ..compose.furniture import Imprint
from ..compose.measure import Measured, MeasureItem
from ..core.cache import Cache, code_digest, record_discard
from ..core.errors import Finding
from ..core.parallel import chunks, fork_map, workers
from ..source.layouts import Layout
from ..source.manifest import Edition
from .boxes import read_measurements
from .engine import Renderer, pango_version

MEASURE = "measure"
"""The cache's folder of measurements."""
PARALLEL_MEASURE = 40
"""Pieces worth forking measuring workers for (fewer are measured at once in this process)."""


class MeasureCache:
    """Measurements on disk, keyed by everything a piece's lines depend on.

    The key covers the piece's kind, width and content, the layout's digest (CSS, fonts,
    hyphenation patterns) and the versions of typeset, WeasyPrint, pyphen and Pango, so a cached
    measurement is exactly what a new measuring pass would find.
    """

    def __init__(self, cache: Cache, salt: str) -> None:
        self.cache = cache
        self.salt = salt
        self.name = f"measure-{hashlib.sha256(salt.encode()).hexdigest()[:16]}.json"
        self.data: dict[str, Any] = {}
        self.dirty = False
        stored = cache.read(MEASURE, self.name)
        if stored is not None:
            try:
                data = json.loads(stored.decode("utf-8"))
            except ValueError:
                data = None
            if isinstance(data, dict):
                self.data = data
            else:
                cache.discard(MEASURE, self.name, "not a measure entry")

    @classmethod
    def for_layout(cls, cache: Cache, layout: Layout) -> MeasureCache:
        salt = "|".join([code_digest(), version("weasyprint"), version("pyphen"),
                         pango_version(), layout.digest])
        return cls(cache, salt)

    def key(self, item: MeasureItem, context: Any) -> str:
        content = repr((item.kind, round(item.width, 3), item.classes, item.data,
                        context if item.kind == "imprint" else None))
        return hashlib.sha256((self.salt + content).encode()).hexdigest()

    def get(self, key: str) -> Measured | None:
        entry = self.data.get(key)
        if entry is None:
            return None
        measured = _measured(entry)
        if measured is None:  # proven by its digest, yet not a measurement: measure again
            del self.data[key]
            self.dirty = True
            record_discard(MEASURE, self.name, "a measurement of the wrong type")
        return measured

    def put(self, key: str, measured: Measured) -> None:
        self.data[key] = [measured.height, measured.lines, measured.wide]
        self.dirty = True

    def save(self) -> None:
        if not self.dirty:
            return
        self.cache.write(MEASURE, self.name, json.dumps(self.data, ensure_ascii=False).encode())
        self.dirty = False


def _measured(entry: Any) -> Measured | None:
    """A stored measurement, or None when ``entry`` is not one."""
    if not (isinstance(entry, list) and len(entry) == 3):
        return None
    height, lines, wide = entry
    if (isinstance(height, bool) or not isinstance(height, int | float)
            or not all(isinstance(texts, list) and all(isinstance(t, str) for t in texts)
                       for texts in (lines, wide))):
        return None
    return Measured(height, list(lines), list(wide))


@dataclass
class WeasyMeasurer:
    """Measures an edition's pieces with WeasyPrint and the edition's layout."""

    edition: Edition
    layout: Layout
    renderer: Renderer

    def measure(self, items: Sequence[MeasureItem]) -> dict[str, Measured]:
        """Measure the pieces, taking those measured before (same text, width, layout and
        software versions) from the cache: after an edit only the changed article is laid
        out."""
        cache = MeasureCache.for_layout(Cache.of(self.edition.root), self.layout)
        imprint = Imprint.of(self.edition)
        keys = {item.id: cache.key(item, imprint) for item in items}
        found = {item.id: m for item in items if (m := cache.get(keys[item.id])) is not None}
        missing = [item for item in items if item.id not in found]
        if missing:
            template = self.layout.env.get_template("measure.html.j2")
            parts = chunks(missing, workers() if len(missing) >= PARALLEL_MEASURE else 1)
            grid, paper = self.layout.grid, self.edition.paper
            jobs = [(template.render(items=part, line=grid.line, lang=paper.language,
                                     page_width=grid.page_width, paper=paper, imprint=imprint),
                     {item.id for item in part}) for part in parts]
            self.renderer.stylesheet()  # parsed once, before any fork
            for fresh, findings in fork_map(_measure_part, self.renderer, jobs):
                self.renderer.findings.extend(findings)
                for ident, m in fresh.items():
                    cache.put(keys[ident], m)
                found.update(fresh)
            cache.save()
        return found


def _measure_part(renderer: Renderer, job: tuple[str, set[str]]
                  ) -> tuple[dict[str, Measured], list[Finding]]:
    html, ids = job
    before = len(renderer.findings)
    document = renderer.render(html, "measuring pass")
    findings = renderer.findings[before:]
    del renderer.findings[before:]
    return read_measurements(document, ids), findings
