"""A page's head and headings: its metadata, and an anchor for every heading.

The page builders put :data:`HEADING_MARK` before each Markdown heading line; :func:`sections`
finds those lines, gives each heading its anchor and writes it as ``## Title {#anchor}``
(the ``attr_list`` syntax, which MkDocs and Zensical both read), so no engine has to work
out heading ids and every engine gives the same ones.
"""

from __future__ import annotations

import html
import re
import secrets
import unicodedata
from typing import Any

from ..graph import shorten
from ..markdown import unescape_inline
from ..site import Section, front_matter_text

HEADING_MARK = f"\x00fs-heading-{secrets.token_hex(8)}\x00"
"""Put by the templates before each Markdown heading line, so the body can be split into
headings and HTML blocks exactly (content can't contain this per-process random mark)."""

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


def with_anchors(body: str) -> tuple[tuple[str, ...], tuple[Section, ...]]:
    """A laid-out body → its HTML blocks and its sections: every marked heading with its
    level, text and an anchor unique on the page, in order."""
    chunks = body.split(HEADING_MARK)
    blocks = [chunks[0]]
    found: list[Section] = []
    used: set[str] = set()
    for chunk in chunks[1:]:
        line, _, rest = chunk.partition("\n")
        hashes, _, source = line.partition(" ")
        text = unescape_inline(source)
        found.append(Section(len(hashes), text, unique(slugify(text), used)))
        blocks.append(rest)
    return tuple(blocks), tuple(found)


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
