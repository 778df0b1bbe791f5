"""typeset serve: the proof page's routes, what it serves and refuses, its live updates."""

from __future__ import annotations

import io
import json
import os
import re
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from rich.console import Console
from starlette.testclient import TestClient

from typeset.app.proof import BuildWorker, PageImage, Proof, build_proof
from typeset.app.serve import (
    Desk,
    LiveBuilds,
    allowed_hosts,
    listen,
    make_app,
    page_extras,
    spreads,
)
from typeset.core.errors import UsageError

from .conftest import MakeEdition, article

BASE = "http://127.0.0.1"


def png(colour: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (30, 42), colour).save(buffer, "PNG")
    return buffer.getvalue()


def report(over: int = 0, findings: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"issue": {"year": 2024, "number": 16, "total": 1234, "date": "2024-04-25",
                      "pages": 2, "title": "Иртышская неделя"},
            "articles": [{"slug": "harvest", "title": "Весна торопит аграриев", "pages": [1, 2],
                          "fits": over == 0, "overset_lines": over, "underset_lines": 0 if over
                          else 3, "placements": [{"page": 1, "columns": 3, "lines": 90,
                                                  "body_lines": 80},
                                                 {"page": 2, "columns": 2, "lines": 40,
                                                  "body_lines": 35}]}],
            "findings": findings or []}


def good(*colours: str, have: frozenset[str] = frozenset(), **extra: Any) -> Proof:
    """A good build whose pages are plain colours (the colour names the page's content)."""
    pages = [PageImage(n, f"{colour:0<32}"[:32], 30, 42,
                       *((None, None) if f"{colour:0<32}"[:32] in have
                         else (png(colour), png(colour))))
             for n, colour in enumerate(colours, start=1)]
    return Proof("current", {**report(), **extra}, 1.5, pages=pages, page_mm=(297.0, 420.0),
                 summary="built")


OVERSET = {"severity": "error", "code": "overset", "message": "'harvest' does not fit: 4 lines "
           "over", "file": "issues/2024/016/issue.toml", "line": 12, "page": 2,
           "article": "harvest"}


@pytest.fixture
def desk() -> Desk:
    return Desk("issues/2024/016")


@pytest.fixture
def client(desk: Desk) -> Iterator[TestClient]:
    with TestClient(make_app(desk), base_url=BASE) as test_client:
        yield test_client


# -- what the page is told ------------------------------------------------------------------------

@pytest.mark.parametrize(("count", "expected"), [
    (0, []), (1, [[1]]), (2, [[1], [2]]), (3, [[1], [2, 3]]), (4, [[1], [2, 3], [4]]),
    (8, [[1], [2, 3], [4, 5], [6, 7], [8]]),
])
def test_spreads_put_page_one_alone_then_pairs(count: int, expected: list[list[int]]) -> None:
    assert spreads(count) == expected


def test_the_state_has_pages_spreads_copyfit_and_findings(client: TestClient, desk: Desk) -> None:
    warning = {"severity": "warning", "code": "hyphens", "message": "three hyphens in a row",
               "file": "issues/2024/016/articles/harvest.md", "line": 7}
    desk.built(good("red", "blue", findings=[warning]))
    state = client.get("/state.json").json()
    assert state["status"] == "current"
    assert state["spreads"] == [[1], [2]]
    assert [p["small"] for p in state["pages"]] == [f"/pages/{'red':0<32}/small.png",
                                                    f"/pages/{'blue':0<32}/small.png"]
    assert state["articles"] == [{"slug": "harvest", "title": "Весна торопит аграриев",
                                  "pages": [1, 2], "columns": [3, 2], "fits": True,
                                  "overset_lines": 0, "underset_lines": 3}]
    assert state["findings"][0]["where"] == "issues/2024/016/articles/harvest.md:7"
    assert state["edition"]["number"] == 16


def test_an_edition_with_errors_keeps_the_last_good_pages(client: TestClient, desk: Desk) -> None:
    desk.built(good("red", "blue"))
    before = client.get("/state.json").json()
    desk.built(Proof("errors", report(over=4, findings=[OVERSET]), 0.8))
    state = client.get("/state.json").json()
    assert state["status"] == "errors"
    assert state["pages"] == before["pages"]  # the last good pages, still served
    assert client.get(state["pages"][0]["small"]).status_code == 200
    assert state["articles"][0]["overset_lines"] == 4  # the copyfit of the failed build
    assert state["findings"][0]["where"] == "issues/2024/016/issue.toml:12"
    assert state["shown"]["finished"] < state["build"]["finished"]


