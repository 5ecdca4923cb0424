"""SQL aggregates of a user's journal: the per-day pain figures, the period summary, releases per point and side,
adherence and streaks. The meaningful-change rules are in `meaningful`, the chart periods in `periods`, and the
pain trend that charts use (days, rolling mean and change together) in `series`.

All aggregation happens in SQL, grouped by `Session.local_date` (the user's own calendar date when the session
started, so days, weeks and streaks follow the user's time zone and survive daylight-saving changes). Python only
walks the per-day rows the database returns (at most one per day), never the releases.

Dates are `datetime.date` in the user's local calendar; `start` / `end` are inclusive and either may be None
(unbounded). Every function takes the user first and only ever reads that user's rows.

Stable API (add, don't rename):

- `daily_pain(user, start=None, end=None) -> list[DailyPain]`
    Per local date with at least one session: mean leg pain before and at the end, mean change within a session
    (after minus before, only sessions with both), number of sessions and of completed sessions.
- `rolling_mean(values, window=7) -> list[tuple[date, float | None]]`
    For each (date, value) in `values` (sorted by date, value may be None), the mean of the non-empty values on the
    calendar days [date - window + 1, date]. Days without data are not filled in.
- `pain_trend(user, start=None, end=None, baseline=None) -> PainTrend`
    `daily_pain` for the range plus the 7-day rolling mean of pain before (computed with the 6 days before `start`
    so the first points are right), the meaningful change (`.change`) and its baseline mean for a reference line
    (None unless the baseline has at least 3 days with a score).
- `chart_period(first, last) -> str` and `by_period(trend, period) -> PainTrend`
    What one point of a chart stands for ("day", "week" past 400 days, "month" past three years), and the trend
    regrouped so.
- `meaningful_change(user, baseline=None, *, start=None, end=None, today=None, daily=None) -> Change`
    Recent window (the last 7 days with data) against a baseline (the first 7 days with data, or the user's own
    period `baseline=(from, to)`), as points and percent, with the IMMPACT label (none at all under the LABEL_MIN_*
    rules), Farrar's "much improved" note for a drop, `shown`, `red_flag` and `suggest_review` (6 weeks, no drop).
    `pain_trend` passes its day rows (`daily`), so the windows are not read a second time.
- `point_side_stats(user, start=None, end=None, sort="point") -> list[PointSideRow]`
    Per point and side: releases, share of times tender, mean pressure, mean leg pain after the hold, each with its
    own n.
- `sides_from_points(rows) -> list[SideRow]`   left and right from those rows, same figures.
- `tender_shares(rows) -> dict[(point_id, side), float]`   from those rows, for `{% body_map values=... %}`.
- `adherence(user, start=None, end=None, today=None, daily=None) -> Adherence`
    Sessions per local day in the range, current and longest streak, sessions per (Monday-based) week and
    `per_period("month")`. Pass the range's `daily_pain` rows as `daily` to save reading the days again.
- `streaks(dates, today) -> tuple[int, int]`   (current, longest) from a set of local dates.
- `calendar_heatmap(days, start, end) -> list[list[HeatCell]]`   weeks (Monday first) of 7 cells.
- `last_days_pain(user, days=7, today=None) -> list[DailyPain]`   exactly `days` entries, empty days included.
- `period_summary(user, start=None, end=None) -> PeriodSummary`
    Totals for a report header: sessions (and completed), days with a session, first and last day, releases held,
    mean pain before and after over sessions (each with its n), red-flagged sessions. Two queries.

Which pain figure: the trend and the meaningful change use **leg pain before the session** (0-10 NRS). It is reported
before any release, so it reflects the day's own level of pain rather than the few minutes after pressing on a
tender spot. Leg pain at the end of the session and the change within a session are shown alongside but never
judged.

Which sessions count for adherence and streaks: completed sessions (`SessionStatus.COMPLETED`). Pain figures use
every session that has the figure, whatever its status.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple, cast, overload

from django.contrib.auth.models import User
from django.db import connection
from django.db.models import Aggregate, Avg, Count, F, Max, Min, Q

from journal.models import (
    ADVERSE_RELEASE,
    LIGHT_PRESSURE_LIMIT,
    Release,
    ReleaseQuerySet,
    SafetyAnswer,
    Session,
    SessionQuerySet,
    SessionStatus,
)
from journal.trends.periods import count_per_period, week_start

WINDOW_DAYS = 7
ADHERENCE_STATUSES = (SessionStatus.COMPLETED,)


def sessions_between(user: User, start: date | None = None, end: date | None = None) -> SessionQuerySet:
    """The user's sessions on local dates [start, end] (either may be None: unbounded)."""
    return Session.objects.for_user(user).between(start, end)


