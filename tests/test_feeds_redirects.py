"""Feeds and stable URLs: the Atom feed, alias redirects, the published manifest, the 404 page."""

from __future__ import annotations

import datetime as dt
import html
import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
import pytest
from browser_harness import DESKTOP, chromium, serve
from bs4 import BeautifulSoup
from conftest import FIXTURE, BuiltSite, build_project, make_project

from generator.cli import main as cli
from generator.export import atom_feed, redirect_html
from generator.models import Update
from generator.pipeline import build_graph
from generator.published import MANIFEST, load_manifest

SITE_URL = "https://factsite.example.org/"  # mkdocs.yml's site_url
CLAIM = "borduria-denies-involvement"
ALIASES = {  # old URL → new URL, as added to a copy of the fixture below
    "claims/old-denial/": f"claims/{CLAIM}/",
    "claims/borduria-denial-2022/": f"claims/{CLAIM}/",
    "explainers/what-borduria-did/": "explainers/borduria-campaign/",
    "about-us/": "about/",
    "actors/bordurian-mfa/": "actors/borduria-foreign-ministry/",
}


# -- the Atom feed ------------------------------------------------------------------------


def parse_feed(data: bytes) -> feedparser.FeedParserDict:
    feed = feedparser.parse(data)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def test_built_feed_lists_fact_checks_and_explainers_newest_first(built_site: BuiltSite
                                                                   ) -> None:
    feed = parse_feed((built_site.site / "feed.xml").read_bytes())
    graph = build_graph(FIXTURE).graph
    assert len(feed.entries) == len(graph.records["claims"]) + len(graph.records["explainers"])
    assert [e.link for e in feed.entries] == [f"{SITE_URL}claims/{CLAIM}/",
                                              f"{SITE_URL}explainers/borduria-campaign/"]
    updated = [e.updated_parsed for e in feed.entries]
    assert updated == sorted(updated, reverse=True)
    assert feed.feed.link == SITE_URL
    assert feed.feed.updated == "2022-12-05T00:00:00Z"
    for entry in feed.entries:
        path = built_site.site / urlsplit(entry.link).path.lstrip("/") / "index.html"
        assert path.is_file(), entry.link
        assert entry.id == entry.link


def test_feed_entry_reflects_corrections(built_site: BuiltSite) -> None:
    feed = parse_feed((built_site.site / "feed.xml").read_bytes())
    claim = feed.entries[0]
    assert claim.published == "2022-12-01T00:00:00Z"
    assert claim.updated == "2022-12-05T00:00:00Z"  # the correction's date
    assert "Corrected the date of the election." in claim.content[0].value
    assert claim.summary.startswith("The only evidence")
    assert {t.term for t in claim.tags} == {"fact-check", "unproven"}
    explainer = feed.entries[1]
    assert explainer.author == "Desk Editor"
    assert explainer.updated == explainer.published == "2022-12-02T00:00:00Z"


def test_a_new_update_moves_an_entry_to_the_top_and_drops_raw_html() -> None:
    graph = build_graph(FIXTURE).graph
    explainer = graph.get("explainers", "borduria-campaign")
    assert explainer is not None
    explainer.updates = [*explainer.updates, Update(
        date=dt.date(2023, 1, 2), kind="update",
        note="Added <script>alert(1)</script> & [[claims/borduria-denies-involvement]].")]
    feed = parse_feed(atom_feed(graph, SITE_URL))
    first = feed.entries[0]
    assert first.link == f"{SITE_URL}explainers/borduria-campaign/"
    assert first.updated == "2023-01-02T00:00:00Z"
    assert feed.feed.updated == "2023-01-02T00:00:00Z"
    content = first.content[0].value
    # Raw HTML is a content error; if it ever got this far, cmark-gfm's safe mode omits it.
    assert "<script" not in content and "Added alert(1) &amp; <a " in content
    assert f'href="{SITE_URL}claims/{CLAIM}/"' in content


# -- alias redirects ----------------------------------------------------------------------


