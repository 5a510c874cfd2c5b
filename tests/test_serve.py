"""The editor's loop for real: a server on a project copy, a record broken, edited, fixed.

``mkdocs serve`` (every page rewritten each build) and ``factsite serve`` (``--dirty``: only
the pages that change) must both keep serving the last good site while the content has
errors, with the errors on every page, print the errors after MkDocs' own lines, and end up
serving exactly what a fresh build of the same content gives.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from conftest import build_project, edit, make_project

BIN = Path(sys.executable).parent
CLAIM = "content/claims/borduria-denies-involvement.yaml"
CLAIM_URL = "claims/borduria-denies-involvement/"
SEARCH_INDEX = "pagefind/pagefind-entry.json"
"""Pagefind's entry file: names every file of the index by a hash of its content."""
ERROR = ("content/claims/borduria-denies-involvement.yaml:7:9: rating: '<b>unprovn</b>' is "
         "not a rating; expected one of: false, misleading, unproven, true; did you mean "
         "'unproven'?")
SERVERS = {
    "mkdocs serve": lambda addr: [str(BIN / "mkdocs"), "serve", "--dev-addr", addr],
    "factsite serve": lambda addr: [str(BIN / "factsite"), "serve", "--dev-addr", addr],
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    def __init__(self, root: Path, command: str, temporary: Path | None = None) -> None:
        self.base = f"http://127.0.0.1:{free_port()}/"
        self.log_path = root / "serve.log"
        self.log = self.log_path.open("w", encoding="utf-8")
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        if temporary is not None:  # the system's temporary folder, as the server sees it
            env["TMPDIR"] = str(temporary)
        address = self.base.removeprefix("http://").rstrip("/")
        self.process = subprocess.Popen(SERVERS[command](address), cwd=root, env=env,
                                        stdout=self.log, stderr=subprocess.STDOUT,
                                        start_new_session=True)

    def get(self, url: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.base + url, timeout=30) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return 0, ""

    def wait(self, url: str, ready: Callable[[int, str], bool], timeout: float = 90) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status, text = self.get(url)
            if ready(status, text):
                return text
            time.sleep(0.1)
        raise AssertionError(f"{url} not ready in {timeout} s; last: {status}\n{self.output()}")

    def output(self) -> str:
        self.log.flush()
        return self.log_path.read_text(encoding="utf-8")

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)
        self.log.close()


@pytest.fixture(params=list(SERVERS))
def served(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Path, Server]]:
    root = make_project(tmp_path / "project")
    server = Server(root, request.param)
    try:
        server.wait(CLAIM_URL, lambda status, _: status == 200)
        yield root, server
    finally:
        server.stop()


@pytest.mark.parametrize("command", list(SERVERS))
def test_sigterm_stops_the_server_as_ctrl_c_leaving_no_temporary_files(
        tmp_path: Path, command: str) -> None:
    """``kill``, ``docker stop`` or a process manager stop the server as Ctrl-C does: MkDocs
    deletes the built site it serves from the temporary folder (before, every SIGTERM left
    one behind), and the plugin its empty docs folder."""
    root = make_project(tmp_path / "project")
    temporary = tmp_path / "temporary"
    temporary.mkdir()
    server = Server(root, command, temporary)
    try:
        server.wait(CLAIM_URL, lambda status, _: status == 200)
        assert any(path.name.startswith("mkdocs_") for path in temporary.iterdir())
    finally:
        server.stop()
    assert server.process.returncode == 0, server.output()
    assert list(temporary.iterdir()) == []


def banner(soup: BeautifulSoup) -> Tag | None:
    return soup.select_one("article .fs-serve-errors[role=alert]")


def has_banner(status: int, text: str) -> bool:
    return status == 200 and 'role="alert"' in text


def test_an_error_keeps_the_last_good_site_with_the_errors_on_every_page(
        served: tuple[Path, Server]) -> None:
    root, server = served
    edit(root, CLAIM, "rating: unproven", 'rating: "<b>unprovn</b>"')
    soup = BeautifulSoup(server.wait(CLAIM_URL, has_banner), "lxml")
    alert = banner(soup)
    assert [item.get_text() for item in alert.select("li")] == [ERROR]
    assert alert.select("li b") == [], "the message is escaped"
    assert "“Borduria had no" in soup.select_one("article h1").get_text(strip=True)
    for url in ("", "statements/borduria-denial/", "actors/borduria/", "claims/"):
        status, text = server.get(url)
        assert status == 200, url
        page = BeautifulSoup(text, "lxml")
        assert [li.get_text() for li in banner(page).select("li")] == [ERROR], url

    log = server.output()
    built = log.rindex("Documentation built")
    assert log.index(ERROR) > built, "the errors come after MkDocs' lines for the build"
    assert "WARNING" not in log[log.rindex("Detected file changes"):]

    edit(root, CLAIM, 'rating: "<b>unprovn</b>"', "rating: unproven")
    server.wait(CLAIM_URL, lambda status, text: status == 200 and 'role="alert"' not in text)
    for url in ("", "statements/borduria-denial/"):
        assert banner(BeautifulSoup(server.get(url)[1], "lxml")) is None, url


def article(text: str) -> str:
    """A page's article, without the (build-time) parts that differ between two builds."""
    soup = BeautifulSoup(text, "lxml")
    found = soup.select_one("article")
    return re.sub(r"\s+", " ", str(found)) if found else ""


def test_edits_end_up_served_exactly_as_a_fresh_build_gives_them(
        served: tuple[Path, Server], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root, server = served
    monkeypatch.setenv("SITE_URL", server.base)  # the fresh build's address: the server's
    edit(root, "content/actors/anna-weiss.yaml", "name: Anna Weiss", "name: Anna Weiss-Renamed")
    soup = BeautifulSoup(server.wait("statements/weiss-fake-accounts/",
                                     lambda status, text: "Weiss-Renamed" in text), "lxml")
    assert "Weiss-Renamed" in soup.select_one("article").get_text()
    (root / "content/explainers/borduria-campaign.md").unlink()
    server.wait("explainers/borduria-campaign/", lambda status, _: status == 404)

    fresh = build_project(make_project(tmp_path / "fresh"))
    edit(fresh.root, "content/actors/anna-weiss.yaml", "name: Anna Weiss",
         "name: Anna Weiss-Renamed")
    (fresh.root / "content/explainers/borduria-campaign.md").unlink()
    fresh = build_project(fresh.root)
    pages = sorted(path.parent.relative_to(fresh.site).as_posix()
                   for path in fresh.site.rglob("index.html"))
    assert "statements/weiss-fake-accounts" in pages
    for page in pages:
        url = "" if page == "." else page + "/"
        status, text = server.get(url)
        assert status == 200, url
        expected = (fresh.site / url / "index.html").read_text(encoding="utf-8")
        assert article(text) == article(expected), url
    for data in ("data/factsite.json", "data/actors.csv", "feed.xml", "_redirects",
                 SEARCH_INDEX):
        expected = (fresh.site / data).read_bytes().decode("utf-8")  # CSV: CRLF
        server.wait(data, lambda status, text, expected=expected: text == expected, timeout=90)


def test_a_theme_change_rewrites_every_page(served: tuple[Path, Server]) -> None:
    root, server = served
    edit(root, "theme/main.html", "{% block extrahead %}\n",
         '{% block extrahead %}\n  <meta name="fs-test" content="theme-edited">\n')
    for url in (CLAIM_URL, "actors/borduria/", ""):
        server.wait(url, lambda status, text: 'content="theme-edited"' in text)