def test_errors_before_the_layout_keep_the_last_copyfit(client: TestClient, desk: Desk) -> None:
    desk.built(good("red", "blue"))
    broken = {"severity": "error", "code": "yaml", "message": "front matter is not YAML",
              "file": "issues/2024/016/articles/harvest.md", "line": 3}
    desk.built(Proof("errors", {"issue": None, "articles": [], "findings": [broken]}))
    state = client.get("/state.json").json()
    assert state["articles"][0]["slug"] == "harvest"
    assert state["articles_build"]["finished"] < state["build"]["finished"]
    assert [f["code"] for f in state["findings"]] == ["yaml"]


def test_only_changed_pages_get_new_images(client: TestClient, desk: Desk) -> None:
    desk.built(good("red", "blue"))
    assert desk.have() == {f"{'red':0<32}", f"{'blue':0<32}"}
    # the build leaves out the bytes of the images the server holds
    desk.built(good("red", "green", have=desk.have()))
    state = client.get("/state.json").json()
    assert [p["updated"] for p in state["pages"]] == [False, True]
    assert desk.have() == {f"{'red':0<32}", f"{'green':0<32}"}  # blue is gone
    assert client.get(state["pages"][0]["full"]).content == png("red")
    assert client.get(f"/pages/{'blue':0<32}/small.png").status_code == 404


def test_ads_and_loose_lines_are_read_where_the_report_has_them() -> None:
    extras = page_extras({
        "ad_share": [{"page": 1, "ad_share": 0.25}, {"page": 2, "ad_share": 0.4}],
        "ads": [{"page": 1, "advertiser": "АО «Береке Банк»", "columns": 2, "height": 80,
                 "file": "ads/bank.pdf"}],
        "loose_lines": [{"page": 1, "article": "a", "column": 2, "line": 14,
                         "box": [29.7, 42.0, 59.4, 4.2]}, "nonsense", {"page": "x"},
                        {"page": 2, "article": "b", "column": 1, "line": 3}],
    }, (297.0, 420.0))
    assert extras[1]["ad_share"] == 0.25 and extras[2]["ad_share"] == 0.4
    assert extras[1]["ads"] == [{"advertiser": "АО «Береке Банк»", "columns": 2, "height": 80,
                                 "order": None}]
    assert extras[1]["loose_lines"] == [{"article": "a", "column": 2, "line": 14,
                                         "box": [10.0, 10.0, 20.0, 1.0]}]
    assert extras[2]["loose_lines"] == [{"article": "b", "column": 1, "line": 3, "box": None}]
    assert page_extras({"ad_share": "nonsense", "ads": None}, None) == {}


# -- what it serves and what it refuses -----------------------------------------------------------

def test_the_page_and_its_files(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<html lang="ru">' in page.text and "/static/proof.js" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    for name, kind in [("proof.js", "text/javascript"), ("proof.css", "text/css"),
                       ("favicon.svg", "image/svg+xml")]:
        response = client.get(f"/static/{name}")
        assert response.status_code == 200 and response.headers["content-type"].startswith(kind)
        etag = response.headers["etag"]
        assert client.get(f"/static/{name}", headers={"If-None-Match": etag}).status_code == 304
    assert "https://" not in client.get("/").text + client.get("/static/proof.css").text


@pytest.mark.parametrize("path", [
    "/static/../proof.py", "/static/%2e%2e/proof.py", "/static/serve.py", "/static/",
    "/static/index.html/../../cli.py", "/pages/..%2f..%2fpyproject.toml/small.png",
    "/pages/../../../etc/passwd", f"/pages/{'red':0<32}/medium.png",
    f"/pages/{'red':0<32}/../../../pyproject.toml", "/issue.toml", "/articles/harvest.md",
    "/build/2024-016/report.json", "/etc/passwd",
])
def test_no_path_from_the_url_reaches_the_disk(client: TestClient, desk: Desk,
                                               path: str) -> None:
    desk.built(good("red"))
    assert client.get(path).status_code == 404


