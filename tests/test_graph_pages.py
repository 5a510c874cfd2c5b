"""The pages of the content graph, built for real and parsed (issue 15, "Statements and the
graph"): actors grouped by role, each statement listed once, DISARM techniques named and
linked, a tactic's examples table, the matrix of counts and the labelled timeline."""

from __future__ import annotations

import random
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_harness import DESKTOP, PHONE, chromium, new_page, require, serve, tab_to
from bs4 import BeautifulSoup, Tag
from conftest import BuiltSite, build_project, make_project

from generator.pipeline import build_graph
from generator.render import render_pages
from generator.render.roles import DISARM_TECHNIQUE_URL

DISARM_NAME = "Establish Inauthentic News Sites (as the fixture names it)"
EXTRA_STATEMENT = """\
speaker: electoral-commission
date: 2022-12
form: paraphrase
text: The commission found fake accounts in the count's final week.
context: Separate from the [[tactics/fake-news-sites]] it counted before.
about:
  elections: [ruritania-general-2022]
  tactics: [fake-accounts]
  actors: [borduria]
citations:
  - source: commission-count
    quote: at least 3 websites posing as local news outlets
"""


@pytest.fixture(scope="module")
def site() -> Iterator[BuiltSite]:
    """The basic fixture with a DISARM name in a tactic's description and one more
    statement (by the commission, about Borduria, naming a second tactic in passing)."""
    folder = Path(tempfile.mkdtemp(prefix="factsite-graph-"))
    try:
        root = make_project(folder / "project")
        tactic = root / "content" / "tactics" / "fake-news-sites.yaml"
        tactic.write_text(tactic.read_text() + "description: >-\n  Mapped to the DISARM "
                          f'technique T0098 "{DISARM_NAME}".\n', encoding="utf-8")
        (root / "content" / "statements" / "commission-fake-accounts.yaml").write_text(
            EXTRA_STATEMENT, encoding="utf-8")
        yield build_project(root)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def article(site: BuiltSite, url: str) -> Tag:
    found = site.html(url).select_one("article")
    assert found is not None
    return found


def section_list(page: Tag, heading: str, level: str = "h3") -> Tag:
    """The list that follows a heading of the page."""
    found = next(h for h in page.find_all(level) if h.get_text().strip("¶ ") == heading)
    listing = found.find_next("ul")
    assert isinstance(listing, Tag)
    return listing


def names(listing: Tag) -> list[str]:
    """Each entry's subject: its link's text, or its text before the markers."""
    out = []
    for item in listing.find_all("li", recursive=False):
        link = item.find("a")
        via = item.select_one(".fs-via")
        out.append(link.get_text() if link is not None and link is not via.find("a")
                   else item.get_text().split("—")[0].strip())
    return out


def marker_targets(listing: Tag, subject: str) -> list[str]:
    item = next(li for li in listing.find_all("li", recursive=False) if subject in li.get_text())
    return [a["href"] for a in item.select(".fs-via a")]


@pytest.mark.parametrize("url", ["elections/ruritania-general-2022/", "tactics/fake-accounts/"])
def test_actors_are_grouped_by_role(site: BuiltSite, url: str) -> None:
    """The speaker, the accused and the publisher are in separate lists (reader audit S1-3:
    not one flat "Actors" list), each pointing to the numbered statements."""
    page = article(site, url)
    said = names(section_list(page, "Who said it"))
    about = names(section_list(page, "Who it is about"))
    reported = names(section_list(page, "Who reported it"))
    assert "Anna Weiss" in said and "Ruritanian Electoral Commission" in said
    assert about == ["Borduria"], "the accused only, never a speaker"
    assert "Borduria" not in said
    assert "Example Wire" in reported
    for target in marker_targets(section_list(page, "Who it is about"), "Borduria"):
        assert target.startswith("#said-") and page.select_one(target) is not None


