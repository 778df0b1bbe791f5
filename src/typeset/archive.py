"""Step 6b: the archive file — PDF/A of the whole edition with its metadata.

(Being written: the function below is the interface the pipeline calls.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .build import BuildResult


def make_archive(result: BuildResult) -> bytes:
    """The edition as PDF/A-2b with title, date, language and publisher in its XMP."""
    return result.pdf
