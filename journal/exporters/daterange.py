"""The `?start=YYYY-MM-DD&end=YYYY-MM-DD` range every export and the share page take."""

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.http import QueryDict


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


def _parse(name: str, raw: str | None) -> date | None:
    if raw is None or raw.strip() == "":
        return None
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise BadRange(f"The {name} date must look like 2026-01-31 (year-month-day).") from None


def parse_range(query: QueryDict) -> DateRange:
    start = _parse("start", query.get("start"))
    end = _parse("end", query.get("end"))
    require_order(start, end)
    return DateRange(start, end)
