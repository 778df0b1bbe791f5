"""Units of length: points are the unit of every geometry in typeset."""

from __future__ import annotations

PT_PER_MM = 72 / 25.4
"""Points in a millimetre (layout.toml and [printer] speak millimetres)."""

PX_TO_PT = 0.75
"""Points in a CSS pixel (WeasyPrint's box tree speaks CSS pixels)."""
