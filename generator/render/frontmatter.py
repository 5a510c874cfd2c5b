"""Front matter and the heading mark that splits a page body into HTML blocks and headings."""

from __future__ import annotations

import html
import json
import re
import secrets
from typing import Any

from ..graph import shorten

HEADING_MARK = f"\x00fs-heading-{secrets.token_hex(8)}\x00"
"""Put by the templates before each Markdown heading line, so the body can be split into
headings and HTML blocks exactly (content can't contain this per-process random mark)."""


def split_body(body: str) -> tuple[str, tuple[str, ...]]:
    """A rendered template → (plain Markdown, parts alternating HTML block and heading)."""
    chunks = body.split(HEADING_MARK)
    parts = [chunks[0]]
    for chunk in chunks[1:]:
        heading, _, rest = chunk.partition("\n")
        parts += [heading, rest]
    return "".join(chunks), tuple(parts)


_YAML_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")


def yaml_string(value: str) -> str:
    """A YAML double-quoted scalar that PyYAML reads back exactly (JSON's escapes, plus
    YAML's own line breaks and non-printables escaped; astral characters left as they are,
    since PyYAML cannot join JSON's surrogate-pair escapes)."""
    if value.isascii() and "\x7f" not in value:  # JSON-LD: JSON escapes all it needs
        return json.dumps(value)
    text = json.dumps(value, ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


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


def front_matter_text(meta: dict[str, Any]) -> str:
    """``meta`` as YAML front matter that reads back as exactly ``meta``."""
    lines = ["---"]
    for key, value in meta.items():
        # JSON for the rest: YAML reads a JSON value as the same value.
        encoded = yaml_string(value) if isinstance(value, str) else json.dumps(value)
        lines.append(f"{key}: {encoded}")
    lines.append("---")
    return "\n".join(lines) + "\n\n"


def front_matter(title: str, *, description: str | None = None, search_exclude: bool = False,
                 jsonld: str | None = None) -> str:
    """YAML front matter; text values are HTML-escaped (themes print them raw)."""
    return front_matter_text(page_meta(title, description=description,
                                       search_exclude=search_exclude, jsonld=jsonld))
