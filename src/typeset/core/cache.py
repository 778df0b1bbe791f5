"""The build cache: one place for where entries live, how they are keyed, written and proven.

A rebuild after an edit repeats only the work whose inputs changed: parsed articles, measured
pieces, rendered pages, converted photos and subset fonts are kept under ``build/.cache/`` of the
newspaper's repository, each kind in its own folder, each entry named by a key that digests
everything it depends on (:func:`key`), typeset's own code included (:func:`code_digest`).
Cached and uncached builds give the same bytes; ``TYPESET_NO_CACHE=1`` turns the cache off.

Every entry proves itself: it is stored behind a header holding the digest of its own kind and
name and the digest of its content, and both are checked on every read. An entry that is
truncated, damaged, written for another name (a "foreign" entry) or unreadable, or that a
caller's check finds of the wrong type, is discarded (deleted, so that it is made again) and
recorded: :func:`take_discarded` gives the build what to say about it. A cache only ever costs
time; it can never change an output. Entries are written atomically (a temporary file renamed
into place), so a reader never sees half an entry.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

NO_CACHE_ENV = "TYPESET_NO_CACHE"
FOLDER = Path("build") / ".cache"
"""Where the cache lives, relative to the newspaper's repository."""
MAGIC = b"typeset-cache 1\n"
"""The first bytes of every entry: what it is and the version of this format."""
_DIGEST = 32
_HEADER = len(MAGIC) + 2 * _DIGEST
_BYPASS = False
_DISCARDED: list[Discard] = []


@dataclass(frozen=True)
class Discard:
    """A cache entry that could not be used and was deleted."""

    kind: str
    name: str
    reason: str


@dataclass(frozen=True)
class Cache:
    """The cache of one newspaper repository (``folder`` is None when the cache is off)."""

    folder: Path | None

    @classmethod
    def of(cls, root: Path) -> Cache:
        """The cache under ``root``, or a disabled one when ``TYPESET_NO_CACHE`` is set (or
        while :func:`bypassed`)."""
        off = _BYPASS or os.environ.get(NO_CACHE_ENV)
        return cls(None if off else root / FOLDER)

    @property
    def enabled(self) -> bool:
        return self.folder is not None

    def path(self, kind: str, name: str) -> Path | None:
        """Where an entry lives (None when the cache is off)."""
        return None if self.folder is None else self.folder / kind / name

    def read(self, kind: str, name: str, valid: Callable[[bytes], bool] | None = None
             ) -> bytes | None:
        """An entry's content, proven: None when it is missing or the cache is off.

        An entry whose header or digest does not match, that cannot be read, or whose content
        ``valid`` refuses, is discarded (see :meth:`discard`) and None returned."""
        target = self.path(kind, name)
        if target is None:
            return None
        try:
            raw = target.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            self.discard(kind, name, f"unreadable ({exc.strerror or exc})")
            return None
        data, problem = unwrap(kind, name, raw)
        if data is not None and valid is not None and not _accepts(valid, data):
            data, problem = None, f"not a {kind} entry"
        if data is None:
            self.discard(kind, name, problem)
        return data

    def write(self, kind: str, name: str, data: bytes) -> None:
        """Store an entry atomically with its proof; a cache that cannot be written only costs
        time."""
        target = self.path(kind, name)
        if target is None:
            return
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=target.parent)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(wrap(kind, name, data))
                os.replace(tmp, target)
            except BaseException:
                os.unlink(tmp)
                raise
        except OSError:
            pass

    def remove(self, kind: str, name: str) -> None:
        target = self.path(kind, name)
        if target is not None:
            with contextlib.suppress(OSError):
                target.unlink(missing_ok=True)

    def remembered(self, kind: str, parts: tuple[str | bytes, ...], compute: Callable[[], T],
                   accept: Callable[[object], bool]) -> T:
        """``compute()``, or what it gave before for the same ``parts`` (and the same code of
        typeset): a pure, costly answer kept pickled under the key of its inputs. An entry that
        does not unpickle to what ``accept`` takes is discarded and computed again."""
        name = key(*parts, code_digest())[:32] + ".pickle"
        data = self.read(kind, name)
        if data is not None:
            try:
                value = pickle.loads(data)
            except Exception:  # proven by its digest, but of another shape: compute again
                value = None
            if value is not None and accept(value):
                return value  # type: ignore[no-any-return]
            self.discard(kind, name, f"not a {kind} entry")
        value = compute()
        self.write(kind, name, pickle.dumps(value))
        return value

    def discard(self, kind: str, name: str, reason: str) -> None:
        """Delete an entry that cannot be used and record why (:func:`take_discarded`)."""
        self.remove(kind, name)
        record_discard(kind, name, reason)


