"""Render stage: the linked graph → one Markdown page per record, index and overview.

Pure functions (no MkDocs import): the MkDocs plugin adds the pages to a build, and
``factsite pages --out DIR`` writes them into a plain docs folder for any other engine.

Record, index and overview pages are built in plain Python (a few rarely-built pages still
use Jinja templates). Safety: every content string reaches the Markdown either HTML-escaped
inside an HTML block (markupsafe's ``escape``, which is what Jinja's autoescaping calls),
through :func:`markdown.escape_inline` (Markdown headings), or as
editor Markdown rendered and sanitised by :func:`markdown.to_html`. Links inside HTML blocks
are final relative URLs, because MkDocs does not rewrite links in raw HTML.
"""

from __future__ import annotations

import html
import json
import re
import secrets
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from . import markdown
from .graph import SINGULAR, Graph, shorten
from .models import Citation, Claim, Election, Record, Statement, Tactic
from .types import PartialDate, country_name

JsonLd = Callable[[str, Record | None, str], str | None]
"""Hook for structured data: ``(kind, record or None, page path) -> JSON string or None``."""

RECORD_KINDS = ("claims", "statements", "elections", "tactics", "actors", "sources", "explainers")
SECTION_TITLES = {
    "claims": "Fact-checks", "statements": "Statements", "elections": "Elections",
    "tactics": "Tactics", "actors": "Actors", "sources": "Sources", "explainers": "Explainers",
}
KIND_LABELS = {kind: singular.capitalize() for kind, singular in SINGULAR.items()}
KIND_LABELS["claims"] = "Fact-check"
ROLE_LABELS = {
    "speaker": "speaker", "on_behalf_of": "on whose behalf", "claimant": "claimant",
    "about": "about", "evidence": "evidence", "citations": "cited", "appearances": "appearance",
    "context": "mentioned", "analysis": "mentioned", "updates": "mentioned",
}
RATINGS_CSS = "assets/factsite-ratings.css"


@dataclass(frozen=True)
class RenderOptions:
    use_directory_urls: bool = True


@dataclass(frozen=True)
class RenderedPage:
    """One generated page: where it goes, its full Markdown, and the content file it shows."""

    path: str
    markdown: str
    source: str | None = None
    """Content file relative to ``content/`` (``claims/x.yaml``), or None when generated."""
    kind: str = "index"
    record_id: str | None = None
    updated: str | None = None
    """ISO date of the page's newest content (the sitemap's ``lastmod``), if known."""
    front: str = ""
    """The YAML front matter on its own (set with ``parts``)."""
    parts: tuple[str, ...] = ()
    """The body split into raw HTML blocks and Markdown heading lines, alternating
    (``html, heading, html, …, html``): lets an engine insert the HTML blocks without
    parsing them again. Empty when the page is not split (``markdown`` is then all)."""


# -- URLs ------------------------------------------------------------------------------------


def record_path(kind: str, record_id: str) -> str:
    """The Markdown path of a record's page (``claims/x.md``; pages sit at the top)."""
    return f"{record_id}.md" if kind == "pages" else f"{kind}/{record_id}.md"


def page_url(path: str, use_directory_urls: bool = True) -> str:
    """The URL MkDocs gives ``path`` (relative to the site root, no leading slash)."""
    stem = path.removesuffix(".md")
    if not use_directory_urls:
        return f"{stem}.html"
    if stem == "index":
        return ""
    return f"{stem.removesuffix('/index')}/" if stem.endswith("/index") else f"{stem}/"


def relative_url(from_path: str, to_path: str, use_directory_urls: bool = True) -> str:
    """Relative link from the page at ``from_path`` to the page at ``to_path``.

    Always goes up to the site root and down again (``../../actors/x/``): cheap, and the
    same for every page at one depth.
    """
    return (root_prefix(from_path, use_directory_urls) + page_url(to_path, use_directory_urls)
            or "./")


def root_prefix(path: str, use_directory_urls: bool = True) -> str:
    """``../`` repeated to climb from the page at ``path`` to the site root."""
    return "../" * page_url(path, use_directory_urls).count("/")


# -- formatting helpers used by the templates -------------------------------------------------


def display_date(value: Any) -> str:
    if isinstance(value, PartialDate):
        return value.display()
    if value is None:
        return ""
    return f"{value.day} {value.strftime('%B')} {value.year}"


def iso(value: Any) -> str:
    return str(value) if isinstance(value, PartialDate) else value.isoformat() if value else ""


def year_of(value: Any) -> str:
    return str(value.year) if value is not None else ""


def sort_key(value: Any) -> tuple[int, int, int]:
    if isinstance(value, PartialDate):
        return value.sort_key
    return (value.year, value.month, value.day)


def record_date(record: Record) -> Any:
    """The date a record is placed at on timelines and in tables."""
    for attribute in ("date", "claimed", "published"):
        value = getattr(record, attribute, None)
        if value is not None:
            return value
    return None


HEADING_MARK = f"\x00fs-heading-{secrets.token_hex(8)}\x00"
"""Put by the templates before each Markdown heading line, so the body can be split into
headings and HTML blocks exactly (content can't contain this per-process random mark)."""


# -- hot fragments in plain Python (the same HTML the Jinja macros gave, ~10x faster) ------
#
# Safety as in the templates: every value goes through markupsafe's ``escape`` (what Jinja's
# autoescaping calls); links and prose are ``Markup`` already and pass through unchanged.


def _facts(items: Iterable[tuple[str, Any]]) -> str:
    rows = "".join(f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>\n"
                   for label, value in items if value)
    return f'<dl class="fs-facts">\n{rows}</dl>\n'


