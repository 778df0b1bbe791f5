"""The build cache: one place for where entries live, how they are keyed and written.

A rebuild after an edit repeats only the work whose inputs changed: parsed articles, measured
pieces, rendered pages, converted photos and subset fonts are kept under ``build/.cache/`` of the
newspaper's repository, each kind in its own folder, each entry named by a key that digests
everything it depends on (:func:`key`), typeset's own code included (:func:`code_digest`).
Cached and uncached builds give the same bytes; ``TYPESET_NO_CACHE=1`` turns the cache off.

Entries are written atomically (a temporary file renamed into place), so a reader never sees half
an entry; a cache that cannot be read or written only costs time.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

NO_CACHE_ENV = "TYPESET_NO_CACHE"
FOLDER = Path("build") / ".cache"
"""Where the cache lives, relative to the newspaper's repository."""


@dataclass(frozen=True)
class Cache:
    """The cache of one newspaper repository (``folder`` is None when the cache is off)."""

    folder: Path | None

    @classmethod
    def of(cls, root: Path) -> Cache:
        """The cache under ``root``, or a disabled one when ``TYPESET_NO_CACHE`` is set."""
        return cls(None if os.environ.get(NO_CACHE_ENV) else root / FOLDER)

    @property
    def enabled(self) -> bool:
        return self.folder is not None

    def kind(self, name: str) -> Path | None:
        """The folder of one kind of entry (``pages``, ``photos``…), or None when off."""
        return None if self.folder is None else self.folder / name

    def path(self, kind: str, name: str) -> Path | None:
        folder = self.kind(kind)
        return None if folder is None else folder / name

    def read(self, kind: str, name: str) -> bytes | None:
        """An entry's bytes, or None when it is missing, unreadable or the cache is off."""
        target = self.path(kind, name)
        if target is None:
            return None
        try:
            return target.read_bytes()
        except OSError:
            return None

    def write(self, kind: str, name: str, data: bytes) -> None:
        target = self.path(kind, name)
        if target is not None:
            write_entry(target, data)

    def remove(self, kind: str, name: str) -> None:
        target = self.path(kind, name)
        if target is not None:
            target.unlink(missing_ok=True)


def key(*parts: str | bytes) -> str:
    """A SHA-256 over ``parts`` (each separated, so that ("ab", "c") differs from ("a", "bc"))."""
    sha = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        sha.update(len(data).to_bytes(8, "big"))
        sha.update(data)
    return sha.hexdigest()


def write_entry(path: Path, data: bytes) -> None:
    """Store a cache entry atomically; a cache that cannot be written only costs time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError:
        pass


@lru_cache(maxsize=1)
def code_digest() -> str:
    """SHA-256 of typeset's own source: a changed rule or hyphenation hook invalidates caches."""
    sha = hashlib.sha256()
    package = Path(__file__).resolve().parent.parent
    for path in sorted(package.rglob("*.py")):
        sha.update(path.relative_to(package).as_posix().encode())
        sha.update(path.read_bytes())
    return sha.hexdigest()
