"""The MkDocs adapter: pages handed over as finished HTML (on the MkDocs version that allows
it) must be exactly the pages MkDocs makes of their Markdown, which carries its own heading
anchors; anywhere else MkDocs converts the Markdown."""

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
from mkdocs.config import load_config
from mkdocs.structure.toc import get_toc

from generator import mkdocs_pages
from generator.mkdocs_pages import page_html, prebuilt_supported, toc_tokens
from generator.mkdocs_plugin import nav_titles
from generator.render.frontmatter import slugify, unique
from generator.site import Page, Section

ROOT = Path(__file__).parents[1]
_SITE_CONFIG = load_config(str(ROOT / "mkdocs.yml"))
SITE_MARKDOWN = (_SITE_CONFIG.markdown_extensions, _SITE_CONFIG.mdx_configs)
"""The site's own Markdown settings, as MkDocs passes them to Python-Markdown."""


def page_of(headings: list[tuple[int, str]]) -> Page:
    """A page with these headings (level, text), as the render stage writes them."""
    used: set[str] = set()
    sections = tuple(Section(level, text, unique(slugify(text), used))
                     for level, text in headings)
    return Page("x.md", "x", ("", *["\n<p>x</p>\n"] * len(sections)), sections=sections)


def outline(toc: Any) -> list[tuple[Any, ...]]:
    return [(link.id, html.unescape(link.title), link.level, outline(link.children))
            for link in toc]


words = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=40)
headings = st.lists(st.tuples(st.integers(1, 6), words.map(lambda t: " ".join(t.split()))
                              .filter(bool)),  # every heading the pages write has text
                    min_size=1, max_size=8)


@settings(max_examples=1000, deadline=None)
@given(headings)
def test_any_headings_come_out_as_markdown_converts_them(found: list[tuple[int, str]]) -> None:
    """Same HTML (as text), ids and table of contents as Python-Markdown with the site's
    settings makes of the page's Markdown (``## Title {#anchor}``)."""
    page = page_of(found)
    md = markdown.Markdown(extensions=SITE_MARKDOWN[0], extension_configs=SITE_MARKDOWN[1])
    theirs = md.convert(page.body)
    assert html.unescape(page_html(page)) == html.unescape(theirs.replace("\n\n", "\n"))
    assert outline(get_toc(toc_tokens(page.sections))) == outline(get_toc(md.toc_tokens))


def test_anchors_are_unique_and_follow_the_toc_slug() -> None:
    page = page_of([(1, "Café: l'été — 2024"), (2, "Context"), (2, "Context"),
                    (2, "Context_1"), (2, "!!!"), (2, "???"), (2, "a _b_ c")])
    assert [s.anchor for s in page.sections] == ["cafe-lete-2024", "context", "context_1",
                                                 "context_2", "_1", "_2", "a-_b_-c"]
    assert page.sections[-1].markdown == r"## a \_b\_ c {#a-\_b\_-c}"


def test_prebuilt_html_only_on_the_known_mkdocs_and_markdown(monkeypatch: pytest.MonkeyPatch
                                                               ) -> None:
    config = load_config(str(ROOT / "mkdocs.yml"))
    assert prebuilt_supported(config)
    config.mdx_configs["toc"] = {"permalink": "#"}
    assert not prebuilt_supported(config)
    config = load_config(str(ROOT / "mkdocs.yml"))
    monkeypatch.setattr(mkdocs_pages.mkdocs, "__version__", "1.7.0")
    assert not prebuilt_supported(config)


def test_nav_titles() -> None:
    nav = [{"Home": "index.md"}, "matrix.md",
           {"About": [{"About us": "about.md"}, {"Data": "/data/index.md"}]}]
    assert nav_titles(nav) == {"index.md": "Home", "matrix.md": None, "about.md": "About us",
                               "data/index.md": "Data"}
    assert nav_titles(None) is None


FORCE_CONVERSION = '''
def on_page_markdown(markdown, **kwargs):
    return markdown + "\\n"
'''


