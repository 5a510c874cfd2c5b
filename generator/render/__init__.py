"""Render stage: the linked graph → one Markdown page per record, index and overview.

Pure functions (no MkDocs import, no file I/O): :func:`generator.build.build_site` puts the
pages into the :class:`~generator.site.Site` that the adapters hand to an engine.

Record, index and overview pages are built in plain Python (a few rarely-built pages still
use Jinja templates). Safety: every content string reaches the Markdown either HTML-escaped
inside an HTML block (:func:`formatting.escape`: markupsafe's escaping, which is what Jinja's
autoescaping calls), through :func:`markdown.escape_inline` (Markdown headings), or as
editor Markdown rendered and sanitised as :func:`markdown.to_html` does (its references
resolved while a page is laid out, then converted with the whole build's prose in one batch:
:mod:`.prose`). Links inside HTML blocks are final relative URLs, because MkDocs does not
rewrite links in raw HTML.
"""

from __future__ import annotations

from .base import RATINGS_CSS, RECORD_KINDS, SECTION_TITLES, RenderOptions
from .formatting import shift_headings
from .frontmatter import front_matter
from .pages import rating_css, render_pages
from .urls import page_url, record_path, relative_url

__all__ = [
    "RATINGS_CSS", "RECORD_KINDS", "SECTION_TITLES", "RenderOptions", "front_matter",
    "page_url", "rating_css", "record_path", "relative_url", "render_pages", "shift_headings",
]