def test_actor_page_shows_its_own_role_in_each_statement(site: BuiltSite) -> None:
    page = article(site, "actors/borduria/")
    denial = next(li for li in page.select("ol.fs-said > li")
                  if li.find("a", href=re.compile("statements/borduria-denial/")))
    roles = {dt.get_text(): dt.find_next_sibling("dd") for dt in denial.select("dl.fs-roles dt")}
    assert roles["Said by"].get_text(" ", strip=True) == (
        "Bordurian foreign ministry on behalf of Borduria")
    assert roles["Said by"].find("strong").get_text() == "Borduria", "itself, unlinked"
    assert names(section_list(page, "Who said it")) == [
        "Anna Weiss", "Bordurian foreign ministry", "Ruritanian Electoral Commission"]


@pytest.mark.parametrize("url", ["elections/ruritania-general-2022/", "tactics/fake-accounts/",
                                 "actors/borduria/"])
def test_each_statement_is_linked_once(site: BuiltSite, url: str) -> None:
    """A statement's link appears once on the page; every other list points to its number
    (S2-5: no repeated truncated link text), and no jargon like "(about)" is left."""
    page = article(site, url)
    links = [a["href"] for a in page.select("a[href*='statements/'], a[href*='claims/']")]
    assert links and len(links) == len(set(links)), links
    text = page.get_text(" ")
    for jargon in ("(about)", "(cited)", "(speaker)", "according to Statement"):
        assert jargon not in text


def test_source_page_says_how_it_is_cited_in_words(site: BuiltSite) -> None:
    text = article(site, "sources/example-report/").get_text(" ")
    assert "cites it as a source" in text and "(cited)" not in text


def test_tactic_page_names_and_links_its_disarm_techniques(site: BuiltSite) -> None:
    page = article(site, "tactics/fake-news-sites/")
    dd = next(dt for dt in page.select("dl.fs-facts dt")
              if dt.get_text() == "DISARM techniques").find_next_sibling("dd")
    link = dd.find("a")
    assert link["href"] == DISARM_TECHNIQUE_URL.format(id="T0098")
    assert link.get_text() == "T0098"
    assert DISARM_NAME in dd.get_text(), "the name the tactic's description gives"
    plain = article(site, "tactics/fake-accounts/")
    dd = next(dt for dt in plain.select("dl.fs-facts dt")
              if dt.get_text() == "DISARM techniques").find_next_sibling("dd")
    assert dd.get_text() == "T0143.002", "no description names it: the id alone"


def test_tactic_page_has_an_examples_table(site: BuiltSite) -> None:
    page = article(site, "tactics/fake-accounts/")
    table = page.select_one("table.fs-examples")
    headers = [th.get_text() for th in table.select("thead th")]
    assert headers == ["#", "Statement or fact-check", "Date", "Election", "About (actors)"]
    rows = {tr.select("td")[1].find("a")["href"].split("/")[-2]: tr
            for tr in table.select("tbody tr")}
    assert set(rows) == {"weiss-fake-accounts", "commission-fake-accounts"}
    row = rows["weiss-fake-accounts"].select("td")
    assert "said by Anna Weiss" in row[1].get_text()
    assert row[2].find("time")["datetime"] == "2022-11-14"
    assert row[3].find("a")["href"].endswith("elections/ruritania-general-2022/")
    assert row[4].find("a").get_text() == "Borduria"
    newest = table.select("tbody tr")[0]
    assert newest.select_one("time")["datetime"] == "2022-12", "newest first"


def test_tactic_page_keeps_mentions_in_passing_apart(site: BuiltSite) -> None:
    page = article(site, "tactics/fake-news-sites/")
    passing = section_list(page, "Mentioned in passing", "h2").find_previous("p")
    assert passing is not None
    said = page.select("ol.fs-said > li")
    assert len(said) == 1 and "only in passing" in said[0].get_text()
    rows = page.select("table.fs-examples tbody tr")
    assert [r.select("td")[1].find("a")["href"].split("/")[-2] for r in rows] == [
        "commission-fake-sites"]


