"""Search (Pagefind): what the index holds, and a reader searching in real Chromium.

The fixture project gets a few more records here: a president with diacritics in his name
and an old id (alias), a statement in Cyrillic, and a second fact-check with another
rating, so that role words, folded names, other scripts, renamed records and the rating
facet can be searched for.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from browser_harness import serve
from bs4 import BeautifulSoup
from conftest import BuiltSite, build_project, make_project, world_readable

import generator.search
from generator import cli
from generator.render.searchmeta import fold
from generator.search import (
    MANIFEST,
    UNINDEXED_LISTS,
    BackgroundIndex,
    SearchIndexError,
    index_site,
    indexed_pages_of,
    searchable,
    shard_count,
    slim_page,
)

EXTRA = {
    "actors/lukasz-kovac.yaml": """\
name: Łukasz Kovač
kind: person
country: RO
role: President of Ruritania
aliases: [zephyrine-marshal-kovac]
""",
    "statements/kovac-fair-vote.yaml": """\
speaker: lukasz-kovac
date: 2022-11
form: paraphrase
text: Выборы прошли честно, и никакого вмешательства не было.
about:
  elections: [ruritania-general-2022]
citations:
  - source: example-report
  - source: wire-weiss-on-kovac
""",
    "sources/wire-weiss-on-kovac.yaml": """\
title: Weiss on Kovač
kind: news-report
publisher: Example Wire
published: 2022-11-21
url: https://wire.example.org/weiss-on-kovac
archived_url: https://web.archive.org/web/2022/https://wire.example.org/weiss-on-kovac
""",
    "statements/kovac-unpublished.yaml": """\
speaker: lukasz-kovac
date: 2022-12
form: paraphrase
status: draft
text: Zanzibarquux was never said in public.
citations:
  - source: example-report
""",
    "claims/kovac-no-meddling.yaml": """\
claim: Nobody meddled in the 2022 Ruritanian election.
claimant: lukasz-kovac
claimed: 2022-11
appearances:
  - source: example-report
rating: "false"
verdict: The commission itself documented fake local news sites during the campaign.
analysis: |
  The president's statement ([[statements/kovac-fair-vote]]) contradicts the commission.
evidence:
  - statement: commission-fake-sites
about:
  elections: [ruritania-general-2022]
  tactics: [fake-news-sites]
  countries: [RO]