def _releases(user: User, start: date | None = None, end: date | None = None) -> ReleaseQuerySet:
    return Release.objects.for_user(user).done().between(start, end)


def _float(value: float | Decimal | None) -> float | None:
    return None if value is None else float(value)


@overload
def round_shown(value: float | Decimal, places: str = "0.1") -> Decimal: ...
@overload
def round_shown(value: None, places: str = "0.1") -> None: ...
def round_shown(value: float | Decimal | None, places: str = "0.1") -> Decimal | None:
    """`value` rounded half up to `places`, as the pages show it (None stays None)."""
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def mean_of(values: Iterable[float | None]) -> float | None:
    """The mean of the values that are not None; None when there are none."""
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


# Pain over time --------------------------------------------------------------------------------------------------


class DailyPain(NamedTuple):
    # A named tuple, not a dataclass: a ten-year journal makes thousands of these per page, and a tuple is built
    # several times faster.
    date: date
    before: float | None
    after: float | None
    change: float | None
    sessions: int
    completed: int = 0  # of `sessions`, those completed (what adherence counts)


def daily_pain(user: User, start: date | None = None, end: date | None = None) -> list[DailyPain]:
    rows = (
        sessions_between(user, start, end)
        .order_by()
        .values("local_date")
        .annotate(
            before=Avg("pain_before"),
            after=Avg("pain_after"),
            change=Avg(F("pain_after") - F("pain_before")),
            n=Count("pk"),
            completed=Count("pk", filter=Q(status__in=ADHERENCE_STATUSES)),
        )
        .order_by("local_date")
        .values_list("local_date", "before", "after", "change", "n", "completed")
    )
    return [DailyPain(d, _float(b), _float(a), _float(c), n, done) for d, b, a, c, n, done in rows]


def rolling_mean(values: list[tuple[date, float | None]], window: int = WINDOW_DAYS) -> list[tuple[date, float | None]]:
    """Trailing calendar-window mean: for each dated value, the mean of the values dated within the last `window`
    calendar days (inclusive). Each day counts once, whatever its number of sessions."""
    dated = [(d, d.toordinal(), v) for d, v in values]
    out: list[tuple[date, float | None]] = []
    lo = 0
    total = 0.0
    count = 0
    for day, ordinal, value in dated:
        if value is not None:
            total += value
            count += 1
        while dated[lo][1] <= ordinal - window:
            dropped = dated[lo][2]
            if dropped is not None:
                total -= dropped
                count -= 1
            lo += 1
        out.append((day, total / count if count else None))
    return out


def last_days_pain(user: User, days: int = WINDOW_DAYS, today: date | None = None) -> list[DailyPain]:
    """The last `days` local days up to today, one entry each (empty days have None and 0 sessions)."""
    today = today or user.profile.local_date()
    first = today - timedelta(days=days - 1)
    found = {d.date: d for d in daily_pain(user, first, today)}
    return [
        found.get(first + timedelta(days=i), DailyPain(first + timedelta(days=i), None, None, None, 0))
        for i in range(days)
    ]


@dataclass(frozen=True)
class PeriodSummary:
    sessions: int
    completed: int
    days: int
    first_day: date | None
    last_day: date | None
    mean_leg_pain_before: float | None
    leg_pain_before_n: int
    mean_leg_pain_after: float | None
    leg_pain_after_n: int
    red_flags: int
    releases: int
    tender_n: int
    tender_yes: int
    adverse: int = 0  # adverse responses: releases with a pressure above 7 or stopped early because it hurt

    @property
    def tender_share(self) -> float | None:
        return self.tender_yes / self.tender_n if self.tender_n else None


