"""Import an article from a Word file: ``typeset import FILE.docx ISSUE_DIR``.

1. **Open the package.** Refuse what is not a .docx: an OLE compound file (``D0 CF 11 E0``: a
   password-protected .docx or an old .doc), a renamed text file, a damaged or Strict OOXML
   package.
2. **Scan the XML** (lxml) for what mammoth does not report: where each paragraph is (its
   number and first words), tables, text boxes, comments, footnotes, tracked changes, fields,
   hidden text, framed or shaded paragraphs, dash bullets, the meaning of each Word style.
   Every paragraph gets an invisible marker run so that mammoth's output can be traced back.
3. **Convert with mammoth**: Word styles are first named by their role here (title, subtitle,
   rubric, author, lead, caption, quote, fact, dialogue, heading N, plain), then mammoth's style
   map turns them into clean HTML; pictures are collected as they come.
4. **Shape the article**: title, rubric, subtitle, lead and author into the front matter;
   pictures with their captions and credits into ``photos:``; the rest into body blocks.
5. **Write Markdown**, escaping whatever CommonMark would read as markup, and check every
   paragraph by reading it back.
6. **Check and write**: the article is read back with :func:`typeset.source.articles.read_article`
   and its words compared with the document's; pictures pass :func:`typeset.images.check_image`;
   then pictures and article are written to temporary names and renamed into place.

Whatever cannot be carried is a warning that says where it was; nothing is dropped silently.
"""

from __future__ import annotations

import collections
import io
import itertools
import os
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import lxml.html
import mammoth
import yaml
from lxml import etree
from markdown_it import MarkdownIt
from PIL import Image, ImageOps

from ..core.errors import Finding, Location, Severity, TypesetError, UsageError, display_path
from ..core.models import SLUG
from .articles import read_article
from .images import check_image

# --- the public API ----------------------------------------------------------------------------


class ImportRefused(TypesetError):
    """A Word file that cannot be imported; the message says why, in one line."""

    category = "import"


class NotDocxError(ImportRefused):
    """Not a readable .docx: an old .doc, an encrypted file, a renamed text file, damage."""


class ArticleExistsError(ImportRefused):
    """The article (or one of its pictures) exists and ``force`` was not given."""


@dataclass(frozen=True)
class ImportResult:
    """What one import wrote."""

    source: Path
    slug: str
    article: Path
    images: list[Path]
    words: int
    """Words of the article as read back (front matter and body)."""
    warnings: list[Finding]


def import_docx(source: Path, issue_dir: Path, *, slug: str | None = None,
                force: bool = False) -> ImportResult:
    """Import one Word file as ``issue_dir/articles/<slug>.md`` with its pictures.

    Raises :class:`ImportRefused` (a :class:`~typeset.errors.TypesetError`) when the file cannot
    be imported or would overwrite an article without ``force``, and
    :class:`~typeset.errors.UsageError` for a ``slug`` that is not one; nothing is written then.
    """
    try:
        return _import(source, issue_dir, slug, force)
    except ImportRefused as exc:
        raise type(exc)(f"{display_path(source)}: {exc}") from None


def _import(source: Path, issue_dir: Path, slug: str | None, force: bool) -> ImportResult:
    slug = slug or slugify(source.stem)
    if not slug:
        raise ImportRefused("cannot make a slug from the file name; name the article with "
                            "--slug")
    if not re.fullmatch(SLUG, slug):
        raise UsageError(f"--slug '{slug}': use lower-case Latin letters, digits and '-' "
                         "(at most 64, starting with a letter or digit)")
    article_path = issue_dir / "articles" / f"{slug}.md"
    if article_path.exists() and not force:
        raise ArticleExistsError(f"{display_path(article_path)} exists; pass --force to "
                                 "replace it")
    parts = _open_package(source)
    scan = _scan(parts)
    notes = _Notes(source)
    for code, message, at in scan.notes:
        notes.add(code, message, at)
    pictures: list[_Picture] = []
    blocks = _convert(parts, scan, pictures, notes)
    with tempfile.TemporaryDirectory(prefix="typeset-import-") as tmp:
        photos = _check_pictures(pictures, slug, Path(tmp), article_path)
    draft = _shape(blocks, photos, notes)
    markdown = _article_markdown(draft, notes)
    images = [(issue_dir / p.src, p.data) for p in draft.photos]
    existing = [path for path, _ in images if path.exists()]
    if existing and not force:
        raise ArticleExistsError(f"{display_path(existing[0])} exists; pass --force to "
                                 "replace it")
    return _write(source, slug, issue_dir, markdown, images, scan, notes)


