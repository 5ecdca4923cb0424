"""The practitioner report shared by the PDF and the share page: a one-minute summary, then the detailed log.

Everything is computed in SQL over the user's sessions in the range. The figures that belong to the trends
feature (baseline against recent with the meaningful-change label, the daily pain series and its chart) are in
the FALLBACK section at the bottom, used until journal/stats.py and journal/charts.py land from feature/history;
switch `trend_figures` and `pain_chart` over to those modules then and delete the fallback.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Avg, Count, Max, Min, Q
from django.utils import timezone

from journal.exporters.daterange import DateRange
from journal.models import Release, Session, SessionStatus

DETAIL_LIMIT = 120  # sessions in the detailed log (newest first); older ones are counted, not listed
NOTES_LIMIT = 6


def report_context(user, date_range: DateRange) -> dict[str, Any]:
    sessions = Session.objects.for_user(user).between(date_range.start, date_range.end)
    totals = sessions.aggregate(
        count=Count("pk"),
        completed=Count("pk", filter=Q(status=SessionStatus.COMPLETED)),
        days=Count("local_date", distinct=True),
        first=Min("local_date"),
        last=Max("local_date"),
    )
    start = date_range.start or totals["first"]
    end = date_range.end or totals["last"]
    period_days = (end - start).days + 1 if start and end else 0
    adherence = round(100 * totals["days"] / period_days) if period_days else None

    releases = Release.objects.filter(session__in=sessions)
    tender_points = list(
        releases.filter(tender=True)
        .values("point_name", "side")
        .annotate(times=Count("pk"), avg_pressure=Avg("pressure"))
        .order_by("-times", "point_name", "side")[:5]
    )
    release_totals = releases.aggregate(
        done=Count("pk", filter=Q(skipped=False)),
        tender=Count("pk", filter=Q(tender=True)),
        stopped_early=Count("pk", filter=Q(stopped_early=True)),
    )
    red_flags = list(sessions.red_flagged().order_by("started_at").values_list("local_date", flat=True))
    notable = list(
        sessions.exclude(notes="").order_by("-started_at").values("local_date", "routine_name", "notes")[:NOTES_LIMIT]
    )
    detail = list(sessions.order_by("-started_at", "-pk").prefetch_related("releases")[:DETAIL_LIMIT])
    daily = daily_pain(sessions)
    return {
        "owner_name": user.get_username(),
        "range": date_range,
        "period_start": start,
        "period_end": end,
        "period_days": period_days,
        "generated_at": timezone.localtime(timezone.now(), user.profile.zone),
        "time_zone": user.profile.time_zone,
        "totals": totals,
        "adherence": adherence,
        "release_totals": release_totals,
        "tender_points": tender_points,
        "red_flags": red_flags,
        "notable_notes": notable,
        "detail": detail,
        "detail_hidden": max(totals["count"] - len(detail), 0),
        "trend": trend_figures(daily, red_flags),
        "chart": pain_chart(daily),
    }


# FALLBACK until journal/stats.py and journal/charts.py (feature/history) are merged --------------------------

BASELINE_DAYS = 14
RECENT_DAYS = 14
MIN_SESSIONS_PER_WINDOW = 3


def daily_pain(sessions) -> list[tuple[date, float]]:
    """Mean pain before a session, per local day, oldest first (SQL GROUP BY local_date)."""
    rows = (
        sessions.filter(pain_before__isnull=False)
        .values("local_date")
        .annotate(avg=Avg("pain_before"), n=Count("pk"))
        .order_by("local_date")
    )
    return [(row["local_date"], float(row["avg"])) for row in rows]


@dataclass(frozen=True)
class Trend:
    baseline: float | None
    recent: float | None
    change: float | None
    percent: float | None
    label: str
    detail: str


def trend_figures(daily: list[tuple[date, float]], red_flag_days: list[date]) -> Trend:
    """Baseline (first 14 days with scores) against recent (last 14 days), labelled by the clinical rule of thumb:
    a change of about 2 points or 30% is meaningful (Farrar et al. 2001). Never about one session."""
    if not daily:
        return Trend(None, None, None, None, "Not enough scores to compare", "No pain scores in this period.")
    first, last = daily[0][0], daily[-1][0]
    baseline = [v for d, v in daily if d < first + timedelta(days=BASELINE_DAYS)]
    recent = [v for d, v in daily if d > last - timedelta(days=RECENT_DAYS)]
    if (last - first).days < BASELINE_DAYS + RECENT_DAYS - 1 or min(len(baseline), len(recent)) < (
        MIN_SESSIONS_PER_WINDOW
    ):
        return Trend(
            None,
            None,
            None,
            None,
            "Not enough scores to compare",
            "A comparison needs at least 4 weeks with 3 or more scored days at each end.",
        )
    base = sum(baseline) / len(baseline)
    now = sum(recent) / len(recent)
    change = now - base
    percent = (100 * change / base) if base else None
    meaningful = abs(change) >= 2 or (percent is not None and abs(percent) >= 30)
    recent_red_flag = any(d > last - timedelta(days=RECENT_DAYS) for d in red_flag_days)
    if not meaningful:
        label = "No meaningful change"
    elif change > 0:
        label = "Meaningful increase in pain"
    elif recent_red_flag:
        label = "Lower scores, but a red flag was reported recently"
    else:
        label = "Meaningful decrease in pain"
    detail = (
        f"Mean pain before sessions: {base:.1f} in the first {BASELINE_DAYS} days, {now:.1f} in the last "
        f"{RECENT_DAYS} days. About 2 points or 30% is usually taken as a meaningful change; this log cannot "
        "say what caused it."
    )
    return Trend(
        round(base, 1), round(now, 1), round(change, 1), round(percent) if percent is not None else None, label, detail
    )


def pain_chart(daily: list[tuple[date, float]], width: int = 640, height: int = 200) -> dict[str, Any] | None:
    """Coordinates for an inline SVG line of daily pain (0-10) over the period."""
    if not daily:
        return None
    left, right, top, bottom = 36, 8, 10, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    first, last = daily[0][0], daily[-1][0]
    span = max((last - first).days, 1)

    def xy(day: date, value: float) -> tuple[float, float]:
        return (round(left + plot_w * (day - first).days / span, 1), round(top + plot_h * (1 - value / 10), 1))

    points = [xy(d, v) for d, v in daily]
    return {
        "width": width,
        "height": height,
        "left": left,
        "right_edge": width - right,
        "baseline_y": top + plot_h,
        "polyline": " ".join(f"{x},{y}" for x, y in points),
        "dots": points if len(points) <= 120 else [],
        "ticks": [{"value": v, "y": round(top + plot_h * (1 - v / 10), 1)} for v in (0, 2, 4, 6, 8, 10)],
        "first": first,
        "last": last,
        "label_y": height - 8,
        "description": f"Daily mean pain before sessions from {first.isoformat()} to {last.isoformat()}, "
        f"{len(daily)} days with scores; lowest {min(v for _d, v in daily):.1f}, "
        f"highest {max(v for _d, v in daily):.1f}.",
    }
