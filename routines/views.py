from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from routines.models import Area, Point, Routine, RoutineStep


@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    points = Point.objects.visible_to(request.user).select_related("area")
    areas = Area.objects.prefetch_related(
        Prefetch("points", queryset=Point.objects.builtin()),
        Prefetch("shared_points", queryset=Point.objects.builtin()),
    )
    return TemplateResponse(request, "routines/catalogue.html", {"areas": areas, "points": points})


@require_GET
def point_detail(request: HttpRequest, slug: str) -> HttpResponse:
    point = get_object_or_404(Point.objects.visible_to(request.user).select_related("area"), slug=slug)
    return TemplateResponse(request, "routines/point_detail.html", {"point": point, "point_list": [point]})


@login_required
@require_GET
def routine_list(request: HttpRequest) -> HttpResponse:
    routines = Routine.objects.for_user(request.user).active().prefetch_related("steps")
    return TemplateResponse(request, "routines/routine_list.html", {"routines": routines})


@login_required
@require_GET
def routine_detail(request: HttpRequest, pk: int) -> HttpResponse:
    routine = get_object_or_404(Routine.objects.for_user(request.user), pk=pk)
    steps = RoutineStep.objects.filter(routine=routine).select_related("point")
    return TemplateResponse(request, "routines/routine_detail.html", {"routine": routine, "steps": steps})
