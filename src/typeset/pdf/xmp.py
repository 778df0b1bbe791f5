"""The metadata of every PDF output: the Info dictionary and a matching XMP packet.

Title «Газета № 16 (1234) от 25 апреля 2024 г.», language, publisher, creator, the edition's
dates (never the clock), and the PDF/X or PDF/A identification. The XMP packet is written here
rather than through pikepdf's metadata editor, which would stamp the clock into
xmp:MetadataDate.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from xml.sax.saxutils import escape

import pikepdf

from .. import __version__
from ..compose.furniture import edition_title
from ..source.manifest import Edition
from .writer import document_id

PRODUCER = f"typeset {__version__} (WeasyPrint, pikepdf)"


def plain(text: str) -> str:
    """Metadata wants plain spaces: no-break and narrow no-break spaces are replaced."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def edition_dates(edition: Edition) -> tuple[dt.datetime, dt.datetime]:
    """(created, modified): the edition's date at midnight UTC; SOURCE_DATE_EPOCH, when set,
    is the modification date. Never the clock."""
    date = edition.manifest.date
    created = dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    modified = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch.isdigit() else created
    return created, max(created, modified)


@dataclass(frozen=True)
class Metadata:
    title: str
    creator: str
    publisher: str
    subject: str
    keywords: str
    language: str
    created: dt.datetime
    modified: dt.datetime
    document_id: str

    @classmethod
    def of(cls, edition: Edition, part: str = "") -> Metadata:
        paper = edition.paper
        title = plain(edition_title(edition))
        if part:
            title = f"{title}, {part}"
        keywords = sorted({t for a in edition.articles.values() for t in a.meta.tags})
        created, modified = edition_dates(edition)
        uid = document_id(edition, part or "edition").hex()
        return cls(title=title, creator=plain(paper.title),
                   publisher=plain(paper.publisher or paper.founder),
                   subject=plain(paper.subtitle), keywords=plain(", ".join(keywords)),
                   language=paper.language, created=created, modified=modified,
                   document_id=f"uuid:{uid[:8]}-{uid[8:12]}-{uid[12:16]}-{uid[16:20]}-{uid[20:]}")

    def info(self, **extra: pikepdf.Object) -> pikepdf.Dictionary:
        """The Info dictionary, matching the XMP packet."""
        info = pikepdf.Dictionary(
            Title=pikepdf.String(self.title), Author=pikepdf.String(self.creator),
            Subject=pikepdf.String(self.subject), Keywords=pikepdf.String(self.keywords),
            Creator=pikepdf.String(PRODUCER), Producer=pikepdf.String(PRODUCER),
            CreationDate=pikepdf.String(_pdf_date(self.created)),
            ModDate=pikepdf.String(_pdf_date(self.modified)))
        for key, value in extra.items():
            info[f"/{key}"] = value
        return info


def _pdf_date(moment: dt.datetime) -> str:
    return moment.strftime("D:%Y%m%d%H%M%S+00'00'")


def _xmp_date(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S+00:00")


def xmp_packet(meta: Metadata, *, pdfx: str | None = None, pdfa: bool = False) -> bytes:
    """An XMP packet (Dublin Core, XMP, PDF, and the PDF/X or PDF/A identification)."""
    e = escape
    ident = ""
    if pdfx:
        ident += f"<pdfxid:GTS_PDFXVersion>{pdfx}</pdfxid:GTS_PDFXVersion>"
    if pdfa:
        ident += "<pdfaid:part>2</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>"
    body = (
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" '
        'xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/" '
        'xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/" '
        'xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">'
        "<dc:format>application/pdf</dc:format>"
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{e(meta.title)}</rdf:li></rdf:Alt>'
        "</dc:title>"
        f"<dc:creator><rdf:Seq><rdf:li>{e(meta.creator)}</rdf:li></rdf:Seq></dc:creator>"
        f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{e(meta.subject)}</rdf:li>'
        "</rdf:Alt></dc:description>"
        f"<dc:publisher><rdf:Bag><rdf:li>{e(meta.publisher)}</rdf:li></rdf:Bag></dc:publisher>"
        f"<dc:language><rdf:Bag><rdf:li>{e(meta.language)}</rdf:li></rdf:Bag></dc:language>"
        f"<xmp:CreateDate>{_xmp_date(meta.created)}</xmp:CreateDate>"
        f"<xmp:ModifyDate>{_xmp_date(meta.modified)}</xmp:ModifyDate>"
        f"<xmp:MetadataDate>{_xmp_date(meta.modified)}</xmp:MetadataDate>"
        f"<xmp:CreatorTool>{e(PRODUCER)}</xmp:CreatorTool>"
        f"<pdf:Producer>{e(PRODUCER)}</pdf:Producer>"
        f"<pdf:Keywords>{e(meta.keywords)}</pdf:Keywords>"
        "<pdf:Trapped>False</pdf:Trapped>"
        f"<xmpMM:DocumentID>{meta.document_id}</xmpMM:DocumentID>"
        f"<xmpMM:InstanceID>{meta.document_id}</xmpMM:InstanceID>"
        "<xmpMM:VersionID>1</xmpMM:VersionID><xmpMM:RenditionClass>default"
        f"</xmpMM:RenditionClass>{ident}</rdf:Description>")
    return ('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
            '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            f"{body}</rdf:RDF></x:xmpmeta>\n"
            '<?xpacket end="w"?>').encode()
