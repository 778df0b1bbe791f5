"""One edition as a BagIt bag (RFC 8493): what goes in it, made the same way every time, checked.

::

    <YYYY>-<NNN>/
        bagit.txt  bag-info.txt  manifest-sha256.txt  tagmanifest-sha256.txt
        data/archive/<YYYY>-<NNN>.pdf      the edition as PDF/A
        data/press/…  data/press/SHA256SUMS   the press files as the printing house got them
        data/report.json                   what was built and found, and the build record
        data/sources/                      a newspaper repository that holds this edition alone:
            newspaper.toml
            layouts/versions.toml          the registered digest of the layout version used
            layouts/<name>@<N>/            that version, every file (or layouts/<name>/)
            printers/…                     the printer's profile ([printer] icc)
            issues/<YYYY>/<NNN>/…          issue.toml, articles, images, ads…

``typeset build data/sources/issues/<YYYY>/<NNN>`` rebuilds the edition from the bag alone, and
:func:`bag_edition` on those sources makes the same bag again, byte for byte: ``bagit`` writes
the files, and what it would take from the clock or the file system's order is fixed here —
``Bagging-Date`` is the edition's date, the manifests are sorted, ``bagit.txt`` names RFC 8493's
version 1.0. The payload itself is what ``typeset build`` writes (deterministic, see ``typeset
verify``), with report.json's file names relative to the repository.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

import bagit

from .. import __version__
from ..core.errors import EditionError, Severity, TypesetError, error
from ..core.validation import load_toml
from ..pdf.xmp import Metadata
from ..source.layouts import Layout, load_layout, registered_digests
from ..source.manifest import find_root, load_newspaper
from .build import BuildResult, build_edition, collect_outputs
from .outputs import json_bytes
from .workflow import scratch_file

# bagit logs every file it hashes, and every problem it finds before raising it: the check
# reports the problems itself, once, with the file's place in the collection
logging.getLogger("bagit").addHandler(logging.NullHandler())
logging.getLogger("bagit").propagate = False

SOURCES = "sources"
"""The folder of ``data/`` that holds the edition's sources, as a newspaper repository."""
TAG_FILES = ("bagit.txt", "bag-info.txt", "manifest-sha256.txt", "tagmanifest-sha256.txt")
BAGIT_TXT = b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
NOT_INPUTS = ("incoming",)
"""Folders of an edition that the build never reads: ``incoming/`` keeps the Word files that
``typeset import`` turned into articles."""


# -- the sources ----------------------------------------------------------------------------------

Source = Path | bytes
"""A source file on disk, or the bytes of one made for the bag (the versions registry)."""


@dataclass
class Sources:
    """What an edition is built from, by its path in the newspaper repository."""

    root: Path
    folder: Path
    """The edition folder (under ``root``)."""
    files: dict[str, Source]

    def read(self) -> dict[str, bytes]:
        return {name: src if isinstance(src, bytes) else src.read_bytes()
                for name, src in sorted(self.files.items())}


LayoutMemo = dict[tuple[Path, str], Layout]
"""Layouts already loaded (and their digests computed) in this run, by (root, reference)."""


def find_sources(folder: Path, memo: LayoutMemo | None = None) -> Sources:
    """The files an edition's build reads: newspaper.toml, the layout version it resolves to
    (every file, so that its registered digest holds), that version's entry of
    ``layouts/versions.toml``, the printer's profile, and every file of the edition folder —
    the build may read any of them (photos, ads) — but hidden files, editors' scratch files
    and ``incoming/``. Raises :class:`EditionError` when the edition cannot say which."""
    folder = folder.resolve()
    root = find_root(folder)
    paper, findings = load_newspaper(root)
    if paper is None:
        raise EditionError(findings)
    data, _, findings = load_toml(folder / "issue.toml")
    if data is None:
        raise EditionError(findings)
    ref = data.get("layout")
    ref = ref if isinstance(ref, str) else paper.layout
    memo = {} if memo is None else memo
    if (root, ref) not in memo:
        memo[root, ref] = load_layout(root, ref, folder / "issue.toml")
    layout = memo[root, ref]
    files: dict[str, Source] = {"newspaper.toml": root / "newspaper.toml"}
    files.update(_tree(layout.folder, f"layouts/{layout.folder.name}",
                       lambda rel: "__pycache__" not in rel.parts))  # as Layout.digest counts
    registered = registered_digests(root / "layouts").get(layout.ref)
    if registered is not None:
        files["layouts/versions.toml"] = _registry(layout.ref, registered)
    if paper.printer.icc:
        icc = (root / paper.printer.icc).resolve()
        if root.resolve() not in icc.parents:
            raise EditionError([error("icc-outside", f"the printer profile {paper.printer.icc} "
                                      "is outside the newspaper's repository; an archive bag "
                                      "carries it at the same place: move it under printers/",
                                      root / "newspaper.toml")])
        if icc.is_file():  # a missing profile is the build's error to report
            files[icc.relative_to(root.resolve()).as_posix()] = icc
    files.update(_tree(folder, folder.relative_to(root).as_posix(), _edition_input))
    return Sources(root, folder, files)


