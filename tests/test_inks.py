"""The inks rules: small text in one solid ink, black that overprints, registration marks."""

from __future__ import annotations

import pikepdf
import pytest

from typeset.pdf.inks import Colour, overprint_black, solid, solid_small_text


def _ops(text: bytes) -> list[pikepdf.ContentStreamInstruction]:
    pdf = pikepdf.new()
    return list(pikepdf.parse_content_stream(pikepdf.Stream(pdf, text)))  # type: ignore[arg-type]


def _text(ops: list[pikepdf.ContentStreamInstruction]) -> str:
    return pikepdf.unparse_content_stream(ops).decode()


@pytest.mark.parametrize(("colour", "expected"), [
    (("/DeviceCMYK", (0.0, 0.0, 0.0, 0.7)), ("/DeviceCMYK", (0.0, 0.0, 0.0, 1.0))),
    (("/DeviceCMYK", (0.0, 0.0, 0.0, 1.0)), None),  # already 100 % K
    (("/DeviceCMYK", (0.0, 1.0, 0.0, 0.0)), None),  # already one solid ink
    (("/DeviceCMYK", (0.0, 0.9, 0.85, 0.1)), ("/DeviceCMYK", (0.0, 1.0, 0.0, 0.0))),
    (("/DeviceCMYK", (0.5, 0.5, 0.5, 0.5)), ("/DeviceCMYK", (0.0, 0.0, 0.0, 1.0))),  # K on a tie
    (("/DeviceCMYK", (0.0, 0.0, 0.0, 0.0)), None),  # white: no ink at all
    (("/DeviceGray", (0.3,)), ("/DeviceCMYK", (0.0, 0.0, 0.0, 1.0))),
    (("/DeviceGray", (0.0,)), None),
    (("/Separation", (0.5,)), None),  # not a process colour: left alone
])
def test_solid_ink_of_small_text(colour: Colour, expected: Colour | None) -> None:
    assert solid(colour) == expected


def test_small_text_prints_solid_and_the_colour_comes_back() -> None:
    ops = _ops(b"q 0.75 0 0 0.75 0 0 cm /DeviceCMYK cs 0 0 0 0.7 scn BT 1 0 0 -1 5 5 Tm "
               b"/F1 10 Tf [<0001>] TJ /F1 12 Tf [<0002>] TJ ET Q")
    out, changed = solid_small_text(ops, 9.0)
    assert changed
    text = _text(out)
    # 10 px at 0.75 = 7.5 pt: solid K, then the 70 % grey again; 12 px = 9 pt stays grey
    assert "0 0 0 1 k\n[ <0001> ] TJ\n0 0 0 0.7 k" in text
    assert "/F1 12 Tf\n[ <0002> ] TJ" in text


def test_black_overprints_and_colours_knock_out() -> None:
    ops = _ops(b"0 0 0 1 k 10 10 m 20 20 l 30 10 l f "
               b"0.1 0 0 0 k 0 0 5 5 re f "
               b"0 0 0 1 K 1 w 0 0 m 9 9 l S "
               b"q 0 0 9 9 re W n Q "
               b"BT /F1 12 Tf 0 0 0 1 k [<0003>] TJ ET /Im1 Do")
    out, used = overprint_black(ops, pikepdf.Dictionary())
    text = _text(out)
    assert text.index("/TSOverprint10 gs") < text.index("10 10 m")  # before the path
    assert "/TSOverprint00 gs\n0 0 5 5 re" in text  # a tint knocks out
    assert "/TSOverprint01 gs\n0 0 m" in text  # black stroke
    assert "W\nn" in text and "gs\n0 0 9 9 re" not in text  # a clip paints nothing
    assert "/TSOverprint11 gs\n[ <0003> ] TJ" in text
    assert "/TSOverprint01 gs\n/Im1 Do" in text  # an image knocks out
    assert used == {(True, False), (False, False), (False, True), (True, True)}
