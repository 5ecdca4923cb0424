"""The catalogue (readable signed out), custom points, and the routine builder.

Step edits lock the routine row (see Routine.add_steps / remove_step / move_step) so two tabs editing one routine
take turns and positions stay 1..n. HTMX requests get the builder partial back; plain POSTs redirect.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import replayable_after_notice, safety_acknowledged
from accounts.models import PrecautionProfile
from config.http import AuthenticatedHttpRequest, HtmxHttpRequest
from config.rendering import page_or_partial, render_form_page
from routines.forms import (
    AddToRoutineForm,
    CustomPointForm,
    RoutineForm,
    StepAddForm,
    StepChangeForm,
    StepRestoreForm,
    hold_warning,
    min_hold_seconds,
)
from routines.models import (
    ARTICLE_HOLD_RANGE,
    HOLD_MAX_SECONDS,
    STEP_CHANGEOVER_SECONDS,
    Area,
    Point,
    Routine,
    RoutineStep,
    Side,
)

DETAIL = "routines/routine_detail.html"


# Catalogue --------------------------------------------------------------------------------------------------------


@require_GET
def catalogue(request: HtmxHttpRequest) -> HttpResponse:
    points = list(
        Point.objects.visible_to(request.user)
        .select_related("area")
        .prefetch_related(Prefetch("also_listed_in", queryset=Area.objects.only("pk")))
        .order_by("order", "name")
    )
    builtin = [p for p in points if p.is_builtin]
    listings = []
    for area in Area.objects.all():
        listed: list[tuple[Point, Area | None]] = []
        for point in builtin:
            if point.area_id == area.pk:
                listed.append((point, None))
            elif any(a.pk == area.pk for a in point.also_listed_in.all()):
                listed.append((point, point.area))
        listings.append((area, listed))
    context = {
        "listings": listings,
        "points": points,
        "custom_points": [p for p in points if not p.is_builtin],
    }
    return TemplateResponse(request, "routines/catalogue.html", context)


def _point_page(request: HtmxHttpRequest, point: Point, add_form: AddToRoutineForm | None = None) -> TemplateResponse:
    side = request.GET.get("side")
    if add_form is None and request.user.is_authenticated:
        add_form = AddToRoutineForm(user=request.user)
    context = {
        "hold_range": ARTICLE_HOLD_RANGE,
        "point": point,
        "point_list": [point],
        "side": side if side in Side.values else None,
        "is_mine": point.can_edit(request.user),
        "add_form": add_form,
        "sides": Side.choices,
        "precaution_notes": (
            PrecautionProfile.for_user(request.user).notes_for_point(point) if request.user.is_authenticated else []
        ),
    }
    status = 422 if add_form is not None and add_form.errors else 200
    return TemplateResponse(request, "routines/point_detail.html", context, status=status)


def _visible_point(request: HtmxHttpRequest, slug: str) -> Point:
    points = Point.objects.visible_to(request.user).select_related("area").prefetch_related("also_listed_in")
    return get_object_or_404(points, slug=slug)


@require_GET
def point_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    return _point_page(request, _visible_point(request, slug))


@login_required
@require_POST
@safety_acknowledged
def point_add_to_routine(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Adds the point (one side or both, for the user's default hold) to one of their routines, or to a new routine
    named after it; then shows that routine."""
    point = _visible_point(request, slug)
    form = AddToRoutineForm(request.POST, user=request.user)
    if not form.is_valid():
        return _point_page(request, point, form)
    routine = form.cleaned_data["routine"]
    if routine is None:
        routine = Routine.objects.create(owner=request.user, name=point.name[:100])
    added = routine.add_steps(point, form.sides, request.user.profile.default_hold_seconds)
    names = " and ".join(step.label for step in added)
    messages.success(request, f"Added {names} to “{routine.name}”.")
    return redirect("routines:routine_detail", pk=routine.pk)


# Custom points ----------------------------------------------------------------------------------------------------


def _own_point(request: AuthenticatedHttpRequest, pk: int) -> Point:
    return get_object_or_404(Point, pk=pk, owner=request.user)


