"""Index filters (theme/assets/factsite.js) in real headless Chromium: state in the
address (shareable, right after Back and reload), reset, empty state, readable options in
scale order, election and tactic filters, keyboard use, and honest text without JavaScript."""

from __future__ import annotations

import json
from collections.abc import Iterator
from html import escape
from urllib.parse import parse_qs, urlsplit

import pytest
from browser_harness import DESKTOP, PHONE, ROOT, chromium, serve
from conftest import BuiltSite

pytestmark = pytest.mark.browser

FILTERS_JS = ROOT / "theme" / "assets" / "factsite.js"
ROWS = "table.fs-filterable tbody tr:visible"


@pytest.fixture(scope="module")
def server(built_site: BuiltSite) -> Iterator[str]:
    with serve(built_site.site) as address:
        yield address


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chromium() as browser:
        yield browser


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport=DESKTOP)  # type: ignore[attr-defined]
    try:
        yield context.new_page()
    finally:
        context.close()


def query(page: object) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)  # type: ignore[attr-defined]


def test_filter_state_is_in_the_address_and_survives_back_forward_and_reload(
        page: object, server: str) -> None:
    page.goto(server + "statements/")  # type: ignore[attr-defined]
    page.get_by_label("Speaker").select_option("Anna Weiss")  # type: ignore[attr-defined]
    assert query(page) == {"speaker": ["Anna Weiss"]}
    page.locator(ROWS).first.locator("a").first.click()  # type: ignore[attr-defined]
    page.wait_for_url("**/statements/weiss-fake-accounts/")  # type: ignore[attr-defined]
    for step in (page.go_back, page.reload, page.go_forward, page.go_back):  # type: ignore[attr-defined]
        step()
        if "weiss-fake-accounts" in page.url:  # type: ignore[attr-defined]
            continue
        assert page.get_by_label("Speaker").input_value() == "Anna Weiss", step  # type: ignore[attr-defined]
        assert page.locator(ROWS).count() == 1, step  # type: ignore[attr-defined]
        assert page.locator(".fs-status").inner_text() == "Showing 1 of 3", step  # type: ignore[attr-defined]


def test_a_filtered_address_can_be_shared(page: object, server: str) -> None:
    page.goto(server + "statements/?speaker=Anna+Weiss&form=quote")  # type: ignore[attr-defined]
    assert page.get_by_label("Speaker").input_value() == "Anna Weiss"  # type: ignore[attr-defined]
    assert page.get_by_label("Form").input_value() == "quote"  # type: ignore[attr-defined]
    assert page.locator(ROWS).count() == 1  # type: ignore[attr-defined]
    page.goto(server + "statements/?speaker=Nobody+we+know")  # type: ignore[attr-defined]
    assert page.get_by_label("Speaker").input_value() == ""  # type: ignore[attr-defined]
    assert page.locator(ROWS).count() == 3  # type: ignore[attr-defined]


def test_reset_and_the_empty_state(page: object, server: str) -> None:
    page.goto(server + "statements/")  # type: ignore[attr-defined]
    reset = page.get_by_role("button", name="Reset filters")  # type: ignore[attr-defined]
    assert reset.is_disabled()
    empty = page.locator(".fs-empty")  # type: ignore[attr-defined]
    assert not empty.is_visible()
    page.get_by_label("Speaker").select_option("Anna Weiss")  # type: ignore[attr-defined]
    page.get_by_label("Form").select_option("paraphrase")  # type: ignore[attr-defined]
    assert page.locator(ROWS).count() == 0  # type: ignore[attr-defined]
    assert empty.is_visible()
    assert empty.inner_text() == "No statements match these filters."
    reset.click()
    assert not empty.is_visible()
    assert page.locator(ROWS).count() == 3  # type: ignore[attr-defined]
    assert query(page) == {}
    assert page.get_by_label("Speaker").input_value() == ""  # type: ignore[attr-defined]


@pytest.mark.parametrize("index", ["statements/", "claims/"])
def test_election_and_tactic_filters(page: object, server: str, index: str) -> None:
    page.goto(server + index)  # type: ignore[attr-defined]
    election = page.get_by_role("combobox", name="Election")  # type: ignore[attr-defined]
    names = election.locator("option").all_inner_texts()
    assert names == ["All", "2022 Ruritanian general election"]
    election.select_option(label="2022 Ruritanian general election")
    expected = 2 if index == "statements/" else 1
    assert page.locator(ROWS).count() == expected  # type: ignore[attr-defined]
    if index == "statements/":
        page.get_by_role("combobox", name="Tactic").select_option(label="Fake accounts")  # type: ignore[attr-defined]
        assert "fake accounts" in page.locator(ROWS).inner_text()  # type: ignore[attr-defined]


