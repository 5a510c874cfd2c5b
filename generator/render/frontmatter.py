"""A page's head and headings: its metadata, and the anchor of every heading.

Each heading a template declares gets its anchor here (written ``## Title {#anchor}``, the
``attr_list`` syntax, which MkDocs and Zensical both read), so no engine has to work out
heading ids and every engine gives the same ones.
"""

from __future__ import annotations

import html
import re
import unicodedata
from typing import Any

from ..graph import shorten
from ..site import front_matter_text

_NOT_WORD = re.compile(r"[^\w\s-]")
_SPACES = re.compile(r"[-\s]+")
_NUMBERED = re.compile(r"^(.*)_([0-9]+)$")


def slugify(text: str) -> str:
    """A heading's anchor: ASCII letters, digits, ``_`` and ``-`` (Python-Markdown's
    default ``toc`` slug, so addresses of sections stay as they were), never starting with
    ``_``: a record titled ``__config`` must not take the id of the theme's own
    ``<script id="__config">`` (Material's element ids all start with ``__``)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _SPACES.sub("-", _NOT_WORD.sub("", ascii_text).strip().lower())
    return f"h{slug}" if slug.startswith("_") else slug


def unique(anchor: str, used: set[str]) -> str:
    """``anchor``, or with ``_1``, ``_2``… when the page already has it (or it is empty)."""
    while anchor in used or not anchor:
        numbered = _NUMBERED.match(anchor)
        anchor = (f"{numbered.group(1)}_{int(numbered.group(2)) + 1}" if numbered
                  else f"{anchor}_1")
    used.add(anchor)
    return anchor


def page_meta(title: str, *, description: str | None = None, search_exclude: bool = False,
              jsonld: str | None = None) -> dict[str, Any]:
    """A page's metadata as the engine reads it from the front matter; text values are
    HTML-escaped (themes print them raw)."""
    meta: dict[str, Any] = {"title": html.escape(title)}
    if description:
        meta["description"] = html.escape(shorten(description, 300))
    if search_exclude:
        meta["search"] = {"exclude": True}
    if jsonld:
        meta["jsonld"] = jsonld
    return meta


def front_matter(title: str, *, description: str | None = None, search_exclude: bool = False,
                 jsonld: str | None = None) -> str:
    """YAML front matter; text values are HTML-escaped (themes print them raw)."""
    return front_matter_text(page_meta(title, description=description,
                                       search_exclude=search_exclude, jsonld=jsonld))
