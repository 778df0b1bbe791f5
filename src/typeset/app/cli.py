"""The command line: thin functions over the pipeline, callable from tests with argv.

Exit status: 0 when the outputs are written (warnings allowed), 1 when the edition has errors
(nothing is written over earlier good outputs), 2 for a wrong command line, 130 when
interrupted, 3 for a bug in typeset (its traceback saved to a file that the message names).
"""

from __future__ import annotations

import contextlib
import math
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.text import Text

from .. import __version__
from ..core.errors import EditionError, TypesetError, UsageError

EPILOG_MAIN = """\b
Examples:
  typeset build issues/2024/016            # PDF, press files, archive, report
  typeset check issues/2024/016            # validate and copyfit, write nothing
  echo 'Он сказал: "Привет" - и ушёл...' | typeset typo
"""


def _console(ctx: click.Context) -> Console:
    return ctx.obj["console"]  # type: ignore[no-any-return]


@click.group(epilog=EPILOG_MAIN, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="typeset")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """typeset: lay out a newspaper edition and write its PDFs."""
    ctx.ensure_object(dict)
    ctx.obj.setdefault("console", Console(stderr=False, highlight=False, soft_wrap=True,
                                          emoji=False))


@contextlib.contextmanager
def _page_bar(console: Console) -> Iterator[Callable[[int, int], None]]:
    """A progress bar of the pages rendered (cached pages count as done at once); nothing
    when the output is not a terminal (a log file gets the step lines only)."""
    from rich.progress import Progress

    if not console.is_terminal:
        yield lambda done, total: None
        return

    # no refresh thread: pages are rendered in forked workers, and forking a process that
    # runs other threads can deadlock the child
    with Progress(console=console, transient=True, auto_refresh=False) as bar:
        task = bar.add_task("Rendering pages", total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)
            bar.refresh()

        yield update


def _finite(param: click.Parameter, value: float) -> float:
    if not math.isfinite(value):  # NaN slips through any range
        raise click.BadParameter(f"{value} is not a number", param=param)
    return value


def _progress(console: Console) -> Any:
    start = time.perf_counter()

    def report(step: int, message: str) -> None:
        console.print(f"[dim]{time.perf_counter() - start:6.1f}s[/dim]  Step {step} – {message}",
                      highlight=False, emoji=False)
    return report


@cli.command(epilog="\b\nExample:\n  typeset build issues/2024/016 -o build/2024-016")
@click.argument("issue_dir", type=click.Path(path_type=Path, file_okay=False))
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Output folder (default: build/<YYYY>-<NNN>/ in the repository).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes for measuring and rendering  [default: one per core].")
@click.pass_context
def build(ctx: click.Context, issue_dir: Path, out_dir: Path | None, jobs: int | None) -> None:
    """Build every output of one edition: PDF, press files, archive PDF/A, report.json."""
    from ..core.parallel import set_jobs
    from .build import build_edition, collect_outputs
    from .outputs import write_outputs
    from .report import pages_line, print_summary

    set_jobs(jobs)
    console = _console(ctx)
    progress = _progress(console)
    try:
        with _page_bar(console) as on_page:
            result = build_edition(issue_dir, progress, on_page=on_page, strict=False)
    finally:
        set_jobs(None)
    ctx.obj["result"] = result  # for watch: what fits, what was rendered
    _say_discarded(result, console)
    _stop_on_errors(result, console)
    target = out_dir or result.edition.root / "build" / result.edition.key
    files = collect_outputs(result, progress)
    written = write_outputs(target, files)
    print_summary(result.edition, result.composed, result.findings, console)
    console.print(pages_line(result.pages), highlight=False)
    console.print(f"Wrote {len(written)} files to {escape(str(target))}", highlight=False,
                  emoji=False)


def _say_discarded(result: Any, console: Console) -> None:
    """One line when the build found cache entries unusable (and made them again)."""
    from ..core.cache import discarded_line

    line = discarded_line(result.discarded)
    if line is not None:
        console.print(f"[yellow]{escape(line)}[/yellow]", highlight=False, emoji=False)


