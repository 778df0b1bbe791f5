"""Layout versions: a pinned edition is rebuilt byte for byte with the version it pins."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from typeset.app.build import build_edition, collect_outputs
from typeset.core.errors import EditionError
from typeset.source.layouts import load_layout, registered_digests

from .conftest import ROOT, MakeEdition, article


def test_registered_versions_match_the_repository() -> None:
    base = ROOT / "layouts"
    for ref, digest in registered_digests(base).items():
        _, version = ref.split("@")
        layout = load_layout(ROOT, ref)
        assert layout.digest == digest, f"{ref} changed: make a new version instead"
        assert layout.version == int(version)


def _digests(folder: Path) -> dict[str, str]:
    result = build_edition(folder)
    return {k: hashlib.sha256(v).hexdigest() for k, v in collect_outputs(result).items()}


def test_changing_the_current_layout_leaves_a_pinned_edition_alone(
        make_edition: MakeEdition) -> None:
    body = "\n\n".join(["Абзац для проверки версий макета и побайтовой пересборки."] * 6)
    pages = '[[pages]]\narticles = [{ slug = "a", span = 3 }, { slug = "b", span = 2 }]\n'
    current = load_layout(ROOT, "weekly-a3").version
    manifest = f'number = 16\ndate = 2024-04-25\nlayout = "weekly-a3@{current}"\n\n{pages}'
    folder = make_edition({"a": article("Версия", body), "b": article("Соседка", body)},
                          manifest)
    before = _digests(folder)
    layouts = folder.parents[2] / "layouts"
    # release the current version as a frozen folder, then change the current layout
    shutil.copytree(layouts / "weekly-a3", layouts / f"weekly-a3@{current}")
    toml = layouts / "weekly-a3" / "layout.toml"
    toml.write_text(toml.read_text("utf-8").replace(f"version = {current}",
                                                    f"version = {current + 1}"), "utf-8")
    css = layouts / "weekly-a3" / "css" / "article.css"
    css.write_text(css.read_text("utf-8") + "\n.headline { letter-spacing: 0.05em; }\n", "utf-8")
    assert _digests(folder) == before
    unpinned = folder / "issue.toml"
    unpinned.write_text(unpinned.read_text("utf-8").replace(
        f'layout = "weekly-a3@{current}"\n', ""))
    assert _digests(folder)["2024-016.pdf"] != before["2024-016.pdf"]


def test_missing_pinned_version_is_an_error(make_edition: MakeEdition) -> None:
    manifest = ('number = 16\ndate = 2024-04-25\nlayout = "weekly-a3@7"\n'
                '[[pages]]\narticles = ["a"]\n')
    folder = make_edition({"a": article()}, manifest)
    with pytest.raises(EditionError) as info:
        build_edition(folder, write_pdf=False)
    assert "layout weekly-a3 version 7 is not in layouts/" in str(info.value)


def test_a_registered_version_may_not_change(make_edition: MakeEdition) -> None:
    folder = make_edition({"a": article()})
    layouts = folder.parents[2] / "layouts"
    layout = load_layout(folder.parents[2], "weekly-a3")
    (layouts / "versions.toml").write_text(f'"{layout.ref}" = "{layout.digest}"\n')
    css = layouts / "weekly-a3" / "css" / "base.css"
    css.write_text(css.read_text("utf-8") + "\n/* a quiet change */\n", "utf-8")
    with pytest.raises(EditionError) as info:
        build_edition(folder, write_pdf=False)
    assert f"layout {layout.ref} has changed since editions were made with it" in str(info.value)


def test_version_2_prints_the_symbols_version_1_lacks(make_edition: MakeEdition,
                                                      tmp_path: Path) -> None:
    """weekly-a3@2 (and later) adds a symbols font last in every stack: ≈ ≤ ≥ → print, from that
    font."""
    import io

    import pikepdf

    body = "Температура ≤ 5 °C, осадков ≈ 3 мм, ветер → северный, давление ≥ 750 мм."
    folder = make_edition({"a": article("Погода", body)})  # the current layout: version 3
    result = build_edition(folder)
    with pikepdf.open(io.BytesIO(result.pdf)) as pdf:
        names = {str(f.get("/BaseFont")) for f in pdf.objects
                 if isinstance(f, pikepdf.Dictionary) and f.get("/Type") == "/Font"}
    # fonts are named by their PostScript name: the fallback family "TS Symbols" is DejaVu Serif
    assert any(name.endswith("+DejaVuSerif") for name in names), names
    pinned = folder / "issue.toml"
    pinned.write_text('layout = "weekly-a3@1"\n' + pinned.read_text("utf-8"), "utf-8")
    with pytest.raises(EditionError) as info:
        build_edition(folder, write_pdf=False)
    message = str(info.value)
    assert "U+2264 LESS-THAN OR EQUAL TO" in message and "U+2248 ALMOST EQUAL TO" in message


def test_a_fallback_font_that_is_not_there_is_an_error(make_edition: MakeEdition) -> None:
    folder = make_edition({"a": article()})
    toml = folder.parents[2] / "layouts" / "weekly-a3" / "layout.toml"
    text = toml.read_text("utf-8")
    toml.write_text(text.replace('fallback_fonts = ["fonts/DejaVuSerif*.ttf"]',
                                 'fallback_fonts = ["fonts/Missing*.ttf"]'), "utf-8")
    with pytest.raises(EditionError) as info:
        build_edition(folder, write_pdf=False)
    current = load_layout(ROOT, "weekly-a3").ref
    assert f"fallback font 'fonts/Missing*.ttf' of layout {current} matches no file" in \
        str(info.value)
