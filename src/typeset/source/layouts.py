"""Layouts are data: a versioned folder of templates, CSS partials, fonts and ``layout.toml``.

``layouts/<name>/`` holds the current version of a layout; a version that printed editions is
kept frozen as ``layouts/<name>@<version>/``. An edition names ``name`` (the current version) or
pins ``name@N``. :func:`load_layout` resolves the reference, validates ``layout.toml`` and computes
the page geometry in points; the geometry becomes CSS custom properties in ``:root``.
"""

from __future__ import annotations

import hashlib
import re
import types
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import jinja2
from pydantic import ValidationError

from ..core.cache import Cache, code_digest, key
from ..core.errors import EditionError, Finding, error
from ..core.models import LayoutConfig
from ..core.units import PT_PER_MM
from ..core.validation import load_toml, pydantic_findings, toml_key_lines

CSS_FILES = ("fonts.css", "base.css", "page.css", "article.css")


@dataclass(frozen=True)
class Rect:
    """A box on the page, in points from the trimmed page's top-left corner."""

    x: float
    y: float
    w: float
    h: float

    @property
    def style(self) -> str:
        return (f"left: {self.x:.3f}pt; top: {self.y:.3f}pt; width: {self.w:.3f}pt; "
                f"height: {self.h:.3f}pt")

    @property
    def bottom(self) -> float:
        return self.y + self.h


@dataclass(frozen=True)
class Grid:
    """The page grid in points: columns, gutter and the baseline grid."""

    page_width: float
    page_height: float
    left: float
    top: float
    columns: int
    column_width: float
    gutter: float
    line: float
    lines: int
    """Body lines between the top and bottom margins."""

    def x(self, column: int) -> float:
        return self.left + column * (self.column_width + self.gutter)

    def width(self, span: int) -> float:
        return span * self.column_width + (span - 1) * self.gutter

    def y(self, line: int) -> float:
        return self.top + line * self.line

    def rect(self, column: int, span: int, line: int, lines: int) -> Rect:
        return Rect(self.x(column), self.y(line), self.width(span), lines * self.line)


@dataclass
class Layout:
    name: str
    version: int
    folder: Path
    config: LayoutConfig
    grid: Grid
    env: jinja2.Environment = field(repr=False)

    @property
    def ref(self) -> str:
        return f"{self.name}@{self.version}"

    @cached_property
    def css(self) -> str:
        """All CSS partials, with the geometry as custom properties first."""
        props = {
            "page-width": f"{self.grid.page_width:.3f}pt",
            "page-height": f"{self.grid.page_height:.3f}pt",
            "line": f"{self.grid.line}pt",
            "body-size": f"{self.config.body_size}pt",
            "gutter": f"{self.grid.gutter:.3f}pt",
            **self.config.css,
        }
        root = ":root { " + " ".join(f"--{k}: {v};" for k, v in props.items()) + " }\n"
        page = (f"@page {{ size: {self.grid.page_width:.3f}pt {self.grid.page_height:.3f}pt; "
                "margin: 0; }\n")
        parts = [root, page]
        for name in CSS_FILES:
            parts.append(f"/* {name} */\n" + (self.folder / "css" / name).read_text("utf-8"))
        return "\n".join(parts)

    @cached_property
    def font_files(self) -> list[Path]:
        return sorted((self.folder / "fonts").glob("*.[ot]tf"))

    @cached_property
    def fallback_font_files(self) -> list[Path]:
        """The fonts that only fill in characters the text fonts lack (``fallback_fonts``)."""
        return sorted({p for pattern in self.config.fallback_fonts
                       for p in self.folder.glob(pattern) if p.is_file()})

    @cached_property
    def text_font_files(self) -> list[Path]:
        fallback = set(self.fallback_font_files)
        return [p for p in self.font_files if p not in fallback]

    @cached_property
    def families(self) -> set[str]:
        """Font families the layout's @font-face rules declare."""
        return set(re.findall(r'font-family:\s*"([^"]+)";\s*src:', self.css))

    @cached_property
    def digest(self) -> str:
        """SHA-256 over every file of the layout (names and bytes), for the build record."""
        sha = hashlib.sha256()
        for path in sorted(p for p in self.folder.rglob("*") if p.is_file()):
            if "__pycache__" in path.parts:
                continue
            sha.update(path.relative_to(self.folder).as_posix().encode() + b"\0")
            sha.update(hashlib.sha256(path.read_bytes()).digest())
        return sha.hexdigest()


_REF = re.compile(r"^(?P<name>[a-z0-9][a-z0-9_-]*)(?:@(?P<version>\d+))?$")