published: 2022-12-02
""",
}


def add_records(root: Path) -> None:
    for name, text in EXTRA.items():
        (root / "content" / name).write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def rich_site() -> Iterator[BuiltSite]:
    folder = Path(tempfile.mkdtemp(prefix="factsite-search-"))
    try:
        os.chmod(folder, 0o755)
        project = make_project(folder / "project")
        add_records(project)
        yield build_project(project)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def indexed(site: BuiltSite) -> dict[str, dict[str, object]]:
    return {str(page["url"]): page for page in indexed_pages_of(site.site / "pagefind")}


# -- what the index holds ------------------------------------------------------------------


def test_index_holds_record_pages_with_their_facets(rich_site: BuiltSite) -> None:
    pages = indexed(rich_site)
    claim = pages["/claims/kovac-no-meddling/"]
    assert claim["filters"] == {
        "kind": ["Fact-check"], "rating": ["False"],
        "election": ["2022 Ruritanian general election"], "tactic": ["Fake local news sites"],
        "actor": ["Łukasz Kovač"], "country": ["Romania"], "year": ["2022"]}
    assert claim["meta"] == {"title": "Fact-check: Łukasz Kovač’s claim that “Nobody meddled "
                                      "in the 2022 Ruritanian election” is False",
                             "kind": "Fact-check", "date": "November 2022",
                             "rating": "False", "rating_id": "false"}
    statement = pages["/statements/kovac-fair-vote/"]
    assert statement["filters"]["actor"] == ["Łukasz Kovač"]  # type: ignore[index]
    assert statement["meta"]["kind"] == "Statement"  # type: ignore[index]
    # Facet values and result metadata are not words of the page.
    actor = pages["/actors/lukasz-kovac/"]
    assert actor["filters"]["kind"] == ["Actor"]  # type: ignore[index]
    assert "Actor" not in str(actor["content"])


def test_index_leaves_out_what_the_build_excluded(rich_site: BuiltSite) -> None:
    """Index and overview pages, the 404 page and alias redirects are never results."""
    urls = set(indexed(rich_site))
    redirect = "/actors/zephyrine-marshal-kovac/"
    assert (rich_site.site / redirect.strip("/") / "index.html").is_file()
    excluded = {redirect, "/404.html", "/", "/claims/", "/statements/", "/actors/",
                "/matrix/", "/timeline/", "/corrections/"}
    assert not excluded & urls
    assert {"/claims/borduria-denies-involvement/", "/actors/lukasz-kovac/",
            "/explainers/borduria-campaign/", "/about/"} <= urls
    for page in indexed(rich_site).values():
        assert "¶" not in str(page["content"]), page["url"]


def test_index_never_holds_a_draft(rich_site: BuiltSite) -> None:
    assert not (rich_site.site / "statements" / "kovac-unpublished").exists()
    assert "Zanzibarquux" not in json.dumps(indexed_pages_of(rich_site.site / "pagefind"))


def test_folded_names_and_old_ids_are_words_of_the_page(rich_site: BuiltSite) -> None:
    content = str(indexed(rich_site)["/actors/lukasz-kovac/"]["content"])
    assert "Lukasz Kovac" in content
    assert "zephyrine marshal kovac" in content


@pytest.mark.parametrize(("text", "folded"), [
    ("Łukasz Kovač", "Lukasz Kovac"), ("Søren Øster", "Soren Oster"), ("Straße", "Strasse"),
    ("Владимир Путин", "Владимир Путин"), ("plain", "plain")])
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_index_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text(
        "<html lang=en><body><main data-pagefind-body><h1>Alpha</h1><p>words</p></main>"
        "</body></html>")
    (site / "index.html").write_text("<html lang=en><body><p>not a record</p></body></html>")
    assert cli.main(["index", str(site)]) == 0
    assert json.loads(capsys.readouterr().out)["pages"] == 1
    assert (site / "pagefind" / "pagefind.js").is_file()
    assert not (site / "pagefind.new").exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["site"]  # nothing left beside
    assert cli.main(["index", str(site)]) == 0  # again, over the first bundle
    assert json.loads(capsys.readouterr().out)["pages"] == 1
    assert sorted(path.name for path in tmp_path.iterdir()) == ["site"]
    assert cli.main(["index", str(tmp_path / "missing")]) == 1
    assert "missing: no built site here" in capsys.readouterr().err
    with pytest.raises(SearchIndexError):
        index_site(tmp_path / "missing")


def test_index_made_while_rendering_is_the_index_of_the_built_site(
        rich_site: BuiltSite, tmp_path: Path) -> None:
    """The build indexes slim copies of the articles while MkDocs renders; Pagefind over the
    finished site (every page whole) writes the same bundle, byte for byte."""
    assert "indexed while the pages rendered" in rich_site.log
    assert not list(rich_site.root.glob(".factsite-search-*"))  # the slim copies are gone
    built = "".join(path.read_text(encoding="utf-8") for path in rich_site.site.rglob("*.html"))
    for name in UNINDEXED_LISTS:  # the slim copies were made without these: same bundle
        assert re.search(rf'class="(?:[^"]*\s)?{name}[\s"]', built), name
    site = tmp_path / "site"
    shutil.copytree(rich_site.site, site)
    shutil.rmtree(site / "pagefind")
    whole = index_site(site)
    assert whole.pages == len(indexed(rich_site)) > 10
    assert tree_bytes(site / "pagefind") == tree_bytes(rich_site.site / "pagefind")


def test_another_plugin_gets_the_finished_site_indexed(tmp_path: Path) -> None:
    """A plugin could change an article after the factsite plugin hands it over: then the
    finished site is indexed, as before."""
    project = make_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "plugins:\n  - factsite\n", "plugins:\n  - search\n  - factsite\n"), encoding="utf-8")
    built = build_project(project)
    assert "indexed while the pages rendered" not in built.log
    assert "/about/" in {page["url"] for page in indexed_pages_of(built.site / "pagefind")}
    assert not list(project.glob(".factsite-search-*"))


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def test_background_index_failure_leaves_the_site_alone(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("built")
    monkeypatch.setattr(generator.search, "_pagefind_command",
                        lambda pages, output: [shutil.which("false")])
    search = BackgroundIndex("en", tmp_path, pages=1)
    search.add("a/index.html", "<h1>Alpha</h1><p>words</p>")
    search.start()
    with pytest.raises(SearchIndexError, match="Pagefind failed"):
        search.finish(site)
    assert sorted(path.name for path in site.iterdir()) == ["index.html"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["site"]  # slim pages gone


def test_background_index_writes_the_bundle_into_the_site(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    search = BackgroundIndex("en", tmp_path, pages=2)
    search.add("a/index.html", '<h1>Alpha</h1><p data-pagefind-filter="kind">Fact-check</p>')
    search.add("b/c.html", "<h1>Beta</h1><p>words</p>")
    assert search.usable
    search.start()
    assert search.finish(site).pages == 2
    assert {page["url"] for page in indexed_pages_of(site / "pagefind")} == {"/a/", "/b/c.html"}
    assert sorted(path.name for path in tmp_path.iterdir()) == ["site"]


def test_article_without_heading_is_indexed_from_the_built_page(tmp_path: Path) -> None:
    """The theme gives such an article a heading from the page title: not known here."""
    search = BackgroundIndex("en", tmp_path, pages=1)
    search.add("a/index.html", "<p>no heading</p>")
    assert not search.usable
    search.discard()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("meta", "expected"), [
    ({"title": "A"}, True), ({}, False), ({"title": "A", "search": {"exclude": True}}, False),
    ({"title": "A", "search": {"exclude": False}}, True)])
def test_searchable_as_the_theme_decides(meta: dict[str, object], expected: bool) -> None:
    assert searchable(meta) is expected


# -- a reader searching (real Chromium) -----------------------------------------------------

browser_only = pytest.mark.browser


@pytest.fixture(scope="module")
def server(rich_site: BuiltSite) -> Iterator[str]:
    with serve(rich_site.site) as address:  # the site's own 404 page for a missing address
        yield address


def results(page: object) -> list[str]:
    links = page.locator(".fs-result__link")  # type: ignore[attr-defined]
    links.first.wait_for(timeout=20_000)
    return [urlsplit(links.nth(i).get_attribute("href") or "").path
            for i in range(links.count())]


def search(page: object, url: str, text: str) -> list[str]:
    """Open the search with "/" like a reader, type ``text``; the result paths, in order."""
    page.goto(url)  # type: ignore[attr-defined]
    page.keyboard.press("/")  # type: ignore[attr-defined]
    box = page.locator("#fs-search-input")  # type: ignore[attr-defined]
    assert box.evaluate("node => node === document.activeElement")
    box.press_sequentially(text, delay=20)
    page.wait_for_function(  # type: ignore[attr-defined]  # the whole text's results
        "text => document.querySelector('.fs-search__status').textContent"
        ".includes('for \u201c' + text + '\u201d')", arg=text, timeout=20_000)
    page.wait_for_timeout(300)  # type: ignore[attr-defined]  # the debounced search settles
    if page.locator(".fs-result__link").count() == 0:  # type: ignore[attr-defined]
        return []
    return results(page)


@browser_only
@pytest.mark.parametrize(("query", "expected"), [
    ("thousands of fake", "/statements/weiss-fake-accounts/"),   # a verbatim quote fragment
    ("T0098", "/tactics/fake-news-sites/"),                       # a DISARM id
    ("T0143.002", "/tactics/fake-accounts/"),
    ("president", "/actors/lukasz-kovac/"),                       # role words
    ("lukasz kovac", "/actors/lukasz-kovac/"),                    # diacritics typed without
    ("вмешательства", "/statements/kovac-fair-vote/"),            # Cyrillic
    ("zephyrine marshal", "/actors/lukasz-kovac/"),               # an old id's words
])
def test_search_finds(page: object, server: str, query: str, expected: str) -> None:
    found = search(page, server, query)
    assert expected in found[:3], found


@browser_only
def test_results_show_kind_rating_date_and_snippet(page: object, server: str) -> None:
    assert "/claims/kovac-no-meddling/" in search(page, server, "meddled")
    first = page.locator(  # type: ignore[attr-defined]
        ".fs-result", has=page.locator('a[href$="/claims/kovac-no-meddling/"]'))  # type: ignore[attr-defined]
    assert first.locator(".fs-result__kind").text_content() == "Fact-check"
    badge = first.locator(".fs-rating")
    assert badge.inner_text().strip() == "False"
    assert "fs-rating--false" in (badge.get_attribute("class") or "")
    assert first.locator(".fs-result__date").inner_text() == "November 2022"
    assert first.locator(".fs-result__excerpt mark").count() >= 1


@browser_only
def test_rating_facet_shows_only_fact_checks_of_that_rating(page: object, server: str) -> None:
    search(page, server, "election")
    facet = page.locator(".fs-facet", has_text="Rating")  # type: ignore[attr-defined]
    false = facet.locator("label", has_text="False")
    assert false.locator(".fs-facet__count").inner_text() == "1"
    false.locator("input").check()
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => new URLSearchParams(location.search).get('search-rating') === 'False'")
    page.wait_for_timeout(400)  # type: ignore[attr-defined]
    assert results(page) == ["/claims/kovac-no-meddling/"]
    # The other ratings stay on offer, with their counts for the query alone ("any of").
    unproven = facet.locator("label", has_text="Unproven")
    assert unproven.locator(".fs-facet__count").inner_text() == "1"
    # The state is in the address: opening it elsewhere restores the filtered search.
    address = page.url  # type: ignore[attr-defined]
    assert parse_qs(urlsplit(address).query) == {"q": ["election"], "search-rating": ["False"]}
    page.goto("about:blank")  # type: ignore[attr-defined]
    page.goto(address)  # type: ignore[attr-defined]
    assert results(page) == ["/claims/kovac-no-meddling/"]
    assert page.locator("#fs-search-input").input_value() == "election"  # type: ignore[attr-defined]
    assert page.locator(".fs-facet input[value=False]").is_checked()  # type: ignore[attr-defined]


@browser_only
def test_keyboard_and_labels(page: object, server: str) -> None:
    search(page, server, "weiss")
    dialog = page.locator("dialog#fs-search")  # type: ignore[attr-defined]
    assert dialog.get_attribute("aria-labelledby") == "fs-search-title"
    assert page.locator("label[for=fs-search-input]").count() == 1  # type: ignore[attr-defined]
    opener = page.locator(".fs-search-open")  # type: ignore[attr-defined]
    assert opener.get_attribute("aria-label") == "Search the site"
    assert opener.get_attribute("aria-keyshortcuts") == "/"
    page.keyboard.press("ArrowDown")  # type: ignore[attr-defined]
    assert page.evaluate(  # type: ignore[attr-defined]
        "document.activeElement.classList.contains('fs-result__link')")
    page.keyboard.press("ArrowDown")  # type: ignore[attr-defined]
    page.keyboard.press("ArrowUp")  # type: ignore[attr-defined]
    page.keyboard.press("ArrowUp")  # type: ignore[attr-defined]
    assert page.evaluate("document.activeElement.id") == "fs-search-input"  # type: ignore[attr-defined]
    page.keyboard.press("ArrowDown")  # type: ignore[attr-defined]
    target = page.evaluate("document.activeElement.getAttribute('href')")  # type: ignore[attr-defined]
    page.keyboard.press("Enter")  # type: ignore[attr-defined]
    page.wait_for_url(re.compile(re.escape(urlsplit(target).path)))  # type: ignore[attr-defined]
    page.go_back()  # type: ignore[attr-defined]
    assert results(page)  # Back brings the search back, from the address
    assert dialog.evaluate("node => node.open")
    page.locator("#fs-search-input").click()  # type: ignore[attr-defined]
    page.keyboard.press("Escape")  # type: ignore[attr-defined]
    assert not dialog.evaluate("node => node.open")
    page.wait_for_function(  # type: ignore[attr-defined]  # closing drops the query
        "() => !new URLSearchParams(location.search).has('q')", timeout=5_000)


@browser_only
def test_phone_width_search_fits(browser: object, server: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        page.goto(server)
        page.locator(".fs-search-open").click()
        page.locator("#fs-search-input").press_sequentially("borduria", delay=20)
        results(page)
        box = page.locator("dialog#fs-search").bounding_box()
        assert box is not None and box["width"] <= 390
        overflow = page.evaluate("(d => d.scrollWidth - d.clientWidth)"
                                 "(document.querySelector('.fs-search__body'))")
        assert overflow <= 1
    finally:
        context.close()


# -- privacy: no other origin, nothing downloaded before a search ----------------------------

PAGE_KINDS = ("", "claims/", "claims/kovac-no-meddling/", "statements/kovac-fair-vote/",
              "actors/lukasz-kovac/", "elections/ruritania-general-2022/",
              "tactics/fake-news-sites/", "sources/example-report/",
              "explainers/borduria-campaign/", "about/", "methodology/", "matrix/", "timeline/",
              "corrections/", "data/", "actors/zephyrine-marshal-kovac/", "no-such-page/")
EAGER = re.compile(r"/pagefind/|sitemap\.xml|search_index\.json|/search/")


@browser_only
def test_no_request_leaves_the_origin_and_nothing_is_fetched_eagerly(
        browser: object, server: str) -> None:
    origin = server.rstrip("/")
    requests: list[str] = []
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme)  # type: ignore[attr-defined]
        try:
            page = context.new_page()
            page.on("request", lambda request: requests.append(request.url))
            for path in PAGE_KINDS:
                requests.clear()
                page.goto(server + path)
                page.wait_for_load_state("networkidle")
                foreign = [url for url in requests if not url.startswith(origin + "/")]
                assert foreign == [], path
                assert [url for url in requests if EAGER.search(url)] == [], path
            # Searching loads the index, from the site itself.
            requests.clear()
            page.keyboard.press("/")
            page.locator("#fs-search-input").press_sequentially("borduria", delay=20)
            results(page)
            assert any("/pagefind/" in url for url in requests)
            assert all(url.startswith(origin + "/") for url in requests), requests
        finally:
            context.close()


# -- mkdocs serve: search reflects edits ----------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _served(url: str, marker: str, timeout: float) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if marker in response.read().decode("utf-8", "replace"):
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} never served {marker!r}")


@browser_only
def test_search_under_mkdocs_serve_finds_edited_words(page: object, tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    world_readable(project)
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    from playwright.sync_api import Error as PlaywrightError

    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        _served(url + "pagefind/pagefind-entry.json", "page_count", 120)
        assert "/claims/borduria-denies-involvement/" in search(page, url, "settle")
        assert search(page, url, "quixotically") == []
        claim = project / "content" / "claims" / "borduria-denies-involvement.yaml"
        claim.write_text(claim.read_text(encoding="utf-8").replace(
            "cannot settle the question", "quixotically cannot settle the question"),
            encoding="utf-8")
        _served(url + "claims/borduria-denies-involvement/", "quixotically", 120)
        deadline = time.monotonic() + 60
        found: list[str] = []
        while time.monotonic() < deadline and not found:
            try:
                found = search(page, url, "quixotically")
            except PlaywrightError:  # live reload reloaded the page mid-search
                found = []
        assert found == ["/claims/borduria-denies-involvement/"]
    finally:
        server.terminate()
        server.communicate(timeout=30)


# -- a large site's index in shards ------------------------------------------------------------


@pytest.fixture(scope="module")
def sharded_site(rich_site: BuiltSite) -> Iterator[Path]:
    """The same site, its index in shards of at most 4 pages."""
    folder = Path(tempfile.mkdtemp(prefix="factsite-search-shards-"))
    try:
        os.chmod(folder, 0o755)
        site = folder / "site"
        shutil.copytree(rich_site.site, site)
        shutil.rmtree(site / "pagefind")
        index_site(site, pages_per_shard=4)
        yield site
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_shards_hold_every_page_once_and_every_word(
        rich_site: BuiltSite, sharded_site: Path) -> None:
    manifest = json.loads((sharded_site / "pagefind" / MANIFEST).read_text(encoding="utf-8"))
    assert len(manifest["shards"]) == shard_count(len(indexed(rich_site)), 4) - 1 >= 3
    sharded = indexed_pages_of(sharded_site / "pagefind")
    assert sorted(page["url"] for page in sharded) == sorted(indexed(rich_site))
    assert index_site_pages(sharded_site) == len(sharded)
    words = [shard_words(part) for part in [sharded_site / "pagefind", *(
        sharded_site / "pagefind" / shard for shard in manifest["shards"])]]
    assert all(part == words[0] for part in words)
    assert "вмешательства" in words[0]


def index_site_pages(site: Path) -> int:
    from generator.search import indexed_pages
    return indexed_pages(site / "pagefind")


def shard_words(part: Path) -> set[str]:
    from generator.search import _word_index
    return {word for index in _word_index(part).values() for word in index.words}


def test_shards_made_while_rendering_are_the_shards_of_the_built_site(tmp_path: Path) -> None:
    articles = {f"p{number}/index.html": f"<h1>Page {number}</h1><p>word{number % 3} common "
                f'rare{number}</p><p data-pagefind-filter="kind">K{number % 2}</p>'
                for number in range(12)}
    search = BackgroundIndex("en", tmp_path, pages=len(articles), pages_per_shard=3)
    for path, article in articles.items():
        search.add(path, article)
    (tmp_path / "one").mkdir()
    search.start()
    search.finish(tmp_path / "one")
    for path, article in articles.items():
        page = tmp_path / "two" / path
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(slim_page("en", article), encoding="utf-8")
    index_site(tmp_path / "two", pages_per_shard=3)
    one, two = tree_bytes(tmp_path / "one" / "pagefind"), tree_bytes(tmp_path / "two" / "pagefind")
    assert one == two
    assert sum(name.endswith("pagefind-entry.json") for name in one) == 4


def test_shards_are_assembled_outside_the_builds_process(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Giving each shard the others' words is seconds of Python at 5,000 pages: done in a
    process of its own, it does not hold the build's interpreter while the site renders. So
    a sharded index builds even when the build's own ``assemble`` cannot run."""
    def not_here(parts: list[Path], bundle: Path) -> Path:
        if len(parts) > 1:
            raise AssertionError("the shards were assembled in the build's own process")
        return real(parts, bundle)

    real = generator.search.assemble
    monkeypatch.setattr(generator.search, "assemble", not_here)
    search = BackgroundIndex("en", tmp_path, pages=9, pages_per_shard=3)
    for number in range(9):
        search.add(f"p{number}/index.html", f"<h1>Page {number}</h1><p>word{number}</p>")
    (tmp_path / "site").mkdir()
    search.start()
    report = search.finish(tmp_path / "site")
    assert report.pages == 9
    manifest = json.loads((report.bundle / MANIFEST).read_text(encoding="utf-8"))
    assert len(manifest["shards"]) == 2


