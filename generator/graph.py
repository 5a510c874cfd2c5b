"""The linked content graph and the queries that pages and exports ask of it."""

from __future__ import annotations

import functools
from collections import defaultdict, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from . import registry
from .load import ALL_KINDS
from .models import Actor, Claim, Record, Site, Source, Statement

SINGULAR = registry.singulars()


ATTRIBUTING_FIELDS = frozenset({"about", "speaker", "on_behalf_of", "claimant", "citations",
                                "appearances", "evidence"})
"""The fields of a statement or claim that attribute something to a record: its own
structured, cited content. A ``[[ref]]`` in ``context``, ``analysis`` or an update note only
mentions a record (a correction may name a link it removes) and never associates two."""


def attributes(field: str) -> bool:
    """Whether a link through ``field`` (dotted location) attributes, not just mentions."""
    return field.partition(".")[0] in ATTRIBUTING_FIELDS


def mentions_at_all(field: str) -> bool:
    """Update notes are the record's history, not what it says: no mention at all."""
    return not field.startswith("updates.")


PAGE_LIST_LIMIT = 50
"""Most entries a page lists in one derived list (associations, a source's chain): a page's
size must not grow with the product of what links to it."""


class Link(NamedTuple):
    """Record ``kind/id`` refers to another through ``field`` (dotted location)."""

    kind: str
    id: str
    field: str


