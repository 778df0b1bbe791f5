"""Words broken at a line end are marked to read whole (typeset.pdf.text)."""

from __future__ import annotations

import pikepdf

from typeset.compose.linebreaks import BrokenWord, TextLine
from typeset.pdf.text import mark_broken_words

TO_UNICODE = b"""/CIDInit /ProcSet findresource begin 12 dict begin begincmap
1 begincodespacerange <0000> <FFFF> endcodespacerange
6 beginbfchar <0001> <041F> <0002> <0430> <0003> <002D> <0004> <0434> <0005> <0430>
<0006> <0020> endbfchar endcmap CMapName currentdict /CMap defineresource pop end end"""


def _page(content: bytes) -> tuple[pikepdf.Pdf, pikepdf.Page]:
    pdf = pikepdf.new()
    page = pdf.add_blank_page(page_size=(200, 200))
    font = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type0,
                              BaseFont=pikepdf.Name("/AAAAAA+Test"),
                              ToUnicode=pikepdf.Stream(pdf, TO_UNICODE))
    page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.obj.TrimBox = pikepdf.Array([0, 0, 200, 200])
    page.obj.Contents = pikepdf.Stream(pdf, content)
    return pdf, page


def _text(page: pikepdf.Page) -> str:
    return page.obj.Contents.read_bytes().decode()


# «Па-» at the end of a line at y = 100, «да» and a space at the head of the next one
CONTENT = (b"BT 1 0 0 1 10 100 Tm /F1 10 Tf [<00010002> -20 <0003>] TJ "
           b"1 0 0 1 10 88 Tm [<00040005> 5 <0006>] TJ ET")
LINE, NEXT = TextLine(0, 100, 100), TextLine(0, 100, 112)


def test_an_automatic_hyphen_stands_for_the_rest_of_the_word() -> None:
    pdf, page = _page(CONTENT)
    assert mark_broken_words(pdf, page, [BrokenWord(LINE, "", "да", NEXT)]) == 1
    text = _text(page)
    assert "[ <00010002> -20 ] TJ\n/Span <<" in text
    assert "/ActualText <feff04340430>" in text  # «да»
    assert "[ <0003> ] TJ\nEMC" in text
    assert "/ActualText ( ) >> BDC\n[ <00040005> 5 ] TJ\nEMC\n[ <0006> ] TJ" in text


def test_a_real_hyphen_keeps_itself() -> None:
    pdf, page = _page(CONTENT)
    assert mark_broken_words(pdf, page, [BrokenWord(LINE, "-", "да", NEXT)]) == 1
    assert "/ActualText <feff002d04340430>" in _text(page)  # «-да»


def test_glyphs_that_do_not_read_as_expected_are_left_alone() -> None:
    for word in (BrokenWord(LINE, "", "до", NEXT),  # another second half
                 BrokenWord(NEXT, "", "да", LINE),  # that line does not end in a hyphen
                 BrokenWord(TextLine(0, 100, 50), "", "да", NEXT)):  # no text there
        pdf, page = _page(CONTENT)
        assert mark_broken_words(pdf, page, [word]) == 0
        assert _text(page) == CONTENT.decode()
