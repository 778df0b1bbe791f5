"""Step 2 of an import: scan the XML.

lxml finds what mammoth does not report: where each paragraph is (its number and first words),
tables, text boxes, comments, footnotes, tracked changes, fields, hidden text, framed or shaded
paragraphs, dash bullets, the meaning of each Word style (:func:`style_role`). Every paragraph
gets an invisible marker run so that mammoth's output can be traced back to it.
"""

from __future__ import annotations

import collections
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from .messages import NotDocxError, Para, snippet

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
"""The private-use characters around a paragraph's index in its marker run (see
:func:`scan_document`): :mod:`.convert` finds them in mammoth's output."""
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
class Style:
    """A Word style of styles.xml: its name, kind, base, and what it does that matters here."""

    name: str
    kind: str
    based_on: str | None
    bold: bool = False
    italic: bool = False
    framed: bool = False


@dataclass
class Scan:
    """What step 2 found: the paragraphs, the styles, the warnings, and the document for mammoth."""

    paras: list[Para] = field(default_factory=list)
    styles: dict[str, Style] = field(default_factory=dict)
    notes: list[tuple[str, str, Para | None]] = field(default_factory=list)
    words_text: list[str] = field(default_factory=list)
    """The text mammoth carries (body, tables, text boxes, notes): for the words check."""
    document: bytes = b""
    """document.xml with a marker run opening every paragraph."""

    def note(self, code: str, message: str, at: Para | None = None) -> None:
        """A warning, given to the import's :class:`~.messages.Notes` once the scan is done."""
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


def _read_styles(parts: dict[str, bytes]) -> dict[str, Style]:
    styles: dict[str, Style] = {}
    if "word/styles.xml" not in parts:
        return styles
    for el in _xml(parts, "word/styles.xml").iter(_q("w:style")):
        sid = el.get(_q("w:styleId"))
        if sid is None:
            continue
        name_el, based = el.find(_q("w:name")), el.find(_q("w:basedOn"))
        rpr = el.find(_q("w:rPr"))
        styles[sid] = Style(
            name=name_el.get(_q("w:val"), sid) if name_el is not None else sid,
            kind=el.get(_q("w:type"), "paragraph"),
            based_on=based.get(_q("w:val")) if based is not None else None,
            bold=_flag(rpr, "w:b"), italic=_flag(rpr, "w:i"), framed=_framed(el.find(_q("w:pPr"))))
    return styles


def _role_of(styles: dict[str, Style], sid: str | None) -> tuple[str, bool, bool]:
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


def scan_document(parts: dict[str, bytes]) -> Scan:
    """The document scanned: every paragraph with its place and role, what cannot be
    carried as warnings, and document.xml with a marker run opening every paragraph."""
    scan = Scan(styles=_read_styles(parts))
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
    by_element: dict[Any, Para] = {}
    dash_lists: list[tuple[Para, str]] = []
    for index, el in enumerate(list(body.iter(W_P))):
        ancestors = list(el.iterancestors())
        tags = {a.tag for a in ancestors}
        where = ("choice" if _q("mc:Choice") in tags else "textbox"
                 if _q("w:txbxContent") in tags else "table" if W_TBL in tags else "body")
        ppr = el.find(_q("w:pPr"))
        style_el = ppr.find(_q("w:pStyle")) if ppr is not None else None
        sid = style_el.get(_q("w:val")) if style_el is not None else None
        para = Para(index, where, " ".join(_text(el).split()), style=sid)
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


def _dialogue(items: list[tuple[Para, str]]) -> None:
    """Word turns a typed "- " into a dash-bulleted list: such a list whose every item ends a
    sentence is dialogue, not an enumeration ("– пункт;")."""
    groups: dict[str, list[Para]] = collections.defaultdict(list)
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


def _scan_paragraph(scan: Scan, el: Any, para: Para, comments: dict[str, tuple[str, str]],
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
            said.append("inserted " + ", ".join(f"«{snippet(t, 6)}»" for t in inserted)
                        + " kept")
        if deleted:
            said.append("deleted " + ", ".join(f"«{snippet(t, 6)}»" for t in deleted)
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
        scan.note("comment", f"a comment{by} («{snippet(text, 8)}») was left out", place)
    for tag, notes, kind in (("w:footnoteReference", footnotes, "footnote"),
                             ("w:endnoteReference", endnotes, "endnote")):
        for ref in tags[_q(tag)]:
            text = notes.get(ref.get(_q("w:id"), ""), "")
            scan.note(kind, f"a {kind} cannot be carried; its text («{snippet(text, 6)}») was "
                      "kept as a paragraph at the end of the article", place)
    hidden = [t for r in tags[W_R] if _flag(r.find(_q("w:rPr")), "w:vanish")
              and (t := _text(r)).strip()]
    if hidden:
        scan.note("hidden-text", "hidden text " + ", ".join(f"«{snippet(t, 6)}»" for t in hidden)
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


def _scan_tables(scan: Scan, body: Any, by_element: dict[Any, Para]) -> None:
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


def _scan_textboxes(scan: Scan, body: Any, by_element: dict[Any, Para]) -> None:
    for box in body.iter(_q("w:txbxContent")):
        if any(a.tag == _q("w:txbxContent") for a in box.iterancestors()):
            continue
        paras = [by_element[p] for p in box.iter(W_P)]
        text = " ".join(p.text for p in paras if p.text)
        choice = next((a for a in box.iterancestors() if a.tag == _q("mc:Choice")), None)
        outer = next((a for a in box.iterancestors() if a.tag == W_P), None)
        place = by_element.get(outer)
        if choice is None:
            scan.note("text-box", f"a text box («{snippet(text)}») cannot be carried; its "
                      "text was kept as paragraphs after the paragraph it is anchored in", place)
        elif choice.getparent().find(_q("mc:Fallback")) is None and text:
            scan.note("text-box", f"a text box («{snippet(text)}») cannot be carried and "
                      "Word saved no plain copy of it: its text was left out; copy it into "
                      "the text", place)


def _scan_headers(scan: Scan, parts: dict[str, bytes]) -> None:
    for name in sorted(parts):
        match = re.fullmatch(r"word/(header|footer)\d*\.xml", name)
        if not match:
            continue
        text = " ".join(" ".join(_text(p).split()) for p in _xml(parts, name).iter(W_P)).strip()
        if re.search(r"[^\W\d_]", text):
            scan.note("header", f"the page {match.group(1)} («{snippet(text)}») was left out")
