"""Generated pages skip MkDocs' Markdown conversion: their headings, ids, permalinks and
table of contents must be exactly what the site's Markdown configuration would write."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import markdown
import pytest
from bs4 import BeautifulSoup
from conftest import BuiltSite, build_project, make_project
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown.extensions.toc import slugify_unicode
from mkdocs.structure.toc import get_toc

from generator.mkdocs_pages import HeadingFormat, heading_line, headings_only, nav_titles

Markdown = tuple[list[Any], dict[str, Any]]
"""Extensions and their configuration, as MkDocs passes them to Python-Markdown."""


def converted(cfg: Markdown, headings: list[tuple[int, str]]) -> tuple[str, list[Any]]:
    """What Python-Markdown itself makes of the same heading lines."""
    md = markdown.Markdown(extensions=cfg[0], extension_configs=cfg[1])
    text = md.convert("\n\n".join(heading_line(level, words) for level, words in headings))
    return text, get_toc(md.toc_tokens)  # type: ignore[attr-defined]


def prebuilt(found: HeadingFormat, headings: list[tuple[int, str]]) -> tuple[str, list[Any]]:
    lines = [heading_line(level, words) for level, words in headings]
    text, tokens, _ = found.page(headings_only(lines))
    return text, get_toc(tokens)


def outline(toc: list[Any]) -> list[tuple[Any, ...]]:
    return [(link.id, html.unescape(link.title), link.level, outline(link.children))
            for link in toc]


SITE: Markdown = (["tables", "attr_list", "toc"], {"toc": {"permalink": True}})
FORMAT = HeadingFormat.learn(*SITE)
SAMPLE = [(1, "Borduria denies involvement: \"We did nothing\" & <never> will"),
          (2, "Context"), (2, "Context"), (3, "Key figures"), (2, "What it is about"),
          (2, "Café — l'été 2024 [draft] *not* emphasis"), (6, "Deep"), (2, "")]

words = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=40)
headings = st.lists(st.tuples(st.integers(1, 6), words.map(lambda t: " ".join(t.split()))),
                    min_size=1, max_size=8)


@settings(max_examples=300, deadline=None)
@given(headings)
def test_any_headings_come_out_as_markdown_writes_them(found: list[tuple[int, str]]) -> None:
    assert FORMAT is not None
    ours, toc = prebuilt(FORMAT, found)
    theirs, expected = converted(SITE, found)
    assert html.unescape(ours) == html.unescape(theirs)
    assert outline(toc) == outline(expected)


@pytest.mark.parametrize("toc", [
    {"permalink": True},
    {"permalink": "#", "permalink_title": "Link to this section", "permalink_class": "x"},
    {"permalink": True, "permalink_leading": True},
    {"anchorlink": True},
    {"baselevel": 2},
    {"toc_depth": 2},
    {"toc_depth": "2-3"},
    {"slugify": slugify_unicode, "separator": "_"},
    {},
])
def test_the_site_toc_options_are_followed(toc: dict[str, Any]) -> None:
    cfg: Markdown = (["attr_list", "toc"], {"toc": toc})
    found = HeadingFormat.learn(*cfg)
    assert found is not None
    ours, toc_links = prebuilt(found, SAMPLE)
    theirs, expected = converted(cfg, SAMPLE)
    assert html.unescape(ours) == html.unescape(theirs)
    assert outline(toc_links) == outline(expected)


@pytest.mark.parametrize("extensions", [["tables"], ["toc", "smarty"]])
def test_configurations_it_cannot_reproduce_fall_back_to_markdown(extensions: list[str]
                                                                   ) -> None:
    """No ``toc`` extension (no ids to learn), or one that rewrites heading text."""
    assert HeadingFormat.learn(extensions) is None


def test_nav_titles() -> None:
    nav = [{"Home": "index.md"}, "matrix.md",
           {"About": [{"About us": "about.md"}, {"Data": "/data/index.md"}]}]
    assert nav_titles(nav) == {"index.md": "Home", "about.md": "About us",
                               "data/index.md": "Data"}
    assert nav_titles(None) == {}


FORCE_CONVERSION = '''
def on_page_markdown(markdown, **kwargs):
    return markdown + "\\n"
'''


@pytest.fixture(scope="module")
def converted_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The fixture site again, with a hook that changes every page's Markdown, so MkDocs
    converts every page itself; and a nav title that differs from the page's own."""
    root = make_project(tmp_path_factory.mktemp("converted") / "project")
    (root / "force_conversion.py").write_text(FORCE_CONVERSION)
    settings = (root / "mkdocs.yml").read_text()
    settings = settings.replace("  - Fact-checks: claims/index.md",
                                "  - All the fact-checks: claims/index.md")
    (root / "mkdocs.yml").write_text(settings + "\nhooks:\n  - force_conversion.py\n")
    return build_project(root)


def article(page: Path) -> str:
    soup = BeautifulSoup(page.read_text(), "html.parser")
    parts = [soup.select_one("article"), soup.select_one("nav.md-nav--secondary")]
    return " ".join(" ".join(str(part).split()) for part in parts if part is not None)


def test_prebuilt_pages_are_what_mkdocs_would_convert(built_site: BuiltSite,
                                                      converted_site: BuiltSite) -> None:
    pages = sorted(path.relative_to(built_site.site)
                   for path in built_site.site.rglob("*.html"))
    assert len(pages) > 30
    for page in pages:
        assert article(converted_site.site / page) == article(built_site.site / page), page


def test_nav_title_comes_from_mkdocs_yml(built_site: BuiltSite,
                                         converted_site: BuiltSite) -> None:
    def tab(site: BuiltSite) -> str:
        soup = BeautifulSoup((site.site / "index.html").read_text(), "html.parser")
        links = soup.select("nav.md-nav--primary a[href]")
        return next(a.get_text(" ", strip=True) for a in links if a["href"] == "claims/")

    assert tab(built_site) == "Fact-checks"
    assert tab(converted_site) == "All the fact-checks"


def test_page_meta_reaches_the_theme(built_site: BuiltSite) -> None:
    """Title, description and JSON-LD come from the pipeline's metadata, not a re-read of
    the front matter."""
    graph_page = built_site.site / "claims" / "borduria-denies-involvement" / "index.html"
    soup = BeautifulSoup(graph_page.read_text(), "html.parser")
    assert soup.title is not None and soup.title.get_text().startswith("Borduria")
    assert soup.select_one('meta[name="description"]') is not None
    data = [json.loads(s.get_text()) for s in
            soup.select('script[type="application/ld+json"]')]
    assert any(thing.get("@type") == "ClaimReview" for item in data
               for thing in (item if isinstance(item, list) else [item]))
