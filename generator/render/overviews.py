"""Index tables, the elections × tactics matrix, the timeline and the data behind them."""

from __future__ import annotations

import functools
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from ..graph import Graph, shorten
from ..models import Claim, Election, Record, Statement, Tactic
from ..types import country_name
from .base import KIND_LABELS
from .formatting import display_date, escape, iso, md_inline, record_date, year_of
from .fragments import Context
from .frontmatter import HEADING_MARK


def _f(key: str, values: list[Any]) -> str:
    """A row's filter attribute (``data-f-KEY``: a JSON list, HTML-escaped)."""
    return _filter_attribute(key, tuple(values))


@functools.lru_cache(maxsize=1 << 14)
def _filter_attribute(key: str, values: tuple[Any, ...]) -> str:
    """(Speakers, years, countries and forms repeat down a table of thousands of rows.)"""
    return f' data-f-{key}="{escape(json.dumps(values, ensure_ascii=False))}"'


def _index_table(title: str, intro: str, filters: list[list[Any]], headers: list[str],
                 rows: Iterable[str], labels: dict[str, dict[str, str]] | None = None) -> str:
    """``filters``: [key, label] or [key, label, [values in scale order]]; ``labels``:
    readable words for raw values (key → value → label), read by theme/assets/factsite.js."""
    head = "".join(f'<th scope="col">{escape(header)}</th>' for header in headers)
    label_attribute = (f' data-labels="{escape(json.dumps(labels, ensure_ascii=False))}"'
                       if labels else "")
    return (f"{HEADING_MARK}# {md_inline(title)}\n\n<p>{intro}</p>\n\n"
            '<div class="fs-table-wrap">\n<table class="fs-table fs-filterable" '
            f'data-filters="{escape(json.dumps(filters, ensure_ascii=False))}"{label_attribute}>\n'
            f'<caption class="fs-sr-only">{escape(title)}</caption>\n'
            f"<thead><tr>{head}</tr></thead>\n<tbody>\n{''.join(rows)}</tbody>\n</table>\n"
            "</div>\n")


def _countries(codes: Iterable[str]) -> list[str]:
    return [country_name(code) for code in codes]


def _related(c: Context, record: Record) -> str:
    """A statement's or claim's election and tactic filter attributes (names, not ids)."""
    return "".join(_f(kind[:-1], [c.name(kind, i) for i in c.graph.refers_to(record, kind)])
                   for kind in ("elections", "tactics"))


STATEMENT_FORM_LABELS = {"quote": "Quote (verbatim)", "paraphrase": "Paraphrase"}


def index_claims(c: Context, rows: list[Any], title: str) -> str:
    site = c.graph.site

    def row(r: Any) -> str:
        rating = site.rating(r.rating) if site else None
        return (f'<tr{_f("rating", [c.rating_label(r.rating)])}'
                f'{_f("claimant", [c.name("actors", r.claimant)])}'
                f'{_f("country", _countries(r.about.countries))}{_f("year", [year_of(r.claimed)])}'
                f'{_related(c, r)}>'
                f'<td>{c.link(r)}</td><td>{c.link_id("actors", r.claimant)}</td>'
                f'<td data-sort="{escape(iso(r.claimed))}">{escape(display_date(r.claimed))}</td>'
                f'<td data-sort="{escape(rating.value if rating else 0)}">{c.rating(r.rating)}</td>'
                f'<td data-sort="{escape(iso(r.published))}">{escape(display_date(r.published))}'
                "</td></tr>\n")
    scale = [rating.label for rating in site.ratings] if site else []
    return _index_table(title, f"{len(rows)} fact-checks, newest first.",
                        [["rating", "Rating", scale], ["claimant", "Claimant"],
                         ["election", "Election"], ["tactic", "Tactic"],
                         ["country", "Country"], ["year", "Year"]],
                        ["Claim", "Claimant", "Claimed", "Rating", "Published"], map(row, rows))


