"""Structured data (schema.org JSON-LD) built from the same models as the visible pages.

Pure functions: a record, the graph, ``site.yaml`` and the site's address in, plain dicts
out. :func:`script_json` turns them into text that is safe inside a ``<script>`` element.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .graph import Graph
from .models import Actor, Citation, Claim, Explainer, Record, Site, Source, Statement
from .render.base import SECTION_TITLES
from .render.urls import absolute, page_url
from .render.urls import record_path as markdown_path

CONTEXT = "https://schema.org"
PERSON_KINDS = ("person", "anonymous")
"""Actor kinds that are people; every other kind is an organisation."""
OVERVIEW_TITLES = {"matrix": "Elections and tactics", "timeline": "Timeline",
                   "corrections": "Corrections log", "data": "Open data"}
"""Titles of generated pages that are neither records nor indexes (as render names them)."""
Thing = dict[str, Any]
PathFor = Callable[[str, str], str]
JsonLd = Callable[[str, Record | None, str], str | None]


def record_path(kind: str, record_id: str) -> str:
    """A record page's URL path relative to the site root (directory URLs), as rendered."""
    return page_url(markdown_path(kind, record_id), True)


def file_urls(kind: str, record_id: str) -> str:
    """The same with ``use_directory_urls: false`` (``claims/x.html``)."""
    return page_url(markdown_path(kind, record_id), False)


@dataclass(frozen=True)
class Context:
    """What every builder needs besides the record."""

    graph: Graph
    site: Site
    site_url: str
    path: PathFor = record_path

    @property
    def directory_urls(self) -> bool:
        return self.path is not file_urls

    def url(self, kind: str, record_id: str) -> str:
        return absolute(self.site_url, self.path(kind, record_id))

    def page(self, markdown_file: str) -> str:
        """Absolute URL of a generated page given its Markdown path (``claims/index.md``)."""
        return absolute(self.site_url, page_url(markdown_file, self.directory_urls))


def script_json(data: Any) -> str:
    """JSON that is safe verbatim inside ``<script>``: ``<``, ``>``, ``&`` escaped, ASCII only.

    Escaping those three neutralises ``</script>`` and ``<!--``; ASCII output also survives
    any YAML or HTML layer the text passes through. Keys keep their insertion order.
    """
    text = json.dumps(data, ensure_ascii=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# -- shared pieces ---------------------------------------------------------------------------


def organization(site: Site) -> Thing:
    """The publisher from ``site.yaml``."""
    found: Thing = {"@type": "Organization", "name": site.publisher.name,
                    "url": site.publisher.url}
    if site.publisher.logo:
        found["logo"] = {"@type": "ImageObject", "url": site.publisher.logo}
    return found


def agent(actor: Actor | None, fallback: str = "") -> Thing:
    """An actor as a ``Person`` (people, anonymous officials) or an ``Organization``."""
    if actor is None:
        return {"@type": "Person", "name": fallback}
    found: Thing = {"@type": "Person" if actor.kind in PERSON_KINDS else "Organization",
                    "name": actor.name}
    if actor.role and actor.kind == "person":
        found["jobTitle"] = actor.role
    return found


def creative_work(source: Source) -> Thing:
    """A source as a ``CreativeWork`` (never a bare URL string)."""
    found: Thing = {
        "@type": "CreativeWork",
        "name": source.title,
        "publisher": {"@type": "Organization", "name": source.publisher},
        "datePublished": str(source.published),
    }
    if source.authors:
        found["author"] = [{"@type": "Person", "name": name} for name in source.authors]
    if source.url:
        found["url"] = source.url
    if source.archived_url:
        found["archivedAt"] = source.archived_url
    if source.language:
        found["inLanguage"] = source.language
    return found


def cited_work(graph: Graph, citation: Citation) -> Thing:
    source = graph.get("sources", citation.source)
    if isinstance(source, Source):
        return creative_work(source)
    return {"@type": "CreativeWork", "name": citation.source}


def dated(found: Thing, record: Record, published: Any) -> Thing:
    """Add ``datePublished`` and, when the record was updated, ``dateModified``."""
    found["datePublished"] = published.isoformat()
    if record.last_updated is not None:
        found["dateModified"] = record.last_updated.isoformat()
    return found


# -- one builder per page type --------------------------------------------------------------


def review_rating(site: Site, claim: Claim) -> Thing:
    """The claim's ``Rating``. A rating on the false–true scale gets its place on it
    (``ratingValue``, counted over the ratings on the scale only, worst = 1); one that is not
    (``on_scale: false``, such as 'unproven') gets only its label, so that no aggregator
    reads it as a degree of truth."""
    rating = site.rating(claim.rating)
    found: Thing = {"@type": "Rating"}
    scale = site.scale
    if rating is not None and rating in scale:
        found |= {"ratingValue": scale.index(rating) + 1, "bestRating": len(scale),
                  "worstRating": 1}
    found |= {"alternateName": rating.label if rating else claim.rating,
              "ratingExplanation": claim.verdict}
    return found


def claim_review(ctx: Context, claim: Claim) -> Thing:
    """Google's ClaimReview: one per claim page, matching the visible verdict."""
    claimant = ctx.graph.get("actors", claim.claimant)
    works = [cited_work(ctx.graph, citation) for citation in claim.appearances]
    found: Thing = {
        "@context": CONTEXT,
        "@type": "ClaimReview",
        "url": ctx.url("claims", claim.id),
        "claimReviewed": claim.claim,
        "reviewRating": review_rating(ctx.site, claim),
        "author": organization(ctx.site),
        "publisher": organization(ctx.site),
        "itemReviewed": {
            "@type": "Claim",
            "author": agent(claimant if isinstance(claimant, Actor) else None, claim.claimant),
            "datePublished": str(claim.claimed),
            "appearance": works,
            "firstAppearance": works[0],
        },
        "inLanguage": ctx.site.language,
    }
    return dated(found, claim, claim.published)


def quotation(ctx: Context, statement: Statement) -> Thing:
    """A verbatim statement as a ``Quotation``; a paraphrase as a schema.org ``Statement``.

    A paraphrase is not anyone's words, so it is never marked up as a quotation.
    """
    speaker = ctx.graph.get("actors", statement.speaker)
    who = agent(speaker if isinstance(speaker, Actor) else None, statement.speaker)
    found: Thing = {
        "@context": CONTEXT,
        "@type": "Quotation" if statement.form == "quote" else "Statement",
        "url": ctx.url("statements", statement.id),
        "text": statement.text,
        "creator": who,
        "dateCreated": str(statement.date),
        "isBasedOn": [cited_work(ctx.graph, c) for c in statement.citations],
    }
    if statement.form == "quote":
        found["spokenByCharacter"] = who
    if statement.on_behalf_of:
        principal = ctx.graph.get("actors", statement.on_behalf_of)
        if isinstance(principal, Actor):
            found["sourceOrganization"] = agent(principal)
    return found


def article(ctx: Context, explainer: Explainer) -> Thing:
    """An explainer as an ``Article`` with headline, dates, authors and publisher."""
    url = ctx.url("explainers", explainer.id)
    found: Thing = {
        "@context": CONTEXT,
        "@type": "Article",
        "url": url,
        "mainEntityOfPage": url,
        "headline": explainer.title,
        "description": explainer.summary,
        "author": [{"@type": "Person", "name": name} for name in explainer.authors],
        "publisher": organization(ctx.site),
        "inLanguage": ctx.site.language,
    }
    return dated(found, explainer, explainer.published)


def breadcrumbs(ctx: Context, trail: list[tuple[str, str]]) -> Thing:
    """A ``BreadcrumbList`` from ``(name, absolute url)`` pairs, home first."""
    return {
        "@context": CONTEXT,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": url}
            for position, (name, url) in enumerate(trail, start=1)
        ],
    }


