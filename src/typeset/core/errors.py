"""The project's error and finding types.

Every problem a user can fix is a :class:`Finding` with a location (``path:line``) and a
message that says what is wrong and how to fix it. Stages collect findings instead of raising at
the first one, so that a user sees all the errors of an edition at once; a stage that cannot go on
raises :class:`EditionError` carrying everything found so far.

Only :class:`TypesetError` and its subclasses are "user errors": the CLI prints them without a
traceback. Anything else is a bug; the CLI saves its traceback to a file and says where.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Location:
    """Where a finding is: a file and, when the format has lines, a 1-based line."""

    path: Path | None = None
    line: int | None = None

    def __str__(self) -> str:
        if self.path is None:
            return ""
        text = display_path(self.path)
        return f"{text}:{self.line}" if self.line else text


@dataclass(frozen=True)
class Finding:
    """One thing found about an edition: an error, a warning or a note."""

    severity: Severity
    code: str
    message: str
    location: Location = field(default_factory=Location)
    page: int | None = None
    article: str | None = None

    def __str__(self) -> str:
        where = str(self.location)
        prefix = f"{where}: " if where else ""
        return f"{prefix}{self.severity.value}: {self.message}"

    def as_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
        }
        if self.location.path is not None:
            data["file"] = display_path(self.location.path)
        if self.location.line is not None:
            data["line"] = self.location.line
        if self.page is not None:
            data["page"] = self.page
        if self.article is not None:
            data["article"] = self.article
        return data


def error(code: str, message: str, path: Path | None = None, line: int | None = None,
          *, page: int | None = None, article: str | None = None) -> Finding:
    return Finding(Severity.ERROR, code, message, Location(path, line), page, article)


def warning(code: str, message: str, path: Path | None = None, line: int | None = None,
            *, page: int | None = None, article: str | None = None) -> Finding:
    return Finding(Severity.WARNING, code, message, Location(path, line), page, article)


class TypesetError(Exception):
    """Base class of the errors a user can act on; printed without a traceback."""


class EditionError(TypesetError):
    """An edition has errors; carries every finding collected so far."""

    def __init__(self, findings: Iterable[Finding]) -> None:
        self.findings = list(findings)
        super().__init__("\n".join(str(f) for f in self.findings))

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]


class UsageError(TypesetError):
    """The command line or the repository set-up is wrong (exit status 2)."""


class Findings:
    """A collector: stages append to it and raise once at the end of a step."""

    def __init__(self) -> None:
        self._items: list[Finding] = []

    def add(self, finding: Finding) -> None:
        self._items.append(finding)

    def extend(self, findings: Iterable[Finding]) -> None:
        self._items.extend(findings)

    def __iter__(self) -> Iterator[Finding]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    @property
    def has_errors(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self._items)

    def raise_if_errors(self) -> None:
        if self.has_errors:
            raise EditionError(self._items)


_CWD = Path.cwd()


def display_path(path: Path) -> str:
    """A path as the user typed it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(_CWD.resolve()))
    except ValueError:
        return str(path)
