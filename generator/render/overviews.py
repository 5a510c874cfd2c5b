"""The data behind the overview pages: the elections × tactics matrix and the timeline
(their templates are ``matrix.html.j2`` and ``timeline.html.j2``)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ..graph import Graph
from ..models import Claim, Election, Record, Statement, Tactic
from .formatting import record_date


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
