"""Trends: pain over time, change within a session, points and sides, adherence and the tenderness body map."""

from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_GET

from accounts.models import PrecautionProfile
from config.http import AuthenticatedHttpRequest
from config.rendering import render_form_page
from journal.models import LIGHT_PRESSURE_LIMIT
from journal.trends import aggregates, charts, periods, series
from journal.trends.forms import DEFAULT_RANGE, SORT_CHOICES, TrendsRangeForm
from routines.models import Point

HEATMAP_DAYS = 371  # the calendar shows at most the last 53 weeks of the period


@login_required
@require_GET
def trends(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    today = user.profile.local_date()
    form = TrendsRangeForm(request.GET or None)
    start: date | None
    start, end = today - timedelta(days=int(DEFAULT_RANGE) - 1), today
    baseline, sort, choice = None, "point", DEFAULT_RANGE
    if form.is_bound and form.is_valid():
        start, end = form.period(today)
        baseline = form.baseline()
        sort = form.cleaned_data.get("sort") or "point"
        choice = form.choice()

    precautions = PrecautionProfile.for_user(user)
    trend = series.pain_trend(user, start, end, baseline=baseline, today=today)
    points = aggregates.point_side_stats(user, start, end, sort=sort)
    sides = aggregates.sides_from_points(points)
    adherence = aggregates.adherence(user, start, end, today=today, daily=trend.days, with_streaks=False)
    first_day = start or trend.first_day or end
    heat_start = max(first_day, end - timedelta(days=HEATMAP_DAYS - 1))
    period = periods.chart_period(first_day, end)
    charted = series.by_period(trend, period)
    context = {
        "form": form,
        "choice": choice,
        "start": start,
        "end": end,
        "first_day": first_day,
        "sort": sort,
        "sort_choices": SORT_CHOICES,
        "trend": trend,
        "change": trend.change,
        "has_data": bool(trend.days),  # every release and every active day belongs to a session's day
        "period": charts.PERIODS[period],
        "pain_chart": charts.pain_chart(charted),
        "change_chart": charts.change_chart(charted.days, period=period),
        "points": points,
        "adverse_total": sum(row.adverse for row in points),
        # Shown only to those whose health answers call for light pressure (private: never in the shared report).
        "above_light_total": sum(row.above_light for row in points) if precautions.light_pressure_only else 0,
        "light_pressure_limit": LIGHT_PRESSURE_LIMIT,
        "sides": sides,
        "side_chart": charts.side_chart(sides),
        "adherence": adherence,
        "heat_start": heat_start,
        "heatmap_chart": charts.heatmap_chart(aggregates.calendar_heatmap(adherence.days, heat_start, end)),
        "weekly_chart": charts.weekly_chart(adherence, period=period),
        "map_points": list(Point.objects.visible_to(user)),
        "tender_map": aggregates.tender_shares(points),
        # Which leg, since when, assessed or not: sciatica often settles within weeks, so the episode's age matters.
        "leg_context": precautions.report_context(today),
    }
    return render_form_page(request, "journal/trends.html", "trends", context)
