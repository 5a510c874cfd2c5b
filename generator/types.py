"""Shared field types of the content model, each with an editor-facing error message."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import math
import os
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import langcodes
import pycountry
from pydantic import (
    AfterValidator,
    BeforeValidator,
    PlainSerializer,
    PlainValidator,
    ValidationInfo,
    WithJsonSchema,
)
from pydantic_core import Url
from pydantic_core import ValidationError as CoreValidationError

from .diagnostics import did_you_mean, one_of
from .ids import ID_MAX_LENGTH, ID_PATTERN, is_id, slugify


@dataclass(frozen=True)
class Ref:
    """Marks a field whose value is the id of a record of ``kind``."""

    kind: str


@dataclass(frozen=True)
class MarkdownMarker:
    """Marks a field holding editor Markdown (checked for raw HTML and ``[[refs]]``)."""


MARKDOWN = MarkdownMarker()


def describe(value: Any) -> str:
    """Name a YAML value's type the way an editor would."""
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"'{value}'"


def _require_text(value: Any) -> str:
    if value is None:
        raise ValueError("is empty; fill it in")
    if not isinstance(value, str):
        raise ValueError(f"expected text, got {describe(value)}; put it in quotes if it is text")
    if not value.strip():
        raise ValueError("must not be empty")
    return value


Text = Annotated[str, BeforeValidator(_require_text)]
Markdown = Annotated[str, BeforeValidator(_require_text), MARKDOWN]


def check_id(value: Any) -> str:
    text = _require_text(value)
    if len(text) > ID_MAX_LENGTH:
        raise ValueError(f"id is {len(text)} characters long; the limit is {ID_MAX_LENGTH}")
    if not is_id(text):
        hint = f"; did you mean '{slugify(text)}'?" if slugify(text) else ""
        raise ValueError(f"'{text}' is not a valid id: use lower-case letters, digits and "
                         f"single hyphens{hint}")
    return text


Id = Annotated[str, BeforeValidator(check_id),
               WithJsonSchema({"type": "string", "pattern": ID_PATTERN.pattern,
                               "maxLength": ID_MAX_LENGTH})]


def ref(kind: str) -> Any:
    """An id that must name a record of ``kind`` (checked when the graph is linked)."""
    return Annotated[Id, Ref(kind)]


def vocabulary(noun: str, values: tuple[str, ...]) -> Any:
    """A controlled vocabulary: ``Literal`` for the schema, an editor message for errors."""

    def check(value: Any) -> Any:
        if value in values and isinstance(value, str):
            return value
        shown = f"'{value}'" if isinstance(value, str) else describe(value)
        raise ValueError(f"{shown} is not {noun}; expected one of: {one_of(values)}"
                         f"{did_you_mean(value, values)}")

    return Annotated[Literal[values], BeforeValidator(check)]  # type: ignore[valid-type]