def load_layout(root: Path, ref: str, where: Path | None = None) -> Layout:
    """Resolve ``name`` or ``name@N`` under ``root/layouts`` and load it."""
    m = _REF.match(ref)
    if not m:
        raise EditionError([error("layout-ref", f"layout '{ref}' is not a layout name "
                                  "(like weekly-a3 or weekly-a3@1)", where)])
    name, pinned = m.group("name"), m.group("version")
    base = root / "layouts"
    candidates = [base / name] if pinned is None else [base / f"{name}@{pinned}", base / name]
    for folder in candidates:
        config, findings = _read_config(folder)
        if findings:
            raise EditionError(findings)
        if config is None:
            continue
        if pinned is None or config.version == int(pinned):
            layout = _layout(folder, config)
            _check_frozen(base, layout, where)
            return layout
    if pinned is not None:
        versions = sorted(_available(base, name))
        raise EditionError([error(
            "layout-version", f"layout {name} version {pinned} is not in layouts/ (available: "
            f"{', '.join(versions) or 'none'}); restore layouts/{name}@{pinned}/ from the "
            "repository history — an edition is rebuilt with the version it was made with",
            where)])
    raise EditionError([error("layout-missing", f"layout '{name}' not found: no "
                              f"layouts/{name}/layout.toml", where)])


REGISTRY = "versions.toml"
"""``layouts/versions.toml``: the SHA-256 of every layout version that printed an edition."""


def registered_digests(base: Path) -> dict[str, str]:
    path = base / REGISTRY
    if not path.is_file():
        return {}
    data, _, findings = load_toml(path)
    if findings:
        raise EditionError(findings)
    return {str(k): str(v) for k, v in (data or {}).items()}


def _check_frozen(base: Path, layout: Layout, where: Path | None) -> None:
    """A version that printed editions must not change under them."""
    expected = registered_digests(base).get(layout.ref)
    if expected is not None and expected != layout.digest:
        raise EditionError([error(
            "layout-changed", f"layout {layout.ref} has changed since editions were made with "
            f"it (its files no longer match layouts/{REGISTRY}); undo the change, or copy the "
            f"released version to layouts/{layout.name}@{layout.version}/, bump version in "
            f"layouts/{layout.name}/layout.toml and register the new version", where)])


def _available(base: Path, name: str) -> list[str]:
    found = []
    for folder in base.glob(f"{name}*"):
        config, _ = _read_config(folder)
        if config is not None and config.name == name:
            found.append(f"{name}@{config.version}")
    return found


def _read_config(folder: Path) -> tuple[LayoutConfig | None, list[Finding]]:
    path = folder / "layout.toml"
    if not path.is_file():
        return None, []
    data, text, findings = load_toml(path)
    if data is None:
        return None, findings
    try:
        return LayoutConfig.model_validate(data), []
    except ValidationError as exc:
        return None, pydantic_findings(exc, path, toml_key_lines(text))


def _layout(folder: Path, config: LayoutConfig) -> Layout:
    width = config.page_width * PT_PER_MM
    height = config.page_height * PT_PER_MM
    left = config.margin_outer * PT_PER_MM
    top = config.margin_top * PT_PER_MM
    gutter = config.gutter * PT_PER_MM
    inner_w = width - left - config.margin_inner * PT_PER_MM
    column_width = (inner_w - (config.columns - 1) * gutter) / config.columns
    inner_h = height - top - config.margin_bottom * PT_PER_MM
    lines = int(inner_h // config.line_height)
    grid = Grid(width, height, left, top, config.columns, column_width, gutter,
                config.line_height, lines)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder / "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"], default=True),
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        bytecode_cache=TemplateCache(Cache.of(folder.parents[1])),
    )
    return Layout(config.name, config.version, folder, config, grid, env)


TEMPLATES = "templates"
"""The cache's folder of compiled templates."""


class TemplateCache(jinja2.BytecodeCache):
    """The layout's templates compiled once, kept in the repository's cache: compiling them
    costs every build a twentieth of a second. An entry is named by the template, the digest of
    its source, typeset's code (which sets the environment's options) and Jinja's version; an
    entry that does not load as compiled code is discarded and the template compiled again."""

    def __init__(self, cache: Cache) -> None:
        self.cache = cache

    @staticmethod
    def name(bucket: jinja2.bccache.Bucket) -> str:
        return key(bucket.key, bucket.checksum, code_digest(), jinja2.__version__)[:40] + ".jinja"

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        name = self.name(bucket)
        data = self.cache.read(TEMPLATES, name)
        if data is None:
            return
        try:
            bucket.bytecode_from_string(data)
        except Exception:  # proven bytes, yet not Jinja's: compile again
            bucket.reset()
        if bucket.code is not None and not isinstance(bucket.code, types.CodeType):
            bucket.reset()
        if bucket.code is None:
            self.cache.discard(TEMPLATES, name, "not a compiled template")

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.cache.write(TEMPLATES, self.name(bucket), bucket.bytecode_to_string())
