"""Step 6b: the archive file — PDF/A-2b of the whole edition with its metadata.

The archive copy is the composite (CMYK photos, CropBox = TrimBox) with what PDF/A-2b asks for:
XMP metadata matching the Info dictionary (title «Газета № 16 (1234) от 25 апреля 2024 г.»,
language, publisher, creator, the edition's dates), an OutputIntent /GTS_PDFA1 carrying the
printer's CMYK profile (the content is DeviceCMYK), /Lang, a fixed document ID and an outline:
one entry per page («Страница N») with the page's articles under it.

The XMP packet is written here rather than through pikepdf's metadata editor, which would stamp
the clock into xmp:MetadataDate. :class:`Metadata` and :func:`xmp_packet` also serve the press
files (PDF/X).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

import pikepdf

from . import __version__
from .errors import EditionError

if TYPE_CHECKING:
    from .build import BuildResult

PRODUCER = f"typeset {__version__} (WeasyPrint, pikepdf)"


def _plain(text: str) -> str:
    """Metadata wants plain spaces: no-break and narrow no-break spaces are replaced."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def edition_dates(result: BuildResult) -> tuple[dt.datetime, dt.datetime]:
    """(created, modified): the edition's date at midnight UTC; SOURCE_DATE_EPOCH, when set,
    is the modification date. Never the clock."""
    date = result.edition.manifest.date
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
    def of(cls, result: BuildResult, part: str = "") -> Metadata:
        from .layout import number_label, russian_date
        from .press import document_id

        edition = result.edition
        paper = edition.paper
        title = _plain(f"{paper.title} {number_label(edition)} от "
                       f"{russian_date(edition.manifest.date)}")
        if part:
            title = f"{title}, {part}"
        keywords = sorted({t for a in edition.articles.values() for t in a.meta.tags})
        created, modified = edition_dates(result)
        uid = document_id(result, part or "edition").hex()
        return cls(title=title, creator=_plain(paper.title),
                   publisher=_plain(paper.publisher or paper.founder),
                   subject=_plain(paper.subtitle), keywords=_plain(", ".join(keywords)),
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


def _outline(pdf: pikepdf.Pdf, result: BuildResult) -> None:
    """«Страница N» per page, the page's articles (headline) under it."""
    articles = result.edition.articles
    with pdf.open_outline() as outline:
        outline.root.clear()
        for plan in result.composed.pages:
            index = plan.number - 1
            if index >= len(pdf.pages):
                continue
            entry = pikepdf.OutlineItem(f"Страница {plan.number}", index, "Fit")
            for placed in plan.articles:
                article = articles.get(placed.slug)
                if article is None:
                    continue
                y = _num_box(pdf.pages[index].obj.TrimBox)[3] - placed.head_rect.y
                entry.children.append(pikepdf.OutlineItem(
                    _plain(article.meta.title), index, "XYZ", top=y))
            outline.root.append(entry)


def _num_box(box: pikepdf.Object) -> list[float]:
    return [float(v) for v in box]


def make_archive(result: BuildResult) -> bytes:
    """The edition as PDF/A-2b with title, date, language and publisher in its XMP."""
    from .press import document_id, load_profile, open_normalised, save, set_boxes

    profile, findings = load_profile(result.edition)
    if profile is None:
        raise EditionError(findings)
    meta = Metadata.of(result)
    with open_normalised(result) as pdf:
        for page in pdf.pages:
            set_boxes(page, result, crop_to_trim=True)
            for annot in page.obj.get("/Annots", pikepdf.Array()):
                annot.F = 4  # PDF/A: annotations print, are not hidden
        icc = pikepdf.Stream(pdf, profile)
        icc.N = 4
        icc.Alternate = pikepdf.Name.DeviceCMYK
        condition = result.edition.paper.printer.icc_name or "Custom"
        pdf.Root.OutputIntents = pikepdf.Array([pikepdf.Dictionary(
            Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFA1,
            OutputConditionIdentifier=pikepdf.String(condition),
            Info=pikepdf.String(condition), DestOutputProfile=pdf.make_indirect(icc))])
        pdf.trailer.Info = pdf.make_indirect(meta.info(Trapped=pikepdf.Name("/False")))
        stream = pikepdf.Stream(pdf, xmp_packet(meta, pdfa=True))
        stream.Type, stream.Subtype = pikepdf.Name.Metadata, pikepdf.Name.XML
        pdf.Root.Metadata = pdf.make_indirect(stream)
        pdf.Root.Lang = pikepdf.String(result.edition.paper.language)
        _outline(pdf, result)
        return save(pdf, document_id(result, "archive"), "1.7")
