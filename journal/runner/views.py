"""The session runner: start, safety check, each step's hold and log, finish, summary, and the quick log.

Every view works as plain pages and form posts; an htmx request gets only the runner's panel. Each view abandons the
user's stale sessions first (lazy abandonment), so a session left for TENDERSPOT_ABANDON_AFTER is closed on sight.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import replayable_after_notice, safety_acknowledged
from accounts.models import PrecautionProfile
from config.http import AuthenticatedHttpRequest, from_outbox, outbox_gate
from config.rendering import INVALID, go_to, page_or_partial, render_form_page
from journal.models import (
    ADVERSE_FOLLOW_UP,
    ADVERSE_PRESSURE_MESSAGE,
    ADVERSE_STOPPED_MESSAGE,
    HOLD_MARGIN_SECONDS,
    LIGHT_PRESSURE_LIMIT,
    LIGHT_PRESSURE_MESSAGE,
    PRESSURE_CEILING,
    Release,
    Session,
    SessionClosed,
    SessionStatus,
    adverse_response_message,
    count_adverse,
)
from journal.runner.forms import FinishForm, QuickLogForm, ReleaseForm, SafetyCheckForm, StepForm
from journal.runner.red_flags import FOLLOW_UP_FIRST, follow_up_redirect, has_open_red_flag, red_flag_followed_up
from routines.models import PlanStep, Point, Routine, Side, estimate_seconds

RUNNER = "journal/runner.html"
# adverse_response_message's parts, for the phone to answer an adverse response logged offline at once, in the same
# words (static/js/outbox-core.js adverseMessage).
ADVERSE_TEXTS = {
    "ceiling": PRESSURE_CEILING,
    "pressure": ADVERSE_PRESSURE_MESSAGE,
    "light_limit": LIGHT_PRESSURE_LIMIT,
    "light": LIGHT_PRESSURE_MESSAGE,
    "stopped": ADVERSE_STOPPED_MESSAGE,
    "follow_up": ADVERSE_FOLLOW_UP,
}


# A typed figure cut by fewer seconds than this is not worth a word: a timed hold's seconds and the server's own
# record of it differ by the network's delay and the rounding down.
HELD_CUT_NOTED_SECONDS = 5


def held_cut_note(release: Release, claimed: int | None) -> str:
    """Why `release` holds fewer seconds than the `claimed` ones the form sent ("" when it holds them, or nearly):
    the step's plan plus its margin, or the time the session (or the step's timer) has run."""
    if claimed is None or release.held_seconds is None or claimed - release.held_seconds < HELD_CUT_NOTED_SECONDS:
        return ""
    said = f"Step {release.position} is saved as {release.held_seconds} s held, not the {claimed} s typed:"
    most = release.prescribed_seconds + HOLD_MARGIN_SECONDS
    if release.held_seconds == most:
        return (
            f"{said} a step holds at most its plan ({release.prescribed_seconds} s) and {HOLD_MARGIN_SECONDS} s more."
        )
    return (
        f"{said} together, a session's steps cannot hold more than the time since it began (nor a step timed here "
        "more than its timer ran). Holds done before a session began go in the quick log."
    )


def answer_to(session: Session, release: Release) -> str:
    """The immediate answer to `release` (adverse_response_message), with the light-pressure rule of the session's
    user; their health answers are read only for a pressure above that rule's limit."""
    light = (
        release.pressure is not None
        and release.pressure > LIGHT_PRESSURE_LIMIT
        and PrecautionProfile.for_user(session.user).light_pressure_only
    )
    return adverse_response_message(release, light_pressure=light)


FEET_NOT_CONFIRMED = (
    "This routine presses on your feet. Please check with your diabetes foot team or podiatrist first, then "
    "confirm below to start."
)
PANEL = "panel"


def _session_for(request: AuthenticatedHttpRequest, pk: int) -> Session:
    """The signed-in user's session (another user's: 404). Every view calls
    `Session.objects.abandon_stale_for(request.user)` first, so that a session left running for hours reads, and
    refuses posts, as abandoned."""
    session = get_object_or_404(Session, pk=pk, user=request.user)
    session.user = request.user  # the same person: what is read through it (their health answers) is read once
    return session


def _outbox_session_for(request: AuthenticatedHttpRequest, pk: int) -> Session:
    """The signed-in user's session for an outbox entry, stale sessions abandoned first as for any page (an entry
    logged while it ran may still reopen it: `Session.reopen_for_phone_entry`)."""
    session = get_object_or_404(Session, pk=pk, user=request.user)
    if Session.objects.abandon_stale_for(request.user):
        session.refresh_from_db()
    session.user = request.user  # as in _session_for
    return session


