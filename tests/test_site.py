"""The real site: the fixture content built with ``mkdocs build --strict``, checked as HTML."""

from __future__ import annotations

import html
import itertools
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import FIXTURE, BuiltSite, build_project, make_project, mkdocs

from generator.pipeline import build_graph
from generator.render import RECORD_KINDS
from generator.search import indexed_pages_of

GRAPH = build_graph(FIXTURE).graph
RECORDS = [(kind, record_id) for kind in RECORD_KINDS for record_id in GRAPH.records[kind]]
PLAIN_PAGES = ["about", "methodology", "corrections-policy"]
INDEXES = [*RECORD_KINDS, "matrix", "timeline", "corrections"]


def hrefs(soup, selector: str = "article") -> set[str]:
    return {a["href"] for a in soup.select(f"{selector} a[href]")}


@pytest.mark.parametrize(("kind", "record_id"), RECORDS)
def test_every_record_has_a_page_with_edit_link_to_its_source(
        built_site: BuiltSite, kind: str, record_id: str) -> None:
    soup = built_site.html(f"{kind}/{record_id}/")
    assert soup.select_one("article h1")
    edit = soup.select_one("a.md-content__button[rel=edit]")
    assert edit is not None, "record pages have an edit button"
    suffix = ".md" if kind == "explainers" else ".yaml"
    assert edit["href"].endswith(f"/edit/main/content/{kind}/{record_id}{suffix}")


@pytest.mark.parametrize("page", PLAIN_PAGES)
def test_plain_pages(built_site: BuiltSite, page: str) -> None:
    soup = built_site.html(f"{page}/")
    assert soup.select_one("a[rel=edit]")["href"].endswith(f"content/pages/{page}.md")


@pytest.mark.parametrize("page", INDEXES)
def test_index_pages_exist_and_have_no_edit_link(built_site: BuiltSite, page: str) -> None:
    soup = built_site.html(f"{page}/")
    assert soup.select_one("article h1")
    assert soup.select_one("a[rel=edit]") is None


def test_claim_page(built_site: BuiltSite) -> None:
    soup = built_site.html("claims/borduria-denies-involvement/")
    article = soup.select_one("article")
    badge = article.select_one(".fs-rating.fs-rating--unproven")
    assert badge.get_text(strip=True) == "Unproven", "the badge says its label, not just a colour"
    assert "cannot settle the question" in article.select_one(".fs-verdict__text").get_text()
    assert "November 2022" in article.get_text(), "partial dates render at their precision"
    evidence = article.select("ol.fs-citations")[0].select(":scope > li")
    assert [li["id"] for li in evidence] == ["evidence-1", "evidence-2"]
    links = hrefs(soup)
    assert "../../statements/weiss-fake-accounts/" in links
    assert "../../actors/borduria-foreign-ministry/" in links
    assert "../../elections/ruritania-general-2022/" in links
    assert "Corrected the date of the election." in article.get_text()


def test_statement_page(built_site: BuiltSite) -> None:
    soup = built_site.html("statements/weiss-fake-accounts/")
    article = soup.select_one("article")
    assert article.select_one("blockquote.fs-statement__text").get_text(strip=True) == (
        "“We saw thousands of fake accounts repeating the same lies”")
    assert "para. 2" in article.get_text()
    assert "Romania" in article.get_text(), "countries render with their names"
    links = hrefs(soup)
    assert "../../sources/example-report/" in links
    assert "../../claims/borduria-denies-involvement/" in links, "backlink to the fact-check"


def test_paraphrase_is_marked(built_site: BuiltSite) -> None:
    soup = built_site.html("statements/commission-fake-sites/")
    assert "Paraphrase" in soup.select_one(".fs-statement").get_text()
    assert soup.select_one(".fs-statement blockquote") is None
    assert "at least 3 websites" in soup.select_one(".fs-figures").get_text()


def test_election_page_shows_associations_with_attribution(built_site: BuiltSite) -> None:
    soup = built_site.html("elections/ruritania-general-2022/")
    article = soup.select_one("article")
    mention_links = hrefs(soup, "article .fs-said")
    assert "../../statements/weiss-fake-accounts/" in mention_links
    assert "../../claims/borduria-denies-involvement/" in mention_links
    heading = next(h for h in article.find_all("h2") if h.get_text().startswith("Tactics"))
    tactics = heading.find_next("ul")
    item = next(li for li in tactics.select("li") if "Fake accounts" in li.get_text())
    via = {article.select_one(a["href"]).find("a")["href"] for a in item.select(".fs-via a")}
    assert via == {"../../statements/weiss-fake-accounts/"}


