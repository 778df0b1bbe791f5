"""typeset archive: a BagIt bag per edition, the same bytes however it runs, and its check."""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import bagit
import pytest
from PIL import Image
from rich.console import Console

from typeset.app import collection
from typeset.app.bags import Bag, bag_sources, digests, find_sources, read_tree
from typeset.app.cli import main
from typeset.app.cluster import Checkout, checkout_of, git_commit
from typeset.app.collection import ArchiveTask, archive_task
from typeset.source.layouts import load_layout

from .conftest import ROOT, MakeEdition, article, write_edition

ISSN = "0317-8471"


def run(argv: list[str]) -> tuple[int, str]:
    buffer = io.StringIO()
    status = main(argv, Console(file=buffer, width=300, color_system=None))
    return status, buffer.getvalue()


def _photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (600, 400), (200, 60, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


def make_repository(root: Path) -> Path:
    """Two small editions, one with a photo, a Word original in incoming/ and an ad file."""
    body = "\n\n".join(["Небольшой абзац текста для проверки архивных пакетов."] * 3)
    photo = ("---\ntitle: Снимок\nphotos:\n  - src: images/photo.jpg\n    caption: Подпись\n"
             f"---\n{body}\n")
    write_edition(root, {"a": article("Пятнадцатый", body)}, number=15, date="2024-04-18")
    folder = write_edition(root, {"b": photo}, images={"photo.jpg": _photo()})
    (folder / "incoming").mkdir()
    (folder / "incoming" / "b.docx").write_bytes(b"PK not read by the build")
    (folder / "ads").mkdir()
    (folder / "ads" / "bank.pdf").write_bytes(b"%PDF-1.7 an advertiser's file")
    paper = root / "newspaper.toml"
    paper.write_text(paper.read_text("utf-8").replace('language = "ru"',
                                                      f'language = "ru"\nissn = "{ISSN}"'),
                     "utf-8")
    return root


@pytest.fixture(scope="module")
def archived(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The repository and its collection, bagged in a pool of two local processes."""
    base = tmp_path_factory.mktemp("collection")
    root = make_repository(base / "paper")
    out = base / "archive"
    status, text = run(["archive", str(root / "issues"), "-o", str(out), "--jobs", "2"])
    assert status == 0, text
    assert "2 of 2 editions bagged" in text
    return root, out


def test_every_edition_is_a_valid_bag_that_holds_its_sources(archived: tuple[Path, Path]
                                                             ) -> None:
    root, out = archived
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "2024-015", "2024-016"]
    bag = bagit.Bag(str(out / "2024-016"))
    assert bag.validate() and bag.version_info == (1, 0)
    files = sorted(read_tree(out / "2024-016"))
    assert [f for f in files if not f.startswith("data/sources/layouts/weekly-a3/")] == [
        "bag-info.txt", "bagit.txt",
        "data/archive/2024-016.pdf",
        "data/press/IN_20240425_p01.pdf", "data/press/SHA256SUMS",
        "data/report.json",
        "data/sources/issues/2024/016/ads/bank.pdf",
        "data/sources/issues/2024/016/articles/b.md",
        "data/sources/issues/2024/016/images/photo.jpg",
        "data/sources/issues/2024/016/issue.toml",
        "data/sources/newspaper.toml",
        "data/sources/printers/demo/typeset-demo-tr002.icc",
        "manifest-sha256.txt", "tagmanifest-sha256.txt"]
    layout = {f.removeprefix("data/sources/layouts/weekly-a3/") for f in files} & {
        "layout.toml", "css/page.css", "fonts/NotoSans-Regular.ttf"}
    assert len(layout) == 3  # the whole layout version, fonts and all
    assert (out / "2024-016" / "data" / "sources" / "newspaper.toml").read_bytes() == \
        (root / "newspaper.toml").read_bytes()
    info = bag.info
    assert info["Title"] == "Иртышская неделя" and info["ISSN"] == ISSN
    assert info["Edition-Number"] == "16" and info["Edition-Date"] == "2024-04-25"
    assert info["Bagging-Date"] == "2024-04-25"  # the edition's, not the clock's
    assert info["Build-Layout"] == load_layout(ROOT, "weekly-a3").ref and info["Typeset-Version"]
    assert info["Build-WeasyPrint"] and info["Payload-Oxum"]
    assert sorted(bagit.Bag(str(out / "2024-015")).payload_entries()) == sorted(
        f for f in read_tree(out / "2024-015") if f.startswith("data/"))


def test_a_pinned_layout_version_travels_with_its_registered_digest(
        tmp_path: Path) -> None:
    root = make_repository(tmp_path / "paper")
    folder = root / "issues" / "2024" / "015"
    manifest = folder / "issue.toml"
    manifest.write_text(manifest.read_text("utf-8").replace(
        "date = 2024-04-18", 'date = 2024-04-18\nlayout = "weekly-a3@1"'), "utf-8")
    files = find_sources(folder).files
    assert "layouts/weekly-a3@1/layout.toml" in files
    assert not any(name.startswith("layouts/weekly-a3/") for name in files)
    registry = files["layouts/versions.toml"]
    assert isinstance(registry, bytes) and b'"weekly-a3@1" = "63e5' in registry


def test_the_bag_alone_rebuilds_the_edition(archived: tuple[Path, Path],
                                            tmp_path: Path) -> None:
    _, out = archived
    sources = tmp_path / "sources"
    shutil.copytree(out / "2024-015" / "data" / "sources", sources)
    status, text = run(["build", str(sources / "issues" / "2024" / "015"),
                        "-o", str(tmp_path / "out")])
    assert status == 0, text
    assert (tmp_path / "out" / "archive" / "2024-015.pdf").read_bytes() == \
        (out / "2024-015" / "data" / "archive" / "2024-015.pdf").read_bytes()


def test_check_passes_on_the_collection(archived: tuple[Path, Path]) -> None:
    _, out = archived
    status, text = run(["archive", "--check", str(out)])
    assert status == 0, text
    assert "2 of 2 bags intact and rebuilt to the same bytes" in text


@pytest.fixture
def damaged(archived: tuple[Path, Path], tmp_path: Path,
            monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A collection of one bag, 2024-015, to damage; its rebuild is made once per module."""
    _, out = archived
    copy = tmp_path / "archive"
    copy.mkdir()
    shutil.copytree(out / "2024-015", copy / "2024-015")
    real = collection.rebag

    def rebag(sources: dict[str, bytes]) -> Bag:
        key = tuple(sorted((k, hash(v)) for k, v in sources.items()))
        if key not in _REBUILT:
            _REBUILT[key] = real(sources)
        return _REBUILT[key]

    monkeypatch.setattr(collection, "rebag", rebag)
    yield copy


_REBUILT: dict[tuple[tuple[str, int], ...], Bag] = {}


def _flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("name, offset", [
    ("data/archive/2024-015.pdf", 2000),
    ("data/press/SHA256SUMS", 3),
    ("data/report.json", 10),
    ("data/sources/issues/2024/015/articles/a.md", 12),
    ("bag-info.txt", 40),
    ("bagit.txt", 20),
    ("manifest-sha256.txt", 5),
    ("tagmanifest-sha256.txt", 5),
])
def test_one_damaged_byte_anywhere_is_named(damaged: Path, name: str, offset: int) -> None:
    _flip(damaged / "2024-015" / name, offset)
    status, text = run(["archive", "--check", str(damaged)])
    assert status == 1, text
    assert f"2024-015/{name}: " in text
    assert "0 of 1 bags intact" in text


def test_missing_and_extra_files_are_named(damaged: Path) -> None:
    bag = damaged / "2024-015"
    (bag / "data" / "press" / "IN_20240418_p01.pdf").unlink()
    (bag / "data" / "press" / "notes.txt").write_text("not from the build")
    (bag / "README").write_text("a stray tag file")
    (damaged / "scans").mkdir()
    status, text = run(["archive", "--check", str(damaged)])
    assert status == 1, text
    assert "2024-015/data/press/IN_20240418_p01.pdf: missing" in text
    assert "2024-015/data/press/notes.txt: extra" in text
    assert "2024-015/README: extra" in text
    assert "scans: extra: not a bag" in text


def test_a_failed_edition_is_reported_and_the_others_are_kept(archived: tuple[Path, Path],
                                                                tmp_path: Path) -> None:
    """Archiving again changes no bag (same bytes); a broken edition fails on its own."""
    root, out = archived
    repo, again = tmp_path / "paper", tmp_path / "archive"
    shutil.copytree(root, repo)
    shutil.copytree(out, again)
    write_edition(repo, {"c": article()}, number=17, date="2024-05-02")
    (repo / "issues" / "2024" / "017" / "articles" / "c.md").unlink()
    status, text = run(["archive", str(repo / "issues"), "-o", str(again)])
    assert status == 1, text
    assert "FAILED" in text and "017" in text and "article 'c'" in text
    assert "2024-015: unchanged" in text and "2024-016: unchanged" in text
    assert read_tree(again) == read_tree(out)


def test_a_worker_that_sees_another_checkout_refuses(tmp_path: Path) -> None:
    root = make_repository(tmp_path / "paper")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "add", "."], check=True)
    subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@t",
                    "commit", "-qm", "paper"], check=True)
    folder = root / "issues" / "2024" / "015"
    sources = find_sources(folder)
    inputs = digests(sources.read())
    commit = git_commit(root)
    assert commit is not None
    good = checkout_of(root, inputs, commit)

    def refusal(checkout: Checkout) -> str:
        outcome = archive_task(ArchiveTask(str(folder), checkout, 1))
        assert outcome.bag is None
        return outcome.message

    other = Checkout(good.root, "git:" + "0" * 40, good.inputs, good.software)
    assert f"is at {commit}, the client's at {'0' * 40}" in refusal(other)
    edited = dict(good.inputs, **{"issues/2024/015/articles/a.md": "0" * 64})
    assert "issues/2024/015/articles/a.md differs from the client's copy" in refusal(
        Checkout(good.root, good.commit, edited, good.software))
    newer = dict(good.software, weasyprint="99.0")
    assert "weasyprint" in refusal(Checkout(good.root, good.commit, good.inputs, newer))