def docx_files(paths: Iterable[Path]) -> list[Path]:
    """The Word files named: each file itself, each folder's ``*.docx`` (Word's ``~$`` lock
    files left out), in order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.iterdir() if p.suffix.lower() == ".docx"
                                and not p.name.startswith("~$") and p.is_file()))
        else:
            found.append(path)
    return found


# --- the slug ----------------------------------------------------------------------------------

# ICAO Doc 9303 (machine-readable travel documents, part 3, the table Russian passports use):
# plain a–z, no apostrophes or diacritics, so every slug is a clean URL and file name.
_ICAO = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "ie", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia",
    "і": "i", "ї": "i", "є": "ie", "ґ": "g", "ў": "u",
    # Kazakh letters are not in Doc 9303: the Kazakh Latin alphabet of 2021, without diacritics
    "ә": "a", "ғ": "g", "қ": "q", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h",
}


def slugify(name: str) -> str:
    """A slug from a file name: Cyrillic transliterated by ICAO Doc 9303, lower case,
    ``[a-z0-9-]``, at most 64 characters (``models.SLUG``); ``""`` when nothing is left.

    Doc 9303 was chosen over GOST 7.79 System B because System B needs ``x``, ``cz``, ``'`` and
    backquotes (``х`` → ``x``, ``ы`` → ``y'``) that a slug cannot hold or that read oddly, while
    Doc 9303 gives the spellings people know from passports (``Павлодар`` → ``pavlodar``,
    ``Щучинск`` → ``shchuchinsk``).
    """
    out: list[str] = []
    for char in unicodedata.normalize("NFC", name).lower():
        if char in _ICAO:
            out.append(_ICAO[char])
        elif char.isascii() and char.isalnum():
            out.append(char)
        else:
            base = "".join(c for c in unicodedata.normalize("NFKD", char)
                           if c.isascii() and c.isalnum()).lower()
            out.append(base or "-")
    slug = re.sub(r"-+", "-", "".join(out)).strip("-")
    if len(slug) > 64:  # cut at a word's end when one is near
        cut = slug.rfind("-", 32, 65)
        slug = slug[:cut if cut > 0 else 64].strip("-")
    return slug


# --- messages ----------------------------------------------------------------------------------


class _Notes:
    """The warnings of one import, each naming the file and where in it, in document order."""

    def __init__(self, source: Path) -> None:
        self.source = source
        self._found: list[tuple[int, Finding]] = []

    def add(self, code: str, message: str, at: _Para | None = None,
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
        return [f for _, f in sorted(self._found, key=lambda item: item[0])]


def _snippet(text: str, words: int = 5) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


# --- step 1: open the package ------------------------------------------------------------------

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MAX_PART = 64 * 1024 * 1024
"""Largest XML part accepted (a 64 MB document.xml is some thousand pages)."""
_MAX_TOTAL = 512 * 1024 * 1024
"""Largest unpacked package accepted (pictures included): more is refused as a zip bomb."""


def _open_package(source: Path) -> dict[str, bytes]:
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


# --- step 2: scan the XML ----------------------------------------------------------------------

_NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "v": "urn:schemas-microsoft-com:vml",
    "m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "dgm": "http://schemas.openxmlformats.org/drawingml/2006/diagram",
}


def _q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{_NS[prefix]}}}{local}"


W_P, W_T, W_R, W_TBL = _q("w:p"), _q("w:t"), _q("w:r"), _q("w:tbl")
MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"
_MARK = re.compile(f"{MARK_OPEN}(\\d+){MARK_CLOSE}")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_DASHES = {"-", "–", "—", "‒", "―", "−", "\uf02d"}
_NESTED = frozenset({_q("w:p"), _q("mc:Choice"), _q("w:txbxContent")})
_SKIP = _NESTED | {_q("w:del"), _q("w:moveFrom")}


def _xml(parts: dict[str, bytes], name: str) -> Any:
    try:
        return etree.fromstring(parts[name], _PARSER)
    except etree.XMLSyntaxError as exc:
        raise NotDocxError(f"damaged .docx: {name} is not valid XML ({exc}); open the file "
                           "in Word and save it again") from None


@dataclass
class _Para:
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
    anchor: _Para | None = None
    """For a text box paragraph: the body paragraph the box is anchored in."""

    def place(self) -> str:
        if self.anchor is not None:
            return f"a text box in {self.anchor.place()}"
        snippet = _snippet(self.text)
        return f"paragraph {max(self.number, 1)}" + (f" («{snippet}»)" if snippet else "")


@dataclass
class _Style:
    name: str
    kind: str
    based_on: str | None
    bold: bool = False
    italic: bool = False
    framed: bool = False


@dataclass
class _Scan:
    paras: list[_Para] = field(default_factory=list)
    styles: dict[str, _Style] = field(default_factory=dict)
    notes: list[tuple[str, str, _Para | None]] = field(default_factory=list)
    words_text: list[str] = field(default_factory=list)
    """The text mammoth carries (body, tables, text boxes, notes): for the words check."""
    document: bytes = b""
    """document.xml with a marker run opening every paragraph."""

    def note(self, code: str, message: str, at: _Para | None = None) -> None:
        self.notes.append((code, message, at))


# Word styles by the meaning a name gives them (lower case; a style inherits its base's role)
_STYLE_ROLES: list[tuple[str, str]] = [
    ("title", r"title|название|заголовок|заголовок статьи"),
    ("subtitle", r"subtitle|подзаголовок"),
    ("heading", r"(?:heading|заголовок)\s*([1-9])"),
    ("rubric", r"рубрика|rubric|kicker|раздел|section|надзаголовок"),
    ("lead", r"лид|lead|lede|вводка|врез"),  # «врез» is the lead, «врезка» a box
    ("author", r"автор|author|byline|подпись автора"),
    ("caption", r"caption|подпись|подпись к фото|подпись к снимку|название объекта"),
    ("quote", r"(?:intense )?quote|цитата|выделенная цитата|block text"),
    ("fact", r".*(?:врезк|факт|fact|sidebar|справка).*"),
    ("plain", r"normal|обычный|default|body text.*|основной текст.*|no spacing|без интервала|"
              r"list paragraph|абзац списка|list (?:bullet|number).*|список.*|normal \(web\)|"
              r"обычный \(веб\)|plain text|текст|text body|first paragraph|compact|"
              r"footnote text|endnote text|текст сноски|текст концевой сноски"),
]
_NEUTRAL_RUN = re.compile(r"default paragraph font|основной шрифт абзаца|hyperlink|гиперссылка|"
                          r"(?:foot|end)note reference|знак (?:концевой )?сноски|.* char|"
                          r".* знак|page number|номер страницы", re.I)


def style_role(name: str) -> str | None:
    """The role a paragraph style's name gives it (``heading-2``…), or None if it means
    nothing here."""
    low = " ".join(name.lower().split())
    for role, pattern in _STYLE_ROLES:
        match = re.fullmatch(pattern, low)
        if match:
            return f"heading-{match.group(1)}" if role == "heading" else role
    return None


def _flag(props: Any, tag: str) -> bool:
    el = props.find(_q(tag)) if props is not None else None
    return el is not None and el.get(_q("w:val")) not in ("0", "false", "off", "none")


def _framed(ppr: Any) -> bool:
    """A paragraph with a border or a coloured shading (a box the journalist drew)."""
    if ppr is None:
        return False
    borders = ppr.find(_q("w:pBdr"))
    if borders is not None and any(b.get(_q("w:val")) not in (None, "nil", "none")
                                   for b in borders):
        return True
    shd = ppr.find(_q("w:shd"))
    fill = (shd.get(_q("w:fill")) or "auto").lower() if shd is not None else "auto"
    return fill not in ("auto", "ffffff", "")


def _read_styles(parts: dict[str, bytes]) -> dict[str, _Style]:
    styles: dict[str, _Style] = {}
    if "word/styles.xml" not in parts:
        return styles
    for el in _xml(parts, "word/styles.xml").iter(_q("w:style")):
        sid = el.get(_q("w:styleId"))
        if sid is None:
            continue
        name_el, based = el.find(_q("w:name")), el.find(_q("w:basedOn"))
        rpr = el.find(_q("w:rPr"))
        styles[sid] = _Style(
            name=name_el.get(_q("w:val"), sid) if name_el is not None else sid,
            kind=el.get(_q("w:type"), "paragraph"),
            based_on=based.get(_q("w:val")) if based is not None else None,
            bold=_flag(rpr, "w:b"), italic=_flag(rpr, "w:i"), framed=_framed(el.find(_q("w:pPr"))))
    return styles


def _role_of(styles: dict[str, _Style], sid: str | None) -> tuple[str, bool, bool]:
    """(role, known, framed) of a paragraph style, following ``basedOn``."""
    if sid is None:
        return "plain", True, False
    seen: list[str] = []
    framed = False
    while sid is not None and sid in styles and sid not in seen:
        seen.append(sid)
        style = styles[sid]
        framed = framed or style.framed
        role = style_role(style.name) or style_role(sid)
        if role is not None:  # a style of its own based on Normal still means nothing
            return role, role != "plain" or len(seen) == 1, framed
        sid = style.based_on
    return "plain", False, framed


def _numbering(parts: dict[str, bytes]) -> dict[tuple[str, str], tuple[str, str]]:
    """(numId, ilvl) → (numFmt, lvlText) of every list level."""
    if "word/numbering.xml" not in parts:
        return {}
    root = _xml(parts, "word/numbering.xml")
    abstract: dict[str, dict[str, tuple[str, str]]] = {}
    for el in root.iter(_q("w:abstractNum")):
        levels = abstract.setdefault(el.get(_q("w:abstractNumId"), ""), {})
        for lvl in el.iter(_q("w:lvl")):
            fmt, text = lvl.find(_q("w:numFmt")), lvl.find(_q("w:lvlText"))
            levels[lvl.get(_q("w:ilvl"), "0")] = (
                fmt.get(_q("w:val"), "") if fmt is not None else "",
                text.get(_q("w:val"), "") if text is not None else "")
    out: dict[tuple[str, str], tuple[str, str]] = {}
    for num in root.iter(_q("w:num")):
        ref = num.find(_q("w:abstractNumId"))
        levels = abstract.get(ref.get(_q("w:val"), "") if ref is not None else "", {})
        for ilvl, value in levels.items():
            out[(num.get(_q("w:numId"), ""), ilvl)] = value
    return out


def _own(el: Any, skip: frozenset[str] = _SKIP) -> Iterator[Any]:
    """The descendants of a paragraph that mammoth reads as its own text: not nested
    paragraphs (text boxes), deletions, moved-away text or unread alternative content."""
    for child in el:
        if not isinstance(child.tag, str) or child.tag in skip:
            continue
        yield child
        yield from _own(child, skip)


def _text(el: Any) -> str:
    out: list[str] = []
    for node in _own(el):
        if node.tag == W_T:
            out.append(node.text or "")
        elif node.tag in (_q("w:tab"), _q("w:br"), _q("w:cr")):
            out.append(" ")
        elif node.tag == _q("w:noBreakHyphen"):
            out.append("\u2011")
    return "".join(out)


def _notes_text(parts: dict[str, bytes], name: str, tag: str) -> dict[str, str]:
    if name not in parts:
        return {}
    notes: dict[str, str] = {}
    for el in _xml(parts, name).iter(_q(tag)):
        if el.get(_q("w:type")) in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        notes[el.get(_q("w:id"), "")] = " ".join(_text(p) for p in el.iter(W_P)).strip()
    return notes


def _scan(parts: dict[str, bytes]) -> _Scan:
    scan = _Scan(styles=_read_styles(parts))
    root = _xml(parts, "word/document.xml")
    body = root.find(_q("w:body"))
    if body is None:
        raise NotDocxError("damaged .docx: word/document.xml has no body; open the file in "
                           "Word and save it again")
    numbering = _numbering(parts)
    comments = _comments(parts)
    footnotes = _notes_text(parts, "word/footnotes.xml", "w:footnote")
    endnotes = _notes_text(parts, "word/endnotes.xml", "w:endnote")
    unknown_styles: set[str] = set()
    number = 0
    by_element: dict[Any, _Para] = {}
    dash_lists: list[tuple[_Para, str]] = []
    for index, el in enumerate(list(body.iter(W_P))):
        ancestors = list(el.iterancestors())
        tags = {a.tag for a in ancestors}
        where = ("choice" if _q("mc:Choice") in tags else "textbox"
                 if _q("w:txbxContent") in tags else "table" if W_TBL in tags else "body")
        ppr = el.find(_q("w:pPr"))
        style_el = ppr.find(_q("w:pStyle")) if ppr is not None else None
        sid = style_el.get(_q("w:val")) if style_el is not None else None
        para = _Para(index, where, " ".join(_text(el).split()), style=sid)
        by_element[el] = para
        pictures = [n for n in _own(el) if n.tag in (_q("a:blip"), _q("v:imagedata"))]
        if where in ("body", "table") and (para.text or pictures):
            number += 1
        para.number = number
        if where == "textbox":
            outer = next((a for a in ancestors if a.tag == W_P), None)
            para.anchor = by_element.get(outer) if outer is not None else None
        runs = [r for r in _own(el) if r.tag == W_R and _text(r).strip()]
        para.caps = bool(runs) and all(_flag(r.find(_q("w:rPr")), "w:caps") for r in runs)
        role, known, framed = _role_of(scan.styles, sid)
        if not known and sid not in unknown_styles and where != "choice":
            unknown_styles.add(sid or "")
            name = scan.styles[sid].name if sid in scan.styles else sid
            scan.note("style", f"the Word style «{name}» means nothing to typeset; its "
                      "paragraphs were kept as plain text", para)
        if role == "plain" and (framed or _framed(ppr) or _in_box(ancestors)):
            role = "fact"
        para.role = role
        num = ppr.find(_q("w:numPr")) if ppr is not None else None
        if num is not None and role == "plain":
            num_id, ilvl = num.find(_q("w:numId")), num.find(_q("w:ilvl"))
            key = (num_id.get(_q("w:val"), "") if num_id is not None else "",
                   ilvl.get(_q("w:val"), "0") if ilvl is not None else "0")
            fmt, text = numbering.get(key, ("", ""))
            if fmt == "bullet" and text.strip() in _DASHES:
                dash_lists.append((para, key[0]))
        if where != "choice":
            scan.paras.append(para)
            if para.text and where in ("body", "table", "textbox"):
                scan.words_text.append(para.text)
            _scan_paragraph(scan, el, para, comments, footnotes, endnotes)
        _add_marker(el, index)
    _dialogue(dash_lists)
    _scan_tables(scan, body, by_element)
    _scan_textboxes(scan, body, by_element)
    _scan_headers(scan, parts)
    scan.words_text.extend(footnotes.values())
    scan.words_text.extend(endnotes.values())
    scan.document = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                   standalone=True)
    return scan


def _in_box(ancestors: list[Any]) -> bool:
    """Is the paragraph in a table of one cell (a box drawn with a table)?"""
    tables = [a for a in ancestors if a.tag == W_TBL]
    return len(tables) == 1 and len(tables[0].findall(f".//{_q('w:tc')}")) == 1


def _dialogue(items: list[tuple[_Para, str]]) -> None:
    """Word turns a typed "- " into a dash-bulleted list: such a list whose every item ends a
    sentence is dialogue, not an enumeration ("– пункт;")."""
    groups: dict[str, list[_Para]] = collections.defaultdict(list)
    for para, num_id in items:
        groups[num_id].append(para)
    for paras in groups.values():
        if all(re.search(r"[.!?…][»\"”)]*$", p.text) for p in paras if p.text):
            for para in paras:
                para.role = "dialogue"


def _comments(parts: dict[str, bytes]) -> dict[str, tuple[str, str]]:
    if "word/comments.xml" not in parts:
        return {}
    out: dict[str, tuple[str, str]] = {}
    for el in _xml(parts, "word/comments.xml").iter(_q("w:comment")):
        text = " ".join(_text(p) for p in el.iter(W_P)).strip()
        out[el.get(_q("w:id"), "")] = (el.get(_q("w:author"), ""), text)
    return out


def _scan_paragraph(scan: _Scan, el: Any, para: _Para, comments: dict[str, tuple[str, str]],
                    footnotes: dict[str, str], endnotes: dict[str, str]) -> None:
    """What in one paragraph cannot be carried as it is."""
    place = para
    nodes = list(_own(el, _NESTED))
    tags = collections.defaultdict(list)
    for node in nodes:
        tags[node.tag].append(node)
    inserted = [t for i in tags[_q("w:ins")] + tags[_q("w:moveTo")] if (t := _text(i)).strip()]
    deleted = ["".join(t.text or "" for t in d.iter(_q("w:delText"), W_T))
               for d in tags[_q("w:del")] + tags[_q("w:moveFrom")]]
    deleted = [d for d in deleted if d.strip()]
    mark_gone = el.find(f"{_q('w:pPr')}/{_q('w:rPr')}/{_q('w:del')}") is not None
    formatting = bool(tags[_q("w:rPrChange")] or tags[_q("w:pPrChange")])
    if inserted or deleted or mark_gone or formatting:
        said = []
        if inserted:
            said.append("inserted " + ", ".join(f"«{_snippet(t, 6)}»" for t in inserted)
                        + " kept")
        if deleted:
            said.append("deleted " + ", ".join(f"«{_snippet(t, 6)}»" for t in deleted)
                        + " dropped")
        if mark_gone:
            said.append("a deleted paragraph break joined it to the next paragraph")
        if formatting:
            said.append("changed formatting taken as it now is")
        scan.note("tracked-changes", "tracked changes taken as if accepted: " + "; ".join(said)
                  + "; accept or reject them in Word to be sure", place)
    for ref in tags[_q("w:commentReference")]:
        author, text = comments.get(ref.get(_q("w:id"), ""), ("", ""))
        by = f" by {author}" if author else ""
        scan.note("comment", f"a comment{by} («{_snippet(text, 8)}») was left out", place)
    for tag, notes, kind in (("w:footnoteReference", footnotes, "footnote"),
                             ("w:endnoteReference", endnotes, "endnote")):
        for ref in tags[_q(tag)]:
            text = notes.get(ref.get(_q("w:id"), ""), "")
            scan.note(kind, f"a {kind} cannot be carried; its text («{_snippet(text, 6)}») was "
                      "kept as a paragraph at the end of the article", place)
    hidden = [t for r in tags[W_R] if _flag(r.find(_q("w:rPr")), "w:vanish")
              and (t := _text(r)).strip()]
    if hidden:
        scan.note("hidden-text", "hidden text " + ", ".join(f"«{_snippet(t, 6)}»" for t in hidden)
                  + " was kept and will print; delete it if it should not", place)
    for instr in _fields(nodes):
        kind = (instr.split() or ["?"])[0].upper()
        if kind not in ("HYPERLINK", "FORMCHECKBOX"):
            scan.note("field", f"a Word field ({kind}) was kept as the text it showed", place)
    for tag, what in (("m:oMath", "an equation"), ("c:chart", "a chart"),
                      ("dgm:relIds", "a SmartArt diagram"), ("w:object", "an embedded object")):
        if tags[_q(tag)]:
            scan.note("object", f"{what} cannot be carried; recreate it as a picture or as text",
                      place)
    for fld in tags[_q("w:fldSimple")]:  # mammoth reads no simple field: unwrap it
        parent = fld.getparent()
        at = parent.index(fld)
        for offset, child in enumerate([c for c in fld if c.tag != _q("w:fldData")]):
            parent.insert(at + offset, child)
        parent.remove(fld)


def _fields(nodes: list[Any]) -> list[str]:
    """The instructions of the fields in a paragraph (``DATE \\@ "d MMMM yyyy"``)."""
    found: list[str] = []
    current: list[str] | None = None
    for node in nodes:
        if node.tag == _q("w:fldSimple"):
            found.append(node.get(_q("w:instr"), ""))
        elif node.tag == _q("w:fldChar"):
            kind = node.get(_q("w:fldCharType"))
            if kind == "begin":
                current = []
            elif current is not None:
                found.append("".join(current))
                current = None
        elif node.tag == _q("w:instrText") and current is not None:
            current.append(node.text or "")
    return found


def _add_marker(el: Any, index: int) -> None:
    """Open the paragraph with a run of its index, so mammoth's output names its source."""
    run = etree.Element(W_R)
    text = etree.SubElement(run, W_T)
    text.text = f"{MARK_OPEN}{index}{MARK_CLOSE}"
    text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    ppr = el.find(_q("w:pPr"))
    el.insert(0 if ppr is None else el.index(ppr) + 1, run)


def _scan_tables(scan: _Scan, body: Any, by_element: dict[Any, _Para]) -> None:
    for table in body.iter(W_TBL):
        if any(a.tag == W_TBL for a in table.iterancestors()):
            continue
        rows = table.findall(_q("w:tr"))
        cells = max((len(r.findall(_q("w:tc"))) for r in rows), default=0)
        if len(rows) <= 1 and cells <= 1:
            continue  # a box drawn with a table: a fact box
        first = next((by_element[p] for p in table.iter(W_P) if by_element[p].text), None)
        place = first
        kept = "one per cell" if cells == 1 else "one per row, cells separated by « | »"
        scan.note("table", f"a table ({len(rows)} × {cells}) cannot be carried; its text was "
                  f"kept as paragraphs, {kept}", place)


def _scan_textboxes(scan: _Scan, body: Any, by_element: dict[Any, _Para]) -> None:
    for box in body.iter(_q("w:txbxContent")):
        if any(a.tag == _q("w:txbxContent") for a in box.iterancestors()):
            continue
        paras = [by_element[p] for p in box.iter(W_P)]
        text = " ".join(p.text for p in paras if p.text)
        choice = next((a for a in box.iterancestors() if a.tag == _q("mc:Choice")), None)
        outer = next((a for a in box.iterancestors() if a.tag == W_P), None)
        place = by_element.get(outer)
        if choice is None:
            scan.note("text-box", f"a text box («{_snippet(text)}») cannot be carried; its "
                      "text was kept as paragraphs after the paragraph it is anchored in", place)
        elif choice.getparent().find(_q("mc:Fallback")) is None and text:
            scan.note("text-box", f"a text box («{_snippet(text)}») cannot be carried and "
                      "Word saved no plain copy of it: its text was left out; copy it into "
                      "the text", place)


def _scan_headers(scan: _Scan, parts: dict[str, bytes]) -> None:
    for name in sorted(parts):
        match = re.fullmatch(r"word/(header|footer)\d*\.xml", name)
        if not match:
            continue
        text = " ".join(" ".join(_text(p).split()) for p in _xml(parts, name).iter(W_P)).strip()
        if re.search(r"[^\W\d_]", text):
            scan.note("header", f"the page {match.group(1)} («{_snippet(text)}») was left out")


# --- step 3: convert with mammoth --------------------------------------------------------------

_STYLE_MAP = "\n".join([
    "p[style-name='ts-title'] => h1.title:fresh",
    *(f"p[style-name='ts-heading-{n}'] => h{min(n, 6)}:fresh" for n in range(1, 10)),
    *(f"p[style-name='ts-{role}'] => p.{role}:fresh"
      for role in ("subtitle", "rubric", "lead", "author", "caption", "quote", "fact",
                   "dialogue")),
    "p[style-name='ts-plain'] => p:fresh",
])


@dataclass
class _Picture:
    number: int
    content_type: str
    data: bytes


@dataclass
class _Span:
    text: str
    marks: frozenset[str] = frozenset()
    href: str | None = None


@dataclass
class _Block:
    role: str
    """A paragraph role (see :func:`style_role`), ``li``, ``row`` (a table row) or ``note``."""
    spans: list[_Span] = field(default_factory=list)
    para: _Para | None = None
    ordered: bool = False
    pictures: list[int] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)


