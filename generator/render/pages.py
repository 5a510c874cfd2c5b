"""Rendering the whole site: the Jinja environment, the page renderer and the ratings CSS."""

from __future__ import annotations

import json
from collections.abc import Container
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from ..graph import SINGULAR, Graph, shorten
from ..models import Citation, Record
from ..site import Page
from ..types import country_name
from .base import (
    KIND_LABELS,
    RECORD_KINDS,
    SECTION_TITLES,
    JsonLd,
    RenderOptions,
)
from .datapage import DATA_DESCRIPTION, DATA_TITLE, data_page_body
from .formatting import (
    display_date,
    figure_text,
    iso,
    last_modified,
    md_inline,
    record_date,
    sort_key,
    year_of,
)
from .fragments import MISSING, Context, RecordMemo, RenderCache
from .frontmatter import HEADING_MARK, page_meta, with_anchors
from .overviews import INDEX_PAGES, OVERVIEW_PAGES, matrix, timeline
from .prose import ProseBatch
from .records import PYTHON_PAGES, _description
from .urls import record_path


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


class _LaidOut(NamedTuple):
    """A page rendered but for its prose (placeholders in ``body``)."""

    path: str
    body: str
    kind: str
    record: Record | None
    title: str
    description: str | None
    search_exclude: bool
    updated: str | None


@dataclass
class _Renderer:
    graph: Graph
    options: RenderOptions
    jsonld: JsonLd | None = None
    pages: list[Page] = field(default_factory=list)
    links: RenderCache = field(default_factory=RenderCache)
    site_newest: str | None = None
    updated: RecordMemo = field(default_factory=RecordMemo)
    batch: ProseBatch = field(default_factory=ProseBatch)
    laid_out: list[_LaidOut] = field(default_factory=list)
    """Pages waiting for their prose."""

    def emit(self, path: str, template: str, title: str | None, *, kind: str,
             record: Record | None = None, description: str | None = None,
             search_exclude: bool = False, **values: Any) -> None:
        """Render one page; ``title`` None: the record's."""
        context = Context(self.graph, path, self.options, self.links, self.batch)
        if title is None:
            title = context.title(record)  # type: ignore[arg-type]
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
        updated = self.modified(record) if record is not None else self.newest(kind, values)
        self.laid_out.append(_LaidOut(path, rendered, kind, record, title, description,
                                      search_exclude, updated))

    def finish(self) -> None:
        """Convert the prose of every page laid out, put it in, give every heading its
        anchor and make the pages (with their structured data, also in one loop)."""
        self.batch.run()
        for page in self.laid_out:
            record = page.record
            blocks, sections = with_anchors(self.batch.fill(page.body))
            structured = self.jsonld(page.kind, record, page.path) if self.jsonld else None
            meta = page_meta(page.title, description=page.description,
                             search_exclude=page.search_exclude, jsonld=structured)
            self.pages.append(Page(
                page.path, page.title, blocks, meta, sections,
                record.file.removeprefix("content/") if record is not None else None,
                page.updated, page.kind, record.id if record is not None else None))
        self.laid_out = []

    def newest(self, kind: str, values: dict[str, Any]) -> str | None:
        """Lastmod of a generated page: its newest row's, or the whole site's."""
        rows = values.get("rows")
        if kind == "index" and rows:
            return max(filter(None, map(self.modified, rows)), default=None)
        if self.site_newest is None:
            self.site_newest = max(filter(None, map(self.modified, self.graph.all())),
                                   default="")
        return self.site_newest or None

    def modified(self, record: Record) -> str | None:
        """The record's ``last_modified``, worked out once per build."""
        found = self.updated.get(record)
        if found is MISSING:
            found = self.updated.put(record, last_modified(record))
        return found  # type: ignore[no-any-return]

    def records(self, only: Container[tuple[str, str]] | None = None) -> None:
        graph = self.graph
        for kind in (*RECORD_KINDS, "pages"):
            for record in graph.records[kind].values():
                if only is not None and (kind, record.id) not in only:
                    continue
                self.emit(record_path(kind, record.id), f"{SINGULAR[kind]}.md.j2",
                          None, kind=kind, record=record,
                          description=_description(record))

    def indexes(self) -> None:
        titles = Context(self.graph, "", self.options, self.links)
        for kind in RECORD_KINDS:
            rows = sorted(self.graph.records[kind].values(),
                          key=lambda r: (sort_key(record_date(r)) if record_date(r) else (0, 0, 0),
                                         titles.title_key(r)),
                          reverse=kind in ("claims", "statements", "elections", "sources",
                                           "explainers"))
            if kind in ("tactics", "actors"):
                rows = sorted(rows, key=titles.title_key)
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

    def data(self) -> None:
        """The /data/ page, which documents the open-data files."""
        body = data_page_body(self.graph, self.options.site_url)
        self.laid_out.append(_LaidOut("data/index.md", body, "data", None, DATA_TITLE,
                                      DATA_DESCRIPTION, False, None))


def rating_css(graph: Graph) -> str:
    """Colours of the site's ratings (from ``site.yaml``), one CSS class per rating."""
    site = graph.site
    if site is None:
        return ""
    rules = [f".fs-rating--{rating.id} {{ --fs-rating-color: {rating.color}; }}"
             for rating in site.ratings if rating.color]
    return "\n".join(rules) + "\n"


def render_pages(graph: Graph, options: RenderOptions | None = None,
                 jsonld: JsonLd | None = None, *,
                 only: Container[tuple[str, str]] | None = None) -> list[Page]:
    """Every page of the site: records, indexes, home, matrix, timeline, log, /data/
    (``only``: of the record pages, only those of these ``(kind, id)``)."""
    renderer = _Renderer(graph, options or RenderOptions(), jsonld)
    renderer.records(only)
    renderer.indexes()
    renderer.overviews()
    renderer.data()
    renderer.finish()
    return renderer.pages
