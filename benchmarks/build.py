"""Build benchmark: typeset against a naive WeasyPrint render, measured side by side in one run.

    .venv/bin/python benchmarks/build.py [ISSUE_DIR ...] [--current] [--rounds N]

By default: the demo edition №17 (8 pages, ads) and a sparse 4-page edition, №15's content
built with the current layout (``--current`` rewrites an edition's pinned ``layout`` to the
current version: ``make bench`` does so for №15). For each edition it prints the timings and
the spacing of the body text as the full build's report.json gives it (a composer layout's).

Each measurement runs in a fresh process (so peak memory is its own), the variants interleaved,
best of N rounds (these machines are small and noisy: compare ratios, not seconds). "work" is
the time from after the imports (WeasyPrint's, and typeset's) to the end, the same for every
variant; "process" is the whole command, interpreter start and imports included.

- naive     one HTML document of the same articles, 5 CSS columns, ``hyphens: auto``, the layout's
            fonts, written once with WeasyPrint — what a plain WeasyPrint newspaper would cost;
- check     typeset check after the full build: load, typeset, compose from the cached
            measurements (no PDF);
- full      typeset build from scratch (empty cache): every output (composite, 8 press files,
            archive, report), on every core;
- full-j1   the same with one worker process: full-j1 ÷ full is the parallel speedup;
- rebuild   typeset build again after one article (on the last page) changed: only that
            article is measured and only its page rendered;
- again     typeset build with nothing changed (every page from the cache);
- watch     the rebuild as `typeset watch` does it: in a process that has built and rebuilt
            before (no interpreter start, fonts and WeasyPrint warm), after one article changed.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from typeset.core.parallel import workers

ROOT = Path(__file__).resolve().parents[1]

NAIVE = r"""
import sys, resource, time
from pathlib import Path
from markdown_it import MarkdownIt
from weasyprint import HTML, CSS
from weasyprint.text.fonts import FontConfiguration
issue, layout = Path(sys.argv[1]), Path(sys.argv[2])
md = MarkdownIt("commonmark")
parts = []
for path in sorted((issue / "articles").glob("*.md")):
    text = path.read_text("utf-8").split("---", 2)[2]
    title = path.stem
    parts.append(f"<h2>{title}</h2>" + md.render(text.replace(":::", "")))
html = '<html lang="ru"><body>' + "".join(parts) + "</body></html>"
css = (layout / "css" / "fonts.css").read_text() + '''
@page { size: 297mm 420mm; margin: 11mm; }
body { columns: 5; column-gap: 4.5mm; font: 9pt/10.8pt "TS Serif"; }
p { margin: 0; text-indent: 1.2em; text-align: justify; hyphens: auto;
    hyphenate-character: "-"; }
h2 { column-span: all; font: bold 24pt "TS Display"; }
'''
fc = FontConfiguration()
start = time.perf_counter()
sheet = CSS(string=css, base_url=(layout / "css").as_uri() + "/", font_config=fc)
HTML(string=html).write_pdf("/dev/null", stylesheets=[sheet], font_config=fc)
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

TYPESET = r"""
import sys, resource, time, io
from pathlib import Path
from rich.console import Console
from typeset.app.cli import main
import typeset.app.build  # imports every stage: work is timed after the imports
start = time.perf_counter()
status = main(sys.argv[1:], Console(file=io.StringIO()))
assert status == 0, status
peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
           resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)  # page-rendering workers
print(time.perf_counter() - start, peak)
"""


WATCH = r"""
import sys, resource, time, io
from pathlib import Path
from rich.console import Console
from typeset.app.cli import main
argv, article = sys.argv[1:-1], Path(sys.argv[-1])
assert main(argv, Console(file=io.StringIO())) == 0
text = article.read_text("utf-8")
head, body = text.split("---\n", 2)[1:]
try:
    # the staff's first save after starting watch; then the one measured
    for n, word in enumerate((" и также ", " и ещё ")):
        article.write_text(f"---\n{head}---\n" + body.replace(" и ", word, 1), "utf-8")
        start = time.perf_counter()
        assert main(argv, Console(file=io.StringIO())) == 0
        seconds = time.perf_counter() - start
finally:
    article.write_text(text, "utf-8")
print(seconds, max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
"""


def run(code: str, *args: str) -> tuple[float, float, int]:
    """(work seconds, process seconds, peak KiB) of one fresh process."""
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         check=True).stdout.split()
    return float(out[0]), time.perf_counter() - start, int(out[1])


