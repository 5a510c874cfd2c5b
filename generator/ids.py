"""Record ids: the pattern every id matches, its length limit, and the id an editor meant."""

from __future__ import annotations

import re

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
"""Also the JSON Schema pattern; in Python ``$`` matches before a final newline, so test
with :func:`is_id` (``fullmatch``), never ``ID_PATTERN.match``."""
ID_MAX_LENGTH = 80


def is_id(text: str) -> bool:
    """Whether ``text`` is exactly a slug: no trailing newline, nothing else around it."""
    return len(text) <= ID_MAX_LENGTH and ID_PATTERN.fullmatch(text) is not None


def slugify(value: str) -> str:
    """The id an editor probably meant: lower case, runs of other characters → '-'."""
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")[:ID_MAX_LENGTH]
