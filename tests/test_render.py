"""Pure rendering: URLs, front matter, escaping, headings and the jsonld hook."""

from __future__ import annotations

import gc
import json
import posixpath
import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st

from generator.markdown import commonmark, to_html
from generator.pipeline import build_graph
from generator.render import (
    RenderOptions,
    front_matter,
    page_url,
    relative_url,
    render_pages,
)
from generator.render.pages import _ENV, _Layout, _Renderer
from generator.site import Page, Section

FIXTURE = Path(__file__).parent / "fixtures" / "basic"
GRAPH = build_graph(FIXTURE).graph


@pytest.mark.parametrize(("path", "pretty", "plain"), [
    ("index.md", "", "index.html"),
    ("claims/index.md", "claims/", "claims/index.html"),
    ("claims/x.md", "claims/x/", "claims/x.html"),
    ("about.md", "about/", "about.html"),
])
def test_page_url(path: str, pretty: str, plain: str) -> None:
    assert page_url(path) == pretty
    assert page_url(path, use_directory_urls=False) == plain


@pytest.mark.parametrize(("source", "target", "pretty", "plain"), [
    ("claims/x.md", "actors/y.md", "../../actors/y/", "../actors/y.html"),
    ("claims/x.md", "claims/z.md", "../../claims/z/", "../claims/z.html"),
    ("claims/index.md", "claims/x.md", "../claims/x/", "../claims/x.html"),
    ("index.md", "claims/x.md", "claims/x/", "claims/x.html"),
    ("claims/x.md", "index.md", "../../", "../index.html"),
    ("matrix.md", "statements/s.md", "../statements/s/", "statements/s.html"),
    ("index.md", "index.md", "./", "index.html"),
])
def test_relative_url(source: str, target: str, pretty: str, plain: str) -> None:
    assert relative_url(source, target) == pretty
    assert relative_url(source, target, use_directory_urls=False) == plain


segment = st.from_regex(r"[a-z0-9]{1,5}", fullmatch=True)
paths = st.lists(segment, min_size=1, max_size=3).map(lambda parts: "/".join(parts) + ".md")


@given(paths, paths, st.booleans())
def test_relative_url_resolves_to_the_target(source: str, target: str, pretty: bool) -> None:
    here = page_url(source, pretty)
    base = here if pretty else posixpath.dirname(here) + "/"
    resolved = posixpath.normpath(posixpath.join(base.lstrip("/") or ".",
                                                 relative_url(source, target, pretty)))
    assert resolved == (posixpath.normpath(page_url(target, pretty)) or ".")


def test_front_matter_is_yaml_with_escaped_text() -> None:
    head = front_matter('A "quoted" <script>x</script> & co', description="d <b>",
                        search_exclude=True, jsonld='{"a": "</script>"}')
    data = yaml.safe_load(head.strip().strip("-"))
    assert data["title"] == "A &quot;quoted&quot; &lt;script&gt;x&lt;/script&gt; &amp; co"
    assert data["description"] == "d &lt;b&gt;"
    assert data["search"] == {"exclude": True}
    assert data["jsonld"] == '{"a": "</script>"}'


def test_every_record_and_index_is_rendered_with_its_source() -> None:
    pages = {page.path: page for page in render_pages(GRAPH)}
    for record in GRAPH.all():
        path = (f"{record.id}.md" if record.collection == "pages"
                else f"{record.collection}/{record.id}.md")
        assert pages[path].source == record.file.removeprefix("content/")
    for path in ("index.md", "matrix.md", "timeline.md", "corrections.md", "claims/index.md"):
        assert pages[path].source is None
        assert pages[path].meta["search"] == {"exclude": True}


def test_record_pages_leave_no_cyclic_garbage() -> None:
    """The build renders with the garbage collector paused (pipeline.collection_paused), so
    what a page leaves in reference cycles stays in memory until the build ends, for each
    of thousands of record pages: a template imported ``with context`` left about 100 kB
    a page on the pages of actors, elections and tactics."""
    render_pages(GRAPH)  # templates compiled and cached
    gc.collect()
    gc.disable()
    try:
        _Renderer(GRAPH, RenderOptions()).records(None)
        assert gc.collect() == 0, "rendering the record pages made reference cycles"
    finally:
        gc.enable()


def test_meta_is_what_the_front_matter_says() -> None:
    """Engines that read the front matter and the plugin, which takes ``meta`` as it is,
    see the same metadata."""
    for page in render_pages(GRAPH, RenderOptions(), jsonld=lambda *_: '{"a": "</script>"}'):
        front, _, body = page.markdown.removeprefix("---\n").partition("\n---\n")
        assert yaml.safe_load(front) == page.meta, page.path
        assert body.lstrip("\n") == page.body


