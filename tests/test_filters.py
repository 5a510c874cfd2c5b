"""Index filters (theme/assets/factsite.js) in real headless Chromium: state in the
address (shareable, right after Back and reload), the sort order too, reset, empty state,
readable options in scale order, election and tactic filters labelled by what they mean,
keyboard use, and honest text without JavaScript."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from browser_harness import DESKTOP, PHONE, ROOT
from bs4 import BeautifulSoup
from conftest import make_project

from generator.pipeline import build_graph
from generator.render import render_pages

pytestmark = pytest.mark.browser

FILTERS_JS = ROOT / "theme" / "assets" / "factsite.js"
ROWS = "table.fs-filterable tbody tr:visible"


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


def dates(page: object) -> list[str]:
    """The visible rows' dates (the statements index's third column), as sortable keys."""
    return page.locator(ROWS + " td:nth-child(3)").evaluate_all(  # type: ignore[attr-defined]
        "cells => cells.map(c => c.getAttribute('data-sort'))")


def test_sort_order_is_in_the_address_and_survives_back_and_reload(page: object,
                                                                   server: str) -> None:
    page.goto(server + "statements/")  # type: ignore[attr-defined]
    generated = dates(page)
    date = page.get_by_role("button", name="Date")  # type: ignore[attr-defined]
    date.click()
    assert query(page) == {"sort": ["date"], "order": ["ascending"]}
    assert dates(page) == sorted(generated) != generated
    date.click()
    assert query(page) == {"sort": ["date"], "order": ["descending"]}
    descending = dates(page)
    assert descending == sorted(generated, reverse=True)
    page.get_by_label("Form").select_option("quote")  # type: ignore[attr-defined]
    assert query(page) == {"form": ["quote"], "sort": ["date"], "order": ["descending"]}
    page.get_by_role("button", name="Reset filters").click()  # type: ignore[attr-defined]
    assert query(page) == {"sort": ["date"], "order": ["descending"]}, "reset keeps the sort"
    page.locator(ROWS).first.locator("a").first.click()  # type: ignore[attr-defined]
    page.wait_for_url("**/statements/*/")  # type: ignore[attr-defined]
    for step in (page.go_back, page.reload):  # type: ignore[attr-defined]
        step()
        assert dates(page) == descending, step
        header = page.locator("th", has=page.get_by_role("button", name="Date"))  # type: ignore[attr-defined]
        assert header.get_attribute("aria-sort") == "descending", step


def test_a_sorted_address_can_be_shared(page: object, server: str) -> None:
    page.goto(server + "statements/")  # type: ignore[attr-defined]
    generated = dates(page)
    page.goto(server + "statements/?sort=date&order=ascending")  # type: ignore[attr-defined]
    assert dates(page) == sorted(generated)
    page.goto(server + "claims/?sort=rating&order=descending")  # type: ignore[attr-defined]
    rating = page.locator("th", has=page.get_by_role("button", name="Rating"))  # type: ignore[attr-defined]
    assert rating.get_attribute("aria-sort") == "descending"
    page.goto(server + "statements/?sort=no-such-column")  # type: ignore[attr-defined]
    assert dates(page) == generated
    assert page.locator("th[aria-sort]").count() == 0  # type: ignore[attr-defined]


UNNAMED_ELECTION = """\
name: Unnamed 2020 election in Europe
region: Europe
identified: false
date: 2020
type: unknown
"""


def test_the_election_filter_says_country_or_region(tmp_path: Path) -> None:
    """A region is not a country: the elections index's column and filter say what the
    value is ("Country or region"), and the statements' and claims' filter says the
    country is the one they concern."""
    root = make_project(tmp_path / "project")
    (root / "content" / "elections" / "unnamed-europe-2020.yaml").write_text(
        UNNAMED_ELECTION, encoding="utf-8")
    result = build_graph(root)
    assert result.ok(), [d.format() for d in result.errors]
    pages = {page.path: page.markdown for page in render_pages(result.graph)}
    table = BeautifulSoup(pages["elections/index.md"], "lxml").select_one("table.fs-filterable")
    labels = {key: label for key, label, *_ in json.loads(table["data-filters"])}
    assert "Country" not in labels.values() and labels["where"] == "Country or region"
    assert [th.get_text() for th in table.select("thead th")][1] == "Country or region"
    europe = next(tr for tr in table.select("tbody tr") if "Europe" in tr.get_text())
    assert json.loads(europe["data-f-where"]) == ["Europe"]
    for index in ("statements/index.md", "claims/index.md"):
        table = BeautifulSoup(pages[index], "lxml").select_one("table.fs-filterable")
        labels = {key: label for key, label, *_ in json.loads(table["data-filters"])}
        assert labels["country"] == "Country concerned"


def test_an_index_with_no_records_says_so(tmp_path: Path) -> None:
    """No table, no filters and no "no explainers match these filters" when there are none
    at all (the 1,000-record synthetic tree has no explainers: its index said that)."""
    root = make_project(tmp_path / "project")
    (root / "content" / "explainers" / "borduria-campaign.md").unlink()
    result = build_graph(root)
    assert result.ok(), [d.format() for d in result.errors]
    pages = {page.path: page.markdown for page in render_pages(result.graph)}
    index = BeautifulSoup(pages["explainers/index.md"], "lxml")
    assert index.select_one(".fs-index-empty").get_text() == "No explainers yet."
    assert index.select("table") == []


def test_the_hint_mentions_filters_only_when_there_are_some(page: object) -> None:
    html = synthetic_table([["year", "Year"]], {}, [{"year": [""]}, {"year": [""]}])
    page.set_content(html)  # type: ignore[attr-defined]
    page.add_script_tag(path=str(FILTERS_JS))  # type: ignore[attr-defined]
    assert page.locator(".fs-hint").inner_text() == "Choose a column heading to sort the table."  # type: ignore[attr-defined]
    assert page.locator("select").count() == 0  # type: ignore[attr-defined]


def test_numbered_titles_sort_as_numbers(tmp_path: Path, page: object) -> None:
    """"Tactic 2" comes before "Tactic 10" in the generated index and when the reader
    sorts by name (the 1,000-record tree's tactics index listed 1, 10, 11, … 2)."""
    root = make_project(tmp_path / "project")
    for number in (10, 2, 1):
        (root / "content" / "tactics" / f"tactic-{number}.yaml").write_text(
            f"name: Tactic {number}\nsummary: A numbered tactic.\n"
            "category: information-manipulation\n", encoding="utf-8")
    result = build_graph(root)
    assert result.ok(), [d.format() for d in result.errors]
    index = next(p.markdown for p in render_pages(result.graph) if p.path == "tactics/index.md")
    table = BeautifulSoup(index, "lxml").select_one("table.fs-filterable")
    names = [tr.td.get_text(strip=True) for tr in table.select("tbody tr")]
    numbered = [name for name in names if name.startswith("Tactic ")]
    assert numbered == ["Tactic 1", "Tactic 2", "Tactic 10"]
    page.set_content(f"<main>{table}</main>")  # type: ignore[attr-defined]
    page.add_script_tag(path=str(FILTERS_JS))  # type: ignore[attr-defined]
    name = table.select_one("thead th").get_text(strip=True)
    page.get_by_role("button", name=name).click()  # type: ignore[attr-defined]
    shown = page.locator(ROWS + " td:first-child").all_inner_texts()  # type: ignore[attr-defined]
    assert [text for text in shown if text.startswith("Tactic ")] == numbered