def _marker_of(paragraph: Any) -> int | None:
    """The index of the ``w:p`` a mammoth paragraph comes from (its last marker: a paragraph
    whose break was deleted brings its runs, and its marker, into the next one)."""
    found = None
    for run in paragraph.children:
        for child in getattr(run, "children", []):
            match = _MARK.fullmatch(getattr(child, "value", "") or "")
            if match:
                found = int(match.group(1))
    return found


def _convert(parts: dict[str, bytes], scan: _Scan, pictures: list[_Picture],
             notes: _Notes) -> list[_Block]:
    by_index = {p.index: p for p in scan.paras}

    def paragraph(element: Any) -> Any:
        index = _marker_of(element)
        para = by_index.get(index) if index is not None else None
        role = para.role if para is not None else "plain"
        numbering = None if role == "dialogue" else element.numbering
        name = None if role == "plain" and numbering is not None else f"ts-{role}"
        return element.copy(style_id=None, style_name=name, numbering=numbering)

    def run(element: Any) -> Any:
        style = scan.styles.get(element.style_id or "")
        bold, italic = (style.bold, style.italic) if style else (False, False)
        if style is not None and not (bold or italic) and not _NEUTRAL_RUN.fullmatch(style.name):
            if style.name.lower() in ("strong", "строгий"):
                bold = True
            elif re.search(r"emphasis|выделение", style.name, re.I):
                italic = True
            else:
                notes.add("style", f"the Word character style «{style.name}» means nothing to "
                          "typeset; its text was kept plain")
        return element.copy(style_id=None, style_name=None,
                             is_bold=element.is_bold or bold,
                             is_italic=element.is_italic or italic)

    def transform(document: Any) -> Any:
        return mammoth.transforms.paragraph(paragraph)(mammoth.transforms.run(run)(document))

    def image(element: Any) -> dict[str, str]:
        number = len(pictures) + 1
        try:
            with element.open() as handle:
                data = handle.read()
        except Exception:  # a linked (not embedded) or missing picture: said at its place
            data = b""
        pictures.append(_Picture(number, element.content_type or "", data))
        return {"src": f"ts-picture:{number}"}

    package = io.BytesIO()
    with zipfile.ZipFile(package, "w") as out:
        for name, data in parts.items():
            out.writestr(name, scan.document if name == "word/document.xml" else data)
    package.seek(0)
    try:
        result = mammoth.convert_to_html(
            package, style_map=_STYLE_MAP, include_embedded_style_map=False,
            transform_document=transform, convert_image=mammoth.images.img_element(image))
    except Exception as exc:  # mammoth on a package it does not understand
        raise NotDocxError(f"cannot be converted ({type(exc).__name__}: {exc}); open it in "
                           "Word and save it again as .docx") from None
    for message in result.messages:
        text = message.message
        if re.search(r"referenced but not defined|unlikely to display|Unrecognised .* style|"
                     r"ignored: (?:m:|w:fldSimple)", text):
            continue
        notes.add("word", f"mammoth: {text}")
    return _HtmlReader(by_index, notes).blocks(result.value)


