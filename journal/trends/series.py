"""The pain trend charts draw: the days of a range with the 7-day rolling mean of leg pain before and the
meaningful change, and the same regrouped by week or month for long ranges."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from itertools import groupby

from django.contrib.auth.models import User

from journal.trends.aggregates import WINDOW_DAYS, DailyPain, daily_pain, mean_of, rolling_mean
from journal.trends.meaningful import MIN_WINDOW_DAYS, Change, meaningful_change
from journal.trends.periods import PERIOD_NUMBERS


@dataclass(frozen=True)
class PainTrend:
    days: list[DailyPain]
    rolling: list[tuple[date, float | None]]
    baseline_mean: float | None
    change: Change
    # "day": one entry a local day; "week" or "month": one entry a Monday-based week or a month (`by_period`).
    period: str = "day"

    @property
    def has_data(self) -> bool:
        return any(d.before is not None or d.after is not None for d in self.days)

    @property
    def first_day(self) -> date | None:
        """The first day with any session, completed or not."""
        return self.days[0].date if self.days else None


def pain_trend(
    user: User,
    start: date | None = None,
    end: date | None = None,
    baseline: tuple[date, date] | None = None,
    today: date | None = None,
    *,
    strict: bool = False,
) -> PainTrend:
    """See the module's docstring. `strict=True` reads nothing outside [start, end] (a share link's range must not
    show what lies outside it): the rolling mean starts without its 6-day lead-in and the red-flag check of the
    meaningful change stays within the range."""
    lead_in = start - timedelta(days=WINDOW_DAYS - 1) if start and not strict else start
    all_days = daily_pain(user, lead_in, end)
    rolled = rolling_mean([(d.date, d.before) for d in all_days])
    days = [d for d in all_days if start is None or d.date >= start]
    rolling = [(d, v) for d, v in rolled if start is None or d >= start]
    change = meaningful_change(user, baseline, start=start, end=end, today=today, daily=days, strict=strict)
    # The reference line is drawn only for a baseline of at least 3 days with a score.
    baseline_mean = change.baseline_mean if change.baseline_days >= MIN_WINDOW_DAYS else None
    return PainTrend(days=days, rolling=rolling, baseline_mean=baseline_mean, change=change)


def by_period(trend: PainTrend, period: str) -> PainTrend:
    """The same trend with one entry a Monday-based week or a calendar month (`period`, as `chart_period` says;
    "day" returns the trend unchanged): the mean of the period's daily means (each day counts once, as
    everywhere), the sessions summed, and the 7-day rolling mean as it stood on the period's last day with data.
    The baseline and the meaningful change are unchanged (they are computed from days)."""
    if period == "day":
        return trend
    number, start_of = PERIOD_NUMBERS[period]
    rolling = dict(trend.rolling)
    days, sampled = [], []
    for period_number, group in groupby(trend.days, key=lambda day: number(day.date)):  # the days are in order
        members = list(group)
        first = start_of(period_number)
        days.append(
            DailyPain(
                first,
                mean_of([d.before for d in members]),
                mean_of([d.after for d in members]),
                mean_of([d.change for d in members]),
                sum(d.sessions for d in members),
                sum(d.completed for d in members),
            )
        )
        sampled.append((first, rolling.get(members[-1].date)))
    return replace(trend, days=days, rolling=sampled, period=period)
