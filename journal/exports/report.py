"""The practitioner report shared by the PDF and the share page: a one-minute summary, then the detailed log.

Trend figures, the meaningful-change label, adherence and the per-point figures come from journal/trends
(aggregates, meaningful, series), the pain chart from journal/trends/charts.py; this module only gathers them for
one user and range and adds what only the report needs (red-flag dates, notable notes, the detailed log).
Everything is SQL aggregates: the query count does not grow with the log.
"""

from collections import Counter
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from accounts.models import PrecautionProfile
from journal import redflags
from journal.lib.daterange import DateRange
from journal.models import Release, Session
from journal.redflags import RedFlagTier
from journal.trends import aggregates, charts, series

DETAIL_LIMIT = 120  # sessions in the detailed log (newest first); older ones are counted, not listed
NOTES_LIMIT = 3
RED_FLAG_DATES_SHOWN = 8
TENDER_ROWS = 5


def report_context(user, date_range: DateRange) -> dict[str, Any]:
    profile = user.profile
    sessions = Session.objects.for_user(user).between(date_range.start, date_range.end)
    totals = aggregates.period_summary(user, date_range.start, date_range.end)
    today = profile.local_date()
    start = date_range.start or totals.first_day
    latest = max(today, totals.last_day) if totals.last_day else None
    # Days still to come are not counted: a share link "for March" opened on the 10th has 10 days, not 31.
    end = min(date_range.end, latest or today) if date_range.end else latest
    period_days = (end - start).days + 1 if start and end and end >= start else 0

    # Strict: a report of a date range (a share link's above all) shows nothing from outside it.
    trend = series.pain_trend(user, date_range.start, date_range.end, today=today, strict=True)
    # The trend's days cover [start, end]: an open bound there is the first session or today here.
    adherence = (
        aggregates.adherence(user, start, end, today=today, daily=trend.days, with_streaks=False) if start else None
    )
    adherence_percent = round(100 * adherence.active_days / period_days) if adherence and period_days else None
    # Closed at `end` (no session is later): SQLite's planner takes an open-ended date range for most of the table
    # and reads every release instead of the period's.
    point_rows = aggregates.point_side_stats(user, date_range.start, end if date_range.start else date_range.end)
    tender_points = sorted(
        (row for row in point_rows if row.tender_yes),
        key=lambda row: (-row.tender_yes, row.point_name.lower(), row.side),
    )[:TENDER_ROWS]

    # Ordered by local date first, so that only the period's rows are read (ordered by start time alone, the
    # newest-first index is walked back through the whole history when the period has fewer rows than the limit).
    flag_rows = list(
        sessions.red_flagged()
        .order_by("local_date", "started_at")
        .values("pk", "local_date", "red_flag_tier", "red_flag_items", "red_flag_assessed_at")
    )
    red_flags = [
        {
            "pk": row["pk"],
            "local_date": row["local_date"],
            "tier": RedFlagTier(row["red_flag_tier"]).label if row["red_flag_tier"] else "",
            "items": redflags.as_text(row["red_flag_items"]),
            "assessed_at": row["red_flag_assessed_at"],
        }
        for row in flag_rows
    ]
    # How often each sign was reported in the period, in the order of the check: bounded by the list of signs, so
    # the summary stays on one page however many reports there are.
    counts = Counter(item for row in flag_rows for item in row["red_flag_items"])
    red_flag_items = [
        (label, counts[code]) for code, label in zip(redflags.ordered(counts), redflags.labels(counts), strict=True)
    ]
    notable = list(
        sessions.exclude(notes="")
        .order_by("-local_date", "-started_at")
        .values("local_date", "routine_name", "notes")[:NOTES_LIMIT]
    )
    releases_in_order = Prefetch("releases", queryset=Release.objects.order_by("position"))
    detail = list(
        sessions.order_by("-local_date", "-started_at", "-pk").prefetch_related(releases_in_order)[:DETAIL_LIMIT]
    )
    return {
        "range": date_range,
        "period_start": start,
        "period_end": end,
        "period_days": period_days,
        "generated_at": timezone.localtime(timezone.now(), profile.zone),
        "time_zone": profile.time_zone,
        "totals": totals,
        "adherence": adherence,
        "adherence_percent": adherence_percent,
        "tender_points": tender_points,
        "red_flags": red_flags,
        "red_flags_shown": red_flags[-RED_FLAG_DATES_SHOWN:],
        "red_flags_more": max(len(red_flags) - RED_FLAG_DATES_SHOWN, 0),
        "red_flag_items": red_flag_items,
        # Red-flag sessions too old for the detailed log are still listed, each with what was reported.
        "earlier_red_flags": [row for row in red_flags if row["pk"] not in {s.pk for s in detail}],
        "notable_notes": notable,
        "detail": detail,
        "detail_hidden": max(totals.sessions - len(detail), 0),
        "change": trend.change,
        # Which leg hurts, since when, assessed or not: only these answers of the private precaution profile.
        "leg_context": PrecautionProfile.for_user(user).report_context(today),
        "chart": charts.pain_chart(trend, chart_id="report-pain-chart") if trend.has_data else None,
    }