def index_statements(c: Context, rows: list[Any], title: str) -> str:
    def row(r: Any) -> str:
        return (f'<tr{_f("speaker", [c.name("actors", r.speaker)])}'
                f'{_f("country", _countries(r.about.countries))}{_f("year", [year_of(r.date)])}'
                f'{_f("form", [r.form])}{_related(c, r)}>'
                f'<td><a href="{escape(c.record_href("statements", r.id))}">'
                f"{escape(shorten(r.text, 120))}</a></td><td>{c.link_id('actors', r.speaker)}</td>"
                f'<td data-sort="{escape(iso(r.date))}">{escape(display_date(r.date))}</td>'
                f"<td>{escape(r.form)}</td></tr>\n")
    return _index_table(title, f"{len(rows)} attributed statements, newest first.",
                        [["speaker", "Speaker"], ["election", "Election"], ["tactic", "Tactic"],
                         ["country", "Country"], ["year", "Year"], ["form", "Form"]],
                        ["Statement", "Speaker", "Date", "Form"], map(row, rows),
                        {"form": STATEMENT_FORM_LABELS})


def index_elections(c: Context, rows: list[Any], title: str) -> str:
    def row(r: Any) -> str:
        country = country_name(r.country) if r.country else (r.region or "Unknown")
        return (f'<tr{_f("country", [country])}{_f("year", [year_of(r.date)])}'
                f'{_f("type", [r.type])}><td>{c.link(r)}</td><td>{escape(country)}</td>'
                f'<td data-sort="{escape(iso(r.date))}">{escape(display_date(r.date))}</td>'
                f"<td>{escape(r.type)}</td></tr>\n")
    return _index_table(title, f"{len(rows)} elections, newest first.",
                        [["country", "Country"], ["year", "Year"], ["type", "Type"]],
                        ["Election", "Country", "Date", "Type"], map(row, rows))


def index_tactics(c: Context, rows: list[Any], title: str) -> str:
    site = c.graph.site

    def row(r: Any) -> str:
        category = r.category.replace("-", " ")
        return (f'<tr{_f("category", [category])}><td>{c.link(r)}</td><td>{escape(category)}'
                f'</td><td>{escape(", ".join(r.disarm))}</td><td>{escape(r.summary)}</td>'
                "</tr>\n")
    mapped = f", mapped to DISARM {escape(site.disarm_version)}" if site else ""
    return _index_table(title, f"{len(rows)} tactics{mapped}.", [["category", "Category"]],
                        ["Tactic", "Category", "DISARM", "Summary"], map(row, rows))


def index_actors(c: Context, rows: list[Any], title: str) -> str:
    def row(r: Any) -> str:
        kind = r.kind.replace("-", " ")
        country = country_name(r.country) if r.country else ""
        return (f'<tr{_f("kind", [kind])}{_f("country", [country] if r.country else [])}>'
                f"<td>{c.link(r)}</td><td>{escape(kind)}</td><td>{escape(country)}</td>"
                f"<td>{escape(r.role or '')}</td></tr>\n")
    return _index_table(title, f"{len(rows)} actors: states, agencies, people and outlets.",
                        [["kind", "Kind"], ["country", "Country"]],
                        ["Actor", "Kind", "Country", "Role"], map(row, rows))


def index_sources(c: Context, rows: list[Any], title: str) -> str:
    def row(r: Any) -> str:
        kind = r.kind.replace("-", " ")
        availability = r.availability.replace("-", " ")
        return (f'<tr{_f("type", [kind])}{_f("publisher", [r.publisher])}'
                f'{_f("availability", [availability])}{_f("year", [year_of(r.published)])}>'
                f"<td>{c.link(r)}</td><td>{escape(r.publisher)}</td><td>{escape(kind)}</td>"
                f'<td data-sort="{escape(iso(r.published))}">{escape(display_date(r.published))}'
                f"</td><td>{escape(availability)}</td></tr>\n")
    return _index_table(title, f"{len(rows)} sources, newest first.",
                        [["type", "Type"], ["publisher", "Publisher"],
                         ["availability", "Availability"], ["year", "Year"]],
                        ["Source", "Publisher", "Type", "Published", "Availability"],
                        map(row, rows))


