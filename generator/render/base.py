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
    "speaker": "said by it", "on_behalf_of": "said on its behalf", "claimant": "claimed by it",
    "about": "about it", "evidence": "cites it as evidence", "citations": "cites it as a source",
    "appearances": "the claim appeared in it", "context": "mentions it in passing",
    "analysis": "mentions it in passing", "updates": "mentions it in passing",
}
"""How a statement or fact-check holds a record, in words (through which field)."""
RATINGS_CSS = "assets/factsite-ratings.css"


RenderOptions = SiteOptions
"""How pages link to each other (the site's URL style); the same options as the site's."""