def website(ctx: Context) -> Thing:
    """The home page's ``WebSite`` with its publisher."""
    found: Thing = {"@context": CONTEXT, "@type": "WebSite", "name": ctx.site.name,
                    "url": ctx.page("index.md"), "publisher": organization(ctx.site),
                    "inLanguage": ctx.site.language}
    if ctx.site.description:
        found["description"] = ctx.site.description
    return found


def trail(ctx: Context, kind: str | None, record: Record | None,
          title: str | None = None, markdown_file: str | None = None) -> list[tuple[str, str]]:
    """Home → section index → record, or Home → a generated page named ``title``."""
    steps = [(ctx.site.name, ctx.page("index.md"))]
    if kind in SECTION_TITLES:
        steps.append((SECTION_TITLES[kind], ctx.page(f"{kind}/index.md")))
    if record is not None:
        steps.append((ctx.graph.title(record), ctx.url(record.collection, record.id)))
    elif title and markdown_file:
        steps.append((title, ctx.page(markdown_file)))
    return steps


def page_things(ctx: Context, kind: str | None, record: Record | None,
                title: str | None = None, markdown_file: str | None = None) -> list[Thing]:
    """Everything a page's head carries: its main item (if any) and its breadcrumbs."""
    things: list[Thing] = []
    if isinstance(record, Claim):
        things.append(claim_review(ctx, record))
    elif isinstance(record, Statement):
        things.append(quotation(ctx, record))
    elif isinstance(record, Explainer):
        things.append(article(ctx, record))
    elif record is None and kind is None:
        things.append(website(ctx))
    things.append(breadcrumbs(ctx, trail(ctx, kind, record, title, markdown_file)))
    return things


def for_page(ctx: Context, kind: str, record: Record | None, markdown_file: str) -> list[Thing]:
    """The structured data of one rendered page, as ``render_pages`` describes it."""
    if record is not None:
        return page_things(ctx, record.collection, record)
    if kind == "home":
        return page_things(ctx, None, None)
    if kind == "index":
        return page_things(ctx, markdown_file.split("/")[0], None)
    stem = markdown_file.removesuffix(".md").removesuffix("/index")
    title = OVERVIEW_TITLES.get(kind) or stem.replace("-", " ").capitalize()
    return page_things(ctx, "", None, title, markdown_file)


def jsonld_hook(graph: Graph, site_url: str, use_directory_urls: bool = True) -> JsonLd:
    """The ``jsonld=`` callable for :func:`generator.render.render_pages`."""
    site = graph.site

    def hook(kind: str, record: Record | None, markdown_file: str) -> str | None:
        if site is None:
            return None
        ctx = Context(graph, site, site_url, record_path if use_directory_urls else file_urls)
        return script_json(for_page(ctx, kind, record, markdown_file))

    return hook


def claim_reviews(ctx: Context) -> list[Thing]:
    """Every ClaimReview on the site, by claim id."""
    claims = ctx.graph.records["claims"]
    return [claim_review(ctx, claims[key]) for key in sorted(claims)]  # type: ignore[arg-type]
