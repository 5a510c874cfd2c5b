"""WCAG 2.2 AA and axe-core's best practices: axe-core (npm, tools/axe) finds no violation
on any page kind, in the light and the dark scheme, at desktop and phone width, in real
headless Chromium (with the search open and the phone's navigation drawer open too); and
what axe cannot see, checked from the keyboard: every Tab stop is on the screen and looks
different when focused, the phone's drawer opens and closes from the keyboard, and the
colour-scheme switch is one named button."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from browser_harness import DESKTOP, PHONE, ROOT, chromium, require, tab_to

pytestmark = pytest.mark.browser

AXE = ROOT / "tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
CLAIM = "claims/borduria-denies-involvement/"
NO_MOTION = "*, *::before, *::after { transition: none !important; animation: none !important; }"
"""Injected before focus is compared: a look still fading in is not a look."""

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
        if viewport == PHONE:
            page.goto(server + CLAIM)
            page.get_by_role("button", name="Navigation menu").click()
            page.locator(".md-sidebar--primary a").first.wait_for(state="visible")
            found["navigation drawer (open)"] = axe(page)
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


def focus_problems(page: object, stops: int, inside: str | None = None) -> list[str]:
    """Press Tab up to ``stops`` times (or while focus stays ``inside`` a selector); each
    element focused must be on the screen, with a size, and look different focused than
    not (screenshots of it and around it, compared). One line per problem."""
    page.add_style_tag(content=NO_MOTION)  # type: ignore[attr-defined]
    viewport = page.viewport_size  # type: ignore[attr-defined]
    problems = []
    for _ in range(stops):
        page.keyboard.press("Tab")  # type: ignore[attr-defined]
        focused = page.evaluate_handle("document.activeElement")  # type: ignore[attr-defined]
        if inside and not focused.evaluate("(e, s) => !!e.closest(s)", inside):
            break
        name = focused.evaluate("e => e.tagName + ' ' + ((e.getAttribute('aria-label') || "
                                "e.textContent || e.id).trim().slice(0, 40))")
        box = focused.bounding_box()
        if box is None or box["width"] < 1 or box["height"] < 1:
            problems.append(f"{name}: focused but not shown (no size)")
            continue
        if (box["x"] + box["width"] <= 0 or box["y"] + box["height"] <= 0
                or box["x"] >= viewport["width"] or box["y"] >= viewport["height"]):
            problems.append(f"{name}: focused off the screen at {box}")
            continue
        left, top = max(0, box["x"] - 4), max(0, box["y"] - 4)
        clip = {"x": left, "y": top,
                "width": min(viewport["width"], box["x"] + box["width"] + 4) - left,
                "height": min(viewport["height"], box["y"] + box["height"] + 4) - top}
        with_focus = page.screenshot(clip=clip)  # type: ignore[attr-defined]
        focused.evaluate("e => e.blur()")
        without = page.screenshot(clip=clip)  # type: ignore[attr-defined]
        focused.evaluate("e => e.focus()")  # Tab goes on from here
        if with_focus == without:
            problems.append(f"{name}: focus does not show")
    return problems


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_every_tab_stop_is_on_screen_and_shows_focus(browser: object, server: str, scheme: str,
                                                     viewport: dict[str, int]) -> None:
    """The header, the tabs (or the phone's closed drawer) and the top of a page, from the
    keyboard: Material's closed drawer used to take a dozen Tab presses off the screen,
    and its colour switch was a zero-size radio."""
    context = browser.new_context(viewport=viewport, color_scheme=scheme)  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        page.goto(server + CLAIM)
        problems = focus_problems(page, 18)
    finally:
        context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_phone_drawer_works_from_the_keyboard(browser: object, server: str,
                                                  scheme: str) -> None:
    context = browser.new_context(viewport=PHONE, color_scheme=scheme)  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        page.goto(server + CLAIM)
        menu = page.get_by_role("button", name="Navigation menu")
        assert menu.get_attribute("aria-expanded") == "false"
        tab_to(page, menu, 5, "the navigation menu button")
        page.keyboard.press("Enter")
        assert menu.get_attribute("aria-expanded") == "true"
        drawer = page.locator(".md-sidebar--primary")
        page.wait_for_function("() => document.querySelector('.md-sidebar--primary')"
                               ".contains(document.activeElement)")
        problems = focus_problems(page, 40, inside=".md-sidebar--primary")
        assert not problems, "\n".join(problems)
        menu.focus()
        page.keyboard.press("Enter")
        page.wait_for_function("() => document.querySelector('.md-sidebar--primary')"
                               ".contains(document.activeElement)")
        page.get_by_role("navigation", name="Navigation").locator(  # the About section
            "label.md-nav__link").first.focus()
        page.keyboard.press("Enter")
        section = drawer.get_by_role("link", name="Methodology")
        section.wait_for(state="visible")
        page.wait_for_function("() => document.activeElement.closest('.md-nav__item--nested')")
        assert focus_problems(page, 1) == [], "focus follows into the section"
        page.keyboard.press("Escape")
        assert not section.is_visible(), "Escape leaves the section first"
        assert drawer.is_visible()
        page.keyboard.press("Escape")
        assert menu.evaluate("b => b === document.activeElement"), "focus goes back"
        assert menu.get_attribute("aria-expanded") == "false"
        page.wait_for_function("() => getComputedStyle(document.querySelector("
                               "'.md-sidebar--primary')).visibility === 'hidden'")
    finally:
        context.close()


def test_the_colour_scheme_switch_is_one_named_button(browser: object, server: str) -> None:
    context = browser.new_context(viewport=DESKTOP, color_scheme="light")  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        page.goto(server + CLAIM)
        assert page.get_by_role("radio").count() == 0, "Material's radios are hidden from AT"
        body = page.locator("body")
        page.get_by_role("button", name="Switch to dark mode").focus()
        page.keyboard.press("Enter")
        assert body.get_attribute("data-md-color-scheme") == "slate"
        switch = page.get_by_role("button", name="Switch to light mode")
        assert switch.evaluate("b => b === document.activeElement"), "focus stays on the switch"
        page.keyboard.press("Space")
        assert body.get_attribute("data-md-color-scheme") == "default"
        page.reload()
        assert body.get_attribute("data-md-color-scheme") == "default"
    finally:
        context.close()
