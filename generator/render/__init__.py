"""Render stage: the linked graph → one Markdown page per record, index and overview.

Pure functions (no MkDocs import): the MkDocs plugin adds the pages to a build, and
``factsite pages --out DIR`` writes them into a plain docs folder for any other engine.

Record, index and overview pages are built in plain Python (a few rarely-built pages still
use Jinja templates). Safety: every content string reaches the Markdown either HTML-escaped
inside an HTML block (markupsafe's ``escape``, which is what Jinja's autoescaping calls),
through :func:`markdown.escape_inline` (Markdown headings), or as
editor Markdown rendered and sanitised by :func:`markdown.to_html`. Links inside HTML blocks
are final relative URLs, because MkDocs does not rewrite links in raw HTML.
"""

from __future__ import annotations

from .base import (
    KIND_LABELS,
    RATINGS_CSS,
    RECORD_KINDS,
    ROLE_LABELS,
    SECTION_TITLES,
    JsonLd,
    RenderedPage,
    RenderOptions,
)
from .formatting import (
    display_date,
    figure_text,
    iso,
    last_modified,
    md_inline,
    record_date,
    shift_headings,
    sort_key,
    year_of,
)
from .fragments import Context
from .frontmatter import HEADING_MARK, front_matter, split_body, yaml_string
from .overviews import (
    INDEX_PAGES,
    OVERVIEW_PAGES,
    index_actors,
    index_claims,
    index_elections,
    index_explainers,
    index_sources,
    index_statements,
    index_tactics,
    matrix,
    matrix_page,
    timeline,
    timeline_page,
)
from .pages import rating_css, render_pages, write_pages
from .records import (
    AVAILABILITY,
    PYTHON_PAGES,
    RELATED,
    actor_page,
    claim_page,
    election_page,
    source_page,
    statement_page,
    tactic_page,
)
from .urls import page_url, record_path, relative_url, root_prefix

__all__ = [
    "AVAILABILITY", "HEADING_MARK", "INDEX_PAGES", "KIND_LABELS", "OVERVIEW_PAGES",
    "PYTHON_PAGES", "RATINGS_CSS", "RECORD_KINDS", "RELATED", "ROLE_LABELS", "SECTION_TITLES",
    "Context", "JsonLd", "RenderOptions", "RenderedPage", "actor_page", "claim_page",
    "display_date", "election_page", "figure_text", "front_matter", "index_actors",
    "index_claims", "index_elections", "index_explainers", "index_sources", "index_statements",
    "index_tactics", "iso", "last_modified", "matrix", "matrix_page", "md_inline", "page_url",
    "rating_css", "record_date", "record_path", "relative_url", "render_pages", "root_prefix",
    "shift_headings", "sort_key", "source_page", "split_body", "statement_page", "tactic_page",
    "timeline", "timeline_page", "write_pages", "yaml_string", "year_of",
]
