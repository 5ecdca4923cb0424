"""What one point of a chart stands for (a day, a Monday-based week or a month), and counts regrouped so: pure
date arithmetic, no queries."""

from collections.abc import Callable
from datetime import date, timedelta

# Long periods are charted by week, then by month: 3,650 daily points are neither readable on a 640-pixel chart
# nor cheap to send to a phone (a ten-year journal charted by week made a 300 kB page).
WEEKLY_AFTER_DAYS = 400
MONTHLY_AFTER_DAYS = 3 * 365


def chart_period(first: date, last: date) -> str:
    """ "day", "week" or "month": what one point of a chart of [first, last] stands for."""
    span = (last - first).days
    if span > MONTHLY_AFTER_DAYS:
        return "month"
    return "week" if span > WEEKLY_AFTER_DAYS else "day"


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


# Weeks (Monday-based) and months as consecutive numbers, and back: ten years of days are grouped by these, which
# is several times cheaper than building a date for each day. Ordinal 1, 1 January 0001, is a Monday.
PERIOD_NUMBERS: dict[str, tuple[Callable[[date], int], Callable[[int], date]]] = {
    "week": (lambda d: (d.toordinal() - 1) // 7, lambda n: date.fromordinal(7 * n + 1)),
    "month": (lambda d: d.year * 12 + d.month - 1, lambda n: date(n // 12, n % 12 + 1, 1)),
}


def count_per_period(days: dict[date, int], first: date, last: date, period: str) -> list[tuple[date, int]]:
    """The counts of `days` (all within [first, last]) added up per week or month, every period of the range
    listed (the empty ones with 0), each named by its first day."""
    number, start_of = PERIOD_NUMBERS[period]
    first_number = number(first)
    counts = [0] * (number(last) - first_number + 1)
    for day, n in days.items():
        counts[number(day) - first_number] += n
    return [(start_of(first_number + i), n) for i, n in enumerate(counts)]
