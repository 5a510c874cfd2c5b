"""WCAG 2.2 AA: axe-core (npm, tools/axe) finds no violation on any page kind, in the light
and the dark scheme, at desktop and phone width, in real headless Chromium."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from browser_harness import DESKTOP, PHONE, ROOT, chromium, require, serve
from conftest import BuiltSite

pytestmark = pytest.mark.browser

AXE = ROOT / "tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# One page of every kind the site has (the fixture's records).
PAGES = [
    "",  # home
    "claims/borduria-denies-involvement/", "statements/weiss-fake-accounts/",
    "elections/ruritania-general-2022/", "tactics/fake-accounts/", "actors/anna-weiss/",
    "sources/example-report/", "explainers/borduria-campaign/",
    "claims/", "statements/", "elections/", "tactics/", "actors/", "sources/", "explainers/",
    "claims/?rating=Unproven",  # an index with a filter applied
    "statements/?speaker=Anna+Weiss&form=nothing-matches",
    "matrix/", "timeline/", "corrections/", "data/", "about/", "methodology/",
    "corrections-policy/", "404.html",
]


@pytest.fixture(scope="module")
def server(built_site: BuiltSite) -> Iterator[str]:
    with serve(built_site.site) as address:
        yield address


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    require(AXE, "axe-core")
    with chromium() as browser:
        yield browser


def axe(page: object) -> list[str]:
    """axe-core's WCAG 2.2 AA violations on the page as it is now, one line per node."""
    page.add_script_tag(path=str(AXE))  # type: ignore[attr-defined]
    result = page.evaluate(  # type: ignore[attr-defined]
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    return [f"{violation['id']} {node['target']}: {node['failureSummary']}"
            for violation in result["violations"] for node in violation["nodes"]]


def open_search(page: object, server: str) -> None:
    page.goto(server)  # type: ignore[attr-defined]
    page.keyboard.press("/")  # type: ignore[attr-defined]
    page.locator("#fs-search-input").press_sequentially("fake accounts", delay=20)  # type: ignore[attr-defined]
    page.locator(".fs-result__link").first.wait_for(timeout=30_000)  # type: ignore[attr-defined]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_no_axe_violations_on_any_page_kind(browser: object, server: str, scheme: str,
                                             viewport: dict[str, int]) -> None:
    context = browser.new_context(viewport=viewport, color_scheme=scheme)  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        found: dict[str, list[str]] = {}
        for url in PAGES:
            page.goto(server + url)
            expected = "slate" if scheme == "dark" else "default"
            assert page.locator("body").get_attribute("data-md-color-scheme") == expected, url
            found[url or "home"] = axe(page)
        open_search(page, server)
        found["search (open, with results)"] = axe(page)
    finally:
        context.close()
    failures = {url: lines for url, lines in found.items() if lines}
    assert not failures, "\n".join(f"{url}:\n  " + "\n  ".join(lines)
                                   for url, lines in failures.items())


def test_axe_is_real(browser: object, server: str) -> None:
    """The check can fail: a link told apart by colour only, on a page of the site."""
    context = browser.new_context(viewport=DESKTOP)  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        page.goto(server + "about/")
        page.add_style_tag(content=".md-typeset a { text-decoration: none !important; }")
        page.evaluate("""() => {
          const p = document.querySelector('.md-content article p');
          const a = document.createElement('a'); a.href = '#x'; a.textContent = 'a link';
          p.append(' text around ', a, ' and more text around it.');
        }""")
        assert any(re.match(r"link-in-text-block|color-contrast", line) for line in axe(page))
    finally:
        context.close()


def test_phone_width_shows_the_verdict_on_the_fact_checks_index(browser: object,
                                                                  server: str) -> None:
    context = browser.new_context(viewport=PHONE)  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        page.goto(server + "claims/")
        badge = page.locator("table.fs-filterable tbody tr").first.locator(".fs-rating")
        box = badge.bounding_box()
        assert box is not None
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
        scrolled = page.evaluate("document.querySelector('.fs-table-wrap').scrollWidth"
                                 " - document.querySelector('.fs-table-wrap').clientWidth")
        assert scrolled <= 1  # nothing to scroll sideways for
    finally:
        context.close()


@pytest.mark.parametrize("url", ["claims/borduria-denies-involvement/",
                                 "statements/weiss-fake-accounts/"])
def test_record_pages_have_a_table_of_contents_on_phones(browser: object, server: str,
                                                         url: str) -> None:
    for viewport, shown in ((PHONE, True), (DESKTOP, False)):
        context = browser.new_context(viewport=viewport)  # type: ignore[attr-defined]
        try:
            page = context.new_page()
            page.goto(server + url)
            toc = page.locator(".fs-toc-phone")
            assert toc.is_visible() is shown, viewport
            if not shown:
                continue
            assert page.evaluate(
                "document.querySelector('.md-content h1').nextElementSibling.className"
            ) == "fs-toc-phone"
            toc.locator("summary").click()
            link = toc.locator("a").first
            target = (link.get_attribute("href") or "").lstrip("#")
            assert target and page.locator(f"[id='{target}']").count() == 1
            link.click()
            assert page.url.endswith("#" + target)
        finally:
            context.close()