@pytest.mark.cluster
def test_a_local_dask_cluster_makes_the_same_bags(archived: tuple[Path, Path],
                                                  tmp_path: Path) -> None:
    root, out = archived
    cluster = tmp_path / "archive"
    status, text = run(["archive", str(root / "issues"), "-o", str(cluster),
                        "--scheduler", "local", "--jobs", "2"])
    assert status == 0, text
    assert read_tree(cluster) == read_tree(out)
    for bag in ("2024-015", "2024-016"):
        assert bagit.Bag(str(cluster / bag)).is_valid()
    status, text = run(["archive", "--check", str(cluster), "--scheduler", "local",
                        "--jobs", "1"])
    assert status == 0, text


def test_the_issn_is_checked(make_edition: MakeEdition) -> None:
    folder = make_edition({"a": article()})
    paper = folder.parents[2] / "newspaper.toml"
    paper.write_text(paper.read_text("utf-8").replace(
        'language = "ru"', 'language = "ru"\nissn = "0317-8472"'), "utf-8")
    status, text = run(["check", str(folder)])
    assert status == 1
    assert "newspaper.toml" in text and "check digit of ISSN 0317-8472" in text


def test_bag_sources_are_the_repository_paths(archived: tuple[Path, Path]) -> None:
    _, out = archived
    assert "issues/2024/015/issue.toml" in bag_sources(out / "2024-015")


@pytest.mark.parametrize("argv, message", [
    (["archive", "issues"], "-o DIR to make it, or --check DIR"),
    (["archive", "issues", "-o", "out", "--check", "."], "-o DIR to make it, or --check DIR"),
    (["archive", "issues", "--check", "."], "give no ISSUES_DIR"),
])
def test_archive_wants_one_collection(argv: list[str], message: str) -> None:
    status, text = run(argv)
    assert status == 2 and message in text


def test_check_of_a_folder_without_bags_is_a_usage_error(tmp_path: Path) -> None:
    status, text = run(["archive", "--check", str(tmp_path)])
    assert status == 2 and "no bags" in text
