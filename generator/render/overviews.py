"""The data behind the overview pages: the elections × tactics matrix and the timeline
(their templates are ``matrix.html.j2`` and ``timeline.html.j2``)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..graph import PAGE_LIST_LIMIT, Graph
from ..models import Claim, Election, Record, Tactic
from .formatting import record_date

MATRIX_ROWS = 100
"""Most elections (rows) on one page of the matrix: past it, the matrix is paginated."""
MATRIX_COLUMNS = 60
"""Most tactics (columns) on one page of the matrix: a page's size stays bounded
(``MATRIX_ROWS`` × ``MATRIX_COLUMNS`` counts at most), whatever the content."""
HEAT_LEVELS = ((1, 1), (2, 4), (5, 9), (10, None))
"""The shades of a matrix cell: the range of counts each stands for (the count is the
cell's text: the shade is never the only cue)."""


def heat(count: int) -> int:
    """The shade (1–4) of a matrix cell that counts ``count`` statements and claims."""
    return next(level for level, (low, high) in enumerate(HEAT_LEVELS, 1)
                if count >= low and (high is None or count <= high))


@dataclass(frozen=True)
class Span:
    """The elections or tactics of one matrix page: positions ``first``–``last`` (from 1)
    of ``total``."""

    first: int
    last: int
    total: int

    def __str__(self) -> str:
        return f"{self.first}–{self.last}" if self.last != self.first else str(self.first)


@dataclass(frozen=True)
class MatrixPage:
    """One page of the elections × tactics matrix: a block of rows and of columns. Each
    cell counts the statements and claims that attribute both (through
    :data:`..graph.ATTRIBUTING_FIELDS`) and links to them on the election's page
    (``#tactic-ID``, or its Tactics list when that tactic is past the list's limit)."""

    path: str
    elections: list[Election]
    tactics: list[Tactic]
    rows: Span
    columns: Span
    cells: dict[tuple[str, str], int]
    listed: dict[str, set[str]]
    """Election id → the tactics its page lists by name (the first ``PAGE_LIST_LIMIT``)."""

    @property
    def grid(self) -> list[tuple[Election, list[tuple[Tactic, int]]]]:
        """Each row's election with every column's tactic and count (0: none), in order:
        the cells are looked up here once, not by the template (the grid grows as the
        elections times the tactics)."""
        cells = self.cells
        return [(election, [(tactic, cells.get((election.id, tactic.id), 0))
                            for tactic in self.tactics])
                for election in self.elections]


def matrix_path(row_block: int, column_block: int, column_blocks: int) -> str:
    """``matrix.md`` for the first page; then ``matrix/page-N.md``, numbered row by row."""
    number = row_block * column_blocks + column_block + 1
    return "matrix.md" if number == 1 else f"matrix/page-{number}.md"


def matrix(graph: Graph, title_key: Callable[[Record], str]) -> list[MatrixPage]:
    """The matrix's pages: every election a row (in date order) and every tactic a column
    (by title), cut into blocks of ``MATRIX_ROWS`` × ``MATRIX_COLUMNS`` so that no page
    grows with the content; one page when the content fits."""
    cells = _matrix_counts(graph)
    elections = sorted(graph.records["elections"].values(), key=lambda e: (
        e.date.sort_key, natural(title_key(e))))  # type: ignore[attr-defined]
    tactics = sorted(graph.records["tactics"].values(), key=lambda t: natural(title_key(t)))
    row_blocks = _blocks(len(elections), MATRIX_ROWS)
    column_blocks = _blocks(len(tactics), MATRIX_COLUMNS)
    pages = []
    for r, rows in enumerate(row_blocks):
        block = elections[rows.first - 1:rows.last]
        listed = {e.id: _listed(graph, title_key, e) for e in block}
        for c, columns in enumerate(column_blocks):
            shown = tactics[columns.first - 1:columns.last]
            pages.append(MatrixPage(
                matrix_path(r, c, len(column_blocks)), block, shown, rows, columns,  # type: ignore[arg-type]
                {(e.id, t.id): cells[(e.id, t.id)] for e in block for t in shown
                 if (e.id, t.id) in cells}, listed))
    return pages


_DIGITS = re.compile(r"(\d+)")


def natural(title: str) -> tuple[tuple[int, int | str], ...]:
    """A sort key that puts "Tactic 2" before "Tactic 10" (numbers compared as numbers)."""
    return tuple((1, int(part)) if part.isdigit() else (0, part)
                 for part in _DIGITS.split(title) if part)


def _blocks(total: int, size: int) -> list[Span]:
    """``total`` positions cut into spans of ``size`` (one span, even when empty)."""
    return [Span(first + 1, min(first + size, total), total)
            for first in range(0, total, size)] or [Span(0, 0, 0)]


def _matrix_counts(graph: Graph) -> dict[tuple[str, str], int]:
    """(election, tactic) → how many statements and claims attribute both."""
    cells: dict[tuple[str, str], int] = defaultdict(int)
    for (kind, _), targets in graph.attributing_outlinks.items():
        if kind in ("statements", "claims"):
            for election in targets.get("elections", ()):
                for tactic in targets.get("tactics", ()):
                    cells[(election, tactic)] += 1
    return cells


def _listed(graph: Graph, title_key: Callable[[Record], str], election: Election) -> set[str]:
    """The tactics the election's page lists by name (the first ``PAGE_LIST_LIMIT``)."""
    pairs = sorted(graph.associations("elections", election.id, "tactics"),
                   key=lambda pair: title_key(pair[0]))
    return {tactic.id for tactic, _ in pairs[:PAGE_LIST_LIMIT]}


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
