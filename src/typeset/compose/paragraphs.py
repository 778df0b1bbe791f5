"""Step 4a of composer layouts: every body paragraph broken into lines by typeset itself.

A layout with a ``[justification]`` table (weekly-a3 since version 3) has its body paragraphs —
the articles' :class:`~typeset.source.articles.Para` blocks: paragraphs, list items, signatures —
broken by the total-fit :class:`~.linebreak.LineBreaker`, with widths shaped by HarfBuzz from the
layout's own fonts and the hyphenation points of its own patterns. WeasyPrint then renders the
lines exactly as composed (:mod:`.lines`), so every line is known before rendering: copyfit is
exact and the geometry check compares the rendered lines with these. Heads, captions, quotes,
fact boxes, bylines and the imprint are still measured by WeasyPrint.

:class:`ParagraphComposer` composes the flows of an edition (in forked workers when many
paragraphs are new), breaks a paragraph again when the flow asks for no hyphen at a column's foot
(:meth:`ParagraphComposer.rebreak`), and keeps every composition in the build cache
(:mod:`typeset.core.cache`), keyed by the paragraph, its widths, the settings, the layout's digest
and typeset's code: a rebuild breaks only the paragraphs that changed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..core.cache import Cache, code_digest, record_discard
from ..core.models import Justification as JustificationConfig
from ..core.parallel import Pending, chunks, fork_start, workers
from ..source.layouts import Layout
from ..typography import Hyphenator
from .breaks import NBSP
from .flow import FlowItem
from .justification import Composition, Justification, ParagraphSpec
from .linebreak import LineBreaker
from .shaping import Shaper

COMPOSE = "compose"
"""The cache's folder of compositions."""
INDENT_EM = 1.2
"""base.css: ``.body p { text-indent: 1.2em }`` (none on a first paragraph or a continuation)."""
LIST_INDENT_EM = 0.9
"""base.css: ``.body p.li { padding-left: 0.9em }``, ``.li.start { text-indent: -0.9em }``."""
BULLET = "•" + NBSP + NBSP
"""base.css: ``.body p.li.start::before { content: "•\\00a0\\00a0" }``."""
PARALLEL_COMPOSE = 40
"""New paragraphs worth forking workers for (fewer are broken in this process)."""
OVERFLOW_TOLERANCE = 0.5
"""Points a line may run past its column before it counts as printing outside (as the
measuring pass's :data:`typeset.render.boxes.OVERFLOW_TOLERANCE`)."""


def justification(config: JustificationConfig) -> Justification:
    """The breaker's settings from a layout's ``[justification]`` table (percentages there)."""
    words, letters = config.word_spacing, config.letter_spacing
    return Justification(
        word_spacing=(words.minimum / 100, words.desired / 100, words.maximum / 100),
        letter_spacing=(letters.minimum / 100, letters.maximum / 100),
        hyphenate=config.hyphenate,
        hyphenate_limit_chars=(config.words_with_at_least, config.after_first,
                               config.before_last),
        hyphenate_capitalized=config.hyphenate_capitalized_words,
        max_hyphen_lines=config.hyphen_limit,
        min_last_line=config.min_last_line,
        hyphen_penalty=config.hyphen_penalty)


@dataclass
class Started:
    """Paragraphs being broken (:meth:`ParagraphComposer.start`)."""

    items: list[FlowItem]
    specs: dict[str, ParagraphSpec]
    parts: list[list[ParagraphSpec]]
    pending: Pending[list[Composition]]


