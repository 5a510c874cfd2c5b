"""Rendering the whole site: one Jinja template per page kind, fed with the records' views.

Each page is rendered by its template (``generator/templates/<kind>.html.j2``). A template
declares its own headings with ``{{ section(level, title) }}``: the page records the heading
with its anchor at that point of the output, and the HTML between headings becomes the
page's blocks, so no engine has to work out heading ids.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Container, Iterator
from dataclasses import dataclass, field
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from .. import markdown
from ..graph import PAGE_LIST_LIMIT, SINGULAR, Graph, shorten
from ..models import Citation, Claim, Record
from ..site import PackedBlocks, Page, Section
from ..types import country_name
from .base import KIND_LABELS, RECORD_KINDS, SECTION_TITLES, JsonLd, RenderOptions
from .datapage import data_values
from .formatting import (
    display_date,
    figure_text,
    iso,
    last_modified,
    record_date,
    shift_headings,
    sort_key,
    year_of,
)
from .frontmatter import page_meta, slugify, unique
from .overviews import HEAT_LEVELS, MATRIX_COLUMNS, MATRIX_ROWS, heat, matrix, natural, timeline
from .roles import Holders, RoleView, SaidPage, disarm_techniques, role_view
from .searchmeta import search_meta
from .urls import link_prefix, record_path
from .views import FORM_NOTES, Links, Ratings, RatingView, Views, quoted

_PROSE_HEADING = re.compile(r"^<h([2-6])>(.*?)</h\1>\n?", re.MULTILINE)
_TAG = re.compile(r"<[^>]*>")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class ProsePart:
    """Editor prose from one of its headings to the next."""

    level: int
    title: str
    html: Markup


@dataclass(frozen=True)
class SectionedProse:
    """Editor prose cut at its headings, so each becomes a section of the page (an anchor
    and an entry in the table of contents)."""

    lead: Markup
    parts: tuple[ProsePart, ...]


def sectioned(html_text: str) -> SectionedProse:
    pieces = _PROSE_HEADING.split(html_text)
    parts = tuple(
        ProsePart(int(level), html.unescape(_TAG.sub("", inner)), Markup(body.strip("\n")))
        for level, inner, body in zip(pieces[1::3], pieces[2::3], pieces[3::3], strict=True))
    return SectionedProse(Markup(pieces[0].strip("\n")), parts)


def count(number: int, kind: str) -> str:
    """``1 fact-check``, ``2 fact-checks``: a number of records of a kind."""
    noun = KIND_LABELS[kind] if number == 1 else SECTION_TITLES.get(kind, KIND_LABELS[kind])
    return f"{number} {noun.lower()}"


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("generator", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True, auto_reload=False)
    env.filters.update(date=display_date, iso=iso, year=year_of, country=country_name,
                       json_attr=lambda v: json.dumps(v, ensure_ascii=False),
                       figure=figure_text, short=shorten, quote=quoted,
                       words=lambda text: " ".join(_WORD.findall(str(text).casefold())))
    env.globals.update(SECTION_TITLES=SECTION_TITLES, PAGE_LIST_LIMIT=PAGE_LIST_LIMIT,
                       kind_label=lambda record: KIND_LABELS[record.collection], count=count)
    return env


_ENV = _environment()


@dataclass
class _Layout:
    """One page being rendered: its output so far and the headings found in it."""

    chunks: list[str] = field(default_factory=list)
    marks: list[tuple[int, Section]] = field(default_factory=list)
    used: set[str] = field(default_factory=set)

    def section(self, level: int, title: str) -> str:
        """Called by a template where a heading goes: record it, with an anchor unique on
        the page, at this point of the output (templates are rendered as a stream, so
        every chunk before the call has been collected)."""
        text = " ".join(str(title).split())
        if self.marks and self.marks[-1][0] == len(self.chunks):
            raise ValueError(f"section {text!r} declared inside a macro: declare sections in "
                             "a page's template or a template it includes")
        self.marks.append((len(self.chunks), Section(level, text,
                                                      unique(slugify(text), self.used))))
        return ""

    def run(self, chunks: Iterator[str]) -> tuple[tuple[str, ...], tuple[Section, ...]]:
        self.chunks.extend(chunks)
        blocks, start = [], 0
        for at, _ in self.marks:
            blocks.append("".join(self.chunks[start:at]))
            start = at
        blocks.append("".join(self.chunks[start:]))
        return tuple(blocks), tuple(section for _, section in self.marks)


@dataclass
class _Renderer:
    graph: Graph
    options: RenderOptions
    jsonld: JsonLd | None = None
    views: Views = field(init=False)
    links: dict[str, Links] = field(default_factory=dict)
    pages: list[Page] = field(default_factory=list)

    newest: str | None = field(init=False)
    """The newest date of the whole content: the lastmod of the overview pages."""

    def __post_init__(self) -> None:
        self.views = Views(self.graph)
        self.newest = max(filter(None, map(last_modified, self.graph.all())), default=None)

    def links_from(self, path: str) -> Links:
        """The links of pages at ``path``'s depth (one per depth: their ``../`` prefix)."""
        prefix = link_prefix(path, self.options)
        found = self.links.get(prefix)
        if found is None:
            found = self.links[prefix] = Links(self.graph, self.views.titles, prefix,
                                               self.options.use_directory_urls)
        return found

    def prose(self, links: Links) -> Callable[..., Markup]:
        def prose(text: str | None, top: int = 2) -> Markup:
            """Editor Markdown → sanitised HTML, ``[[refs]]`` as relative links, its
            headings renumbered to start at ``h{top}`` (below the page's own)."""
            if not text:
                return Markup("")
            linked = markdown.with_links(text, lambda ref: self.resolve(links, ref))
            return Markup(shift_headings(markdown.render(linked), top))
        return prose

    def prose_sections(self, links: Links) -> Callable[..., SectionedProse]:
        prose = self.prose(links)

        def prose_sections(text: str | None, top: int = 2) -> SectionedProse:
            """Editor prose cut at its headings (each a section of the page)."""
            return sectioned(prose(text, top))
        return prose_sections

    def resolve(self, links: Links, reference: markdown.Reference) -> tuple[str, str] | None:
        record = self.graph.get(reference.kind, reference.id)
        if record is None:
            return None
        return links.record_href(reference.kind, reference.id), self.views.title(record)

    def emit(self, path: str, template: str, title: str, *, kind: str,
             record: Record | None = None, description: str | None = None,
             search_exclude: bool = False, updated: str | None = None,
             **values: Any) -> None:
        """Render ``template`` into the page at ``path``."""
        links = self.links_from(path)
        views = self.views
        layout = _Layout()
        blocks, sections = layout.run(_ENV.get_template(template).generate(
            section=layout.section, title=title, record=record, site=self.graph.site,
            ratings=views.ratings, link=links.to, link_id=links.to_id, link_ids=links.to_ids,
            link_all=links.to_all,
            href=links.href, record_href=links.record_href, prose=self.prose(links),
            prose_sections=self.prose_sections(links), views=views,
            title_of=views.title, name_of=views.name, get=self.graph.get,
            holders=Holders(record, links.to, views.title),
            related_names=self.related_names,
            search=search_meta(views, record) if record is not None else "", **values))
        structured = self.jsonld(kind, record, path) if self.jsonld else None
        meta = page_meta(title, description=description, search_exclude=search_exclude,
                         jsonld=structured)
        self.pages.append(Page(
            path, title, PackedBlocks(blocks), meta, sections,
            record.file.removeprefix("content/") if record is not None else None,
            updated, kind, record.id if record is not None else None))

    def related_names(self, record: Record, kind: str) -> list[str]:
        """The names of the records of ``kind`` that ``record`` refers to (the index
        filters' election and tactic values)."""
        return [self.views.name(kind, target) for target in self.graph.refers_to(record, kind)]

    def record(self, kind: str, record: Record) -> None:
        """A record's page, with what its template needs beyond the record, and the pages
        its numbered statements continue on."""
        values = getattr(self, f"_{SINGULAR[kind]}_values", lambda r: {})(record)
        path = record_path(kind, record.id)
        title = self.views.page_title(record)
        self.emit(path, f"{SINGULAR[kind]}.html.j2", title, kind=kind, record=record,
                  description=self.description(record), updated=last_modified(record),
                  crumbs=self.crumbs(kind, record, path), **values)
        roles = values.get("roles")
        for said_page in roles.pages[1:] if roles is not None else ():
            self.said_page(kind, record, title, roles, said_page)

    def said_page(self, kind: str, record: Record, title: str, roles: RoleView,
                  said_page: SaidPage) -> None:
        """A page of the statements and fact-checks that name ``record``, past the first
        :data:`~.roles.SAID_PER_PAGE` (which its own page lists)."""
        path = said_page.path
        own = self.links_from(path).href(record_path(kind, record.id))
        crumbs = [*self.crumbs(kind, record, path)[:-1], (title, own),
                  (f"Statements {said_page.first}–{said_page.last}", None)]
        self.emit(path, "said_more.html.j2",
                  f"{title}: statements and fact-checks {said_page.first}–{said_page.last}",
                  kind=kind, record=record, search_exclude=True,
                  updated=last_modified(record), crumbs=crumbs, roles=roles,
                  said_page=said_page, own_page=own)

    def crumbs(self, kind: str, record: Record, path: str) -> list[tuple[str, str | None]]:
        """The breadcrumb trail to a record page: home, its section, the page itself."""
        links = self.links_from(path)
        trail: list[tuple[str, str | None]] = [("Home", links.href("index.md"))]
        if kind in RECORD_KINDS:
            trail.append((SECTION_TITLES[kind], links.href(f"{kind}/index.md")))
        elif record.id != "about" and self.graph.get("pages", "about") is not None:
            trail.append(("About", links.href("about.md")))
        here = self.views.title(record) if kind == "claims" else self.views.page_title(record)
        return [*trail, (here, None)]

    def description(self, record: Record) -> str | None:
        """The page's description (search engines, share cards): a claim's with who made it
        and the rating, never the bare claim."""
        if isinstance(record, Claim):
            rating = self.views.ratings[record.rating]
            return (f"{self.views.name('actors', record.claimant)} claimed "
                    f"{quoted(record.claim)}. Our rating: {rating.label}. {record.verdict}")
        return _description(record)

    def _claim_values(self, record: Any) -> dict[str, Any]:
        views = self.views
        corrections = sorted((u for u in record.updates if u.kind == "correction"),
                             key=lambda u: u.date, reverse=True)
        appearance = next((c for c in record.appearances if isinstance(c, Citation)), None)
        return {"rating": views.ratings[record.rating], "headline": views.headline(record),
                "corrections": corrections, "latest_update": max(
                    (u.date for u in record.updates), default=None),
                "first_appearance": appearance, "appeared_in": (
                    views.source_lines.get(appearance.source) if appearance else None),
                "how_we_rate": self.how_we_rate(record_path("claims", record.id)),
                "evidence": views.citations(record.evidence, "evidence"),
                "appearances": views.citations(record.appearances, "appearance"),
                "also": self._also_mentioned(record)}

    def _also_mentioned(self, record: Claim) -> list[tuple[str, Markup]]:
        """Elections, tactics and actors the claim refers to beyond its claimant and
        ``about`` (in the analysis, verdict or notes), so every related record is linked
        once."""
        links = self.links_from(record_path("claims", record.id))
        shown = {("actors", record.claimant)} | {
            (kind, record_id) for kind, _ in RELATED for record_id in getattr(record.about, kind)}
        return [(label, links.to_ids(kind, ids)) for kind, label in RELATED
                if (ids := [i for i in self.graph.refers_to(record, kind)
                            if (kind, i) not in shown])]

    def how_we_rate(self, path: str) -> str | None:
        """The link to the rating scale on the methodology page, if there is one."""
        if self.graph.get("pages", "methodology") is None:
            return None
        return self.links_from(path).href("methodology.md") + "#rating-scale"

    def _statement_values(self, record: Any) -> dict[str, Any]:
        return {"byline": self.views.byline(record), "form_notes": FORM_NOTES,
                "citations_": self.views.citations(record.citations, "citation"),
                "claims": self.graph.referrers("statements", record.id, of_kind="claims")}

    def _graph_values(self, kind: str, record: Any, related: tuple[str, ...]
                      ) -> dict[str, Any]:
        return {"roles": role_view(self.graph, self.views.mention, self.views.title_key, kind,
                                   record.id, related,
                                   self.links_from(record_path(kind, record.id)).href)}

    def _actor_values(self, record: Any) -> dict[str, Any]:
        members = [other.id for other in self.graph.referrers("actors", record.id,
                                                              of_kind="actors")
                   if getattr(other, "part_of", None) == record.id]
        return {"members": members,
                **self._graph_values("actors", record, ("elections", "tactics"))}

    def _election_values(self, record: Any) -> dict[str, Any]:
        return self._graph_values("elections", record, ("tactics",))

    def _tactic_values(self, record: Any) -> dict[str, Any]:
        children = [other.id for other in self.graph.referrers("tactics", record.id,
                                                               of_kind="tactics")]
        return {"children": children, "techniques": disarm_techniques(record),
                **self._graph_values("tactics", record, ("elections",))}

    def _source_values(self, record: Any) -> dict[str, Any]:
        return {"availability": _availability(record), "chain": self.graph.chain(record),
                "reported": self.graph.referrers("sources", record.id, of_kind="sources"),
                "mention_rows": self.views.mentions("sources", record.id)}

    def records(self, only: Container[tuple[str, str]] | None) -> None:
        for kind in (*RECORD_KINDS, "pages"):
            for record in self.graph.records[kind].values():
                if only is None or (kind, record.id) in only:
                    self.record(kind, record)

    def indexes(self) -> None:
        title_key = self.views.title_key
        for kind in RECORD_KINDS:
            rows = sorted(self.graph.records[kind].values(),
                          key=lambda r: (sort_key(record_date(r)) if record_date(r) else (0, 0, 0),
                                         title_key(r)),
                          reverse=kind in ("claims", "statements", "elections", "sources",
                                           "explainers"))
            if kind in ("tactics", "actors"):
                rows = sorted(rows, key=lambda r: natural(title_key(r)))
            self.emit(f"{kind}/index.md", f"index_{kind}.html.j2", SECTION_TITLES[kind],
                      kind="index", search_exclude=True, rows=rows,
                      updated=max(filter(None, map(last_modified, rows)), default=None)
                      if rows else self.newest)

    def overviews(self) -> None:
        graph = self.graph
        site = graph.site
        newest = self.newest
        latest = sorted(graph.records["claims"].values(), key=lambda c: c.published,
                        reverse=True)[:10]
        explainers = sorted(graph.records["explainers"].values(), key=lambda e: e.published,
                            reverse=True)[:5]
        self.emit("index.md", "home.html.j2", HOME_TITLE,
                  kind="home", search_exclude=True, updated=newest,
                  description=site.description if site else None, latest=latest,
                  explainers=explainers, counts=graph.count())
        self.matrix()
        self.emit("timeline.md", "timeline.html.j2", "Timeline of statements and fact-checks",
                  kind="timeline",
                  search_exclude=True, updated=newest, years=timeline(graph),
                  timeline_labels=TIMELINE_LABELS)
        self.emit("corrections.md", "corrections.html.j2", "Corrections log",
                  kind="corrections", search_exclude=True, updated=newest,
                  corrections=graph.corrections())

    def matrix(self) -> None:
        """The elections × tactics matrix: one page, or pages of bounded size."""
        whole = matrix(self.graph, self.views.title_key)
        for index, page in enumerate(whole.pages):
            title = MATRIX_TITLE if not (whole.paginated and page.elections) \
                else f"{MATRIX_TITLE}: {page.label}"
            self.emit(page.path, "matrix.html.j2", title, kind="matrix", search_exclude=True,
                      updated=self.newest, matrix=page, whole=whole,
                      neighbours=whole.neighbours(index),
                      rows_per_page=MATRIX_ROWS, columns_per_page=MATRIX_COLUMNS,
                      heat=heat, heat_levels=HEAT_LEVELS)

    def data(self) -> None:
        """The /data/ page, which documents the open-data files."""
        values = data_values(self.graph, self.options.site_url)
        self.emit("data/index.md", "data.html.j2", values.pop("title"), kind="data",
                  **values)


