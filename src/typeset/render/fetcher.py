"""Nothing leaves the edition: the only way WeasyPrint can read a file.

:class:`EditionFetcher` serves regular files that resolve (symlinks followed) inside the edition and
layout folders, and nothing else: no network scheme, no ``data:`` surprises beyond small inline
images, no ``..``. Every refusal and every failure is recorded; the build turns them into errors,
because WeasyPrint would otherwise log "Failed to load image" and write the PDF anyway.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

MAX_FILE_BYTES = 64 * 1024 * 1024


class FetchRefused(ValueError):
    """A URL that typeset does not serve."""


class EditionFetcher(URLFetcher):  # type: ignore[misc]
    """Serve ``file:`` URLs inside the allowed folders; refuse everything else."""

    def __init__(self, *folders: Path,
                 image_transform: Callable[[Path], tuple[bytes, str] | None] | None = None
                 ) -> None:
        super().__init__(fail_on_errors=False)
        self.folders = [f.resolve() for f in folders]
        self.image_transform = image_transform
        """Called for every file served; may return (bytes, mime type) to serve instead
        (prepress: photos converted to the printer's CMYK)."""
        self.refused: list[str] = []
        self.served: list[Path] = []

    def allowed(self, path: Path) -> bool:
        resolved = path.resolve()
        return any(folder in resolved.parents for folder in self.folders)

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        try:
            path = self._path(url)
        except FetchRefused as exc:
            self.refused.append(f"{url[:120]}: {exc}")
            raise
        self.served.append(path)
        replaced = self.image_transform(path) if self.image_transform else None
        if replaced is not None:
            data, mime = replaced
            # a URL of its own: WeasyPrint re-reads file: URLs from disk, which would embed the
            # original file under the converted image's colour space
            return URLFetcherResponse(f"typeset-converted:{path.as_uri()}", data,
                                      {"Content-Type": mime})
        data = path.read_bytes()
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), data, {"Content-Type": mime})

    def _path(self, url: str) -> Path:
        parts = urlsplit(url)
        if parts.scheme != "file":
            raise FetchRefused(f"the '{parts.scheme or 'relative'}:' scheme is not allowed; "
                               "only files inside the edition and layout folders are used")
        if parts.netloc not in ("", "localhost"):
            raise FetchRefused("file URLs on another host are not allowed")
        raw = unquote(parts.path)
        if ".." in raw.split("/"):
            raise FetchRefused("'..' is not allowed in a path")
        path = Path(raw)
        if not self.allowed(path):
            raise FetchRefused("outside the edition and layout folders")
        if not path.is_file():
            raise FetchRefused("no such file")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise FetchRefused(f"larger than {MAX_FILE_BYTES // 2**20} MiB")
        return path