_SUPER = str.maketrans("0123456789+-=()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ")
_SUB = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")


class _HtmlReader:
    """mammoth's HTML to blocks of spans; the markers name each block's paragraph."""

    def __init__(self, by_index: dict[int, _Para], notes: _Notes) -> None:
        self.by_index = by_index
        self.notes = notes
        self.out: list[_Block] = []

    def blocks(self, html: str) -> list[_Block]:
        if not html.strip():
            return []
        root = lxml.html.fragment_fromstring(html, create_parent="div")
        for el in root:
            self._block(el)
        return self.out

    def _block(self, el: Any) -> None:
        tag, classes = el.tag, (el.get("class") or "").split()
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._para(el, "title" if "title" in classes else f"heading-{tag[1]}")
        elif tag == "p":
            self._para(el, classes[0] if classes else "plain")
        elif tag in ("ul", "ol"):
            if any((li.get("id") or "").startswith(("footnote-", "endnote-")) for li in el):
                for li in el:
                    for child in li:
                        self._para(child, "note")
            else:
                self._list(el)
        elif tag == "table":
            self._table(el)
        else:
            self._para(el, "plain")

    def _para(self, el: Any, role: str, **extra: Any) -> _Block:
        block = _Block(role, **extra)
        markers: list[int] = []
        self._inline(el, frozenset(), None, block, markers)
        if markers:
            block.para = self.by_index.get(markers[-1] if role != "row" else markers[0])
        block.spans = _tidy(block.spans)
        if block.spans or block.pictures:
            self.out.append(block)
        return block

    def _list(self, el: Any) -> None:
        for li in el:
            if li.tag != "li":
                continue
            nested = [c for c in li if c.tag in ("ul", "ol")]
            for child in nested:
                li.remove(child)
            self._para(li, "li", ordered=el.tag == "ol")
            for child in nested:
                self._list(child)

    def _table(self, el: Any) -> None:
        rows = el.xpath("./tr | ./thead/tr | ./tbody/tr")
        cells = max((len([c for c in r if c.tag in ("td", "th")]) for r in rows), default=0)
        for row in rows:
            if cells <= 1:
                for cell in row:
                    for child in cell:
                        self._block(child)
                continue
            block = _Block("row")
            markers: list[int] = []
            for cell in row:
                if cell.tag not in ("td", "th"):
                    continue
                inner = _Block("row")
                for child in cell:
                    if inner.spans:
                        inner.spans.append(_Span(" "))
                    self._inline(child, frozenset(), None, inner, markers)
                inner.spans = _tidy(inner.spans)
                if inner.spans and block.spans:
                    block.spans.append(_Span(" | "))
                block.spans.extend(inner.spans)
                block.pictures.extend(inner.pictures)
            block.para = self.by_index.get(markers[0]) if markers else None
            if block.spans or block.pictures:
                self.out.append(block)

    def _inline(self, el: Any, marks: frozenset[str], href: str | None, block: _Block,
                markers: list[int]) -> None:
        self._text(el.text, marks, href, block, markers)
        for child in el:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag in ("strong", "b"):
                self._inline(child, marks | {"strong"}, href, block, markers)
            elif tag in ("em", "i"):
                self._inline(child, marks | {"em"}, href, block, markers)
            elif tag in ("sup", "sub"):
                self._script(child, tag, marks, href, block, markers)
            elif tag == "s":
                inner = _Block("plain")
                self._inline(child, marks, href, inner, markers)
                if inner.text.strip():
                    block.spans.extend(inner.spans)
                    self.notes.add("strikethrough", f"struck-through text «{_snippet(inner.text)}» "
                                   "was kept (print has no strikethrough); delete it if it "
                                   "was meant to go", self._at(markers))
            elif tag == "a":
                target = child.get("href") or ""
                if re.match(r"#(?:foot|end)note-", target):
                    pass  # a note reference or a note's way back: the note text is kept
                else:
                    link = target if re.match(r"(?i)(https?|mailto):", target) else href
                    self._inline(child, marks, link, block, markers)
            elif tag == "br":
                block.spans.append(_Span(" ", marks, href))
            elif tag == "img":
                match = re.fullmatch(r"ts-picture:(\d+)", child.get("src") or "")
                if match:
                    block.pictures.append(int(match.group(1)))
            elif tag == "input":
                self.notes.add("checkbox", "a check box cannot be carried; it was left out",
                               self._at(markers))
            elif tag in ("p", "ul", "ol", "li", "div"):
                if block.spans:
                    block.spans.append(_Span(" "))
                self._inline(child, marks, href, block, markers)
            else:
                self._inline(child, marks, href, block, markers)
            self._text(child.tail, marks, href, block, markers)

    def _script(self, el: Any, tag: str, marks: frozenset[str], href: str | None,
                block: _Block, markers: list[int]) -> None:
        inner = _Block("plain")
        self._inline(el, marks, href, inner, markers)
        text = inner.text
        table = _SUPER if tag == "sup" else _SUB
        converted = text.translate(table)
        if all(c != o or c.isspace() for c, o in zip(converted, text, strict=True)):
            block.spans.append(_Span(converted, marks, href))
            return
        block.spans.extend(inner.spans)
        if text.strip():
            what = "superscript" if tag == "sup" else "subscript"
            self.notes.add("script", f"{what} «{_snippet(text)}» was kept as ordinary text",
                           self._at(markers))

    def _text(self, text: str | None, marks: frozenset[str], href: str | None, block: _Block,
              markers: list[int]) -> None:
        if not text:
            return
        markers.extend(int(m) for m in _MARK.findall(text))
        text = _MARK.sub("", text)
        if text:
            block.spans.append(_Span(text, marks, href))

    def _at(self, markers: list[int]) -> _Para | None:
        return self.by_index.get(markers[-1]) if markers else None


