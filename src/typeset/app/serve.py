"""``typeset serve``: a live proof page of one edition in the browser, for the layout desk.

Why Starlette on uvicorn: the page needs a handful of GET routes, one long-lived stream of
server-sent events and an event loop that waits on the watcher and the build at once. Starlette
is a small, well-kept ASGI toolkit (the core of FastAPI, typed, tested with its own
``TestClient``) that gives exactly that and nothing we would have to switch off: no templates,
no ORM, no sessions, no static folder served from the disk unless asked. uvicorn is its usual
server, pure Python with h11 when nothing faster is installed. sse-starlette writes the event
stream (keep-alive pings, a client that went away, a server that is stopping). Flask would need
threads per stream; aiohttp or Django bring far more than a proof page uses.

How it works (see :mod:`typeset.app.proof` for the builds):

1. A watcher (watchfiles, as ``typeset watch``) sees a save in the edition, its layouts or
   ``newspaper.toml``; changes that arrive during a build make one more build after it.
2. The build runs in a separate, spawned process that writes the outputs as ``typeset build``
   does and hands back ``report.json`` and the images of the pages that changed. The server
   never builds in its own process: builds fork, and forking a process with threads can
   deadlock.
3. :class:`Desk` keeps what the page shows: the last good build's page images in memory, named
   by the digest of each page's PDF, and the latest build's copyfit and findings. An edition
   with errors keeps the last good pages on screen, with the errors above them.
4. Every change of the desk goes to the open pages as a server-sent event holding the whole
   state (``/events``); the page swaps only the images whose name changed, so only changed
   pages are fetched again (they are cached for good: a name never changes its bytes).

Safe by default: it listens on 127.0.0.1 unless told otherwise, answers only requests whose
Host is the address it listens on (DNS rebinding), and serves only its own static files and
the build's output, from memory or from a fixed list of files — no part of a URL becomes a
path. Every route is GET: nothing writes to the edition.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import ipaddress
import json
import socket
import time
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any

import anyio
from rich.console import Console
from rich.markup import escape
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..core.errors import UsageError, display_path
from .proof import FULL_DPI, BuildWorker, PageImage, Proof, finding_text

STATIC = {"index.html": "text/html; charset=utf-8",
          "proof.css": "text/css; charset=utf-8",
          "proof.js": "text/javascript; charset=utf-8",
          "favicon.svg": "image/svg+xml"}
"""The page's own files (``typeset/app/static/``), read once into memory."""