class ParagraphComposer:
    """Breaks the body paragraphs of one layout's editions, with a cache kept across builds."""

    def __init__(self, layout: Layout, cache: Cache, hyphenator: Hyphenator | None = None,
                 edition: str = "") -> None:
        """``edition`` names the edition whose compositions the cache keeps (each edition has
        its own entry: an edit replaces only its edition's)."""
        config = layout.config.justification
        if config is None:
            raise ValueError(f"layout {layout.ref} has no [justification]: WeasyPrint sets it")
        patterns = layout.folder / "hyphenation"
        if hyphenator is None and patterns.is_dir():
            hyphenator = Hyphenator.from_folder(patterns)
        self.size = layout.config.body_size
        self.column = layout.grid.column_width
        self.breaker = LineBreaker(Shaper.for_layout(layout.folder), hyphenator,
                                   justification(config), self.size,
                                   salt=f"{layout.digest}|{code_digest()}")
        self.cache = cache
        salt = hashlib.sha256(f"{self.breaker.salt}|{edition}".encode()).hexdigest()[:16]
        self.name = f"compose-{salt}.json"
        self.stored: dict[str, Any] = {}
        self.dirty = False
        raw = cache.read(COMPOSE, self.name)
        if raw is not None:
            try:
                data = json.loads(raw.decode("utf-8"))
            except ValueError:
                data = None
            if isinstance(data, dict):
                self.stored = data
            else:
                cache.discard(COMPOSE, self.name, "not a compose entry")

    # -- what a paragraph is set in

    def spec(self, item: FlowItem, no_hyphen: frozenset[int] = frozenset()) -> ParagraphSpec:
        """A body paragraph as its column sets it: the width of its lines, the first line's
        indent, the list bullet (as base.css has them)."""
        if item.para_kind == "li":
            hang = LIST_INDENT_EM * self.size
            return ParagraphSpec(item.runs, (self.column - hang,), -hang, BULLET, no_hyphen)
        indent = 0.0 if item.first else INDENT_EM * self.size
        return ParagraphSpec(item.runs, (self.column,), indent, "", no_hyphen)

    # -- composing

    def compose_flows(self, flows: dict[str, list[FlowItem]]) -> None:
        """Break every body paragraph of the flows and give each item its lines."""
        self.finish(self.start(flows))

    def start(self, flows: dict[str, list[FlowItem]]) -> Started:
        """Start breaking the flows' body paragraphs that no earlier build broke: in forked
        workers when there are many (this process goes on, measuring with WeasyPrint what the
        composer does not set), else in :meth:`finish`."""
        items = [item for flow in flows.values() for item in flow if item.kind == "para"]
        specs = {item.id: self.spec(item, item.no_hyphen) for item in items}
        self.restore(list(specs.values()))
        missing = [spec for spec in dict.fromkeys(specs.values()) if not self.breaker.knows(spec)]
        parts: list[list[ParagraphSpec]] = []
        pending: Pending[list[Composition]] = Pending([])
        if len(missing) >= PARALLEL_COMPOSE:
            parts = chunks(missing, workers())
            pending = fork_start(_compose_part, self.breaker, parts)
        self.dirty = self.dirty or bool(missing)
        return Started(items, specs, parts, pending)

    def finish(self, started: Started) -> None:
        """Collect what :meth:`start` began, break what is left here, give every item its
        lines."""
        for part, compositions in zip(started.parts, started.pending.results(), strict=True):
            for spec, composition in zip(part, compositions, strict=True):
                self.breaker.remember(spec, composition)
        for item in started.items:
            _apply(item, self.breaker.compose(started.specs[item.id]))

    def rebreak(self, item: FlowItem, line: int) -> FlowItem | None:
        """``item`` broken again so that its line ``line`` does not end in a hyphen (it stands
        at the foot of a column), or None when that cannot be done without a worse pass."""
        if item.composition is None:
            return None
        no_hyphen = item.no_hyphen | {line}
        spec = self.spec(item, no_hyphen)
        self.restore([spec])
        known = self.breaker.knows(spec)
        composition = self.breaker.compose(spec)
        self.dirty = self.dirty or not known
        if composition.passes > item.composition.passes:
            return None
        variant = replace(item, no_hyphen=no_hyphen)
        _apply(variant, composition)
        return variant

    def wide_lines(self, flows: dict[str, list[FlowItem]]) -> dict[str, list[str]]:
        """The text of every composed line that runs past its column (a word or an address
        without a place to break), by paragraph id: none may reach the page."""
        found: dict[str, list[str]] = {}
        for flow in flows.values():
            for item in flow:
                if item.composition is None:
                    continue
                text = item.composition.text
                wide = [text[line.start:line.end] for line in item.composition.lines
                        if line.overfull > OVERFLOW_TOLERANCE]
                if wide:
                    found[item.id] = wide
        return found

    # -- the cache

    def restore(self, specs: Sequence[ParagraphSpec]) -> None:
        """Take back the stored compositions of ``specs`` (made by an earlier build)."""
        if self.stored:
            try:
                self.breaker.import_cache(self.stored, specs)
            except (TypeError, ValueError):  # proven by its digest, yet not compositions
                self.stored = {}
                self.dirty = True
                record_discard(COMPOSE, self.name, "a composition of the wrong shape")

    def save(self) -> None:
        """Keep this build's compositions for the next build of the edition (those of text
        that changed since are dropped)."""
        if not self.dirty or not self.cache.enabled:
            return
        self.stored = self.breaker.export_cache()
        self.cache.write(COMPOSE, self.name,
                         json.dumps(self.stored, ensure_ascii=False).encode("utf-8"))
        self.dirty = False


def _compose_part(breaker: LineBreaker, specs: list[ParagraphSpec]) -> list[Composition]:
    return [breaker.compose(spec) for spec in specs]


def _apply(item: FlowItem, composition: Composition) -> None:
    """Give a flow item the lines of its composition."""
    item.composition = composition
    item.lines = len(composition.lines)
    item.starts = composition.starts
    item.hyphens = composition.hyphens
