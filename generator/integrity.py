"""Integrity checks against hostile pull requests (issue 20), as pure functions.

Each takes the linked graph (and what it needs besides) and yields ``(kind, id, loc,
message)`` problems; :func:`check` runs them all and turns them into diagnostics. They
guard the site's addresses (no id or alias may take a generated page's address), the
binding of a seed to one source, the attribution of a verbatim quote to its speaker, and
the dating of corrections.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping

from . import markdown
from .diagnostics import Diagnostic
from .graph import Graph
from .load import ALL_KINDS, Document, Loc
from .models import Actor, Source, Statement
from .quotes import find_in, normalise

GENERATED_AT_TOP = frozenset({
    "index",  # the home page; in every section, the section's index page
    *ALL_KINDS,  # the section folders (/claims/, /actors/, …)
    "matrix", "timeline", "corrections",  # overview pages (render/pages.py)
    "data", "feed",  # open data folder and the Atom feed (export.py: data/, feed.xml)
    "search", "assets", "sitemap", "404",  # written by MkDocs and Material
    "admin", "pagefind", "tags",  # the editors' CMS, the search index, tag pages
})
"""Every name the site generates at its top level (a test builds a site and checks that
nothing else appears there): a page id or page alias may be none of these."""
GENERATED_IN_SECTION = frozenset({"index"})
"""Names generated inside a section folder (``/claims/index``…)."""

Problem = tuple[str, str, Loc, str]
"""``(kind, id, loc, message)``."""


def reserved(kind: str) -> frozenset[str]:
    """The ids and aliases a record of ``kind`` may not take: its address is generated."""
    return GENERATED_AT_TOP if kind == "pages" else GENERATED_IN_SECTION


def reserved_addresses(graph: Graph) -> Iterator[Problem]:
    """Ids and aliases that collide with a page the site generates (``claims/index``,
    ``/matrix/``…): the record would have no page, or replace one."""
    for kind in ALL_KINDS:
        names = reserved(kind)
        where = "at the top of the site" if kind == "pages" else f"in /{kind}/"
        for record_id, record in graph.records[kind].items():
            if record_id in names:
                yield (kind, record_id, (), f"the id '{record_id}' is reserved: the site "
                       f"generates a page with this address {where}; rename the file")
            for index, alias in enumerate(record.aliases):
                if alias in names:
                    yield (kind, record_id, ("aliases", index), f"alias '{alias}' is reserved: "
                           f"the site generates a page with this address {where}")


def future_updates(graph: Graph, today: dt.date) -> Iterator[Problem]:
    """Updates and corrections dated after today (a day's grace for time zones)."""
    latest = today + dt.timedelta(days=1)
    for record in graph.all():
        for index, update in enumerate(record.updates):
            if update.date > latest:
                yield (record.collection, record.id, ("updates", index, "date"),
                       f"{update.kind} dated {update.date.isoformat()}, after today "
                       f"({today.isoformat()}); an update is dated when it is made")


_NOTE_BLOCKS = {"paragraph_open", "paragraph_close", "inline"}


def block_markup_in_notes(graph: Graph) -> Iterator[Problem]:
    """An update note is one paragraph of inline Markdown: lists, headings, quotes, tables
    or several paragraphs in a note could pass for entries of the corrections log."""
    for record in graph.all():
        for index, update in enumerate(record.updates):
            if "\n" not in update.note and not update.note.lstrip().startswith(_BLOCK_STARTS):
                continue  # one line that starts no block: a single paragraph
            tokens = markdown.block_tokens(update.note)
            blocks = [token.type for token in tokens if token.type not in _NOTE_BLOCKS]
            if blocks or sum(token.type == "paragraph_open" for token in tokens) > 1:
                yield (record.collection, record.id, ("updates", index, "note"),
                       "an update note is one paragraph of text (no lists, headings, quotes, "
                       "tables or blank lines): it is shown as one entry of the corrections log")


_BLOCK_STARTS = ("-", "*", "+", "#", ">", "|", "`", "~", "    ", "\t", *"0123456789")


def shared_seeds(graph: Graph) -> Iterator[Problem]:
    """A seed is the text of one source: a second source may share it only when one of the
    two is reported in the other (a leak known through the report that holds it)."""
    holders: dict[str, list[Source]] = defaultdict(list)
    for source in graph.records["sources"].values():
        if isinstance(source, Source) and source.seed:
            holders[source.seed].append(source)
    for seed, sources in holders.items():
        owner = sources[0]
        for other in sources[1:]:
            if other.id in owner.reported_in or owner.id in other.reported_in:
                continue
            yield ("sources", other.id, ("seed",),
                   f"seeds/{seed} is already the text of sources/{owner.id}; a seed belongs "
                   "to one source (unless one source is reported_in the other)")


WINDOW = 300
"""Characters either side of a quote in which its seed must name the speaker."""
_NAME_STOPWORDS = frozenset({
    "unnamed", "anonymous", "senior", "official", "officials", "the", "and", "for", "of",
    "state", "states", "government", "ministry", "department", "agency", "office", "news",
})
_WORD = re.compile(r"\w+")


def name_patterns(actor: Actor) -> list[re.Pattern[str]]:
    """What counts as naming an actor in a source: its full name, a distinctive word of it
    (four letters or more, not a generic one like 'ministry'), or the initials of a
    capitalised name of several words (``US`` for "United States")."""
    words = _WORD.findall(normalise(actor.name))
    found = [re.escape(normalise(actor.name))]
    found += [re.escape(word) for word in words
              if len(word) >= 4 and word.casefold() not in _NAME_STOPWORDS]
    capitals = [word for word in words if word[:1].isupper()]
    if len(capitals) == len(words) >= 2:
        found.append("".join(word[0] for word in capitals))
    return [re.compile(rf"(?<!\w){pattern}(?!\w)", re.IGNORECASE if len(pattern) > 3 else 0)
            for pattern in found]


def names_near(text: str, start: int, end: int, patterns: list[re.Pattern[str]]) -> bool:
    """Whether ``text`` names the actor within ``WINDOW`` characters of ``[start, end)``,
    outside the quoted words themselves."""
    before, after = text[max(0, start - WINDOW):start], text[end:end + WINDOW]
    return any(pattern.search(before) or pattern.search(after) for pattern in patterns)


SeedTexts = Callable[[str], list[tuple[str, str]]]
"""Source id → ``(seed, normalised text)`` that can verify its quotes."""


def unattributed_quote(graph: Graph, statement: Statement, seed_texts: SeedTexts) -> str | None:
    """Why a ``form: quote`` statement, verbatim in a cited seed, is not shown to be the
    speaker's words (None when it is, or when its text is not verbatim: reported apart).

    A verbatim quote must be found in a cited seed that names the speaker (or the actor it
    spoke for) near the quoted words, or in a source the speaker published."""
    speakers = [graph.get("actors", actor_id)
                for actor_id in (statement.speaker, statement.on_behalf_of) if actor_id]
    actors = [actor for actor in speakers if isinstance(actor, Actor)]
    if not actors:
        return None
    patterns = [pattern for actor in actors for pattern in name_patterns(actor)]
    verified = False
    for citation in statement.citations:
        source = graph.get("sources", citation.source)
        publisher = normalise(source.publisher).casefold() if isinstance(source, Source) else ""
        if any(normalise(actor.name).casefold() in publisher for actor in actors):
            return None  # the speaker's own document
        for _, text in seed_texts(citation.source):
            at = find_in(statement.text, text)
            if at is None:
                continue
            verified = True
            if names_near(text, at[0], at[1], patterns):
                return None
    if not verified:
        return None
    return (f"form is quote, but no cited seed names {actors[0].name} near these words: "
            "cite the passage that reports the speaker saying them, or use form: paraphrase")


def unattributed_quotes(graph: Graph, seed_texts: SeedTexts) -> Iterator[Problem]:
    for statement in graph.records["statements"].values():
        if isinstance(statement, Statement) and statement.form == "quote":
            message = unattributed_quote(graph, statement, seed_texts)
            if message:
                yield ("statements", statement.id, ("text",), message)


def check(graph: Graph, documents: Mapping[tuple[str, str], Document], seed_texts: SeedTexts,
          today: dt.date | None = None) -> list[Diagnostic]:
    """Every integrity problem of a linked graph, as diagnostics."""
    problems = [*reserved_addresses(graph), *shared_seeds(graph), *block_markup_in_notes(graph),
                *unattributed_quotes(graph, seed_texts),
                *future_updates(graph, today or dt.date.today())]
    return [documents[(kind, record_id)].diagnostic(loc, message)
            for kind, record_id, loc, message in problems if (kind, record_id) in documents]