def _stop_on_errors(result: Any, console: Console) -> None:
    """An edition with errors: the whole copyfit table first, then the errors (raised)."""
    from .report import print_copyfit

    if any(f.severity.value == "error" for f in result.findings):
        print_copyfit(result.edition, result.composed, console)
        raise EditionError(result.findings)


@cli.command(epilog="\b\nExample:\n  typeset check issues/2024/016")
@click.argument("issue_dir", type=click.Path(path_type=Path, file_okay=False))
@click.pass_context
def check(ctx: click.Context, issue_dir: Path) -> None:
    """Validate, lay out and preflight an edition; write nothing."""
    from .build import build_edition
    from .report import print_summary

    console = _console(ctx)
    result = build_edition(issue_dir, _progress(console), write_pdf=False, strict=False)
    _say_discarded(result, console)
    _stop_on_errors(result, console)
    print_summary(result.edition, result.composed, result.findings, console)
    console.print("[green]The edition is ready to build.[/green]")


@cli.command(epilog="\b\nExamples:\n  typeset preview issues/2024/016\n"
             "  typeset preview issues/2024/016 -o /tmp/pages --dpi 100\n"
             "  typeset preview issues/2024/017 --lines")
@click.argument("issue_dir", type=click.Path(path_type=Path, file_okay=False))
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Folder for the PNGs (default: build/<YYYY>-<NNN>/preview/).")
@click.option("--dpi", type=click.FloatRange(min=10, max=600), default=50.0, show_default=True,
              callback=lambda ctx, param, value: _finite(param, value),
              help="Resolution of the page images (10–600).")
@click.option("--lines", "mark", is_flag=True,
              help="Mark the loosely spaced body lines (word spaces over 1.5× their width, "
                   "yellow to red) of a layout whose body text typeset composes.")
@click.pass_context
def preview(ctx: click.Context, issue_dir: Path, out_dir: Path | None, dpi: float,
            mark: bool) -> None:
    """PNG images of the pages and a contact sheet of all of them."""
    from ..compose.spacing import loose_lines
    from ..pdf.writer import make_composite
    from .build import build_edition
    from .outputs import write_outputs
    from .preview import MARK_ABOVE, default_preview_dir, preview_files
    from .report import print_findings

    console = _console(ctx)
    result = build_edition(issue_dir, _progress(console), strict=False, render_with_errors=True)
    _say_discarded(result, console)
    if not result.pages:  # errors in the sources: there are no pages to show
        _stop_on_errors(result, console)
    target = out_dir or default_preview_dir(result.edition.root, result.edition.key)
    lines = None
    if mark:
        lines = loose_lines(result.composed.pages, result.layout.grid.line, MARK_ABOVE)
    files = preview_files(make_composite(result.pdf, result.edition, result.layout), dpi, lines)
    write_outputs(target, files)
    print_findings(result.findings, console)
    console.print(f"Wrote {len(files) - 1} page images and contact-sheet.png to "
                  f"{escape(str(target))}", highlight=False, emoji=False)
    if lines is not None:
        console.print(f"Marked {len(lines)} line{'s' if len(lines) != 1 else ''} stretched over "
                      f"{MARK_ABOVE:g}×" if result.layout.config.justification is not None else
                      f"No lines marked: layout {result.layout.ref} leaves line breaking to "
                      "WeasyPrint", highlight=False)
    errors = sum(f.severity.value == "error" for f in result.findings)
    if errors:  # the images show the pages as they stand; the edition cannot be built yet
        raise TypesetError(f"the edition has {errors} error{'s' if errors != 1 else ''} "
                           "(above): the images show the pages as they stand")


@cli.command(name="new", epilog="\b\nExamples:\n  typeset new\n"
             "  typeset new --from issues/2024/016")
@click.option("--from", "source", type=click.Path(path_type=Path, file_okay=False),
              help="Edition to start from (default: the latest in issues/).")
