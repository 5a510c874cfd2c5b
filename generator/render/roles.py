"""Who did what, on the pages of elections, tactics and actors (issue 15, reader audit S1-3).

A record is linked to another only through a statement or fact-check that attributes
something to both (:data:`..graph.ATTRIBUTING_FIELDS`). These views keep the *role* each
actor holds in it, in the spirit of DFRLab's attribution tracker (attributor, alleged actor,
target): who said it (speaker, on whose behalf, claimant), who it is about (``about.actors``)
and who reported it (the publishers of the sources it is cited from). Each statement is
listed once, numbered; the lists by role point to those numbers instead of repeating it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from ..graph import PAGE_LIST_LIMIT, SINGULAR, Graph
from ..models import Citation, Claim, Record, Statement, Tactic
from .base import KIND_LABELS
from .formatting import join_html, record_date, sort_key
from .urls import record_path

RELATED_HEADINGS = {"elections": "Elections", "tactics": "Tactics", "actors": "Actors"}
"""The kinds an election, tactic or actor page lists as related, with their headings."""

ROLE_GROUPS = (
    ("said", "Who said it", "The speakers and claimants, and those they spoke for."),
    ("about", "Who it is about",
     "The actors the statements and fact-checked claims are about: those said to be behind "
     "the interference, or its targets."),
    ("reported", "Who reported it",
     "The publishers of the sources the statements are cited from, or where the claims "
     "appeared."),
)
"""The roles an actor can hold in a statement or fact-check, as the pages name them."""

MARKERS_SHOWN = 12
"""Most statement numbers shown after one entry of a list by role; the rest are counted."""

SAID_PER_PAGE = 100
"""Most statements and fact-checks a record's page numbers; the rest continue on pages of
their own (:func:`said_page_path`), so that no page grows with what names its record."""

DISARM_TECHNIQUE_URL = ("https://github.com/DISARMFoundation/DISARMframeworks/blob/main/"
                        "generated_pages/techniques/{id}.md")
"""The DISARM Foundation's generated page of one technique (its framework repository)."""

_DISARM_NAMED = re.compile(r'\b(T\d{4}(?:\.\d{3})?)\s+"([^"]+)"')


@dataclass(frozen=True, eq=False)
class Mention:
    """A statement or fact-check as the pages of the records it names list it, worked out
    once per build (:meth:`.views.Views.mention`): it is on the page of every election,
    tactic and actor it names."""

    record: Statement | Claim
    date: Any
    label: str
    said_by: tuple[tuple[str, Record | str], ...]
    """``("", speaker)``, ``("on behalf of", actor)`` or ``("", claimant)``."""
    about: dict[str, tuple[Record, ...]]
    """Kind (elections, tactics, actors) → the records it is about, in its order."""
    reported_by: tuple[str, ...]


def mention_view(graph: Graph, mention: Statement | Claim) -> Mention:
    if isinstance(mention, Statement):
        said_by: list[tuple[str, Record | str]] = [("", _actor(graph, mention.speaker))]
        if mention.on_behalf_of:
            said_by.append(("on behalf of", _actor(graph, mention.on_behalf_of)))
        cited: list[Any] = mention.citations
    else:
        said_by = [("", _actor(graph, mention.claimant))]
        cited = mention.appearances
    about = {other: tuple(record for i in getattr(mention.about, other)
                          if (record := graph.get(other, i)) is not None)
             for other in RELATED_HEADINGS}
    return Mention(mention, record_date(mention), KIND_LABELS[mention.collection],
                   tuple(said_by), about, _publishers(graph, cited))


@dataclass(frozen=True, eq=False)
class Said:
    """One statement or fact-check on a page, numbered, with who holds which role in it."""

    number: int
    mention: Mention
    about: tuple[tuple[str, tuple[Record, ...]], ...]
    """Kind heading → the records it is about (not the page's own, unless an actor)."""
    attributes: bool
    """False when it only mentions the page's record in passing (context or analysis)."""
    marker: Markup
    """The link to it from the lists by role: ``[3]``, to its item on the page (made once:
    each statement is in several lists, and they link to about 300 of them on a tactic's
    page of the synthetic tree)."""

    @property
    def record(self) -> Statement | Claim:
        return self.mention.record

    @property
    def date(self) -> Any:
        return self.mention.date

    @property
    def label(self) -> str:
        return self.mention.label

    @property
    def said_by(self) -> tuple[tuple[str, Record | str], ...]:
        return self.mention.said_by

    @property
    def reported_by(self) -> tuple[str, ...]:
        return self.mention.reported_by

    @property
    def anchor(self) -> str:
        return f"said-{self.number}"

    def about_of(self, kind: str) -> tuple[Record, ...]:
        """The records of ``kind`` (elections, tactics, actors) it is about."""
        return next((records for heading, records in self.about
                     if heading == RELATED_HEADINGS[kind]), ())


