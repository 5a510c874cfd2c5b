"""What a page shows of a record, worked out once: the views the templates render.

A view holds data, never HTML links: a link depends on where the page sits, so the
templates make it with the page's :class:`Links`. Each field is therefore rendered in one
place, its template (``generator/templates/``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from ..graph import Graph
from ..models import Citation, Record, Site, Source
from .base import KIND_LABELS, ROLE_LABELS
from .formatting import record_date, sort_key
from .urls import page_url, record_path


@dataclass(frozen=True)
class RatingView:
    """A rating of ``site.yaml``: its label, its place on the scale and its badge."""

    id: str
    label: str
    value: int = 0
    description: str = ""
    color: str | None = None
    on_scale: bool = True
    """False for a rating that is not a point on the false–true axis ("unproven")."""
    badge: Markup = field(init=False, compare=False)
    """The rating as a badge: its label with the rating's icon and colour."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "badge", Markup(
            '<span class="fs-rating fs-rating--{}" title="Rating: {}">'
            '<span class="fs-rating__icon" aria-hidden="true"></span>{}</span>'
        ).format(self.id, self.label, self.label))


class Ratings:
    """The site's rating scale, in ``site.yaml``'s order; the one rating lookup."""

    def __init__(self, site: Site | None) -> None:
        self.all = tuple(
            RatingView(r.id, r.label, r.value, r.description, r.color,
                       bool(getattr(r, "on_scale", True)))
            for r in (site.ratings if site else ()))
        self._by_id = {rating.id: rating for rating in self.all}

    def __getitem__(self, rating_id: str) -> RatingView:
        """The rating with ``rating_id``; an unknown id stands for itself (never raises)."""
        found = self._by_id.get(rating_id)
        return found if found is not None else RatingView(rating_id, rating_id)

    @property
    def scale(self) -> tuple[RatingView, ...]:
        """The ratings that are points on the false–true axis, in order."""
        return tuple(rating for rating in self.all if rating.on_scale)

    @property
    def apart(self) -> tuple[RatingView, ...]:
        """The ratings that are not on the scale (shown apart from it)."""
        return tuple(rating for rating in self.all if not rating.on_scale)


class Links:
    """Links from the pages at one depth (their ``../`` prefix) to any record or page."""

    def __init__(self, graph: Graph, titles: dict[tuple[str, str], str], prefix: str,
                 use_directory_urls: bool) -> None:
        self.graph = graph
        self.titles = titles
        self.prefix = prefix
        self.use_directory_urls = use_directory_urls
        self.made: dict[tuple[str, str, str | None], Markup] = {}
        """The links made so far, by kind, id and label: a record is linked from many
        pages of one depth (measured: a third of the render time without it)."""

    def href(self, to_path: str) -> str:
        """The relative URL of the page whose Markdown path is ``to_path``."""
        return self.prefix + page_url(to_path, self.use_directory_urls) or "./"

    def record_href(self, kind: str, record_id: str) -> str:
        return self.href(record_path(kind, record_id))

    def to(self, record: Record | None, label: str | None = None) -> Markup:
        """``<a>`` to ``record``'s page, its title as the text unless ``label``."""
        if record is None:
            return Markup("")
        key = (record.collection, record.id, label)
        found = self.made.get(key)
        if found is None:
            text = self.titles[key[:2]] if label is None else label
            href = self.record_href(record.collection, record.id)
            found = self.made[key] = Markup(f'<a href="{escape(href)}">{escape(text)}</a>')
        return found

    def to_id(self, kind: str, record_id: str | None) -> Markup:
        return self.to(self.graph.get(kind, record_id)) if record_id else Markup("")

    def to_ids(self, kind: str, ids: Any) -> Markup:
        return Markup(", ").join(self.to_id(kind, record_id) for record_id in ids)


@dataclass(frozen=True)
class SourceLine:
    """A cited source as every citation of it shows it."""

    source: Source | None
    publisher: str = ""
    published: Any = None
    url: str | None = None
    archived_url: str | None = None
    reported_only: bool = False


@dataclass(frozen=True)
class CitationView:
    """One item of a citation list: a source with its quote, or a statement."""

    anchor: str
    source: SourceLine | None = None
    quote: str | None = None
    locator: str | None = None
    note: str | None = None
    statement: Record | None = None
    statement_date: Any = None


@dataclass(frozen=True)
class MentionRow:
    """A statement or fact-check that mentions a record, with how (its roles)."""

    record: Record
    date: Any
    label: str
    roles: tuple[str, ...]


class Views:
    """The views of one build's records, each worked out from the graph once."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.ratings = Ratings(graph.site)
        self.titles = {(r.collection, r.id): graph.title(r) for r in graph.all()}
        self.source_lines = {
            source.id: SourceLine(source, source.publisher, source.published, source.url,
                                  source.archived_url, source.availability == "reported-only")
            for source in graph.records["sources"].values()}  # type: ignore[attr-defined]

    def title(self, record: Record) -> str:
        return self.titles[(record.collection, record.id)]

    def title_key(self, record: Record) -> str:
        return self.title(record).casefold()

    def name(self, kind: str, record_id: str | None) -> str:
        """The display name of a record by id (the id itself if there is no such record)."""
        return self.titles.get((kind, record_id), record_id or "") if record_id else ""

    def citations(self, items: Any, anchor: str) -> list[CitationView]:
        views = []
        for index, item in enumerate(items, 1):
            place = f"{anchor}-{index}"
            if isinstance(item, Citation):
                views.append(CitationView(
                    place, self.source_lines.get(item.source, SourceLine(None)), item.quote,
                    item.locator, item.note))
            else:
                statement = self.graph.get("statements", item.statement)
                views.append(CitationView(place, statement=statement, statement_date=(
                    statement.date if statement is not None else None)))  # type: ignore[attr-defined]
        return views

    def mentions(self, kind: str, record_id: str, found: list[Any] | None = None
                 ) -> list[MentionRow]:
        """Statements and fact-checks mentioning a record (``found``, if already looked up),
        newest first, with their roles."""
        roles: dict[tuple[str, str], list[str]] = defaultdict(list)
        for link in self.graph.backlinks.get((kind, record_id), ()):
            role = ROLE_LABELS.get(link.field.partition(".")[0], "mentions it")
            held = roles[(link.kind, link.id)]
            if role not in held:
                held.append(role)
        if found is None:
            found = self.graph.mentions(kind, record_id)
        rows = [MentionRow(mention, record_date(mention), KIND_LABELS[mention.collection],
                           tuple(roles[(mention.collection, mention.id)]))
                for mention in found]
        return sorted(rows, key=lambda row: sort_key(row.date), reverse=True)

