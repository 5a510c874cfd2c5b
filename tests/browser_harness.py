"""Shared by the browser tests of the reader's side (a11y, filters): a built site over
HTTP and Debian's Chromium driven by Playwright (launch flags as in test_browser.py)."""

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


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """``folder`` over HTTP on a random local port; yields its base address."""
    handler = functools.partial(_Quiet, directory=str(folder))
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