class _Fragments:
    """Mixed into :class:`Context`: the page parts every record page uses."""

    graph: Graph
    link: Callable[..., Markup]
    link_id: Callable[..., Markup]
    prose: Callable[..., Markup]
    title: Callable[[Record], str]
    rating: Callable[[str], Markup]
    mentions: Callable[..., list[dict[str, Any]]]
    associations: Callable[..., list[Any]]

    def facts(self, items: Iterable[tuple[str, Any]]) -> Markup:
        return Markup(_facts(items))

    def links(self, kind: str, ids: Iterable[str]) -> Markup:
        return Markup(", ").join(self.link_id(kind, record_id) for record_id in ids)

    def citation(self, item: Citation) -> str:
        source: Any = self.graph.get("sources", item.source)
        out = []
        if item.quote:
            out.append(f'<blockquote class="fs-citation__quote"><p>{escape(item.quote)}</p>'
                       "</blockquote>")
        out.append(f'<p class="fs-citation__source">{self.link(source)}')
        if source:
            out.append(f", {escape(source.publisher)}, {escape(display_date(source.published))}")
        if item.locator:
            out.append(f", {escape(item.locator)}")
        if source and source.url:
            out.append(f' · <a href="{escape(source.url)}" rel="nofollow noopener">original</a>')
        if source and source.archived_url:
            out.append(f' · <a href="{escape(source.archived_url)}" rel="nofollow noopener">'
                       "archived copy</a>")
        if source and source.availability == "reported-only":
            out.append(' · <span class="fs-tag">reported only</span>')
        out.append("</p>\n")
        if item.note:
            out.append(f'<p class="fs-citation__note">Note: {escape(item.note)}</p>')
        return "".join(out)

    def citations(self, items: Iterable[Any], id_prefix: str) -> Markup:
        out = ['<ol class="fs-citations">\n']
        for index, item in enumerate(items, 1):
            out.append(f'<li id="{escape(id_prefix)}-{index}">\n')
            if isinstance(item, Citation):
                out.append(self.citation(item))
            else:
                statement = self.graph.get("statements", item.statement)
                when = (f", {escape(display_date(statement.date))}"  # type: ignore[attr-defined]
                        if statement else "")
                out.append(f'<p class="fs-citation__source">Statement: {self.link(statement)}'
                           f"{when}</p>\n")
            out.append("</li>\n")
        out.append("</ol>\n")
        return Markup("".join(out))

    def about(self, value: Any) -> Markup:
        if value.is_empty():
            return Markup("")
        facts = _facts([("Elections", self.links("elections", value.elections)),
                        ("Tactics", self.links("tactics", value.tactics)),
                        ("Actors", self.links("actors", value.actors)),
                        ("Countries", ", ".join(map(country_name, value.countries)))])
        return Markup(f"{HEADING_MARK}## What it is about\n\n{facts}")

    def updates(self, record: Record) -> Markup:
        if not record.updates:
            return Markup("")
        items = "".join(
            f'<li><time datetime="{escape(iso(update.date))}">'
            f"{escape(display_date(update.date))}</time> "
            f'<span class="fs-tag fs-tag--{escape(update.kind)}">'
            f"{escape(update.kind.capitalize())}</span>"
            f'<div class="fs-prose">{self.prose(update.note, 3)}</div></li>\n'
            for update in sorted(record.updates, key=lambda u: u.date, reverse=True))
        return Markup(f'{HEADING_MARK}## Update log\n\n<ol class="fs-updates" reversed>\n'
                      f"{items}</ol>\n")

    def tags(self, record: Record) -> Markup:
        if not record.tags:
            return Markup("")
        tags = " ".join(f'<span class="fs-tag">{escape(tag)}</span>' for tag in record.tags)
        return Markup(f'<p class="fs-tags">Tags: {tags}</p>\n')

    def mentions_table(self, rows: list[dict[str, Any]]) -> Markup:
        """Newest first: date, kind, link and roles per line (a list, not a table: a
        quarter of the tags for the same text, and no sorting/filtering is offered here)."""
        if not rows:
            return Markup("<p>No statement or fact-check mentions it yet.</p>\n")
        out = ['<ul class="fs-mentions">\n']
        for row in rows:
            r = row["record"]
            when = r.date if r.collection == "statements" else r.claimed
            out.append(f'<li><time datetime="{escape(iso(when))}">{escape(display_date(when))}'
                       f"</time> · {escape(KIND_LABELS[r.collection])}: {self.link(r)} "
                       f"({escape(', '.join(row['roles']))})</li>\n")
        out.append("</ul>\n")
        return Markup("".join(out))

    def via_label(self, record: Record) -> str:
        return f"{KIND_LABELS[record.collection]}: {shorten(self.title(record), 70)}"

    def association_list(self, heading: str, pairs: list[Any]) -> Markup:
        if not pairs:
            return Markup("")
        out = [f'{HEADING_MARK}## {escape(heading)}\n\n<ul class="fs-associations">\n']
        for other, via in pairs:
            sources = "; ".join(self.link(m, self.via_label(m)) for m in via[:3])
            more = f" and {len(via) - 3} more in the list above" if len(via) > 3 else ""
            out.append(f'<li>{self.link(other)} <span class="fs-via">— according to '
                       f"{sources}{more}</span></li>\n")
        out.append("</ul>\n")
        return Markup("".join(out))

    def graph_sections(self, kind: str, record_id: str, others: list[tuple[str, str]]
                       ) -> Markup:
        parts = [f"{HEADING_MARK}## Statements and fact-checks\n\n",
                 self.mentions_table(self.mentions(kind, record_id))]
        for other, heading in others:
            parts.append("\n")
            parts.append(self.association_list(heading,
                                               self.associations(kind, record_id, other)))
        return Markup("".join(parts))