DEFAULT = ("issues/2024/017", "issues/2024/015")
PIN = re.compile(r'^layout = "[^"]*"\n', re.MULTILINE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("issues", nargs="*", help="default: №17, and №15 with --current")
    parser.add_argument("--current", action="store_true",
                        help="build every edition with the current layout version (unpinned)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    plan = ([(Path(issue).resolve(), args.current) for issue in args.issues] if args.issues
            else [(ROOT / DEFAULT[0], False), (ROOT / DEFAULT[1], True)])
    for issue, current in plan:
        bench(issue, current, args.rounds)


def bench(source: Path, current: bool, rounds: int) -> None:
    """Time one edition: every variant, ``rounds`` times, interleaved."""
    work = Path(tempfile.mkdtemp(prefix="typeset-bench-"))
    try:
        repo = work / "repo"
        repo.mkdir()
        for name in ("newspaper.toml", "layouts", "printers"):
            src = ROOT / name
            (shutil.copytree if src.is_dir() else shutil.copy)(src, repo / name)
        issue = repo / source.relative_to(ROOT)
        shutil.copytree(source, issue)
        manifest = issue / "issue.toml"
        if current:
            manifest.write_text(PIN.sub("", manifest.read_text("utf-8")), "utf-8")
        pinned = PIN.search(manifest.read_text("utf-8"))
        print(f"\n{source.relative_to(ROOT)}: {len(list((issue / 'articles').glob('*.md')))} "
              f"articles, layout {pinned.group(0).split('=')[1].strip() if pinned else 'current'}")
        layout = repo / "layouts" / "weekly-a3"
        out = work / "out"
        article = issue / "articles" / "weather.md"
        if not article.exists():
            article = sorted((issue / "articles").glob("*.md"))[-1]
        cache = repo / "build" / ".cache"
        best: dict[str, tuple[float, float, int]] = {}
        report: dict[str, Any] = {}
        for _ in range(rounds):
            shutil.rmtree(cache, ignore_errors=True)
            results = {
                "naive": run(NAIVE, str(issue), str(layout)),
                "full": run(TYPESET, "build", str(issue), "-o", str(out)),
            }
            # the spacing of the edition as it is (the later variants build edited copies)
            report = json.loads((out / "report.json").read_text("utf-8"))
            shutil.rmtree(cache, ignore_errors=True)
            results["full-j1"] = run(TYPESET, "build", str(issue), "-o", str(out), "--jobs", "1")
            results["check"] = run(TYPESET, "check", str(issue))
            text = article.read_text("utf-8")
            head, body = text.split("---\n", 2)[1:]
            edited = f"---\n{head}---\n" + body.replace(" и ", " а также ", 1)
            article.write_text(edited, "utf-8")
            results["rebuild"] = run(TYPESET, "build", str(issue), "-o", str(out))
            article.write_text(text, "utf-8")
            results["again"] = run(TYPESET, "build", str(issue), "-o", str(out))
            results["watch"] = run(WATCH, "build", str(issue), "-o", str(out), str(article))
            for key, value in results.items():
                if key not in best or value[0] < best[key][0]:
                    best[key] = value
        naive, naive_process = best["naive"][:2]
        full, full_process = best["full"][:2]
        print(f"{'variant':10} {'work s':>7} {'× naive':>8} {'× full':>7}   {'process s':>9} "
              f"{'× naive':>8} {'× full':>7}   {'peak MiB':>8}")
        for key, (seconds, process, rss) in best.items():
            print(f"{key:10} {seconds:7.2f} {seconds / naive:8.2f} {seconds / full:7.2f}   "
                  f"{process:9.2f} {process / naive_process:8.2f} {process / full_process:7.2f}   "
                  f"{rss / 1024:8.0f}")
        print(json.dumps({"full_vs_naive": round(full / naive, 2),
                          "rebuild_vs_full": round(best["rebuild"][0] / full, 2),
                          "watch_vs_full": round(best["watch"][0] / full, 2),
                          "parallel_speedup": round(best["full-j1"][0] / full, 2),
                          "workers": workers()}))
        spacing = report.get("spacing")
        if spacing is None:
            print("spacing: the layout leaves line breaking to WeasyPrint (see "
                  "benchmarks/spacing.py for its lines)")
        else:
            print("spacing:", json.dumps(spacing), f"loose lines: {len(report['loose_lines'])}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