_SPACE = re.compile(r"[ \t\n\r\f\v\u2028\u2029\u0085]+")
_INVISIBLE = str.maketrans("", "", "\u00ad\ufffc\u200b\ufeff")


def _tidy(spans: Sequence[_Span]) -> list[_Span]:
    """Whitespace collapsed, soft hyphens and object marks dropped, emphasis only on words,
    neighbours of the same marks merged, nothing at either end."""
    out: list[_Span] = []
    for span in spans:
        text = _SPACE.sub(" ", span.text.translate(_INVISIBLE))
        text = "".join(c for c in text if unicodedata.category(c) != "Cc")
        if out and out[-1].text.endswith(" ") and text.startswith(" "):
            text = text[1:]
        if not text:
            continue
        marks = span.marks if re.search(r"\w", text) else frozenset()
        if out and out[-1].marks == marks and out[-1].href == span.href:
            out[-1] = _Span(out[-1].text + text, marks, span.href)
        else:
            out.append(_Span(text, marks, span.href))
    while out and not out[0].text.strip():
        out.pop(0)
    while out and not out[-1].text.strip():
        out.pop()
    if out:
        out[0] = _Span(out[0].text.lstrip(), out[0].marks, out[0].href)
        out[-1] = _Span(out[-1].text.rstrip(), out[-1].marks, out[-1].href)
    return out