class Context(_Fragments):
    """Helpers bound to the page being rendered (relative links need to know where it is)."""

    def __init__(self, graph: Graph, path: str, options: RenderOptions,
                 cache: dict[tuple[str, ...], Any] | None = None) -> None:
        self.graph = graph
        self.path = path
        self.options = options
        self.prefix = root_prefix(path, options.use_directory_urls)
        self.cache = cache if cache is not None else {}
        """Shared by every page of one build: links by (prefix, kind, id, label), titles
        by (kind, id), rating badges by (id,)."""

    def href(self, to_path: str) -> str:
        return self.prefix + page_url(to_path, self.options.use_directory_urls) or "./"

    def record_href(self, kind: str, record_id: str) -> str:
        return self.href(record_path(kind, record_id))

    def title(self, record: Record) -> str:
        key = (record.collection, record.id)
        found = self.cache.get(key)
        if found is None:
            found = self.cache[key] = self.graph.title(record)
        return found

    def link(self, record: Record | None, label: str | None = None) -> Markup:
        if record is None:
            return Markup("")
        key = (self.prefix, record.collection, record.id, label or "")
        found = self.cache.get(key)
        if found is None:
            text = label if label is not None else self.title(record)
            href = self.record_href(record.collection, record.id)
            found = self.cache[key] = Markup(f'<a href="{escape(href)}">{escape(text)}</a>')
        return found

    def link_id(self, kind: str, record_id: str | None) -> Markup:
        return self.link(self.graph.get(kind, record_id)) if record_id else Markup("")

    def prose(self, text: str | None, top: int = 2) -> Markup:
        """Editor Markdown → sanitised HTML with ``[[refs]]`` as relative links.

        The editor's headings are renumbered to start at ``h{top}`` (below the page's
        own headings) without gaps, capped at ``h6``.
        """
        if not text:
            return Markup("")
        return Markup(shift_headings(markdown.to_html(text, self.resolve), top))

    def resolve(self, reference: markdown.Reference) -> tuple[str, str] | None:
        record = self.graph.get(reference.kind, reference.id)
        if record is None:
            return None
        return self.record_href(reference.kind, reference.id), self.title(record)

    def rating(self, rating_id: str) -> Markup:
        found = self.cache.get((rating_id,))
        if found is None:
            found = self.cache[(rating_id,)] = self._rating(rating_id)
        return found

    def _rating(self, rating_id: str) -> Markup:
        site = self.graph.site
        rating = site.rating(rating_id) if site else None
        label = rating.label if rating else rating_id
        return Markup('<span class="fs-rating fs-rating--{}" title="Rating: {}">'
                      '<span class="fs-rating__icon" aria-hidden="true"></span>{}</span>'
                      ).format(rating_id, label, label)

    def rating_label(self, rating_id: str) -> str:
        site = self.graph.site
        rating = site.rating(rating_id) if site else None
        return rating.label if rating else rating_id

    def name(self, kind: str, record_id: str | None) -> str:
        record = self.graph.get(kind, record_id) if record_id else None
        return self.title(record) if record is not None else (record_id or "")

    def mentions(self, kind: str, record_id: str) -> list[dict[str, Any]]:
        """Statements and claims mentioning a record, newest first, with their roles."""
        roles: dict[tuple[str, str], list[str]] = defaultdict(list)
        for link in self.graph.backlinks.get((kind, record_id), ()):
            role = ROLE_LABELS.get(link.field.split(".")[0], "mentioned")
            if role not in roles[(link.kind, link.id)]:
                roles[(link.kind, link.id)].append(role)
        rows = [{"record": mention, "roles": roles[(mention.collection, mention.id)]}
                for mention in self.graph.mentions(kind, record_id)]
        return sorted(rows, key=lambda row: sort_key(record_date(row["record"])), reverse=True)

    def associations(self, kind: str, record_id: str, other: str) -> list[Any]:
        found = self.graph.associations(kind, record_id, other)
        return sorted(found, key=lambda pair: self.title(pair[0]).casefold())


_HEADING_TAG = re.compile(r"<(/?)h([1-6])(?=[\s>/])")


def shift_headings(html_text: str, top: int) -> str:
    """Renumber the headings of sanitised HTML: the levels used become ``top``, ``top+1``…
    in order (capped at 6), so an editor's ``# Heading`` never competes with the page's h1
    and no level is skipped."""
    levels = sorted({int(level) for _, level in _HEADING_TAG.findall(html_text)}
                    ) if "<h" in html_text else []
    if not levels:
        return html_text
    mapping = {str(level): str(min(6, top + rank)) for rank, level in enumerate(levels)}
    return _HEADING_TAG.sub(lambda m: f"<{m.group(1)}h{mapping[m.group(2)]}", html_text)


def md_inline(text: str) -> Markup:
    """Plain text made safe for a one-line Markdown heading (whitespace runs become one space)."""
    escaped = markdown.escape_inline(" ".join(text.split()))
    return Markup(escaped)


