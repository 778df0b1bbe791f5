"""Step 1: load the manifest — newspaper.toml and issue.toml, checked together.

:func:`load_edition` finds the newspaper's repository above an edition folder, validates both
files, reads every article the pages name (step 2, :mod:`typeset.source.articles`) and checks
the page plan: missing files, double placements, continuations without a start, duplicate
editions. All problems are collected; it raises :class:`~typeset.core.errors.EditionError`
once, at the end.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import pickle
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from ..core.cache import Cache, code_digest, key
from ..core.errors import Finding, Findings, UsageError, display_path, error, warning
from ..core.models import IssueManifest, Newspaper
from ..core.validation import load_toml, pydantic_findings, toml_key_lines
from .articles import Article, read_article
from .images import ImageInfo, check_image


@dataclass
class Edition:
    """Everything an edition is made of, validated."""

    root: Path
    """The newspaper repository (the folder holding newspaper.toml)."""
    folder: Path
    """The edition folder, issues/<YYYY>/<NNN>."""
    paper: Newspaper
    manifest: IssueManifest
    articles: dict[str, Article]
    images: dict[str, ImageInfo] = field(default_factory=dict)
    """Checked images by their path relative to the edition folder."""
    manifest_lines: dict[tuple[str | int, ...], int] = field(default_factory=dict)
    """Lines of issue.toml by key path, e.g. ("pages", 0, "articles", 1), for messages."""
    findings: list[Finding] = field(default_factory=list)
    """Warnings found while loading (errors raise)."""

    @property
    def year(self) -> int:
        return self.manifest.date.year

    @property
    def number(self) -> int:
        return self.manifest.number

    @property
    def key(self) -> str:
        """``2024-016``: the stem of the edition's output files."""
        return f"{self.year}-{self.number:03d}"

    @property
    def layout_ref(self) -> str:
        return self.manifest.layout or self.paper.layout


def find_root(folder: Path) -> Path:
    """The nearest folder at or above ``folder`` that holds newspaper.toml."""
    for candidate in [folder, *folder.parents]:
        if (candidate / "newspaper.toml").is_file():
            return candidate
    raise UsageError(f"{folder}: no newspaper.toml found in this folder or above it; "
                     "run typeset inside the newspaper's repository")


def load_newspaper(root: Path) -> tuple[Newspaper | None, list[Finding]]:
    path = root / "newspaper.toml"
    data, text, findings = load_toml(path)
    if data is None:
        return None, findings
    try:
        return Newspaper.model_validate(data), []
    except ValidationError as exc:
        return None, pydantic_findings(exc, path, toml_key_lines(text))


def load_edition(folder: Path, typo: Callable[[str], str]) -> Edition:
    """Load and check one edition; raise EditionError with every problem found."""
    folder = folder.resolve()
    if not folder.is_dir() or not (folder / "issue.toml").is_file():
        what = "does not exist" if not folder.is_dir() else "has no issue.toml"
        raise UsageError(f"{display_path(folder)} {what}: an edition is a folder "
                         "issues/<YYYY>/<NNN>/ with an issue.toml (typeset new makes one)")
    root = find_root(folder)
    found = Findings()
    paper, paper_findings = load_newspaper(root)
    found.extend(paper_findings)

    manifest_path = folder / "issue.toml"
    data, text, toml_findings = load_toml(manifest_path)
    found.extend(toml_findings)
    manifest: IssueManifest | None = None
    lines = toml_key_lines(text)
    if data is not None:
        try:
            manifest = IssueManifest.model_validate(data)
        except ValidationError as exc:
            found.extend(pydantic_findings(exc, manifest_path, lines))
    if manifest is None or paper is None:
        found.raise_if_errors()
        raise AssertionError("unreachable")  # pragma: no cover

    found.extend(_check_plan(manifest, manifest_path, lines, folder))
    found.extend(_check_duplicates(root, folder, manifest, manifest_path, lines))

    articles: dict[str, Article] = {}
    images: dict[str, ImageInfo] = {}
    for page_index, page in enumerate(manifest.pages):
        for item_index, placement in enumerate(page.articles):
            slug = placement.slug
            if slug in articles or placement.continued:
                continue
            path = folder / "articles" / f"{slug}.md"
            if not path.is_file():
                line = lines.get(("pages", page_index, "articles", item_index))
                found.add(error("missing-article", f"article '{slug}' (page {page_index + 1}) "
                                f"not found: create articles/{slug}.md or fix the slug",
                                manifest_path, line))
                continue
            article, article_findings = _read_cached(root, path, slug, typo)
            found.extend(article_findings)
            if article is None:
                continue
            articles[slug] = article
            for k, photo in enumerate(article.meta.photos):
                line = article.lines.get(("photos", k, "src"), article.body_line)
                info, image_findings = check_image(folder, photo.src, path, line)
                found.extend(image_findings)
                if info is not None:
                    images[photo.src] = info
    _warn_unplaced(folder, manifest, found)
    found.raise_if_errors()
    return Edition(root, folder, paper, manifest, articles, images, lines, list(found))