SECURITY_HEADERS = [
    (b"content-security-policy",
     b"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
     b"connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
"""Nothing but the page's own files runs or loads, and no other site may frame it."""

LOOPBACK_NAMES = ["127.0.0.1", "localhost", "[::1]"]


# -- what the page shows --------------------------------------------------------------------------

class Desk:
    """The state of the proof page: the build under way, the latest build, the last good one.

    Lives in the server's event loop; every change wakes the open pages' event streams."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self.status = "starting"
        self.changed: list[str] = []
        self.latest: Proof | None = None
        """The latest finished build, good or not: its copyfit and findings are shown."""
        self.laid_out: Proof | None = None
        """The latest build that got as far as the copyfit."""
        self.shown: Proof | None = None
        """The last good build: its pages are shown, their images in :attr:`images`."""
        self.images: dict[str, PageImage] = {}
        self.updated: set[int] = set()
        """The pages whose image the last good build changed."""
        self.version = 0
        self.readers = 0
        """How many event streams are open."""
        self.sent = 0
        """The newest version an event stream has been given."""
        self.closed = False
        self._tick = asyncio.Event()

    def have(self) -> frozenset[str]:
        """The digests of the page images held: a build need not send them again."""
        return frozenset(self.images)

    def building(self, changed: list[str]) -> None:
        self.status, self.changed = "building", changed
        self._publish()

    def built(self, proof: Proof, more: bool = False) -> None:
        """A build is done; ``more``: another one follows at once (the status stays
        ``building``)."""
        self.latest = proof
        if proof.report.get("issue") is not None:
            self.laid_out = proof
        if proof.status == "current":
            before = {page.number: page.digest for page in self.shown.pages} if self.shown else {}
            pages = [page if page.small is not None else self.images[page.digest]
                     for page in proof.pages]
            self.images = {page.digest: page for page in pages}
            self.updated = {page.number for page in pages
                            if before and before.get(page.number) != page.digest}
            self.shown = replace(proof, pages=pages)
        self.status = "building" if more else proof.status
        self._publish()

    def _publish(self) -> None:
        self.version += 1
        tick, self._tick = self._tick, asyncio.Event()
        tick.set()

    def close(self) -> None:
        """End every event stream (the server is stopping)."""
        self.closed = True
        self._publish()

    async def updates(self) -> AsyncIterator[dict[str, Any]]:
        """The state now, then again after every change (a slow reader gets the newest),
        until :meth:`close`."""
        self.readers += 1
        try:
            while not self.closed:
                tick = self._tick
                self.sent = max(self.sent, self.version)
                yield self.state()
                await tick.wait()
        finally:
            self.readers -= 1

    def state(self) -> dict[str, Any]:
        """Everything the page shows, as JSON for the page's script."""
        shown, latest, laid_out = self.shown, self.latest, self.laid_out
        report = (laid_out or latest or _NO_PROOF).report
        pages = _pages(shown) if shown else []
        for page in pages:
            page["updated"] = page["number"] in self.updated
        return {
            "version": self.version,
            "status": self.status,
            "changed": self.changed,
            "folder": self.folder,
            "edition": report.get("issue") or (shown.report.get("issue") if shown else None),
            "build": _build_info(latest) if latest else None,
            "shown": _build_info(shown) if shown else None,
            "pages": pages,
            "spreads": spreads(len(pages)),
            "articles": [_copyfit_row(row) for row in report.get("articles") or []],
            "articles_build": _build_info(laid_out) if laid_out else None,
            "findings": [_finding(f) for f in (latest or _NO_PROOF).report.get("findings", [])],
            "pdf": "/edition.pdf" if shown and shown.composite else None,
        }


_NO_PROOF = Proof("starting", {})


def spreads(count: int) -> list[list[int]]:
    """The pages as the reader sees them: page 1 alone, then 2–3, 4–5…, the last alone when
    it has no partner."""
    result = [[1]] if count else []
    result.extend([number, number + 1] if number < count else [number]
                  for number in range(2, count + 1, 2))
    return result


def _build_info(proof: Proof) -> dict[str, Any]:
    return {"status": proof.status, "finished": proof.finished,
            "seconds": round(proof.seconds, 2), "summary": proof.summary}


def _copyfit_row(row: dict[str, Any]) -> dict[str, Any]:
    """An article of report.json as the copyfit table shows it: the same figures."""
    placements = row.get("placements") or []
    return {"slug": row.get("slug"), "title": row.get("title"),
            "pages": row.get("pages", []), "columns": [p.get("columns") for p in placements],
            "fits": row.get("fits"), "overset_lines": row.get("overset_lines", 0),
            "underset_lines": row.get("underset_lines", 0)}


def _finding(finding: dict[str, Any]) -> dict[str, Any]:
    where = str(finding.get("file", ""))
    if where and finding.get("line"):
        where += f":{finding['line']}"
    return {"severity": finding.get("severity"), "code": finding.get("code"),
            "message": finding.get("message"), "where": where,
            "page": finding.get("page"), "article": finding.get("article")}


def _pages(proof: Proof) -> list[dict[str, Any]]:
    """The pages of a good build with their images' addresses, ads and loose lines."""
    extras = page_extras(proof.report, proof.page_mm)
    return [{"number": page.number, "width": page.width, "height": page.height,
             "small": f"/pages/{page.digest}/small.png",
             "full": f"/pages/{page.digest}/full.png",
             **extras.get(page.number, {"ad_share": None, "ads": [], "loose_lines": []})}
            for page in proof.pages]


def page_extras(report: dict[str, Any], page_mm: tuple[float, float] | None
                ) -> dict[int, dict[str, Any]]:
    """Per page: its share of advertising, its ads and its loose lines, as report.json lists
    them (:class:`typeset.app.report.Report`; an edition without ads or without a composer
    layout has none of these keys).

    ``ad_share`` — ``[{"page": 3, "ad_share": 0.25}]``, a fraction of the text area; ``ads`` —
    ``[{"page": 3, "advertiser": …, "columns": 2, "height": 80, "order": …}]``; ``loose_lines`` —
    ``[{"page": 3, "article": "harvest", "column": 2, "line": 14, "stretch": 2.4,
    "box": [x, y, width, height]}]``, the box in mm from the trimmed page's top left corner (the
    page marks the line there)."""
    result: dict[int, dict[str, Any]] = {}

    def page(number: Any) -> dict[str, Any] | None:
        if not isinstance(number, int) or isinstance(number, bool):
            return None
        return result.setdefault(number, {"ad_share": None, "ads": [], "loose_lines": []})

    for record in _records(report.get("ad_share")):
        share = record.get("ad_share")
        if (target := page(record.get("page"))) is not None and isinstance(share, int | float):
            target["ad_share"] = share
    for ad in _records(report.get("ads")):
        if (target := page(ad.get("page"))) is not None:
            target["ads"].append({key: ad.get(key) for key in
                                  ("advertiser", "columns", "height", "order")})
    for entry in _records(report.get("loose_lines")):
        if (target := page(entry.get("page"))) is not None:
            target["loose_lines"].append(_loose_line(entry, page_mm))
    return result


def _records(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _loose_line(entry: dict[str, Any], page_mm: tuple[float, float] | None) -> dict[str, Any]:
    box, where = entry.get("box"), None
    if (page_mm and isinstance(box, list) and len(box) == 4
            and all(isinstance(v, int | float) for v in box)):
        width, height = page_mm
        where = [round(100 * box[0] / width, 3), round(100 * box[1] / height, 3),
                 round(100 * box[2] / width, 3), round(100 * box[3] / height, 3)]
    return {"article": entry.get("article"), "column": entry.get("column"),
            "line": entry.get("line"), "box": where}


# -- the routes -----------------------------------------------------------------------------------

def make_app(desk: Desk, live: LiveBuilds | None = None,
             allowed_hosts: Iterable[str] = LOOPBACK_NAMES) -> Starlette:
    """The proof page's web application over ``desk``; ``live`` runs the watcher and the
    builds for as long as the application runs (none in tests that set the desk by hand)."""
    from sse_starlette import EventSourceResponse, ServerSentEvent

    static = {name: resources.files("typeset.app").joinpath("static", name).read_bytes()
              for name in STATIC}

    def static_file(name: str) -> Callable[[Request], Any]:
        data, etag = static[name], f'"{hashlib.sha256(static[name]).hexdigest()[:16]}"'

        async def endpoint(request: Request) -> Response:
            headers = {"ETag": etag, "Cache-Control": "no-cache"}
            if request.headers.get("if-none-match") == etag:
                return Response(status_code=304, headers=headers)
            return Response(data, media_type=STATIC[name], headers=headers)
        return endpoint

    async def state(request: Request) -> Response:
        return JSONResponse(desk.state(), headers={"Cache-Control": "no-store"})

    async def report(request: Request) -> Response:
        if desk.latest is None:
            return Response("no build yet", status_code=404, media_type="text/plain")
        return JSONResponse(desk.latest.report, headers={"Cache-Control": "no-store"})

    async def events(request: Request) -> Response:
        async def stream() -> AsyncIterator[ServerSentEvent]:
            async for now in desk.updates():
                yield ServerSentEvent(json.dumps(now, ensure_ascii=False), event="state",
                                      retry=1000)

        stopping = anyio.Event()

        async def close_when_stopping() -> None:
            await stopping.wait()  # the server stops: end the streams, each response completes
            desk.close()

        return EventSourceResponse(stream(), ping=15, headers={"Cache-Control": "no-store"},
                                   shutdown_event=stopping, shutdown_grace_period=1,
                                   data_sender_callable=close_when_stopping)

    async def page_image(request: Request) -> Response:
        page = desk.images.get(request.path_params["digest"])
        data = None if page is None else {"small": page.small,
                                          "full": page.full}.get(request.path_params["size"])
        if page is None or data is None:
            return Response("no such page image", status_code=404, media_type="text/plain")
        etag = f'"{page.digest}-{request.path_params["size"]}"'
        headers = {"ETag": etag, "Cache-Control": "public, max-age=31536000, immutable"}
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers=headers)
        return Response(data, media_type="image/png", headers=headers)

    async def edition_pdf(request: Request) -> Response:
        shown = desk.shown
        if shown is None or shown.composite is None or not shown.composite.is_file():
            return Response("no good build yet", status_code=404, media_type="text/plain")
        return FileResponse(shown.composite, media_type="application/pdf",
                            filename=shown.composite.name, content_disposition_type="inline")

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            if live is None:
                yield
            else:
                async with live.running():
                    yield
        finally:
            desk.close()

    routes = [Route("/", static_file("index.html")),
              *(Route(f"/static/{name}", static_file(name)) for name in STATIC
                if name != "index.html"),
              Route("/state.json", state), Route("/report.json", report),
              Route("/events", events), Route("/edition.pdf", edition_pdf),
              Route("/pages/{digest}/{size}.png", page_image)]
    middleware = [Middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts),
                             www_redirect=False),
                  Middleware(SecurityHeaders)]
    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan)