@dataclass
class Graph:
    site: Site | None
    records: dict[str, dict[str, Record]] = field(
        default_factory=lambda: {kind: {} for kind in ALL_KINDS})
    backlinks: dict[tuple[str, str], list[Link]] = field(
        default_factory=lambda: defaultdict(list))
    aliases: dict[tuple[str, str], str] = field(default_factory=dict)
    """``(kind, old id)`` → current id."""
    seeds: dict[str, str] = field(default_factory=dict)
    """Seed path (relative to ``seeds/``) → its text."""
    outlinks: dict[tuple[str, str], dict[str, dict[str, None]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(dict)))
    """``(kind, id)`` → kind → ids it refers to (references, ``about`` and ``[[refs]]``),
    each once, in order (the keys of a dict)."""

    def get(self, kind: str, record_id: str) -> Record | None:
        return self.records.get(kind, {}).get(record_id)

    def all(self) -> Iterator[Record]:
        for kind in ALL_KINDS:
            yield from self.records[kind].values()

    def count(self) -> dict[str, int]:
        return {kind: len(self.records[kind]) for kind in ALL_KINDS}

    def title(self, record: Record) -> str:
        """The display name of any record."""
        if isinstance(record, Statement):
            speaker = self.get("actors", record.speaker)
            name = speaker.name if isinstance(speaker, Actor) else record.speaker
            return f"{name}: {shorten(record.text, 90)}"
        if isinstance(record, Claim):
            return record.claim
        for attribute in ("name", "title"):
            value = getattr(record, attribute, None)
            if isinstance(value, str):
                return value
        return record.id

    def referrers(self, kind: str, record_id: str, *, of_kind: str | None = None
                  ) -> list[Record]:
        """Records that refer to ``kind/record_id``, each once, in file order."""
        seen: dict[tuple[str, str], Record] = {}
        for link in self.backlinks.get((kind, record_id), ()):
            if of_kind and link.kind != of_kind:
                continue
            record = self.get(link.kind, link.id)
            if record is not None:
                seen.setdefault((link.kind, link.id), record)
        return list(seen.values())

    def mentions(self, kind: str, record_id: str) -> list[Statement | Claim]:
        """Statements and claims that attribute something to or about this record, or
        mention it (not in update notes): the statements, then the claims, each once, in
        file order."""
        found: dict[str, dict[str, Record]] = {"statements": {}, "claims": {}}
        for link in self.backlinks.get((kind, record_id), ()):
            bucket = found.get(link.kind)
            if bucket is not None and link.id not in bucket and mentions_at_all(link.field):
                record = self.records[link.kind].get(link.id)
                if record is not None:
                    bucket[link.id] = record
        return [*found["statements"].values(), *found["claims"].values()]  # type: ignore[list-item]

    def associations(self, kind: str, record_id: str, other: str,
                     mentions: list[Statement | Claim] | None = None
                     ) -> list[tuple[Record, list[Statement | Claim]]]:
        """Records of kind ``other`` linked to this one *through* a statement or claim.

        Each association carries the statements/claims it comes from (no association
        without attribution): both records are named in attributing fields of each
        (:data:`ATTRIBUTING_FIELDS`). ``mentions``: this record's, if already looked up.
        """
        via: dict[str, list[Statement | Claim]] = defaultdict(list)
        if mentions is None:
            mentions = self.mentions(kind, record_id)
        outlinks = self.attributing_outlinks
        attributing = outlinks.get
        for mention in mentions:  # each mention once already
            if record_id not in attributing((mention.collection, mention.id), {}).get(kind, ()):
                continue
            targets = outlinks.get((mention.collection, mention.id))
            for target in targets.get(other, ()) if targets else ():  # each once already
                via[target].append(mention)
        if other == kind:
            via.pop(record_id, None)
        records = self.records[other]
        return [(records[target], mentions) for target, mentions in via.items()
                if target in records]

    @functools.cached_property
    def attributing_outlinks(self) -> dict[tuple[str, str], dict[str, dict[str, None]]]:
        """:attr:`outlinks` through attributing fields only, built once from the backlinks
        (asked when pages are rendered, after the graph is linked)."""
        found: dict[tuple[str, str], dict[str, dict[str, None]]] = defaultdict(
            lambda: defaultdict(dict))
        for (kind, target), links in self.backlinks.items():
            for link in links:
                if attributes(link.field):
                    found[(link.kind, link.id)][kind][target] = None
        return found

    def refers_to(self, record: Record, kind: str) -> list[str]:
        """Ids of ``kind`` that ``record`` refers to, in order, without repeats."""
        return list(self.outlinks.get((record.collection, record.id), {}).get(kind, ()))

    def chain(self, source: Source) -> list[Source]:
        """The sources a reported-only document is known through, transitively, breadth
        first, the nearest ``PAGE_LIST_LIMIT + 1`` of them (a longer chain continues on the
        last one's page): each source is queued once and the walk stops there, so all the
        chains of a graph cost time linear in its sources; each is walked once per graph
        (pages, JSON-LD and quote checks ask)."""
        known = self._chains.get(source.id)
        if known is None:
            known = self._chains[source.id] = self._walk_chain(source)
        return known

    @functools.cached_property
    def _chains(self) -> dict[str, list[Source]]:
        return {}

    def _walk_chain(self, source: Source) -> list[Source]:
        found: list[Source] = []
        seen = {source.id}
        queue = deque(source.reported_in)
        seen.update(queue)
        while queue:
            candidate = self.get("sources", queue.popleft())
            if isinstance(candidate, Source):
                found.append(candidate)
                if len(found) > PAGE_LIST_LIMIT:
                    break
                fresh = [other for other in candidate.reported_in if other not in seen]
                seen.update(fresh)
                queue.extend(fresh)
        return found

    def in_cycles(self, kind: str, attribute: str) -> set[str]:
        """Ids of ``kind`` that lead back to themselves through ``attribute`` (a reference
        or a list of them): one depth-first walk of the whole graph (Tarjan's strongly
        connected components, iteratively), not a walk per record."""
        records = self.records[kind]

        def targets(record_id: str) -> list[str]:
            value = getattr(records[record_id], attribute, None)
            found = value if isinstance(value, list) else [value] if value else []
            return [target for target in found if target in records]

        index: dict[str, int] = {}
        low: dict[str, int] = {}
        stack: list[str] = []
        on_stack: set[str] = set()
        cyclic: set[str] = set()
        for start in records:
            if start in index:
                continue
            work = [(start, iter(targets(start)))]
            index[start] = low[start] = len(index)
            stack.append(start)
            on_stack.add(start)
            while work:
                node, children = work[-1]
                child = next(children, None)
                if child is not None:
                    if child not in index:
                        index[child] = low[child] = len(index)
                        stack.append(child)
                        on_stack.add(child)
                        work.append((child, iter(targets(child))))
                    elif child in on_stack:
                        low[node] = min(low[node], index[child])
                    if child == node:
                        cyclic.add(node)
                    continue
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        cyclic.update(component)
        return cyclic

    def corrections(self) -> list[tuple[Record, object]]:
        """Every ``correction`` update on the site, newest first."""
        found = [(record, update) for record in self.all() for update in record.updates
                 if update.kind == "correction"]
        return sorted(found, key=lambda pair: pair[1].date, reverse=True)  # type: ignore[attr-defined]


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"
