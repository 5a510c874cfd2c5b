"""What the search index learns about a record page, beyond its visible text.

Each record page carries one hidden block (``fs-search-meta``, hidden by the theme's CSS)
read by Pagefind when it indexes the built site (:mod:`generator.search`):

- ``data-pagefind-meta``: the result's kind, date and rating (shown with each result);
- ``data-pagefind-filter``: the facets (kind, rating, election, tactic, actor, country,
  year). Both sit in a ``data-pagefind-ignore`` element: captured, but not indexed as words;
- indexed words the page does not show: names folded to plain letters (``Kovac`` for
  ``Kovač``, ``Lodz`` for ``Łódź``) and the words of the record's old ids (``aliases``), so
  a renamed record is still found by its former name;
- the name of a named record (actor, election, tactic) as the result's ``name`` meta,
  which the search panel weighs far above the title (``ranking.metaWeights`` in
  ``theme/assets/search.js``): a name's own record page ranks above the pages that name it
  in their titles (a source titled "TASS: Putin on Trump…" ranked above the actor page of
  Vladimir Putin).

Which pages are indexed at all is the theme's choice (``data-pagefind-body`` on every page
not marked ``search: exclude``).
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from ..models import Claim, Record, Statement
from ..types import country_name
from .base import KIND_LABELS
from .formatting import display_date, record_date

if TYPE_CHECKING:
    from .views import Views

FACETS = ("kind", "rating", "election", "tactic", "actor", "country", "year")
"""Filter names, in the order the search panel shows them (``theme/assets/search.js``)."""

NAMED = frozenset({"actors", "elections", "tactics"})
"""Records whose page is what their name names: the name weighs most on that page."""

_NOT_DECOMPOSED = str.maketrans({"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D",
                                 "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE",
                                 "þ": "th", "Þ": "Th", "ı": "i", "ħ": "h", "Ħ": "H"})


@functools.lru_cache(maxsize=1 << 14)
def fold(text: str) -> str:
    """``text`` without diacritics (``Łódź`` → ``Lodz``, ``Kovač`` → ``Kovac``): what a reader
    types without an accent key. Other scripts (Cyrillic, Greek…) keep their letters."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_NOT_DECOMPOSED))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _span(attribute: str, name: str, value: str) -> str:
    return f'<span {attribute}="{name}">{escape(value)}</span>'


def search_meta(views: Views, record: Record) -> Markup:
    """The hidden search block of ``record``'s page (HTML)."""
    meta = {"kind": KIND_LABELS.get(record.collection, "Page")}
    if record.collection in NAMED:
        meta["name"] = views.title(record)
    if isinstance(record, Claim):  # the result's title: the fact-check, never the bare claim
        meta["title"] = views.page_title(record)
    elif isinstance(record, Statement):  # who said what (page titles say only who and when)
        meta["title"] = views.title(record)
    when = record_date(record)
    if when is not None:
        meta["date"] = display_date(when)
    filters: list[tuple[str, str]] = [("kind", meta["kind"])]
    if isinstance(record, Claim):
        meta["rating"] = views.ratings[record.rating].label
        meta["rating_id"] = record.rating
        filters.append(("rating", meta["rating"]))
    filters += [(facet, value) for facet, value in _related(views, record)]
    if when is not None:
        filters.append(("year", str(when.year)))
    parts = ['<div class="fs-search-meta" data-pagefind-ignore>']
    parts += [_span("data-pagefind-meta", key, value) for key, value in meta.items()]
    parts += [_span("data-pagefind-filter", key, value) for key, value in filters if value]
    parts.append("</div>\n")
    words = _extra_words(views, record)
    if words:
        parts.append(f'<div class="fs-search-meta">{escape(words)}</div>\n')
    parts.append("\n")
    return Markup("".join(parts))


def _related(views: Views, record: Record) -> Iterable[tuple[str, str]]:
    """Election, tactic, actor and country facets of a record, each value once."""
    graph = views.graph
    seen: set[tuple[str, str]] = set()
    own = {"elections": "election", "tactics": "tactic", "actors": "actor"}
    if record.collection in own:
        yield own[record.collection], views.title(record)
    for kind in ("elections", "tactics"):
        for record_id in graph.refers_to(record, kind):
            if (kind, record_id) not in seen:
                seen.add((kind, record_id))
                yield own[kind], views.name(kind, record_id)
    actor = (record.speaker if isinstance(record, Statement)
             else record.claimant if isinstance(record, Claim) else None)
    if actor:
        yield "actor", views.name("actors", actor)
    for code in _countries(record):
        yield "country", country_name(code)


def _countries(record: Record) -> list[str]:
    about = getattr(record, "about", None)
    codes = list(about.countries) if about is not None else []
    country = getattr(record, "country", None)
    if country and country not in codes:
        codes.append(country)
    return codes


def _extra_words(views: Views, record: Record) -> str:
    """Folded names and old ids: words a reader may type that the page does not show."""
    names = [views.title(record)]
    for kind, field in (("actors", "speaker"), ("actors", "claimant"),
                        ("actors", "on_behalf_of")):
        value = getattr(record, field, None)
        if value:
            names.append(views.name(kind, value))
    folded = [fold(name) for name in names if fold(name) != name]
    aliases = [alias.replace("-", " ") for alias in record.aliases]
    return " · ".join([*folded, *aliases])
