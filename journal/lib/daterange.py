"""The `?start=YYYY-MM-DD&end=YYYY-MM-DD` range every export and the share page take."""

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.http import QueryDict

from journal.storable import OUT_OF_RANGE_MESSAGE, YEAR_MAX, YEAR_MIN

# The dates a query or a form may name. Wide enough for any real journal and a 100-year range, narrow enough that
# date arithmetic around them (a 7-day lead-in, a day after the end, a time zone's offset) can never leave what
# Python's `date` and the databases hold: year 1 and year 9999 overflowed it and answered 500.
# The same years as every stored date (journal.storable), with the same words, so that a query, a form and an
# import name one limit.
EARLIEST_DATE = date(YEAR_MIN, 1, 1)
LATEST_DATE = date(YEAR_MAX, 12, 31)
OUT_OF_BOUNDS = OUT_OF_RANGE_MESSAGE


class BadRange(ValueError):
    """A date range the user must fix; the message says how."""


@dataclass(frozen=True)
class DateRange:
    start: date | None = None
    end: date | None = None

    def describe(self) -> str:
        if self.start and self.end:
            return f"{self.start.isoformat()} to {self.end.isoformat()}"
        if self.start:
            return f"from {self.start.isoformat()}"
        if self.end:
            return f"up to {self.end.isoformat()}"
        return "all dates"

    def query(self) -> str:
        """`start=...&end=...` for the dates given ("" for none), to carry the range on to other links."""
        return urlencode({name: day.isoformat() for name, day in (("start", self.start), ("end", self.end)) if day})

    def filename_part(self) -> str:
        """The range in a file name: `all`, `2026-01-01_to_2026-03-31`, `from_2026-01-01` or `to_2026-03-31`."""
        if self.start and self.end:
            return f"{self.start.isoformat()}_to_{self.end.isoformat()}"
        if self.start:
            return f"from_{self.start.isoformat()}"
        if self.end:
            return f"to_{self.end.isoformat()}"
        return "all"


def require_order(
    start: date | None,
    end: date | None,
    error: type[Exception] = BadRange,
    message: str = "The start date must be on or before the end date.",
) -> None:
    """Raises `error(message)` when both dates are given and the start comes after the end (forms pass
    ValidationError)."""
    if start and end and start > end:
        raise error(message)


def require_bounds(day: date | None, error: type[Exception] = BadRange) -> None:
    """Raises `error` when `day` lies outside [EARLIEST_DATE, LATEST_DATE] (forms pass ValidationError)."""
    if day is not None and not EARLIEST_DATE <= day <= LATEST_DATE:
        raise error(OUT_OF_BOUNDS)


def _parse(name: str, raw: str | None) -> date | None:
    if raw is None or raw.strip() == "":
        return None
    try:
        day = date.fromisoformat(raw.strip())
    except ValueError:
        raise BadRange(f"The {name} date must look like 2026-01-31 (year-month-day).") from None
    require_bounds(day)
    return day


def parse_range(query: QueryDict) -> DateRange:
    """The ?start=&end= of `query` (either may be missing). Raises BadRange for a date that is not one, an end
    before the start, or a bound given twice (which of the two was meant cannot be told)."""
    for name in ("start", "end"):
        if len(query.getlist(name)) > 1:
            raise BadRange(f"Give the {name} date once.")
    start = _parse("start", query.get("start"))
    end = _parse("end", query.get("end"))
    require_order(start, end)
    return DateRange(start, end)