def index_explainers(c: Context, rows: list[Any], title: str) -> str:
    def row(r: Any) -> str:
        return (f'<tr{_f("year", [year_of(r.published)])}><td>{c.link(r)}</td>'
                f'<td data-sort="{escape(iso(r.published))}">{escape(display_date(r.published))}'
                f"</td><td>{escape(r.summary)}</td></tr>\n")
    return _index_table(title, f"{len(rows)} explainers, newest first.", [["year", "Year"]],
                        ["Explainer", "Published", "Summary"], map(row, rows))


def matrix_page(c: Context, values: dict[str, Any], title: str) -> str:
    """Elections × tactics (a cell per pair: plain Python, it grows as their product)."""
    elections, tactics, cells = values["elections"], values["tactics"], values["cells"]
    out = [f"{HEADING_MARK}# {md_inline(title)}\n\n<p>Each cell lists the statements and "
           "fact-checks that connect an election with a tactic. An empty cell means no cited "
           "statement or fact-check links the two, not that the tactic was absent.</p>\n\n"]
    if not (elections and tactics):
        out.append("<p>No statement or fact-check links an election with a tactic yet.</p>\n")
        return "".join(out)
    head = "".join(f'<th scope="col">{c.link(t)}</th>' for t in tactics)
    out.append('<div class="fs-table-wrap">\n<table class="fs-table fs-matrix">\n'
               "<caption>Elections (rows) by tactics (columns)</caption>\n"
               f'<thead><tr><th scope="col">Election</th>{head}</tr></thead>\n<tbody>\n')
    for e in elections:
        row = [f'<tr><th scope="row">{c.link(e)}</th>']
        for t in tactics:
            found = cells.get((e.id, t.id))
            if found:
                items = "".join(
                    f"<li>{c.link(r, KIND_LABELS[r.collection] + ': ' + shorten(c.title(r), 60))}"
                    "</li>" for r in found[:MATRIX_CELL_LINKS])
                total = getattr(found, "total", len(found))
                more = (f"<li>{c.link(e, f'and {total - MATRIX_CELL_LINKS} more')}</li>"
                        if total > MATRIX_CELL_LINKS else "")
                row.append(f'<td data-count="{total}"><ul>{items}{more}</ul></td>')
            else:
                row.append("<td></td>")
        row.append("</tr>\n")
        out.append("".join(row))
    out.append("</tbody>\n</table>\n</div>\n")
    hidden = matrix_hidden(c.graph)
    if any(hidden):
        out.append(f"<p>The {MATRIX_MAX_SIDE} elections and {MATRIX_MAX_SIDE} tactics with the "
                   f"most links are shown; {hidden[0]} more elections and {hidden[1]} more "
                   "tactics are listed on their own pages.</p>\n")
    return "".join(out)


def timeline_page(c: Context, values: dict[str, Any], title: str) -> str:
    out = [f"{HEADING_MARK}# {md_inline(title)}\n\n<p>Elections, statements and fact-checked "
           "claims in date order. Dates are shown as precisely as the sources give them; an "
           "entry known only to the month or year comes first within it.</p>\n\n"]
    for year, entries in values["years"]:
        items = "".join(
            f'<li><time datetime="{escape(iso(when))}">{escape(display_date(when))}</time> '
            f'<span class="fs-tag">{escape(KIND_LABELS[r.collection])}</span> {c.link(r)}'
            f'{" " + c.rating(r.rating) if r.collection == "claims" else ""}</li>\n'
            for when, r in entries)
        out.append(f'{HEADING_MARK}## {year}\n\n<ol class="fs-timeline">\n{items}</ol>\n\n')
    if not values["years"]:
        out.append("<p>Nothing dated yet.</p>\n")
    return "".join(out)


INDEX_PAGES: dict[str, Callable[[Context, list[Any], str], str]] = {
    "claims": index_claims, "statements": index_statements, "elections": index_elections,
    "tactics": index_tactics, "actors": index_actors, "sources": index_sources,
    "explainers": index_explainers,
}
"""Index pages (a row per record: plain Python, like the record pages)."""
OVERVIEW_PAGES: dict[str, Callable[[Context, dict[str, Any], str], str]] = {
    "matrix.md.j2": matrix_page, "timeline.md.j2": timeline_page,
}


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
