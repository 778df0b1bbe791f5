"""Golden page images: the demo's pages at low resolution, compared with a tolerance.

After an intended change of the layout or the demo, refresh them with ``make goldens``
(TYPESET_UPDATE_GOLDENS=1) and look at the new PNGs before committing them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

from typeset.app.build import BuildResult
from typeset.app.preview import page_images

GOLDENS = Path(__file__).parent / "goldens"
DPI = 12
TOLERANCE = 2.5
"""Mean absolute difference per channel (0–255) allowed: font rasterisation and anti-aliasing
differ slightly between library versions; a moved article or a missing photo does not pass."""


def compare(out: Path, key: str, folder: Path) -> None:
    images = page_images((out / f"{key}.pdf").read_bytes(), DPI)
    if os.environ.get("TYPESET_UPDATE_GOLDENS"):
        folder.mkdir(exist_ok=True)
        for i, image in enumerate(images, start=1):
            image.save(folder / f"page-{i:02d}.png", optimize=True)
        pytest.skip("goldens refreshed")
    for i, image in enumerate(images, start=1):
        golden_path = folder / f"page-{i:02d}.png"
        assert golden_path.exists(), f"{golden_path} missing: run make goldens"
        golden = Image.open(golden_path).convert("RGB")
        assert golden.size == image.size, f"page {i}: size {image.size} != {golden.size}"
        diff = ImageStat.Stat(ImageChops.difference(image, golden)).mean
        assert max(diff) <= TOLERANCE, f"page {i} differs from its golden image by {diff}"


def test_pages_match_goldens(demo_build: tuple[BuildResult, Path]) -> None:
    """Edition №16, printed with weekly-a3@1 (its goldens never change: the version is frozen)."""
    compare(demo_build[1], "2024-016", GOLDENS)


def test_composed_pages_match_goldens(demo17_build: tuple[BuildResult, Path]) -> None:
    """Edition №17, with the current layout: the composer's lines, the ads."""
    compare(demo17_build[1], "2024-017", GOLDENS / "017")
