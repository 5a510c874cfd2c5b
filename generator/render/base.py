"""Shared names of the render stage: options, the rendered page and the kind labels."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .. import registry
from ..models import Record

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


@dataclass(frozen=True)
class RenderOptions:
    use_directory_urls: bool = True


@dataclass(frozen=True)
class RenderedPage:
    """One generated page: where it goes, its full Markdown, and the content file it shows."""

    path: str
    markdown: str
    source: str | None = None
    """Content file relative to ``content/`` (``claims/x.yaml``), or None when generated."""
    kind: str = "index"
    record_id: str | None = None
    updated: str | None = None
    """ISO date of the page's newest content (the sitemap's ``lastmod``), if known."""
    front: str = ""
    """The YAML front matter on its own (set with ``parts``)."""
    parts: tuple[str, ...] = ()
    """The body split into raw HTML blocks and Markdown heading lines, alternating
    (``html, heading, html, …, html``): lets an engine insert the HTML blocks without
    parsing them again. Empty when the page is not split (``markdown`` is then all)."""
    meta: dict[str, Any] = field(default_factory=dict)
    """What the front matter says, as data (set with ``parts``)."""