def figure_text(figure: Any) -> str:
    qualifier = {"exactly": "", "at-least": "at least ", "at-most": "at most ",
                 "about": "about "}[figure.qualifier]
    value = f"{figure.value:,}" if isinstance(figure.value, int) else f"{figure.value:g}"
    unit = f" {figure.unit}" if figure.unit else ""
    return f"{qualifier}{value}{unit}"


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("generator", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    env.filters.update(md=md_inline, date=display_date, iso=iso, year=year_of,
                       country=country_name, json_attr=lambda v: json.dumps(v, ensure_ascii=False),
                       figure=figure_text, short=shorten)
    env.globals.update(KIND_LABELS=KIND_LABELS, SECTION_TITLES=SECTION_TITLES,
                       isinstance=isinstance, Citation=Citation)
    return env


_ENV = _environment()
_ENV.globals["HS"] = Markup(HEADING_MARK)


def split_body(body: str) -> tuple[str, tuple[str, ...]]:
    """A rendered template → (plain Markdown, parts alternating HTML block and heading)."""
    chunks = body.split(HEADING_MARK)
    parts = [chunks[0]]
    for chunk in chunks[1:]:
        heading, _, rest = chunk.partition("\n")
        parts += [heading, rest]
    return "".join(chunks), tuple(parts)


def last_modified(record: Record) -> str | None:
    """The newest date a record's page shows: its newest update, else when it was
    published, else its own date."""
    for value in (getattr(record, "last_updated", None), getattr(record, "published", None),
                  record_date(record)):
        if value is not None:
            return iso(value)
    return None


# -- front matter ---------------------------------------------------------------------------


_YAML_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")


def yaml_string(value: str) -> str:
    """A YAML double-quoted scalar that PyYAML reads back exactly (JSON's escapes, plus
    YAML's own line breaks and non-printables escaped; astral characters left as they are,
    since PyYAML cannot join JSON's surrogate-pair escapes)."""
    text = json.dumps(value, ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def front_matter(title: str, *, description: str | None = None, search_exclude: bool = False,
                 jsonld: str | None = None, extra: dict[str, Any] | None = None) -> str:
    """YAML front matter; text values are HTML-escaped (themes print them raw)."""
    lines = ["---", f"title: {yaml_string(html.escape(title))}"]
    if description:
        lines.append(f"description: {yaml_string(html.escape(shorten(description, 300)))}")
    if search_exclude:
        lines.append("search:\n  exclude: true")
    if jsonld:
        lines.append(f"jsonld: {yaml_string(jsonld)}")
    for key, value in (extra or {}).items():
        encoded = yaml_string(value) if isinstance(value, str) else json.dumps(value)
        lines.append(f"{key}: {encoded}")
    lines.append("---")
    return "\n".join(lines) + "\n\n"


# -- pages --------------------------------------------------------------------------------------


@dataclass
class _Renderer:
    graph: Graph
    options: RenderOptions
    jsonld: JsonLd | None = None
    pages: list[RenderedPage] = field(default_factory=list)
    links: dict[tuple[str, ...], Any] = field(default_factory=dict)
    site_newest: str | None = None

    def emit(self, path: str, template: str, title: str, *, kind: str,
             record: Record | None = None, description: str | None = None,
             search_exclude: bool = False, **values: Any) -> None:
        context = Context(self.graph, path, self.options, self.links)
        python = PYTHON_PAGES.get(template)
        index = INDEX_PAGES.get(template.removeprefix("index_").removesuffix(".md.j2"))
        if python is not None:
            rendered = python(context, record, title)
        elif index is not None and template.startswith("index_"):
            rendered = index(context, values["rows"], title)
        elif template in OVERVIEW_PAGES:
            rendered = OVERVIEW_PAGES[template](context, values, title)
        else:
            rendered = _ENV.get_template(template).render(
                c=context, graph=self.graph, site=self.graph.site, record=record, title=title,
                **values)
        body, parts = split_body(rendered)
        structured = self.jsonld(kind, record, path) if self.jsonld else None
        source = record.file.removeprefix("content/") if record is not None else None
        head = front_matter(title, description=description, search_exclude=search_exclude,
                            jsonld=structured)
        updated = last_modified(record) if record is not None else self.newest(kind, values)
        self.pages.append(RenderedPage(path, head + body, source, kind,
                                       record.id if record is not None else None,
                                       updated, head, parts))

    def newest(self, kind: str, values: dict[str, Any]) -> str | None:
        """Lastmod of a generated page: its newest row's, or the whole site's."""
        rows = values.get("rows")
        if kind == "index" and rows:
            return max(filter(None, map(last_modified, rows)), default=None)
        if self.site_newest is None:
            self.site_newest = max(filter(None, map(last_modified, self.graph.all())),
                                   default="")
        return self.site_newest or None

    def records(self) -> None:
        graph = self.graph
        for kind in (*RECORD_KINDS, "pages"):
            for record in graph.records[kind].values():
                self.emit(record_path(kind, record.id), f"{SINGULAR[kind]}.md.j2",
                          graph.title(record), kind=kind, record=record,
                          description=_description(record))

    def indexes(self) -> None:
        for kind in RECORD_KINDS:
            rows = sorted(self.graph.records[kind].values(),
                          key=lambda r: (sort_key(record_date(r)) if record_date(r) else (0, 0, 0),
                                         self.graph.title(r).casefold()),
                          reverse=kind in ("claims", "statements", "elections", "sources",
                                           "explainers"))
            if kind in ("tactics", "actors"):
                rows = sorted(rows, key=lambda r: self.graph.title(r).casefold())
            self.emit(f"{kind}/index.md", f"index_{kind}.md.j2", SECTION_TITLES[kind],
                      kind="index", search_exclude=True, rows=rows)

    def overviews(self) -> None:
        graph = self.graph
        site = graph.site
        name = site.name if site else "Fact-checks"
        latest = sorted(graph.records["claims"].values(), key=lambda c: c.published,
                        reverse=True)[:10]
        explainers = sorted(graph.records["explainers"].values(), key=lambda e: e.published,
                            reverse=True)[:5]
        self.emit("index.md", "home.md.j2", name, kind="home", search_exclude=True,
                  description=site.description if site else None, latest=latest,
                  explainers=explainers, counts=graph.count())
        elections, tactics, cells = matrix(graph)
        self.emit("matrix.md", "matrix.md.j2", "Elections and tactics", kind="matrix",
                  search_exclude=True, elections=elections, tactics=tactics, cells=cells)
        self.emit("timeline.md", "timeline.md.j2", "Timeline", kind="timeline",
                  search_exclude=True, years=timeline(graph))
        self.emit("corrections.md", "corrections.md.j2", "Corrections log", kind="corrections",
                  search_exclude=True, corrections=graph.corrections())


def _byline(c: Context, record: Statement) -> str:
    line = f"— {c.link_id('actors', record.speaker)}"
    if record.on_behalf_of:
        line += f", on behalf of {c.link_id('actors', record.on_behalf_of)}"
    return f"{line}, {escape(display_date(record.date))}"


def statement_page(c: Context, record: Statement, title: str) -> str:
    """A statement page (half of all pages: plain Python for speed)."""
    h = HEADING_MARK
    if record.form == "quote":
        figure = ('<figure class="fs-statement">\n<blockquote class="fs-statement__text">'
                  f"<p>{escape(record.text)}</p></blockquote>\n<figcaption>{_byline(c, record)} "
                  '<span class="fs-tag">verbatim quote</span></figcaption>\n</figure>\n')
    else:
        figure = ('<figure class="fs-statement fs-statement--paraphrase">\n'
                  '<p class="fs-statement__text"><span class="fs-tag">Paraphrase, not a quote'
                  f"</span> {escape(record.text)}</p>\n<figcaption>{_byline(c, record)}"
                  "</figcaption>\n</figure>\n")
    out = [f"{h}# {md_inline(title)}\n\n", figure, "\n", _facts([
        ("Speaker", c.link_id("actors", record.speaker)),
        ("On behalf of", c.link_id("actors", record.on_behalf_of)),
        ("Date", display_date(record.date)),
        ("Form", "verbatim quote" if record.form == "quote" else "paraphrase"),
        ("Stated confidence", record.stated_confidence or "")])]
    if record.context:
        out.append(f'\n{h}## Context\n\n<div class="fs-prose">\n{c.prose(record.context, 3)}\n'
                   "</div>\n")
    if record.figures:
        items = "".join(f"<li><strong>{escape(figure_text(figure))}</strong> "
                        f"{escape(figure.label)}</li>\n" for figure in record.figures)
        out.append(f'\n{h}## Key figures\n\n<ul class="fs-figures">\n{items}</ul>\n')
    out.append(f"\n{h}## Citations\n\n{c.citations(record.citations, 'citation')}\n")
    out.append(c.about(record.about))
    claims = c.graph.referrers("statements", record.id, of_kind="claims")
    if claims:
        items = "".join(f"<li>{c.link(claim)} {c.rating(claim.rating)}</li>\n"  # type: ignore[attr-defined]
                        for claim in claims)
        out.append(f"\n{h}## Fact-checks citing it\n\n<ul>\n{items}</ul>\n")
    out += ["\n", c.tags(record), "\n", c.updates(record)]
    return "".join(out)


RELATED = (("elections", "Related elections"), ("tactics", "Related tactics"),
           ("actors", "Related actors"))


def claim_page(c: Context, record: Claim, title: str) -> str:
    """A fact-check page (plain Python for speed)."""
    h = HEADING_MARK
    out = [f"{h}# {md_inline(title)}\n\n", '<div class="fs-verdict">\n'
           f'<p class="fs-verdict__rating">Rating: {c.rating(record.rating)}</p>\n'
           f'<p class="fs-verdict__text"><strong>Verdict:</strong> {escape(record.verdict)}'
           "</p>\n</div>\n\n", _facts([
               ("Claim", record.claim),
               ("Claimant", c.link_id("actors", record.claimant)),
               ("Claimed", display_date(record.claimed)),
               ("Fact-check published", display_date(record.published)),
               ("Last updated", display_date(record.last_updated) if record.last_updated
                else ""),
               ("Reviewed by", ", ".join(record.reviewers))]),
           f'\n{h}## Analysis\n\n<div class="fs-prose">\n{c.prose(record.analysis, 3)}\n'
           "</div>\n",
           f"\n{h}## Evidence\n\n{c.citations(record.evidence, 'evidence')}\n",
           f"{h}## Appearances\n\n{c.citations(record.appearances, 'appearance')}\n",
           c.about(record.about)]
    for kind, heading in RELATED:
        ids = c.graph.refers_to(record, kind)
        if ids:
            items = "".join(f"<li>{c.link_id(kind, record_id)}</li>\n" for record_id in ids)
            out.append(f"\n{h}## {heading}\n\n<ul>\n{items}</ul>\n")
    out += ["\n", c.tags(record), "\n", c.updates(record)]
    return "".join(out)


def _description_block(c: Context, record: Any) -> str:
    if not record.description:
        return ""
    return f'\n<div class="fs-prose">\n{c.prose(record.description)}\n</div>\n'


def _tail(c: Context, record: Record) -> str:
    return f"\n{c.tags(record)}\n{c.updates(record)}"


def actor_page(c: Context, record: Any, title: str) -> str:
    members = [other.id for other in c.graph.referrers("actors", record.id, of_kind="actors")
               if getattr(other, "part_of", None) == record.id]
    return "".join([
        f"{HEADING_MARK}# {md_inline(title)}\n\n", _facts([
            ("Kind", record.kind.replace("-", " ").capitalize()),
            ("Country", country_name(record.country) if record.country else ""),
            ("Role", record.role or ""),
            ("Part of", c.link_id("actors", record.part_of)),
            ("Includes", c.links("actors", members)),
            ("Identified", "" if record.identified else "Not named by the sources")]),
        _description_block(c, record), "\n",
        c.graph_sections("actors", record.id, [("elections", "Elections"),
                                               ("tactics", "Tactics"),
                                               ("actors", "Other actors")]),
        _tail(c, record)])


def election_page(c: Context, record: Any, title: str) -> str:
    return "".join([
        f"{HEADING_MARK}# {md_inline(title)}\n\n", _facts([
            ("Country", country_name(record.country) if record.country else ""),
            ("Region", record.region or ""),
            ("Date", display_date(record.date)),
            ("Type", record.type.capitalize()),
            ("Identified", "" if record.identified else "Not named by the sources")]),
        _description_block(c, record), "\n",
        c.graph_sections("elections", record.id, [("tactics", "Tactics"), ("actors", "Actors")]),
        _tail(c, record)])


def tactic_page(c: Context, record: Any, title: str) -> str:
    site = c.graph.site
    children = [other.id for other in c.graph.referrers("tactics", record.id, of_kind="tactics")]
    return "".join([
        f"{HEADING_MARK}# {md_inline(title)}\n\n",
        f'<p class="fs-summary">{escape(record.summary)}</p>\n\n', _facts([
            ("Category", record.category.replace("-", " ").capitalize()),
            ("DISARM techniques", ", ".join(record.disarm)),
            ("DISARM release", site.disarm_version if site and record.disarm else ""),
            ("Part of", c.link_id("tactics", record.parent)),
            ("Sub-tactics", c.links("tactics", children))]),
        _description_block(c, record), "\n",
        c.graph_sections("tactics", record.id, [("elections", "Elections"), ("actors", "Actors")]),
        _tail(c, record)])


AVAILABILITY = {"public": "Public",
                "reported-only": "Reported only: not published; known through reporting",
                "restricted": "Restricted"}


def source_page(c: Context, record: Any, title: str) -> str:
    h = HEADING_MARK
    out = [f"{h}# {md_inline(title)}\n\n", _facts([
        ("Publisher", record.publisher),
        ("Authors", ", ".join(record.authors)),
        ("Kind", record.kind.replace("-", " ").capitalize()),
        ("Published", display_date(record.published)),
        ("Language", record.language),
        ("Availability", AVAILABILITY[record.availability]),
        ("Accessed", display_date(record.accessed) if record.accessed else "")])]
    if record.url or record.archived_url:
        out.append('\n<ul class="fs-source-links">\n')
        if record.url:
            out.append(f'<li><a href="{escape(record.url)}" rel="nofollow noopener">Original</a>'
                       "</li>\n")
        if record.archived_url:
            out.append(f'<li><a href="{escape(record.archived_url)}" rel="nofollow noopener">'
                       "Archived copy</a></li>\n")
        out.append("</ul>\n")
    chain = c.graph.chain(record)
    if chain:
        items = "".join(f"<li>{c.link(other)}, {escape(other.publisher)}, "  # type: ignore[attr-defined]
                        f"{escape(display_date(other.published))}</li>\n"  # type: ignore[attr-defined]
                        for other in chain)
        out.append(f'\n{h}## Known through\n\n<ol class="fs-chain">\n{items}</ol>\n')
    reported = c.graph.referrers("sources", record.id, of_kind="sources")
    if reported:
        items = "".join(f'<li>{c.link(other)} <span class="fs-tag">'
                        f'{escape(other.availability.replace("-", " "))}</span></li>\n'  # type: ignore[attr-defined]
                        for other in reported)
        out.append(f"\n{h}## Documents reported here\n\n<ul>\n{items}</ul>\n")
    out.append(f"\n{h}## Cited by\n\n{c.mentions_table(c.mentions('sources', record.id))}")
    out.append(_tail(c, record))
    return "".join(out)


def _f(key: str, values: list[Any]) -> str:
    """A row's filter attribute (``data-f-KEY``: a JSON list, HTML-escaped)."""
    return f' data-f-{key}="{escape(json.dumps(values, ensure_ascii=False))}"'


def _index_table(title: str, intro: str, filters: list[list[str]], headers: list[str],
                 rows: Iterable[str]) -> str:
    head = "".join(f'<th scope="col">{escape(header)}</th>' for header in headers)
    return (f"{HEADING_MARK}# {md_inline(title)}\n\n<p>{intro}</p>\n\n"
            '<div class="fs-table-wrap">\n<table class="fs-table fs-filterable" '
            f'data-filters="{escape(json.dumps(filters, ensure_ascii=False))}">\n'
            f'<caption class="fs-sr-only">{escape(title)}</caption>\n'
            f"<thead><tr>{head}</tr></thead>\n<tbody>\n{''.join(rows)}</tbody>\n</table>\n"
            "</div>\n")


def _countries(codes: Iterable[str]) -> list[str]:
    return [country_name(code) for code in codes]


def index_claims(c: Context, rows: list[Any], title: str) -> str:
    site = c.graph.site

    def row(r: Any) -> str:
        rating = site.rating(r.rating) if site else None
        return (f'<tr{_f("rating", [c.rating_label(r.rating)])}'
                f'{_f("claimant", [c.name("actors", r.claimant)])}'
                f'{_f("country", _countries(r.about.countries))}{_f("year", [year_of(r.claimed)])}>'
                f'<td>{c.link(r)}</td><td>{c.link_id("actors", r.claimant)}</td>'
                f'<td data-sort="{escape(iso(r.claimed))}">{escape(display_date(r.claimed))}</td>'
                f'<td data-sort="{escape(rating.value if rating else 0)}">{c.rating(r.rating)}</td>'
                f'<td data-sort="{escape(iso(r.published))}">{escape(display_date(r.published))}'
                "</td></tr>\n")
    return _index_table(title, f"{len(rows)} fact-checks, newest first. Use the filters to "
                        "narrow the list; click a column heading to sort.",
                        [["rating", "Rating"], ["claimant", "Claimant"], ["country", "Country"],
                         ["year", "Year"]],
                        ["Claim", "Claimant", "Claimed", "Rating", "Published"], map(row, rows))


def index_statements(c: Context, rows: list[Any], title: str) -> str:
    def row(r: Any) -> str:
        return (f'<tr{_f("speaker", [c.name("actors", r.speaker)])}'
                f'{_f("country", _countries(r.about.countries))}{_f("year", [year_of(r.date)])}'
                f'{_f("form", [r.form])}><td><a href="{escape(c.record_href("statements", r.id))}">'
                f"{escape(shorten(r.text, 120))}</a></td><td>{c.link_id('actors', r.speaker)}</td>"
                f'<td data-sort="{escape(iso(r.date))}">{escape(display_date(r.date))}</td>'
                f"<td>{escape(r.form)}</td></tr>\n")
    return _index_table(title, f"{len(rows)} attributed statements, newest first. Use the "
                        "filters to narrow the list; click a column heading to sort.",
                        [["speaker", "Speaker"], ["country", "Country"], ["year", "Year"],
                         ["form", "Form"]],
                        ["Statement", "Speaker", "Date", "Form"], map(row, rows))


def index_elections(c: Context, rows: list[Any], title: str) -> str:
    def row(r: Any) -> str:
        country = country_name(r.country) if r.country else (r.region or "Unknown")
        return (f'<tr{_f("country", [country])}{_f("year", [year_of(r.date)])}'
                f'{_f("type", [r.type])}><td>{c.link(r)}</td><td>{escape(country)}</td>'
                f'<td data-sort="{escape(iso(r.date))}">{escape(display_date(r.date))}</td>'
                f"<td>{escape(r.type)}</td></tr>\n")
    return _index_table(title, f"{len(rows)} elections, newest first.",
                        [["country", "Country"], ["year", "Year"], ["type", "Type"]],
                        ["Election", "Country", "Date", "Type"], map(row, rows))


def index_tactics(c: Context, rows: list[Any], title: str) -> str:
    site = c.graph.site

    def row(r: Any) -> str:
        category = r.category.replace("-", " ")
        return (f'<tr{_f("category", [category])}><td>{c.link(r)}</td><td>{escape(category)}'
                f'</td><td>{escape(", ".join(r.disarm))}</td><td>{escape(r.summary)}</td>'
                "</tr>\n")
    mapped = f", mapped to DISARM {escape(site.disarm_version)}" if site else ""
    return _index_table(title, f"{len(rows)} tactics{mapped}.", [["category", "Category"]],
                        ["Tactic", "Category", "DISARM", "Summary"], map(row, rows))


def index_actors(c: Context, rows: list[Any], title: str) -> str:
    def row(r: Any) -> str:
        kind = r.kind.replace("-", " ")
        country = country_name(r.country) if r.country else ""
        return (f'<tr{_f("kind", [kind])}{_f("country", [country] if r.country else [])}>'
                f"<td>{c.link(r)}</td><td>{escape(kind)}</td><td>{escape(country)}</td>"
                f"<td>{escape(r.role or '')}</td></tr>\n")
    return _index_table(title, f"{len(rows)} actors: states, agencies, people and outlets.",
                        [["kind", "Kind"], ["country", "Country"]],
                        ["Actor", "Kind", "Country", "Role"], map(row, rows))


def index_sources(c: Context, rows: list[Any], title: str) -> str:
    def row(r: Any) -> str:
        kind = r.kind.replace("-", " ")
        availability = r.availability.replace("-", " ")
        return (f'<tr{_f("type", [kind])}{_f("publisher", [r.publisher])}'
                f'{_f("availability", [availability])}{_f("year", [year_of(r.published)])}>'
                f"<td>{c.link(r)}</td><td>{escape(r.publisher)}</td><td>{escape(kind)}</td>"
                f'<td data-sort="{escape(iso(r.published))}">{escape(display_date(r.published))}'
                f"</td><td>{escape(availability)}</td></tr>\n")
    return _index_table(title, f"{len(rows)} sources, newest first.",
                        [["type", "Type"], ["publisher", "Publisher"],
                         ["availability", "Availability"], ["year", "Year"]],
                        ["Source", "Publisher", "Type", "Published", "Availability"],
                        map(row, rows))


def index_explainers(c: Context, rows: list[Any], title: str) -> str:
    def row(r: Any) -> str:
        return (f'<tr{_f("year", [year_of(r.published)])}><td>{c.link(r)}</td>'
                f'<td data-sort="{escape(iso(r.published))}">{escape(display_date(r.published))}'
                f"</td><td>{escape(r.summary)}</td></tr>\n")
    return _index_table(title, f"{len(rows)} explainers, newest first.", [["year", "Year"]],
                        ["Explainer", "Published", "Summary"], map(row, rows))


def matrix_page(c: Context, values: dict[str, Any], title: str) -> str:
    """Elections × tactics (a cell per pair: plain Python, it grows as their product)."""
    elections, tactics, cells = values["elections"], values["tactics"], values["cells"]
    out = [f"{HEADING_MARK}# {md_inline(title)}\n\n<p>Each cell lists the statements and "
           "fact-checks that connect an election with a tactic. An empty cell means no cited "
           "statement or fact-check links the two, not that the tactic was absent.</p>\n\n"]
    if not (elections and tactics):
        out.append("<p>No statement or fact-check links an election with a tactic yet.</p>\n")
        return "".join(out)
    head = "".join(f'<th scope="col">{c.link(t)}</th>' for t in tactics)
    out.append('<div class="fs-table-wrap">\n<table class="fs-table fs-matrix">\n'
               "<caption>Elections (rows) by tactics (columns)</caption>\n"
               f'<thead><tr><th scope="col">Election</th>{head}</tr></thead>\n<tbody>\n')
    for e in elections:
        row = [f'<tr><th scope="row">{c.link(e)}</th>']
        for t in tactics:
            found = cells.get((e.id, t.id))
            if found:
                items = "".join(
                    f"<li>{c.link(r, KIND_LABELS[r.collection] + ': ' + shorten(c.title(r), 60))}"
                    "</li>" for r in found)
                row.append(f"<td><ul>{items}</ul></td>")
            else:
                row.append("<td></td>")
        row.append("</tr>\n")
        out.append("".join(row))
    out.append("</tbody>\n</table>\n</div>\n")
    return "".join(out)


def timeline_page(c: Context, values: dict[str, Any], title: str) -> str:
    out = [f"{HEADING_MARK}# {md_inline(title)}\n\n<p>Elections, statements and fact-checked "
           "claims in date order. Dates are shown as precisely as the sources give them; an "
           "entry known only to the month or year comes first within it.</p>\n\n"]
    for year, entries in values["years"]:
        items = "".join(
            f'<li><time datetime="{escape(iso(when))}">{escape(display_date(when))}</time> '
            f'<span class="fs-tag">{escape(KIND_LABELS[r.collection])}</span> {c.link(r)}'
            f'{" " + c.rating(r.rating) if r.collection == "claims" else ""}</li>\n'
            for when, r in entries)
        out.append(f'{HEADING_MARK}## {year}\n\n<ol class="fs-timeline">\n{items}</ol>\n\n')
    if not values["years"]:
        out.append("<p>Nothing dated yet.</p>\n")
    return "".join(out)


INDEX_PAGES: dict[str, Callable[[Context, list[Any], str], str]] = {
    "claims": index_claims, "statements": index_statements, "elections": index_elections,
    "tactics": index_tactics, "actors": index_actors, "sources": index_sources,
    "explainers": index_explainers,
}
"""Index pages (a row per record: plain Python, like the record pages)."""
OVERVIEW_PAGES: dict[str, Callable[[Context, dict[str, Any], str], str]] = {
    "matrix.md.j2": matrix_page, "timeline.md.j2": timeline_page,
}


PYTHON_PAGES: dict[str, Callable[[Context, Any, str], str]] = {
    "statement.md.j2": statement_page, "claim.md.j2": claim_page,
    "actor.md.j2": actor_page, "election.md.j2": election_page, "tactic.md.j2": tactic_page,
    "source.md.j2": source_page,
}
"""Pages built by a Python function instead of a template (statements and claims are most
of the pages; plain Python is several times faster than Jinja macros)."""


def _description(record: Record) -> str | None:
    for attribute in ("verdict", "summary", "text", "title", "name"):
        value = getattr(record, attribute, None)
        if isinstance(value, str):
            return value
    return None


def matrix(graph: Graph) -> tuple[list[Election], list[Tactic],
                                  dict[tuple[str, str], list[Statement | Claim]]]:
    """Elections × tactics: each cell lists the statements and claims that link the two."""
    cells: dict[tuple[str, str], list[Statement | Claim]] = defaultdict(list)
    for kind in ("statements", "claims"):
        for record in graph.records[kind].values():
            for election in graph.refers_to(record, "elections"):
                for tactic in graph.refers_to(record, "tactics"):
                    cells[(election, tactic)].append(record)  # type: ignore[arg-type]
    used_elections = {e for e, _ in cells}
    used_tactics = {t for _, t in cells}
    elections = sorted((e for i, e in graph.records["elections"].items() if i in used_elections),
                       key=lambda e: e.date.sort_key)  # type: ignore[attr-defined]
    tactics = sorted((t for i, t in graph.records["tactics"].items() if i in used_tactics),
                     key=lambda t: graph.title(t).casefold())
    return elections, tactics, dict(cells)  # type: ignore[return-value]


def timeline(graph: Graph) -> list[tuple[int, list[tuple[Any, Record]]]]:
    """Statements, claims and elections by year, in date order (partial dates first)."""
    entries: list[tuple[Any, Record]] = []
    for kind in ("elections", "statements", "claims"):
        for record in graph.records[kind].values():
            when = record.claimed if isinstance(record, Claim) else record_date(record)
            entries.append((when, record))
    entries.sort(key=lambda pair: (pair[0].sort_key, pair[1].collection, pair[1].id))
    years: dict[int, list[tuple[Any, Record]]] = defaultdict(list)
    for when, record in entries:
        years[when.year].append((when, record))
    return sorted(years.items())


def rating_css(graph: Graph) -> str:
    """Colours of the site's ratings (from ``site.yaml``), one CSS class per rating."""
    site = graph.site
    if site is None:
        return ""
    rules = [f".fs-rating--{rating.id} {{ --fs-rating-color: {rating.color}; }}"
             for rating in site.ratings if rating.color]
    return "\n".join(rules) + "\n"


def render_pages(graph: Graph, options: RenderOptions | None = None,
                 jsonld: JsonLd | None = None) -> list[RenderedPage]:
    """Every page of the site as Markdown: records, indexes, home, matrix, timeline, log."""
    renderer = _Renderer(graph, options or RenderOptions(), jsonld)
    renderer.records()
    renderer.indexes()
    renderer.overviews()
    return renderer.pages


def write_pages(pages: Iterable[RenderedPage], out: Path | str, graph: Graph) -> int:
    """Write rendered pages (and the ratings stylesheet) into a plain docs folder."""
    out = Path(out)
    count = 0
    for page in pages:
        target = out / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.markdown, encoding="utf-8")
        count += 1
    css = out / RATINGS_CSS
    css.parent.mkdir(parents=True, exist_ok=True)
    css.write_text(rating_css(graph), encoding="utf-8")
    return count