def test_tactic_page_shows_disarm_and_elections(built_site: BuiltSite) -> None:
    soup = built_site.html("tactics/fake-news-sites/")
    text = soup.select_one("article").get_text()
    assert "T0098" in text
    assert "../../elections/ruritania-general-2022/" in hrefs(soup)
    assert "../../tactics/fake-accounts/" in hrefs(soup), "parent tactic"
    children = hrefs(built_site.html("tactics/fake-accounts/"))
    assert "../../tactics/fake-news-sites/" in children, "sub-tactics"


def test_source_page_chain_and_citers(built_site: BuiltSite) -> None:
    soup = built_site.html("sources/commission-count/")
    text = soup.select_one("article").get_text()
    assert "Reported only" in text
    assert "../../sources/example-report/" in hrefs(soup), "the reported_in chain"
    assert "../../statements/commission-fake-sites/" in hrefs(soup)
    report = built_site.html("sources/example-report/")
    links = hrefs(report)
    assert {"../../statements/weiss-fake-accounts/", "../../statements/borduria-denial/",
            "../../claims/borduria-denies-involvement/",
            "../../sources/commission-count/"} <= links


def test_archived_link_shown(built_site: BuiltSite) -> None:
    soup = built_site.html("sources/commission-website/")
    assert "https://web.archive.org/web/2022/https://commission.example.org/" in hrefs(soup)


def test_actor_page(built_site: BuiltSite) -> None:
    soup = built_site.html("actors/borduria/")
    links = hrefs(soup)
    assert "../../actors/borduria-foreign-ministry/" in links, "members (part_of)"
    assert "../../statements/borduria-denial/" in links


def test_every_record_is_linked_from_its_index(built_site: BuiltSite) -> None:
    for kind in RECORD_KINDS:
        soup = built_site.html(f"{kind}/")
        links = hrefs(soup, "article table")
        for record_id in GRAPH.records[kind]:
            assert f"../{kind}/{record_id}/" in links or f"{record_id}/" in links, (kind,
                                                                                     record_id)


def test_index_tables_have_headers_and_filters(built_site: BuiltSite) -> None:
    soup = built_site.html("statements/")
    table = soup.select_one("table.fs-filterable")
    assert [th["scope"] for th in table.select("thead th")] == ["col"] * 4
    assert json.loads(table["data-filters"])[0] == ["speaker", "Speaker"]
    speakers = [json.loads(row["data-f-speaker"]) for row in table.select("tbody tr")]
    assert ["Anna Weiss"] in speakers


def test_home_matrix_timeline_corrections(built_site: BuiltSite) -> None:
    home = built_site.html("")
    assert "claims/borduria-denies-involvement/" in hrefs(home)
    assert "3 statements" in " ".join(home.select_one(".fs-counts").get_text(" ").split())
    matrix = built_site.html("matrix/")
    cell_links = hrefs(matrix, "table td")
    assert "../elections/ruritania-general-2022/#tactic-fake-accounts" in cell_links
    assert "../elections/ruritania-general-2022/#tactic-fake-news-sites" in cell_links
    timeline = built_site.html("timeline/")
    items = [li.get_text(" ", strip=True) for li in timeline.select("ul.fs-timeline li")]
    assert items[0].startswith("November 2022"), "month-precision dates come first"
    assert any(item.startswith("14 November 2022") for item in items)
    log = built_site.html("corrections/")
    assert "Corrected the date of the election." in log.select_one("ol.fs-corrections").get_text()


def test_nav_lists_sections_not_records(built_site: BuiltSite) -> None:
    soup = built_site.html("claims/borduria-denies-involvement/")
    nav = {a["href"] for a in soup.select("nav.md-nav--primary a[href]")}
    assert not any("borduria-denies-involvement" in href for href in nav)
    assert "../../statements/" in nav


def test_search_index_holds_records_not_indexes(built_site: BuiltSite) -> None:
    pages = indexed_pages_of(built_site.site / "pagefind")
    locations = {str(page["url"]) for page in pages}
    assert "/statements/weiss-fake-accounts/" in locations
    assert "/claims/borduria-denies-involvement/" in locations
    assert not {"/claims/", "/statements/", "/matrix/", "/timeline/", "/"} & locations
    text = " ".join(str(page["content"]) for page in pages
                    if page["url"] == "/statements/weiss-fake-accounts/")
    assert "thousands of fake accounts" in text


