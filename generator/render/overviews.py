"""The data behind the overview pages: the elections × tactics matrix and the timeline
(their templates are ``matrix.html.j2`` and ``timeline.html.j2``)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ..graph import Graph
from ..models import Claim, Election, Record, Statement, Tactic
from .formatting import record_date


class Cell(list):  # type: ignore[type-arg]
    """The first ``MATRIX_CELL_LINKS`` records of a matrix cell, and how many there are."""

    total = 0

    def add(self, record: Statement | Claim) -> None:
        self.total += 1
        if len(self) < MATRIX_CELL_LINKS:
            self.append(record)


MATRIX_MAX_SIDE = 60
"""Most elections (rows) and tactics (columns) in the matrix: those with the most links."""
MATRIX_CELL_LINKS = 3
"""Statements and fact-checks linked from one cell; the rest are counted."""


def matrix(graph: Graph) -> tuple[list[Election], list[Tactic],
                                  dict[tuple[str, str], list[Statement | Claim]]]:
    """Elections × tactics: each cell lists the statements and claims that link the two
    (through attributing fields: :data:`..graph.ATTRIBUTING_FIELDS`), at most
    ``MATRIX_MAX_SIDE`` of each, and ``MATRIX_CELL_LINKS + 1`` per cell: the page's size is
    bounded, whatever the content (see :func:`matrix_hidden` for what is left out)."""
    rows, columns = _matrix_sides(graph)
    cells: dict[tuple[str, str], Cell] = defaultdict(Cell)
    outlinks = graph.attributing_outlinks
    for kind in ("statements", "claims"):
        for record in graph.records[kind].values():
            targets = outlinks.get((kind, record.id), {})
            for election in targets.get("elections", ()):
                if election not in rows:
                    continue
                for tactic in targets.get("tactics", ()):
                    if tactic in columns:
                        cells[(election, tactic)].add(record)  # type: ignore[arg-type]
    used_elections = {e for e, _ in cells}
    used_tactics = {t for _, t in cells}
    elections = sorted((e for i, e in graph.records["elections"].items() if i in used_elections),
                       key=lambda e: e.date.sort_key)  # type: ignore[attr-defined]
    tactics = sorted((t for i, t in graph.records["tactics"].items() if i in used_tactics),
                     key=lambda t: graph.title(t).casefold())
    return elections, tactics, dict(cells)  # type: ignore[return-value]


def _matrix_sides(graph: Graph) -> tuple[set[str], set[str]]:
    """The elections and tactics in the matrix: the ``MATRIX_MAX_SIDE`` of each that the
    most statements and claims link to both an election and a tactic."""
    weights: dict[str, dict[str, int]] = {"elections": defaultdict(int),
                                          "tactics": defaultdict(int)}
    for (kind, _), targets in graph.attributing_outlinks.items():
        if kind in ("statements", "claims") and targets.get("elections") and targets.get(
                "tactics"):
            for side, counts in weights.items():
                for target in targets[side]:
                    counts[target] += 1
    return tuple(  # type: ignore[return-value]
        set(sorted(counts, key=lambda i: (-counts[i], i))[:MATRIX_MAX_SIDE])
        for counts in weights.values())


def matrix_hidden(graph: Graph) -> tuple[int, int]:
    """How many linked elections and tactics the bounded matrix leaves out."""
    rows, columns = _matrix_sides(graph)
    linked = {"elections": set(), "tactics": set()}  # type: dict[str, set[str]]
    for (kind, _), targets in graph.attributing_outlinks.items():
        if kind in ("statements", "claims") and targets.get("elections") and targets.get(
                "tactics"):
            for side, found in linked.items():
                found.update(targets[side])
    return len(linked["elections"] - rows), len(linked["tactics"] - columns)


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