def test_jsonld_hook_reaches_front_matter() -> None:
    calls = []

    def hook(kind: str, record: object, path: str) -> str | None:
        calls.append((kind, path))
        return json.dumps({"@type": "ClaimReview"}) if kind == "claims" else None

    pages = {page.path: page for page in render_pages(GRAPH, RenderOptions(), jsonld=hook)}
    meta = yaml.safe_load(pages["claims/borduria-denies-involvement.md"].markdown.split("---")[1])
    assert json.loads(meta["jsonld"]) == {"@type": "ClaimReview"}
    assert "jsonld" not in pages["statements/weiss-fake-accounts.md"].markdown
    assert ("home", "index.md") in calls


def test_plain_urls_option() -> None:
    pages = {page.path: page for page in render_pages(GRAPH, RenderOptions(False))}
    assert 'href="../statements/weiss-fake-accounts.html"' in (
        pages["claims/borduria-denies-involvement.md"].markdown)


def test_markdown_fields_are_rendered_safely() -> None:
    graph = build_graph(FIXTURE).graph
    actor = graph.get("actors", "borduria")
    actor.description = "Hi <img src=x onerror=alert(1)> [x](javascript:alert(1)) **bold**"
    page = next(p for p in render_pages(graph) if p.path == "actors/borduria.md")
    assert "<img" not in page.markdown
    assert "href=\"javascript" not in page.markdown
    assert "<strong>bold</strong>" in page.markdown


def test_editor_headings_sit_below_the_page_heading() -> None:
    graph = build_graph(FIXTURE).graph
    explainer = graph.get("explainers", "borduria-campaign")
    explainer._body = "# Top\n\nText.\n\n### Deeper\n\nMore.\n\n# Again"
    claim = graph.get("claims", "borduria-denies-involvement")
    claim.analysis = "# Under analysis\n\nText."
    rendered = {p.path: p for p in render_pages(graph)}
    pages = {path: page.markdown for path, page in rendered.items()}
    body = pages["explainers/borduria-campaign.md"]
    sections = [(s.level, s.title) for s in rendered["explainers/borduria-campaign.md"].sections]
    assert sections[1:4] == [(2, "Top"), (3, "Deeper"), (2, "Again")], (
        "the editor's headings are sections of the page, below its title")
    assert "<h1" not in body, "only the page's own title is an h1"
    assert "<h3>Under analysis</h3>" in pages["claims/borduria-denies-involvement.md"], (
        "inside the Analysis section (h2) the editor's top heading is an h3")


def test_shift_headings_caps_at_h6() -> None:
    from generator.render import shift_headings

    assert shift_headings("<h1>a</h1><h2>b</h2><h6>c</h6>", 5) == "<h5>a</h5><h6>b</h6><h6>c</h6>"
    assert shift_headings("<p>x</p><header>y</header>", 2) == "<p>x</p><header>y</header>"


def test_sitemap_dates_come_from_the_records() -> None:
    pages = {p.path: p for p in render_pages(GRAPH)}
    assert pages["claims/borduria-denies-involvement.md"].updated == "2022-12-05"
    assert pages["statements/weiss-fake-accounts.md"].updated == "2022-11-14"
    assert pages["index.md"].updated == max(p.updated for p in pages.values() if p.updated)


def test_mention_lists_keep_date_kind_link_and_roles() -> None:
    """A source's "Cited by" lists each citing record on one line (a list, not a 4-column
    table): the date (machine-readable), the kind, the link and how it cites it, in words."""
    pages = {page.path: page for page in render_pages(GRAPH)}
    text = pages["sources/example-report.md"].markdown
    mentions = text.split('<ul class="fs-mentions">')[1].split("</ul>")[0]
    assert ('<li><time datetime="2022-11">November 2022</time> · Statement: '
            '<a href="../../statements/borduria-denial/">') in mentions
    assert "— cites it as a source</span></li>" in mentions
    assert "(cited)" not in mentions and "<table" not in mentions


def test_templates_escape_every_value() -> None:
    """Every value a template shows is HTML-escaped."""
    graph = build_graph(FIXTURE).graph
    hostile = "<script>alert(1)</script> & \"q\""
    graph.get("sources", "example-report").publisher = hostile
    graph.get("tactics", "fake-news-sites").summary = hostile
    pages = {page.path: page.markdown for page in render_pages(graph)}
    for path in ("sources/example-report.md", "sources/index.md", "tactics/fake-news-sites.md",
                 "tactics/index.md"):
        assert "<script>" not in pages[path], path
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; " in pages[path], path


def _article(pages: dict[str, Page], path: str) -> BeautifulSoup:
    return BeautifulSoup(pages[path].markdown, "lxml")


