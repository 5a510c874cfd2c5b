"""Render stage: the linked graph → one Markdown page per record, index and overview.

Pure functions (no MkDocs import, no file I/O): :func:`generator.build.build_site` puts the
pages into the :class:`~generator.site.Site` that the adapters hand to an engine.

Every page kind has one Jinja2 template (``generator/templates/<kind>.html.j2``), fed with
views worked out once per record (:mod:`.views`: the rating with its label and place on the
scale, citation lines, mention rows…): a designer changes a page by editing its template.
Safety: Jinja's autoescaping escapes every content string; editor Markdown is rendered and
sanitised as :func:`markdown.to_html` does. Links inside HTML blocks are final relative
URLs, because MkDocs does not rewrite links in raw HTML.
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
