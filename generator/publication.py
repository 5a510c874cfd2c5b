"""Drafts and embargoes: which records a build publishes.

A record with ``status: draft``, or with a ``publish_after`` later than the build time
(:func:`~generator.types.build_time`, which honours ``SOURCE_DATE_EPOCH``), is checked like
any other but not published. :func:`published_graph` is the one place that leaves such
records out: :func:`generator.build.build_site` renders and exports only what it returns
(so no page, export, feed, sitemap, redirect or search entry). A published record may not
link to an unpublished one in its published text: :func:`check_unpublished_links`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Sequence

from . import markdown
from .diagnostics import Diagnostic
from .graph import Graph, Link
from .link import markdown_texts, walk
from .load import Document, Loc
from .models import Record, Site


def unpublished_reason(record: Record, now: dt.datetime) -> str | None:
    """Why ``record`` is not published at ``now`` ("a draft", "embargoed until …"), or None."""
    if record.status == "draft":
        return "a draft"
    if record.publish_after is not None and record.publish_after > now:
        return f"embargoed until {record.publish_after.isoformat()}"
    return None


def is_published(record: Record, now: dt.datetime) -> bool:
    return unpublished_reason(record, now) is None


def published_graph(graph: Graph, now: dt.datetime) -> Graph:
    """``graph`` without its unpublished records, and without every link and alias that
    involves one (``graph`` itself when every record is published)."""
    hidden = {(record.collection, record.id) for record in graph.all()
              if not is_published(record, now)}
    if not hidden:
        return graph
    records = {kind: {record_id: record for record_id, record in by_id.items()
                      if (kind, record_id) not in hidden}
               for kind, by_id in graph.records.items()}
    backlinks: defaultdict[tuple[str, str], list[Link]] = defaultdict(list)
    for target, links in graph.backlinks.items():
        if target not in hidden:
            kept = [link for link in links if (link.kind, link.id) not in hidden]
            if kept:
                backlinks[target] = kept
    outlinks = type(graph.outlinks)(graph.outlinks.default_factory)
    for origin, by_kind in graph.outlinks.items():
        if origin in hidden:
            continue
        for kind, targets in by_kind.items():
            kept_targets = {t: None for t in targets if (kind, t) not in hidden}
            if kept_targets:
                outlinks[origin][kind] = kept_targets
    aliases = {(kind, old): new for (kind, old), new in graph.aliases.items()
               if (kind, new) not in hidden}
    return Graph(graph.site, records, backlinks, aliases, graph.seeds, outlinks)


def check_unpublished_links(entries: Sequence[tuple[Document, Record | Site]], graph: Graph,
                            now: dt.datetime) -> list[Diagnostic]:
    """An error for every link from a published record to an unpublished one (a reference
    field or a ``[[kind/id]]``), naming both."""
    hidden = {(record.collection, record.id): reason for record in graph.all()
              if (reason := unpublished_reason(record, now)) is not None}
    if not hidden:
        return []
    problems = []
    for document, record in entries:
        if not isinstance(record, Record) or (record.collection, record.id) in hidden:
            continue
        for loc, kind, target, at in _links(document, record):
            reason = hidden.get((kind, target))
            if reason is not None:
                problems.append(document.diagnostic(loc, (
                    f"{record.collection}/{record.id} is published but links to "
                    f"{kind}/{target}, which is {reason}; remove the link, publish "
                    f"{kind}/{target}, or make {record.collection}/{record.id} a draft too"),
                    at=at))
    return problems


def _links(document: Document, record: Record
           ) -> Iterator[tuple[Loc, str, str, tuple[int, int] | None]]:
    """Every ``(loc, kind, id, position or None)`` the record links to."""
    leaves = walk(record)
    for loc, value, spec in leaves:
        for kind in spec.refs:
            yield loc, kind, value, None
    for loc, text, start in markdown_texts(document, record, leaves):
        seen: dict[str, int] = {}
        for reference in markdown.references(text):
            occurrence = seen.get(reference.raw, 0)
            seen[reference.raw] = occurrence + 1
            if reference.id:
                yield (loc, reference.kind, reference.id,
                       document.find(reference.raw, start(), occurrence) or start())

