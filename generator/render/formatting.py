"""Formatting helpers used by the pages and templates: dates, sort keys, figures, headings."""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup, escape

from ..models import Record
from ..types import PartialDate


def display_date(value: Any) -> str:
    if isinstance(value, PartialDate):
        return value.display()
    if value is None:
        return ""
    return PartialDate(value.year, value.month, value.day).display()


def iso(value: Any) -> str:
    return str(value) if isinstance(value, PartialDate) else value.isoformat() if value else ""


def year_of(value: Any) -> str:
    return str(value.year) if value is not None else ""


def sort_key(value: Any) -> tuple[int, int, int]:
    if isinstance(value, PartialDate):
        return value.sort_key
    return (value.year, value.month, value.day)


def field_value(record: Record, name: str) -> Any:
    """``record.name``, or None if the record's kind has no such field (asked of the model's
    fields: a missing attribute costs a raised AttributeError inside Pydantic, 40 times a
    present one, and pages ask for dates thousands of times)."""
    return getattr(record, name) if name in type(record).model_fields else None


def record_date(record: Record) -> Any:
    """The date a record is placed at on timelines and in tables."""
    for attribute in ("date", "claimed", "published"):
        value = field_value(record, attribute)
        if value is not None:
            return value
    return None


_HEADING_TAG = re.compile(r"<(/?)h([1-6])(?=[\s>/])")


def shift_headings(html_text: str, top: int) -> str:
    """Renumber the headings of sanitised HTML: the levels used become ``top``, ``top+1``…
    in order (capped at 6), so an editor's ``# Heading`` never competes with the page's h1
    and no level is skipped."""
    levels = sorted({int(level) for _, level in _HEADING_TAG.findall(html_text)}
                    ) if "<h" in html_text else []
    if not levels:
        return html_text
    mapping = {str(level): str(min(6, top + rank)) for rank, level in enumerate(levels)}
    return _HEADING_TAG.sub(lambda m: f"<{m.group(1)}h{mapping[m.group(2)]}", html_text)


def figure_text(figure: Any) -> str:
    qualifier = {"exactly": "", "at-least": "at least ", "at-most": "at most ",
                 "about": "about "}[figure.qualifier]
    value = f"{figure.value:,}" if isinstance(figure.value, int) else f"{figure.value:g}"
    unit = f" {figure.unit}" if figure.unit else ""
    return f"{qualifier}{value}{unit}"


def last_modified(record: Record) -> str | None:
    """The newest date a record's page shows: its newest update, else when it was
    published, else its own date."""
    for value in (record.last_updated, field_value(record, "published"), record_date(record)):
        if value is not None:
            return iso(value)
    return None


def join_html(separator: str, parts: list[Markup]) -> Markup:
    """HTML pieces joined by a plain-text ``separator``. ``Markup.join`` would escape each
    piece again, to no effect (they are HTML already), at a cost that showed on the pages
    of actors, elections and tactics."""
    return Markup(str(escape(separator)).join(parts))
