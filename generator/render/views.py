"""What a page shows of a record, worked out once: the views the templates render.

A view holds data, never HTML links: a link depends on where the page sits, so the
templates make it with the page's :class:`Links`. Each field is therefore rendered in one
place, its template (``generator/templates/``).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from ..graph import Graph, shorten
from ..models import Citation, Claim, Record, Site, Source, Statement
from .base import KIND_LABELS, ROLE_LABELS
from .formatting import display_date, join_html, record_date, sort_key
from .roles import Mention, mention_view
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

    @functools.cached_property
    def badge(self) -> Markup:
        """The rating as a badge: its label with the rating's icon and colour (made when
        first asked: the feed and the share cards build the ratings only for labels)."""
        return Markup(
            '<span class="fs-rating fs-rating--{}" title="Rating: {}">'
            '<span class="fs-rating__icon" aria-hidden="true"></span>{}</span>'
        ).format(self.id, self.label, self.label)


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
        return join_html(", ", [self.to_id(kind, record_id) for record_id in ids])

    def to_all(self, records: Any) -> Markup:
        """Links to ``records``, separated by commas (empty if there are none)."""
        return join_html(", ", [self.to(record) for record in records])


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


def possessive(name: str) -> str:
    return f"{name}’" if name.endswith("s") else f"{name}’s"


def quoted(text: str) -> str:
    """``text`` in quotation marks, without the full stop it may end with."""
    return f"“{text.removesuffix('.')}”"


def claim_headline(claim: Claim, claimant: str, rating: RatingView) -> str:
    """The fact-check's headline: the editor's, or one that attributes the claim, quotes it
    and gives the rating; never the claim as a statement of fact."""
    if claim.headline:
        return claim.headline
    return (f"Fact-check: {possessive(claimant)} claim that {quoted(shorten(claim.claim, 80))}"
            f" is {rating.label}")


def claim_title(claim: Claim, claimant: str, rating: RatingView) -> str:
    """The headline as the page's title, feed entry and share title: always with the
    rating (an editor's headline gets it added)."""
    headline = claim_headline(claim, claimant, rating)
    return f"{headline} (rated {rating.label})" if claim.headline else headline


def framed_title(graph: Graph, record: Record) -> str:
    """A record's title wherever it stands alone (page title, feed entry, search result):
    a claim framed as a fact-check, anything else its display title."""
    if isinstance(record, Claim):
        claimant = graph.get("actors", record.claimant)
        name = graph.title(claimant) if claimant is not None else record.claimant
        return claim_title(record, name, Ratings(graph.site)[record.rating])
    return graph.title(record)


@dataclass(frozen=True)
class Byline:
    """Who made a statement, when, and how we know it: the first source that carries it
    (with its locator) and the documents that source reports."""

    form: str
    """``verbatim``, ``verbatim-as-reported`` or ``paraphrase``."""
    carrier: SourceLine | None
    locator: str | None
    reporting: tuple[Source, ...]

    @property
    def form_label(self) -> str:
        return FORM_LABELS[self.form]

    @property
    def verb(self) -> str:
        return {"verbatim": "in", "verbatim-as-reported": "quoted in",
                "paraphrase": "as reported in"}[self.form]


FORM_LABELS = {"verbatim": "Verbatim", "verbatim-as-reported": "Verbatim, as reported",
               "paraphrase": "Paraphrase"}
FORM_NOTES = {
    "verbatim": "the speaker’s exact words, from their own record",
    "verbatim-as-reported": "the speaker’s exact words as a report quotes them",
    "paraphrase": "a faithful summary, not the speaker’s words",
}
OWN_RECORDS = ("official-statement", "social-media-post", "interview", "government-document",
               "report", "dataset")
"""Source kinds that are the speaker's own record, not a report about what they said."""


class Views:
    """The views of one build's records, each worked out from the graph once."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.ratings = Ratings(graph.site)
        self.titles = {(r.collection, r.id): graph.title(r) for r in graph.all()}
        for claim in graph.records["claims"].values():  # linked in quotation marks
            self.titles[("claims", claim.id)] = quoted(claim.claim)  # type: ignore[attr-defined]
        self.source_lines = {
            source.id: SourceLine(source, source.publisher, source.published, source.url,
                                  source.archived_url, source.availability == "reported-only")
            for source in graph.records["sources"].values()}  # type: ignore[attr-defined]
        self.mentions_made: dict[tuple[str, str], Mention] = {}

    def title(self, record: Record) -> str:
        return self.titles[(record.collection, record.id)]

    def mention(self, record: Statement | Claim) -> Mention:
        """The statement or fact-check as the pages of the records it names list it."""
        key = (record.collection, record.id)
        found = self.mentions_made.get(key)
        if found is None:
            found = self.mentions_made[key] = mention_view(self.graph, record)
        return found

    def page_title(self, record: Record) -> str:
        """The title of the record's own page (a claim framed as a fact-check)."""
        if isinstance(record, Claim):
            return claim_title(record, self.name("actors", record.claimant),
                               self.ratings[record.rating])
        if isinstance(record, Statement):  # its words are shown once, under the title
            behalf = (f", on behalf of {self.name('actors', record.on_behalf_of)}"
                      if record.on_behalf_of else "")
            return (f"Statement by {self.name('actors', record.speaker)}{behalf}, "
                    f"{display_date(record.date)}")
        return self.title(record)

    def headline(self, claim: Claim) -> str:
        return claim_headline(claim, self.name("actors", claim.claimant),
                              self.ratings[claim.rating])

    def byline(self, statement: Statement) -> Byline:
        """How a statement is known: the first public source citing it, with its locator,
        and the reported-only documents it reports."""
        cited = [c for c in statement.citations if isinstance(c, Citation)]
        sources = [(c, self.graph.get("sources", c.source)) for c in cited]
        carriers = [(c, s) for c, s in sources
                    if isinstance(s, Source) and s.availability != "reported-only"]
        reporting = tuple(s for _, s in sources
                          if isinstance(s, Source) and s.availability == "reported-only")
        if not carriers:
            chained = [other for doc in reporting for other in self.graph.chain(doc)]
            carrier = self.source_lines.get(chained[0].id) if chained else None
            locator = None
        else:
            citation, source = carriers[0]
            carrier, locator = self.source_lines.get(source.id), citation.locator
        if statement.form == "paraphrase":
            form = "paraphrase"
        elif carrier and carrier.source and carrier.source.kind in OWN_RECORDS and not reporting:
            form = "verbatim"
        else:
            form = "verbatim-as-reported"
        return Byline(form, carrier, locator, reporting)

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

