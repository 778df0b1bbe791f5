"""Step 1 of an import: open the package.

Refuse what is not a .docx, saying what it is instead: an OLE compound file (``D0 CF 11 E0``: a
password-protected .docx or an old .doc), a renamed text file, an OpenDocument file, a damaged,
encrypted or Strict OOXML package, one that unpacks to a zip bomb. What passes is the parts of
the package by name, for :mod:`.scan` and :mod:`.convert`.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from .messages import ImportRefused, NotDocxError

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MAX_PART = 64 * 1024 * 1024
"""Largest XML part accepted (a 64 MB document.xml is some thousand pages)."""
_MAX_TOTAL = 512 * 1024 * 1024
"""Largest unpacked package accepted (pictures included): more is refused as a zip bomb."""


def open_package(source: Path) -> dict[str, bytes]:
    """The parts of a .docx by name, or a refusal that says what the file is instead."""
    try:
        with open(source, "rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise ImportRefused(f"cannot read it: {exc.strerror}") from None
    if head == _OLE:
        raise NotDocxError("password-protected or old .doc (Word 97–2003) file; "
                           "remove the password or save it again as .docx")
    if not head.startswith(b"PK"):
        kind = "empty" if not head else "not a Word .docx file (no ZIP package inside)"
        raise NotDocxError(f"{kind}; save it from Word as .docx")
    try:
        with zipfile.ZipFile(source) as package:
            infos = package.infolist()
            if sum(i.file_size for i in infos) > _MAX_TOTAL:
                raise NotDocxError(f"unpacks to more than "
                                   f"{_MAX_TOTAL // 2**20} MB; refused as a possible zip bomb")
            if any(i.flag_bits & 1 for i in infos):
                raise NotDocxError("the package is encrypted; save it without a "
                                   "password")
            names = {i.filename for i in infos}
            if "word/document.xml" not in names:
                what = ("an OpenDocument file (.odt?)" if "content.xml" in names
                        else "a ZIP archive without word/document.xml")
                raise NotDocxError(f"not a Word .docx file ({what}); save it from Word "
                                   "as .docx")
            parts: dict[str, bytes] = {}
            for info in infos:
                if info.is_dir():
                    continue
                if info.filename.endswith((".xml", ".rels")) and info.file_size > _MAX_PART:
                    raise NotDocxError(f"{info.filename} is larger than "
                                       f"{_MAX_PART // 2**20} MB; refused")
                parts[info.filename] = package.read(info)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError,
            NotImplementedError) as exc:
        raise NotDocxError(f"damaged .docx ({exc}); open it in Word and save it "
                           "again") from None
    if b"purl.oclc.org/ooxml/wordprocessingml" in parts["word/document.xml"][:4096]:
        raise NotDocxError("saved as Strict Open XML; save it as an ordinary "
                           "Word document (.docx)")
    return parts