@click.pass_context
def new(ctx: click.Context, source: Path | None) -> None:
    """Scaffold the next edition: number + 1, date + 7 days, last week's page plan."""
    from ..source.manifest import find_root
    from .workflow import scaffold_next

    root = find_root((source or Path.cwd()).resolve())
    target = scaffold_next(root, source.resolve() if source else None)
    _console(ctx).print(f"Created {escape(str(target))}. Write its articles, then: "
                        f"typeset check {escape(str(target))}", highlight=False, emoji=False)


@cli.command(epilog="\b\nExample:\n  typeset verify issues/2024/016 build/2024-016")
@click.argument("issue_dir", type=click.Path(path_type=Path, file_okay=False))
@click.argument("out_dir", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.pass_context
def verify(ctx: click.Context, issue_dir: Path, out_dir: Path) -> None:
    """Check that OUT_DIR holds exactly what ISSUE_DIR builds to, byte for byte.

    The edition is built from its sources alone, without the cache: a damaged or stale cache
    can never make outputs look right."""
    from ..core.cache import bypassed
    from .build import build_edition, collect_outputs
    from .workflow import compare_trees

    console = _console(ctx)
    with bypassed():
        result = build_edition(issue_dir, _progress(console))
        diffs = compare_trees(collect_outputs(result), out_dir)
    if not diffs:
        console.print(f"[green]{escape(str(out_dir))} is exactly what {escape(str(issue_dir))} "
                      "builds to.[/green]", highlight=False, emoji=False)
        return
    for diff in diffs:
        console.print(f"[red]{escape(str(diff.path))}[/red]: {escape(diff.what)}", highlight=False,
                      emoji=False)
    raise TypesetError(f"{len(diffs)} file(s) of {out_dir} differ from a fresh build")


@cli.command(epilog="\b\nExamples:\n  typeset archive issues -o /srv/archive --jobs 2\n"
             "  typeset archive issues -o /srv/archive --scheduler local\n"
             "  typeset archive -o /srv/archive --scheduler tcp://10.0.0.5:8786\n"
             "  typeset archive --check /srv/archive")
@click.argument("issues_dir", required=False, type=click.Path(path_type=Path, file_okay=False))
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              help="The collection's folder: one BagIt bag per edition, <YYYY>-<NNN>/.")
@click.option("--check", "check_dir", type=click.Path(path_type=Path, file_okay=False,
                                                      exists=True),
              help="Check the bags in this folder instead: manifests, and a rebuild of each "
                   "edition from its bag's own sources.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Editions built side by side: local processes, or the workers of "
                   "--scheduler local  [default: 1; with --scheduler local, one per core].")
@click.option("--scheduler", metavar="tcp://HOST:8786|local",
              help="Build the editions as tasks on a Dask cluster (its workers see the "
                   "repository at the same path); 'local' starts one on this machine.")