def result_count(page: object) -> str:
    status = page.locator(".fs-search__status").inner_text()  # type: ignore[attr-defined]
    return status.split(" for ")[0]


def facet_counts(page: object) -> dict[str, str]:
    page.locator(".fs-facet").first.wait_for(timeout=20_000)  # type: ignore[attr-defined]
    labels = page.locator(".fs-facet__value")  # type: ignore[attr-defined]
    return {labels.nth(i).locator(".fs-facet__label").inner_text():
            labels.nth(i).locator(".fs-facet__count").inner_text()
            for i in range(labels.count())}


@browser_only
@pytest.mark.parametrize("query", [
    "thousands of fake",   # a rare word and common ones: shards without the rare word
    "election",            # most pages
    "kovac fake",
    "T0098",
    "вмешательства",
])
def test_shards_find_what_the_single_index_finds(
        page: object, server: str, sharded_site: Path, query: str) -> None:
    """Searched together, the shards find the same pages, with the same facet counts, as
    the single index of the same site; the page holding a shard's share of the other
    shards' words is never a result."""
    single = sorted(search(page, server, query)), result_count(page), facet_counts(page)
    with serve(sharded_site) as address:
        sharded = sorted(search(page, address, query)), result_count(page), facet_counts(page)
    assert sharded[1:] == single[1:]
    assert single[1] != "No results"
    if len(single[0]) < 10:  # all results on screen (more than that: in another order)
        assert sharded[0] == single[0]