def test_matrix_is_a_grid_of_linked_counts(site: BuiltSite) -> None:
    page = article(site, "matrix/")
    table = page.select_one("table.fs-matrix")
    columns = [th.get_text(strip=True) for th in table.select("thead th")][1:]
    assert columns == ["Fake accounts", "Fake local news sites"], "every tactic a column"
    cells = {}
    for row in table.select("tbody tr"):
        election = row.select_one("th[scope=row] a")["href"]
        for column, cell in zip(columns, row.select("td"), strict=True):
            cells[(election, column)] = cell
    fake = cells[("../elections/ruritania-general-2022/", "Fake accounts")]
    assert fake["data-count"] == fake.get_text() == "2"
    assert "fs-heat--2" in fake["class"], "2 is in the legend's 2–4 shade"
    legend = [li.get_text() for li in page.select(".fs-heat-legend li")]
    assert legend == ["1", "2–4", "5–9", "10 or more"]
    href = fake.find("a")["href"]
    assert href == "../elections/ruritania-general-2022/#tactic-fake-accounts"
    election = site.html("elections/ruritania-general-2022/")
    entry = election.select_one("#tactic-fake-accounts")
    statements = [election.select_one(a["href"]).find("a")["href"]
                  for a in entry.select(".fs-via a")]
    assert sorted(s.split("/")[-2] for s in statements) == [
        "commission-fake-accounts", "weiss-fake-accounts"], "the cell's statements"


def test_timeline_says_what_its_dates_are(site: BuiltSite) -> None:
    page = article(site, "timeline/")
    assert page.find("h1").get_text().strip("¶ ") == "Timeline of statements and fact-checks"
    assert "does not date the interference itself" in page.get_text(" ")
    assert page.select("ol") == [], "not a numbered list"
    years = [h.get_text().strip("¶ ") for h in page.find_all("h2")]
    assert years == sorted(years) and years
    items = page.select("ul.fs-timeline > li")
    assert items and all(li.find("time", datetime=True) for li in items)
    labels = {li.select_one(".fs-tag").get_text() for li in items}
    assert labels == {"Election held", "Statement made", "Claim made (fact-checked)"}


def test_soup_helpers_see_what_they_should() -> None:
    """The helpers above read a list the way the tests need (a helper that finds nothing
    would let the role tests pass on an empty page)."""
    listing = BeautifulSoup('<ul><li><a href="/a">A</a> <span class="fs-via">— <a href="#said-1">'
                            '[1]</a></span></li><li>Pub <span class="fs-via">— <a href="#said-2">'
                            "[2]</a></span></li></ul>", "lxml").find("ul")
    assert names(listing) == ["A", "Pub"]
    assert marker_targets(listing, "Pub") == ["#said-2"]


# -- The matrix at scale: every election a row, pages of bounded size, usable on a phone --------

MATRIX_CAPTION = "Statements and fact-checks by election and tactic"


def add_matrix_content(root: Path, elections: int, tactics: int, seed: int = 7) -> int:
    """``elections`` more elections and ``tactics`` more tactics in the project at ``root``,
    with statements linking them (a few of them often, for every shade); returns how many
    (election, tactic) attributions the statements add."""
    rng = random.Random(seed)
    content = root / "content"
    for i in range(elections):
        (content / "elections" / f"e{i:03}.yaml").write_text(
            f"name: Election number {i:03}\ncountry: RO\ndate: {1990 + i % 30}-0{1 + i % 9}\n"
            "type: general\n", encoding="utf-8")
    for j in range(tactics):
        (content / "tactics" / f"t{j:03}.yaml").write_text(
            f"name: Tactic number {j}\nsummary: One of many.\n"
            "category: information-manipulation\n", encoding="utf-8")
    pairs = 0
    for n in range(2 * elections):
        hot = n % 4 == 0  # a quarter of them name the same few, so counts reach 10 and more
        about_e = rng.sample(range(min(elections, 8) if hot else elections), 2)
        about_t = rng.sample(range(min(tactics, 6) if hot else tactics), 3)
        pairs += len(about_e) * len(about_t)
        (content / "statements" / f"s{n:03}.yaml").write_text(
            f"speaker: anna-weiss\ndate: 2022\nform: paraphrase\ntext: Statement {n}.\n"
            f"about:\n  elections: [{', '.join(f'e{i:03}' for i in about_e)}]\n"
            f"  tactics: [{', '.join(f't{j:03}' for j in about_t)}]\n"
            "citations:\n  - source: example-report\n", encoding="utf-8")
    return pairs


