"""What an import says: the refusals that stop it and the warnings it gathers.

A refusal is an :class:`ImportRefused` (or one of its kinds) whose message says why in one line.
A warning is added to the import's :class:`Notes` and says where it was: a :class:`Para`, the
paragraph as Word counts them with its first words (:func:`snippet`), or a text box in one.
Every step of the import uses these; they import nothing of the importer.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ...core.errors import Finding, Location, Severity, TypesetError


class ImportRefused(TypesetError):
    """A Word file that cannot be imported; the message says why, in one line."""

    category = "import"


class NotDocxError(ImportRefused):
    """Not a readable .docx: an old .doc, an encrypted file, a renamed text file, damage."""


class ArticleExistsError(ImportRefused):
    """The article (or one of its pictures) exists and ``force`` was not given."""


def snippet(text: str, words: int = 5) -> str:
    """The first ``words`` words of ``text``, «…» when there are more."""
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


@dataclass
class Para:
    """One ``w:p`` of document.xml, in document order."""

    index: int
    where: str
    """``body``, ``table``, ``textbox`` or ``choice`` (a copy mammoth does not read)."""
    text: str = ""
    number: int = 0
    """The paragraph's number as Word counts them (empty paragraphs not counted)."""
    style: str | None = None
    role: str = "plain"
    caps: bool = False
    anchor: Para | None = None
    """For a text box paragraph: the body paragraph the box is anchored in."""

    def place(self) -> str:
        """Where the paragraph is, as a message says it: ``paragraph 3 («Первые слова…»)``."""
        if self.anchor is not None:
            return f"a text box in {self.anchor.place()}"
        words = snippet(self.text)
        return f"paragraph {max(self.number, 1)}" + (f" («{words}»)" if words else "")


class Notes:
    """The warnings of one import, each naming the file and where in it, in document order."""

    def __init__(self, source: Path) -> None:
        self.source = source
        self._found: list[tuple[int, Finding]] = []

    def add(self, code: str, message: str, at: Para | None = None,
            order: int | None = None) -> None:
        """A warning about the paragraph ``at`` (or the whole document, said last)."""
        text = f"{at.place()}: {message}" if at is not None else message
        finding = Finding(Severity.WARNING, code, text, Location(self.source))
        if order is None:
            order = (at.anchor or at).number if at is not None else 1 << 30
        if all(finding != f for _, f in self._found):
            self._found.append((order, finding))

    @property
    def items(self) -> list[Finding]:
        """The warnings, in document order (those about the whole document last)."""
        return [f for _, f in sorted(self._found, key=lambda item: item[0])]