def add_line(path: Path, line: str, *, front_matter: bool = False) -> None:
    text = path.read_text(encoding="utf-8")
    if front_matter:
        text = text.replace("---\n", f"---\n{line}\n", 1)
    else:
        text += f"\n{line}\n"
    path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def aliased_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The fixture with renamed records: each keeps its old id in ``aliases``."""
    project = make_project(tmp_path_factory.mktemp("aliased") / "project")
    content = project / "content"
    add_line(content / "claims" / f"{CLAIM}.yaml", "aliases: [old-denial, borduria-denial-2022]")
    add_line(content / "explainers" / "borduria-campaign.md", "aliases: [what-borduria-did]",
             front_matter=True)
    add_line(content / "pages" / "about.md", "aliases: [about-us]", front_matter=True)
    add_line(content / "actors" / "borduria-foreign-ministry.yaml", "aliases: [bordurian-mfa]")
    return build_project(project)


@pytest.fixture(scope="module")
def server(aliased_site: BuiltSite) -> Iterator[str]:
    with serve(aliased_site.site) as address:  # a static host: the site's own 404 page
        yield address


def fetch(url: str) -> tuple[int, BeautifulSoup]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, BeautifulSoup(response.read(), "lxml")


def follow(url: str) -> tuple[str, BeautifulSoup]:
    """GET like a client that honours <meta http-equiv=refresh> (at most 3 hops)."""
    for _ in range(3):
        status, soup = fetch(url)
        assert status == 200, url
        refresh = soup.select_one('meta[http-equiv="refresh"]')
        if refresh is None:
            return url, soup
        match = re.match(r"\s*\d+\s*;\s*url=(.+)", refresh["content"], re.I)
        assert match, refresh
        url = urljoin(url, match.group(1).strip())
    raise AssertionError(f"redirect loop at {url}")


@pytest.mark.parametrize(("old", "new"), sorted(ALIASES.items()))
def test_every_alias_redirects_over_http(server: str, aliased_site: BuiltSite, old: str,
                                         new: str) -> None:
    final, soup = follow(server + old)
    assert final == server + new
    target = aliased_site.html(new)
    assert soup.select_one("article h1").get_text() == target.select_one("article h1").get_text()
    _, redirect = fetch(server + old)
    assert redirect.select_one('link[rel="canonical"]')["href"] == SITE_URL + new
    assert redirect.select_one('meta[name="robots"]')["content"] == "noindex"
    assert redirect.select_one("body a")["href"] == redirect.select_one(
        'meta[http-equiv="refresh"]')["content"].split("url=", 1)[1]


def test_redirect_pages_are_not_in_the_sitemap(aliased_site: BuiltSite) -> None:
    sitemap = (aliased_site.site / "sitemap.xml").read_text("utf-8")
    for old, new in ALIASES.items():
        assert f"<loc>{SITE_URL}{old}</loc>" not in sitemap
        assert f"<loc>{SITE_URL}{new}</loc>" in sitemap


def test_netlify_redirects_file(aliased_site: BuiltSite) -> None:
    lines = (aliased_site.site / "_redirects").read_text("utf-8").splitlines()
    assert sorted(lines) == sorted(f"/{old} /{new} 301" for old, new in ALIASES.items())


def test_redirect_html_escapes_titles() -> None:
    page = redirect_html('<b>"x"</b>', "../y/", "https://a.example/y/")
    assert "<b>" not in page and html.escape('<b>"x"</b>') in page


def test_aliases_are_in_the_export(aliased_site: BuiltSite) -> None:
    import json

    payload = json.loads((aliased_site.site / "data/factsite.json").read_text("utf-8"))
    assert {(a["url"], a["target"]) for a in payload["aliases"]} == {
        (SITE_URL + old, SITE_URL + new) for old, new in ALIASES.items()}


def test_unknown_address_gets_the_custom_404(server: str) -> None:
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(server + "claims/no-such-claim/", timeout=10)
    soup = BeautifulSoup(error.value.read(), "lxml")
    assert soup.select_one("article h1").get_text() == "Page not found"
    links = {a["href"] for a in soup.select("article li a")}
    assert {"/claims/", "/statements/", "/explainers/", "/data/"} <= links


@pytest.mark.browser
def test_browser_follows_aliases_and_404_search_finds_the_record(server: str) -> None:
    with chromium() as browser:
        page = browser.new_page(viewport=DESKTOP)  # type: ignore[attr-defined]
        for old, new in sorted(ALIASES.items()):
            page.goto(server + old)
            page.wait_for_url(server + new, timeout=10_000)
            assert page.locator("article h1").count() == 1
        page.goto(server + "claims/borduria-denies/")
        link = page.locator("#fs-404-search")
        assert link.inner_text() == "Search for \u201cborduria denies\u201d"
        link.click()
        results = page.locator(".fs-result__link")
        results.first.wait_for(timeout=15_000)
        hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
        assert any(f"claims/{CLAIM}/" in (href or "") for href in hrefs), hrefs


# -- the published manifest ---------------------------------------------------------------


def errors(root: Path) -> list[str]:
    return [d.format() for d in build_graph(root).errors]


def test_no_manifest_means_nothing_to_check(project: Path) -> None:
    assert errors(project) == []
    assert not (project / MANIFEST).exists()


def test_update_lists_every_record_page_and_only_adds(project: Path,
                                                      capsys: pytest.CaptureFixture) -> None:
    assert cli(["--root", str(project), "published", "--check"]) == 1
    assert f"claims/{CLAIM}: not in {MANIFEST}" in capsys.readouterr().out
    assert cli(["--root", str(project), "published", "--update"]) == 0
    manifest = load_manifest(project)
    assert manifest is not None and manifest.problems == []
    pages = [entry.page for entry in manifest.published]
    graph = build_graph(project).graph
    assert len(pages) == sum(graph.count().values())
    assert f"claims/{CLAIM}" in pages and "pages/about" in pages
    assert cli(["--root", str(project), "published", "--check"]) == 0
    before = (project / MANIFEST).read_text()
    assert cli(["--root", str(project), "published", "--update"]) == 0
    assert (project / MANIFEST).read_text() == before, "idempotent"
    assert errors(project) == []


def remove_claim(project: Path) -> None:
    (project / "content" / "claims" / f"{CLAIM}.yaml").unlink()
    explainer = project / "content" / "explainers" / "borduria-campaign.md"
    explainer.write_text(explainer.read_text().replace(
        f"see [[claims/{CLAIM}]]", "see the claim"))


def test_removing_a_published_record_is_an_error_with_file_and_line(project: Path) -> None:
    assert cli(["--root", str(project), "published", "--update"]) == 0
    remove_claim(project)
    line = (project / MANIFEST).read_text().splitlines().index(f"  - claims/{CLAIM}") + 1
    [error] = errors(project)
    assert error.startswith(f"{MANIFEST}:{line}:5: published.claims/{CLAIM}: ")
    assert "aliases" in error and "retire" in error
    assert cli(["--root", str(project), "check"]) == 1


def test_an_alias_elsewhere_keeps_the_published_address(project: Path) -> None:
    assert cli(["--root", str(project), "published", "--update"]) == 0
    old = project / "content" / "claims" / f"{CLAIM}.yaml"
    old.rename(old.with_name("borduria-denial.yaml"))
    add_line(old.with_name("borduria-denial.yaml"), f"aliases: [{CLAIM}]")
    explainer = project / "content" / "explainers" / "borduria-campaign.md"
    explainer.write_text(explainer.read_text().replace(f"[[claims/{CLAIM}]]",
                                                       "[[claims/borduria-denial]]"))
    assert errors(project) == []


def test_retiring_needs_a_reason(project: Path) -> None:
    assert cli(["--root", str(project), "published", "--update"]) == 0
    remove_claim(project)
    manifest = project / MANIFEST
    text = manifest.read_text().replace("retired: []", f"retired:\n  - page: claims/{CLAIM}\n")
    manifest.write_text(text)
    [error] = errors(project)
    assert "needs a reason" in error and error.startswith(f"{MANIFEST}:")
    manifest.write_text(text + "    reason: Merged into the explainer after review.\n")
    assert errors(project) == []
    assert cli(["--root", str(project), "published", "--update"]) == 0
    assert "reason: \"Merged into the explainer after review.\"" in manifest.read_text()


def test_malformed_manifest_entries_are_reported(project: Path) -> None:
    (project / MANIFEST).write_text("published:\n  - claims/ok\n  - nonsense\n"
                                    "  - widgets/x\nextra: 1\n")
    found = errors(project)
    assert any(e.startswith(f"{MANIFEST}:3:5:") and "not kind/id" in e for e in found)
    assert any(e.startswith(f"{MANIFEST}:4:5:") for e in found)
    assert any("unknown key 'extra'" in e for e in found)
    assert any("claims/ok was published" in e for e in found)
