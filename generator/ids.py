"""Record ids: the pattern every id matches, its length limit, and the id an editor meant."""

from __future__ import annotations

import re

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
ID_MAX_LENGTH = 80


def slugify(value: str) -> str:
    """The id an editor probably meant: lower case, runs of other characters → '-'."""
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")[:ID_MAX_LENGTH]