TIMELINE_LABELS = {"elections": "Election held", "statements": "Statement made",
                   "claims": "Claim made (fact-checked)"}
"""What the date of each kind on the timeline is."""


MATRIX_TITLE = "Elections and tactics"

HOME_TITLE = "Fact-checks and the evidence behind them"
"""The home page's heading: the site's name is in every page's header already."""

RELATED = (("elections", "Elections"), ("tactics", "Tactics"), ("actors", "Actors"))

AVAILABILITY = {"public": "Public",
                "reported-only": "Reported only: not published; known through reporting",
                "restricted": "Restricted"}


def _availability(record: Any) -> str:
    """A public source with no web address says so rather than just "Public"."""
    if record.availability == "public" and not record.url:
        return "Public, but no web address is recorded for it here"
    return AVAILABILITY[record.availability]


def _description(record: Record) -> str | None:
    for attribute in ("verdict", "summary", "text", "title", "name"):
        value = getattr(record, attribute, None)
        if isinstance(value, str):
            return value
    return None


def rating_css(graph: Graph) -> str:
    """The site's ratings (from ``site.yaml``): each one's colour and icon, one CSS class
    per rating."""
    if graph.site is None:
        return ""
    ratings = Ratings(graph.site)
    rules = [f".fs-rating--{rating.id} {{ --fs-rating-color: {rating.color}; }}"
             for rating in ratings.all if rating.color]
    rules += [f'.fs-rating--{rating.id} .fs-rating__icon::before {{ content: "{icon}"; }}'
              for rating, icon in rating_icons(ratings)]
    return "\n".join(rules) + "\n"