@dataclass(frozen=True)
class Entry:
    """A related record (or a publisher's name) with the statements that link it."""

    subject: Record | str
    said: tuple[Said, ...]

    @property
    def anchor(self) -> str | None:
        """The entry's id on the page (a record's, by kind: ``tactic-ID``)."""
        subject = self.subject
        return None if isinstance(subject, str) else f"{SINGULAR[subject.collection]}-{subject.id}"

    @property
    def markers(self) -> Markup:
        """The numbers of the statements shown, each linked to its item: ``[1] [4]``."""
        return join_html(" ", [said.marker for said in self.said[:MARKERS_SHOWN]])

    @property
    def more(self) -> int:
        return max(0, len(self.said) - MARKERS_SHOWN)


@dataclass(frozen=True)
class Listing:
    """A bounded list of entries: the first ``PAGE_LIST_LIMIT`` and how many more."""

    entries: tuple[Entry, ...]
    more: int = 0

    @classmethod
    def of(cls, entries: list[Entry]) -> Listing:
        return cls(tuple(entries[:PAGE_LIST_LIMIT]), max(0, len(entries) - PAGE_LIST_LIMIT))

    def __bool__(self) -> bool:
        return bool(self.entries)


@dataclass(frozen=True)
class RoleView:
    """What an election's, tactic's or actor's page shows of the statements about it."""

    said: tuple[Said, ...]
    related: tuple[tuple[str, Listing], ...]
    """Heading → elections or tactics linked through the statements."""
    roles: tuple[tuple[str, str, Listing], ...]
    """Heading, explanation → actors (or publishers) in that role."""
    roles_heading: str
    pages: tuple[SaidPage, ...] = ()
    """The numbered statements, :data:`SAID_PER_PAGE` a page: the record's own page first,
    then the pages they continue on (none when they all fit)."""

    @property
    def shown(self) -> tuple[Said, ...]:
        """The numbered statements the record's own page lists."""
        return self.pages[0].said if self.pages else self.said


@dataclass(frozen=True)
class SaidPage:
    """One page of a record's numbered statements and fact-checks."""

    number: int
    """1 for the record's own page, then 2, 3…"""
    path: str
    """Its Markdown path (:func:`said_page_path`)."""
    said: tuple[Said, ...]

    @property
    def first(self) -> int:
        return self.said[0].number

    @property
    def last(self) -> int:
        return self.said[-1].number


def said_page_path(kind: str, record_id: str, number: int) -> str:
    """Where page ``number`` of a record's numbered statements is: the record's own page
    for 1, else beside it (``tactics/x/statements-2.md``)."""
    own = record_path(kind, record_id)
    return own if number == 1 else f"{own.removesuffix('.md')}/statements-{number}.md"


