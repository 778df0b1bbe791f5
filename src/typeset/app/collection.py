"""``typeset archive``: every edition of the collection rebuilt with the layout it pins."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import EditionError, TypesetError
from ..core.parallel import set_jobs, workers
from .build import build_edition, collect_outputs
from .outputs import write_outputs


@dataclass
class Rebuilt:
    folder: str
    key: str
    ok: bool
    message: str


def rebuild_one(folder: str, out: str) -> Rebuilt:
    """Build one edition into ``out/<key>/`` (runs in a worker process)."""
    path = Path(folder)
    try:
        result = build_edition(path)
        files = collect_outputs(result)
        write_outputs(Path(out) / result.edition.key, files)
        return Rebuilt(folder, result.edition.key, True, f"{len(files)} files")
    except EditionError as exc:
        return Rebuilt(folder, path.name, False, "; ".join(str(f) for f in exc.errors[:5]))
    except TypesetError as exc:
        return Rebuilt(folder, path.name, False, str(exc))
    except Exception as exc:  # a bug: report it and go on with the other editions
        return Rebuilt(folder, path.name, False, f"unexpected {type(exc).__name__}: {exc}")


def rebuild_all(folders: list[Path], out: Path, jobs: int,
                advance: Callable[[Rebuilt], None]) -> list[Rebuilt]:
    results = []
    if jobs <= 1:
        for folder in folders:
            result = rebuild_one(str(folder), str(out))
            advance(result)
            results.append(result)
        return results
    # editions side by side share the cores: each measures and renders with fewer workers
    with ProcessPoolExecutor(max_workers=jobs, initializer=set_jobs,
                             initargs=(max(1, workers() // jobs),)) as pool:
        futures = [pool.submit(rebuild_one, str(f), str(out)) for f in folders]
        for future in as_completed(futures):
            result = future.result()
            advance(result)
            results.append(result)
    return sorted(results, key=lambda r: r.folder)
