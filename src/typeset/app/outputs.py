"""Step 7: write the outputs, all or nothing.

Every file is first written under a temporary name in the output folder and renamed into place
only when all of them are written, so that a failed or interrupted build leaves the previous good
outputs untouched, and a lock keeps two builds of one edition from interleaving their files.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any


@contextlib.contextmanager
def locked(out_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on the output folder for the duration of a write."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with open(out_dir / ".typeset.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_outputs(out_dir: Path, files: Mapping[str, bytes]) -> list[Path]:
    """Write ``files`` (relative path → bytes) into ``out_dir`` atomically, as one set."""
    written: list[Path] = []
    with locked(out_dir):
        staged: list[tuple[Path, Path]] = []
        try:
            for relative, data in files.items():
                target = out_dir / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                                dir=target.parent)
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
                staged.append((Path(tmp_name), target))
        except BaseException:
            for tmp, _ in staged:
                tmp.unlink(missing_ok=True)
            raise
        for tmp, target in staged:
            os.chmod(tmp, 0o644)
            os.replace(tmp, target)
            written.append(target)
    return written


def json_bytes(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode()
