"""Journal statistics: every figure the dashboard, the trends page, the exports and the share page show.

All aggregation happens in SQL, grouped by `Session.local_date` (the user's own calendar date when the session
started, so days, weeks and streaks follow the user's time zone and survive daylight-saving changes). Python only
walks the per-day rows the database returns (at most one per day), never the releases.

Dates are `datetime.date` in the user's local calendar; `start` / `end` are inclusive and either may be None
(unbounded). Every function takes the user first and only ever reads that user's rows.

Stable API (add, don't rename):

- `daily_pain(user, start=None, end=None) -> list[DailyPain]`
    Per local date with at least one session: mean pain before, mean pain after, mean change within a session
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
    Per point and side: releases, share of times tender, mean pressure, mean pain after, each with its own n.
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
tender spot. "Pain after" and the change within a session are shown alongside but never judged.

Which sessions count for adherence and streaks: completed sessions (`SessionStatus.COMPLETED`). Pain figures use
every session that has the figure, whatever its status.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import groupby
from typing import NamedTuple

from django.db import connection
from django.db.models import Avg, Count, F, Max, Min, Q

from journal.models import ADVERSE_RELEASE, Release, SafetyAnswer, Session, SessionStatus

WINDOW_DAYS = 7
MIN_WINDOW_DAYS = 3
# Farrar et al., Pain 2001;94:149-58: about 2 points or about 30% on the 0-10 scale is the drop that people in drug
# trials with at least moderate pain called "much improved" (not derived for increases).
MEANINGFUL_POINTS = Decimal("2.0")
MEANINGFUL_PERCENT = Decimal("30")
# IMMPACT (Dworkin et al., J Pain 2008): 10-20% "minimally important", >= 30% moderate, >= 50% substantial.
IMMPACT_MINIMAL = Decimal("10")
# A change gets a label only when each window has at least this many days with a score, the baseline mean is at
# least LABEL_MIN_BASELINE, the change is at least LABEL_MIN_POINTS either way, and the baseline was not picked by
# the user (picking a bad week makes any later week look better).
LABEL_MIN_DAYS = 7
LABEL_MIN_BASELINE = Decimal("3")
LABEL_MIN_POINTS = Decimal("1.0")
# After this long with scores and no meaningful drop, a calm prompt suggests a review with a physiotherapist or doctor.
REVIEW_AFTER_DAYS = 42
IMMPACT_MODERATE = Decimal("30")
IMMPACT_SUBSTANTIAL = Decimal("50")
ADHERENCE_STATUSES = (SessionStatus.COMPLETED,)


def _sessions(user, start: date | None = None, end: date | None = None):
    return Session.objects.for_user(user).between(start, end)


def _releases(user, start: date | None = None, end: date | None = None):
    return Release.objects.for_user(user).done().between(start, end)


def _float(value) -> float | None:
    return None if value is None else float(value)


def _round(value: float | Decimal | None, places: str = "0.1") -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def _mean(values) -> float | None:
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


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


def daily_pain(user, start: date | None = None, end: date | None = None) -> list[DailyPain]:
    rows = (
        _sessions(user, start, end)
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


def rolling_mean(values, window: int = WINDOW_DAYS) -> list[tuple[date, float | None]]:
    """Trailing calendar-window mean: for each dated value, the mean of the values dated within the last `window`
    calendar days (inclusive). Each day counts once, whatever its number of sessions."""
    values = [(d, d.toordinal(), v) for d, v in values]
    out: list[tuple[date, float | None]] = []
    lo = 0
    total = 0.0
    count = 0
    for day, ordinal, value in values:
        if value is not None:
            total += value
            count += 1
        while values[lo][1] <= ordinal - window:
            if values[lo][2] is not None:
                total -= values[lo][2]
                count -= 1
            lo += 1
        out.append((day, total / count if count else None))
    return out


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
    user, start: date | None = None, end: date | None = None, baseline=None, today=None, *, strict: bool = False
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
                _mean([d.before for d in members]),
                _mean([d.after for d in members]),
                _mean([d.change for d in members]),
                sum(d.sessions for d in members),
                sum(d.completed for d in members),
            )
        )
        sampled.append((first, rolling.get(members[-1].date)))
    return replace(trend, days=days, rolling=sampled, period=period)


def last_days_pain(user, days: int = WINDOW_DAYS, today: date | None = None) -> list[DailyPain]:
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
    mean_pain_before: float | None
    pain_before_n: int
    mean_pain_after: float | None
    pain_after_n: int
    red_flags: int
    releases: int
    tender_n: int
    tender_yes: int
    adverse: int = 0  # adverse responses: releases with a pressure above 7 or stopped early because it hurt

    @property
    def tender_share(self) -> float | None:
        return self.tender_yes / self.tender_n if self.tender_n else None


def period_summary(user, start: date | None = None, end: date | None = None) -> PeriodSummary:
    s = (
        _sessions(user, start, end)
        .order_by()
        .aggregate(
            sessions=Count("pk"),
            completed=Count("pk", filter=Q(status__in=ADHERENCE_STATUSES)),
            days=Count("local_date", distinct=True),
            first_day=Min("local_date"),
            last_day=Max("local_date"),
            mean_pain_before=Avg("pain_before"),
            pain_before_n=Count("pain_before"),
            mean_pain_after=Avg("pain_after"),
            pain_after_n=Count("pain_after"),
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
        mean_pain_before=_float(s["mean_pain_before"]),
        pain_before_n=s["pain_before_n"],
        mean_pain_after=_float(s["mean_pain_after"]),
        pain_after_n=s["pain_after_n"],
        red_flags=s["red_flags"],
        **r,
    )


# Meaningful change -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """The recent window against the baseline window, on the daily mean of leg pain before sessions.

    `points` = recent mean - baseline mean (negative = less pain), `percent` = points / baseline mean * 100,
    both from the means rounded as displayed (0.1 point; `baseline_shown`, `recent_shown`), so the shown numbers
    subtract to the shown difference; the percent is rounded to a whole number. Labels are decided on the rounded
    figures so the words always match the numbers. `shown` (the numbers may be shown) is True only when both
    windows have at least 3 days with data and no red flag was reported from the start of the recent window on;
    `red_flag` says the safety advice must show instead. `label` is "" unless `labelled` (see LABEL_MIN_*);
    `no_label_reason` then says why.
    `first_scored` is the baseline's first day with a score (the first in the range read, or in the whole history
    when `range_start` is None and no baseline was chosen), `as_of` the user's today: `suggest_review` reads them.
    """

    baseline_mean: float | None = None
    baseline_days: int = 0
    baseline_start: date | None = None
    baseline_end: date | None = None
    baseline_chosen: bool = False
    recent_mean: float | None = None
    recent_days: int = 0
    recent_start: date | None = None
    recent_end: date | None = None
    points: Decimal | None = None
    percent: Decimal | None = None
    red_flag: bool = False
    reason: str = ""
    labels: dict = field(default_factory=dict)
    range_start: date | None = None
    first_scored: date | None = None
    as_of: date | None = None

    @property
    def enough_data(self) -> bool:
        return self.baseline_days >= MIN_WINDOW_DAYS and self.recent_days >= MIN_WINDOW_DAYS

    @property
    def shown(self) -> bool:
        return self.enough_data and not self.red_flag

    @property
    def baseline_is_first_days(self) -> bool:
        """Whether the baseline is the user's very first days with a score (not a chosen period, not the start of
        a later range): only then may the page call it "your first days with a score"."""
        return not self.baseline_chosen and self.range_start is None

    @property
    def baseline_shown(self) -> Decimal | None:
        """The baseline mean as displayed (0.1 point); `points` is `recent_shown - baseline_shown`."""
        return _round(self.baseline_mean)

    @property
    def recent_shown(self) -> Decimal | None:
        return _round(self.recent_mean)

    @property
    def points_abs(self) -> Decimal | None:
        return None if self.points is None else abs(self.points)

    @property
    def percent_abs(self) -> Decimal | None:
        return None if self.percent is None else abs(self.percent)

    @property
    def direction(self) -> str:
        """ "lower", "higher" or "same" (recent against baseline)."""
        if self.points is None or self.points == 0:
            return "same"
        return "lower" if self.points < 0 else "higher"

    @property
    def meaningful(self) -> bool:
        """About 2 points or about 30% either way (Farrar 2001)."""
        if self.points is None:
            return False
        return abs(self.points) >= MEANINGFUL_POINTS or (
            self.percent is not None and abs(self.percent) >= MEANINGFUL_PERCENT
        )

    @property
    def meaningful_drop(self) -> bool:
        """A drop of about the size people in drug trials called "much improved" (Farrar's figure is for drops)."""
        return self.direction == "lower" and self.meaningful

    @property
    def band(self) -> str:
        """IMMPACT size of the change in percent: "none" (< 10%), "minimal", "moderate", "substantial"."""
        if self.percent is None:
            return "none" if not self.meaningful else "unknown"
        size = abs(self.percent)
        if size >= IMMPACT_SUBSTANTIAL:
            return "substantial"
        if size >= IMMPACT_MODERATE:
            return "moderate"
        if size >= IMMPACT_MINIMAL:
            return "minimal"
        return "none"

    @property
    def no_label_reason(self) -> str:
        """Why a comparison with numbers carries no label ("" when it has one or has no numbers)."""
        if self.points is None:
            return ""
        if self.baseline_chosen:
            return (
                "You chose the baseline period, so Tenderspot puts no label on this change. Choosing a bad week as "
                "the baseline makes any later week look better."
            )
        if self.baseline_days < LABEL_MIN_DAYS or self.recent_days < LABEL_MIN_DAYS:
            return (
                f"No label yet: each period needs at least {LABEL_MIN_DAYS} days with a score "
                f"(baseline: {self.baseline_days}, recent: {self.recent_days})."
            )
        if self.baseline_mean is None or _round(self.baseline_mean) < LABEL_MIN_BASELINE:
            return (
                "No label: the baseline average is under 3 out of 10, and at such low scores small moves are "
                "mostly everyday ups and downs."
            )
        if abs(self.points) < LABEL_MIN_POINTS:
            return "No label: the change is under 1 point, within everyday ups and downs."
        return ""

    @property
    def labelled(self) -> bool:
        return self.points is not None and not self.no_label_reason

    @property
    def label(self) -> str:
        """A short label, e.g. "Leg pain lower by an amount IMMPACT calls moderate", or "" (see `labelled`)."""
        if not self.labelled:
            return ""
        if self.direction == "higher":
            return "Leg pain higher than in the baseline"
        words = {
            "substantial": "substantial",
            "moderate": "moderate",
            "minimal": "minimally important",
        }
        if self.band not in words:
            return "Little or no change"
        return f"Leg pain lower by an amount IMMPACT calls {words[self.band]}"

    @property
    def farrar_note(self) -> str:
        """Farrar's figure, for a labelled drop of that size ("" otherwise)."""
        if not (self.labelled and self.meaningful_drop):
            return ""
        return (
            "A drop of about 2 points or 30% is the size that people in drug trials called \u201cmuch improved\u201d "
            "(Farrar and colleagues, 2001)."
        )

    @property
    def suggest_review(self) -> bool:
        """After REVIEW_AFTER_DAYS days with scores, without at least a meaningful drop: suggest a review."""
        if self.red_flag or self.first_scored is None or self.as_of is None:
            return False
        return (self.as_of - self.first_scored).days >= REVIEW_AFTER_DAYS and not self.meaningful_drop


def _window_means(qs, newest_first: bool, limit: int | None) -> list[tuple[date, float]]:
    order = "-local_date" if newest_first else "local_date"
    rows = (
        qs.filter(pain_before__isnull=False)
        .order_by()
        .values("local_date")
        .annotate(m=Avg("pain_before"))
        .order_by(order)[:limit]
    )
    return [(r["local_date"], float(r["m"])) for r in rows]


def meaningful_change(
    user,
    baseline: tuple[date, date] | None = None,
    *,
    start: date | None = None,
    end: date | None = None,
    today: date | None = None,
    daily: list[DailyPain] | None = None,
    strict: bool = False,
) -> Change:
    """Compares the mean of the last 7 days with data (up to `end`) against a baseline.

    The baseline is the user's period `baseline=(from, to)` (every day with data in it) or, by default, the first
    7 days with data on or after `start`. The recent window is the last 7 days with data after the baseline ends,
    so the two windows never overlap. Each day counts once (the mean of the daily means). Three queries; one
    when `daily` (the `daily_pain` rows of [start, end]) holds both windows. The red flag looks at the recent
    window (or the last 7 days up to `end` or today); `strict=True` keeps that look inside [start, end].
    """
    today = today or user.profile.local_date()
    chosen = baseline is not None
    b_from, b_to = baseline if chosen else (start, None)
    if daily is not None and (start is None or (b_from is not None and b_from >= start)):
        scored = [(d.date, d.before) for d in daily if d.before is not None and (start is None or d.date >= start)]
        base = [(d, v) for d, v in scored if (b_from is None or d >= b_from) and (b_to is None or d <= b_to)]
        base = base if chosen else base[:WINDOW_DAYS]
        after = b_to if chosen else (base[-1][0] if base else None)
        recent = [(d, v) for d, v in scored if after and d > after][-WINDOW_DAYS:]
    else:
        qs = _sessions(user, None, end)
        base = _window_means(qs.between(b_from, b_to), newest_first=False, limit=None if chosen else WINDOW_DAYS)
        after = b_to if chosen else (base[-1][0] if base else None)
        recent_qs = qs.filter(local_date__gt=after) if after else qs.none()
        recent = list(reversed(_window_means(recent_qs, newest_first=True, limit=WINDOW_DAYS)))
    b_end = base[-1][0] if base else None
    # Without a chosen baseline, this is the first day with a score on or after `start`.
    first_scored = base[0][0] if base else None

    flag_from = recent[0][0] if recent else (end or today) - timedelta(days=WINDOW_DAYS - 1)
    flag_to = end if end and end < today else None
    if strict:
        flag_from = max(flag_from, start) if start else flag_from
        flag_to = end
    red_flag = Session.objects.for_user(user).red_flagged().between(flag_from, flag_to).exists()

    b_mean = _mean(v for _, v in base)
    r_mean = _mean(v for _, v in recent)
    fields = {
        "baseline_mean": b_mean,
        "baseline_days": len(base),
        "baseline_start": b_from if chosen else (base[0][0] if base else None),
        "baseline_end": b_to if chosen else b_end,
        "baseline_chosen": chosen,
        "recent_mean": r_mean,
        "recent_days": len(recent),
        "recent_start": recent[0][0] if recent else None,
        "recent_end": recent[-1][0] if recent else None,
        "red_flag": red_flag,
        "range_start": start,
        "first_scored": first_scored,
        "as_of": today,
    }
    if len(base) < MIN_WINDOW_DAYS or len(recent) < MIN_WINDOW_DAYS:
        need = "the baseline period" if len(base) < MIN_WINDOW_DAYS else "the days after the baseline"
        fields["reason"] = (
            f"A comparison needs at least {MIN_WINDOW_DAYS} days with a pain score in {need} "
            f"(baseline: {len(base)}, recent: {len(recent)})."
        )
        return Change(**fields)
    # From the means as displayed (0.1 point): the difference shown must be what the shown numbers subtract to
    # (6.44 and 4.66 show as 6.4 and 4.7: a change of -1.7, not the -1.8 of the unrounded means).
    b_shown, r_shown = _round(b_mean), _round(r_mean)
    points = r_shown - b_shown
    percent = _round(points / b_shown * 100, "1") if b_shown else None
    return Change(points=points, percent=percent, **fields)


# Per point and side ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ReleaseFigures:
    """Counts and means over some releases; each mean comes with its own n (the releases that answered)."""

    releases: int
    tender_n: int
    tender_yes: int
    mean_pressure: float | None
    pressure_n: int
    mean_pain_after: float | None
    pain_after_n: int
    adverse: int = 0  # adverse responses: a pressure above 7 or stopped early because it hurt

    @property
    def tender_share(self) -> float | None:
        """Share of releases with a tender answer that found a tender spot (0..1)."""
        return self.tender_yes / self.tender_n if self.tender_n else None

    @property
    def tender_percent(self) -> int | None:
        share = self.tender_share
        return None if share is None else int(_round(share * 100, "1"))


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
    "pain": lambda r: (r.mean_pain_after is None, -(r.mean_pain_after or 0), r.point_name.lower(), r.side),
}