class SecurityHeaders:
    """Adds :data:`SECURITY_HEADERS` to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)


# -- watching and building ------------------------------------------------------------------------

class LiveBuilds:
    """The watcher and the build loop of a running server: a save wakes a build in the build
    process; saves during a build make one more build after it."""

    def __init__(self, desk: Desk, worker: BuildWorker, watched: list[Path], root: Path,
                 ignored: list[Path], console: Console) -> None:
        self.desk, self.worker, self.console = desk, worker, console
        self.watched = [path for path in watched if path.exists()]
        self.root, self.ignored = root.resolve(), [path.resolve() for path in ignored]
        self._pending: set[str] = set()
        self._wake = asyncio.Event()
        self._stop = asyncio.Event()

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        ready = asyncio.Event()
        tasks = [asyncio.create_task(self._watch(ready))]
        await ready.wait()  # the watcher runs: a save made during the first build is seen
        tasks.append(asyncio.create_task(self._builds()))
        try:
            yield
        finally:
            self._stop.set()
            await asyncio.to_thread(self.worker.close)  # a build under way ends with it
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    def changed(self, paths: Iterable[str]) -> None:
        """Ask for a build because of ``paths`` (a save, or a test)."""
        names = {self._name(Path(path)) for path in paths if not self._ignored(Path(path))}
        if names:
            self._pending.update(names)
            self._wake.set()

    def _ignored(self, path: Path) -> bool:
        from .workflow import scratch_file

        resolved = path.resolve()
        return scratch_file(str(path)) or any(resolved.is_relative_to(folder)
                                              for folder in self.ignored)

    def _name(self, path: Path) -> str:
        resolved = path.resolve()
        return (resolved.relative_to(self.root).as_posix() if resolved.is_relative_to(self.root)
                else path.name)

    async def _watch(self, ready: asyncio.Event) -> None:
        from watchfiles import awatch

        changes = awatch(*self.watched, stop_event=self._stop, debounce=400, step=100,
                         rust_timeout=200, yield_on_timeout=True)
        try:
            async for found in changes:
                ready.set()  # the first answer is a timeout: from here on, saves are seen
                self.changed(path for _, path in found)
        finally:
            ready.set()

    async def _builds(self) -> None:
        first = True
        while True:
            if not first:
                await self._wake.wait()
            self._wake.clear()
            changed, first = sorted(self._pending), False
            self._pending.clear()
            self.desk.building(changed)
            self.console.print(f"{time.strftime('%H:%M:%S')}  building"
                               + (f" ({escape(', '.join(changed))} changed)" if changed else ""),
                               highlight=False)
            proof = await asyncio.to_thread(self.worker.build, self.desk.have())
            if self._stop.is_set():  # the server stops: the build was cut short
                return
            self.desk.built(proof, more=self._wake.is_set())
            self._say(proof)

    def _say(self, proof: Proof) -> None:
        colour = {"current": "green", "errors": "red"}.get(proof.status, "red bold")
        self.console.print(f"{time.strftime('%H:%M:%S')}  [{colour}]{escape(proof.summary)}"
                           f"[/{colour}]", highlight=False)
        if proof.status != "current":
            for finding in proof.report.get("findings", []):
                if finding.get("severity") == "error":
                    self.console.print(f"  {escape(finding_text(finding))}", highlight=False)


# -- the server -----------------------------------------------------------------------------------

def serve_edition(issue_dir: Path, out_dir: Path | None, host: str, port: int,
                  console: Console, *, full_dpi: float = FULL_DPI) -> None:
    """Serve the live proof page of ``issue_dir`` until Ctrl-C."""
    import uvicorn

    from ..source.manifest import find_root

    root = find_root(issue_dir.resolve())
    if not (issue_dir / "issue.toml").is_file():
        raise UsageError(f"{issue_dir}: no issue.toml here; serve an edition folder such as "
                         "issues/2024/016")
    listener = listen(host, port)
    desk = Desk(display_path(issue_dir))
    worker = BuildWorker(issue_dir, out_dir, full_dpi)
    live = LiveBuilds(desk, worker, [issue_dir, root / "layouts", root / "newspaper.toml"],
                      root, [out_dir or root / "build"], console)
    app = make_app(desk, live, allowed_hosts(host))
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on",
                            timeout_graceful_shutdown=2)
    address = page_address(host, listener.getsockname()[1])
    console.print(f"The proof page of {escape(display_path(issue_dir))}: {address}",
                  highlight=False)
    if not _loopback(host):
        console.print("[yellow]Listening beyond this computer: anyone on the network can see "
                      "the proofs.[/yellow]")
    console.print("Ctrl-C stops.", highlight=False)
    try:
        uvicorn.Server(config).run(sockets=[listener])
    finally:
        worker.close()
        listener.close()


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on ``host``:``port`` (0: any free port), or a clear UsageError."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
        listener = socket.socket(family, kind, proto)
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}: {exc}") from exc
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(address)
        listener.listen(128)
    except OSError as exc:
        listener.close()
        raise UsageError(f"cannot listen on {host}:{port} ({exc.strerror}); another program "
                         f"uses the port? Try --port {port + 1 if port else 8001}") from exc
    listener.set_inheritable(False)
    return listener


def allowed_hosts(host: str) -> list[str]:
    """The Host headers to answer: the loopback names, and the address listened on; any
    when it listens on every address (it cannot know the names it is reached by)."""
    if host in ("0.0.0.0", "::", ""):
        return ["*"]
    name = f"[{host}]" if ":" in host else host
    return [*LOOPBACK_NAMES, *([name.lower()] if name.lower() not in LOOPBACK_NAMES else [])]


def page_address(host: str, port: int) -> str:
    if host in ("0.0.0.0", "::", ""):
        host = socket.gethostname()
    return f"http://{f'[{host}]' if ':' in host else host}:{port}/"


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