@click.pass_context
def archive(ctx: click.Context, issues_dir: Path | None, out_dir: Path | None,
            check_dir: Path | None, jobs: int | None, scheduler: str | None) -> None:
    """Bag every edition (back issues included, each with the layout version it pins), or
    check a collection of bags."""
    from ..source.manifest import find_root
    from .collection import archive_collection, bag_names, check_collection, runner
    from .workflow import editions

    console = _console(ctx)
    if (out_dir is None) == (check_dir is None):
        raise click.UsageError("give the collection's folder: -o DIR to make it, or "
                               "--check DIR to check it")
    if check_dir is not None and issues_dir is not None:
        raise click.UsageError("--check reads the sources from the bags: give no ISSUES_DIR")
    run, page_jobs = runner(scheduler, jobs)
    if check_dir is not None:
        count = len(bag_names(check_dir))
        if not count:
            raise UsageError(f"{check_dir}: no bags (<YYYY>-<NNN>/) to check")
        with _bar(console, "Checking bags", count) as advance:
            checked = check_collection(check_dir, run, page_jobs, advance)
        for problem in checked.problems:
            console.print(f"[red]{escape(str(problem))}[/red]", highlight=False)
        bad = {p.path.split("/", 1)[0] for p in checked.problems}
        console.print(f"{len(set(checked.bags) - bad)} of {len(checked.bags)} bags intact and "
                      f"rebuilt to the same bytes in {escape(str(check_dir))}", highlight=False)
        if checked.problems:
            raise TypesetError(f"{len(checked.problems)} problem(s) in {check_dir} (above)")
        return
    assert out_dir is not None
    folder = issues_dir or find_root(Path.cwd()) / "issues"
    found = editions(folder)
    if not found:
        raise UsageError(f"{folder}: no editions (issues/<YYYY>/<NNN>/issue.toml) found")
    with _bar(console, "Archiving editions", len(found)) as advance:
        results = archive_collection(found, out_dir, run, page_jobs, advance)
    failed = [r for r in results if not r.ok]
    for r in results:
        mark = "[green]ok[/green]" if r.ok else "[red]FAILED[/red]"
        console.print(f"{mark}  {escape(r.folder)}  {escape(r.message)}", highlight=False)
    console.print(f"{len(results) - len(failed)} of {len(results)} editions bagged into "
                  f"{escape(str(out_dir))}", highlight=False)
    if failed:
        raise TypesetError(f"{len(failed)} edition(s) failed: "
                           + ", ".join(r.folder for r in failed))


@contextlib.contextmanager
def _bar(console: Console, what: str, total: int) -> Iterator[Callable[[object], None]]:
    """A progress bar of finished tasks; nothing when the output is not a terminal."""
    from rich.progress import Progress

    # no refresh thread: the builds fork their workers (see _page_bar)
    with Progress(console=console, transient=True, auto_refresh=False,
                  disable=not console.is_terminal) as bar:
        task = bar.add_task(what, total=total)
        bar.refresh()

        def advance(_: object) -> None:
            bar.advance(task)
            bar.refresh()

        yield advance


@cli.command(epilog="\b\nExample:\n  typeset watch issues/2024/016")
@click.argument("issue_dir", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Output folder (default: build/<YYYY>-<NNN>/ in the repository).")
@click.option("--once", is_flag=True, hidden=True, help="Build once and stop (for tests).")
@click.pass_context
def watch(ctx: click.Context, issue_dir: Path, out_dir: Path | None, once: bool) -> None:
    """Rebuild on every save and show what changed and what does not fit."""
    from ..source.manifest import find_root
    from .workflow import watch_changes

    console = _console(ctx)
    root = find_root(issue_dir.resolve())
    try:
        changes = () if once else watch_changes([issue_dir, root / "layouts",
                                                 root / "newspaper.toml"])
        watch_edition(issue_dir, out_dir, console, changes)
    except KeyboardInterrupt:
        console.print("Stopped watching.")


def watch_edition(issue_dir: Path, out_dir: Path | None, console: Console,
                  changes: Iterable[set[str]]) -> None:
    """Build, then build again on every set of ``changes``; say what each rebuild changed in
    the copyfit and how many pages it rendered. A failed rebuild keeps the earlier outputs and
    the watch goes on."""
    from .report import fit_changes, fit_states, pages_line

    argv = ["build", str(issue_dir)] + (["-o", str(out_dir)] if out_dir else [])
    fits: dict[str, str] | None = None

    def rebuild(reason: str) -> None:
        nonlocal fits
        console.rule(Text(reason))  # a file name is never markup nor an emoji code
        start = time.perf_counter()
        state: dict[str, Any] = {}
        status = main(argv, console, state)
        result = state.get("result")
        if result is not None:
            now = fit_states(result.edition, result.composed)
            if fits is not None:
                for line in fit_changes(fits, now) or ["copyfit unchanged"]:
                    console.print(f"  {escape(line)}", highlight=False, emoji=False)
            fits = now
        seconds = time.perf_counter() - start
        if status == 130:  # Ctrl-C during the build: stop watching
            raise KeyboardInterrupt
        if status == 2:  # not an edition, a wrong option: saving again will not help
            raise click.exceptions.Exit(2)
        if status == 0 and result is not None:
            console.print(f"[green]built[/green] in {seconds:.1f} s; {pages_line(result.pages)}",
                          highlight=False, emoji=False)
        else:
            console.print(f"[red]not built[/red] ({seconds:.1f} s): the earlier outputs are "
                          "kept; fix the errors above and save again", highlight=False)

    rebuild("first build")
    for changed in changes:
        names = ", ".join(sorted(Path(c).name for c in changed))
        rebuild(f"changed: {names}")


@cli.command(name="import", epilog="\b\nExamples:\n"
             "  typeset import incoming/biblioteka.docx issues/2024/017\n"
             "  typeset import incoming/*.docx issues/2024/017\n"
             "  typeset import incoming/ issues/2024/017 --force\n"
             "  typeset import 'Статья Литвиновой.docx' issues/2024/017 --slug delegation")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(path_type=Path, exists=True))
