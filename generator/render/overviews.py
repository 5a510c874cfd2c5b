"""The data behind the overview pages: the elections × tactics matrix and the timeline
(their templates are ``matrix.html.j2`` and ``timeline.html.j2``)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
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

    @property
    def label(self) -> str:
        """What the page shows, for its title and the matrix's list of pages."""
        return f"elections {self.rows}, tactics {self.columns}"


@dataclass(frozen=True)
class Matrix:
    """The whole matrix: its pages, and whether it is cut into pages.

    A matrix that fits one page (``MATRIX_ROWS`` elections, ``MATRIX_COLUMNS`` tactics)
    shows every election and every tactic, counted or not. Past that, the elections × tactics
    grow as the product of two things that each grow with the content, so a paginated matrix
    shows only what is linked: its rows and columns are the elections and tactics that some
    statement or fact-check links (``linked_elections``, ``linked_tactics``), cut into blocks;
    a block with no count has no page, and a page shows only the rows and columns that have
    a count in its block. The others are named in ``unlinked_elections`` and
    ``unlinked_tactics`` (listed on the first page), so every election and tactic is still on
    the matrix. Each page's navigation is previous, next and the first page, whose list names
    every page: the pages, their cells and their links grow with the links, not their product.
    """

    pages: list[MatrixPage]
    paginated: bool
    elections: int
    tactics: int
    linked_elections: int = 0
    linked_tactics: int = 0
    unlinked_elections: list[Election] = field(default_factory=list)
    unlinked_tactics: list[Tactic] = field(default_factory=list)

    def neighbours(self, index: int) -> tuple[MatrixPage | None, MatrixPage | None]:
        """The pages before and after the ``index``-th."""
        before = self.pages[index - 1] if index > 0 else None
        after = self.pages[index + 1] if index + 1 < len(self.pages) else None
        return before, after


def matrix_path(number: int) -> str:
    """``matrix.md`` for the first page (``number`` 1); then ``matrix/page-N.md``."""
    return "matrix.md" if number == 1 else f"matrix/page-{number}.md"


def matrix(graph: Graph, title_key: Callable[[Record], str]) -> Matrix:
    """The matrix: every election a row (in date order) and every tactic a column (by title)
    on one page when they fit; past that, pages of linked blocks (:class:`Matrix`)."""
    cells = _matrix_counts(graph)
    elections = sorted(graph.records["elections"].values(), key=lambda e: (
        e.date.sort_key, natural(title_key(e))))  # type: ignore[attr-defined]
    tactics = sorted(graph.records["tactics"].values(), key=lambda t: natural(title_key(t)))
    if len(elections) <= MATRIX_ROWS and len(tactics) <= MATRIX_COLUMNS:
        listed = {e.id: _listed(graph, title_key, e) for e in elections}
        whole = MatrixPage(matrix_path(1), elections, tactics,  # type: ignore[arg-type]
                           _whole(len(elections)), _whole(len(tactics)), dict(cells), listed)
        return Matrix([whole], False, len(elections), len(tactics))
    return _paginated(graph, title_key, cells, elections, tactics)  # type: ignore[arg-type]


def _paginated(graph: Graph, title_key: Callable[[Record], str],
               cells: dict[tuple[str, str], int], elections: list[Election],
               tactics: list[Tactic]) -> Matrix:
    """The pages of a matrix too large for one: one per block of linked elections and
    tactics that holds a count, with only the rows and columns that have one there. The
    work is linear in the counted cells, the elections and the tactics."""
    linked_e = {e for e, _ in cells}
    linked_t = {t for _, t in cells}
    rows = [e for e in elections if e.id in linked_e]
    columns = [t for t in tactics if t.id in linked_t]
    row_of = {e.id: i for i, e in enumerate(rows)}
    column_of = {t.id: j for j, t in enumerate(columns)}
    blocks: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for e, t in cells:
        i, j = row_of[e], column_of[t]
        blocks[(i // MATRIX_ROWS, j // MATRIX_COLUMNS)].append((i, j))
    listed = {e.id: _listed(graph, title_key, e) for e in rows}
    pages = []
    for number, (r, c) in enumerate(sorted(blocks), 1):
        shown_rows = sorted({i for i, _ in blocks[(r, c)]})
        shown_columns = sorted({j for _, j in blocks[(r, c)]})
        block_elections = [rows[i] for i in shown_rows]
        pages.append(MatrixPage(
            matrix_path(number), block_elections, [columns[j] for j in shown_columns],
            _span(r, MATRIX_ROWS, len(rows)),
            _span(c, MATRIX_COLUMNS, len(columns)),
            {(rows[i].id, columns[j].id): cells[(rows[i].id, columns[j].id)]
             for i, j in blocks[(r, c)]},
            {e.id: listed[e.id] for e in block_elections}))
    if not pages:
        pages.append(MatrixPage(matrix_path(1), [], [], Span(0, 0, 0), Span(0, 0, 0), {}, {}))
    return Matrix(pages, True, len(elections), len(tactics), len(rows), len(columns),
                  [e for e in elections if e.id not in linked_e],
                  [t for t in tactics if t.id not in linked_t])


def _span(block: int, size: int, total: int) -> Span:
    """Positions of the ``block``-th block of ``size`` among ``total``."""
    return Span(block * size + 1, min((block + 1) * size, total), total)


_DIGITS = re.compile(r"(\d+)")


def natural(title: str) -> tuple[tuple[int, int | str], ...]:
    """A sort key that puts "Tactic 2" before "Tactic 10" (numbers compared as numbers)."""
    return tuple((1, int(part)) if part.isdigit() else (0, part)
                 for part in _DIGITS.split(title) if part)


def _whole(total: int) -> Span:
    """All ``total`` positions (none: 0–0)."""
    return Span(min(total, 1), total, total)


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