def converted_project(root: Path, how: str) -> BuiltSite:
    """The fixture site with every page converted by MkDocs: the plugin's fallback
    (``prebuilt_html: false``) or another plugin changing each page's Markdown."""
    make_project(root)
    settings = (root / "mkdocs.yml").read_text()
    settings = settings.replace("  - Fact-checks: claims/index.md",
                                "  - All the fact-checks: claims/index.md")
    if how == "fallback":
        settings = settings.replace("  - factsite\n", "  - factsite:\n      prebuilt_html: false\n")
    else:
        (root / "force_conversion.py").write_text(FORCE_CONVERSION)
        settings += "\nhooks:\n  - force_conversion.py\n"
    (root / "mkdocs.yml").write_text(settings)
    return build_project(root)


@pytest.fixture(scope="module", params=["fallback", "other-plugin"])
def converted_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
                   ) -> BuiltSite:
    return converted_project(tmp_path_factory.mktemp("converted") / "project", request.param)


def lines(page: Path) -> list[str]:
    """A built page's lines, blank lines aside (Markdown conversion separates blocks by
    one), with the nav title this test changes put back."""
    text = page.read_text().replace("All the fact-checks", "Fact-checks")
    return [line for line in text.splitlines() if line.strip()]


def test_prebuilt_pages_are_what_mkdocs_would_convert(built_site: BuiltSite,
                                                      converted_site: BuiltSite) -> None:
    pages = sorted(path.relative_to(built_site.site)
                   for path in built_site.site.rglob("*.html"))
    assert len(pages) > 30
    for page in pages:
        assert lines(converted_site.site / page) == lines(built_site.site / page), page


def test_nav_title_comes_from_mkdocs_yml(built_site: BuiltSite,
                                         converted_site: BuiltSite) -> None:
    def tab(site: BuiltSite) -> str:
        soup = BeautifulSoup((site.site / "index.html").read_text(), "html.parser")
        links = soup.select("nav.md-nav--primary a[href]")
        return next(a.get_text(" ", strip=True) for a in links if a["href"] == "claims/")

    assert tab(built_site) == "Fact-checks"
    assert tab(converted_site) == "All the fact-checks"


def test_page_meta_reaches_the_theme(built_site: BuiltSite) -> None:
    """Title, description and JSON-LD come from the pipeline's metadata."""
    graph_page = built_site.site / "claims" / "borduria-denies-involvement" / "index.html"
    soup = BeautifulSoup(graph_page.read_text(), "html.parser")
    assert soup.title is not None
    assert soup.title.get_text().startswith("Fact-check: Bordurian foreign ministry’s claim")
    description = soup.select_one('meta[name="description"]')
    assert description is not None and "only evidence" in description["content"]
    data = [json.loads(s.get_text()) for s in
            soup.select('script[type="application/ld+json"]')]
    assert any(thing.get("@type") == "ClaimReview" for item in data
               for thing in (item if isinstance(item, list) else [item]))


def test_serve_shows_the_errors_on_a_page_and_build_stops(tmp_path: Path) -> None:
    """Under ``mkdocs serve`` content errors before any good build give a home page with
    the errors (the server stays up);
    under ``mkdocs build`` they stop the build before MkDocs writes anything."""
    from mkdocs.exceptions import PluginError

    from generator.mkdocs_plugin import FactsitePlugin

    root = make_project(tmp_path / "project")
    claim = root / "content" / "claims" / "borduria-denies-involvement.yaml"
    claim.write_text(claim.read_text().replace("rating: unproven", "rating: fals"))
    config = load_config(str(root / "mkdocs.yml"))
    plugin = config.plugins["factsite"]
    assert isinstance(plugin, FactsitePlugin)
    plugin.on_startup(command="serve", dirty=False)
    plugin.on_pre_build(config=config)
    (page,) = plugin.site.pages
    assert page.path == "index.md" and not plugin.site.assets
    banner = plugin.serving.banner  # on every page (tests/test_serve.py)
    assert "borduria-denies-involvement.yaml:" in banner and "'fals' is not a rating" in banner
    plugin.on_startup(command="build", dirty=False)
    with pytest.raises(PluginError, match="content has errors"):
        plugin.on_pre_build(config=config)