def test_claim_page_links_every_related_record_once(project: Path) -> None:
    """About, claimant and records named only in the analysis each appear once: the
    analysis' extra references get an "Also mentioned" list instead of repeated lists."""
    claim = project / "content" / "claims" / "borduria-denies-involvement.yaml"
    claim.write_text(claim.read_text().replace(
        "is an accusation, not proof.",
        "is an accusation, not proof. See [[actors/anna-weiss]] and [[tactics/fake-accounts]]."))
    result = build_graph(project)
    assert result.errors == []
    pages = {page.path: page for page in render_pages(result.graph)}
    soup = _article(pages, "claims/borduria-denies-involvement.md")
    heading = re.compile(r"What it is about|Also mentioned")
    facts = {heading.search(dl.find_previous(string=heading)).group():
             {dt.get_text(): [a["href"] for a in dt.find_next_sibling("dd").select("a")]
              for dt in dl.select("dt")} for dl in soup.select("dl.fs-facts")}
    assert facts == {
        "What it is about": {"Elections": ["../../elections/ruritania-general-2022/"],
                             "Actors": ["../../actors/borduria/"]},
        "Also mentioned": {"Tactics": ["../../tactics/fake-accounts/"],
                           "Actors": ["../../actors/anna-weiss/"]},
    }
    plain = {page.path: page for page in render_pages(GRAPH)}
    assert "Also mentioned" not in plain["claims/borduria-denies-involvement.md"].markdown, (
        "nothing beyond the claimant and 'about': no empty section")


def test_statement_byline_carries_speaker_date_and_form() -> None:
    pages = {page.path: page for page in render_pages(GRAPH)}
    soup = _article(pages, "statements/weiss-fake-accounts.md")
    caption = soup.select_one("figure.fs-statement figcaption")
    assert caption.select_one("a")["href"] == "../../actors/anna-weiss/"
    assert "Verbatim, as reported" in soup.select_one("figure.fs-statement .fs-form").get_text()
    assert "2022" in caption.get_text() and "quoted in" in caption.get_text()
    labels = [dt.get_text() for dt in soup.select("dl.fs-facts dt")]
    assert "Speaker" not in labels and "Date" not in labels, "not repeated under the quote"


def test_editor_markdown_renders_commonmark_and_tables() -> None:
    html = to_html("Some *emphasis*, `code` and [[actors/x|a label]].\n\n"
                   "1. one\n2. two\n\n| left | right |\n|:--|--:|\n| a | b |\n",
                   lambda reference: ("../../actors/x/", "X"))
    assert "<em>emphasis</em>" in html and "<code>code</code>" in html
    assert '<a href="../../actors/x/" rel="noopener noreferrer">a label</a>' in html
    assert "<ol>\n<li>one</li>" in html
    assert '<th align="left">left</th>' in html and '<td align="right">b</td>' in html


_MARKDOWN_PIECES = st.sampled_from([
    "# h", "## h", "*a*", "_b_", "`c`", "<b>x</b>", "<script>x</script>", "[l](http://x)",
    "[j](javascript:alert(1))", "~~s~~", "www.example.com", "http://a.b", "- item", "1. item",
    "> q", "```\ncode\n```", "    indented", "---", "a\\", "&amp;", "&#0;", "\n", "\n\n", " ",
    "word", "<!-- c -->", "![i](http://x/i.png)", "a  \nb", "[r]\n\n[r]: http://x",
    "<http://auto>", "* [ ] task", "\t", ":--", "é",
])


def test_a_one_column_table_without_a_pipe_is_a_table() -> None:
    """GFM reads a delimiter row under one line as a table even without a '|' (found by
    Hypothesis against the old '|' shortcut, which rendered it as a paragraph)."""
    assert commonmark("*a*\n:--").startswith("<table>")


def test_a_template_declares_its_headings_where_they_are() -> None:
    """``{{ section(…) }}`` records each heading at its place in the output, in loops and
    included templates too: the page's blocks are the HTML between its headings."""
    template = _ENV.from_string(
        "{{ section(1, 'Top') }}\n<p>a</p>\n{% for x in xs %}{{ section(2, x) }}\n<p>{{ x }}</p>\n"
        "{% endfor %}")
    layout = _Layout()
    blocks, sections = layout.run(template.generate(section=layout.section, xs=["B", "B"]))
    assert sections == (Section(1, "Top", "top"), Section(2, "B", "b"), Section(2, "B", "b_1"))
    assert blocks == ("", "\n<p>a</p>\n", "\n<p>B</p>\n", "\n<p>B</p>\n")


def test_a_macro_may_not_declare_sections() -> None:
    """A macro's output arrives in one piece, so headings inside it cannot be placed: the
    layout refuses them rather than putting them in the wrong place."""
    template = _ENV.from_string(
        "{% macro two() %}{{ section(2, 'A') }}<p>a</p>{{ section(2, 'B') }}{% endmacro %}"
        "{{ section(1, 'Top') }}{{ two() }}")
    layout = _Layout()
    with pytest.raises(ValueError, match="inside a macro"):
        layout.run(template.generate(section=layout.section))


def test_editor_prose_is_rendered_in_the_page() -> None:
    """Prose is converted where the template puts it (no placeholder left behind)."""
    pages = {page.path: page for page in render_pages(GRAPH)}
    claim = GRAPH.get("claims", "borduria-denies-involvement")
    html = pages["claims/borduria-denies-involvement.md"].markdown
    first_words = " ".join(claim.analysis.split()[:3])
    assert first_words in BeautifulSoup(html, "lxml").get_text()
    assert "\x00" not in "".join(page.markdown for page in pages.values())