@browser_only
def test_facets_are_counted_without_pagefinds_filter_index(page: object, server: str) -> None:
    """Pagefind counts filter values by comparing every result with every page of every
    value, on every search once its filter index is loaded: the panel counts the facets
    from its own file instead, and never loads that index."""
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))  # type: ignore[attr-defined]
    search(page, server, "election")
    assert facet_counts(page)["Fact-check"] == "2"
    assert any("/pagefind/facets/" in url for url in requested)
    assert not [url for url in requested if "/pagefind/filter/" in url]


def test_a_site_of_several_languages_is_indexed_in_one_piece(tmp_path: Path) -> None:
    """Shards must hold the same languages (Pagefind picks an index by the page's language):
    a site whose one French page would sit in one shard only gets one index."""
    for number in range(6):
        page = tmp_path / "site" / f"p{number}" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(slim_page("fr" if number == 0 else "en",
                                  f"<h1>Page {number}</h1><p>mot{number}</p>"), encoding="utf-8")
    report = index_site(tmp_path / "site", pages_per_shard=2)
    assert report.pages == 6
    manifest = json.loads((report.bundle / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["shards"] == []


@browser_only
def test_a_chosen_facet_value_stays_on_offer_when_nothing_matches(
        page: object, server: str) -> None:
    """Statements have no rating: with both chosen nothing matches, and each choice must
    stay on screen (checked, counted 0) so that the reader can undo it."""
    page.goto(server + "?q=election&search-rating=False&search-kind=Statement")  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => document.querySelector('.fs-search__status').textContent.startsWith('No results')")
    for value in ("False", "Statement"):
        box = page.locator(f".fs-facet input[value={value}]")  # type: ignore[attr-defined]
        box.wait_for(timeout=20_000)
        assert box.is_checked()
    rating = page.locator(".fs-facet__value", has_text="False")  # type: ignore[attr-defined]
    assert rating.locator(".fs-facet__count").inner_text() == "0"


# -- facet counts: the panel's counts are the built pages' ------------------------------------


def built_facets(site: Path) -> dict[str, dict[str, list[str]]]:
    """Each searchable built page's facet values (its ``data-pagefind-filter`` elements), by
    its address."""
    out: dict[str, dict[str, list[str]]] = {}
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site)
        if relative.parts[0] == "pagefind":
            continue
        body = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml").select_one(
            "[data-pagefind-body]")
        if body is None:
            continue
        values: dict[str, list[str]] = {}
        for element in body.select("[data-pagefind-filter]"):
            values.setdefault(str(element["data-pagefind-filter"]), []).append(
                element.get_text())
        parent = relative.parent.as_posix()
        out["/" if parent == "." else f"/{parent}/"] = values
    return out