def matrix_names(soup: BeautifulSoup, kind: str) -> list[str]:
    """The elections or tactics a matrix page names as linked to nothing yet."""
    return [a.get_text() for a in soup.select(
        f"ul.fs-matrix-unlinked[aria-labelledby=matrix-unlinked-{kind}] a")]


def test_matrix_shows_every_election_and_tactic_on_pages_of_bounded_size(tmp_path: Path
                                                                        ) -> None:
    """Past 100 elections or 60 tactics the matrix is cut into blocks of linked elections and
    tactics, a page for each block with a count: no election or tactic is left out (the
    first page names those nothing links yet), no page grows with the content, and each
    page's navigation is previous, next and the first page, which lists every page."""
    root = make_project(tmp_path / "project")
    pairs = add_matrix_content(root, elections=229, tactics=68)  # 230 and 70 with the fixture
    result = build_graph(root)
    assert result.ok(), [d.format() for d in result.errors]
    pages = {page.path: page for page in render_pages(result.graph) if page.kind == "matrix"}
    paths = ["matrix.md", *(f"matrix/page-{n}.md" for n in range(2, len(pages) + 1))]
    assert sorted(pages) == sorted(paths) and 2 <= len(pages) <= 6
    rows: dict[str, list[str]] = {}
    columns: dict[str, list[str]] = {}
    counted = 0
    for number, path in enumerate(paths, 1):
        soup = BeautifulSoup(pages[path].markdown, "lxml")
        table = soup.select_one("table.fs-matrix")
        rows[path] = [a.get_text() for a in table.select("tbody th[scope=row] a")]
        columns[path] = [a.get_text() for a in table.select("thead th a")]
        assert len(rows[path]) <= 100 and len(columns[path]) <= 60
        assert len(pages[path].markdown) < 1_500_000
        counted += sum(int(td["data-count"]) for td in table.select("td[data-count]"))
        assert all(tr.select("td[data-count]") for tr in table.select("tbody tr")), "no empty row"
        for nav in soup.select("nav.fs-matrix-pages"):
            links = {a.get("rel", ["first"])[0]: a["href"] for a in nav.select("a")}
            assert set(links) == {"prev", "next", "first"} - {
                "prev" if number == 1 else "", "next" if number == len(pages) else ""}
            assert links["first"] == ("" if number == 1 else "../../matrix/") + "#matrix-pages"
    first = BeautifulSoup(pages["matrix.md"].markdown, "lxml")
    index = first.select("nav#matrix-pages li a")
    assert len(index) == len(pages) and index[0]["aria-current"] == "page"
    unlinked_elections = matrix_names(first, "elections")
    unlinked_tactics = matrix_names(first, "tactics")
    shown_elections = {name for names in rows.values() for name in names}
    shown_tactics = {name for names in columns.values() for name in names}
    assert not shown_elections & set(unlinked_elections)
    assert len(shown_elections) + len(unlinked_elections) == 230, "every election, somewhere"
    assert not shown_tactics & set(unlinked_tactics)
    assert len(shown_tactics) + len(unlinked_tactics) == 70, "every tactic, somewhere"
    assert unlinked_elections, "some of 229 elections are in no statement (seed 7)"
    fixture_pairs = 2  # the fixture: one statement on fake accounts, one on fake news sites
    assert counted == pairs + fixture_pairs, "every attribution counted once"
    page_2 = BeautifulSoup(pages["matrix/page-2.md"].markdown, "lxml")
    assert "This page: elections 1–100 and tactics 61–" in page_2.get_text(" ")


