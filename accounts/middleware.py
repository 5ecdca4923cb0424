import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers


class UserTimezoneMiddleware:
    """Renders dates and times in the signed-in user's own time zone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            profile = getattr(user, "profile", None)
            timezone.activate(zoneinfo.ZoneInfo(profile.time_zone) if profile else timezone.get_default_timezone())
        else:
            timezone.deactivate()
        return self.get_response(request)


class PrivatePagesMiddleware:
    """Every response to a signed-in request (and the one that signs out) says `Cache-Control: private, no-store`:
    no browser or proxy cache keeps a copy of a page with someone's pain data, so nothing of it survives logout
    (the back button asks the server again, which sends a signed-out visitor to the log-in page)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        response = self.get_response(request)
        after = getattr(request, "user", None)
        if signed_in or (after is not None and after.is_authenticated):
            if "no-store" not in response.get("Cache-Control", ""):
                response["Cache-Control"] = "private, no-store"
            patch_vary_headers(response, ["Cookie"])
        return response


class KnownDeviceMiddleware:
    """Sets the signed device cookie on the response to a log-in or a completed password reset
    (`accounts.security.remember_device`): the address-wide log-in limit does not lock this browser out for that
    username."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from accounts.security import set_device_cookie

        response = self.get_response(request)
        set_device_cookie(request, response)
        return response