def every_result(page: object) -> list[str]:
    """The paths of all the results (pressing "Show more results" until none are left)."""
    more = page.locator(".fs-search__more")  # type: ignore[attr-defined]
    while more.is_visible():
        before = page.locator(".fs-result").count()  # type: ignore[attr-defined]
        more.click()
        page.wait_for_function(  # type: ignore[attr-defined]
            "n => document.querySelectorAll('.fs-result').length > n", arg=before)
    return results(page)


def shown_counts(page: object, facet: str) -> dict[str, int]:
    """A facet's values and counts on screen, all of them ("All N" pressed)."""
    group = page.locator(f'.fs-facet[data-facet="{facet}"]')  # type: ignore[attr-defined]
    group.locator(".fs-facet__value").first.wait_for(timeout=20_000)
    toggle = group.locator(".fs-facet__more")
    if toggle.count() and toggle.get_attribute("aria-expanded") == "false":
        toggle.click()
        page.wait_for_function(  # type: ignore[attr-defined]
            "f => document.querySelector(`.fs-facet[data-facet='${f}'] .fs-facet__more`)"
            ".getAttribute('aria-expanded') === 'true'", arg=facet)
    labels = group.locator(".fs-facet__value")
    return {labels.nth(i).locator(".fs-facet__label").inner_text():
            int(labels.nth(i).locator(".fs-facet__count").inner_text())
            for i in range(labels.count())}