@functools.total_ordering
@dataclass(frozen=True)
class PartialDate:
    """A date known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> Literal["year", "month", "day"]:
        return "year" if self.month is None else "month" if self.day is None else "day"

    @property
    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self.sort_key < other.sort_key

    def __str__(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def display(self) -> str:
        """``2020``, ``October 2023`` or ``20 October 2023``."""
        if self.month is None:
            return str(self.year)
        month = _MONTH_NAMES[self.month - 1]
        return f"{month} {self.year}" if self.day is None else f"{self.day} {month} {self.year}"

    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)


_MONTH_NAMES = tuple(dt.date(2000, month, 1).strftime("%B") for month in range(1, 13))
_PARTIAL_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
"""Whole (``fullmatch``: no trailing newline), in ASCII digits (``\\d`` takes any script's)."""


def parse_partial_date(value: Any) -> PartialDate:
    if isinstance(value, PartialDate):
        return value
    if isinstance(value, dt.datetime):
        raise ValueError(f"{describe(value)} has a time; write YYYY, YYYY-MM or YYYY-MM-DD"
                         f"{_date_hint(value)}")
    if isinstance(value, dt.date):
        return PartialDate(value.year, value.month, value.day)
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return PartialDate(value)
    match = _PARTIAL_DATE.fullmatch(value) if isinstance(value, str) else None
    if not match:
        raise ValueError(f"{describe(value)} is not a date; write YYYY, YYYY-MM or YYYY-MM-DD"
                         f"{_date_hint(value)}")
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        dt.date(year or 1, month or 1, day or 1)
    except ValueError as exc:
        raise ValueError(f"'{value}' is not a real date: {exc}") from None
    return PartialDate(year, month, day)  # type: ignore[arg-type]


PartialDateField = Annotated[
    PartialDate,
    PlainValidator(parse_partial_date),
    PlainSerializer(str, return_type=str),
    WithJsonSchema({"anyOf": [
        {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"},
        {"type": "integer", "minimum": 1000, "maximum": 9999}],
        "description": "YYYY, YYYY-MM or YYYY-MM-DD"}),
]


def _full_date(value: Any) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"{describe(value)} is not a full date; write YYYY-MM-DD"
                     f"{_date_hint(value, full=True)}")


_MONTHS = {name.lower()[:3]: number for number, name in enumerate(_MONTH_NAMES, start=1)}
_NUMERIC_DATE = re.compile(r"^(\d{1,4})[./-](\d{1,2})[./-](\d{1,4})$")
_MONTH_YEAR = re.compile(r"^(\d{1,2})[./-](\d{4})$")
_DAY_MONTH_NAME = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})$")
_MONTH_NAME_DAY = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")
_MONTH_NAME_YEAR = re.compile(r"^([a-z]+)\.?,?\s+(\d{4})$")


def suggest_dates(value: Any) -> list[str]:
    """The ISO dates an editor probably meant by ``15/09/2023``, ``28-11-2026``, ``2023-9-5``,
    ``09/2023``, ``15 September 2023`` or ``Sept. 2023`` (both readings when day and month
    could be swapped)."""
    if isinstance(value, dt.datetime):
        return [value.date().isoformat()]
    text = " ".join(value.strip().lower().split()) if isinstance(value, str) else ""
    candidates: list[tuple[int, int, int | None]] = []  # (year, month, day)
    if match := _NUMERIC_DATE.match(text):
        first, second, third = (int(part) for part in match.groups())
        if len(match.group(1)) == 4:
            candidates.append((first, second, third))
        elif len(match.group(3)) == 4:
            candidates += [(third, second, first), (third, first, second)]
    elif match := _MONTH_YEAR.match(text):
        candidates.append((int(match.group(2)), int(match.group(1)), None))
    elif match := _DAY_MONTH_NAME.match(text):
        candidates.append((int(match.group(3)), _MONTHS.get(match.group(2)[:3], 0),
                           int(match.group(1))))
    elif match := _MONTH_NAME_DAY.match(text):
        candidates.append((int(match.group(3)), _MONTHS.get(match.group(1)[:3], 0),
                           int(match.group(2))))
    elif match := _MONTH_NAME_YEAR.match(text):
        candidates.append((int(match.group(2)), _MONTHS.get(match.group(1)[:3], 0), None))
    found: list[str] = []
    for year, month, day in candidates:
        try:
            dt.date(year, month, day or 1)
        except ValueError:
            continue
        iso = f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day is not None else "")
        if iso not in found:
            found.append(iso)
    return found


def _date_hint(value: Any, *, full: bool = False) -> str:
    """``; did you mean '2023-09-15'?`` (or two readings), or nothing."""
    found = [iso for iso in suggest_dates(value) if not full or len(iso) == 10]
    if not found:
        return ""
    return "; did you mean " + " or ".join(f"'{iso}'" for iso in found) + "?"


def build_date() -> dt.date:
    """Today (UTC), or the day of ``SOURCE_DATE_EPOCH`` when a reproducible build sets it."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.datetime.now(dt.UTC).date()


Date = Annotated[dt.date, PlainValidator(_full_date), PlainSerializer(dt.date.isoformat),
                 WithJsonSchema({"type": "string", "format": "date"})]


def build_time() -> dt.datetime:
    """Now (UTC), or ``SOURCE_DATE_EPOCH`` when a reproducible build sets it."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC)


