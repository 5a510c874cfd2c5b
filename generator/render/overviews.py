"""The data behind the overview pages: the elections × tactics matrix and the timeline
(their templates are ``matrix.html.j2`` and ``timeline.html.j2``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..graph import PAGE_LIST_LIMIT, Graph
from ..models import Claim, Election, Record, Tactic
from .formatting import record_date

MATRIX_MAX_SIDE = 60
"""Most elections (rows) and tactics (columns) in the matrix: those with the most links."""
HEAT_LEVELS = ((1, 1), (2, 4), (5, 9), (10, None))
"""The shades of a matrix cell: the range of counts each stands for (the count is the
cell's text: the shade is never the only cue)."""


def heat(count: int) -> int:
    """The shade (1–4) of a matrix cell that counts ``count`` statements and claims."""
    return next(level for level, (low, high) in enumerate(HEAT_LEVELS, 1)
                if count >= low and (high is None or count <= high))


@dataclass(frozen=True)
class Matrix:
    """Elections × tactics, counted: each cell is how many statements and claims attribute
    both (through :data:`..graph.ATTRIBUTING_FIELDS`), and links to them on the election's
    page (``#tactic-ID``, or its Tactics list when that tactic is past the list's limit)."""

    elections: list[Election]
    tactics: list[Tactic]
    cells: dict[tuple[str, str], int]
    listed: dict[str, set[str]]
    """Election id → the tactics its page lists by name (the first ``PAGE_LIST_LIMIT``)."""
    hidden: tuple[int, int]


def matrix(graph: Graph, title_key: Callable[[Record], str]) -> Matrix:
    """The matrix: every tactic a column (at most ``MATRIX_MAX_SIDE``, those with the most
    links), the elections with a link as rows (as many at most): a page of bounded size,
    whatever the content (:attr:`Matrix.hidden` counts what is left out)."""
    rows, columns = _matrix_sides(graph)
    cells: dict[tuple[str, str], int] = defaultdict(int)
    outlinks = graph.attributing_outlinks
    for kind in ("statements", "claims"):
        for record in graph.records[kind].values():
            targets = outlinks.get((kind, record.id), {})
            for election in targets.get("elections", ()):
                if election not in rows:
                    continue
                for tactic in targets.get("tactics", ()):
                    if tactic in columns:
                        cells[(election, tactic)] += 1
    used_elections = {e for e, _ in cells}
    elections = sorted((e for i, e in graph.records["elections"].items() if i in used_elections),
                       key=lambda e: e.date.sort_key)  # type: ignore[attr-defined]
    tactics = sorted((t for i, t in graph.records["tactics"].items() if i in columns),
                     key=title_key)
    listed = {e.id: {t.id for t, _ in sorted(graph.associations("elections", e.id, "tactics"),
                                             key=lambda pair: title_key(pair[0]))
                     [:PAGE_LIST_LIMIT]} for e in elections}
    return Matrix(elections, tactics, dict(cells), listed,  # type: ignore[arg-type]
                  matrix_hidden(graph, rows, columns))


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
    for tactic in graph.records["tactics"]:  # every tactic is a column, if there is room
        weights["tactics"].setdefault(tactic, 0)
    return tuple(  # type: ignore[return-value]
        set(sorted(counts, key=lambda i: (-counts[i], i))[:MATRIX_MAX_SIDE])
        for counts in weights.values())


def matrix_hidden(graph: Graph, rows: set[str], columns: set[str]) -> tuple[int, int]:
    """How many linked elections and tactics the bounded matrix leaves out."""
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