def period_summary(user: User, start: date | None = None, end: date | None = None) -> PeriodSummary:
    s = (
        sessions_between(user, start, end)
        .order_by()
        .aggregate(
            sessions=Count("pk"),
            completed=Count("pk", filter=Q(status__in=ADHERENCE_STATUSES)),
            days=Count("local_date", distinct=True),
            first_day=Min("local_date"),
            last_day=Max("local_date"),
            mean_leg_pain_before=Avg("pain_before"),
            leg_pain_before_n=Count("pain_before"),
            mean_leg_pain_after=Avg("pain_after"),
            leg_pain_after_n=Count("pain_after"),
            red_flags=Count("pk", filter=Q(safety_check=SafetyAnswer.YES)),
        )
    )
    r = (
        _releases(user, start, end)
        .order_by()
        .aggregate(
            releases=Count("pk"),
            tender_n=Count("tender"),
            tender_yes=Count("pk", filter=Q(tender=True)),
            adverse=Count("pk", filter=ADVERSE_RELEASE),
        )
    )
    return PeriodSummary(
        sessions=s["sessions"],
        completed=s["completed"],
        days=s["days"],
        first_day=s["first_day"],
        last_day=s["last_day"],
        mean_leg_pain_before=_float(s["mean_leg_pain_before"]),
        leg_pain_before_n=s["leg_pain_before_n"],
        mean_leg_pain_after=_float(s["mean_leg_pain_after"]),
        leg_pain_after_n=s["leg_pain_after_n"],
        red_flags=s["red_flags"],
        **r,
    )


# Per point and side ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ReleaseFigures:
    """Counts and means over some releases; each mean comes with its own n (the releases that answered)."""

    releases: int
    tender_n: int
    tender_yes: int
    mean_pressure: float | None
    pressure_n: int
    mean_pain_after_hold: float | None
    pain_after_hold_n: int
    adverse: int = 0  # adverse responses: a pressure above 7 or stopped early because it hurt
    # Pressures above the light pressure (3) that blood thinners or a bleeding disorder call for: adverse for those
    # whose health answers say so (the trends page shows it to them only; the shared report never does).
    above_light: int = 0

    @property
    def tender_share(self) -> float | None:
        """Share of releases with a tender answer that found a tender spot (0..1)."""
        return self.tender_yes / self.tender_n if self.tender_n else None

    @property
    def tender_percent(self) -> int | None:
        share = self.tender_share
        return None if share is None else int(round_shown(share * 100, "1"))


@dataclass(frozen=True, kw_only=True)
class PointSideRow(ReleaseFigures):
    point_id: int | None
    point_name: str
    side: str


SORT_KEYS = {
    "point": lambda r: (r.point_name.lower(), r.side),
    "releases": lambda r: (-r.releases, r.point_name.lower(), r.side),
    "tender": lambda r: (r.tender_share is None, -(r.tender_share or 0), r.point_name.lower(), r.side),
    "pressure": lambda r: (r.mean_pressure is None, -(r.mean_pressure or 0), r.point_name.lower(), r.side),
    "pain": lambda r: (r.mean_pain_after_hold is None, -(r.mean_pain_after_hold or 0), r.point_name.lower(), r.side),
}


def _release_aggregates() -> dict[str, Aggregate]:
    return {
        "releases": Count("pk"),
        "tender_n": Count("tender"),
        "tender_yes": Count("pk", filter=Q(tender=True)),
        "mean_pressure": Avg("pressure"),
        "pressure_n": Count("pressure"),
        "mean_pain_after_hold": Avg("pain_now"),
        "pain_after_hold_n": Count("pain_now"),
        "adverse": Count("pk", filter=ADVERSE_RELEASE),
        "above_light": Count("pk", filter=Q(pressure__gt=LIGHT_PRESSURE_LIMIT)),
    }


def point_side_stats(
    user: User, start: date | None = None, end: date | None = None, sort: str = "point"
) -> list[PointSideRow]:
    """One query. `sort` is one of SORT_KEYS ("point", "releases", "tender", "pressure", "pain"); the numeric
    sorts put the highest first and rows without the figure last."""
    rows = (
        _releases(user, start, end)
        .order_by()
        .values("point_id", "side")
        .annotate(point_name=Max("point_name"), **_release_aggregates())
    )
    # Avg over integers is already a float. (cast: the annotations from **_release_aggregates() are not typed.)
    result = [PointSideRow(**cast(dict[str, Any], row)) for row in rows]
    return sorted(result, key=SORT_KEYS.get(sort, SORT_KEYS["point"]))