def test_a_large_matrix_nothing_links_is_one_page_naming_everything(tmp_path: Path) -> None:
    """Many elections and tactics that no statement links (1 MB of tiny records): not
    thousands of pages of empty cells but one page, whose grid holds what is linked and
    which names every other election and tactic."""
    root = make_project(tmp_path / "project")
    for i in range(150):
        (root / "content" / "elections" / f"x{i}.yaml").write_text(
            "{name: E, country: RO, date: 2022, type: general}\n", encoding="utf-8")
        (root / "content" / "tactics" / f"x{i}.yaml").write_text(
            "{name: T, summary: S., category: malign-finance}\n", encoding="utf-8")
    result = build_graph(root)
    assert result.ok(), [d.format() for d in result.errors]
    pages = {page.path: page for page in render_pages(result.graph) if page.kind == "matrix"}
    assert list(pages) == ["matrix.md"]
    markdown = pages["matrix.md"].markdown
    soup = BeautifulSoup(markdown, "lxml")
    assert len(soup.select("table.fs-matrix tbody tr")) == 1  # the fixture's one election
    assert len(soup.select("table.fs-matrix thead th a")) == 2  # and its two tactics
    assert len(matrix_names(soup, "elections")) == len(matrix_names(soup, "tactics")) == 150
    assert [a["href"] for a in soup.select("nav.fs-matrix-pages a")] == ["#not-linked-yet"] * 2
    assert "## Not linked yet {#not-linked-yet}" in markdown
    assert "They fit this one page." in soup.get_text(" ")


def built_with_matrix(elections: int, tactics: int) -> Iterator[BuiltSite]:
    """The basic fixture with ``elections`` and ``tactics`` more, built for real."""
    folder = Path(tempfile.mkdtemp(prefix="factsite-matrix-"))
    try:
        root = make_project(folder / "project")
        add_matrix_content(root, elections=elections, tactics=tactics)
        yield build_project(root)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def paged_matrix() -> Iterator[BuiltSite]:
    """161 elections and 72 tactics in all: four pages."""
    yield from built_with_matrix(160, 70)


def test_a_paginated_matrix_links_resolve_in_a_built_site(paged_matrix: BuiltSite) -> None:
    """Built for real: every link of every matrix page (counts, names, previous, next, the
    list of pages) reaches a page of the site, and its #fragment an element of that page."""
    built = paged_matrix
    pages = sorted((built.site / "matrix").glob("**/index.html"))
    assert len(pages) >= 3 and (built.site / "matrix" / "index.html") in pages
    targets: dict[Path, set[str]] = {}
    for page in pages:
        body = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml").select_one("article")
        assert body is not None and body.select("nav.fs-matrix-pages a")
        for a in body.select("a[href]"):
            href = a["href"]
            if href.startswith(("http:", "https:", "mailto:")):
                continue
            address, _, fragment = href.partition("#")
            target = (page.parent / address).resolve() if address else page
            if target.is_dir():
                target = target / "index.html"
            assert target.is_file(), f"{page}: {href}"
            if fragment:
                if target not in targets:
                    html = BeautifulSoup(target.read_text(encoding="utf-8"), "lxml")
                    targets[target] = {str(tag["id"]) for tag in html.select("[id]")}
                assert fragment in targets[target], f"{page}: {href}"


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_paginated_matrix_pages_read_well(paged_matrix: BuiltSite, scheme: str,
                                          viewport: dict[str, int]) -> None:
    """Each page of a paginated matrix fits the screen (only the grid's own box scrolls),
    axe-core finds no WCAG 2.2 AA violation, and from the keyboard its "All pages" link
    leads to the list of pages on the first page."""
    from test_a11y import AXE, axe
    require(AXE, "axe-core")
    with (serve(paged_matrix.site) as server, chromium() as browser,
          new_page(browser, viewport=viewport, color_scheme=scheme) as page):
        for url in ("matrix/", "matrix/page-2/"):
            page.goto(server + url)
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
            assert axe(page) == [], url
        link = page.locator("nav.fs-matrix-pages a", has_text="All 4 pages").first
        tab_to(page, link, 120, "the All pages link")
        page.keyboard.press("Enter")
        page.wait_for_url("**/matrix/#matrix-pages")
        index = page.locator("nav#matrix-pages")
        assert index.locator("a").count() == 4 and index.is_visible()