def _phone_entry_gate(request: AuthenticatedHttpRequest) -> JsonResponse | None:
    """No outbox entry is stored while a red-flag report awaits its follow-up answer, whatever session it names or
    time it carries: 409, kept on the phone and sent again once the question is answered."""
    if has_open_red_flag(request.user):
        return outbox_gate(FOLLOW_UP_FIRST, reverse("journal:red_flag_follow_up"))
    return None


def phone_time_of(request: AuthenticatedHttpRequest) -> datetime | None:
    """The phone's clock (`phone_time`, ms since 1970, set by static/js/outbox.js) when the user saved the entry, as
    an aware datetime; None when the post carries none or it is not a time."""
    try:
        ms = int(request.POST.get("phone_time", ""))
        return datetime.fromtimestamp(ms / 1000, tz=UTC) if 0 <= ms <= 2**53 else None
    except (OverflowError, OSError, ValueError):
        return None


def _refuse_closed(request: AuthenticatedHttpRequest, session: Session) -> HttpResponse:
    """A post to a session that is no longer running changes nothing and says so."""
    if session.status == SessionStatus.ABANDONED:
        text = "This session was left for a long time, so it was closed and kept as it was. Nothing was changed."
    elif session.status == SessionStatus.STOPPED:
        text = "This session was stopped because a warning sign was reported, so nothing was changed."
    else:
        text = "This session has already ended, so nothing was changed."
    messages.warning(request, text)
    return go_to(request, "journal:session_summary", session.pk)


def _panel_context(
    request: AuthenticatedHttpRequest, session: Session, form: forms.Form | None = None, mode: str | None = None
) -> dict[str, Any]:
    """What the runner's panel shows now: the safety check, the next step, or the finish form."""
    context: dict[str, Any] = {"session": session, "profile": request.user.profile, "adverse_texts": ADVERSE_TEXTS}
    # What is logged so far (also where the session stands: the same query), each correctable in place.
    logged = session.logged_releases()
    if mode is None:
        if session.needs_safety_check:
            mode = "check"
        elif session.current_position is None:
            mode = "finish"
        else:
            mode = "step"
    context["mode"] = mode
    if mode in ("step", "finish"):
        context.update(_logged_context(logged))
    if mode == "check":
        context["form"] = form or SafetyCheckForm()
    elif mode == "finish":
        context["form"] = form or FinishForm()
        context["done_count"] = len(session.logged_positions())
    elif mode == "step":
        position = int(form["position"].value()) if form is not None else session.current_position
        step = session.step(position) if position is not None else None
        # "step" is chosen only while a step is due, and a posted position was checked against the plan.
        assert position is not None and step is not None
        point_id = step["point_id"]  # None once a custom point was deleted (an imported plan), or no row since
        point = Point.objects.filter(pk=point_id).first() if point_id is not None else None
        precautions = PrecautionProfile.for_user(request.user)
        light = precautions.light_pressure_only
        if isinstance(form, ReleaseForm) and light:
            form.ask_light_pressure()  # a posted form shown again asks as the fresh one does
        context.update(
            position=position,
            step=step,
            point=point,
            map_points=[point] if point is not None else [],
            completed=len(session.logged_positions()),
            form=form or _fresh_release_form(session, position, step["hold_seconds"], light_pressure=light),
            log_open=form is not None,
            hold_started_ms_ago=_hold_started_ms_ago(session, position),
            hold_stopped_ms=_hold_stopped_ms(session, position),
            step_label=_step_label(step),
            logged_name=_logged_name(position, step),
        )
        context["precaution_notes"] = precautions.notes_for_point(point) if point else precautions.notes()
        # The light-pressure rule replaces the general advice ("moderate, about 5"), never sits beside it.
        context["light_pressure_only"] = light
        context["seconds_left"] = session.seconds_left
        context["upcoming"], context["steps_beyond"] = _upcoming_steps(session, position, precautions)
        context["finish_form"] = FinishForm(auto_id="finish_%s")
    return context


def _logged_context(logged: list[Release]) -> dict[str, Any]:
    """The "Logged so far" list: the releases in step order, and how many were held and skipped."""
    skipped = sum(release.skipped for release in logged)
    return {"logged": logged, "done_skipped": skipped, "done_held": len(logged) - skipped}


def _step_label(step: PlanStep) -> str:
    """A step's side and point as the runner says them ("Left glute top")."""
    return f"{Side(step['side']).label} {step['point_name'][:1].lower()}{step['point_name'][1:]}"