def _tree(folder: Path, prefix: str, keep: Callable[[Path], bool]) -> dict[str, Source]:
    found: dict[str, Source] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if path.is_file() and keep(rel):
            found[f"{prefix}/{rel.as_posix()}"] = path
    return found


def _edition_input(rel: Path) -> bool:
    return not (any(part.startswith(".") for part in rel.parts) or rel.parts[0] in NOT_INPUTS
                or scratch_file(rel.name))


def _registry(ref: str, digest: str) -> bytes:
    return (f"# The layout version this edition was made with, as registered in the newspaper's\n"
            f"# layouts/versions.toml when it was archived.\n\"{ref}\" = \"{digest}\"\n").encode()


def digests(files: Mapping[str, bytes]) -> dict[str, str]:
    return {name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())}


# -- the bag --------------------------------------------------------------------------------------

@dataclass
class Bag:
    """A bag made in memory: its files by their path in the bag."""

    key: str
    files: dict[str, bytes]


def bag_edition(sources: Sources) -> tuple[Bag, dict[str, bytes]]:
    """Build the edition and make its bag; also return the sources the bag holds, read after
    the build. Raises :class:`EditionError` when the edition has errors."""
    with _no_source_date_epoch():
        result = build_edition(sources.folder)
        outputs = collect_outputs(result)
    read = sources.read()
    return make_bag(result.edition.key, payload(result, outputs, sources.root, read),
                    bag_info(result)), read


def payload(result: BuildResult, outputs: dict[str, bytes], root: Path,
            sources: dict[str, bytes]) -> dict[str, bytes]:
    """What ``data/`` holds: the archive file, the press files, report.json, the sources."""
    files = {name: data for name, data in outputs.items()
             if name.startswith(("archive/", "press/"))}
    files["report.json"] = _report_json(result, root)
    files.update({f"{SOURCES}/{name}": data for name, data in sources.items()})
    return files


def _report_json(result: BuildResult, root: Path) -> bytes:
    """report.json as built, its findings' files named from the repository's root (not the
    working directory), so that a rebuild elsewhere says the same."""
    assert result.report is not None
    data = result.report.as_json()
    data["findings"] = []
    for finding in result.report.findings:
        entry = finding.as_json()
        path = finding.location.path
        if path is not None:
            with contextlib.suppress(ValueError):
                entry["file"] = path.resolve().relative_to(root.resolve()).as_posix()
        data["findings"].append(entry)
    return json_bytes(data)


def bag_info(result: BuildResult) -> dict[str, str]:
    """bag-info.txt: the paper, the edition, and what built it. Never the clock."""
    edition, report = result.edition, result.report
    assert report is not None
    paper, manifest = edition.paper, edition.manifest
    info = {"Source-Organization": paper.publisher or paper.founder,
            "Organization-Address": paper.address,
            "External-Identifier": f"{paper.code}-{edition.key}",
            "External-Description": Metadata.of(edition).title,
            "Bagging-Date": manifest.date.isoformat(),
            "Bag-Software-Agent": f"typeset {__version__} with bagit.py {bagit.VERSION}",
            "Title": paper.title,
            "Edition-Number": str(manifest.number),
            "Edition-Date": manifest.date.isoformat(),
            "Edition-Pages": str(len(manifest.pages)),
            "Typeset-Version": __version__}
    optional = {"Contact-Phone": paper.phone, "Contact-Email": paper.email,
                "Edition-Total": str(manifest.total) if manifest.total else None,
                "ISSN": paper.issn}
    info.update({k: v for k, v in optional.items() if v})
    record = asdict(report.build)
    info.update({f"Build-{label}": str(record[field]) for field, label in BUILD_TAGS.items()})
    return info


BUILD_TAGS = {"weasyprint": "WeasyPrint", "pango": "Pango", "pyphen": "Pyphen",
              "pikepdf": "pikepdf", "python": "Python", "layout": "Layout",
              "layout_sha256": "Layout-SHA256"}