def counted(built: dict[str, dict[str, list[str]]], urls: list[str], facet: str
            ) -> dict[str, int]:
    return dict(Counter(value for url in urls for value in built[url].get(facet, [])))


@browser_only
def test_facet_counts_are_the_counts_of_the_built_pages(
        page: object, server: str, sharded_site: Path, rich_site: BuiltSite) -> None:
    """For a query, and again once an election is chosen, the rating and election counts
    the panel shows are those of the built pages it lists (single index and shards)."""
    built = built_facets(rich_site.site)
    with serve(sharded_site) as sharded:
        for address in (server, sharded):
            search(page, address, "election")
            urls = every_result(page)
            assert "/claims/kovac-no-meddling/" in urls
            for facet in ("rating", "election"):
                assert shown_counts(page, facet) == counted(built, urls, facet), facet
            assert counted(built, urls, "rating") == {"False": 1, "Unproven": 1}
            election = max(counted(built, urls, "election").items(), key=lambda x: x[1])[0]
            page.locator(  # type: ignore[attr-defined]
                f'.fs-facet[data-facet="election"] input[value="{election}"]').check()
            page.wait_for_function(  # type: ignore[attr-defined]
                "() => new URLSearchParams(location.search).has('search-election')")
            page.wait_for_timeout(400)  # type: ignore[attr-defined]
            narrowed = every_result(page)
            assert sorted(narrowed) == sorted(
                url for url in urls if election in built[url].get("election", []))
            assert set(narrowed) < set(urls)
            assert shown_counts(page, "rating") == counted(built, narrowed, "rating")
            assert shown_counts(page, "election") == counted(built, urls, "election")


