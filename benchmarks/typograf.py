"""Benchmark: how many of typograf's edits typeset's typography reproduces.

typograf (https://github.com/typograf/typograf) is the most used open-source Russian typographer.
Each of its rules has a test file, ``src/rules/{ru,common}/<group>/<rule>.test.ts``, listing
``[input, expected]`` pairs for that rule alone. This script reads those files at run time (it
embeds none of their text), runs every input through rule set 2 and rule set 1 of
:func:`typeset.typography.typeset_text` (line by line, as ``typeset typo`` does), and prints, per
family of rules and overall, how many of typograf's edits each rule set reproduces.

Definitions, all on texts whose no-break spaces of any width (U+00A0, U+202F, U+2009) are written
as U+00A0 — which width a no-break space has is a house choice, not an edit — and whose runs of
ordinary spaces are written as one (typeset always collapses them; typograf's single-rule tests
keep them, and a run makes the character alignment arbitrary):

* **An edit** is one non-equal opcode of :class:`difflib.SequenceMatcher` (characters, no junk
  heuristics) between typograf's input and typograf's expected output: the input span
  ``[i1, i2)`` replaced by the text ``r`` (a deletion when ``r`` is empty, an insertion when the
  span is empty).
* **Its place** is the smallest input span ``[a, b)`` that contains ``[i1, i2]`` and that neither
  the input→expected nor the input→typeset alignment crosses: every opcode of either that
  touches it (overlaps it or shares a boundary) lies inside it. Both outputs have one text for
  that span: typograf's ``w_E`` and typeset's ``w_T``.
* **Reproduced** means typeset made the same change at the same place: aligning ``w_E`` with
  ``w_T``, no difference overlaps the edit's own output ``r`` inside ``w_E`` (for a deletion, no
  text of ``w_T`` stands where the deleted text was). Other changes typeset makes nearby — a
  no-break space after a short word, « » for " — do not count against the edit.

A test item counts when its suite is for the Russian locale (or for no locale) and neither its
input nor its expected output holds HTML (a tag or an entity). Families excluded from the score,
each with the reason, are listed in :data:`EXCLUDED` and printed at the end; the edits of the
rules that typeset reports to the proofreader instead of making are also counted, with how many
of them :func:`typeset.typography.proofreading.proofread` flags.

Run from the repository root::

    .venv/bin/python benchmarks/typograf.py /work/.mirror/typograf+typograf/repo   # a git dir
    .venv/bin/python benchmarks/typograf.py ~/src/typograf                       # a checkout
    .venv/bin/python benchmarks/typograf.py ~/src/typograf --misses numbers      # list misses
"""

from __future__ import annotations

import argparse
import difflib
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from typeset.typography import typeset_text  # noqa: E402
from typeset.typography.proofreading import proofread  # noqa: E402

#: Families of typograf rules that count, by rule name or by a name prefix ending in "/".
FAMILIES: dict[str, tuple[str, ...]] = {
    "copy clean-up": (
        "common/space/afterColon", "common/space/afterComma", "common/space/afterExclamationMark",
        "common/space/afterQuestionMark", "common/space/afterSemicolon",
        "common/space/beforeBracket", "common/space/bracket", "common/space/delBeforeDot",
        "common/space/delBeforePercent", "common/space/delBeforePunctuation",
        "common/space/delBetweenExclamationMarks", "common/space/delRepeatSpace",
        "common/space/squareBracket", "ru/space/afterHellip", "ru/space/year",
    ),
    "money": ("ru/money/currency", "ru/nbsp/rubleKopek"),
    "numbers": ("common/number/",),
    "ordinals": ("ru/number/ordinals",),
    "no-break spaces": (
        "common/nbsp/afterSectionMark", "common/nbsp/afterShortWord",
        "common/nbsp/beforeShortLastNumber", "common/nbsp/beforeShortLastWord",
        "common/nbsp/dpi", "ru/nbsp/",
    ),
    "dashes and hyphens": ("ru/dash/",),
    "punctuation": (
        "common/punctuation/apostrophe", "common/punctuation/hellip",
        "common/punctuation/quote", "ru/punctuation/exclamationQuestion",
        "ru/punctuation/hellipQuestion",
    ),
    "symbols": ("common/symbols/", "ru/symbols/"),
}