# --- step 4: shape the article -----------------------------------------------------------------


@dataclass
class _Photo:
    number: int
    src: str
    data: bytes
    usable: bool
    reason: str = ""
    """Why a picture that is not usable was not imported."""
    caption: str | None = None
    credit: str | None = None


@dataclass
class _Draft:
    meta: dict[str, str] = field(default_factory=dict)
    photos: list[_Photo] = field(default_factory=list)
    body: list[_Block] = field(default_factory=list)


_FORMATS = {"JPEG": "jpg", "PNG": "png", "TIFF": "tif"}
_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/tiff": "tif", "image/gif": "gif",
          "image/bmp": "bmp", "image/x-emf": "emf", "image/x-wmf": "wmf",
          "image/svg+xml": "svg", "image/webp": "webp"}


def _check_pictures(pictures: list[_Picture], slug: str, tmp: Path,
                    article: Path) -> list[_Photo]:
    """Every picture through the build's own checks; a usable one gets its file name."""
    photos: list[_Photo] = []
    kept = 0
    (tmp / "images").mkdir()
    for picture in pictures:
        if not picture.data:
            photos.append(_Photo(picture.number, "", b"", False, "it could not be read from "
                                 "the file; insert it again (Insert → Pictures)"))
            continue
        try:
            with Image.open(io.BytesIO(picture.data)) as probe:
                fmt = probe.format or ""
        except Exception:  # Pillow cannot even name it: check_image words the refusal
            fmt = ""
        ext = _FORMATS.get(fmt) or _TYPES.get(picture.content_type, "bin")
        src = f"images/{slug}-{kept + 1}.{ext}"
        (tmp / src).write_bytes(picture.data)
        info, findings = check_image(tmp, src, article, 0)
        if info is None:
            reason = "; ".join(f.message for f in findings)
            photos.append(_Photo(picture.number, src, b"", False, reason))
            continue
        data, turned = _upright(picture.data)
        kept += 1
        photos.append(_Photo(picture.number, src, data, True,
                             "turned" if turned else ""))
    return photos


def _upright(data: bytes) -> tuple[bytes, bool]:
    """The picture turned as its EXIF orientation says (the layout reads the stored size)."""
    with Image.open(io.BytesIO(data)) as image:
        if image.getexif().get(0x0112, 1) in (0, 1):
            return data, False
        fmt = image.format or "JPEG"
        turned = ImageOps.exif_transpose(image)
        out = io.BytesIO()
        extra: dict[str, Any] = {"quality": 95} if fmt == "JPEG" else {}
        if image.info.get("icc_profile"):
            extra["icc_profile"] = image.info["icc_profile"]
        turned.save(out, fmt, **extra)
        return out.getvalue(), True


_UP, _LOW = "А-ЯЁӘҒҚҢӨҰҮҺІ", "а-яёәғқңөұүһі"
_SURNAME = rf"[{_UP}](?:[{_LOW}]+|[{_UP}]+)(?:-[{_UP}](?:[{_LOW}]+|[{_UP}]+))?"
BYLINE = re.compile(rf"(?:(?:Текст|Автор)\s*:\s*)?(?:[{_UP}][{_LOW}]+|[{_UP}]\.(?:\s?[{_UP}]\.)?)"
                    rf"\s+{_SURNAME}(?:\s+{_SURNAME})?(?:\s*,\s*[^,.!?:;]{{1,40}})?")
"""A byline: «Анна Литвинова», «А. Литвинова», «Анна ЛИТВИНОВА, фото автора»."""
_CREDIT = [
    re.compile(r"(?P<caption>)(?P<credit>(?:фото|photo)\b.{0,80})", re.I),
    re.compile(r"(?P<caption>.*?[.!?…»\"”])\s+(?P<credit>(?:фото|photo)\b[^.!?]{0,80}\.?)", re.I),
    re.compile(r"(?P<caption>.*?)\s*\((?P<credit>(?:фото|photo)\b[^()]{0,80})\)\.?", re.I),
    re.compile(r"(?P<caption>.*?)\s+[/|–—-]\s+(?P<credit>(?:фото|photo)\b.{0,80})", re.I),
]
_BOX_OPENING = re.compile(r"(?P<title>Факты?|Справка|Кстати|Цифры|ФАКТЫ?|СПРАВКА|Fact)\s*:\s+"
                          r"(?=\S)")


def split_credit(text: str) -> tuple[str | None, str | None]:
    """A caption and its trailing «Фото …» credit: ``("Гости в цехе.", "Фото автора")``."""
    for pattern in _CREDIT:
        match = pattern.fullmatch(text)
        if match:
            return match.group("caption").strip() or None, match.group("credit").strip()
    return text or None, None


def _is_rubric(block: _Block) -> bool:
    text = block.text
    short = len(text.split()) <= 4 and len(text) <= 40 and not re.search(r"[.!?…]$", text)
    letters = [c for c in text if c.isalpha()]
    caps = bool(letters) and all(c.isupper() for c in letters)
    styled = block.role == "rubric" or (block.para is not None and block.para.caps)
    emphasised = all(s.marks for s in block.spans)
    return block.role == "rubric" or (short and (caps or styled or emphasised))


def _shape(blocks: list[_Block], photos: list[_Photo], notes: _Notes) -> _Draft:
    draft = _Draft(photos=[p for p in photos if p.usable])
    by_number = {p.number: p for p in photos}
    blocks = _take_pictures(blocks, by_number, notes)
    if not any(b.text for b in blocks):
        raise ImportRefused("the document has no text to import")
    # the title: the Title style, else the first heading, else the first paragraph
    titled = [i for i, b in enumerate(blocks) if b.role == "title"]
    headed = [i for i, b in enumerate(blocks) if b.role.startswith("heading-")]
    if titled or headed:
        start = (titled or headed)[0]
    else:
        start = next((i for i, b in enumerate(blocks)
                      if not _is_rubric(b) and b.role in ("plain", "li", "dialogue")),
                     next(i for i, b in enumerate(blocks) if b.text))
        notes.add("no-title", "no paragraph has the Title or a Heading style: the first "
                  f"paragraph («{_snippet(blocks[start].text)}») was taken as the title",
                  order=0)
    end = start + 1
    while end < len(blocks) and blocks[end].role == blocks[start].role and titled:
        end += 1
    meta: dict[str, list[str]] = collections.defaultdict(list)
    meta["title"] = [b.text for b in blocks[start:end]]
    body: list[_Block] = []
    for block in blocks[:start]:
        if block.role in ("rubric", "subtitle", "lead", "author"):
            meta[block.role].append(block.text)
        elif _is_rubric(block) and not meta["rubric"]:
            meta["rubric"].append(block.text)
        else:
            notes.add("above-title", "text above the title was kept at the start of the body",
                      block.para)
            body.append(block)
    started = False
    for block in blocks[end:]:
        role = block.role
        if role in ("rubric", "lead", "author") or (role == "subtitle" and not started):
            meta[role].append(block.text)
            continue
        if role in ("title", "subtitle") or role.startswith("heading-"):
            block.role = "heading"
        elif role == "caption":
            block.role = "plain"
        started = True
        body.append(block)
    if not meta["author"]:
        last = next((b for b in reversed(body) if b.role != "note"), None)
        if last is not None and last.role == "plain" and BYLINE.fullmatch(last.text):
            meta["author"].append(last.text)
            body.remove(last)
    for key, joiner in (("title", " "), ("rubric", " "), ("subtitle", " "), ("lead", " "),
                        ("author", ", ")):
        if meta[key]:
            draft.meta[key] = joiner.join(meta[key])
    draft.body = body
    return draft


