"""After a red flag: the follow-up question that guards every start until a clinician has assessed the person.

A report (a session with safety_check "yes") stays open until its person says a clinician has assessed them since.
While one is open, `red_flag_followed_up` sends every way of starting a session (the runner's start, its check, the
quick log; a second tab or a replayed post alike) to the question first.
"""

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from config.http import AuthenticatedHttpRequest, HtmxHttpRequest, from_outbox, next_path, outbox_gate
from config.rendering import go_to, render_form_page
from journal.models import Session
from journal.runner.forms import ButtonRadios

FOLLOW_UP = "journal/red_flag_follow_up.html"
FOLLOW_UP_FIRST = (
    "You reported a warning sign earlier: please answer the question about it first (open the app). This entry is "
    "kept and sent after."
)


def has_open_red_flag(user: User) -> bool:
    return Session.objects.for_user(user).awaiting_assessment().exists()


def follow_up_redirect(request: HtmxHttpRequest) -> HttpResponse:
    """To the follow-up question, which returns to `next` once answered: the page asked for (GET) or the page the
    post came from (the post itself is not replayed)."""
    back = request.get_full_path() if request.method == "GET" else request.headers.get("Referer", "")
    url = reverse("journal:red_flag_follow_up")
    if back:
        url += "?" + urlencode({"next": back})
    return go_to(request, url)


def red_flag_followed_up(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """No session starts while a red-flag report awaits the follow-up answer. Put it under the login and safety
    notice checks."""

    @wraps(view)
    def wrapper(request: AuthenticatedHttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if has_open_red_flag(request.user):
            if from_outbox(request):
                return outbox_gate(FOLLOW_UP_FIRST, reverse("journal:red_flag_follow_up"))
            return follow_up_redirect(request)
        return view(request, *args, **kwargs)

    return wrapper


class FollowUpForm(forms.Form):
    assessed = forms.ChoiceField(
        label="Has a doctor, nurse or physiotherapist assessed you since then?",
        choices=[("yes", "Yes, I have been assessed since then"), ("no", "No, not yet")],
        widget=ButtonRadios(),
        error_messages={"required": "Please answer yes or no.", "invalid_choice": "Please answer yes or no."},
    )


@login_required
@require_http_methods(["GET", "POST"])
def red_flag_follow_up(request: AuthenticatedHttpRequest) -> HttpResponse:
    """ "Have you been assessed since you reported it on <date>?" Yes closes every open report and goes on to
    `next`; "No" keeps them open and shows the advice again. With no open report, straight on to `next`."""
    report = Session.objects.open_red_flag(request.user)
    if report is None:
        return go_to(request, next_path(request) or reverse("home"))
    form = FollowUpForm(request.POST if request.method == "POST" else None)
    not_yet = False
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["assessed"] == "yes":
            Session.objects.mark_assessed(request.user)
            messages.success(
                request,
                "Thank you. You can start sessions again. If any warning sign comes back, stop and get care first.",
            )
            return go_to(request, next_path(request) or reverse("home"))
        not_yet = True
    context = {"form": form, "report": report, "not_yet": not_yet, "next": next_path(request) or reverse("home")}
    return render_form_page(request, FOLLOW_UP, "form", context)