_LAYOUT = ("document-level whitespace: the Markdown reader owns line ends, indentation and a "
           "paragraph's edges")
#: Rules left out of the score, with the reason.
EXCLUDED: dict[str, str] = {
    "common/html/": "HTML (typeset's input is Markdown; no markup reaches the rules)",
    "ru/optalign/": "HTML (optical-alignment spans)",
    "common/nbsp/nowrap": "HTML (<nobr>, <nowrap>)",
    "common/punctuation/quoteLink": "HTML (quotes moved around a link)",
    "ru/other/accent": "opinionated: stress accents",
    "ru/other/phone-number": "opinionated: phone numbers reformatted",
    "ru/money/ruble": "opinionated: ₽ for «руб.»",
    "ru/number/comma": "opinionated: decimal point → comma (3.5 may be a version number)",
    "ru/date/fromISO": "opinionated: ISO dates rewritten",
    "ru/date/weekday": "opinionated: months and weekdays lower-cased («9 Мая» is a holiday)",
    "common/nbsp/afterNumber": "opinionated: a number glued to any word (off by default in "
                               "typograf; rule set 2 glues a number to its unit or month)",
    "common/nbsp/replaceNbsp": "a utility that removes no-break spaces",
    "common/space/delBeforePercent": "house style: «15 %» keeps a no-break space, as ГОСТ 8.417 "
                                     "and Russian reference books space % like a unit",
    "common/other/delBOM": _LAYOUT,
    "common/space/delLeadingBlanks": _LAYOUT,
    "common/space/delTrailingBlanks": _LAYOUT,
    "common/space/delRepeatN": _LAYOUT,
    "common/space/insertFinalNewline": _LAYOUT,
    "common/space/replaceTab": _LAYOUT,
    "common/space/trimLeft": _LAYOUT,
    "common/space/trimRight": _LAYOUT,
}
#: Rules whose fixes need a human: typeset reports the spot (proofreading code) and edits nothing.
REPORTED: dict[str, str] = {
    "ru/punctuation/ano": "missing-comma",
    "common/other/repeatWord": "repeated-word",
    "common/punctuation/delDoublePunctuation": "double-punctuation",
    "ru/punctuation/exclamation": "exclamations",
    "ru/typo/switchingKeyboardLayout": "mixed-script",
}

_HTML = re.compile(r"<[a-z/!]|&[a-z#0-9]+;", re.IGNORECASE)
_NO_BREAK = str.maketrans({"\u202f": "\u00a0", "\u2009": "\u00a0"})
_SPACES = re.compile(" {2,}")


# --- reading typograf's tests -------------------------------------------------------------------

_TOKEN = re.compile(
    r"""\s+|//[^\n]*|/\*.*?\*/"""
    r"""|(?P<str>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`(?:[^`\\]|\\.)*`)"""
    r"""|(?P<num>-?\d+(?:\.\d+)?)|(?P<id>[A-Za-z_$][\w$]*)|(?P<punct>[\[\]{}(),:+;.])""",
    re.DOTALL,
)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "b": "\b", "f": "\f", "v": "\v"}


def _unescape(literal: str) -> str:
    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        if code.startswith("u{"):
            return chr(int(code[2:-1], 16))
        if code[0] in "ux" and len(code) > 1:
            return chr(int(code[1:], 16))
        return _ESCAPES.get(code, code)

    return re.sub(r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)", one, literal[1:-1],
                  flags=re.DOTALL)


