"""Real headless Chromium (Debian's package, driven by Playwright) on the built site."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def search(page: object, server: str, text: str) -> list[str]:
    """Open the site's search with "/" and type like a reader; return the result links."""
    page.goto(server)  # type: ignore[attr-defined]
    page.keyboard.press("/")  # type: ignore[attr-defined]
    box = page.locator("#fs-search-input")  # type: ignore[attr-defined]
    box.press_sequentially(text, delay=30)
    status = page.locator(".fs-search__status")  # type: ignore[attr-defined]
    status.filter(has_text=re.compile(f"results? for \u201c{re.escape(text)}\u201d")).wait_for(
        timeout=30_000)  # the results of the whole text, not of a part typed so far
    results = page.locator(".fs-result__link")  # type: ignore[attr-defined]
    results.first.wait_for(timeout=30_000)
    return [results.nth(i).get_attribute("href") or "" for i in range(results.count())]


def test_search_finds_a_statement_by_a_quote_fragment(page: object, server: str) -> None:
    hrefs = search(page, server, "thousands of fake accounts")
    assert any("statements/weiss-fake-accounts/" in href for href in hrefs), hrefs


def test_search_finds_a_claim_by_its_verdict(page: object, server: str) -> None:
    hrefs = search(page, server, "cannot settle the question")
    assert any("claims/borduria-denies-involvement/" in href for href in hrefs), hrefs


def test_index_filter_and_sort(page: object, server: str) -> None:
    page.goto(server + "statements/")  # type: ignore[attr-defined]
    rows = page.locator("table.fs-filterable tbody tr")  # type: ignore[attr-defined]
    assert rows.count() == 3
    page.select_option("select[data-filter=speaker]", "Anna Weiss")  # type: ignore[attr-defined]
    visible = page.locator("table.fs-filterable tbody tr:visible")  # type: ignore[attr-defined]
    assert visible.count() == 1
    assert "fake accounts" in visible.first.inner_text()
    assert "Showing 1 of 3" in page.locator(".fs-status").inner_text()  # type: ignore[attr-defined]
    page.select_option("select[data-filter=speaker]", "")  # type: ignore[attr-defined]
    assert visible.count() == 3
    header = page.locator("table.fs-filterable thead th").nth(1)  # type: ignore[attr-defined]
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    first = rows.first.locator("td").nth(1).inner_text()
    assert first == "Anna Weiss"


def test_phone_width_has_no_horizontal_overflow(browser: object, server: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740})  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        for url in ("claims/borduria-denies-involvement/", "statements/", "matrix/"):
            page.goto(server + url)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 1, url
    finally:
        context.close()


SPLIT_WORDS = """() => {
  const split = [];
  for (const cell of document.querySelectorAll('table.fs-table td, table.fs-table th')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        if (lines.size > 1) split.push(match[0]);
      }
    }
  }
  return split;
}"""


def test_phone_width_tables_wrap_between_words(browser: object, server: str) -> None:
    """At phone width no table splits a word across lines."""
    context = browser.new_context(viewport={"width": 375, "height": 740})  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        for url in ("statements/", "claims/", "sources/", "actors/", "matrix/"):
            page.goto(server + url)
            assert page.locator("table.fs-table").count() > 0, url
            assert page.evaluate(SPLIT_WORDS) == [], url
    finally:
        context.close()


INDEXES = ("claims/", "statements/", "elections/", "actors/", "sources/", "tactics/",
           "explainers/")


def test_phone_width_index_tables_fit_without_scrolling_sideways(browser: object,
                                                                  server: str) -> None:
    """On a phone every index is a list of cards: no column is scrolled off to the side,
    and each card leads with its record's link."""
    context = browser.new_context(viewport={"width": 375, "height": 740})  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        for url in INDEXES:
            page.goto(server + url)
            wrap = page.locator(".fs-table-wrap")
            assert wrap.count() == 1, url
            assert wrap.evaluate("w => w.scrollWidth - w.clientWidth") <= 1, url
            first_cells = page.locator("table.fs-filterable tbody tr:not([hidden]) td:first-child")
            assert first_cells.count() > 0, url
            assert first_cells.first.locator("a").count() == 1, url
            row_width = page.locator("table.fs-filterable tbody tr").first.evaluate(
                "row => row.getBoundingClientRect().width")
            assert row_width <= 375, url
    finally:
        context.close()
