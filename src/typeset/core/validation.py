"""Schema errors as findings that say where: ``path:line: what is wrong``.

Pydantic reports a location as a tuple of keys and indexes (``("pages", 1, "articles", 0,
"spam")``); these helpers find the line of that location in the TOML or YAML source, so every
message can point at the line to fix.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import tomllib
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .errors import Finding, error

Loc = tuple[str | int, ...]


def pydantic_findings(exc: ValidationError, path: Path, lines: dict[Loc, int]) -> list[Finding]:
    """One finding per pydantic error, located with ``lines`` (a location → line map)."""
    findings = []
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function")))
        key = ".".join(str(p) for p in loc) or "(top level)"
        line = _nearest_line(loc, lines)
        kind = err["type"]
        if kind == "extra_forbidden":
            msg = f"unknown key '{loc[-1]}'" + (f" in {'.'.join(map(str, loc[:-1]))}"
                                                if len(loc) > 1 else "")
            msg += "; check its spelling or remove it"
        elif kind == "missing":
            msg = f"required key '{key}' is missing"
        else:
            got = err.get("input")
            shown = f" (got {got!r})" if isinstance(got, str | int | float | bool) else ""
            msg = f"'{key}': {err['msg'].removeprefix('Value error, ')}{shown}"
        findings.append(error("schema", msg, path, line))
    return findings


def _nearest_line(loc: Loc, lines: dict[Loc, int]) -> int | None:
    for cut in range(len(loc), -1, -1):
        if loc[:cut] in lines:
            return lines[loc[:cut]]
    return None


def yaml_key_lines(text: str, first_line: int = 1) -> dict[Loc, int]:
    """Map every key path of a YAML document to the line it is on."""
    lines: dict[Loc, int] = {}
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return lines

    def walk(node: Any, loc: Loc) -> None:
        if node is None:
            return
        lines.setdefault(loc, node.start_mark.line + first_line)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                sub = (*loc, str(key.value))
                lines[sub] = key.start_mark.line + first_line
                walk(value, sub)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, (*loc, i))

    walk(node, ())
    return lines


_TABLE = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.\"' -]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=")
_INLINE_KEY = re.compile(r"([A-Za-z0-9_-]+)\s*=")


def toml_key_lines(text: str) -> dict[Loc, int]:
    """Map key paths of a TOML document to lines (tables, arrays of tables, inline tables).

    TOML parsers keep no positions, so this reads the lines itself; it handles the shapes our
    files use: ``[table]``, ``[[array]]``, ``key = value`` and inline arrays of strings and
    inline tables, on one line or spread over several (one item a line).
    """
    lines: dict[Loc, int] = {}
    counters: dict[str, int] = {}
    prefix: Loc = ()
    array: _Array | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        if array is not None:  # the items of an array opened on an earlier line
            if not array.feed(raw, number, lines):
                array = None
            continue
        line = raw.split("#", 1)[0] if '"' not in raw else raw
        if m := _TABLE.match(line):
            name = m.group(1).strip().strip('"')
            if line.strip().startswith("[["):
                index = counters.get(name, -1) + 1
                counters[name] = index
                prefix = (*name.split("."), index)
            else:
                prefix = tuple(name.split("."))
            lines.setdefault(prefix, number)
            lines.setdefault(prefix[:-1] if isinstance(prefix[-1], int) else prefix, number)
            continue
        if m := _KEY.match(line):
            key = m.group(1)
            lines[(*prefix, key)] = number
            rest = line[m.end():]
            if rest.lstrip().startswith("["):
                array = _Array((*prefix, key))
                if not array.feed(rest, number, lines):
                    array = None
    return lines


class _Array:
    """Indexes the items of an inline array, strings and ``{ ... }`` tables, line by line."""

    def __init__(self, loc: Loc) -> None:
        self.loc = loc
        self.depth = 0
        self.index = 0
        self.item_start = True

    def feed(self, text: str, number: int, lines: dict[Loc, int]) -> bool:
        """Read one line of the array; False once the array is closed."""
        quote = ""
        for pos, char in enumerate(text):
            if quote:
                if char == quote:
                    quote = ""
                continue
            if char == "#":
                break
            if char in "\"'":
                quote = char
                if self.depth == 1 and self.item_start:
                    lines[(*self.loc, self.index)] = number
                    self.item_start = False
            elif char in "[{":
                self.depth += 1
                if self.depth == 2 and char == "{":
                    lines[(*self.loc, self.index)] = number
                    self.item_start = False
                    for m in _INLINE_KEY.finditer(text[pos:text.find("}", pos) + 1]):
                        lines[(*self.loc, self.index, m.group(1))] = number
            elif char in "]}":
                self.depth -= 1
                if self.depth == 0:
                    return False
            elif char == "," and self.depth == 1:
                self.index += 1
                self.item_start = True
            elif self.depth == 1 and self.item_start and not char.isspace():
                lines[(*self.loc, self.index)] = number
                self.item_start = False
        return True


def load_toml(path: Path) -> tuple[dict[str, Any] | None, str, list[Finding]]:
    """Read a TOML file; a syntax error becomes a finding with its line."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, "", [error("missing-file", f"{path.name} not found", path)]
    except OSError as exc:
        return None, "", [error("unreadable", f"cannot read {path.name}: {exc.strerror}", path)]
    text, undecodable = decode_utf8(raw, path)
    if text is None:
        return None, "", [undecodable] if undecodable else []
    try:
        return tomllib.loads(text), text, []
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        m = re.search(r"\(at line (\d+), column \d+\)", message)
        line = int(m.group(1)) if m else None
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", message)
        source = text.splitlines()[line - 1] if line and line <= len(text.splitlines()) else ""
        impossible = impossible_date(source)
        if impossible:
            return None, text, [error("toml", f"{impossible}; fix the date", path, line)]
        if re.match(r"\s*(date|signed)\s*=", source):
            message += ("; write a date as 2024-04-25 (year-month-day, two digits for month and "
                        "day) and a time as 2024-04-24T18:00:00")
        return None, text, [error("toml", f"not valid TOML: {message}", path, line)]