@click.argument("issue_dir", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--slug", help="Name of the article (one file only; default: the file name, "
              "transliterated).")
@click.option("--force", is_flag=True, help="Replace an existing article and its pictures.")
@click.pass_context
def import_(ctx: click.Context, files: tuple[Path, ...], issue_dir: Path, slug: str | None,
            force: bool) -> None:
    """Import articles from Word files (.docx; a folder means its .docx files)."""
    from ..core.errors import display_path
    from ..source.word import ImportResult, docx_files, import_many

    console = _console(ctx)
    sources = docx_files(files)
    if not sources:
        raise UsageError("no .docx files in " + ", ".join(str(f) for f in files))
    if slug and len(sources) > 1:
        raise UsageError(f"--slug names one article, but {len(sources)} files were given")

    def report(source: Path, outcome: ImportResult | TypesetError) -> None:
        if not isinstance(outcome, ImportResult):
            if len(sources) > 1:  # one file: its error line alone says it
                console.print(f"[red]FAILED[/red]  {escape(str(outcome))}", highlight=False)
            return
        photos, warns = len(outcome.images), len(outcome.warnings)
        console.print(f"[green]ok[/green]      {outcome.slug}: {outcome.words} words, {photos} "
                      f"photo{'s' if photos != 1 else ''}, {warns} warning"
                      f"{'s' if warns != 1 else ''} → {escape(display_path(outcome.article))}",
                      highlight=False)
        for finding in outcome.warnings:
            console.print(f"        [yellow]{escape(str(finding))}[/yellow]", highlight=False)

    results = import_many(sources, issue_dir, slug=slug, force=force, on_result=report)
    failed = [r for r in results if not isinstance(r, ImportResult)]
    if len(results) == 1 and failed:
        raise failed[0]
    if failed:
        raise TypesetError(f"{len(failed)} of {len(results)} files not imported (above)")


@cli.command(epilog="\b\nExamples:\n  typeset serve issues/2024/016          # then open "
             "http://127.0.0.1:8000/\n  typeset serve issues/2024/016 --port 8080 -o /tmp/proof")
@click.argument("issue_dir", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 shows the proofs to the whole network.")
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Output folder (default: build/<YYYY>-<NNN>/ in the repository).")
@click.pass_context
def serve(ctx: click.Context, issue_dir: Path, port: int, host: str,
          out_dir: Path | None) -> None:
    """A live proof page in the browser: every page, the copyfit and the findings, rebuilt
    and updated on every save."""
    from .serve import serve_edition

    console = _console(ctx)
    try:
        serve_edition(issue_dir, out_dir, host, port, console)
    except KeyboardInterrupt:
        console.print("Stopped serving.")


@cli.command(epilog="\b\nExamples:\n  echo 'Он сказал: \"Привет\" - и ушёл...' | typeset typo\n"
             "  typeset typo --hyphens < article.txt\n"
             "  echo 'Мы пришли в в школу!!!' | typeset typo --proofread\n"
             "  typeset typo --codes")
@click.option("--hyphens", is_flag=True, help="Also mark every allowed break with U+00AD.")
@click.option("--proofread", is_flag=True,
              help="Print the proofreader's warnings instead (line: code: what to look at).")
@click.option("--codes", is_flag=True,
              help="List the proofreading checks ([proofreading] off in newspaper.toml).")
@click.pass_context
def typo(ctx: click.Context, hyphens: bool, proofread: bool, codes: bool) -> None:
    """Read text on standard input, one paragraph a line; print it typeset."""
    from ..typography import CODES, Hyphenator, typo_stream
    from ..typography import proofread as remarks_on
    out = click.get_text_stream("stdout", encoding="utf-8")  # type: ignore[operator]
    if codes:
        for code, what in CODES.items():
            out.write(f"{code:24} {what}\n")
        return
    hyphenator = None
    if hyphens:
        hyphenator = Hyphenator.from_folder(_default_hyphenation())
    # click 8.3's own annotations make get_text_stream an "object" to mypy
    stream = click.get_text_stream("stdin", encoding="utf-8")  # type: ignore[operator]
    lines = (raw.rstrip("\n") for raw in stream)
    if proofread:
        for number, line in enumerate(lines, start=1):
            for remark in remarks_on(line):
                out.write(f"{number}: {remark.code}: {remark.message}\n")
        return
    for line in typo_stream(lines, hyphenator):
        out.write(line + "\n")


def _default_hyphenation() -> Path:
    """The hyphenation folder of the current repository's default layout."""
    from ..source.layouts import load_layout
    from ..source.manifest import find_root, load_newspaper
    root = find_root(Path.cwd())
    paper, _ = load_newspaper(root)
    layout = load_layout(root, paper.layout if paper else "weekly-a3")
    return layout.folder / "hyphenation"


def main(argv: Sequence[str] | None = None, console: Console | None = None,
         state: dict[str, Any] | None = None) -> int:
    """Run the CLI; return the exit status instead of exiting.

    ``state``, when given, receives what a command leaves for its caller (``build`` leaves its
    ``result``)."""
    # soft wrap: a path or a command in a message stays on one line, whatever the width
    # user text (a path, a message) is never read as an emoji code: ':100:' stays ':100:'
    console = console or Console(highlight=False, soft_wrap=True, emoji=False)
    err = (Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)
           if console.file is sys.stdout else console)
    try:
        # without standalone mode click returns the code of a ctx.exit() / Exit instead
        status = cli.main(args=list(argv) if argv is not None else None, prog_name="typeset",
                          standalone_mode=False, obj=_obj(console, state))
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        exc.show(file=err.file)
        return 2
    except click.exceptions.Abort as exc:
        if isinstance(exc.__cause__, KeyboardInterrupt):  # click's word for Ctrl-C
            err.print("Interrupted; earlier outputs are untouched.")
            return 130
        err.print("Aborted.")
        return 1
    except UsageError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}", emoji=False)
        return 2
    except EditionError as exc:
        from .report import print_findings
        print_findings(exc.findings, err)
        count = len(exc.errors)
        err.print(f"[red bold]{count} error{'s' if count != 1 else ''}; nothing was written.[/]")
        return 1
    except TypesetError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}", emoji=False)
        return 1
    except KeyboardInterrupt:
        err.print("Interrupted; earlier outputs are untouched.")
        return 130
    except Exception:
        fd, path = tempfile.mkstemp(prefix="typeset-crash-", suffix=".txt")
        with open(fd, "w", encoding="utf-8") as handle:
            handle.write(traceback.format_exc())
        err.print(f"[red]typeset failed unexpectedly (a bug).[/red] The details are in "
                  f"{escape(path)}; please attach that file to a bug report.", emoji=False)
        return 3
    return status if isinstance(status, int) else 0


def _obj(console: Console, state: dict[str, Any] | None) -> dict[str, Any]:
    obj = state if state is not None else {}
    obj["console"] = console
    return obj
