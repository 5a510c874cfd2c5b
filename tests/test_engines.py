"""One site, two engines: ``mkdocs build`` with the plugin, and Zensical over the docs tree
that ``factsite build --out`` writes. Same pages and files, JSON-LD on every fact-check,
working redirects and links, the same edit links."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import build_project, make_project

from generator.build import output_file
from generator.cli import main as cli
from generator.pipeline import build_graph

ENGINE_FILES = re.compile(r"^(search/|search\.json$|sitemap\.xml\.gz$|\.cache/|"
                          r"assets/(javascripts|stylesheets|images)/)")
"""Each engine's own files (its search index, compressed sitemap, theme bundles)."""
CLAIM = "borduria-denies-involvement"


@pytest.fixture(scope="module", params=[True, False], ids=["directory-urls", "file-urls"])
def sites(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
          ) -> Builds:
    """(project, MkDocs site, Zensical site) of the fixture with some renamed records, with
    ``use_directory_urls`` true and false."""
    directory_urls = request.param
    project = make_project(tmp_path_factory.mktemp("engines") / "project")
    if not directory_urls:
        settings = project / "mkdocs.yml"
        settings.write_text(settings.read_text() + "\nuse_directory_urls: false\n")
    with (project / "content" / "claims" / f"{CLAIM}.yaml").open("a") as file:
        file.write("aliases: [old-denial]\n")
    about = project / "content" / "pages" / "about.md"
    about.write_text(about.read_text().replace("---\n", "---\naliases: [about-us]\n", 1))
    mkdocs_site = build_project(project).site
    tree = project / "tree"
    flags = [] if directory_urls else ["--no-directory-urls"]
    assert cli(["--root", str(project), "build", "--out", str(tree), *flags]) == 0
    result = subprocess.run([sys.executable, "-m", "zensical", "build"], cwd=tree,
                            capture_output=True, text=True, timeout=300, check=False,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert cli(["index", str(tree / "site")]) == 0  # the search index, as README says
    return Builds(project, mkdocs_site, tree / "site", directory_urls)


def files(site: Path) -> set[str]:
    return {str(p.relative_to(site)) for p in site.rglob("*") if p.is_file()
            and not ENGINE_FILES.match(str(p.relative_to(site)))}


def soup(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "lxml")


@dataclass(frozen=True)
class Builds:
    project: Path
    mkdocs: Path
    zensical: Path
    directory_urls: bool

    def file(self, markdown_path: str) -> str:
        """The built file of a page (``claims/x.md``) in these builds' URL style."""
        return output_file(markdown_path, self.directory_urls)


def test_both_engines_publish_the_same_pages_and_files(sites: Builds) -> None:
    mkdocs_site, zensical_site = sites.mkdocs, sites.zensical
    ours = files(mkdocs_site)
    assert len([f for f in ours if f.endswith(".html")]) > 30
    redirect = sites.file("claims/old-denial.md")
    assert {"feed.xml", "_redirects", "data/factsite.json", "data/claimreview.json",
            "assets/factsite-ratings.css", redirect} <= ours
    assert files(zensical_site) == ours
    for name in ("feed.xml", "_redirects", "data/factsite.json", redirect):
        assert (zensical_site / name).read_bytes() == (mkdocs_site / name).read_bytes()


def test_every_fact_check_carries_its_claim_review(sites: Builds) -> None:
    project, zensical_site = sites.project, sites.zensical
    claims = build_graph(project).graph.records["claims"]
    assert claims
    for claim_id in claims:
        path = sites.file(f"claims/{claim_id}.md")
        page = soup(zensical_site, path)
        things = [thing for script in page.select('script[type="application/ld+json"]')
                  for thing in json.loads(script.get_text())]
        review = next(thing for thing in things if thing["@type"] == "ClaimReview")
        assert review["url"].endswith("/" + path.removesuffix("index.html"))
        assert review["reviewRating"]["alternateName"]


def test_redirects_lead_to_the_record(sites: Builds) -> None:
    zensical_site = sites.zensical
    for old, new in (("claims/old-denial.md", f"claims/{CLAIM}.md"),
                     ("about-us.md", "about.md")):
        old_file, new_file = sites.file(old), sites.file(new)
        refresh = soup(zensical_site, old_file).select_one('meta[http-equiv="refresh"]')
        assert refresh is not None
        target = (zensical_site / old_file).parent / refresh["content"].split("url=")[1]
        target = target / "index.html" if target.is_dir() else target
        assert target.resolve() == (zensical_site / new_file).resolve()


def edit_links(site: Path) -> dict[str, str | None]:
    found = {}
    for page in site.rglob("*.html"):
        link = soup(site, str(page.relative_to(site))).select_one('a[rel="edit"]')
        found[str(page.relative_to(site))] = link["href"] if link else None
    return found


def test_edit_links_open_the_records_source(sites: Builds) -> None:
    mkdocs_site, zensical_site = sites.mkdocs, sites.zensical
    ours = edit_links(mkdocs_site)
    assert ours[sites.file(f"claims/{CLAIM}.md")] == (
        f"https://github.com/factsite/factsite/edit/main/content/claims/{CLAIM}.yaml")
    assert ours[sites.file("about.md")].endswith("/content/pages/about.md")
    assert ours["claims/index.html"] is None  # a generated page has no source
    assert edit_links(zensical_site) == ours


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_no_internal_link_is_broken(sites: Builds, engine: str) -> None:
    """Zensical rewrites relative links in raw HTML from the Markdown file's place: the
    tree's pages are written that way, so every link still lands on a page."""
    site = getattr(sites, engine)
    checked = 0
    for page in site.rglob("*.html"):
        if page.name == "404.html" or "old-denial" in str(page) or "about-us" in str(page):
            continue
        for link in BeautifulSoup(page.read_text(encoding="utf-8"), "lxml").select(
                "article a[href]"):
            href = link["href"].split("#")[0]
            if not href or re.match(r"^[a-z]+:|^//", href):
                continue
            target = (page.parent / href).resolve()
            target = target / "index.html" if target.is_dir() else target
            assert target.is_file(), f"{page.relative_to(site)}: {link['href']}"
            checked += 1
    assert checked > 100
