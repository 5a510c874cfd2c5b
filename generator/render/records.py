"""Per-record pages in plain Python: statements, claims, actors, elections, tactics, sources."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..models import Claim, Record, Statement
from ..types import country_name
from .formatting import display_date, escape, figure_text, md_inline
from .fragments import Context, _facts
from .frontmatter import HEADING_MARK
from .searchmeta import search_meta


def _byline(c: Context, record: Statement) -> str:
    line = f"— {c.link_id('actors', record.speaker)}"
    if record.on_behalf_of:
        line += f", on behalf of {c.link_id('actors', record.on_behalf_of)}"
    return f"{line}, {escape(display_date(record.date))}"


def statement_page(c: Context, record: Statement, title: str) -> str:
    """A statement page (half of all pages: plain Python for speed)."""
    h = HEADING_MARK
    if record.form == "quote":
        figure = ('<figure class="fs-statement">\n<blockquote class="fs-statement__text" '
                  'data-pagefind-weight="4">'
                  f"<p>{escape(record.text)}</p></blockquote>\n<figcaption>{_byline(c, record)} "
                  '<span class="fs-tag" data-pagefind-ignore>verbatim quote</span></figcaption>\n'
                  '</figure>\n')
    else:
        figure = ('<figure class="fs-statement fs-statement--paraphrase">\n'
                  '<p class="fs-statement__text" data-pagefind-weight="4"><span class="fs-tag" '
                  'data-pagefind-ignore>Paraphrase, not a quote'
                  f"</span> {escape(record.text)}</p>\n<figcaption>{_byline(c, record)}"
                  "</figcaption>\n</figure>\n")
    out = [f"{h}# {md_inline(title)}\n\n", search_meta(c, record), figure]
    if record.stated_confidence:  # speaker, on whose behalf, date and form are in the byline
        out += ["\n", _facts([("Stated confidence", record.stated_confidence)])]
    if record.context:
        out.append(f'\n{h}## Context\n\n<div class="fs-prose">\n{c.prose(record.context, 3)}\n'
                   "</div>\n")
    if record.figures:
        items = "".join(f"<li><strong>{escape(figure_text(figure))}</strong> "
                        f"{escape(figure.label)}</li>\n" for figure in record.figures)
        out.append(f'\n{h}## Key figures\n\n<ul class="fs-figures">\n{items}</ul>\n')
    out.append(f"\n{h}## Citations\n\n{c.citations(record.citations, 'citation')}\n")
    out.append(c.about(record.about))
    claims = c.graph.referrers("statements", record.id, of_kind="claims")
    if claims:
        items = "".join(f"<li>{c.link(claim)} {c.rating(claim.rating)}</li>\n"  # type: ignore[attr-defined]
                        for claim in claims)
        out.append(f"\n{h}## Fact-checks citing it\n\n<ul>\n{items}</ul>\n")
    out += ["\n", c.tags(record), "\n", c.updates(record)]
    return "".join(out)


RELATED = (("elections", "Elections"), ("tactics", "Tactics"), ("actors", "Actors"))


def _also_mentioned(c: Context, record: Claim) -> str:
    """Elections, tactics and actors the claim refers to beyond its claimant and ``about``
    (in the analysis, verdict or notes), so every related record is linked once."""
    shown = {("actors", record.claimant)} | {
        (kind, record_id) for kind, _ in RELATED for record_id in getattr(record.about, kind)}
    rows = [(label, c.links(kind, ids)) for kind, label in RELATED
            if (ids := [i for i in c.graph.refers_to(record, kind) if (kind, i) not in shown])]
    return f"\n{HEADING_MARK}## Also mentioned\n\n{_facts(rows)}" if rows else ""


def claim_page(c: Context, record: Claim, title: str) -> str:
    """A fact-check page (plain Python for speed)."""
    h = HEADING_MARK
    out = [f"{h}# {md_inline(title)}\n\n", search_meta(c, record), '<div class="fs-verdict">\n'
           f'<p class="fs-verdict__rating">Rating: {c.rating(record.rating)}</p>\n'
           f'<p class="fs-verdict__text"><strong>Verdict:</strong> {escape(record.verdict)}'
           "</p>\n</div>\n\n", _facts([
               ("Claim", record.claim),
               ("Claimant", c.link_id("actors", record.claimant)),
               ("Claimed", display_date(record.claimed)),
               ("Fact-check published", display_date(record.published)),
               ("Last updated", display_date(record.last_updated) if record.last_updated
                else ""),
               ("Reviewed by", ", ".join(record.reviewers))]),
           f'\n{h}## Analysis\n\n<div class="fs-prose">\n{c.prose(record.analysis, 3)}\n'
           "</div>\n",
           f"\n{h}## Evidence\n\n{c.citations(record.evidence, 'evidence')}\n",
           f"{h}## Appearances\n\n{c.citations(record.appearances, 'appearance')}\n",
           c.about(record.about), _also_mentioned(c, record),
           "\n", c.tags(record), "\n", c.updates(record)]
    return "".join(out)


def _description_block(c: Context, record: Any) -> str:
    if not record.description:
        return ""
    return f'\n<div class="fs-prose">\n{c.prose(record.description)}\n</div>\n'


def _tail(c: Context, record: Record) -> str:
    return f"\n{c.tags(record)}\n{c.updates(record)}"


def actor_page(c: Context, record: Any, title: str) -> str:
    members = [other.id for other in c.graph.referrers("actors", record.id, of_kind="actors")
               if getattr(other, "part_of", None) == record.id]
    return "".join([
        f"{HEADING_MARK}# {md_inline(title)}\n\n", search_meta(c, record), _facts([
            ("Kind", record.kind.replace("-", " ").capitalize()),
            ("Country", country_name(record.country) if record.country else ""),
            ("Role", record.role or ""),
            ("Part of", c.link_id("actors", record.part_of)),
            ("Includes", c.links("actors", members)),
            ("Identified", "" if record.identified else "Not named by the sources")]),
        _description_block(c, record), "\n",
        c.graph_sections("actors", record.id, [("elections", "Elections"),
                                               ("tactics", "Tactics"),
                                               ("actors", "Other actors")]),
        _tail(c, record)])


def election_page(c: Context, record: Any, title: str) -> str:
    return "".join([
        f"{HEADING_MARK}# {md_inline(title)}\n\n", search_meta(c, record), _facts([
            ("Country", country_name(record.country) if record.country else ""),
            ("Region", record.region or ""),
            ("Date", display_date(record.date)),
            ("Type", record.type.capitalize()),
            ("Identified", "" if record.identified else "Not named by the sources")]),
        _description_block(c, record), "\n",
        c.graph_sections("elections", record.id, [("tactics", "Tactics"), ("actors", "Actors")]),
        _tail(c, record)])


def tactic_page(c: Context, record: Any, title: str) -> str:
    site = c.graph.site
    children = [other.id for other in c.graph.referrers("tactics", record.id, of_kind="tactics")]
    return "".join([
        f"{HEADING_MARK}# {md_inline(title)}\n\n", search_meta(c, record),
        f'<p class="fs-summary">{escape(record.summary)}</p>\n\n', _facts([
            ("Category", record.category.replace("-", " ").capitalize()),
            ("DISARM techniques", ", ".join(record.disarm)),
            ("DISARM release", site.disarm_version if site and record.disarm else ""),
            ("Part of", c.link_id("tactics", record.parent)),
            ("Sub-tactics", c.links("tactics", children))]),
        _description_block(c, record), "\n",
        c.graph_sections("tactics", record.id, [("elections", "Elections"), ("actors", "Actors")]),
        _tail(c, record)])


AVAILABILITY = {"public": "Public",
                "reported-only": "Reported only: not published; known through reporting",
                "restricted": "Restricted"}


def _availability(record: Any) -> str:
    """A public source with no web address says so rather than just "Public"."""
    if record.availability == "public" and not record.url:
        return "Public, but no web address is recorded for it here"
    return AVAILABILITY[record.availability]


def source_page(c: Context, record: Any, title: str) -> str:
    h = HEADING_MARK
    out = [f"{h}# {md_inline(title)}\n\n", search_meta(c, record), _facts([
        ("Publisher", record.publisher),
        ("Authors", ", ".join(record.authors)),
        ("Kind", record.kind.replace("-", " ").capitalize()),
        ("Published", display_date(record.published)),
        ("Language", record.language),
        ("Availability", _availability(record)),
        ("Accessed", display_date(record.accessed) if record.accessed else "")])]
    if record.url or record.archived_url:
        out.append('\n<ul class="fs-source-links">\n')
        if record.url:
            out.append(f'<li><a href="{escape(record.url)}" rel="nofollow noopener">Original</a>'
                       "</li>\n")
        if record.archived_url:
            out.append(f'<li><a href="{escape(record.archived_url)}" rel="nofollow noopener">'
                       "Archived copy</a></li>\n")
        elif record.archive_note:
            out.append(f"<li>No archived copy: {escape(record.archive_note)}</li>\n")
        out.append("</ul>\n")
    chain = c.graph.chain(record)
    if chain:
        items = "".join(f"<li>{c.link(other)}, {escape(other.publisher)}, "  # type: ignore[attr-defined]
                        f"{escape(display_date(other.published))}</li>\n"  # type: ignore[attr-defined]
                        for other in chain)
        out.append(f'\n{h}## Known through\n\n<ol class="fs-chain">\n{items}</ol>\n')
    reported = c.graph.referrers("sources", record.id, of_kind="sources")
    if reported:
        items = "".join(f'<li>{c.link(other)} <span class="fs-tag">'
                        f'{escape(other.availability.replace("-", " "))}</span></li>\n'  # type: ignore[attr-defined]
                        for other in reported)
        out.append(f"\n{h}## Documents reported here\n\n<ul>\n{items}</ul>\n")
    out.append(f"\n{h}## Cited by\n\n{c.mentions_table(c.mentions('sources', record.id))}")
    out.append(_tail(c, record))
    return "".join(out)


PYTHON_PAGES: dict[str, Callable[[Context, Any, str], str]] = {
    "statement.md.j2": statement_page, "claim.md.j2": claim_page,
    "actor.md.j2": actor_page, "election.md.j2": election_page, "tactic.md.j2": tactic_page,
    "source.md.j2": source_page,
}
"""Pages built by a Python function instead of a template (statements and claims are most
of the pages; plain Python is several times faster than Jinja macros)."""


def _description(record: Record) -> str | None:
    fields = record.__dict__  # a missing field via getattr costs Pydantic an exception
    for attribute in ("verdict", "summary", "text", "title", "name"):
        value = fields.get(attribute)
        if isinstance(value, str):
            return value
    return None