def test_headings_in_order_and_tables_have_headers(built_site: BuiltSite) -> None:
    for page in built_site.site.rglob("index.html"):
        soup = built_site.html(str(page.relative_to(built_site.site)))
        article = soup.select_one("article")
        if article is None:
            continue
        levels = [int(h.name[1]) for h in article.find_all(re.compile(r"^h[1-6]$"))]
        assert levels[:1] == [1], page
        assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), (page, levels)
        for table in article.select("table"):
            assert table.select("thead th[scope=col]"), page


def test_no_content_file_is_copied_into_the_site(built_site: BuiltSite) -> None:
    assert not list(built_site.site.rglob("*.yaml"))
    assert not list(built_site.site.rglob("*.md"))
    assert (built_site.site / "assets" / "factsite-ratings.css").read_text().count(
        "--fs-rating-color") == 4


def test_linkchecker_finds_no_broken_internal_link(built_site: BuiltSite) -> None:
    linkchecker = shutil.which("linkchecker") or str(Path(sys.executable).parent / "linkchecker")
    result = subprocess.run([linkchecker, "--no-status", "--no-warnings",
                             str(built_site.site / "index.html")],
                            capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors found" in result.stdout or "no errors" in result.stdout.lower(), (
        result.stdout)


def test_raw_html_from_content_never_reaches_a_page(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    actor = project / "content" / "actors" / "anna-weiss.yaml"
    actor.write_text(actor.read_text().replace(
        "name: Anna Weiss", 'name: "Anna <script>alert(1)</script> <b>Weiss</b> *x*"'))
    site = build_project(project)
    for url in ("actors/anna-weiss/", "statements/weiss-fake-accounts/", "statements/", ""):
        raw = (site.site / url / "index.html").read_text()
        assert "<script>alert(1)" not in raw
        assert "<b>Weiss</b>" not in raw
    soup = site.html("actors/anna-weiss/")
    assert soup.select_one("article h1").get_text().startswith(
        "Anna <script>alert(1)</script> <b>Weiss</b> *x*")
    assert "<script>alert(1)" not in soup.title.decode_contents()


def test_content_error_fails_the_build_with_positions_and_keeps_the_old_site(
        tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    build_project(project)
    (project / "site" / "marker.txt").write_text("previous build")
    claim = project / "content" / "claims" / "borduria-denies-involvement.yaml"
    claim.write_text(claim.read_text().replace("rating: unproven", "rating: unprovn"))
    expected = [d.format() for d in build_graph(project).errors]
    assert expected, "the change is a content error"
    for args in (("build", "--strict"), ("build",)):
        result = mkdocs(project, *args)
        assert result.returncode != 0
        for line in expected:  # the same text as `factsite check`
            assert f"ERROR   -  {line}" in result.stderr
        assert "rating: 'unprovn' is not a rating" in result.stderr
        assert (project / "site" / "marker.txt").exists(), "the previous site is left intact"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.read().decode("utf-8", "replace")
    except OSError:
        return ""


def _wait_for(url: str, text: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    body = ""
    while time.monotonic() < deadline:
        body = _get(url)
        if text in body:
            return body
        time.sleep(0.3)
    raise AssertionError(f"{text!r} never appeared at {url}; last body: {body[:500]}")


def test_serve_survives_content_errors_and_rebuilds(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    claim = project / "content" / "claims" / "borduria-denies-involvement.yaml"
    good = claim.read_text()
    claim.write_text(good.replace("rating: unproven", "rating: unprovn"))
    expected = build_graph(project).errors[0].format()
    port = _free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a",
                               f"127.0.0.1:{port}"], cwd=project, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = f"http://127.0.0.1:{port}/"
        page = _wait_for(url, "Content errors")
        assert html.escape(expected, quote=False) in page, "the error page shows the message"
        claim.write_text(good)  # fix it: the running server rebuilds the whole site
        _wait_for(url + "claims/borduria-denies-involvement/", "cannot settle the question")
        seed = project / "seeds" / "example-report.txt"
        seed.write_text(seed.read_text().replace("thousands of fake accounts", "many accounts"))
        _wait_for(url, 'role="alert"')  # seeds/ is watched too (the last good site stays)
        assert server.poll() is None, "the server is still running"
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert f"ERROR   -  {expected}" in output


def test_feed_autodiscovery_link_on_every_page(built_site: BuiltSite) -> None:
    for url, prefix in (("", ""), ("claims/borduria-denies-involvement/", "../../"),
                        ("matrix/", "../")):
        links = built_site.html(url).select('head link[rel~=alternate]'
                                            '[type="application/atom+xml"]')
        assert [link["href"] for link in links] == [f"{prefix}feed.xml"], url
        assert links[0]["title"]
    assert (built_site.site / "feed.xml").is_file()
