"""Reminder calendar: days and a time for a routine, served as a private, revocable iCalendar feed."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.http import AuthenticatedHttpRequest, HtmxHttpRequest
from journal.lib.secret_links import issue, panel, secret_url, token_view
from journal.models import Reminder
from journal.reminders.forms import ReminderForm
from journal.reminders.ics import ALARM_LEAD_MINUTES, reminder_calendar

TEMPLATE = "journal/reminder_list.html"


def _context(
    request: AuthenticatedHttpRequest, form: ReminderForm, new_url: str | None = None, again: bool = False
) -> dict[str, Any]:
    reminders = Reminder.objects.filter(user=request.user).select_related("routine")
    # webcal:// is the address calendar apps (iOS, macOS, Outlook, GNOME, Thunderbird) open as a subscription.
    subscribe_url = "webcal://" + new_url.split("://", 1)[1] if new_url else None
    return {
        "form": form,
        "reminders": reminders,
        "new_url": new_url,
        "subscribe_url": subscribe_url,
        "again": again,
        "alarm_lead_minutes": ALARM_LEAD_MINUTES,
    }


@login_required
@require_http_methods(["GET", "POST"])
def reminder_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ReminderForm(request.user, request.POST or None)
    issued = issue(request, form, "journal:reminder_feed")
    if issued.url or issued.again:
        form = ReminderForm(request.user)
    return panel(request, TEMPLATE, _context(request, form, issued.url, issued.again), status=issued.status)


@login_required
@require_POST
def reminder_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    reminder = get_object_or_404(Reminder, pk=pk, user=request.user)
    reminder.revoke()
    if request.htmx:
        return panel(request, TEMPLATE, _context(request, ReminderForm(request.user)))
    return redirect("journal:reminder_list")


@login_required
@require_POST
def reminder_renew(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A new calendar address for a reminder (the old one stops working); also revives a revoked reminder."""
    reminder = get_object_or_404(Reminder, pk=pk, user=request.user)
    new_url = secret_url(request, "journal:reminder_feed", reminder.renew())
    return panel(request, TEMPLATE, _context(request, ReminderForm(request.user), new_url))


@require_GET
@token_view(lambda: Reminder.objects.filter(revoked_at__isnull=True).select_related("user__profile", "routine"))
def reminder_feed(request: HtmxHttpRequest, reminder: Reminder) -> HttpResponse:
    response = HttpResponse(reminder_calendar(reminder), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="tenderspot-reminders.ics"'
    return response