def role_view(graph: Graph, mention: Callable[[Statement | Claim], Mention], title_key: Any,
              kind: str, record_id: str, related: tuple[str, ...],
              href: Callable[[str], str] = lambda path: path) -> RoleView:
    """The statements and fact-checks mentioning ``kind/record_id``, newest first and
    numbered, and the ``related`` kinds (and actors, by role) linked through them.
    ``mention``: a statement's :class:`Mention`; ``href``: a Markdown path's link from the
    record's page (for the numbers of statements listed on the pages after it)."""
    found = sorted(map(mention, graph.mentions(kind, record_id)),
                   key=lambda m: sort_key(m.date), reverse=True)
    attributing = graph.attributing_outlinks
    page_links = {number: href(said_page_path(kind, record_id, number))
                  for number in range(2, -(-len(found) // SAID_PER_PAGE) + 1)}
    said = tuple(
        _said(number, found_in, kind, record_id, record_id in attributing.get(
            (found_in.record.collection, found_in.record.id), {}).get(kind, ()),
            page_links.get(-(-number // SAID_PER_PAGE), ""))
        for number, found_in in enumerate(found, 1))
    by_kind = {other: _group(said, lambda s, o=other: s.mention.about[o], kind, record_id,
                             title_key)
               for other in related if other != "actors"}
    groups = {
        "said": _group(said, lambda s: [actor for _, actor in s.said_by], kind, record_id,
                       title_key),
        "about": _group(said, lambda s: s.mention.about["actors"], kind, record_id,
                        title_key),
        "reported": _group(said, lambda s: s.reported_by, kind, record_id, title_key),
    }
    return RoleView(
        said,
        tuple((RELATED_HEADINGS[other], Listing.of(entries)) for other, entries in by_kind.items()),
        tuple((heading, note, Listing.of(groups[role])) for role, heading, note in ROLE_GROUPS),
        "Other actors" if kind == "actors" else "Actors",
        _said_pages(said, kind, record_id) if len(said) > SAID_PER_PAGE else ())


def _said_pages(said: tuple[Said, ...], kind: str, record_id: str) -> tuple[SaidPage, ...]:
    return tuple(SaidPage(number, said_page_path(kind, record_id, number),
                          said[start:start + SAID_PER_PAGE])
                 for number, start in enumerate(range(0, len(said), SAID_PER_PAGE), 1))


def _said(number: int, mention: Mention, kind: str, record_id: str, attributes: bool,
          page_link: str = "") -> Said:
    about = []
    for other, records in mention.about.items():
        if other == kind and kind != "actors":  # the page's own record goes without saying
            records = tuple(record for record in records if record.id != record_id)
        if records:
            about.append((RELATED_HEADINGS[other], records))
    return Said(number, mention, tuple(about), attributes,
                Markup(f'<a href="{escape(page_link)}#said-{number}">[{number}]</a>'))


def _actor(graph: Graph, actor_id: str) -> Record | str:
    found = graph.get("actors", actor_id)
    return found if found is not None else actor_id


def _publishers(graph: Graph, citations: list[Any]) -> tuple[str, ...]:
    names: dict[str, None] = {}
    for citation in citations:
        if isinstance(citation, Citation):
            source = graph.get("sources", citation.source)
            if source is not None:
                names[source.publisher] = None  # type: ignore[attr-defined]
    return tuple(names)


def _group(said: tuple[Said, ...], subjects: Any, kind: str, record_id: str,
           title_key: Any) -> list[Entry]:
    """Each subject once, with the attributing statements it comes from, by name."""
    found: dict[tuple[str, str], tuple[Record | str, list[Said]]] = {}
    for item in said:
        if not item.attributes:
            continue
        for subject in subjects(item):
            key = ("", subject) if isinstance(subject, str) else (subject.collection,
                                                                  subject.id)
            if key == (kind, record_id):
                continue
            items = found.setdefault(key, (subject, []))[1]
            if not items or items[-1] is not item:
                items.append(item)
    entries = [Entry(subject, tuple(items)) for subject, items in found.values()]
    return sorted(entries, key=lambda e: e.subject.casefold() if isinstance(e.subject, str)
                  else title_key(e.subject))


@dataclass(frozen=True)
class Technique:
    """A DISARM technique a tactic maps to: its id, its name if the tactic's description
    gives one (``T0135 "Undermine"``), and its page in the DISARM framework."""

    id: str
    name: str | None
    url: str


def disarm_techniques(tactic: Tactic) -> tuple[Technique, ...]:
    """The tactic's DISARM techniques, named as its description names them (never a
    name from elsewhere: the site does not ship the framework)."""
    named = dict(_DISARM_NAMED.findall(" ".join((tactic.description or "").split())))
    return tuple(Technique(i, named.get(i), DISARM_TECHNIQUE_URL.format(id=i))
                 for i in tactic.disarm)


@dataclass(frozen=True)
class Holders:
    """Who holds which role, as the page of ``record`` words it: a name as text, the page's
    own record in bold, any other record linked. The Python helpers of the lists in
    ``_roles.html.j2``, which call them for every holder of every role on a page (as Jinja
    macros they were a fifth of the render time); passed to those macros, so that the
    templates import them without their context (each import with context left about
    100 kB of cyclic garbage a page)."""

    record: Record | None
    link: Callable[[Record], Markup]
    title_of: Callable[[Record], str]

    def who(self, subject: Record | str) -> Markup:
        """One holder of a role."""
        if isinstance(subject, str):
            return escape(subject)
        if subject is self.record:
            return Markup("<strong>%s</strong>") % self.title_of(subject)
        return self.link(subject)

    def who_all(self, subjects: tuple[Record | str, ...]) -> Markup:
        """Several holders of a role, separated by commas."""
        return join_html(", ", [self.who(subject) for subject in subjects])

    def about(self, mention: Said) -> Markup:
        """What it is about, by kind: "Elections: Vote 2024; Actors: **Borduria**,
        Ruritania"."""
        return join_html("; ", [Markup(f"{escape(heading)}: {self.who_all(records)}")
                                for heading, records in mention.about])

    def said_by(self, mention: Said) -> Markup:
        """Who said or claimed it, and on whose behalf: "Anna Weiss on behalf of
        Borduria"."""
        parts: list[Markup] = []
        for how, actor in mention.said_by:
            if how:
                parts.append(escape(f" {how} "))
            parts.append(self.who(actor))
        return join_html("", parts)