class _Literal:
    """A reader of the JavaScript literals (strings, arrays, objects) in a test file."""

    def __init__(self, source: str) -> None:
        self.tokens: list[tuple[str, str]] = []
        for match in _TOKEN.finditer(source):
            kind = match.lastgroup
            if kind is not None:
                text = match.group(kind)
                self.tokens.append((kind, _unescape(text) if kind == "str" else text))
        self.pos = 0

    def value(self) -> Any:
        kind, text = self.tokens[self.pos]
        self.pos += 1
        if kind == "str":  # 'a' + 'b' concatenations
            while self.tokens[self.pos] == ("punct", "+"):
                text += self.tokens[self.pos + 1][1]
                self.pos += 2
            return text
        if (kind, text) == ("punct", "["):
            items = []
            while self.tokens[self.pos] != ("punct", "]"):
                items.append(self.value())
                if self.tokens[self.pos] == ("punct", ","):
                    self.pos += 1
            self.pos += 1
            return items
        if (kind, text) == ("punct", "{"):
            fields = {}
            while self.tokens[self.pos] != ("punct", "}"):
                key = self.tokens[self.pos][1]
                self.pos += 2  # the key and ':'
                fields[key] = self.value()
                if self.tokens[self.pos] == ("punct", ","):
                    self.pos += 1
            self.pos += 1
            return fields
        return text

    def suites(self) -> Iterator[list[Any]]:
        """The argument of every ``typografRuleTest(...)`` call."""
        for index, token in enumerate(self.tokens[:-1]):
            if token == ("id", "typografRuleTest") and self.tokens[index + 1] == ("punct", "("):
                self.pos = index + 2
                yield self.value()


def _test_files(source: Path) -> Iterator[tuple[str, str]]:
    """(path, text) of every ru/common rule test of a checkout or of a git directory."""
    pattern = re.compile(r"src/rules/(?:ru|common)/.+\.test\.ts")
    if (source / "src" / "rules").is_dir():
        for path in sorted((source / "src" / "rules").rglob("*.test.ts")):
            name = path.relative_to(source).as_posix()
            if pattern.fullmatch(name):
                yield name, path.read_text(encoding="utf-8")
        return
    git = ["git", "--git-dir", str(source)]
    names = subprocess.run([*git, "ls-tree", "-r", "--name-only", "HEAD"], check=True,
                           capture_output=True, text=True).stdout.split("\n")
    for name in sorted(n for n in names if pattern.fullmatch(n)):
        yield name, subprocess.run([*git, "show", f"HEAD:{name}"], check=True,
                                   capture_output=True, text=True).stdout


def read_cases(source: Path) -> list[tuple[str, str, str]]:
    """(rule, input, expected) of every Russian, HTML-free test item."""
    cases = []
    for _, text in _test_files(source):
        for suite in _Literal(text).suites():
            name, items = suite[0], suite[1]
            props = suite[2] if len(suite) > 2 and isinstance(suite[2], dict) else {}
            locale = props.get("locale", "ru")
            if "ru" not in ([locale] if isinstance(locale, str) else locale):
                continue
            for item in items:
                given, expected = item[0], item[1]
                if not _HTML.search(given + expected):
                    cases.append((name, given, expected))
    return cases


# --- edits and their reproduction ----------------------------------------------------------------

Opcode = tuple[str, int, int, int, int]


def _opcodes(a: str, b: str) -> list[Opcode]:
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return [op for op in matcher.get_opcodes() if op[0] != "equal"]


def _position(a: str, b: str, boundary: int, right: bool) -> int:
    """Where the input boundary ``boundary`` falls in ``b``: before the text inserted there, or
    after it when ``right``."""
    found = len(b)
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if i1 <= boundary <= i2:
            inside = j1 + boundary - i1 if tag == "equal" else None
            found = inside if inside is not None else (j1 if boundary == i1 else j2)
            if not right:
                break
    return found


def _normal(text: str) -> str:
    return _SPACES.sub(" ", text.translate(_NO_BREAK))


def edits(given: str, expected: str) -> list[Opcode]:
    """typograf's edits: the changes from its input to its expected output."""
    return _opcodes(_normal(given), _normal(expected))


def reproduced(given: str, expected: str, output: str) -> list[tuple[Opcode, bool]]:
    """Each of typograf's edits, and whether ``output`` makes it (see the module's docstring)."""
    given, expected, output = (_normal(t) for t in (given, expected, output))
    ours = _opcodes(given, output)
    theirs = _opcodes(given, expected)
    results = []
    for edit in theirs:
        start, end = edit[1], edit[2]
        grown = True
        while grown:  # the place: grow over every change that touches it
            grown = False
            for op in theirs + ours:
                if op[1] <= end and op[2] >= start and (op[1] < start or op[2] > end):
                    start, end = min(start, op[1]), max(end, op[2])
                    grown = True
        e_start = _position(given, expected, start, right=False)
        window_e = expected[e_start : _position(given, expected, end, right=True)]
        window_t = output[_position(given, output, start, right=False) :
                          _position(given, output, end, right=True)]
        lo, hi = edit[3] - e_start, edit[4] - e_start  # the edit's own text inside window_e
        same = True
        for _, k1, k2, _, _ in _opcodes(window_e, window_t):
            if lo < hi:
                same = same and not (k1 < hi and k2 > lo) and not (k1 == k2 and lo < k1 < hi)
            else:
                same = same and not (k1 < lo < k2 or k1 == k2 == lo)
        results.append((edit, same))
    return results