def _take_pictures(blocks: list[_Block], photos: dict[int, _Photo],
                   notes: _Notes) -> list[_Block]:
    """Pictures out of the text; the paragraph under a picture is its caption, and a
    trailing «Фото …» in it (or a line of its own under it) the credit."""
    out: list[_Block] = []
    said: set[int] = set()
    i = 0
    while i < len(blocks):
        block = blocks[i]
        i += 1
        usable = []
        for number in block.pictures:
            photo = photos.get(number)
            if photo is None:
                continue
            said.add(number)
            if photo.usable:
                usable.append(photo)
                if photo.reason == "turned":
                    notes.add("picture", f"picture {number} carried an EXIF rotation; it was "
                              "saved upright, as Word shows it", block.para)
            else:
                notes.add("picture", f"picture {number} was not imported: {photo.reason}",
                          block.para)
        if block.text:
            if usable:
                notes.add("picture", "a picture inside the text was taken out of it and listed "
                          "under photos:", block.para)
            out.append(block)
            continue
        if not usable:
            continue
        photo = usable[-1]
        below = blocks[i] if i < len(blocks) else None
        if (below is not None and not below.pictures and below.role in ("plain", "caption")
                and (below.role == "caption" or len(below.text.split()) <= 60)):
            photo.caption, photo.credit = split_credit(below.text)
            i += 1
            after = blocks[i] if i < len(blocks) else None
            if (photo.credit is None and after is not None and after.role in ("plain", "caption")
                    and not after.pictures and split_credit(after.text)[0] is None):
                photo.credit = after.text
                i += 1
    for number, photo in sorted(photos.items()):
        if number not in said and not photo.usable:
            notes.add("picture", f"picture {number} was not imported: {photo.reason}")
        elif photo.usable and not photo.caption:
            notes.add("caption", f"picture {number} ({photo.src}) has no caption; write one "
                      "under photos:")
    return out


# --- step 5: Markdown --------------------------------------------------------------------------

_CHECK = MarkdownIt("commonmark", {"html": True})
_ESCAPE = re.compile(r"[\\`*_\[\]<#&]")


def escape_inline(text: str) -> str:
    """Backslash-escape what CommonMark reads as inline markup."""
    return _ESCAPE.sub(lambda m: "\\" + m.group(0), text)


def escape_line(text: str) -> str:
    """Backslash-escape what would open a block at the start of a line (a list, a quote, a
    heading, a fence, a fact box) in text already escaped by :func:`escape_inline`."""
    match = re.match(r"\d{1,9}(?=[.)])", text)
    if match:
        return text[:match.end()] + "\\" + text[match.end():]
    if text[:1] in ("-", "+", "=", ":", "~", ">", "|"):
        return "\\" + text
    return text


def markdown_text(text: str) -> str:
    """One paragraph of plain text as the Markdown line the importer writes: it reads back as
    exactly that text, its whitespace collapsed (and soft hyphens dropped); "- " at its start
    stays dialogue."""
    return _paragraph(_Block("plain", _tidy([_Span(text)])), _Notes(Path()))


def inline_markdown(runs: Iterable[tuple[str, Iterable[str]]]) -> tuple[str, list[Finding]]:
    """Runs of text with their marks (``"strong"``, ``"em"``) as the Markdown line the
    importer writes, and the warning if some emphasis had to go."""
    notes = _Notes(Path("runs"))
    spans = _tidy([_Span(text, frozenset(marks)) for text, marks in runs])
    return _inline_markdown(spans, None, notes), notes.items


def _emit(spans: Sequence[_Span]) -> str:
    """Inline Markdown: links around bold around italic, spaces kept outside the marks."""
    out: list[str] = []
    for href, group in itertools.groupby(spans, key=lambda s: s.href):
        text = _emit_marks(list(group), ("strong", "em"))
        if href:
            target = quote(href, safe=":/?#@!$&'*+,;=%~-._[]")
            text = _wrap(text, "[", f"]({target})")
        out.append(text)
    return "".join(out)


def _emit_marks(spans: list[_Span], order: tuple[str, ...]) -> str:
    if not order:
        return "".join(escape_inline(s.text) for s in spans)
    mark, delimiter = order[0], "**" if order[0] == "strong" else "*"
    out = []
    for marked, group in itertools.groupby(spans, key=lambda s: mark in s.marks):
        inner = _emit_marks(list(group), order[1:])
        out.append(_wrap(inner, delimiter, delimiter) if marked else inner)
    return "".join(out)


def _wrap(text: str, opening: str, closing: str) -> str:
    core = text.strip()
    if not core:
        return text
    return text[:len(text) - len(text.lstrip())] + opening + core + closing + \
        text[len(text.rstrip()):]


def _shrink(spans: Sequence[_Span]) -> list[_Span]:
    """Punctuation at the edges of bold or italic taken out of it: ``слово«**цитата**»``
    where CommonMark cannot read ``слово**«цитата»**``."""
    out: list[_Span] = []
    for span in spans:
        match = re.fullmatch(r"([\W_]*)(.*?)([\W_]*)", span.text, re.S)
        if not span.marks or match is None or not match.group(2):
            out.append(span)
            continue
        for part, marks in ((match.group(1), frozenset[str]()), (match.group(2), span.marks),
                            (match.group(3), frozenset[str]())):
            if part:
                out.append(_Span(part, marks, span.href))
    return out


def _readback(markdown: str) -> list[tuple[str, frozenset[str]]]:
    """The text and marks CommonMark reads in one inline line, character by character."""
    out: list[tuple[str, frozenset[str]]] = []
    marks: set[str] = set()
    for token in _CHECK.parseInline(markdown)[0].children or []:
        if token.type == "text":
            out.extend((c, frozenset(marks)) for c in token.content)
        elif token.type in ("em_open", "strong_open"):
            marks.add(token.type.removesuffix("_open"))
        elif token.type in ("em_close", "strong_close"):
            marks.discard(token.type.removesuffix("_close"))
        elif token.type in ("link_open", "link_close"):
            continue
        else:
            out.append(("\0" + token.type, frozenset()))
    return [(c, frozenset() if c.isspace() else m) for c, m in out]


def _wanted(spans: Sequence[_Span]) -> list[tuple[str, frozenset[str]]]:
    return [(c, frozenset() if c.isspace() else s.marks) for s in spans for c in s.text]