def _date_time(value: Any) -> dt.datetime:
    """A moment: an ISO 8601 date-time (without a zone: UTC) or a date (its midnight, UTC)."""
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            value = dt.datetime.fromisoformat(value.strip())
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    raise ValueError(f"{describe(value)} is not a date-time; write YYYY-MM-DDTHH:MM:SSZ "
                     "(or YYYY-MM-DD for midnight UTC)")


def publication_day(value: Any) -> dt.date | None:
    """The UTC day of a ``publish_after`` value, or None if it is not one."""
    try:
        return _date_time(value).astimezone(dt.UTC).date()
    except ValueError:
        return None


DateTime = Annotated[dt.datetime, PlainValidator(_date_time),
                     PlainSerializer(lambda value: value.isoformat()),
                     WithJsonSchema({"anyOf": [{"type": "string", "format": "date-time"},
                                               {"type": "string", "format": "date"}]})]
"""A moment in time (``publish_after``), compared with :func:`build_time`."""


def _not_in_future(value: Any, info: ValidationInfo) -> Any:
    """A publication date cannot be later than the build date (``context["today"]``, a UTC
    date: the next day is allowed, where it is already tomorrow); a partial date is
    compared by its first day."""
    today = (info.context or {}).get("today")
    first_day = value.first_day() if isinstance(value, PartialDate) else value
    if today is not None and first_day > today + dt.timedelta(days=1):  # east of UTC
        raise ValueError(f"'{value}' is in the future (today is {today.isoformat()}); "
                         "give the date it was published")
    return value


PublishedDate = Annotated[Date, AfterValidator(_not_in_future)]
"""The date a fact-check or explainer was published: a full date, not after today."""
PublishedPartialDate = Annotated[PartialDateField, AfterValidator(_not_in_future)]
"""The date a source was published, as precisely as known, not after today."""


def _check_rating(value: str, info: ValidationInfo) -> str:
    """A rating id of the site's scale: ``context["ratings"]`` (None when site.yaml is
    missing or invalid). Without that context (an export read back) any text passes."""
    context = info.context or {}
    if "ratings" not in context:
        return value
    ratings = context["ratings"]
    if ratings is None:
        raise ValueError("cannot check the rating: content/site.yaml is missing or invalid")
    if value not in ratings:
        raise ValueError(f"'{value}' is not a rating; expected one of: {one_of(ratings)}"
                         f"{did_you_mean(value, ratings)}")
    return value


RatingId = Annotated[str, BeforeValidator(_require_text), AfterValidator(_check_rating)]
"""The id of a rating in ``content/site.yaml``, checked against the site's scale."""

COUNTRY_CODES = tuple(sorted(country.alpha_2 for country in pycountry.countries))


def check_country(value: Any) -> str:
    text = _require_text(value)
    if text in COUNTRY_CODES:
        return text
    hint = did_you_mean(text.upper(), COUNTRY_CODES)
    try:
        found = (pycountry.countries.get(alpha_2="GB") if text.upper() == "UK"  # ISO-reserved
                 else pycountry.countries.lookup(text))
    except LookupError:
        try:
            found = pycountry.countries.search_fuzzy(text)[0] if len(text) > 3 else None
        except LookupError:
            found = None
    if found is not None:
        hint = f"; did you mean '{found.alpha_2}' ({country_name(found.alpha_2)})?"
    raise ValueError(f"'{text}' is not an ISO 3166-1 alpha-2 country code (like 'US' or 'RU')"
                     f"{hint}")


Country = Annotated[str, BeforeValidator(check_country),
                    WithJsonSchema({"type": "string", "enum": list(COUNTRY_CODES)})]


@functools.cache
def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


_URL_FORBIDDEN = re.compile(r"[\s\x00-\x1f\x7f\\]")
_URL_UNSAFE = re.compile("[<>\"`{}|^\x80-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e"
                         "\u2060-\u2069\ufeff]")
"""Characters RFC 3986 never allows in a URL (quotes, angle brackets…), and invisible or
bidi-control characters that would make a link look like another."""
_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_IPV4 = re.compile(r"^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$")


def _well_formed_host(host: str) -> bool:
    """A DNS name of letter-digit-hyphen labels (IDN already in punycode) with a non-numeric
    top-level label, a dotted-quad IPv4 address, or ``localhost``."""
    if host == "localhost" or _IPV4.match(host):
        return True
    labels = host.split(".")
    return (len(host) <= 253 and len(labels) >= 2 and not labels[-1].isdigit()
            and all(_HOST_LABEL.match(label) for label in labels))


