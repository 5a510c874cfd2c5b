"""The reader-facing design of the pages (issue 15), checked on a real build: claims are
never stated as facts, the claim/verdict panel with the rating scale, statement bylines,
breadcrumbs, editor headings in the table of contents, and the home page."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import BuiltSite, build_project, make_project

CLAIM = "claims/borduria-denies-involvement/"
CLAIM_TEXT = "Borduria had no involvement in the 2022 Ruritanian election campaign"
CLAIMANT = "Bordurian foreign ministry"
FRAMED = f"Fact-check: {CLAIMANT}’s claim that “{CLAIM_TEXT}” is Unproven"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltSite]:
    """The basic fixture, its explainer given headings of its own, built with MkDocs."""
    root = make_project(tmp_path_factory.mktemp("design") / "project")
    explainer = root / "content" / "explainers" / "borduria-campaign.md"
    explainer.write_text(explainer.read_text(encoding="utf-8") + (
        "\n# In short\n\nThe accusation rests on one report.\n\n"
        "## What *Borduria* says\n\nIt denies it.\n"), encoding="utf-8")
    yield build_project(root)


def _text(node: object) -> str:
    return " ".join(node.get_text().split()) if node is not None else ""  # type: ignore[attr-defined]


def test_the_claim_is_framed_on_its_page(site: BuiltSite) -> None:
    page = site.html(CLAIM)
    assert _text(page.select_one("article h1")).removesuffix("¶") == FRAMED
    assert page.title.get_text().startswith(FRAMED)
    description = page.select_one('meta[name="description"]')["content"]
    assert description.startswith(f"{CLAIMANT} claimed “{CLAIM_TEXT}”. Our rating: Unproven.")
    search_title = page.select_one('[data-pagefind-meta="title"]')
    assert _text(search_title) == FRAMED, "search results show the fact-check, not the claim"


def test_the_claim_is_framed_in_the_feed_home_and_index(site: BuiltSite) -> None:
    feed = ET.parse(site.site / "feed.xml").getroot()
    atom = "{http://www.w3.org/2005/Atom}"
    titles = [entry.findtext(f"{atom}title") for entry in feed.iter(f"{atom}entry")]
    assert FRAMED in titles and f"{CLAIM_TEXT}." not in titles
    item = site.html("").select_one("ul.fs-latest li")
    assert f"{CLAIMANT} claimed “{CLAIM_TEXT}”" in _text(item)
    assert item.select_one(".fs-rating").get_text() == "Unproven"
    row = site.html("claims/").select_one("table.fs-table tbody tr")
    assert _text(row.select_one("td a")) == f"“{CLAIM_TEXT}”"
    assert _text(row.select_one(".fs-rating")) == "Unproven"
    for page in ("", "claims/", "statements/weiss-fake-accounts/", "timeline/"):
        links = site.html(page).select('article a[href*="claims/borduria-denies-involvement/"]')
        assert links and all(_text(a).startswith("“") for a in links), page


def test_the_panel_shows_claim_verdict_and_the_whole_scale(site: BuiltSite) -> None:
    page = site.html(CLAIM)
    claimed, verdict = page.select(".fs-claim-panel > section")
    assert _text(claimed.select_one(".fs-panel__label")) == "What was claimed"
    assert _text(claimed.select_one("blockquote")) == f"“{CLAIM_TEXT}.”", "as written"
    who = claimed.select_one(".fs-claim-who")
    assert [a["href"] for a in who.select("a")] == ["../../actors/borduria-foreign-ministry/",
                                                     "../../sources/example-report/"]
    assert "November 2022" in _text(who) and "Example Wire" in _text(who)
    assert _text(verdict.select_one(".fs-panel__label")) == "Our verdict"
    assert _text(verdict.select_one(".fs-verdict__rating")) == "Unproven"
    assert "cannot settle the question" in _text(verdict.select_one(".fs-verdict__text"))
    scale = yaml.safe_load((site.root / "content" / "site.yaml").read_text())["ratings"]
    steps = verdict.select(".fs-scale__step")
    assert [_text(step).removesuffix(" ← this claim") for step in steps] == [
        *(rating["label"] for rating in scale if rating.get("on_scale", True)),
        *(rating["label"] for rating in scale if not rating.get("on_scale", True))]
    assert [_text(step) for step in verdict.select(".fs-scale__apart .fs-scale__step")] == [
        "Unproven ← this claim"], "an off-scale rating is shown apart from the scale"
    marked = [step for step in steps if step.get("aria-current") == "true"]
    assert len(marked) == 1 and "this claim" in _text(marked[0])
    assert all(step.select_one(".fs-rating__icon") for step in steps), "a shape, not colour"
    assert verdict.select_one("a[href='../../methodology/#rating-scale']").get_text() == (
        "How we rate")


def test_updated_line_and_corrections_sit_at_the_top(site: BuiltSite) -> None:
    article = site.html(CLAIM).select_one("article")
    updated = article.select_one(".fs-dates .fs-updated")
    assert _text(updated) == "Updated 5 December 2022"
    notice = article.select_one("aside.fs-correction-notice")
    assert "Corrected 5 December 2022" in _text(notice.select_one("summary"))
    assert "Corrected the date of the election" in _text(notice)
    order = [element for element in article.find_all(True)
             if element is notice or "fs-claim-panel" in (element.get("class") or [])
             or element.get("id") == "analysis"]
    assert order[0] is notice and order[-1].get("id") == "analysis", "above the analysis"


def test_the_rating_css_gives_each_rating_a_shape(site: BuiltSite) -> None:
    css = (site.site / "assets" / "factsite-ratings.css").read_text()
    icons = re.findall(r'\.fs-rating--([\w-]+) \.fs-rating__icon::before \{ content: "([^"]+)"',
                       css)
    assert len(icons) == 4 and len({icon for _, icon in icons}) == 4


def test_statement_byline_tells_who_when_and_where(site: BuiltSite) -> None:
    page = site.html("statements/weiss-fake-accounts/")
    assert _text(page.select_one("article h1")).removesuffix("¶") == (
        "Statement by Anna Weiss, 14 November 2022")
    figure = page.select_one("figure.fs-statement")
    assert _text(figure.select_one(".fs-form")) == "Verbatim, as reported"
    byline = figure.select_one("figcaption.fs-byline")
    assert _text(byline) == ("Anna Weiss · 14 November 2022 · quoted in Example Wire, "
                             "14 November 2022, para. 2")
    assert [a["href"] for a in byline.select("a")] == ["../../actors/anna-weiss/",
                                                        "../../sources/example-report/"]
    words = "We saw thousands of fake accounts repeating the same lies"
    article = page.select_one("article")
    for hidden in article.select(".fs-search-meta"):
        hidden.decompose()
    assert _text(article).count(words) == 2, (
        "the words under the title, and the source's own sentence in the citation")


def test_a_paraphrase_of_a_reported_document_names_its_chain(site: BuiltSite) -> None:
    page = site.html("statements/commission-fake-sites/")
    figure = page.select_one("figure.fs-statement")
    assert "fs-statement--paraphrase" in figure["class"]
    assert _text(figure.select_one(".fs-form")) == "Paraphrase"
    assert figure.select_one("blockquote") is None, "a paraphrase is not shown as a quote"
    byline = _text(figure.select_one("figcaption"))
    assert "as reported in Example Wire" in byline and ", reporting " in byline
    forms = {_text(row.select("td")[-1]) for row in
             site.html("statements/").select("table.fs-table tbody tr")}
    assert forms <= {"Verbatim", "Verbatim, as reported", "Paraphrase"}


@pytest.mark.parametrize(("url", "section", "href"), [
    (CLAIM, "Fact-checks", "../../claims/"),
    ("statements/weiss-fake-accounts/", "Statements", "../../statements/"),
    ("sources/example-report/", "Sources", "../../sources/"),
    ("methodology/", "About", "../about/"),
])
def test_record_pages_have_breadcrumbs(site: BuiltSite, url: str, section: str,
                                       href: str) -> None:
    trail = site.html(url).select_one("nav.fs-breadcrumbs[aria-label='Breadcrumb']")
    items = trail.select("li")
    assert _text(items[0]) == "Home" and _text(items[1]) == section
    assert items[1].select_one("a")["href"] == href == trail["data-fs-section"]
    assert items[-1].select_one("[aria-current='page']") is not None


def test_editor_headings_have_anchors_and_toc_entries(site: BuiltSite) -> None:
    page = site.html("explainers/borduria-campaign/")
    headings = {h.get("id"): _text(h).removesuffix("¶")
                for h in page.select("article h2, article h3")}
    assert headings["in-short"] == "In short"
    assert headings["what-borduria-says"] == "What Borduria says"
    toc = [a["href"] for a in page.select("nav.md-nav--secondary a")]
    assert toc[:2] == ["#in-short", "#what-borduria-says"]
    assert "It denies it." in _text(page.select_one("#what-borduria-says ~ .fs-prose"))


def test_home_introduces_the_site_once(site: BuiltSite) -> None:
    home = site.html("")
    article = home.select_one("article")
    site_name = yaml.safe_load((site.root / "content" / "site.yaml").read_text())["title"]
    assert site_name not in _text(article.select_one("h1"))
    assert [_text(h).removesuffix("¶") for h in article.select("h2")] == [
        "How we rate", "Latest fact-checks", "Featured explainer", "Explore"]
    assert [_text(li) for li in article.select("ol.fs-scale li")] == [
        "False", "Misleading", "True"]  # Unproven is off the scale (site.yaml: on_scale)
    counts = [_text(li) for li in article.select("ul.fs-counts li")]
    assert "1 explainer" in counts and "1 fact-check" in counts and "3 statements" in counts
    assert not any(re.match(r"1 \w+s$", count) for count in counts)
    assert _text(site.html("explainers/").select_one("article p")).startswith("1 explainer,")


def test_sanitised_pages_keep_the_landmarks(site: BuiltSite) -> None:
    """The page sanitiser lets the breadcrumb ``nav`` and the corrections ``aside`` through."""
    html = (site.site / CLAIM / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "lxml")
    assert soup.select_one("article nav.fs-breadcrumbs") is not None
    assert soup.select_one("article aside.fs-correction-notice") is not None


def test_the_section_tab_is_active_on_record_pages(site: BuiltSite) -> None:
    """In a real browser: the tab of the page's section is marked active."""
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--no-sandbox", "--disable-gpu",
                                          "--disable-dev-shm-usage"])
        page = browser.new_page()
        for url, tab in ((CLAIM, "Fact-checks"), ("statements/weiss-fake-accounts/",
                                                   "Statements")):
            page.goto((site.site / url / "index.html").as_uri())
            page.wait_for_selector(".md-tabs__item--active")
            assert page.inner_text(".md-tabs__item--active").strip() == tab
        browser.close()


def test_a_headline_replaces_the_generated_one(tmp_path: Path) -> None:
    from generator.build import build_site
    from generator.site import SiteOptions

    root = make_project(tmp_path / "project")
    claim = root / "content" / "claims" / "borduria-denies-involvement.yaml"
    claim.write_text(claim.read_text() + "headline: Borduria’s denial cannot be checked yet\n")
    built = build_site(root, SiteOptions())
    assert not built.errors
    page = next(p for p in built.pages if p.path == "claims/borduria-denies-involvement.md")
    assert page.sections[0].title == "Borduria’s denial cannot be checked yet"
    assert page.title == "Borduria’s denial cannot be checked yet (rated Unproven)"