def _inline_markdown(spans: Sequence[_Span], at: _Para | None, notes: _Notes) -> str:
    """The spans as inline Markdown, checked by reading back. Emphasis CommonMark cannot
    express there is narrowed to the words, else dropped with a warning; never the text."""
    line = escape_line(_emit(spans))
    if _readback(line) == _wanted(spans):
        return line
    spans = _shrink(spans)
    line = escape_line(_emit(spans))
    if _readback(line) == _wanted(spans):
        return line
    for strip in ("em", "strong", "href"):
        spans = [_Span(s.text, s.marks - {strip}, None if strip == "href" else s.href)
                 for s in spans]
        line = escape_line(_emit(spans))
        if _readback(line) == _wanted(spans):
            break
    what = {"em": "italic", "strong": "bold and italic", "href": "emphasis and links"}[strip]
    notes.add("emphasis", f"the {what} of this paragraph could not be written in Markdown and "
              "was left out; the text is kept", at)
    return line


def _front_matter(draft: _Draft) -> str:
    data: dict[str, Any] = dict(draft.meta)
    if draft.photos:
        data["photos"] = [{k: v for k, v in (("src", p.src), ("caption", p.caption),
                                            ("credit", p.credit)) if v}
                          for p in draft.photos]
    ordered = {k: data[k] for k in ("title", "rubric", "subtitle", "lead", "author", "photos")
               if k in data}
    return yaml.safe_dump(ordered, allow_unicode=True, sort_keys=False, width=10**6)


def _article_markdown(draft: _Draft, notes: _Notes) -> str:
    chunks = [_chunk(group, notes) for group in _groups(draft.body)]
    body = "\n\n".join(c for c in chunks if c)
    return f"---\n{_front_matter(draft)}---\n{body}\n"


def _groups(blocks: list[_Block], boxes: bool = True) -> Iterator[list[_Block]]:
    """Neighbouring blocks that make one Markdown block: a list, a quote, a fact box."""
    group: list[_Block] = []

    def key(block: _Block) -> str:
        if block.role == "li":
            return f"li-{block.ordered}"
        if block.role in ("quote", "fact"):
            return block.role
        return f"single-{id(block)}"

    for block in blocks:
        if boxes and block.role == "plain" and _BOX_OPENING.match(block.text):
            if group:
                yield group
            yield [_Block("box", block.spans, block.para)]
            group = []
            continue
        if group and key(group[-1]) != key(block):
            yield group
            group = []
        group.append(block)
    if group:
        yield group


def _paragraph(block: _Block, notes: _Notes) -> str:
    """A paragraph line; one that starts with "- " stays dialogue (read back as "- …")."""
    spans = block.spans
    if block.role == "dialogue":
        return "- " + _inline_markdown(spans, block.para, notes)
    first = spans[0] if spans else None
    if first is not None and not first.marks and not first.href and re.match(r"- \S", first.text):
        rest = [_Span(first.text[2:], first.marks), *spans[1:]]
        rest = [s for s in rest if s.text]
        if rest:
            return "- " + _inline_markdown(rest, block.para, notes)
    return _inline_markdown(spans, block.para, notes)


def _chunk(group: list[_Block], notes: _Notes) -> str:
    head = group[0]
    if head.role == "li":
        return "\n".join((f"{n}. " if b.ordered else "* ")
                         + _inline_markdown(b.spans, b.para, notes)
                         for n, b in enumerate(group, 1))
    if head.role == "heading":
        return "## " + _inline_markdown(head.spans, head.para, notes)
    if head.role == "quote":
        return "\n>\n".join("> " + _paragraph(b, notes) for b in group)
    if head.role == "box":
        match = _BOX_OPENING.match(head.text)
        assert match is not None
        line = _paragraph(_Block("plain", _cut(head.spans, match.end()), head.para), notes)
        return f"::: fact {match.group('title')}\n{line}\n:::"
    if head.role == "fact":
        title = "Факт"
        first = group[0]
        if (len(group) > 1 and len(first.text.split()) <= 5 and all("strong" in s.marks
                                                                    for s in first.spans)
                and not re.search(r"[.!?…]$", first.text)):
            title, group = first.text.rstrip(":").strip(), group[1:]
        inner = "\n\n".join(_chunk(g, notes) for g in _groups(
            [_Block("plain" if b.role == "fact" else b.role, b.spans, b.para, b.ordered)
             for b in group], boxes=False))
        return f"::: fact {title}\n{inner}\n:::"
    return _paragraph(head, notes)


def _cut(spans: Sequence[_Span], offset: int) -> list[_Span]:
    out: list[_Span] = []
    seen = 0
    for span in spans:
        end = seen + len(span.text)
        if end > offset:
            out.append(_Span(span.text[max(0, offset - seen):], span.marks, span.href))
        seen = end
    return _tidy(out)


# --- step 6: check and write -------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", unicodedata.normalize("NFKC", text.translate(_INVISIBLE)))


def _write(source: Path, slug: str, issue_dir: Path, markdown: str,
           images: list[tuple[Path, bytes]], scan: _Scan, notes: _Notes) -> ImportResult:

    articles = issue_dir / "articles"
    articles.mkdir(parents=True, exist_ok=True)
    target = articles / f"{slug}.md"
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in images:
            staged.append((_stage(path, data), path))
        tmp = _stage(target, markdown.encode("utf-8"))
        staged.append((tmp, target))
        article, findings = read_article(tmp, slug, lambda text: text)
        errors = [f for f in findings if f.severity is Severity.ERROR]
        if article is None or errors:
            raise ImportRefused("the converted article does not read back (a bug in typeset "
                                "import): "
                                + "; ".join(f.message for f in errors))
        missing = collections.Counter(_words(" ".join(scan.words_text)))
        missing.subtract(collections.Counter(_words(article.text())))
        lost = sorted(w for w, n in missing.items() if n > 0)
        if lost:
            notes.add("lost-words", "words of the document missing from the article (a bug in "
                      f"typeset import; please report it): {', '.join(lost[:12])}")
    except BaseException:
        for tmp_path, _ in staged:
            tmp_path.unlink(missing_ok=True)
        raise
    for tmp_path, path in staged:
        os.replace(tmp_path, path)
    written = {path.name for path, _ in images}
    for old in sorted((issue_dir / "images").glob(f"{slug}-*")):
        if re.fullmatch(rf"{re.escape(slug)}-\d+\.(?:jpg|png|tif)", old.name) and \
                old.name not in written:
            notes.add("stale-picture", f"images/{old.name} is left from an earlier import; "
                      "delete it if nothing uses it")
    return ImportResult(source, slug, target, [p for p, _ in images], len(article.words()),
                        notes.items)


def _stage(path: Path, data: bytes) -> Path:
    """``data`` written beside ``path`` under a temporary name, ready to be renamed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(name, 0o644)
    return Path(name)


def import_many(sources: Sequence[Path], issue_dir: Path, *, slug: str | None = None,
                force: bool = False,
                on_result: Callable[[Path, ImportResult | TypesetError], None] | None = None,
                ) -> list[ImportResult | TypesetError]:
    """Import every file; a file that fails does not stop the others. Two files that would
    make the same slug: the second fails."""
    results: list[ImportResult | TypesetError] = []
    seen: dict[str, Path] = {}
    for source in sources:
        outcome: ImportResult | TypesetError
        wanted = slug or slugify(source.stem)
        if wanted in seen:
            outcome = ImportRefused(f"{display_path(source)}: makes the same slug "
                                    f"'{wanted}' as {display_path(seen[wanted])}; import it "
                                    "with --slug")
        else:
            try:
                outcome = import_docx(source, issue_dir, slug=slug, force=force)
                seen[wanted] = source
            except UsageError:
                raise
            except TypesetError as exc:
                outcome = exc
        results.append(outcome)
        if on_result is not None:
            on_result(source, outcome)
    return results