def check_url(value: Any) -> str:
    text = _require_text(value)
    scheme = text.split(":", 1)[0].lower() if ":" in text else ""
    if scheme not in ("http", "https"):
        raise ValueError(f"'{text}' is not an http(s) URL; only http:// and https:// are allowed")
    if _URL_FORBIDDEN.search(text):
        raise ValueError(f"'{text}' contains spaces, control characters or backslashes")
    if _URL_UNSAFE.search(text):
        raise ValueError(f"'{text}' contains characters not allowed in a URL (quotes, angle "
                         "brackets, {}|^` or invisible characters); percent-encode them")
    if not text[len(scheme):].startswith("://") or text[len(scheme) + 3:][:1] in ("/", ""):
        raise ValueError(f"'{text}' is not a well-formed URL; write {scheme.lower()}://host/…")
    try:
        url = Url(text)
    except CoreValidationError:
        raise ValueError(f"'{text}' is not a well-formed URL") from None
    if not url.host or ("." not in url.host.strip(".") and url.host != "localhost"):
        raise ValueError(f"'{text}' has no valid host name")
    authority = re.split(r"[/?#]", text[len(scheme) + 3:], maxsplit=1)[0]
    if url.username or url.password or "@" in authority:
        raise ValueError(f"'{text}' contains credentials (user:password@); remove them")
    written = re.sub(r":\d*$", "", authority)  # the host as written, without the port
    numeric = written.replace(".", "").isdigit()
    if "%" in written or (numeric and not _IPV4.match(written)) or not _well_formed_host(url.host):
        raise ValueError(f"'{text}' has a malformed host name '{url.host}': use letters, "
                         "digits and hyphens between dots")
    return text


HttpUrl = Annotated[str, BeforeValidator(check_url),
                    WithJsonSchema({"type": "string", "format": "uri", "pattern": "^https?://"})]


def check_language(value: Any) -> str:
    text = _require_text(value)
    if not langcodes.tag_is_valid(text):
        raise ValueError(f"'{text}' is not a BCP 47 language tag (like 'en' or 'ru')")
    return text


Language = Annotated[str, BeforeValidator(check_language),
                     WithJsonSchema({"type": "string", "description": "BCP 47 language tag"})]


def check_number(value: Any) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"expected a number, got {describe(value)}")
    if not math.isfinite(value):
        raise ValueError(f"expected a finite number, got {value}")  # .inf, .nan: not JSON
    return value


Number = Annotated[int | float, PlainValidator(check_number),
                   WithJsonSchema({"type": "number"})]


def check_seed_path(value: Any) -> str:
    text = _require_text(value)
    if re.search(r"[\x00-\x1f\x7f]", text):
        raise ValueError("seed path contains a control character (a NUL or a line break)")
    parts = text.split("/")
    if text.startswith("/") or "\\" in text or ":" in text or ".." in parts or "" in parts:
        raise ValueError(f"'{text}' must be a relative path inside seeds/ "
                         "(no '..', no leading '/', no backslashes)")
    return text


SeedPath = Annotated[str, BeforeValidator(check_seed_path),
                     WithJsonSchema({"type": "string", "description": "path inside seeds/"})]


DISARM_PATTERN = re.compile(r"^T[0-9]{4}(\.[0-9]{3})?$")
"""ASCII digits only (``\\d`` takes any script's digits); matched whole (``fullmatch``: ``$``
alone lets a trailing newline through)."""


def check_disarm_id(value: Any) -> str:
    text = _require_text(value)
    if not DISARM_PATTERN.fullmatch(text):
        raise ValueError(f"'{text}' is not a DISARM technique id (like 'T0098' or 'T0143.002')")
    return text


def _hex_color(value: Any) -> str:
    text = _require_text(value)
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", text):
        raise ValueError(f"'{text}' is not a colour; write #rrggbb")
    return text


Color = Annotated[str, BeforeValidator(_hex_color),
                  WithJsonSchema({"type": "string", "pattern": "^#[0-9a-fA-F]{6}$"})]