def wrap(kind: str, name: str, data: bytes) -> bytes:
    """An entry as stored: the header (its kind and name, its content's digest), the content."""
    return (MAGIC + hashlib.sha256(f"{kind}/{name}".encode()).digest()
            + hashlib.sha256(data).digest() + data)


def unwrap(kind: str, name: str, raw: bytes) -> tuple[bytes | None, str]:
    """An entry's content if its header proves it, else None and what is wrong with it."""
    if not raw.startswith(MAGIC):
        return None, "not a typeset cache entry"
    if len(raw) < _HEADER:
        return None, "truncated"
    owner = raw[len(MAGIC):len(MAGIC) + _DIGEST]
    digest, data = raw[len(MAGIC) + _DIGEST:_HEADER], raw[_HEADER:]
    if owner != hashlib.sha256(f"{kind}/{name}".encode()).digest():
        return None, "written for another entry"
    if hashlib.sha256(data).digest() != digest:
        return None, "damaged"
    return data, ""


def _accepts(valid: Callable[[bytes], bool], data: bytes) -> bool:
    try:
        return valid(data)
    except Exception:  # a check that cannot even look at the data refuses it
        return False


def record_discard(kind: str, name: str, reason: str) -> None:
    """Record an unusable entry (or a part of one) that its reader drops and makes again."""
    _DISCARDED.append(Discard(kind, name, reason))


def take_discarded() -> list[Discard]:
    """The entries discarded in this process since the last call (and forget them)."""
    taken = list(_DISCARDED)
    _DISCARDED.clear()
    return taken


def discarded_line(discarded: list[Discard]) -> str | None:
    """One line for the build's output: how many entries were discarded, of which kinds, why."""
    if not discarded:
        return None
    kinds: dict[str, list[str]] = {}
    for item in discarded:
        kinds.setdefault(item.kind, []).append(item.reason)
    what = ", ".join(f"{kind} {len(reasons)} ({'; '.join(sorted(set(reasons)))})"
                     for kind, reasons in sorted(kinds.items()))
    count = len(discarded)
    return (f"cache: {count} unusable entr{'ies' if count != 1 else 'y'} discarded and made "
            f"again: {what}")


@contextlib.contextmanager
def bypassed() -> Iterator[None]:
    """Within ``with bypassed():`` every :meth:`Cache.of` is off: nothing is read or written
    (``typeset verify`` builds from the sources alone; forked workers inherit it)."""
    global _BYPASS
    before, _BYPASS = _BYPASS, True
    try:
        yield
    finally:
        _BYPASS = before


def key(*parts: str | bytes) -> str:
    """A SHA-256 over ``parts`` (each separated, so that ("ab", "c") differs from ("a", "bc"))."""
    sha = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        sha.update(len(data).to_bytes(8, "big"))
        sha.update(data)
    return sha.hexdigest()


@lru_cache(maxsize=1)
def code_digest() -> str:
    """SHA-256 of typeset's own source: a changed rule or hyphenation hook invalidates caches."""
    sha = hashlib.sha256()
    package = Path(__file__).resolve().parent.parent
    for path in sorted(package.rglob("*.py")):
        sha.update(path.relative_to(package).as_posix().encode())
        sha.update(path.read_bytes())
    return sha.hexdigest()