def _logged_name(position: int, step: PlanStep) -> str:
    """How step `position` starts its line in "Logged so far" ("2. Left glute top:" without the colon), the same
    words as the server's lines (journal/session_detail.html#logged-release), for a step logged on the phone."""
    return f"{position}. {Side(step['side']).label} {step['point_name'].lower()}"


OFFLINE_STEPS_AHEAD = 40


def _upcoming_steps(
    session: Session, position: int, precautions: PrecautionProfile
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """(the steps after `position` not logged yet, each with what its panel shows, for the phone to run without a
    request; the steps not logged after those the page carries: {"count", "first"}, count 0 when it carries them
    all). static/js/timer.js swaps the steps in from <template>s; their fields' ids carry a prefix ("s3_") that the
    script turns back into the usual "id_" when the step is shown. Two queries whatever the number of steps."""
    logged = session.logged_positions()
    later = [(n, session.plan[n - 1]) for n in range(position + 1, session.step_count + 1) if n not in logged]
    # Bounded, so that the page stays light however long a plan is (each step is about 16 kB of markup): offline,
    # the phone runs these, then says that the rest need a connection (they load with the next page from the server).
    beyond = later[OFFLINE_STEPS_AHEAD:]
    steps_beyond = {"count": len(beyond), "first": beyond[0][0] if beyond else 0}
    later = later[:OFFLINE_STEPS_AHEAD]
    points = Point.objects.in_bulk([step["point_id"] for _n, step in later])
    # What is left once the steps before each one are done: the steps not logged but this one and those before it,
    # by the same estimate as the routine's (routines.models.estimate_seconds) and Session.seconds_left.
    rest = [s["hold_seconds"] for n, s in enumerate(session.plan, start=1) if n not in logged and n != position]
    count, holds = len(rest), sum(rest)
    completed = len(logged) + 1
    upcoming = []
    for n, step in later:
        point = points.get(step["point_id"])
        form = _fresh_release_form(
            session, n, step["hold_seconds"], auto_id=f"s{n}_%s", light_pressure=precautions.light_pressure_only
        )
        upcoming.append(
            {
                "position": n,
                "step": step,
                "point": point,
                "map_points": [point] if point is not None else [],
                "form": form,
                "step_label": _step_label(step),
                "logged_name": _logged_name(n, step),
                "precaution_notes": precautions.notes_for_point(point) if point else precautions.notes(),
                "seconds_left": estimate_seconds(count, holds),
                "completed": completed,
            }
        )
        count -= 1
        holds -= step["hold_seconds"]
        completed += 1
    return upcoming, steps_beyond


def _fresh_release_form(
    session: Session, position: int, hold_seconds: int, auto_id: str = "id_%s", light_pressure: bool = False
) -> ReleaseForm:
    """The log form before any answer. "Seconds held" starts empty: the timer fills in what was really held, and
    logging without it must not claim the full hold; left empty, the step is logged as not timed (said so).
    `light_pressure`: the user's health answers call for light pressure only (PrecautionProfile.light_pressure_only),
    so the pressure question says so instead of the general scale."""
    form = ReleaseForm(session=session, initial={"position": position}, auto_id=auto_id)
    if light_pressure:
        form.ask_light_pressure()
    form.fields["held_seconds"].help_text = (
        f"Not timed? Type about how long you held it (the plan: {hold_seconds} s), or leave it empty: "
        "the step is then logged as not timed."
    )
    return form


def _hold_started_ms_ago(session: Session, position: int) -> int | None:
    """How long ago (ms) the server recorded the start of this step's hold, if it did: a reload during a hold
    continues it from there (static/js/timer.js) instead of starting over."""
    if session.current_hold_position != position or session.current_hold_started_at is None:
        return None
    return max(0, int((timezone.now() - session.current_hold_started_at).total_seconds() * 1000))


def _hold_stopped_ms(session: Session, position: int) -> int | None:
    """How long (ms) this step's hold had run when it was paused or ended early, if the server recorded that: a
    reload (a lost tab, an error) shows it paused there instead of running on from its start."""
    record = session.hold_record(position)
    if record is None or not record[1]:
        return None
    return int(record[0] * 1000)


def _panel(
    request: AuthenticatedHttpRequest, session: Session, form: forms.Form | None = None, mode: str | None = None
) -> TemplateResponse:
    context = _panel_context(request, session, form, mode)
    return render_form_page(request, RUNNER, PANEL, context)


@safety_acknowledged
@red_flag_followed_up
@replayable_after_notice
@require_POST
def session_start(request: AuthenticatedHttpRequest, routine_pk: int) -> HttpResponse:
    """One button. A double tap, a retried request or a second tab within RESTART_WINDOW land on the same session
    as long as nothing is logged in it yet (Session.objects.start)."""
    routine = get_object_or_404(Routine.objects.visible_to(request.user), pk=routine_pk)
    if not routine.steps.exists():
        messages.warning(request, "This routine has no steps yet. Add a point to it first.")
        return go_to(request, "routines:routine_detail", routine.pk)
    precautions = PrecautionProfile.for_user(request.user)
    if precautions.needs_foot_confirmation(routine.has_foot_points()):
        # Asked once: a routine with foot points waits for the user's word that their foot team cleared it.
        if request.POST.get("feet_confirmed") != "yes":
            messages.warning(request, FEET_NOT_CONFIRMED)
            return go_to(request, "routines:routine_detail", routine.pk)
        precautions.confirm_feet()
    Session.objects.abandon_stale_for(request.user)
    # "Start fresh" sets aside the unfinished session that Start would continue; a repeat within QUIET_RESUME (a
    # double tap, a retry) lands on the session the first one began.
    fresh_after = QUIET_RESUME if request.POST.get("fresh") == "yes" else None
    session = Session.objects.start(request.user, routine, fresh_after=fresh_after)
    if timezone.now() - session.started_at > QUIET_RESUME:
        messages.info(request, _resume_notice(request, session))
    return go_to(request, "journal:session_run", session.pk)


@safety_acknowledged
@red_flag_followed_up
@replayable_after_notice
@require_POST
def point_practise(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """ "Practise this point now": a one-step session of the point on the chosen side, which then opens at the same
    safety check as any session. A side other than left or right: 422 with the point page, nothing started."""
    point = get_object_or_404(Point.objects.visible_to(request.user), slug=slug)
    side = request.POST.get("side", "")
    if side not in Side.values:
        messages.error(request, "Choose the left or the right side to practise.")
        return _refused_point(request, point)
    Session.objects.abandon_stale_for(request.user)
    session = Session.objects.start_point(request.user, point, side)
    return go_to(request, "journal:session_run", session.pk)


def _refused_point(request: AuthenticatedHttpRequest, point: Point) -> HttpResponse:
    from routines.views import _point_page  # the point page belongs to routines, which imports nothing from here

    response = _point_page(request, point)
    response.status_code = 422
    return response


# A double tap, a retry or a second tab land on the session just started without a word; a Start pressed later
# says that it continues an unfinished session, and offers a fresh start.
QUIET_RESUME = timedelta(seconds=30)


def _resume_notice(request: AuthenticatedHttpRequest, session: Session) -> str:
    started = timezone.localtime(session.started_at, request.user.profile.zone)
    return format_html(
        'You have an unfinished session from {}: continue it below, or <form method="post" action="{}" '
        'class="d-inline"><input type="hidden" name="csrfmiddlewaretoken" value="{}"><input type="hidden" '
        'name="fresh" value="yes"><button type="submit" class="btn btn-outline-secondary btn-sm">start fresh'
        "</button></form>.",
        f"{started:%H:%M}",
        reverse("journal:session_start", args=[session.routine_id]),
        get_token(request),
    )


@login_required
@require_GET
def session_run(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The runner page; a reload resumes at the first step not yet logged."""
    # The one write of this read: sessions left running for hours are closed (skipped when the database is busy).
    Session.objects.abandon_stale_for(request.user)
    session = _session_for(request, pk)
    if not session.is_open:
        return redirect("journal:session_summary", pk=session.pk)
    context = _panel_context(request, session)
    response = render_form_page(request, RUNNER, PANEL, context)
    # The phone may keep this page to run the session offline (config.pwa): the steps and the log forms, never the
    # red-flag check (its answers).
    response.offline_page = context["mode"] in ("step", "finish")  # type: ignore[attr-defined]
    return response


@login_required
@require_GET
def session_logged(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The runner's "Logged so far" list as the server holds it now (htmx: the list only, `#runner-logged`). The
    runner fetches it once the steps logged on the phone have reached the server. A plain request: the runner page
    (or the summary of a session that has ended). Reads only: nothing is abandoned or changed here."""
    session = _session_for(request, pk)
    if not request.htmx:
        return redirect("journal:session_run", pk=session.pk)
    context = {"session": session, **_logged_context(session.logged_releases())}
    return TemplateResponse(request, f"{RUNNER}#logged", context)


@safety_acknowledged
@require_POST
def safety_check(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The red-flag check. Any sign reported stops the session with advice for its urgency; a report still open
    (this session's or another's) sends any other answer to the follow-up question instead."""
    Session.objects.abandon_stale_for(request.user)
    session = _session_for(request, pk)
    form = SafetyCheckForm(request.POST)
    if not session.needs_safety_check and form.is_valid() and form.reported_red_flags:
        # Answered already, and now a sign is reported (another tab, the Back button, a retry): never dropped.
        session.report_late_red_flag(form.reported_red_flags)
        return _red_flag_stop(request, session)
    if not session.is_open:
        if has_open_red_flag(request.user):
            return follow_up_redirect(request)
        return _refuse_closed(request, session)
    if has_open_red_flag(request.user):
        return follow_up_redirect(request)
    if not session.needs_safety_check:  # answered already (a replay, another tab): carry on where it stands
        return _after_post(request, session)
    if not form.is_valid():
        return _panel(request, session, form, mode="check")
    session.answer_safety_check(
        form.reported_red_flags, form.cleaned_data["pain_before"], form.cleaned_data.get("back_pain_before")
    )
    if session.red_flag:
        return _red_flag_stop(request, session)
    return _after_post(request, session)


def _red_flag_stop(request: AuthenticatedHttpRequest, session: Session) -> HttpResponse:
    """What to do now, in place over htmx; the summary (which shows the red flags) for a plain post."""
    if request.htmx:
        return TemplateResponse(request, f"{RUNNER}#{PANEL}", {"session": session, "mode": "stopped"})
    return redirect("journal:session_summary", pk=session.pk)


def _after_post(request: AuthenticatedHttpRequest, session: Session, notice: str = "") -> HttpResponse:
    """htmx swaps in the panel of what comes next; a plain post redirects to the runner page (which shows it).
    `notice` (an answer to an adverse response) leads the next panel, or the next page as a message."""
    if request.htmx:
        context = _panel_context(request, session)
        context["notice"] = notice
        return render_form_page(request, RUNNER, PANEL, context)
    if notice:
        messages.warning(request, notice)
    return redirect("journal:session_run", pk=session.pk)


def _open_session_for_step(request: AuthenticatedHttpRequest, pk: int) -> tuple[Session, HttpResponse | None]:
    Session.objects.abandon_stale_for(request.user)
    session = _session_for(request, pk)
    if not session.is_open:
        return session, _refuse_closed(request, session)
    if session.needs_safety_check:
        return session, go_to(request, "journal:session_run", session.pk)
    return session, None


@login_required
@require_POST
def hold_start(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Records on the server when a hold started, and when it was paused ("stop", also Done before its end) or went
    on ("resume"): the timer posts `position` and `action` ("start" when absent); 204, nothing to swap. An unknown
    action or step: 422 with the reason as plain text, nothing recorded."""
    session, refused = _open_session_for_step(request, pk)
    if refused:
        return refused
    form = StepForm(request.POST, session=session)
    if not form.is_valid():
        return HttpResponse(form.errors["position"][0], status=INVALID, content_type="text/plain")
    action = request.POST.get("action", "start")
    record = {"start": session.start_hold, "stop": session.stop_hold, "resume": session.resume_hold}.get(action)
    if record is None:
        return HttpResponse("Unknown action: use start, stop or resume.", status=INVALID, content_type="text/plain")
    record(form.cleaned_data["position"])
    return HttpResponse(status=204)


@login_required
@require_POST
def release_log(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Stores one step's release at once and shows the next step. A replay finds the row there and moves on.
    The phone's outbox (`X-Outbox: 1`) gets a JSON answer instead (`_outbox_release`)."""
    if from_outbox(request):
        return _outbox_release(request, pk, skipped=False)
    session, refused = _open_session_for_step(request, pk)
    if refused:
        return refused
    form = ReleaseForm(request.POST, session=session)
    if not form.is_valid():
        if "position" in form.errors:
            return _bad_step(request, session, form)
        return _panel(request, session, form, mode="step")
    try:
        release, created = session.log_release(
            form.cleaned_data["position"],
            held_seconds=form.cleaned_data["held_seconds"],
            at=form.logged_at(),
            hold_started_at=form.hold_started_at(),
            **form.release_answers(),
        )
    except SessionClosed:  # finished or stopped by another request while this one waited for the session's lock
        return _refuse_closed(request, session)
    cut = held_cut_note(release, form.cleaned_data["held_seconds"]) if created else ""
    return _after_post(request, session, notice=" ".join(filter(None, [cut, answer_to(session, release)])))


def _bad_step(request: AuthenticatedHttpRequest, session: Session, form: StepForm) -> HttpResponse:
    """A post naming a step this session does not have: a clear message on the runner's current panel."""
    context = _panel_context(request, session)
    context["step_error"] = form.errors["position"][0]
    return TemplateResponse(request, page_or_partial(request, RUNNER, PANEL), context, status=INVALID)


def outbox_answer(stored: str, status: int = 200, **extra: object) -> JsonResponse:
    """The outbox's answer for an entry the server holds now: `stored` is "created" (201) or "replay" (200, the
    row was there already). Either way the outbox may drop its copy."""
    return JsonResponse({"stored": stored, **extra}, status=status)


def outbox_refusal(error: str, status: int) -> JsonResponse:
    """An entry the server will not store (422 invalid, 409 the session no longer takes it): the outbox keeps it and
    shows the reason, never dropping it silently."""
    return JsonResponse({"error": error}, status=status)


# A stored release's fields that tell a replay of its entry from a different entry for the same step.
STORED_ANSWERS = ("skipped", *ReleaseForm.answer_fields, "tender")


def _same_entry(stored: dict[str, object], form: StepForm, skipped: bool) -> bool:
    """Whether the valid `form` (a skip when `skipped`) is the entry `stored` (STORED_ANSWERS of the step's
    release) came from: the same skip, or a release with the same answers. The held seconds are left out: the
    server may have bounded them."""
    if skipped or stored["skipped"]:
        return skipped and bool(stored["skipped"])
    assert isinstance(form, ReleaseForm)
    return all(stored[name] == value for name, value in form.release_answers().items())


def _replay_or_other(
    stored: dict[str, object], form: StepForm, valid: bool, position: int, skipped: bool
) -> JsonResponse:
    """The answer to an outbox entry for a step already stored (`stored`: its STORED_ANSWERS): 200 "replay" for the
    same entry, 409 with the reason for a valid one with other answers (another tab or device logged the step)."""
    if valid and not _same_entry(stored, form, skipped):
        return outbox_refusal(
            f"Step {position} was already logged with other answers (another tab or device?); this one was not "
            "saved. You can correct the step from the session's summary.",
            409,
        )
    return outbox_answer("replay", position=position)


def _outbox_release(request: AuthenticatedHttpRequest, pk: int, *, skipped: bool) -> JsonResponse:
    """One release (or skip) sent by the outbox. A step already stored answers 200 "replay" whatever the session's
    state now (a replayed sync, a second tab, a sync cut off after the server stored it), so the phone drops it;
    but a valid entry with other answers than the stored one (another tab or device logged the step) is refused,
    409 with the reason, so the phone shows it rather than marking it saved."""
    session = _outbox_session_for(request, pk)
    form = (StepForm if skipped else ReleaseForm)(request.POST, session=session)
    valid = form.is_valid()
    if "position" in form.errors:
        return outbox_refusal(str(form.errors["position"][0]), INVALID)
    position = int(form.cleaned_data["position"])
    stored = session.releases.filter(position=position).values(*STORED_ANSWERS).first()
    if stored is not None:
        return _replay_or_other(stored, form, valid, position, skipped)
    if gate := _phone_entry_gate(request):
        return gate
    try:
        with transaction.atomic():
            # Logged on the phone while the session ran, sent after it was left: taken for this entry only.
            reopened = session.reopen_for_phone_entry(phone_time_of(request))
            answer = _store_outbox_release(request, session, form, valid, position, skipped)
            if answer.status_code >= 400:
                transaction.set_rollback(True)  # a refused entry reopens nothing
            elif reopened:
                session.leave_again()
    except SessionClosed:  # finished or stopped by another request while this one waited for the session's lock
        return outbox_refusal("This session has ended, so this step was not saved.", 409)
    return answer


def _store_outbox_release(
    request: AuthenticatedHttpRequest, session: Session, form: StepForm, valid: bool, position: int, skipped: bool
) -> JsonResponse:
    """Stores the outbox's step in `session` (run inside the caller's transaction, rolled back on a refusal). An
    abandoned session its phone time could not reopen (a wrong phone clock, or none) takes the step all the same,
    at the moment it was left (`Session.reopen_when_left`), and is left abandoned again: the outbox never drops a
    log for its clock."""
    left_at = session.reopen_when_left()
    if not session.is_open:
        return outbox_refusal("This session has ended, so this step was not saved.", 409)
    if session.needs_safety_check:
        return outbox_refusal("Answer the questions before the first step, then send this again.", 409)
    if not valid:
        return outbox_refusal(" ".join(str(e) for errors in form.errors.values() for e in errors), INVALID)
    if skipped:
        release, created = session.skip(position, at=left_at or phone_time_of(request))
    else:
        assert isinstance(form, ReleaseForm)
        release, created = session.log_release(
            position,
            held_seconds=form.cleaned_data["held_seconds"],
            at=left_at or form.logged_at(),
            # The phone's clock is not to be trusted here: no hold start from it, and the session's length is
            # measured to the moment it was left, not to this late sync.
            hold_started_at=None if left_at else form.hold_started_at(),
            lasted_until=left_at,
            **form.release_answers(),
        )
    if left_at:
        session.leave_again(left_at)
    if not created:
        # Stored by another request while this one waited for the session's lock: a replay, or another entry.
        stored = {name: getattr(release, name) for name in STORED_ANSWERS}
        return _replay_or_other(stored, form, valid, position, skipped)
    cut = "" if skipped else held_cut_note(release, form.cleaned_data["held_seconds"])
    notice = " ".join(filter(None, [cut, answer_to(session, release)]))
    # `held_note` apart: a step sent after a wait was answered on the phone already, but only the server knows a cut.
    extra = {"held_note": cut} if cut else {}
    return outbox_answer("created", 201, position=position, notice=notice, **extra)


@login_required
@require_POST
def step_skip(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if from_outbox(request):
        return _outbox_release(request, pk, skipped=True)
    session, refused = _open_session_for_step(request, pk)
    if refused:
        return refused
    form = StepForm(request.POST, session=session)
    if not form.is_valid():
        return _bad_step(request, session, form)
    try:
        session.skip(form.cleaned_data["position"])
    except SessionClosed:  # finished or stopped by another request while this one waited for the session's lock
        return _refuse_closed(request, session)
    return _after_post(request, session)


@login_required
@require_http_methods(["GET", "POST"])
def session_finish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Leg pain at the end of the session and notes; possible at any point (steps not logged stay unlogged)."""
    if request.method == "POST" and from_outbox(request):
        return _outbox_finish(request, pk)
    Session.objects.abandon_stale_for(request.user)
    session = _session_for(request, pk)
    if not session.is_open:
        if request.method == "POST":
            sent = FinishForm(request.POST)  # the same finish sent again (a retry, a double tap) is no conflict
            data = sent.cleaned_data if sent.is_valid() else None
            if data is None or not session.finished_with(data["pain_after"], data["notes"]):
                return _refuse_closed(request, session)
        return go_to(request, "journal:session_summary", session.pk)
    if session.needs_safety_check:
        return go_to(request, "journal:session_run", session.pk)
    form = FinishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        finished = session.finish(data["pain_after"], data["notes"], data.get("back_pain_after"))
        if not finished and not session.finished_with(data["pain_after"], data["notes"]):
            return _refuse_closed(request, session)  # another request ended it first, with other answers
        return go_to(request, "journal:session_summary", session.pk)
    return _panel(request, session, form if form.is_bound else None, mode="finish")


def _outbox_finish(request: AuthenticatedHttpRequest, pk: int) -> JsonResponse:
    """The end of a session run offline, sent by the outbox after its steps. The same finish again: "replay"."""
    session = _outbox_session_for(request, pk)
    form = FinishForm(request.POST)
    if not form.is_valid():
        return outbox_refusal(" ".join(str(e) for errors in form.errors.values() for e in errors), INVALID)
    data = form.cleaned_data
    if not session.is_open and session.finished_with(data["pain_after"], data["notes"]):
        return outbox_answer("replay")
    if gate := _phone_entry_gate(request):
        return gate
    with transaction.atomic():
        session.reopen_for_phone_entry(phone_time_of(request))  # the finish ends it for good
        answer = _store_outbox_finish(request, session, data)
        if answer.status_code >= 400:
            transaction.set_rollback(True)  # a refused finish reopens nothing
    return answer


def _store_outbox_finish(request: AuthenticatedHttpRequest, session: Session, data: dict[str, Any]) -> JsonResponse:
    ended = "This session had ended already, so these answers were not saved."
    if not session.is_open:
        return outbox_refusal(ended, 409)
    if session.needs_safety_check:
        return outbox_refusal("Answer the questions before the first step, then send this again.", 409)
    pain_after, notes = data["pain_after"], data["notes"]
    if not session.finish(pain_after, notes, data.get("back_pain_after"), at=phone_time_of(request)):
        # Another request (a second tab, a replay at the same moment) finished it first: the same answers are a
        # replay, other answers are refused; they never overwrite the first.
        return outbox_answer("replay") if session.finished_with(pain_after, notes) else outbox_refusal(ended, 409)
    return outbox_answer("created", 201, summary=reverse("journal:session_summary", args=[session.pk]))


def _above_light(request: AuthenticatedHttpRequest, releases: list[Release]) -> int:
    """How many of `releases` logged a pressure above LIGHT_PRESSURE_LIMIT, for someone whose health answers call for
    light pressure (else 0; their answers are read only when there is such a pressure)."""
    above = sum(1 for r in releases if r.pressure is not None and r.pressure > LIGHT_PRESSURE_LIMIT)
    return above if above and PrecautionProfile.for_user(request.user).light_pressure_only else 0


@login_required
@require_GET
def session_summary(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # The one write of this read: sessions left running for hours are closed (skipped when the database is busy).
    Session.objects.abandon_stale_for(request.user)
    session = _session_for(request, pk)
    if session.is_open:
        return redirect("journal:session_run", pk=session.pk)
    releases = list(session.releases.order_by("position"))
    red_flag_day = (
        session.red_flag
        or Session.objects.for_user(request.user).red_flagged().filter(local_date=session.local_date).exists()
    )
    context = {
        "session": session,
        "releases": releases,
        "held_count": sum(1 for r in releases if not r.skipped),
        "skipped_count": sum(1 for r in releases if r.skipped),
        "adverse_count": count_adverse(releases),
        # Under the light-pressure rule (blood thinners, a bleeding disorder) a pressure above its limit has its own
        # advice, here as well as at once: a quick log sent by the outbox comes straight to this page.
        "above_light": _above_light(request, releases),
        "light_pressure_message": LIGHT_PRESSURE_MESSAGE,
        "red_flag_day": red_flag_day,
        "change": session.pain_change,
        "abs_change": abs(session.pain_change) if session.pain_change is not None else None,
    }
    return TemplateResponse(request, "journal/session_summary.html", context)


@safety_acknowledged
@red_flag_followed_up
@require_http_methods(["GET", "POST"])
def quick_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    """ "I did this at the gym": one release logged without the timer, kept as a completed one-step session. The
    red-flag check comes with it: a sign reported keeps the release (it was done) but stops the session, as in
    the runner, with the advice for its urgency.

    The form carries a one-time key: a double tap, a replayed request or a second tab posting the same form lands on
    the session the first post made, and never makes a second one.
    """
    outbox = request.method == "POST" and from_outbox(request)
    if request.method == "POST":
        key = QuickLogForm.posted_key(request.POST)
        done = Session.objects.for_user(request.user).filter(idempotency_key=key).first() if key else None
        if done is not None:
            # The same form again: nothing is logged twice, but warning signs it now reports are never dropped.
            check = QuickLogForm(request.POST, user=request.user)
            late = check.is_valid() and done.report_late_red_flag(check.reported_red_flags)
            if outbox:
                return outbox_answer("replay", summary=reverse("journal:session_summary", args=[done.pk]))
            return _quick_log_done(request, done, created=late)
    form = QuickLogForm(request.POST if request.method == "POST" else None, user=request.user)
    if outbox and not form.is_valid():
        return outbox_refusal(" ".join(str(e) for errors in form.errors.values() for e in errors), INVALID)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        session, created = Session.objects.quick_log(
            request.user,
            data["key"],
            data["point"],
            data["side"],
            data["held_seconds"],
            red_flags=form.reported_red_flags,
            at=phone_time_of(request) if outbox else None,
            **form.release_answers(),
        )
        notice = answer_to(session, session.releases.get()) if created else ""
        if outbox:
            # No message queued for the next page: a sync may happen while the phone shows another page, which
            # would then carry it. The summary holds the advice (adverse responses, the light-pressure rule); the
            # notice goes with the answer.
            summary = reverse("journal:session_summary", args=[session.pk])
            status = 201 if created else 200
            return outbox_answer("created" if created else "replay", status, summary=summary, notice=notice)
        if notice:
            messages.warning(request, notice)
        return _quick_log_done(request, session, created)
    if form.is_bound:
        form.renew_stale_key()
    context = {"form": form, "precaution_notes": PrecautionProfile.for_user(request.user).notes()}
    return render_form_page(request, "journal/quick_log.html", "form", context)


def _quick_log_done(request: AuthenticatedHttpRequest, session: Session, created: bool) -> HttpResponse:
    _quick_log_messages(request, session, created)
    return go_to(request, "journal:session_summary", session.pk)


def _quick_log_messages(request: AuthenticatedHttpRequest, session: Session, created: bool) -> None:
    if created and session.red_flag:
        messages.warning(request, "Your release is logged. Please read the advice below before anything else.")
    elif created:
        messages.success(request, "Logged. Thank you for keeping your journal up to date.")
    else:
        messages.info(request, "This release was already saved, so it was not logged twice.")