@pytest.fixture(scope="module")
def few_open_site(rich_site: BuiltSite) -> Iterator[Path]:
    """The same site, its facets of more than 3 values closed until the reader opens them."""
    folder = Path(tempfile.mkdtemp(prefix="factsite-search-closed-"))
    was = generator.search.OPEN_VALUES
    try:
        os.chmod(folder, 0o755)
        site = folder / "site"
        shutil.copytree(rich_site.site, site)
        shutil.rmtree(site / "pagefind")
        generator.search.OPEN_VALUES = 3
        index_site(site)  # one index: assembled in this process
        yield site
    finally:
        generator.search.OPEN_VALUES = was
        shutil.rmtree(folder, ignore_errors=True)


@browser_only
def test_a_closed_facet_is_fetched_and_counted_when_opened(
        page: object, few_open_site: Path, rich_site: BuiltSite) -> None:
    """A facet of many values starts closed and its file is not fetched; opened, it shows
    the counts of the built pages listed."""
    manifest = json.loads((few_open_site / "pagefind" / MANIFEST).read_text(encoding="utf-8"))
    columns = manifest["facets"]["columns"]
    closed = sorted(name for name, column in columns.items() if column["values"] > 3)
    assert "actor" in closed and "rating" not in closed
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))  # type: ignore[attr-defined]
    with serve(few_open_site) as address:
        search(page, address, "election")
        urls = every_result(page)
        shown_counts(page, "rating")
        for name in closed:
            group = page.locator(f'.fs-facet[data-facet="{name}"]')  # type: ignore[attr-defined]
            assert group.get_attribute("open") is None, name
        fetched = {url.split("/pagefind/")[1] for url in requested if "/pagefind/facets/" in url}
        assert fetched == {manifest["facets"]["pages"],
                           *(columns[name]["file"] for name in columns if name not in closed)}
        page.locator('.fs-facet[data-facet="actor"] > summary').click()  # type: ignore[attr-defined]
        assert shown_counts(page, "actor") == counted(built_facets(rich_site.site), urls, "actor")
        assert any(columns["actor"]["file"] in url for url in requested)
        assert page.evaluate(  # type: ignore[attr-defined]  # focus stays on the summary
            "document.activeElement.parentNode.getAttribute('data-facet')") == "actor"


# -- ranking: a name lists its own record page first -------------------------------------------


@browser_only
@pytest.mark.parametrize(("query", "expected", "below"), [
    ("Weiss", "/actors/anna-weiss/", "/sources/wire-weiss-on-kovac/"),
    ("Kovač", "/actors/lukasz-kovac/", "/sources/wire-weiss-on-kovac/"),
    ("Kovač", "/actors/lukasz-kovac/", "/claims/kovac-no-meddling/"),
    ("Lukasz Kovac", "/actors/lukasz-kovac/", "/claims/kovac-no-meddling/"),
])
def test_a_name_lists_its_record_page_first(page: object, server: str, query: str,
                                            expected: str, below: str) -> None:
    """Above a short source titled with the name ("Weiss on Kovač"), and the statements
    and fact-checks that name the person in their titles."""
    found = search(page, server, query)
    assert found[0] == expected, found
    assert below in found[1:]