def typeset_lines(text: str, ruleset: int) -> str:
    """typeset's output for a typograf input: one paragraph a line, as ``typeset typo``."""
    return "\n".join(typeset_text(line, ruleset) for line in text.split("\n"))


# --- the report ----------------------------------------------------------------------------------

def _match(name: str, table: dict[str, Any]) -> str | None:
    """The key of ``table`` that names ``name`` exactly or as a prefix ending in '/'."""
    for key in table:
        if name == key or (key.endswith("/") and name.startswith(key)):
            return key
    return None


def family_of(name: str) -> str | None:
    for family, rules in FAMILIES.items():
        if any(name == r or (r.endswith("/") and name.startswith(r)) for r in rules):
            return family
    return None


def score(cases: list[tuple[str, str, str]], run: Callable[[str], str],
          misses: str | None = None) -> tuple[Counter[str], Counter[str]]:
    """(edits, reproduced) per family; prints the misses of family ``misses``."""
    total: Counter[str] = Counter()
    done: Counter[str] = Counter()
    for name, given, expected in cases:
        family = family_of(name)
        if family is None or _match(name, EXCLUDED) or _match(name, REPORTED):
            continue
        output = run(given)
        for edit, ok in reproduced(given, expected, output):
            total[family] += 1
            done[family] += ok
            if not ok and misses in (family, "all"):
                print(f"  miss {name}: {given!r}\n    typograf {expected!r}\n    typeset  "
                      f"{output!r}  (edit {edit})")
    return total, done


def _percent(part: int, whole: int) -> str:
    return f"{part:4}/{whole:<4} {100 * part / whole:5.1f} %" if whole else "   –"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("typograf", type=Path, help="a typograf checkout or its git directory")
    parser.add_argument("--misses", metavar="FAMILY",
                        help="list rule set 2's misses in FAMILY (or 'all')")
    args = parser.parse_args(argv)
    cases = read_cases(args.typograf)
    unknown = sorted({n for n, _, _ in cases if family_of(n) is None and not _match(n, EXCLUDED)
                      and not _match(n, REPORTED)})
    total2, done2 = score(cases, lambda t: typeset_lines(t, 2), args.misses)
    total1, done1 = score(cases, lambda t: typeset_lines(t, 1))
    print(f"typograf rule tests: {len(cases)} Russian HTML-free items\n")
    print(f"{'family':20} {'rule set 1':>20} {'rule set 2':>20}")
    for family in FAMILIES:
        print(f"{family:20} {_percent(done1[family], total1[family]):>20} "
              f"{_percent(done2[family], total2[family]):>20}")
    print(f"{'overall':20} {_percent(sum(done1.values()), sum(total1.values())):>20} "
          f"{_percent(sum(done2.values()), sum(total2.values())):>20}")

    print("\nreported to the proofreader instead of edited (edits whose spot proofread() flags):")
    for rule, code in REPORTED.items():
        spots = flagged = 0
        for name, given, expected in cases:
            if name != rule:
                continue
            remarks = [r for r in proofread(given) if r.code == code]
            for edit in edits(given, expected):
                spots += 1
                flagged += any(r.start <= max(edit[1], edit[2] - 1) and edit[1] <= r.end
                               for r in remarks)
        print(f"  {rule:40} {code:20} {_percent(flagged, spots)}")

    print("\nexcluded:")
    for rule, reason in EXCLUDED.items():
        print(f"  {rule:40} {reason}")
    if unknown:
        print(f"\nrules in no family (new in typograf?): {', '.join(unknown)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