def decode_utf8(raw: bytes, path: Path) -> tuple[str | None, Finding | None]:
    """The text of a file that must be UTF-8, or a finding at the line of its first byte that
    is not (a file saved as Windows-1251 or another legacy code page); a BOM is dropped."""
    try:
        return raw.decode("utf-8").removeprefix("\ufeff"), None
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        legacy = raw.decode("cp1251", errors="replace")
        guess = (" (it looks like Windows-1251, Cyrillic)"
                 if re.search("[а-яА-ЯёЁ]{3}", legacy) else "")
        return None, error("encoding", f"{path.name} is not UTF-8 text: byte "
                           f"0x{raw[exc.start]:02X} cannot be read{guess}; save it as UTF-8 "
                           "(in Notepad: Save as → Encoding: UTF-8)", path, line)


_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]
_DATE = re.compile(r"=\s*(\d{4})-(\d{2})-(\d{2})(?![\d-])")


def impossible_date(source: str) -> str | None:
    """What is wrong with a well-formed date that does not exist (2024-02-30), or None."""
    m = _DATE.search(source.split("#", 1)[0])
    if m is None:
        return None
    year, month, day = (int(g) for g in m.groups())
    if not 1 <= month <= 12:
        return (f"there is no month {month} in {m.group(0).lstrip('= ')}: a date is written "
                "year-month-day")
    try:
        dt.date(year, month, day)
    except ValueError:
        last = calendar.monthrange(year, month)[1]
        return (f"there is no {day} {_MONTHS[month - 1]} {year}: {_MONTHS[month - 1]} {year} "
                f"has {last} days")
    return None
