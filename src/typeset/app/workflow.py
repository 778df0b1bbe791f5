"""The weekly workflow around a build: scaffold the next edition, verify, watch."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import UsageError


def editions(issues_dir: Path) -> list[Path]:
    """Every edition folder under ``issues/``, oldest first."""
    found = []
    for manifest in issues_dir.glob("*/*/issue.toml"):
        try:
            data = tomllib.loads(manifest.read_text("utf-8"))
        except (OSError, tomllib.TOMLDecodeError):
            data = {}
        date = data.get("date")
        key = (date if isinstance(date, dt.date) else dt.date.min, manifest.parent.name)
        found.append((key, manifest.parent))
    return [folder for _, folder in sorted(found)]


# -- typeset new ----------------------------------------------------------------------------------

def scaffold_next(root: Path, source: Path | None = None) -> Path:
    """Create the next edition after ``source`` (default: the latest): number + 1, date + 7 days.

    The page plan and layout are copied; the articles are left for the staff, so that
    ``typeset check`` on the new edition lists exactly the articles still to write.
    """
    issues = root / "issues"
    if source is None:
        existing = editions(issues)
        if not existing:
            raise UsageError(f"{issues}: no edition to start from; create issues/<YYYY>/<NNN>/"
                             "issue.toml by hand for the first one")
        source = existing[-1]
    manifest = source / "issue.toml"
    try:
        data = tomllib.loads(manifest.read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"{manifest}: cannot read it ({exc}); fix it or pass --from") from exc
    date = data["date"] + dt.timedelta(days=7)
    number = data["number"] + 1 if date.year == data["date"].year else 1
    target = issues / f"{date.year}" / f"{number:03d}"
    if target.exists():
        raise UsageError(f"{target} already exists; edition № {number} of {date.year} is "
                         "already started")
    lines = [f"number = {number}"]
    if "total" in data:
        lines.append(f"total = {data['total'] + 1}")
    lines.append(f"date = {date.isoformat()}")
    if "layout" in data:
        lines.append(f'layout = "{data["layout"]}"')
    if "circulation" in data:
        lines.append(f"circulation = {data['circulation']}")
    lines.append(f"# signed = {date - dt.timedelta(days=1)}T18:00:00   # «подписано в печать»")
    text = manifest.read_text("utf-8")
    pages = text[text.index("[[pages]]"):] if "[[pages]]" in text else "[[pages]]\narticles = []\n"
    (target / "articles").mkdir(parents=True)
    (target / "images").mkdir()
    (target / "issue.toml").write_text(
        f"# № {number} of {date:%d.%m.%Y}, started from {source.name}. The page plan below is "
        "last week's:\n# write the articles it names (typeset check lists the missing ones) "
        "or change the plan.\n" + "\n".join(lines) + "\n\n" + pages, "utf-8")
    return target


# -- typeset verify -------------------------------------------------------------------------------

@dataclass
class Difference:
    path: str
    what: str


def compare_trees(expected: dict[str, bytes], out_dir: Path) -> list[Difference]:
    """What differs between freshly built files and the files in ``out_dir``: every file
    counts, hidden ones too (a killed build's temporary files), but for the build's lock."""
    from .outputs import LOCK, staged_file

    diffs = []
    present = {p.relative_to(out_dir).as_posix(): p for p in out_dir.rglob("*")
               if p.is_file() and p.name != LOCK}
    present = {k: v for k, v in present.items() if not k.startswith("preview/")}
    for name, data in sorted(expected.items()):
        if name not in present:
            diffs.append(Difference(name, "missing"))
            continue
        have = present[name].read_bytes()
        if have != data:
            diffs.append(Difference(name, f"differs (sha256 {_sha(have)[:12]} here, "
                                          f"{_sha(data)[:12]} built)"))
    for name in sorted(set(present) - set(expected)):
        diffs.append(Difference(name, "a temporary file of an interrupted build (the next "
                                      "build removes it)" if staged_file(Path(name).name)
                                else "not produced by the sources"))
    return diffs


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# -- typeset watch --------------------------------------------------------------------------------

def watch_changes(paths: list[Path]) -> Iterator[set[str]]:
    """The set of files changed by every save under ``paths``.

    The watcher starts before this returns, so that a save made while the first build runs is
    seen too; editors' temporary and swap files are left out."""
    from watchfiles import watch

    events = watch(*paths, debounce=400, step=100, rust_timeout=200, yield_on_timeout=True)
    next(events)  # runs the watcher until its first timeout: from here on, saves are recorded
    return (names for changes in events
            if (names := {c[1] for c in changes if not scratch_file(c[1])}))


_SCRATCH = re.compile(r"(\.tmp|~|\.sw[a-p]|^4913|^sed[A-Za-z0-9]{6}|^\.goutputstream-\w+|"
                      r"^\.#.*|^#.*#)$")
"""Files editors and tools write while saving, never sources: vim's swap files and 4913
probe, ``sed -i``'s temporary, gedit's output stream, emacs' lock and autosave files, ours."""


def scratch_file(path: str) -> bool:
    """Whether a changed file is an editor's temporary, not a source."""
    return bool(_SCRATCH.search(Path(path).name))
