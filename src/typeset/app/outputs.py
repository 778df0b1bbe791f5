"""Step 7: write the outputs, all or nothing.

Every file is first written under a temporary name in the output folder and renamed into place
only when all of them are written, so that a failed or interrupted build leaves the previous good
outputs untouched, and a lock keeps two builds of one edition from interleaving their files.
A folder that cannot be written (no permission, a full disk) is a :class:`OutputError` naming
the file, with every temporary file removed; the temporary files a killed build left behind are
removed by the next write into the same folders.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import re
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ..core.errors import TypesetError, display_path

LOCK = ".typeset.lock"
"""The lock file in an output folder (the one hidden file of ours that stays)."""
_STAGED = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")
"""A staged output, as :func:`tempfile.mkstemp` names it below: ``.<name>.<8 chars>.tmp``."""
_WHY = {errno.ENOSPC: "disk full", errno.EDQUOT: "disk quota exceeded",
        errno.EACCES: "permission denied", errno.EPERM: "permission denied",
        errno.EROFS: "read-only file system"}


class OutputError(TypesetError):
    """An output could not be written (exit status 1); the earlier outputs are kept."""


def staged_file(name: str) -> bool:
    """Whether a file name is one of our temporary outputs (see :func:`write_outputs`)."""
    return bool(_STAGED.match(name))


@contextlib.contextmanager
def locked(out_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on the output folder for the duration of a write."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with open(out_dir / LOCK, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_outputs(out_dir: Path, files: Mapping[str, bytes]) -> list[Path]:
    """Write ``files`` (relative path → bytes) into ``out_dir`` atomically, as one set.

    Raises :class:`OutputError` ("cannot write OUT_DIR/…: disk full") when a file cannot be
    written; no temporary file is left and the earlier outputs are untouched."""
    where = out_dir
    try:
        with locked(out_dir):
            folders = {out_dir, *((out_dir / relative).parent for relative in files)}
            remove_stale(folders)
            staged: list[tuple[Path, Path]] = []
            try:
                for relative, data in files.items():
                    target = where = out_dir / relative
                    target.parent.mkdir(parents=True, exist_ok=True)
                    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                                    dir=target.parent)
                    staged.append((Path(tmp_name), target))
                    with os.fdopen(fd, "wb") as handle:
                        handle.write(data)
                        handle.flush()
                        os.fsync(handle.fileno())
                    os.chmod(tmp_name, 0o644)
                written: list[Path] = []
                for tmp, target in staged:
                    where = target
                    os.replace(tmp, target)
                    written.append(target)
                return written
            finally:  # after a failure: no temporary file stays (renamed ones are gone)
                for tmp, _ in staged:
                    with contextlib.suppress(OSError):
                        tmp.unlink(missing_ok=True)
    except OSError as exc:
        why = _WHY.get(exc.errno or 0, (exc.strerror or str(exc)).lower())
        raise OutputError(f"cannot write {display_path(where)}: {why}; the earlier outputs "
                          "are kept") from exc


def remove_stale(folders: set[Path]) -> None:
    """Remove the temporary outputs a killed build left in ``folders`` (called under the lock,
    so no other build of ours is writing them)."""
    for folder in folders:
        with contextlib.suppress(OSError):
            for path in folder.iterdir():
                if staged_file(path.name) and path.is_file():
                    path.unlink(missing_ok=True)


def json_bytes(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode()