def test_page_images_are_cached_for_good(client: TestClient, desk: Desk) -> None:
    desk.built(good("red"))
    url = client.get("/state.json").json()["pages"][0]["small"]
    response = client.get(url)
    assert response.headers["content-type"] == "image/png"
    assert "immutable" in response.headers["cache-control"]
    again = client.get(url, headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304 and not again.content


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_nothing_writes(client: TestClient, method: str) -> None:
    for path in ("/", "/state.json", "/events", "/static/proof.js", "/edition.pdf"):
        assert client.request(method, path).status_code == 405


def test_other_host_names_are_refused(client: TestClient) -> None:
    """A page of another site that resolves its name to 127.0.0.1 (DNS rebinding) gets
    nothing."""
    assert client.get("/state.json", headers={"Host": "evil.example:8000"}).status_code == 400
    for host in ("localhost:8000", "127.0.0.1:8000", "[::1]:8000"):
        assert client.get("/state.json", headers={"Host": host}).status_code == 200


def test_allowed_hosts() -> None:
    assert allowed_hosts("127.0.0.1") == ["127.0.0.1", "localhost", "[::1]"]
    assert allowed_hosts("192.168.1.5")[-1] == "192.168.1.5"
    assert allowed_hosts("::1") == ["127.0.0.1", "localhost", "[::1]"]
    assert allowed_hosts("0.0.0.0") == ["*"]


def test_a_port_in_use_is_a_usage_error() -> None:
    taken = listen("127.0.0.1", 0)
    try:
        with pytest.raises(UsageError, match=r"cannot listen on 127\.0\.0\.1"):
            listen("127.0.0.1", taken.getsockname()[1])
    finally:
        taken.close()
    assert taken.family == socket.AF_INET


def test_the_edition_pdf_is_the_written_composite(client: TestClient, desk: Desk,
                                                 tmp_path: Path) -> None:
    assert client.get("/edition.pdf").status_code == 404
    composite = tmp_path / "2024-016.pdf"
    composite.write_bytes(b"%PDF-1.7 composite")
    proof = good("red")
    proof.composite = composite
    desk.built(proof)
    response = client.get("/edition.pdf")
    assert response.content == b"%PDF-1.7 composite"
    assert response.headers["content-type"] == "application/pdf"


# -- live -----------------------------------------------------------------------------------------

def read_events(client: TestClient, desk: Desk,
                acts: list[Callable[[], None]]) -> list[dict[str, Any]]:
    """The states sent on /events while ``acts`` run one by one in the server's event loop
    (each once the stream has sent what the one before did), until the desk closes."""
    answer: dict[str, Any] = {}
    reader = threading.Thread(target=lambda: answer.update(r=client.get("/events")))
    reader.start()

    def wait(condition: Callable[[], bool]) -> None:
        deadline = time.monotonic() + 30
        while not condition():
            assert time.monotonic() < deadline, "the event stream did not follow"
            time.sleep(0.01)

    wait(lambda: desk.readers > 0 and desk.sent == desk.version)
    for act in acts:
        client.portal.call(act)
        wait(lambda: desk.sent == desk.version)
    client.portal.call(desk.close)
    reader.join(30)
    response = answer["r"]
    assert response.headers["content-type"].startswith("text/event-stream")
    return [json.loads(line[len("data: "):]) for line in response.text.splitlines()
            if line.startswith("data: ")]


def test_a_rebuild_is_an_event(client: TestClient, desk: Desk) -> None:
    desk.built(good("red", "blue"))
    states = read_events(client, desk, [
        lambda: desk.building(["issues/2024/016/articles/harvest.md"]),
        lambda: desk.built(good("red", "green", have=desk.have()))])
    assert [s["status"] for s in states] == ["current", "building", "current"]
    assert states[1]["changed"] == ["issues/2024/016/articles/harvest.md"]
    assert states[0]["pages"][1]["small"] != states[2]["pages"][1]["small"]
    assert states[0]["pages"][0]["small"] == states[2]["pages"][0]["small"]
    assert [s["version"] for s in states] == sorted(s["version"] for s in states)


# -- the builds -----------------------------------------------------------------------------------

def two_pages(make_edition: MakeEdition) -> Path:
    body = "\n\n".join(["Абзац текста для проверки страницы корректуры в браузере."] * 5)
    return make_edition({"a": article("Первая", body), "b": article("Вторая", body)},
                        pages='[[pages]]\narticles = ["a"]\n\n[[pages]]\narticles = ["b"]\n')


def test_build_proof_builds_writes_and_renders_only_what_is_new(make_edition: MakeEdition,
                                                                tmp_path: Path) -> None:
    folder = two_pages(make_edition)
    out = tmp_path / "out"
    first = build_proof(folder, out, full_dpi=20)
    assert first.status == "current", first.report["findings"]
    assert first.report == json.loads((out / "report.json").read_text("utf-8"))
    assert first.composite == (out / "2024-016.pdf").resolve()
    assert [p.number for p in first.pages] == [1, 2]
    assert all(p.small and p.full for p in first.pages)
    small = Image.open(io.BytesIO(first.pages[0].small or b""))
    assert (small.width, small.height) == (first.pages[0].width, first.pages[0].height)
    again = build_proof(folder, out, frozenset(p.digest for p in first.pages), full_dpi=20)
    assert [p.digest for p in again.pages] == [p.digest for p in first.pages]
    assert [(p.width, p.height) for p in again.pages] == [(p.width, p.height)
                                                          for p in first.pages]
    assert all(p.small is None and p.full is None for p in again.pages)


def test_build_proof_of_an_edition_with_errors_writes_nothing(make_edition: MakeEdition,
                                                             tmp_path: Path) -> None:
    folder = two_pages(make_edition)
    long = "\n\n".join(["Очень длинный абзац, который не поместится на полосе никогда. " * 6]
                       * 60)
    (folder / "articles" / "b.md").write_text(article("Вторая", long), "utf-8")
    proof = build_proof(folder, tmp_path / "out", full_dpi=20)
    assert proof.status == "errors" and not proof.pages
    assert not (tmp_path / "out").exists()
    assert any(f["code"] == "overset" for f in proof.report["findings"])
    assert [a["overset_lines"] > 0 for a in proof.report["articles"]] == [False, True]
    (folder / "articles" / "b.md").write_text("---\ntitle: [unclosed\n---\nТекст.\n", "utf-8")
    broken = build_proof(folder, tmp_path / "out", full_dpi=20)
    # the article that cannot be read is not laid out; the other one still is
    assert broken.status == "errors"
    assert [a["slug"] for a in broken.report["articles"]] == ["a"]
    assert any(f.get("file", "").endswith("b.md") for f in broken.report["findings"])


def test_a_save_rebuilds_and_the_page_is_told(make_edition: MakeEdition, tmp_path: Path) -> None:
    """The whole loop without a browser: the watcher, the build process, the desk."""
    folder = two_pages(make_edition)
    desk = Desk(str(folder))
    worker = BuildWorker(folder, tmp_path / "out", full_dpi=20)
    root = folder.parents[2]
    live = LiveBuilds(desk, worker, [folder, root / "layouts", root / "newspaper.toml"], root,
                      [tmp_path / "out"], Console(file=io.StringIO()))
    with TestClient(make_app(desk, live), base_url=BASE) as client:
        def wait(condition: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                state: dict[str, Any] = client.get("/state.json").json()
                if condition(state):
                    return state
                time.sleep(0.2)
            raise AssertionError(f"timed out; last state: {state}")

        first = wait(lambda s: s["status"] == "current")
        path = folder / "articles" / "b.md"
        path.write_text(path.read_text("utf-8").replace("Вторая", "Вторая, исправленная"),
                        "utf-8")
        second = wait(lambda s: s["status"] == "current" and s["version"] > first["version"]
                      and s["build"]["finished"] > first["build"]["finished"])
        assert second["pages"][0]["small"] == first["pages"][0]["small"]
        assert second["pages"][1]["small"] != first["pages"][1]["small"]
        assert second["pages"][1]["updated"]
        assert client.get(second["pages"][1]["full"]).status_code == 200
    assert worker._process is None  # the build process ended with the server


def test_a_bug_in_a_build_is_shown_with_its_traceback_file(make_edition: MakeEdition,
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          tmp_path: Path) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("typeset.app.build.build_edition", broken)
    proof = build_proof(two_pages(make_edition), tmp_path / "out")
    assert proof.status == "failed"
    message = proof.report["findings"][0]["message"]
    crash = Path(re.findall(r"(\S+typeset-crash-\S+\.txt)", message)[0])
    assert "RuntimeError: a bug" in crash.read_text("utf-8")
    crash.unlink()


def test_a_build_process_that_died_is_started_again(make_edition: MakeEdition,
                                                    tmp_path: Path) -> None:
    worker = BuildWorker(two_pages(make_edition), tmp_path / "out", full_dpi=20)
    try:
        assert worker.build().status == "current"
        first = worker._process
        os.kill(first.pid, signal.SIGKILL)
        first.join(30)
        again = worker.build()
        assert again.status == "current" and worker._process is not first
    finally:
        worker.close()
    assert worker.build().status == "failed"  # closed for good: no new process
