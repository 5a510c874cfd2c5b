"""Shared names of the render stage: options and the kind labels."""

from __future__ import annotations

from collections.abc import Callable

from ..graph import SINGULAR
from ..models import Record
from ..site import SiteOptions

JsonLd = Callable[[str, Record | None, str], str | None]
"""Hook for structured data: ``(kind, record or None, page path) -> JSON string or None``."""

RECORD_KINDS = ("claims", "statements", "elections", "tactics", "actors", "sources", "explainers")
SECTION_TITLES = {
    "claims": "Fact-checks", "statements": "Statements", "elections": "Elections",
    "tactics": "Tactics", "actors": "Actors", "sources": "Sources", "explainers": "Explainers",
}
KIND_LABELS = {kind: singular.capitalize() for kind, singular in SINGULAR.items()}
KIND_LABELS["claims"] = "Fact-check"
ROLE_LABELS = {
    "speaker": "speaker", "on_behalf_of": "on whose behalf", "claimant": "claimant",
    "about": "about", "evidence": "evidence", "citations": "cited", "appearances": "appearance",
    "context": "mentioned", "analysis": "mentioned", "updates": "mentioned",
}
RATINGS_CSS = "assets/factsite-ratings.css"


RenderOptions = SiteOptions
"""How pages link to each other (the site's URL style); the same options as the site's."""
