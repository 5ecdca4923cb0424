"""The journal: the list of sessions, one session with its releases, in-place edits and deletes."""

from typing import Any
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import PrecautionProfile
from config.http import AuthenticatedHttpRequest, HtmxHttpRequest
from config.rendering import go_to, render_form_page
from journal.history.forms import ReleaseEditForm, SessionFilterForm, SessionForm
from journal.models import Release, ReleaseQuerySet, Session, adverse_response_message, count_adverse

PAGE_SIZE = 25
DETAIL = "journal/session_detail.html"


@login_required
@require_GET
def session_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Sessions newest first, 25 a page, filtered by local date range and routine (a GET form)."""
    form = SessionFilterForm(request.user, request.GET or None)

    def count(releases: ReleaseQuerySet) -> Coalesce:
        counted = releases.filter(session=OuterRef("pk")).order_by().values("session").annotate(n=Count("pk"))
        return Coalesce(Subquery(counted.values("n")), 0)

    sessions = (
        Session.objects.for_user(request.user)
        .defer("plan", "notes")
        # Correlated counts, not a GROUP BY over every session: the (user, -started_at) index drives the page.
        .annotate(held_count=count(Release.objects.done()), skipped_count=count(Release.objects.filter(skipped=True)))
        .order_by("-started_at", "-pk")
    )
    filtered = False
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        sessions = sessions.between(data["start"], data["end"])
        if data["routine"]:
            sessions = sessions.filter(routine=data["routine"])
        filtered = any(data.values())
    page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "filtered": filtered, "has_any": filtered or page.paginator.count > 0}
    return render_form_page(request, "journal/session_list.html", "results", context)


def _own_session(request: HtmxHttpRequest, pk: int) -> Session:
    return get_object_or_404(Session, pk=pk, user=request.user)


def _detail_context(session: Session, **extra: Any) -> dict[str, Any]:
    releases = list(session.releases.select_related("point"))
    skipped_count = sum(release.skipped for release in releases)
    return {
        "session": session,
        "releases": releases,
        "held_count": len(releases) - skipped_count,
        "skipped_count": skipped_count,
        "adverse_count": count_adverse(releases),
        **extra,
    }


@login_required
@require_GET
def session_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = _own_session(request, pk)
    return TemplateResponse(request, DETAIL, _detail_context(session))


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The session's own fields; htmx swaps the form in place of the summary and back."""
    session = _own_session(request, pk)
    form = SessionForm(None, instance=session)
    saved = False
    if request.method == "POST":
        with transaction.atomic():
            # Read again under the session's lock (PostgreSQL: a row lock; SQLite: the IMMEDIATE transaction's
            # write lock), as a log, a finish or a red-flag stop take it: the form edits the session as it is now,
            # and saves only its own fields, never a stale copy of the rest (which undid a stop or a finish).
            session = Session.objects.locked().get(pk=session.pk)
            form = SessionForm(request.POST, instance=session)
            saved = form.is_valid()
            if saved:
                form.save()
    if saved:
        if not request.htmx:
            messages.success(request, "Session saved.")
            return redirect("journal:session_detail", pk=session.pk)
        return TemplateResponse(request, f"{DETAIL}#session-summary", {"session": session, "saved": True})
    return render_form_page(
        request, DETAIL, "session-form", _detail_context(session, session_form=form), form_key="session_form"
    )


@login_required
@require_http_methods(["GET", "POST"])
def release_edit(request: AuthenticatedHttpRequest, pk: int, release_pk: int) -> HttpResponse:
    session = _own_session(request, pk)
    release = get_object_or_404(Release, pk=release_pk, session=session)
    # Ids of its own: the form may sit in the runner's page next to the step's log form, with the same fields.
    light = PrecautionProfile.for_user(request.user).light_pressure_only
    form = ReleaseEditForm(
        request.POST or None, instance=release, auto_id=f"id_release{release.pk}_%s", light_pressure=light
    )
    runner_url = _runner_url(request, session)
    if request.method == "POST" and _saved_under_lock(session, form):
        # A corrected pressure (or hold stopped because it hurt) is answered as the runner answers it at once.
        answered = {"pressure", "stopped_early"} & set(form.changed_data)
        notice = adverse_response_message(release, light_pressure=light) if answered else ""
        if not request.htmx:
            messages.success(request, "Release saved.")
            if notice:
                messages.warning(request, notice)
            return redirect(f"{reverse('journal:session_detail', args=[session.pk])}#release-{release.pk}")
        context = {
            "session": session,
            "release": release,
            "adverse_count": session.releases.adverse().count(),
            "notice": notice,
        }
        if runner_url:  # back into the runner's list in the list's own shape, not as the session page's card
            return TemplateResponse(request, f"{DETAIL}#logged-release-saved", context)
        return TemplateResponse(request, f"{DETAIL}#release-saved", {**context, "saved": True})
    context = _detail_context(
        session, release=release, release_form=form, editing_release=release.pk, runner_url=runner_url
    )
    return render_form_page(request, DETAIL, "release-form", context, form_key="release_form")


def _saved_under_lock(session: Session, form: ReleaseEditForm) -> bool:
    """Validates and saves `form` with the session's row locked (PostgreSQL: a row lock; SQLite: the IMMEDIATE
    transaction's write lock), as `Session.log_release` does: the room left to hold is read while no other release of
    the session is being stored. Returns whether it was valid (and saved)."""
    with transaction.atomic():
        # The session as it is now (its finish may have just moved): the room is measured on it.
        form.instance.session = Session.objects.locked().get(pk=session.pk)
        if not form.is_valid():
            return False
        form.save()
        return True


def _runner_url(request: HtmxHttpRequest, session: Session) -> str:
    """The runner's address when this htmx request comes from the session's runner page (its "Logged so far"
    list, whose "Correct" opens this form), else ""."""
    url = reverse("journal:session_run", args=[session.pk])
    current = request.htmx.current_url if request.htmx else None
    return url if current and urlsplit(current).path == url else ""


@login_required
@require_POST
def release_delete(request: AuthenticatedHttpRequest, pk: int, release_pk: int) -> HttpResponse:
    session = _own_session(request, pk)
    release = get_object_or_404(Release, pk=release_pk, session=session)
    label = f"{release.point_name} ({release.get_side_display().lower()})"
    release.delete()
    if request.htmx:
        # The release's card is swapped for this notice.
        context = {"label": label, "adverse_count": session.releases.adverse().count()}
        return TemplateResponse(request, f"{DETAIL}#release-deleted", context)
    messages.success(request, f"Release deleted: {label}.")
    return redirect("journal:session_detail", pk=session.pk)


@login_required
@require_POST
def session_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = _own_session(request, pk)
    if session.red_flag and session.red_flag_assessed_at is None:
        # The report is what keeps sessions closed until a clinician has seen the person: it cannot be deleted
        # away. Once they have answered the follow-up question, the session can go like any other.
        messages.warning(
            request,
            "This session holds a warning sign you reported, so it cannot be deleted until you have told us a "
            "clinician has assessed you.",
        )
        return go_to(request, "journal:red_flag_follow_up")
    session.delete()
    messages.success(request, "Session deleted.")
    return go_to(request, "journal:session_list")