def _release_aggregates():
    return {
        "releases": Count("pk"),
        "tender_n": Count("tender"),
        "tender_yes": Count("pk", filter=Q(tender=True)),
        "mean_pressure": Avg("pressure"),
        "pressure_n": Count("pressure"),
        "mean_pain_after": Avg("pain_now"),
        "pain_after_n": Count("pain_now"),
        "adverse": Count("pk", filter=ADVERSE_RELEASE),
    }


def point_side_stats(
    user, start: date | None = None, end: date | None = None, sort: str = "point"
) -> list[PointSideRow]:
    """One query. `sort` is one of SORT_KEYS ("point", "releases", "tender", "pressure", "pain"); the numeric
    sorts put the highest first and rows without the figure last."""
    rows = (
        _releases(user, start, end)
        .order_by()
        .values("point_id", "side")
        .annotate(point_name=Max("point_name"), **_release_aggregates())
    )
    result = [PointSideRow(**r) for r in rows]  # Avg over integers is already a float
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
        pain_n = sum(r.pain_after_n for r in mine)
        out.append(
            SideRow(
                side=side,
                releases=sum(r.releases for r in mine),
                tender_n=sum(r.tender_n for r in mine),
                tender_yes=sum(r.tender_yes for r in mine),
                mean_pressure=sum(r.mean_pressure * r.pressure_n for r in mine if r.pressure_n) / pressure_n
                if pressure_n
                else None,
                pressure_n=pressure_n,
                mean_pain_after=sum(r.mean_pain_after * r.pain_after_n for r in mine if r.pain_after_n) / pain_n
                if pain_n
                else None,
                pain_after_n=pain_n,
                adverse=sum(r.adverse for r in mine),
            )
        )
    return out


