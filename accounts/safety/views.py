"""The safety notice: readable by anyone, acknowledged once by each signed-in user before starting anything
(accounts.decorators.safety_acknowledged sends them here)."""

from typing import cast

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import Resolver404, resolve
from django.views.decorators.http import require_http_methods

from config.http import HtmxHttpRequest, next_path


def _safe_then(request: HtmxHttpRequest) -> str:
    """The action to carry out once the notice is acknowledged: a path on this site whose view is marked
    `replayable_after_notice` (accounts.decorators), else ""."""
    path = request.POST.get("then") or request.GET.get("then") or ""
    if not path.startswith("/") or path.startswith("//") or "?" in path:
        return ""
    try:
        match = resolve(path)
    except Resolver404:
        return ""
    return path if getattr(match.func, "replayable_after_notice", False) else ""


@require_http_methods(["GET", "POST"])
def safety(request: HtmxHttpRequest) -> HttpResponse:
    """The safety notice, readable by anyone; a signed-in user acknowledges it once before starting anything."""
    if request.method == "POST":
        return acknowledge_safety(request)
    return TemplateResponse(request, "safety.html", {"next": next_path(request), "then": _safe_then(request)})


@login_required
def acknowledge_safety(request: HtmxHttpRequest) -> HttpResponse:
    """Records the acknowledgement, then carries out what the person had asked for: a POST that the gate held back
    is replayed (307 keeps the method and this form's CSRF token), a page asked for is shown."""
    cast(User, request.user).profile.acknowledge_safety()  # login_required: a signed-in user
    then = _safe_then(request)
    if then:
        response = HttpResponse(status=307)
        response["Location"] = then
        return response
    return redirect(next_path(request) or "home")
