"""Shared by the browser tests, the web editor's harness and the benchmarks: a built site
over HTTP (as a static host serves it) and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
CHROMIUM = os.environ.get("FACTSITE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def require(path: Path, what: str) -> None:
    """Skip (locally) or fail (in CI) when a tool ``make test`` installs is missing."""
    if path.exists():
        return
    message = f"{what} not found at {path}: run make test (it installs it)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


class StaticHost(http.server.SimpleHTTPRequestHandler):
    """A static host, quietly: the folder's files, and its own 404.html (when it has one)
    for an unknown address, as GitHub Pages and Netlify answer."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_error(self, code: int, message: str | None = None,
                   explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """``folder`` over HTTP on a random local port (:class:`StaticHost`); yields its base
    address."""
    handler = functools.partial(StaticHost, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


@contextmanager
def chromium() -> Iterator[object]:
    require(Path(CHROMIUM), "Chromium (make chromium, or apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def new_page(browser: object, **context_options: object) -> Iterator[object]:
    """A page in a fresh browser context (its own cache and storage: a cold first visit),
    closed afterwards."""
    context = browser.new_context(**context_options)  # type: ignore[attr-defined]
    try:
        yield context.new_page()
    finally:
        context.close()


def tab_to(page: object, element: object, most: int, what: str) -> None:
    """Press Tab until ``element`` has the focus, at most ``most`` times."""
    for _ in range(most):
        page.keyboard.press("Tab")  # type: ignore[attr-defined]
        if element.evaluate("e => e === document.activeElement"):  # type: ignore[attr-defined]
            return
    raise AssertionError(f"Tab never reaches {what}")
