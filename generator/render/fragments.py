"""The HTML fragments every record page shares, bound to the page being rendered (Context)."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from .. import markdown
from ..graph import Graph, shorten
from ..models import Citation, Record
from ..types import country_name
from .base import KIND_LABELS, ROLE_LABELS, RenderOptions
from .formatting import display_date, escape, iso, record_date, shift_headings, sort_key
from .frontmatter import HEADING_MARK
from .prose import ProseBatch
from .urls import link_prefix, page_url, record_path

# -- hot fragments in plain Python (the same HTML the Jinja macros gave, ~10x faster) ------
#
# Safety as in the templates: every value goes through ``formatting.escape`` (markupsafe's
# escaping, which Jinja's autoescaping calls); links and prose are ``Markup`` already and pass
# through unchanged.


def _facts(items: Iterable[tuple[str, Any]]) -> str:
    rows = "".join(f"<dt>{escape(label)}</dt>\n<dd>{escape(value)}</dd>\n"
                   for label, value in items if value)
    return f'<dl class="fs-facts">\n{rows}</dl>\n'


MISSING: Any = object()


class RecordMemo:
    """Values worked out once per record (and tag) for one build, such as a record's title
    or its link from pages of one depth.

    Keyed by ``id(record)``, which costs nothing to hash: the graph keeps its records alive
    for the build, and each entry keeps its record, so a reused id never returns another
    record's value.
    """

    __slots__ = ("_entries",)

    def __init__(self) -> None:
        self._entries: dict[tuple[str, int], tuple[object, Any]] = {}

    def get(self, record: object, tag: str = "") -> Any:
        """The value stored for ``record`` under ``tag``, else :data:`MISSING`."""
        found = self._entries.get((tag, id(record)))
        return found[1] if found is not None and found[0] is record else MISSING

    def put(self, record: object, value: Any, tag: str = "") -> Any:
        self._entries[(tag, id(record))] = (record, value)
        return value


@dataclass
class RenderCache:
    """What the pages of one build share, each kind of value in its own typed store (so
    no content value, such as a rating id, can stand for another's key)."""

    records: RecordMemo = field(default_factory=RecordMemo)
    """Per record, the same on every page: titles, labels, sort keys."""
    depths: dict[str, RecordMemo] = field(default_factory=dict)
    """Per page depth (its ``../`` prefix), per record: links, mention lines."""
    ratings: dict[str, Markup] = field(default_factory=dict)
    """Rating badges by rating id."""

    def at_depth(self, prefix: str) -> RecordMemo:
        found = self.depths.get(prefix)
        if found is None:
            found = self.depths[prefix] = RecordMemo()
        return found


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
    prefix: str
    cache: RenderCache
    shared: RecordMemo
    here: RecordMemo

    def facts(self, items: Iterable[tuple[str, Any]]) -> Markup:
        return Markup(_facts(items))

    def links(self, kind: str, ids: Iterable[str]) -> Markup:
        # Each link is Markup already: joined as text, without escaping each again.
        return Markup(", ".join([self.link_id(kind, record_id) for record_id in ids]))

    def citation(self, item: Citation) -> str:
        source: Any = self.graph.get("sources", item.source)
        out = []
        if item.quote:
            out.append(f'<blockquote class="fs-citation__quote"><p>{escape(item.quote)}</p>'
                       "</blockquote>")
        head, tail = self.source_line(source)
        out.append(head)
        if item.locator:
            out.append(f", {escape(item.locator)}")
        out.append(tail)
        if item.note:
            out.append(f'<p class="fs-citation__note">Note: {escape(item.note)}</p>')
        return "".join(out)

    def source_line(self, source: Any) -> tuple[str, str]:
        """A citation's source line around its locator: the link, publisher and date; then
        the original and archived links (the same for every citation of the source on
        pages of the same depth, so built once per build)."""
        found = self.here.get(source, "source")
        if found is not MISSING:
            return found  # type: ignore[no-any-return]
        head = [f'<p class="fs-citation__source">{self.link(source)}']
        tail = []
        if source:
            head.append(f", {escape(source.publisher)}, {escape(display_date(source.published))}")
            if source.url:
                tail.append(f' · <a href="{escape(source.url)}" rel="nofollow noopener">'
                            "original</a>")
            if source.archived_url:
                tail.append(f' · <a href="{escape(source.archived_url)}" rel="nofollow noopener">'
                            "archived copy</a>")
            if source.availability == "reported-only":
                tail.append(' · <span class="fs-tag">reported only</span>')
        tail.append("</p>\n")
        return self.here.put(source, ("".join(head), "".join(tail)), "source")  # type: ignore[no-any-return]

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
            out.append(f"{self.mention_head(row['record'])} "
                       f"({escape(', '.join(row['roles']))})</li>\n")
        out.append("</ul>\n")
        return Markup("".join(out))

    def mention_head(self, record: Record) -> str:
        """A mention line up to its roles: date, kind and link (the same on every page of
        the same depth that lists the record, so built once per build)."""
        found = self.here.get(record, "mention")
        if found is MISSING:
            when = record_date(record)
            found = self.here.put(record, (
                f'<li><time datetime="{escape(iso(when))}">{escape(display_date(when))}'
                f"</time> · {escape(KIND_LABELS[record.collection])}: {self.link(record)}"),
                "mention")
        return found  # type: ignore[no-any-return]

    def via_label(self, record: Record) -> str:
        found = self.shared.get(record, "via")
        if found is MISSING:
            found = self.shared.put(record, f"{KIND_LABELS[record.collection]}: "
                                            f"{shorten(self.title(record), 70)}", "via")
        return found  # type: ignore[no-any-return]

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

    def search_meta(self, record: Record) -> Markup:
        """The page's hidden search block (facets, result metadata, folded names)."""
        from .searchmeta import search_meta

        return Markup(search_meta(self, record))  # type: ignore[arg-type]

    def graph_sections(self, kind: str, record_id: str, others: list[tuple[str, str]]
                       ) -> Markup:
        mentions = self.graph.mentions(kind, record_id)
        parts = [f"{HEADING_MARK}## Statements and fact-checks\n\n",
                 self.mentions_table(self.mentions(kind, record_id, mentions))]
        for other, heading in others:
            parts.append("\n")
            parts.append(self.association_list(
                heading, self.associations(kind, record_id, other, mentions)))
        return Markup("".join(parts))


class Context(_Fragments):
    """Helpers bound to the page being rendered (relative links need to know where it is)."""

    def __init__(self, graph: Graph, path: str, options: RenderOptions,
                 cache: RenderCache | None = None,
                 batch: ProseBatch | None = None) -> None:
        self.graph = graph
        self.path = path
        self.options = options
        self.prefix = link_prefix(path, options)
        self.batch = batch
        """Where prose goes to be converted with the rest of the build's (None: at once)."""
        self.cache = cache if cache is not None else RenderCache()
        """Shared by every page of one build."""
        self.shared: RecordMemo = self.cache.records
        self.here: RecordMemo = self.cache.at_depth(self.prefix)

    def href(self, to_path: str) -> str:
        return self.prefix + page_url(to_path, self.options.use_directory_urls) or "./"

    def record_href(self, kind: str, record_id: str) -> str:
        return self.href(record_path(kind, record_id))

    def title(self, record: Record) -> str:
        found = self.shared.get(record)
        if found is MISSING:
            found = self.shared.put(record, self.graph.title(record))
        return found  # type: ignore[no-any-return]

    def link(self, record: Record | None, label: str | None = None) -> Markup:
        if record is None:
            return Markup("")
        tag = "link" if label is None else f"link:{label}"
        found = self.here.get(record, tag)
        if found is MISSING:
            text = label if label is not None else self.title(record)
            href = self.record_href(record.collection, record.id)
            found = self.here.put(record, Markup(f'<a href="{escape(href)}">{escape(text)}</a>'),
                                  tag)
        return found  # type: ignore[no-any-return]

    def link_id(self, kind: str, record_id: str | None) -> Markup:
        return self.link(self.graph.get(kind, record_id)) if record_id else Markup("")

    def prose(self, text: str | None, top: int = 2) -> Markup:
        """Editor Markdown → sanitised HTML with ``[[refs]]`` as relative links.

        The editor's headings are renumbered to start at ``h{top}`` (below the page's
        own headings) without gaps, capped at ``h6``.
        """
        if not text:
            return Markup("")
        linked = markdown.with_links(text, self.resolve)
        if self.batch is not None:
            return Markup(self.batch.add(linked, top))
        return Markup(shift_headings(markdown.render(linked), top))

    def resolve(self, reference: markdown.Reference) -> tuple[str, str] | None:
        record = self.graph.get(reference.kind, reference.id)
        if record is None:
            return None
        return self.record_href(reference.kind, reference.id), self.title(record)

    def rating(self, rating_id: str) -> Markup:
        found = self.cache.ratings.get(rating_id)
        if found is None:
            found = self.cache.ratings[rating_id] = self._rating(rating_id)
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

    def mentions(self, kind: str, record_id: str, found: list[Any] | None = None
                 ) -> list[dict[str, Any]]:
        """Statements and claims mentioning a record (``found``, if already looked up),
        newest first, with their roles."""
        roles: dict[tuple[str, str], list[str]] = defaultdict(list)
        for link in self.graph.backlinks.get((kind, record_id), ()):
            role = _role(link.field)
            held = roles[(link.kind, link.id)]
            if role not in held:
                held.append(role)
        if found is None:
            found = self.graph.mentions(kind, record_id)
        rows = [{"record": mention, "roles": roles[(mention.collection, mention.id)]}
                for mention in found]
        return sorted(rows, key=lambda row: self.date_key(row["record"]), reverse=True)

    def date_key(self, record: Record) -> tuple[int, int, int]:
        found = self.shared.get(record, "date")
        if found is MISSING:
            found = self.shared.put(record, sort_key(record_date(record)), "date")
        return found  # type: ignore[no-any-return]

    def title_key(self, record: Record) -> str:
        found = self.shared.get(record, "casefold")
        if found is MISSING:
            found = self.shared.put(record, self.title(record).casefold(), "casefold")
        return found  # type: ignore[no-any-return]

    def associations(self, kind: str, record_id: str, other: str,
                     mentions: list[Any] | None = None) -> list[Any]:
        found = self.graph.associations(kind, record_id, other, mentions)
        return sorted(found, key=lambda pair: self.title_key(pair[0]))


@functools.cache
def _role(field: str) -> str:
    """How a record is mentioned, from the field that refers to it (``citations.0.source``)."""
    return ROLE_LABELS.get(field.partition(".")[0], "mentioned")