"""The build record in bag-info.txt (typeset's version is Typeset-Version; the fonts' digests
are in report.json, and the layout's digest covers them)."""


_CHDIR = threading.Lock()


def make_bag(key: str, payload: Mapping[str, bytes], info: Mapping[str, str]) -> Bag:
    """The bag of ``payload`` (paths in ``data/``) with ``info``, made by bagit in a private
    temporary folder, then settled so that the same payload and info give the same bytes."""
    with tempfile.TemporaryDirectory(prefix="typeset-bag-") as tmp:
        folder = Path(tmp) / key
        for name, data in payload.items():
            _write(folder / name, data)
        with _CHDIR:  # bagit works from inside the folder: the working directory is the process's
            bagit.make_bag(str(folder), dict(info), checksums=["sha256"])
        _settle(folder)
        return Bag(key, {p.relative_to(folder).as_posix(): p.read_bytes()
                         for p in sorted(folder.rglob("*")) if p.is_file()})


def _settle(folder: Path) -> None:
    """What bagit leaves to chance, fixed: RFC 8493's version in bagit.txt, the manifest's
    lines sorted by path, the tag manifest's (bagit lists tag files in directory order)."""
    (folder / "bagit.txt").write_bytes(BAGIT_TXT)
    manifest = folder / "manifest-sha256.txt"
    lines = manifest.read_text("utf-8").splitlines()
    manifest.write_text("".join(f"{line}\n" for line in sorted(lines, key=_entry_path)), "utf-8")
    tags = sorted(p.name for p in folder.iterdir()
                  if p.is_file() and not p.name.startswith("tagmanifest-"))
    (folder / "tagmanifest-sha256.txt").write_text("".join(
        f"{hashlib.sha256((folder / name).read_bytes()).hexdigest()}  {name}\n"
        for name in tags), "utf-8")


def _entry_path(line: str) -> str:
    return line.split(maxsplit=1)[1] if " " in line else line


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


@contextlib.contextmanager
def _no_source_date_epoch() -> Iterator[None]:
    """A bag's dates come from its edition alone: SOURCE_DATE_EPOCH (which moves the PDFs'
    modification date) is not in the bag, so it is not used for one."""
    saved = os.environ.pop("SOURCE_DATE_EPOCH", None)
    try:
        yield
    finally:
        if saved is not None:
            os.environ["SOURCE_DATE_EPOCH"] = saved