SCALE_ICONS = ("\\2716", "\\25D4", "\\25D1", "\\25D5", "\\2714")
"""Shapes from the scale's worst end to its best: ✖ ◔ ◑ ◕ ✔ (a rating is never told
apart by its colour alone); ``?`` for a rating that is not on the scale."""


def rating_icons(ratings: Ratings) -> list[tuple[RatingView, str]]:
    """Each rating's icon: its place on the scale picks a shape, worst to best."""
    scale = ratings.scale
    last = max(len(scale) - 1, 1)
    icons = [(rating, SCALE_ICONS[round(index * (len(SCALE_ICONS) - 1) / last)])
             for index, rating in enumerate(scale)]
    return icons + [(rating, "?") for rating in ratings.apart]


def render_pages(graph: Graph, options: RenderOptions | None = None,
                 jsonld: JsonLd | None = None, *,
                 only: Container[tuple[str, str]] | None = None) -> list[Page]:
    """Every page of the site: records, indexes, home, matrix, timeline, log, /data/.

    ``only``: render only these record pages (``(kind, id)``), for incremental rebuilds;
    the indexes and overviews are always rendered."""
    renderer = _Renderer(graph, options or RenderOptions(), jsonld)
    renderer.records(only)
    renderer.indexes()
    renderer.overviews()
    renderer.data()
    return renderer.pages

