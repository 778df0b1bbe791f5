"""Step 6 of an import: check and write.

The article is read back with :func:`typeset.source.articles.read_article` and its words
compared with the document's; then pictures and article, written to temporary names, are renamed
into place. Nothing is left behind when the check fails.
"""

from __future__ import annotations

import collections
import os
import re
import tempfile
import unicodedata
from pathlib import Path

from ...core.errors import Severity
from ..articles import read_article
from .convert import INVISIBLE
from .messages import ImportRefused, Notes
from .scan import Scan


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", unicodedata.normalize("NFKC", text.translate(INVISIBLE)))


def write_article(slug: str, issue_dir: Path, markdown: str,
                  images: list[tuple[Path, bytes]], scan: Scan,
                  notes: Notes) -> tuple[Path, int]:
    """Pictures and article written under temporary names, the article read back and its
    words checked, then all renamed into place; the article's path and its words as read back."""
    articles = issue_dir / "articles"
    articles.mkdir(parents=True, exist_ok=True)
    target = articles / f"{slug}.md"
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in images:
            staged.append((_stage(path, data), path))
        tmp = _stage(target, markdown.encode("utf-8"))
        staged.append((tmp, target))
        article, findings = read_article(tmp, slug, lambda text: text)
        errors = [f for f in findings if f.severity is Severity.ERROR]
        if article is None or errors:
            raise ImportRefused("the converted article does not read back (a bug in typeset "
                                "import): "
                                + "; ".join(f.message for f in errors))
        missing = collections.Counter(_words(" ".join(scan.words_text)))
        missing.subtract(collections.Counter(_words(article.text())))
        lost = sorted(w for w, n in missing.items() if n > 0)
        if lost:
            notes.add("lost-words", "words of the document missing from the article (a bug in "
                      f"typeset import; please report it): {', '.join(lost[:12])}")
    except BaseException:
        for tmp_path, _ in staged:
            tmp_path.unlink(missing_ok=True)
        raise
    for tmp_path, path in staged:
        os.replace(tmp_path, path)
    written = {path.name for path, _ in images}
    for old in sorted((issue_dir / "images").glob(f"{slug}-*")):
        if re.fullmatch(rf"{re.escape(slug)}-\d+\.(?:jpg|png|tif)", old.name) and \
                old.name not in written:
            notes.add("stale-picture", f"images/{old.name} is left from an earlier import; "
                      "delete it if nothing uses it")
    return target, len(article.words())


def _stage(path: Path, data: bytes) -> Path:
    """``data`` written beside ``path`` under a temporary name, ready to be renamed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(name, 0o644)
    return Path(name)