def write_bag(collection: Path, bag: Bag) -> bool:
    """Put ``bag`` at ``collection/<key>/`` in one step: written beside it under a hidden
    name, then renamed into place (an earlier bag is replaced only then). Never half a bag.
    Returns False when the bag there already has exactly these bytes (nothing is written)."""
    target = collection / bag.key
    if target.is_dir() and read_tree(target) == bag.files:
        return False
    collection.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{bag.key}.", suffix=".partial", dir=collection))
    old = staging.with_suffix(".old")
    try:
        for name, data in sorted(bag.files.items()):
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(path, 0o644)
        for path in [staging, *(p for p in staging.rglob("*") if p.is_dir())]:
            os.chmod(path, 0o755)
        if target.exists():
            os.replace(target, old)
            try:
                os.replace(staging, target)
            except BaseException:
                os.replace(old, target)
                raise
            shutil.rmtree(old)
        else:
            os.replace(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return True


def read_tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


# -- the check ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Problem:
    """Something wrong with a file of the collection (``path`` from the collection's folder)."""

    path: str
    what: str

    def __str__(self) -> str:
        return f"{self.path}: {self.what}"


def check_fixity(folder: Path) -> list[Problem]:
    """Every damaged, missing and extra file of the bag in ``folder``, as bagit's manifests
    tell (all of them: bagit's own validate() stops at the first kind of problem)."""
    name = folder.name
    problems = [Problem(f"{name}/{tag}", "missing") for tag in (*TAG_FILES, "data")
                if not (folder / tag).exists()]
    problems += [Problem(f"{name}/{p.name}", "extra: a bag holds only its tag files and data/")
                 for p in sorted(folder.iterdir()) if p.name not in (*TAG_FILES, "data")]
    try:
        bag = bagit.Bag(str(folder))
        bag.info.pop("Payload-Oxum", None)  # a count that would stop the check before the files
        bag.validate(completeness_only=True)
    except bagit.BagValidationError as exc:
        problems += _detail_problems(name, exc) or [Problem(name, f"not a valid bag: {exc}")]
    except bagit.BagError as exc:
        return [*problems, Problem(name, f"bagit cannot read the bag: {exc}")]
    missing = {p.path for p in problems}
    try:
        bag._validate_entries(processes=1)  # bagit 1.x: the digests, without the stops above
    except bagit.BagValidationError as exc:
        problems += [p for p in _detail_problems(name, exc) if p.path not in missing]
    return problems


def _detail_problems(name: str, exc: bagit.BagValidationError) -> list[Problem]:
    problems = []
    for detail in exc.details:
        path = f"{name}/{Path(detail.path).as_posix()}"
        listed = "tagmanifest-sha256.txt" if not str(detail.path).startswith("data") \
            else "manifest-sha256.txt"
        if isinstance(detail, bagit.ChecksumMismatch):
            if str(detail.found).startswith("Could not read"):
                problems.append(Problem(path, f"unreadable: {detail.found}"))
            else:
                problems.append(Problem(path, f"damaged: its sha256 is {detail.found[:12]}…, "
                                              f"{listed} says {detail.expected[:12]}…"))
        elif isinstance(detail, bagit.FileMissing):
            problems.append(Problem(path, f"missing (listed in {listed})"))
        elif isinstance(detail, bagit.UnexpectedFile):
            problems.append(Problem(path, "extra: not in manifest-sha256.txt"))
        else:
            problems.append(Problem(path, str(detail)))
    return problems


def bag_sources(folder: Path) -> dict[str, bytes]:
    """The sources a bag holds, by their path in the repository they make."""
    base = folder / "data" / SOURCES
    return read_tree(base) if base.is_dir() else {}


def rebag(sources: Mapping[str, bytes]) -> Bag:
    """Make the bag of the one edition in ``sources`` again, in a temporary repository."""
    with tempfile.TemporaryDirectory(prefix="typeset-rebuild-") as tmp:
        root = Path(tmp) / "paper"
        for name, data in sources.items():
            _write(root / name, data)
        found = sorted(root.glob("issues/*/*/issue.toml"))
        if len(found) != 1:
            raise TypesetError(f"the bag's sources hold {len(found)} editions "
                               "(issues/<YYYY>/<NNN>/issue.toml), not one")
        return bag_edition(find_sources(found[0].parent))[0]


def compare_rebuilt(folder: Path, rebuilt: Bag, known: set[str]) -> list[Problem]:
    """How the bag in ``folder`` differs from the one its sources make now (``known``: files
    already named by the fixity check, not named again)."""
    name = folder.name
    problems = []
    if rebuilt.key != name:
        problems.append(Problem(name, f"its sources make edition {rebuilt.key}: the bag is "
                                      f"misnamed, or its issue.toml was changed"))
    present = read_tree(folder)
    for path, data in sorted(rebuilt.files.items()):
        where = f"{name}/{path}"
        if where in known:
            continue
        if path not in present:
            problems.append(Problem(where, "missing (the rebuild makes it)"))
        elif present[path] != data:
            problems.append(Problem(where, "differs from the rebuild from the bag's own sources"
                                    + _software_note(present, rebuilt.files, path)))
    problems += [Problem(f"{name}/{path}", "extra: the rebuild does not make it")
                 for path in sorted(set(present) - set(rebuilt.files))
                 if f"{name}/{path}" not in known]
    return problems


def _software_note(present: dict[str, bytes], rebuilt: dict[str, bytes], path: str) -> str:
    """When the software that built the bag is not the one that rebuilt it, say so: a newer
    WeasyPrint or Pango may set the same sources differently."""
    def record(files: dict[str, bytes]) -> dict[str, str]:
        try:
            text = files.get("bag-info.txt", b"").decode()
        except UnicodeDecodeError:
            return {}
        pairs = (line.split(": ", 1) for line in text.splitlines() if ": " in line)
        return {k: v for k, v in pairs if k.startswith("Build-") or k == "Typeset-Version"}
    if not path.startswith("data/") and path != "bag-info.txt":
        return ""
    was, now = record(present), record(rebuilt)
    changed = [f"{k.removeprefix('Build-')} {was[k]} → {now[k]}" for k in sorted(was)
               if k in now and was[k] != now[k]]
    return f" (built with other software: {', '.join(changed)})" if changed else ""


def first_errors(exc: EditionError, count: int = 5) -> str:
    errors = [f for f in exc.findings if f.severity is Severity.ERROR]
    return "; ".join(str(f) for f in errors[:count]) + (
        f"; and {len(errors) - count} more" if len(errors) > count else "")

