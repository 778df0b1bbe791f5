"""Import an article from a Word file: ``typeset import FILE.docx ISSUE_DIR``.

1. **Open the package.** Refuse what is not a .docx: an OLE compound file (``D0 CF 11 E0``: a
   password-protected .docx or an old .doc), a renamed text file, a damaged or Strict OOXML
   package.
2. **Scan the XML** (lxml) for what mammoth does not report: where each paragraph is (its
   number and first words), tables, text boxes, comments, footnotes, tracked changes, fields,
   hidden text, framed or shaded paragraphs, dash bullets, the meaning of each Word style.
   Every paragraph gets an invisible marker run so that mammoth's output can be traced back.
3. **Convert with mammoth**: Word styles are first named by their role here (title, subtitle,
   rubric, author, lead, caption, quote, fact, dialogue, heading N, plain), then mammoth's style
   map turns them into clean HTML; pictures are collected as they come.
4. **Shape the article**: title, rubric, subtitle, lead and author into the front matter;
   pictures with their captions and credits into ``photos:``; the rest into body blocks.
5. **Write Markdown**, escaping whatever CommonMark would read as markup, and check every
   paragraph by reading it back.
6. **Check and write**: the article is read back with :func:`typeset.source.articles.read_article`
   and its words compared with the document's; pictures pass
   :func:`typeset.source.images.check_image`; then pictures and article are written to temporary
   names and renamed into place.

Whatever cannot be carried is a warning that says where it was; nothing is dropped silently.

One module per step: :mod:`.package` (1), :mod:`.scan` (2), :mod:`.convert` (3), :mod:`.shape`
(4), :mod:`.markdown` (5), :mod:`.write` (6); :mod:`.messages` holds the refusals and warnings,
:mod:`.slug` the slug. This module is the public API.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ...core.errors import Finding, TypesetError, UsageError, display_path
from ...core.models import SLUG
from .convert import Picture, convert_document
from .markdown import article_markdown, escape_inline, escape_line, inline_markdown, markdown_text
from .messages import ArticleExistsError, ImportRefused, NotDocxError, Notes
from .package import open_package
from .scan import scan_document, style_role
from .shape import check_pictures, shape_article, split_credit
from .slug import slugify
from .write import write_article

__all__ = [
    "ArticleExistsError",
    "ImportRefused",
    "ImportResult",
    "NotDocxError",
    "docx_files",
    "escape_inline",
    "escape_line",
    "import_docx",
    "import_many",
    "inline_markdown",
    "markdown_text",
    "slugify",
    "split_credit",
    "style_role",
]


@dataclass(frozen=True)
class ImportResult:
    """What one import wrote."""

    source: Path
    slug: str
    article: Path
    images: list[Path]
    words: int
    """Words of the article as read back (front matter and body)."""
    warnings: list[Finding]


def import_docx(source: Path, issue_dir: Path, *, slug: str | None = None,
                force: bool = False) -> ImportResult:
    """Import one Word file as ``issue_dir/articles/<slug>.md`` with its pictures.

    Raises :class:`ImportRefused` (a :class:`~typeset.errors.TypesetError`) when the file cannot
    be imported or would overwrite an article without ``force``, and
    :class:`~typeset.errors.UsageError` for a ``slug`` that is not one; nothing is written then.
    """
    try:
        return _import(source, issue_dir, slug, force)
    except ImportRefused as exc:
        raise type(exc)(f"{display_path(source)}: {exc}") from None


def _import(source: Path, issue_dir: Path, slug: str | None, force: bool) -> ImportResult:
    slug = slug or slugify(source.stem)
    if not slug:
        raise ImportRefused("cannot make a slug from the file name; name the article with "
                            "--slug")
    if not re.fullmatch(SLUG, slug):
        raise UsageError(f"--slug '{slug}': use lower-case Latin letters, digits and '-' "
                         "(at most 64, starting with a letter or digit)")
    article_path = issue_dir / "articles" / f"{slug}.md"
    if article_path.exists() and not force:
        raise ArticleExistsError(f"{display_path(article_path)} exists; pass --force to "
                                 "replace it")
    parts = open_package(source)
    scan = scan_document(parts)
    notes = Notes(source)
    for code, message, at in scan.notes:
        notes.add(code, message, at)
    pictures: list[Picture] = []
    blocks = convert_document(parts, scan, pictures, notes)
    with tempfile.TemporaryDirectory(prefix="typeset-import-") as tmp:
        photos = check_pictures(pictures, slug, Path(tmp), article_path)
    draft = shape_article(blocks, photos, notes)
    markdown = article_markdown(draft, notes)
    images = [(issue_dir / p.src, p.data) for p in draft.photos]
    existing = [path for path, _ in images if path.exists()]
    if existing and not force:
        raise ArticleExistsError(f"{display_path(existing[0])} exists; pass --force to "
                                 "replace it")
    article, words = write_article(slug, issue_dir, markdown, images, scan, notes)
    return ImportResult(source, slug, article, [p for p, _ in images], words, notes.items)


def docx_files(paths: Iterable[Path]) -> list[Path]:
    """The Word files named: each file itself, each folder's ``*.docx`` (Word's ``~$`` lock
    files left out), in order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.iterdir() if p.suffix.lower() == ".docx"
                                and not p.name.startswith("~$") and p.is_file()))
        else:
            found.append(path)
    return found


def import_many(sources: Sequence[Path], issue_dir: Path, *, slug: str | None = None,
                force: bool = False,
                on_result: Callable[[Path, ImportResult | TypesetError], None] | None = None,
                ) -> list[ImportResult | TypesetError]:
    """Import every file; a file that fails does not stop the others. Two files that would
    make the same slug: the second fails."""
    results: list[ImportResult | TypesetError] = []
    seen: dict[str, Path] = {}
    for source in sources:
        outcome: ImportResult | TypesetError
        wanted = slug or slugify(source.stem)
        if wanted in seen:
            outcome = ImportRefused(f"{display_path(source)}: makes the same slug "
                                    f"'{wanted}' as {display_path(seen[wanted])}; import it "
                                    "with --slug")
        else:
            try:
                outcome = import_docx(source, issue_dir, slug=slug, force=force)
                seen[wanted] = source
            except UsageError:
                raise
            except TypesetError as exc:
                outcome = exc
        results.append(outcome)
        if on_result is not None:
            on_result(source, outcome)
    return results
