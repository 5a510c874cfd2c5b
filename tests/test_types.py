"""Field types read from YAML (``generator/types.py``)."""

from __future__ import annotations

import pytest

from generator.types import PartialDate, parse_partial_date


@pytest.mark.parametrize(("text", "date"), [
    ("2022", PartialDate(2022)), ("2022-11", PartialDate(2022, 11)),
    ("2022-11-27", PartialDate(2022, 11, 27))])
def test_a_partial_date_is_a_year_a_month_or_a_day(text: str, date: PartialDate) -> None:
    assert parse_partial_date(text) == date


@pytest.mark.parametrize("text", [
    "2022\n", "2022-11\n",  # a block scalar's line break
    "２０２２", "٢٠٢٢-١١",  # digits of other scripts (int() would read them as 2022)
    " 2022", "2022-1", "22-11-27", "2022-11-27T10:00"])
def test_anything_else_is_not_a_date(text: str) -> None:
    with pytest.raises(ValueError, match="is not a date; write YYYY, YYYY-MM or YYYY-MM-DD"):
        parse_partial_date(text)
