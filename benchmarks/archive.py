"""Archive benchmark: editions bagged per minute, in one process, a local pool and on Dask.

    .venv/bin/python benchmarks/archive.py [--editions 24] [--jobs 2]
        [--scheduler tcp://HOST:8786 --workdir /shared/path]

Makes a newspaper repository of ``--editions`` editions in a temporary folder (``--workdir``):
copies of the demo editions №15 (4 pages) and №16 (8 pages) under other numbers and dates, one
a week from January 2001, both pinned to layout weekly-a3@1 as in the demo. Then bags the whole
collection with each way of running ``typeset archive``, each in a fresh process, the cache off
(a real archive has no two editions alike; copies would share pages in the cache):

- ``jobs 1``      one edition after another in the client process, its pages on every core;
- ``pool``        ``--jobs N`` editions side by side in local processes (N: ``--jobs``);
- ``dask local``  ``--scheduler local --jobs N``: a LocalCluster of N worker processes;
- ``dask remote`` ``--scheduler tcp://…``, when given: the workers must see ``--workdir`` at
                  the same path (a shared mount), with the same typeset and libraries installed.

It prints editions per minute, the peak memory of the client and of the largest worker (the
process that builds an edition: the client itself with ``--jobs 1``), and checks that every
way made the same bags, byte for byte.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

ARCHIVE = r"""
import io, resource, sys, time
from rich.console import Console
from typeset.app.cli import main
import typeset.app.build, typeset.app.collection  # imports first: the work is timed after them

if __name__ == "__main__":
    start = time.perf_counter()
    out = io.StringIO()
    status = main(sys.argv[1:], Console(file=out, width=200))
    assert status == 0, out.getvalue()
    seconds = time.perf_counter() - start
    client = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the largest, reaped
    print(seconds, client, workers)
"""


def make_collection(repo: Path, count: int) -> None:
    """``count`` editions: the demo's №15 and №16 in turn, one a week from 4 January 2001."""
    repo.mkdir(parents=True)
    for name in ("newspaper.toml", "layouts", "printers"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, repo / name)
    demo = [ROOT / "issues" / "2024" / "015", ROOT / "issues" / "2024" / "016"]
    date = dt.date(2001, 1, 4)
    number = 0
    for k in range(count):
        number = number + 1 if k and date.year == (date - dt.timedelta(days=7)).year else 1
        target = repo / "issues" / str(date.year) / f"{number:03d}"
        shutil.copytree(demo[k % 2], target)
        manifest = target / "issue.toml"
        text = manifest.read_text("utf-8")
        text = re.sub(r"(?m)^number = \d+", f"number = {number}", text)
        text = re.sub(r"(?m)^total = \d+", f"total = {500 + k}", text)
        text = re.sub(r"(?m)^date = \S+", f"date = {date.isoformat()}", text)
        signed = date - dt.timedelta(days=1)
        text = re.sub(r"(?m)^signed = \S+", f"signed = {signed.isoformat()}T18:00:00", text)
        manifest.write_text(text, "utf-8")
        date += dt.timedelta(days=7)


def measure(repo: Path, out: Path, *options: str) -> tuple[float, int, int]:
    """(seconds, client peak KiB, largest worker's peak KiB) of one fresh process."""
    env = dict(os.environ, TYPESET_NO_CACHE="1")
    done = subprocess.run([sys.executable, "-c", ARCHIVE, "archive", str(repo / "issues"),
                           "-o", str(out), *options], capture_output=True, text=True,
                          env=env, cwd=repo, check=False)
    if done.returncode != 0:
        sys.exit(f"typeset archive {' '.join(options)} failed:\n{done.stdout}{done.stderr}")
    seconds, client, workers = done.stdout.split()[-3:]
    return float(seconds), int(client), int(workers)


def tree(folder: Path) -> dict[str, str]:
    """Every file's SHA-256. Not the bytes: this process forks the next measured one, whose
    peak memory (kept across exec on Linux) would start from what this one holds."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.startswith(".")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--editions", type=int, default=24)
    parser.add_argument("--jobs", type=int, default=2,
                        help="processes of the pool and workers of the LocalCluster")
    parser.add_argument("--scheduler", help="also run on this Dask cluster (tcp://HOST:8786)")
    parser.add_argument("--workdir", type=Path,
                        help="where to make the collection (shared with the remote workers)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="typeset-archive-bench-", dir=args.workdir))
    try:
        repo = work / "paper"
        make_collection(repo, args.editions)
        modes = {"jobs 1": ["--jobs", "1"],
                 "pool": ["--jobs", str(args.jobs)],
                 "dask local": ["--scheduler", "local", "--jobs", str(args.jobs)]}
        if args.scheduler:
            modes["dask remote"] = ["--scheduler", args.scheduler]
        print(f"{args.editions} editions (the demo's 4- and 8-page editions in turn), "
              f"{os.cpu_count()} cores, cache off")
        print(f"{'mode':12} {'workers':>7} {'seconds':>8} {'editions/min':>12} "
              f"{'client MiB':>10} {'worker MiB':>10}")
        results: dict[str, dict[str, float]] = {}
        first: dict[str, str] | None = None
        for name, options in modes.items():
            out = work / name.replace(" ", "-")
            seconds, client, worker = measure(repo, out, *options)
            if name == "jobs 1":
                worker = max(worker, client)  # the client builds; its page workers are children
            count = 1 if name == "jobs 1" else args.jobs
            rate = args.editions / seconds * 60
            print(f"{name:12} {count if name != 'dask remote' else '?':>7} {seconds:8.1f} "
                  f"{rate:12.2f} {client / 1024:10.0f} {worker / 1024:10.0f}", flush=True)
            results[name] = {"seconds": round(seconds, 1), "editions_per_minute": round(rate, 2),
                             "client_mib": round(client / 1024), "worker_mib": round(worker / 1024)}
            bags = tree(out)
            if first is None:
                first = bags
            elif bags != first:
                sys.exit(f"{name}: the bags differ from those of jobs 1")
            shutil.rmtree(out)
        print("every mode made the same bags, byte for byte")
        print(json.dumps(results))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
