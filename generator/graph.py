"""The linked content graph and the queries that pages and exports ask of it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from . import registry
from .load import ALL_KINDS
from .models import Actor, Claim, Record, Site, Source, Statement

SINGULAR = registry.singulars()


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
        """Statements and claims that attribute something to or about this record: the
        statements, then the claims, each once, in file order."""
        found: dict[str, dict[str, Record]] = {"statements": {}, "claims": {}}
        for link in self.backlinks.get((kind, record_id), ()):
            bucket = found.get(link.kind)
            if bucket is not None and link.id not in bucket:
                record = self.records[link.kind].get(link.id)
                if record is not None:
                    bucket[link.id] = record
        return [*found["statements"].values(), *found["claims"].values()]  # type: ignore[list-item]

    def associations(self, kind: str, record_id: str, other: str,
                     mentions: list[Statement | Claim] | None = None
                     ) -> list[tuple[Record, list[Statement | Claim]]]:
        """Records of kind ``other`` linked to this one *through* a statement or claim.

        Each association carries the statements/claims it comes from (no association
        without attribution). ``mentions``: this record's, if already looked up.
        """
        via: dict[str, list[Statement | Claim]] = defaultdict(list)
        if mentions is None:
            mentions = self.mentions(kind, record_id)
        outlinks = self.outlinks
        for mention in mentions:  # each mention once already
            targets = outlinks.get((mention.collection, mention.id))
            for target in targets.get(other, ()) if targets else ():  # each once already
                via[target].append(mention)
        if other == kind:
            via.pop(record_id, None)
        records = self.records[other]
        return [(records[target], mentions) for target, mentions in via.items()
                if target in records]

    def refers_to(self, record: Record, kind: str) -> list[str]:
        """Ids of ``kind`` that ``record`` refers to, in order, without repeats."""
        return list(self.outlinks.get((record.collection, record.id), {}).get(kind, ()))

    def chain(self, source: Source) -> list[Source]:
        """The sources a reported-only document is known through, transitively."""
        found: list[Source] = []
        queue = list(source.reported_in)
        while queue:
            candidate = self.get("sources", queue.pop(0))
            if isinstance(candidate, Source) and candidate not in found and candidate is not source:
                found.append(candidate)
                queue.extend(candidate.reported_in)
        return found

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
