"""Output intents: the printer's profile embedded as the colour every CMYK value means.

A press file (PDF/X, ``/GTS_PDFX``) and the archive file (PDF/A, ``/GTS_PDFA1``) both carry the
printer's profile; the PDF/X flavour also names the output condition and the ICC registry, as
ISO 15930 asks.
"""

from __future__ import annotations

from typing import Literal

import pikepdf

from ..core.models import Printer

REGISTRY = "http://www.color.org"


def add_output_intent(pdf: pikepdf.Pdf, profile: bytes, printer: Printer,
                      standard: Literal["pdfx", "pdfa"]) -> None:
    """Set ``pdf``'s OutputIntents to the printer's profile for ``standard``."""
    icc = pikepdf.Stream(pdf, profile)
    icc.N = 4
    icc.Alternate = pikepdf.Name.DeviceCMYK
    condition = pikepdf.String(printer.icc_name or "Custom")
    if standard == "pdfx":
        intent = pikepdf.Dictionary(
            Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFX,
            OutputConditionIdentifier=condition, OutputCondition=condition, Info=condition,
            RegistryName=pikepdf.String(REGISTRY), DestOutputProfile=pdf.make_indirect(icc))
    else:
        intent = pikepdf.Dictionary(
            Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFA1,
            OutputConditionIdentifier=condition, Info=condition,
            DestOutputProfile=pdf.make_indirect(icc))
    pdf.Root.OutputIntents = pikepdf.Array([intent])