def _point_form_page(request: AuthenticatedHttpRequest, form: CustomPointForm, point: Point | None) -> HttpResponse:
    mine = list(Point.objects.visible_to(request.user).select_related("area"))
    context = {"form": form, "point": point, "map_points": mine}
    return render_form_page(request, "routines/point_form.html", "form", context)


@login_required
@require_http_methods(["GET", "POST"])
def point_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = CustomPointForm(
        request.POST or None, initial={"default_hold_seconds": request.user.profile.default_hold_seconds}
    )
    if request.method == "POST" and form.is_valid():
        point = form.save(owner=request.user)
        messages.success(request, f"Added “{point.name}”. Only you can see it.")
        return redirect("routines:point_detail", slug=point.slug)
    return _point_form_page(request, form, None)


@login_required
@require_http_methods(["GET", "POST"])
def point_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    point = _own_point(request, pk)
    form = CustomPointForm(request.POST or None, instance=point)
    if request.method == "POST" and form.is_valid():
        point = form.save()
        messages.success(request, f"Saved “{point.name}”.")
        return redirect("routines:point_detail", slug=point.slug)
    return _point_form_page(request, form, point)


@login_required
@require_http_methods(["GET", "POST"])
def point_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    point = _own_point(request, pk)
    if request.method == "POST":
        name = point.name
        routine_ids = point.delete_custom()
        note = f" It was removed from {len(routine_ids)} routine(s)." if routine_ids else ""
        messages.success(request, f"Deleted “{name}”.{note} Sessions you logged on it keep its name.")
        return redirect("routines:catalogue")
    context = {
        "point": point,
        "step_count": point.routine_steps.count(),
        "routine_count": point.routine_steps.values("routine").distinct().count(),
        "release_count": point.releases.count(),
    }
    return TemplateResponse(request, "routines/point_delete.html", context)


# Routines ---------------------------------------------------------------------------------------------------------


