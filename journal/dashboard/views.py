"""What the signed-in home page shows: today's state, the days with a session in the last 7, their leg pain and
the latest meaningful-change callout. A fixed number of queries, whatever the length of the history."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from accounts.models import PrecautionProfile
from config.http import AuthenticatedHttpRequest, HtmxHttpRequest
from journal.models import Session, SessionQuerySet
from journal.trends import aggregates, charts, meaningful
from routines.models import Routine


def _last_session_with_routine(sessions: SessionQuerySet) -> Session | None:
    """The newest of `sessions` (one user's, newest first) whose routine is still active, with its routine."""
    # An IN list, not a join on the routine: with a join, SQLite may read every session of the few routines and sort
    # them, instead of walking the user's newest sessions and stopping at the first.
    active_routines = Routine.objects.active().values("pk")
    return sessions.filter(routine__in=active_routines).select_related("routine").first()


def last_routine(user: User) -> Routine | None:
    """The routine of the user's latest session, if it is still active (not archived, not deleted): what "Start
    your last routine" starts, on the dashboard and from the app's shortcut. Only `user`'s own sessions count."""
    sessions = Session.objects.for_user(user).defer("plan", "notes").order_by("-started_at", "-pk")
    last = _last_session_with_routine(sessions)
    return last.routine if last else None


def dashboard_context(user: User) -> dict[str, Any]:
    today = user.profile.local_date()
    sessions = Session.objects.for_user(user).defer("plan", "notes").order_by("-started_at", "-pk")
    open_session = Session.objects.to_resume(user)
    last_session = _last_session_with_routine(sessions)
    last_days = aggregates.last_days_pain(user, today=today)
    done_today = last_days[-1].completed  # the last of the days is today
    has_history = open_session is not None or last_session is not None or sessions.exists()
    return {
        "today": today,
        # While a red-flag report awaits the follow-up answer, the page leads with the advice, not a start button.
        "open_red_flag": Session.objects.open_red_flag(user),
        "open_session": open_session,
        "last_routine": last_session.routine if last_session else None,
        "has_history": has_history,
        # Days with a session, not a streak: there is no prescribed frequency, and a streak would reward pressing
        # on while pain rises.
        "days_with_session": sum(1 for day in last_days if day.completed),
        "done_today": done_today,
        "week_chart": charts.sparkline_chart(last_days, chart_id="week-chart"),
        "change": meaningful.meaningful_change(user, today=today),
        # The health questions are offered again about every 6 months, calmly, never as a gate.
        "precautions": PrecautionProfile.for_user(user),
    }


@require_GET
def home(request: HtmxHttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        # The one write of this read: sessions left running for hours are closed (skipped when the database is busy).
        Session.objects.abandon_stale_for(request.user)
        return TemplateResponse(request, "dashboard.html", dashboard_context(request.user))
    return TemplateResponse(request, "home.html")


@login_required
@require_GET
def start_last(request: AuthenticatedHttpRequest) -> HttpResponse:
    """ "Start my last routine" (the installed app's shortcut): a page whose one main action is the dashboard's start
    button for the user's last routine (a POST, which then asks the red-flag check). A GET changes nothing: a
    session in progress is offered to resume instead, a red-flag report awaiting its follow-up answer sends the user
    to that question (as the start itself would), and with no last routine the page says so and offers the list."""
    user = request.user
    if Session.objects.open_red_flag(user):
        return redirect("journal:red_flag_follow_up")
    # Read only: a session left for hours is not offered (the runner would close it on sight).
    open_session = Session.objects.for_user(user).in_progress().exclude(pk__in=Session.objects.for_user(user).stale())
    context = {
        "open_session": open_session.order_by("-last_activity_at").first(),
        "last_routine": last_routine(user),
    }
    return TemplateResponse(request, "journal/start_last.html", context)