@pytest.fixture(scope="module")
def big_matrix() -> Iterator[BuiltSite]:
    """100 elections and 60 tactics in all."""
    yield from built_with_matrix(99, 58)


def test_matrix_of_100_elections_by_60_tactics_is_one_page(big_matrix: BuiltSite) -> None:
    table = big_matrix.html("matrix/").select_one("table.fs-matrix")
    assert len(table.select("tbody tr")) == 100
    assert len(table.select("thead th")) == 61
    assert not (big_matrix.site / "matrix" / "page-2").exists()
    assert {td["class"][-1] for td in table.select("td[data-count]")} == {
        f"fs-heat--{level}" for level in range(1, 5)}, "every shade of the legend is used"


@pytest.mark.browser
def test_matrix_scrolls_in_its_own_focusable_region_on_a_phone(big_matrix: BuiltSite) -> None:
    """At 390 px the page itself does not scroll sideways: the grid scrolls in a labelled
    region reached with Tab and moved with the arrow keys, its election names and tactic
    names staying in view (sticky headers)."""
    with (serve(big_matrix.site) as server, chromium() as browser,
          new_page(browser, viewport=PHONE) as page):
        page.goto(server + "matrix/")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        region = page.get_by_role("region", name=MATRIX_CAPTION)
        tab_to(page, region, 80, "the matrix region")
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowDown")
        page.wait_for_function(
            "r => r.scrollLeft > 0 && r.scrollTop > 0", arg=region.element_handle())
        region.evaluate("r => { r.scrollLeft = 1200; r.scrollTop = 600; }")
        box = region.bounding_box()
        row_head = page.locator("table.fs-matrix tbody th[scope=row]").nth(40).bounding_box()
        column_head = page.locator("table.fs-matrix thead th").nth(30).bounding_box()
        assert abs(row_head["x"] - box["x"]) < 2, "election names stay at the left"
        assert abs(column_head["y"] - box["y"]) < 2, "tactic names stay at the top"
        assert box["width"] <= PHONE["width"] and box["height"] < PHONE["height"]


@pytest.mark.browser
def test_matrix_fits_a_desktop_page(big_matrix: BuiltSite) -> None:
    """At 1280 px the page does not scroll sideways either, and the counts stay legible."""
    with (serve(big_matrix.site) as server, chromium() as browser,
          new_page(browser, viewport=DESKTOP) as page):
        page.goto(server + "matrix/")
        assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
        size = page.locator("table.fs-matrix td[data-count] a").first.evaluate(
            "a => parseFloat(getComputedStyle(a).fontSize)")
        assert size >= 12


@pytest.mark.browser
def test_tactic_examples_are_cards_on_a_phone(site: BuiltSite) -> None:
    """At 390 px the examples table does not scroll sideways: each example is a card with
    its date, election and actors named (seen on the 1,000-record tree: five columns cut
    off at the election)."""
    with (serve(site.site) as server, chromium() as browser,
          new_page(browser, viewport=PHONE) as page):
        page.goto(server + "tactics/fake-accounts/")
        wrap = page.locator(".fs-table-wrap", has=page.locator("table.fs-examples"))
        assert wrap.evaluate("w => w.scrollWidth - w.clientWidth") <= 1
        election = page.locator("table.fs-examples tbody td[data-label=Election]").first
        assert election.evaluate(
            "td => getComputedStyle(td, '::before').content") == '"Election: "'
        box = election.bounding_box()
        assert box is not None and box["x"] + box["width"] <= PHONE["width"]