def test_a_prebuilt_pages_file_reads_as_its_markdown_until_replaced(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The page's file holds no Markdown of its own, yet reads as the page's front matter
    and body (for any plugin that asks); content set on it wins, as on any MkDocs file."""
    config = load_config(str(ROOT / "mkdocs.yml"))
    # as while MkDocs runs the plugin's on_files (File.generated records who made it)
    monkeypatch.setattr(config.plugins, "_current_plugin", "factsite", raising=False)
    page = Page("claims/x.md", "X", ("<p>lead</p>\n", "\n<p>é—…</p>\n"),
                {"title": "X", "jsonld": '{"a":1}'}, (Section(2, "Context", "context"),))
    file = mkdocs_pages.PageFile.generated(config, page.path, content="")
    generated = mkdocs_pages.GeneratedPage("X", file, config, page, page_html(page))
    assert file.content_string == page.markdown
    assert file.content_bytes == page.markdown.encode()
    assert generated.body == page.body
    file.content_string = "# Replaced\n"
    assert (file.content_string, file.content_bytes) == ("# Replaced\n", b"# Replaced\n")


def test_a_packed_page_holds_its_text_as_strings_only_while_mkdocs_reads_or_renders_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A one-off build's page keeps its Markdown and HTML compressed: MkDocs reads the
    Markdown as usual, and ``content`` is the HTML from ``on_page_context`` (the template
    renders it) to ``on_post_page``."""
    from mkdocs.structure.files import Files

    config = load_config(str(ROOT / "mkdocs.yml"))
    monkeypatch.setattr(config.plugins, "_current_plugin", "factsite", raising=False)
    page = Page("claims/x.md", "X", ('<p class="lead">lead</p>\n', "\n<p>é—… unique</p>\n"),
                {"title": "Title from meta"}, (Section(2, "Context", "context"),))
    file = mkdocs_pages.PageFile.generated(config, page.path, content="")
    article = page_html(page)
    generated = mkdocs_pages.GeneratedPage(None, file, config, page, article, packed=True)

    def strings_held() -> list[str]:
        return [value for value in vars(generated).values()
                if isinstance(value, str) and "unique" in value]

    assert strings_held() == []
    generated.read_source(config)
    assert generated.markdown == page.body and generated.meta == page.meta
    generated.render(config, Files([]))
    assert strings_held() == []
    assert generated.content == mkdocs_pages.PACKED_CONTENT
    assert generated.markdown == page.body and generated.title == "Title from meta"
    assert [link.id for link in generated.toc] == ["context"]
    generated.unpack_content()
    assert generated.content == article
    generated.pack_content()
    assert generated.content == mkdocs_pages.PACKED_CONTENT and strings_held() == []
    assert file.content_string == page.markdown


def test_a_page_whose_markdown_another_plugin_changed_is_converted_even_when_packed(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from mkdocs.structure.files import Files

    config = load_config(str(ROOT / "mkdocs.yml"))
    monkeypatch.setattr(config.plugins, "_current_plugin", "factsite", raising=False)
    page = Page("x.md", "X", ("<p>old</p>\n",), {"title": "X"})
    file = mkdocs_pages.PageFile.generated(config, page.path, content="")
    generated = mkdocs_pages.GeneratedPage(None, file, config, page, page_html(page),
                                           packed=True)
    generated.read_source(config)
    generated.markdown = "new *text*\n"
    generated.render(config, Files([]))
    assert generated.converted and generated.content == "<p>new <em>text</em></p>"
    generated.unpack_content()
    generated.pack_content()
    assert generated.content == "<p>new <em>text</em></p>"
