"""Shared names of the render stage: options and the kind labels."""

from __future__ import annotations

from collections.abc import Callable

from .. import registry
from ..models import Record
from ..site import SiteOptions

JsonLd = Callable[[str, Record | None, str], str | None]
"""Hook for structured data: ``(kind, record or None, page path) -> JSON string or None``."""

RECORD_KINDS = registry.section_folders()
SECTION_TITLES = registry.section_titles()
KIND_LABELS = registry.labels()
ROLE_LABELS = {
    "speaker": "speaker", "on_behalf_of": "on whose behalf", "claimant": "claimant",
    "about": "about", "evidence": "evidence", "citations": "cited", "appearances": "appearance",
    "context": "mentioned", "analysis": "mentioned", "updates": "mentioned",
}
RATINGS_CSS = "assets/factsite-ratings.css"


RenderOptions = SiteOptions
"""How pages link to each other (the site's URL style); the same options as the site's."""