def _read_cached(root: Path, path: Path, slug: str, typo: Callable[[str], str]
                 ) -> tuple[Article | None, list[Finding]]:
    """An article read before (same bytes, same code) comes from the cache's ``articles``."""
    cache = Cache.of(root)
    try:
        source = path.read_bytes()
    except OSError:
        return read_article(path, slug, typo)
    if not cache.enabled:
        return read_article(path, slug, typo)
    name = key(source, slug, str(path), code_digest())[:32] + ".pickle"
    data = cache.read(ARTICLES, name)
    if data is not None:
        try:  # proven by its digest (Cache.read), but perhaps of another shape
            article, findings = pickle.loads(data)
            if (article is None or isinstance(article, Article)) and isinstance(findings, list):
                return article, findings
        except Exception:
            pass
        cache.discard(ARTICLES, name, "not an articles entry")
    article, findings = read_article(path, slug, typo)
    with contextlib.suppress(pickle.PicklingError):
        cache.write(ARTICLES, name, pickle.dumps((article, findings)))
    return article, findings


ARTICLES = "articles"
"""The cache's folder of parsed articles."""


def _check_plan(manifest: IssueManifest, path: Path, lines: dict[tuple[str | int, ...], int],
                folder: Path) -> list[Finding]:
    """Each article starts once, continuations follow a start, no page is empty."""
    findings: list[Finding] = []
    started: dict[str, int] = {}
    for page_index, page in enumerate(manifest.pages):
        number = page_index + 1
        if not page.articles:
            findings.append(warning("empty-page", f"page {number} has no articles",
                                    path, lines.get(("pages", page_index))))
        for item_index, placement in enumerate(page.articles):
            line = lines.get(("pages", page_index, "articles", item_index))
            slug = placement.slug
            if placement.continued:
                if slug not in started:
                    findings.append(error(
                        "continuation-without-start",
                        f"page {number}: '{slug}' is marked continued = true but no earlier page "
                        "starts it; place it without 'continued' on an earlier page first",
                        path, line))
                elif started[slug] == number:
                    findings.append(error(
                        "continuation-same-page",
                        f"page {number}: '{slug}' is continued on the page it starts on; "
                        "continue it on a later page", path, line))
            elif slug in started:
                findings.append(error(
                    "placed-twice",
                    f"page {number}: '{slug}' is already placed on page {started[slug]}; to "
                    f"continue it here write {{ slug = \"{slug}\", continued = true }}",
                    path, line))
            else:
                started[slug] = number
    return findings


def _check_duplicates(root: Path, folder: Path, manifest: IssueManifest, path: Path,
                      lines: dict[tuple[str | int, ...], int]) -> list[Finding]:
    findings: list[Finding] = []
    year = manifest.date.year
    year_dir = folder.parent
    if year_dir.name.isdigit() and int(year_dir.name) != year:
        findings.append(error("wrong-year", f"the edition's date {manifest.date} is not in the "
                              f"year of its folder {year_dir.name}/; move the folder or fix the "
                              "date", path, lines.get(("date",))))
    if re.fullmatch(r"\d{3}", folder.name) and int(folder.name) != manifest.number:
        # the outputs are named by the number: a mismatch puts them where nobody looks
        findings.append(error("folder-number", f"folder {folder.name} holds edition number "
                              f"{manifest.number}; fix the number, or rename the folder "
                              f"{manifest.number:03d}", path, lines.get(("number",))))
    signed = manifest.signed
    if signed is not None and signed.date() > manifest.date:
        findings.append(warning("signed-late", f"signed for print {signed:%Y-%m-%d %H:%M}, "
                                f"after the edition's date {manifest.date}; the imprint prints "
                                "it as it is — check the date", path, lines.get(("signed",))))
    for other in sorted(year_dir.glob("*/issue.toml")):
        if other.parent.resolve() == folder:
            continue
        data, _, _problems = load_toml(other)
        if data and data.get("number") == manifest.number and _year(data) == year:
            findings.append(error("duplicate-edition", f"edition № {manifest.number} of {year} "
                                  f"is also in {other.parent}; each number appears once a year",
                                  path))
    return findings


def _year(data: dict[str, object]) -> int | None:
    date = data.get("date")
    return date.year if isinstance(date, dt.date) else None


def _warn_unplaced(folder: Path, manifest: IssueManifest, found: Findings) -> None:
    placed = {p.slug for page in manifest.pages for p in page.articles}
    for path in sorted((folder / "articles").glob("*.md")):
        if path.stem not in placed:
            found.add(warning("unplaced-article", f"article '{path.stem}' is on no page; add it "
                              "to a [[pages]] table or move it out of articles/", path))
