"""Step 1: load the manifest — newspaper.toml and issue.toml, checked together.

:func:`load_edition` finds the newspaper's repository above an edition folder, validates both
files, reads every article the pages name (step 2, :mod:`typeset.source.articles`) and checks
the page plan: missing files, double placements, continuations without a start, duplicate
editions. All problems are collected; it raises :class:`~typeset.core.errors.EditionError`
once, at the end.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import pickle
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..core.cache import Cache, code_digest, key
from ..core.errors import Finding, Findings, Severity, UsageError, display_path, error, warning
from ..core.models import IssueManifest, Newspaper
from ..core.validation import load_toml, pydantic_findings, toml_key_lines
from ..typography import CODES as PROOFREADING_CODES
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
    """What was found while loading: warnings, and errors when not loaded ``strict``."""
    pages_in_error: set[int] = field(default_factory=set)
    """Pages whose plan in issue.toml has errors (laid out without the values in error, see
    :func:`load_edition`): what laying them out finds would only follow from those."""

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


def layout_reference(folder: Path) -> str | None:
    """The layout an edition names (its issue.toml, else newspaper.toml), read before anything
    is checked — the layout decides how the articles are typeset; None when neither file says
    (their errors are reported when the edition is loaded)."""
    for path in (folder / "issue.toml", find_root(folder.resolve()) / "newspaper.toml"):
        try:
            ref = tomllib.loads(path.read_text("utf-8")).get("layout")
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue
        if isinstance(ref, str):
            return ref
    return None


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
        paper = Newspaper.model_validate(data)
    except ValidationError as exc:
        return None, pydantic_findings(exc, path, toml_key_lines(text))
    unknown = sorted(set(paper.proofreading.off) - set(PROOFREADING_CODES))
    if unknown:
        return None, [error("schema", f"[proofreading] off names no proofreading check: "
                            f"{', '.join(unknown)}; the checks are "
                            f"{', '.join(PROOFREADING_CODES)}", path,
                            toml_key_lines(text).get(("proofreading", "off")))]
    return paper, []


def load_edition(folder: Path, typo: Callable[[str], str], *, strict: bool = True,
                 typo_key: str = "") -> Edition:
    """Load and check one edition; raise EditionError with every problem found.

    ``typo`` typesets the articles' text; ``typo_key`` names it in the cache's keys (the rule
    set: a parsed article is reused only when it was typeset the same way).

    With ``strict`` off the errors are in the edition's findings instead, and the edition holds
    as much as its files allow (an issue.toml with schema errors is read without the values in
    error, an article that cannot be read is left out), so that the later steps can report
    their errors too. It still raises when there is no edition to go on with: newspaper.toml
    or issue.toml unreadable (the articles are checked first all the same)."""
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
    stand_ins: set[str] = set()
    pages_in_error: set[int] = set()
    if data is not None:
        try:
            manifest = IssueManifest.model_validate(data)
        except ValidationError as exc:
            found.extend(pydantic_findings(exc, manifest_path, lines))
            manifest, lines, stand_ins = _repaired(data, exc, lines, folder)
            pages_in_error = {int(loc[1]) + 1 for err in exc.errors()
                              if len(loc := err["loc"]) > 1 and loc[0] == "pages"
                              and isinstance(loc[1], int)}

    if manifest is not None:
        plan_findings = _check_plan(manifest, manifest_path, lines, folder)
        found.extend(plan_findings)
        pages_in_error |= {f.page for f in plan_findings
                           if f.severity is Severity.ERROR and f.page is not None}
        if not stand_ins & {"number", "date"}:
            found.extend(_check_duplicates(root, folder, manifest, manifest_path, lines))
        placed: list[tuple[str, tuple[str | int, ...] | None]] = [
            (slug, ("pages", page, "articles", item)) for page, item, slug in _starts(manifest)]
    else:  # no page plan: check every article of the folder all the same
        placed = [(path.stem, None) for path in sorted((folder / "articles").glob("*.md"))]

    articles: dict[str, Article] = {}
    images: dict[str, ImageInfo] = {}
    proofreading_off = frozenset(paper.proofreading.off if paper else ())
    for slug, where in placed:
        if slug in articles:
            continue
        path = folder / "articles" / f"{slug}.md"
        if not path.is_file():
            assert where is not None
            found.add(error("missing-article", f"article '{slug}' (page {int(where[1]) + 1}) "
                            f"not found: create articles/{slug}.md or fix the slug",
                            manifest_path, lines.get(where)))
            continue
        article, article_findings = _read_cached(root, path, slug, typo, typo_key,
                                                 proofreading_off)
        found.extend(article_findings)
        if article is None:
            continue
        articles[slug] = article
        for k, photo in enumerate(article.meta.photos):
            line = article.lines.get(("photos", k, "src"), article.body_line)
            info, image_findings = check_image(folder, photo.src, path, line, Cache.of(root))
            found.extend(image_findings)
            if info is not None:
                images[photo.src] = info
    if manifest is None or paper is None:
        found.raise_if_errors()
        raise AssertionError("unreachable")  # pragma: no cover
    _warn_unplaced(folder, manifest, found)
    if strict:
        found.raise_if_errors()
    return Edition(root, folder, paper, manifest, articles, images, lines, list(found),
                   pages_in_error)


def _starts(manifest: IssueManifest) -> list[tuple[int, int, str]]:
    """(page index, item index, slug) of every placement that starts an article."""
    return [(page_index, item_index, placement.slug)
            for page_index, page in enumerate(manifest.pages)
            for item_index, placement in enumerate(page.articles) if not placement.continued]


Lines = dict[tuple[str | int, ...], int]


def _repaired(data: dict[str, Any], exc: ValidationError, lines: Lines, folder: Path
              ) -> tuple[IssueManifest | None, Lines, set[str]]:
    """The manifest without the values in error (reported already), to check the rest of the
    edition with: a key in error is left out (its default applies), a placement whose slug is
    in error is left out (the lines of the others follow them), a wrong or missing ``number``
    or ``date`` gets a stand-in from the folder's name. Returns it (None when no page plan is
    left), its lines, and the top-level keys that got stand-ins."""
    data = copy.deepcopy(data)
    lines = dict(lines)
    stand_ins: set[str] = set()
    for _ in range(4):
        dropped: set[tuple[int, int]] = set()
        for err in exc.errors():
            loc = tuple(part for part in err["loc"]
                        if not (isinstance(part, str) and part.startswith("function")))
            if loc[:1] == ("number",):
                data["number"] = int(folder.name) if folder.name.isdigit() else 1
                stand_ins.add("number")
            elif loc[:1] == ("date",):
                year = folder.parent.name
                data["date"] = dt.date(int(year) if year.isdigit() else 2000, 1, 1)
                stand_ins.add("date")
            elif len(loc) >= 4 and loc[0] == "pages" and loc[2] == "articles":
                page, item = int(loc[1]), int(loc[3])
                if len(loc) == 4 or loc[4] == "slug" or not _delete(
                        data["pages"][page]["articles"][item], loc[4:]):
                    dropped.add((page, item))
            elif len(loc) < 2 or loc[0] == "pages" or not _delete(data, loc):
                return None, lines, stand_ins  # the page plan itself is wrong
        for page, item in sorted(dropped, reverse=True):
            del data["pages"][page]["articles"][item]
            lines = _lines_without(lines, page, item)
        try:
            return IssueManifest.model_validate(data), lines, stand_ins
        except ValidationError as again:
            exc = again
    return None, lines, stand_ins


def _delete(container: Any, loc: tuple[str | int, ...]) -> bool:
    """Delete the key at ``loc`` (a path of keys) from nested tables; False when it is not a
    key of a table (then the caller leaves out what holds it)."""
    for part in loc[:-1]:
        try:
            container = container[part]
        except (KeyError, IndexError, TypeError):
            return False
    if isinstance(container, dict) and loc[-1] in container:
        del container[loc[-1]]
        return True
    return False


def _lines_without(lines: Lines, page: int, item: int) -> Lines:
    """The lines of the manifest with placement ``item`` of ``page`` left out: the lines of the
    placements after it move down one index."""
    moved: Lines = {}
    for loc, line in lines.items():
        if len(loc) >= 4 and loc[:3] == ("pages", page, "articles") and isinstance(loc[3], int):
            if loc[3] == item:
                continue
            if loc[3] > item:
                loc = (*loc[:3], loc[3] - 1, *loc[4:])
        moved[loc] = line
    return moved


def _read_cached(root: Path, path: Path, slug: str, typo: Callable[[str], str], typo_key: str,
                 skip: frozenset[str]) -> tuple[Article | None, list[Finding]]:
    """An article read before (same bytes, same code) comes from the cache's ``articles``."""
    cache = Cache.of(root)
    try:
        source = path.read_bytes()
    except OSError:
        return read_article(path, slug, typo, skip)
    if not cache.enabled:
        return read_article(path, slug, typo, skip)
    name = key(source, slug, str(path), code_digest(), typo_key, *sorted(skip))[:32] + ".pickle"
    data = cache.read(ARTICLES, name)
    if data is not None:
        try:  # proven by its digest (Cache.read), but perhaps of another shape
            article, findings = pickle.loads(data)
            if (article is None or isinstance(article, Article)) and isinstance(findings, list):
                return article, findings
        except Exception:
            pass
        cache.discard(ARTICLES, name, "not an articles entry")
    article, findings = read_article(path, slug, typo, skip)
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
        # a blank page is never what a printer should get (a page of ads carries its ads)
        if not page.articles and not page.ads:
            findings.append(error(
                "empty-page", f"page {number} has no articles and would print blank; place "
                "an article on it or remove its [[pages]] table",
                path, lines.get(("pages", page_index, "articles"),
                                lines.get(("pages", page_index))), page=number))
        for item_index, placement in enumerate(page.articles):
            line = lines.get(("pages", page_index, "articles", item_index))
            slug = placement.slug
            if placement.continued:
                if slug not in started:
                    findings.append(error(
                        "continuation-without-start",
                        f"page {number}: '{slug}' is marked continued = true but no earlier page "
                        "starts it; place it without 'continued' on an earlier page first",
                        path, line, page=number, article=slug))
                elif started[slug] == number:
                    findings.append(error(
                        "continuation-same-page",
                        f"page {number}: '{slug}' is continued on the page it starts on; "
                        "continue it on a later page", path, line, page=number, article=slug))
            elif started.get(slug) == number:  # continuing it on its own page is no fix
                findings.append(error(
                    "placed-twice", f"page {number}: '{slug}' is placed twice on this page; "
                    "remove one of the two placements", path, line, page=number, article=slug))
            elif slug in started:
                findings.append(error(
                    "placed-twice",
                    f"page {number}: '{slug}' is already placed on page {started[slug]}; to "
                    f"continue it here write {{ slug = \"{slug}\", continued = true }}",
                    path, line, page=number, article=slug))
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
