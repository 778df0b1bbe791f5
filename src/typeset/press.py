"""Step 6a: prepress — print-ready press files, the composite PDF, preflight.

(Being written: the functions below are the interface the pipeline calls.)
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import Finding

if TYPE_CHECKING:
    from .build import BuildResult
    from .manifest import Edition


def image_transform(edition: Edition) -> Callable[[Path], tuple[bytes, str] | None] | None:
    """What the fetcher serves instead of an edition image (CMYK conversion), or None."""
    return None


def make_composite(result: BuildResult) -> bytes:
    """The whole-edition PDF for layout staff: trimmed page shown, deterministic."""
    return result.pdf


def make_press_files(result: BuildResult) -> tuple[dict[str, bytes], list[Finding]]:
    """One print-ready PDF per page, named by the printer's pattern, plus SHA256SUMS."""
    return {}, []