@login_required
@require_GET
def routine_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    routines = list(Routine.objects.visible_to(request.user).with_totals().order_by("owner", "name", "pk"))
    context = {
        "builtin": [r for r in routines if r.is_builtin],
        "mine": [r for r in routines if not r.is_builtin and not r.archived],
        "archived": [r for r in routines if not r.is_builtin and r.archived],
    }
    return TemplateResponse(request, "routines/routine_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@safety_acknowledged
def routine_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = RoutineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        routine = form.save(commit=False)
        routine.owner = request.user
        routine.save()
        messages.success(request, f"Created “{routine.name}”. Now add its steps.")
        return redirect("routines:routine_detail", pk=routine.pk)
    return render_form_page(request, "routines/routine_form.html", "form", {"form": form, "routine": None})


# A plain (no-JavaScript) removal redirects to the routine, which then offers to undo it: the removed step waits
# here, in the user's session, until that page is shown.
UNDO_KEY = "routine-step-undo"


def _undo_payload(routine: Routine, step: RoutineStep) -> dict[str, Any]:
    """What the "Undo" form posts back to step_restore to put a removed step where it was."""
    return {
        "routine": routine.pk,
        "point": step.point_id,
        "side": step.side,
        "hold_seconds": step.hold_seconds,
        "position": step.position,
        "label": step.label,
    }


def _detail_context(
    request: HttpRequest, routine: Routine, form: StepAddForm | None = None, announce: str = "", level: str = "info"
) -> dict[str, Any]:
    steps = routine.load_steps()  # and routine.step_count, hold_total, estimated_seconds for the template
    editable = routine.can_edit(request.user)
    if editable and form is None and request.user.is_authenticated:  # only a signed-in owner can edit
        form = StepAddForm(user=request.user)
    return {
        "routine": routine,
        "steps": steps,
        "map_points": [step.point for step in steps],
        "hold_range": ARTICLE_HOLD_RANGE,
        "changeover_seconds": STEP_CHANGEOVER_SECONDS,
        "editable": editable,
        "form": form,
        "announce": announce,
        "level": level,
        "side_choices": Side.choices,
        "hold_limits": (min_hold_seconds(), HOLD_MAX_SECONDS),
    }


@login_required
@require_GET
def routine_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    routine = get_object_or_404(Routine.objects.visible_to(request.user), pk=pk)
    context = _detail_context(request, routine)
    undo = request.session.get(UNDO_KEY)
    if undo and undo.get("routine") == routine.pk:
        context["undo"] = request.session.pop(UNDO_KEY)
    precautions = PrecautionProfile.for_user(request.user)
    has_foot = any(step.point.is_foot for step in context["steps"])
    context["precaution_notes"] = precautions.notes(
        foot=has_foot, glute=any(step.point.is_glute for step in context["steps"])
    )
    context["confirm_feet"] = precautions.needs_foot_confirmation(has_foot)
    return TemplateResponse(request, page_or_partial(request, DETAIL, "builder"), context)


def editable_routine(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Passes the user's own routine to the view: another user's routine is a 404, a built-in one a 403 page
    that says why and offers a copy."""

    @wraps(view)
    def wrapper(request: HtmxHttpRequest, pk: int, *args: object, **kwargs: object) -> HttpResponse:
        routine = get_object_or_404(Routine.objects.visible_to(request.user), pk=pk)
        if routine.is_builtin:
            return TemplateResponse(request, "routines/read_only.html", {"routine": routine}, status=403)
        try:
            return view(request, routine, *args, **kwargs)
        except Routine.DoesNotExist as exc:  # deleted in another tab while this request waited for the lock
            raise Http404("This routine no longer exists.") from exc

    return wrapper


def _builder_response(
    request: HtmxHttpRequest,
    routine: Routine,
    announce: str,
    level: str = "info",
    focus_position: int | None = None,
    focus_step: tuple[int, str] | None = None,
    undo: dict[str, Any] | None = None,
) -> HttpResponse:
    """HTMX: the builder partial with an announcement; plain POST: a message and a redirect to the routine.

    Keyboard users keep their place (htmx honours `autofocus` in swapped content): focus_step (step pk, and "up",
    "down" or "change") focuses that control of a step; focus_position, after a removal, the remove button of the
    step now at (or, past the end, just before) that position. `undo` (a removed step) shows an "Undo" form.
    """
    if request.htmx:
        context = _detail_context(request, routine, announce=announce, level=level)
        context["undo"] = undo
        if focus_step is not None:
            context["focus_step_pk"], context["focus_control"] = focus_step
        elif focus_position is not None and context["steps"]:
            context["focus_step_pk"] = context["steps"][min(focus_position, len(context["steps"])) - 1].pk
            context["focus_control"] = "remove"
        return TemplateResponse(request, f"{DETAIL}#builder", context)
    messages.add_message(request, messages.WARNING if level == "warning" else messages.INFO, announce)
    if undo is not None:
        request.session[UNDO_KEY] = undo
    return redirect("routines:routine_detail", pk=routine.pk)


@login_required
@require_http_methods(["GET", "POST"])
@editable_routine
def routine_edit(request: AuthenticatedHttpRequest, routine: Routine) -> HttpResponse:
    form = RoutineForm(request.POST or None, instance=routine)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Saved.")
        return redirect("routines:routine_detail", pk=routine.pk)
    return render_form_page(request, "routines/routine_form.html", "form", {"form": form, "routine": routine})


@login_required
@require_POST
@safety_acknowledged
@replayable_after_notice
def routine_copy(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    source = get_object_or_404(Routine.objects.visible_to(request.user), pk=pk)
    copy, created = source.copy_for(request.user)
    if created:
        messages.success(request, f"Copied into “{copy.name}”. This copy is yours to change.")
    else:
        messages.info(request, f"You copied this routine a moment ago, so here is that copy, “{copy.name}”, again.")
    return redirect("routines:routine_detail", pk=copy.pk)


@login_required
@require_POST
@editable_routine
def routine_archive(request: AuthenticatedHttpRequest, routine: Routine, archived: bool = True) -> HttpResponse:
    Routine.objects.filter(pk=routine.pk).update(archived=archived)
    if archived:
        messages.success(request, f"Archived “{routine.name}”. You find it under Archived and can bring it back.")
    else:
        messages.success(request, f"“{routine.name}” is back in your routines.")
    return redirect("routines:routine_list")


@login_required
@require_http_methods(["GET", "POST"])
@editable_routine
def routine_delete(request: AuthenticatedHttpRequest, routine: Routine) -> HttpResponse:
    if request.method == "POST":
        name = routine.name
        routine.delete()
        messages.success(request, f"Deleted “{name}”. Sessions you ran with it stay in your journal.")
        return redirect("routines:routine_list")
    return TemplateResponse(
        request, "routines/routine_delete.html", {"routine": routine, "session_count": routine.sessions.count()}
    )


# Steps ------------------------------------------------------------------------------------------------------------


@login_required
@require_POST
@editable_routine
def step_add(request: AuthenticatedHttpRequest, routine: Routine) -> HttpResponse:
    form = StepAddForm(request.POST, user=request.user)
    if not form.is_valid():
        context = _detail_context(
            request, routine, form=form, announce="The step was not added: see the form.", level="danger"
        )
        return render_form_page(request, DETAIL, "builder", context)
    point, hold = form.cleaned_data["point"], form.cleaned_data["hold_seconds"]
    added = routine.add_steps(point, form.sides, hold)
    names = " and ".join(step.label for step in added)
    warning = hold_warning(hold)
    announce = f"Added {names}, {hold} seconds." + (f" {warning}" if warning else "")
    return _builder_response(request, routine, announce, "warning" if warning else "info")


@login_required
@require_POST
@editable_routine
def step_remove(request: AuthenticatedHttpRequest, routine: Routine, step_pk: int) -> HttpResponse:
    step = routine.remove_step(step_pk)
    if step is None:
        return _builder_response(request, routine, "That step had already been removed. This is the routine now.")
    return _builder_response(
        request,
        routine,
        f"Removed step {step.position}: {step.label}.",
        focus_position=step.position,
        undo=_undo_payload(routine, step),
    )


@login_required
@require_POST
@editable_routine
def step_restore(request: AuthenticatedHttpRequest, routine: Routine) -> HttpResponse:
    """Undo for a removal: the step goes back to the position it had (or the end, if the routine got shorter)."""
    form = StepRestoreForm(request.POST, user=request.user)
    if not form.is_valid():
        return _builder_response(request, routine, "The step could not be put back. Add it again below.", "danger")
    data = form.cleaned_data
    step = routine.insert_step(data["position"], data["point"], data["side"], data["hold_seconds"])
    return _builder_response(
        request, routine, f"Put back {step.label} as step {step.position}.", focus_step=(step.pk, "change")
    )


@login_required
@require_POST
@editable_routine
def step_change(request: AuthenticatedHttpRequest, routine: Routine, step_pk: int) -> HttpResponse:
    """Changes a step's side and hold in place."""
    form = StepChangeForm(request.POST)
    if not form.is_valid():
        errors = " ".join(str(error) for field_errors in form.errors.values() for error in field_errors)
        return _builder_response(request, routine, f"The step was not changed. {errors}", "danger")
    step = routine.change_step(step_pk, form.cleaned_data["side"], form.cleaned_data["hold_seconds"])
    if step is None:
        return _builder_response(request, routine, "That step had already been removed. This is the routine now.")
    warning = hold_warning(step.hold_seconds)
    announce = f"Step {step.position} is now {step.label}, {step.hold_seconds} seconds." + (
        f" {warning}" if warning else ""
    )
    level = "warning" if warning else "info"
    return _builder_response(request, routine, announce, level, focus_step=(step.pk, "change"))


@login_required
@require_POST
@editable_routine
def step_move(request: AuthenticatedHttpRequest, routine: Routine, step_pk: int) -> HttpResponse:
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        return HttpResponseBadRequest("Move a step up or down.")
    step = routine.move_step(step_pk, -1 if direction == "up" else 1)
    if step is None:
        return _builder_response(request, routine, "That step had already been removed. This is the routine now.")
    return _builder_response(
        request, routine, f"{step.label} is now step {step.position}.", focus_step=(step.pk, direction)
    )