def test_filters_work_from_the_keyboard(page: object, server: str) -> None:
    page.goto(server + "statements/")  # type: ignore[attr-defined]
    speaker = page.get_by_role("combobox", name="Speaker")  # type: ignore[attr-defined]
    speaker.focus()
    page.keyboard.press("ArrowDown")  # type: ignore[attr-defined]
    assert speaker.input_value() != ""
    assert page.locator(ROWS).count() == 1  # type: ignore[attr-defined]
    page.get_by_role("button", name="Reset filters").focus()  # type: ignore[attr-defined]
    page.keyboard.press("Enter")  # type: ignore[attr-defined]
    assert page.locator(ROWS).count() == 3  # type: ignore[attr-defined]
    assert page.evaluate("document.activeElement.name") == "speaker"  # type: ignore[attr-defined]


def synthetic_table(filters: list[list[object]], labels: dict[str, dict[str, str]],
                    rows: list[dict[str, list[str]]]) -> str:
    def attrs(row: dict[str, list[str]]) -> str:
        return "".join(f' data-f-{key}="{escape(json.dumps(v))}"' for key, v in row.items())
    body = "".join(f"<tr{attrs(row)}><td>{i}</td></tr>" for i, row in enumerate(rows))
    return (f'<main><div class="fs-table-wrap"><table class="fs-filterable" '
            f'data-filters="{escape(json.dumps(filters))}" '
            f'data-labels="{escape(json.dumps(labels))}"><caption>Fact-checks</caption>'
            f"<thead><tr><th>Claim</th></tr></thead><tbody>{body}</tbody></table></div></main>")


def test_options_are_readable_words_in_scale_order(page: object) -> None:
    scale = ["False", "Mostly false", "Misleading", "Unproven", "True"]
    html = synthetic_table(
        [["rating", "Rating", scale], ["form", "Form"], ["type", "Type"], ["year", "Year"]],
        {"form": {"quote": "Verbatim"}},
        [{"rating": ["True"], "form": ["quote"], "type": ["presidential"], "year": ["2021"]},
         {"rating": ["False"], "form": ["paraphrase"], "type": ["local-council"], "year": ["2023"]},
         {"rating": ["Misleading"], "form": ["quote"], "type": ["presidential"], "year": ["2022"]}])
    page.set_content(html)  # type: ignore[attr-defined]
    page.add_script_tag(path=str(FILTERS_JS))  # type: ignore[attr-defined]

    def options(name: str) -> list[str]:
        return page.get_by_label(name).locator("option").all_inner_texts()  # type: ignore[attr-defined]

    assert options("Rating") == ["All", "False", "Misleading", "True"]
    assert options("Form") == ["All", "Paraphrase", "Verbatim"]
    assert options("Type") == ["All", "Local council", "Presidential"]
    assert options("Year") == ["All", "2023", "2022", "2021"]
    page.get_by_label("Rating").select_option("False")  # type: ignore[attr-defined]
    page.get_by_label("Form").select_option("quote")  # type: ignore[attr-defined]
    assert page.locator(".fs-empty").inner_text() == "No fact-checks match these filters."  # type: ignore[attr-defined]


def test_without_javascript_the_text_promises_no_filters(browser: object, server: str) -> None:
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        for index in ("claims/", "statements/", "sources/"):
            page.goto(server + index)
            text = page.locator("article").inner_text().lower()
            assert "filter" not in text and "sort" not in text, index
            assert page.locator("table.fs-filterable tbody tr").count() > 0, index
    finally:
        context.close()


def test_with_javascript_the_filters_explain_themselves(page: object, server: str) -> None:
    page.goto(server + "claims/")  # type: ignore[attr-defined]
    assert "narrow the table" in page.locator(".fs-hint").inner_text()  # type: ignore[attr-defined]
    assert page.get_by_role("search", name="Filter the table").is_visible()  # type: ignore[attr-defined]


def test_on_phones_the_filters_fold_away_unless_in_use(browser: object, server: str) -> None:
    context = browser.new_context(viewport=PHONE)  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        page.goto(server + "statements/")
        box = page.locator("details.fs-filter-box")
        assert box.get_attribute("open") is None
        assert not page.get_by_label("Speaker").is_visible()
        assert page.locator("table.fs-filterable").is_visible()
        box.locator("summary").click()
        page.get_by_label("Speaker").select_option("Anna Weiss")
        assert box.locator("summary").inner_text() == "Filters (1 in use)"
        page.reload()
        assert box.get_attribute("open") is not None
        assert page.get_by_label("Speaker").input_value() == "Anna Weiss"
    finally:
        context.close()