@dataclass(frozen=True, kw_only=True)
class SideRow(ReleaseFigures):
    side: str


def sides_from_points(rows: list[PointSideRow]) -> list[SideRow]:
    """Left, then right (both always present), from `point_side_stats` rows already fetched (no query): counts add
    up, and each mean is re-weighted by its own n, so it equals the mean over all that side's releases."""
    out = []
    for side in ("left", "right"):
        mine = [r for r in rows if r.side == side]
        pressure_n = sum(r.pressure_n for r in mine)
        pain_n = sum(r.pain_after_hold_n for r in mine)
        out.append(
            SideRow(
                side=side,
                releases=sum(r.releases for r in mine),
                tender_n=sum(r.tender_n for r in mine),
                tender_yes=sum(r.tender_yes for r in mine),
                mean_pressure=sum((r.mean_pressure or 0.0) * r.pressure_n for r in mine if r.pressure_n) / pressure_n
                if pressure_n
                else None,
                pressure_n=pressure_n,
                mean_pain_after_hold=sum(
                    (r.mean_pain_after_hold or 0.0) * r.pain_after_hold_n for r in mine if r.pain_after_hold_n
                )
                / pain_n
                if pain_n
                else None,
                pain_after_hold_n=pain_n,
                adverse=sum(r.adverse for r in mine),
                above_light=sum(r.above_light for r in mine),
            )
        )
    return out


def tender_shares(rows: list[PointSideRow]) -> dict[tuple[int, str], float]:
    """(point_id, side) -> share of releases that found a tender spot, for `{% body_map values=... %}`, from
    `point_side_stats` rows already fetched."""
    return {(r.point_id, r.side): r.tender_share for r in rows if r.point_id is not None and r.tender_share is not None}


# Adherence -------------------------------------------------------------------------------------------------------


def streaks(dates: Iterable[date], today: date) -> tuple[int, int]:
    """(current, longest) runs of consecutive local dates. The current streak ends today, or yesterday while
    today has no session yet (the streak is still alive); otherwise it is 0."""
    days = sorted(set(dates))
    longest = run = 0
    previous = None
    for day in days:
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        longest = max(longest, run)
        previous = day
    day_set = set(days)
    cursor = today if today in day_set else today - timedelta(days=1)
    current = 0
    while cursor in day_set:
        current += 1
        cursor -= timedelta(days=1)
    return current, longest


@dataclass(frozen=True)
class Adherence:
    start: date | None
    end: date
    days: dict[date, int]  # local date -> completed sessions, in the range
    current_streak: int | None  # None when not asked for (with_streaks=False)
    longest_streak: int | None
    weeks: list[tuple[date, int]]  # Monday of each week in the range -> sessions

    @property
    def sessions(self) -> int:
        return sum(self.days.values())

    @property
    def active_days(self) -> int:
        return len(self.days)

    @property
    def weeks_with_sessions(self) -> int:
        return sum(1 for _, n in self.weeks if n)

    def per_period(self, period: str) -> list[tuple[date, int]]:
        """Sessions per week (`weeks`) or per calendar month, every month of the range listed."""
        if period != "month":
            return self.weeks
        return count_per_period(self.days, self.start or next(iter(self.days), self.end), self.end, "month")


# The day number of a date, so that consecutive days differ by 1 (gaps and islands in SQL).
_DAY_NUMBER = {
    "sqlite": "CAST(julianday({}) AS INTEGER)",
    "postgresql": "({}::date - DATE '2000-01-01')",
}


