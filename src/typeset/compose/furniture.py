"""The page furniture's words: the masthead, the imprint (выходные данные) and dates in Russian.

The layout's templates show :class:`Masthead` on page 1 and in the running heads, and
:class:`Imprint` on the last page; the archive and press files' metadata use the same title
(:func:`edition_title`), so that every output names the edition the same way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import astuple, dataclass

from ..source.manifest import Edition

MONTHS = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
          "сентября", "октября", "ноября", "декабря")
WEEKDAYS = ("понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье")
NBSP = "\u00a0"
NNBSP = "\u202f"


def russian_date(date: dt.date) -> str:
    """«25 апреля 2024 г.»"""
    return f"{date.day}{NBSP}{MONTHS[date.month - 1]} {date.year}{NBSP}г."


def number_label(edition: Edition) -> str:
    """«№ 16 (1234)»"""
    total = f" ({edition.manifest.total})" if edition.manifest.total else ""
    return f"№{NNBSP}{edition.number}{total}"


def edition_title(edition: Edition) -> str:
    """«Иртышская неделя № 16 (1234) от 25 апреля 2024 г.»"""
    return f"{edition.paper.title} {number_label(edition)} от {russian_date(edition.manifest.date)}"


@dataclass(frozen=True)
class Masthead:
    number: str
    """«№ 16 (1234)»"""
    date: str
    """«25 апреля 2024 г.»"""
    weekday_date: str
    """«25 апреля 2024 г., четверг»"""
    founded: str
    """«Выходит с 1991 года»"""

    @classmethod
    def of(cls, edition: Edition) -> Masthead:
        date = edition.manifest.date
        return cls(number_label(edition), russian_date(date),
                   f"{russian_date(date)}, {WEEKDAYS[date.weekday()]}",
                   f"Выходит с {edition.paper.founded} года")

    def texts(self) -> list[str]:
        return [str(value) for value in astuple(self)]


@dataclass(frozen=True)
class Imprint:
    """The edition's own lines of the imprint (the paper's come from newspaper.toml)."""

    number_line: str
    """«№ 16 (1234) от 25 апреля 2024 г.»"""
    signed: str | None
    """«24.04.2024 в 18:00»: signed for print."""
    circulation: str | None
    """«5 000»"""
    order: str | None
    """The printing house's order number."""

    @classmethod
    def of(cls, edition: Edition) -> Imprint:
        m = edition.manifest
        signed = (f"{m.signed.day:02d}.{m.signed.month:02d}.{m.signed.year} "
                  f"в{NBSP}{m.signed.hour:02d}:{m.signed.minute:02d}" if m.signed else None)
        circulation = f"{m.circulation:,}".replace(",", NNBSP) if m.circulation else None
        return cls(f"{number_label(edition)} от {russian_date(m.date)}", signed, circulation,
                   m.order)

    def texts(self) -> list[str]:
        return [value for value in astuple(self) if value]