def tender_shares(rows: list[PointSideRow]) -> dict[tuple[int, str], float]:
    """(point_id, side) -> share of releases that found a tender spot, for `{% body_map values=... %}`, from
    `point_side_stats` rows already fetched."""
    return {(r.point_id, r.side): r.tender_share for r in rows if r.point_id is not None and r.tender_share is not None}


# Adherence -------------------------------------------------------------------------------------------------------


def streaks(dates, today: date) -> tuple[int, int]:
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


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


# Weeks (Monday-based) and months as consecutive numbers, and back: ten years of days are grouped by these, which
# is several times cheaper than building a date for each day. Ordinal 1, 1 January 0001, is a Monday.
PERIOD_NUMBERS = {
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


def streaks_in_sql(user, today: date) -> tuple[int, int]:
    """(current, longest) as `streaks` computes them, but in the database: one row comes back, however long the
    history (a ten-year journal fetched ~2,600 day rows per page for the two numbers before)."""
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
    params = [user.pk, *ADHERENCE_STATUSES, today, today, today, yesterday, yesterday, yesterday]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        longest, to_today, to_yesterday = cursor.fetchone()
    current = to_today if to_today is not None else (to_yesterday or 0)
    return int(current), int(longest or 0)


CURRENT_STREAK_WINDOW = 400  # days read back from today before falling back to the whole history


def current_streak(user, today: date) -> int:
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
    user,
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
        in_range_sessions = _sessions(user, start, end).filter(status__in=ADHERENCE_STATUSES)
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