def streaks_in_sql(user: User, today: date) -> tuple[int, int]:
    """(current, longest) as `streaks` computes them, but in the database: one row comes back, however long the
    history, so the dashboard's cost does not grow with the years of a journal (counting in Python needs every active
    day's row)."""
    day = _DAY_NUMBER.get(connection.vendor)
    if day is None:  # another database: the plain way
        dates = Session.objects.for_user(user).filter(status__in=ADHERENCE_STATUSES).order_by()
        return streaks(dates.values_list("local_date", flat=True).distinct(), today)
    statuses = ", ".join(["%s"] * len(ADHERENCE_STATUSES))
    given = day.format("%s")
    # The days of the run that holds a given day, counted up to that day (NULL when no run holds it).
    run_up_to = f"MAX(CASE WHEN first_day <= {given} AND last_day >= {given} THEN {given} - first_day + 1 END)"

    sql = f"""
        WITH days AS (
            SELECT DISTINCT {day.format("local_date")} AS d FROM journal_session
            WHERE user_id = %s AND status IN ({statuses})
        ), islands AS (
            SELECT d, d - ROW_NUMBER() OVER (ORDER BY d) AS island FROM days
        ), runs AS (
            SELECT MIN(d) AS first_day, MAX(d) AS last_day, COUNT(*) AS length FROM islands GROUP BY island
        )
        SELECT MAX(length), {run_up_to}, {run_up_to} FROM runs
    """  # noqa: S608 - only our own fragments are formatted in; every value is a parameter
    yesterday = today - timedelta(days=1)
    params: list[Any] = [user.pk, *ADHERENCE_STATUSES, today, today, today, yesterday, yesterday, yesterday]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        longest, to_today, to_yesterday = cursor.fetchone()
    current = to_today if to_today is not None else (to_yesterday or 0)
    return int(current), int(longest or 0)


CURRENT_STREAK_WINDOW = 400  # days read back from today before falling back to the whole history


def current_streak(user: User, today: date) -> int:
    """The current streak alone, as `streaks` counts it, reading only the last CURRENT_STREAK_WINDOW days: its
    cost does not grow with the length of the history (the dashboard needs no longest streak). A streak longer
    than the window falls back to the whole-history query."""
    since = today - timedelta(days=CURRENT_STREAK_WINDOW)
    dates = (
        Session.objects.for_user(user)
        .filter(status__in=ADHERENCE_STATUSES, local_date__gte=since, local_date__lte=today)
        .order_by()
        .values_list("local_date", flat=True)
        .distinct()
    )
    current, _ = streaks(dates, today)
    if current >= CURRENT_STREAK_WINDOW - 1:
        current, _ = streaks_in_sql(user, today)
    return current


def adherence(
    user: User,
    start: date | None = None,
    end: date | None = None,
    today: date | None = None,
    daily: list[DailyPain] | None = None,
    with_streaks: bool = True,
) -> Adherence:
    """Completed sessions per local day. Streaks are over the whole history (the longest ever, the current one as
    of `today`), computed in the database; days and weeks are for [start, end]. Two queries (plus the profile when
    `today` is not given), one less when `daily` passes the `daily_pain` rows of the range already fetched (each
    carries its day's completed sessions), and one less without streaks (`with_streaks=False`: the report)."""
    today = today or user.profile.local_date()
    end = end or today
    if daily is not None:
        in_range = {
            d.date: d.completed for d in daily if d.completed and (start is None or d.date >= start) and d.date <= end
        }
    else:
        in_range_sessions = sessions_between(user, start, end).filter(status__in=ADHERENCE_STATUSES)
        in_range = dict(
            in_range_sessions.order_by().values("local_date").annotate(n=Count("pk")).values_list("local_date", "n")
        )
    if not with_streaks:
        current = longest = None
    elif daily is not None and start is None and end >= today:
        current, longest = streaks(in_range, today)  # the days at hand are the whole history: no query
    else:
        current, longest = streaks_in_sql(user, today)
    first = start or (min(in_range) if in_range else end)
    return Adherence(
        start=start,
        end=end,
        days=dict(sorted(in_range.items())),
        current_streak=current,
        longest_streak=longest,
        weeks=count_per_period(in_range, first, end, "week"),
    )


@dataclass(frozen=True)
class HeatCell:
    date: date
    count: int
    level: int  # 0 none, 1 one session, 2 two, 3 three or more
    in_range: bool


def calendar_heatmap(counts: dict[date, int], start: date, end: date) -> list[list[HeatCell]]:
    """Weeks (columns, Monday first) of 7 cells covering [start, end] from {date: sessions} (`Adherence.days`).
    Cells outside the range have in_range False and count 0."""
    weeks = []
    monday = week_start(start)
    while monday <= end:
        week = []
        for i in range(7):
            d = monday + timedelta(days=i)
            inside = start <= d <= end
            n = counts.get(d, 0) if inside else 0
            week.append(HeatCell(d, n, min(n, 3), inside))
        weeks.append(week)
        monday += timedelta(days=7)
    return weeks
