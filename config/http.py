"""Request types for views: what the middleware adds, so that mypy checks it.

Follows healthchecks' `AuthenticatedHttpRequest` and the django-htmx example project's `HtmxHttpRequest`: they exist
only for type checking (Django builds a plain `HttpRequest`; django-htmx's middleware sets `htmx`, Django's
authentication middleware sets `user`).
"""

from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpRequest, JsonResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """Any request: `htmx` is falsy for a plain request, and tells an htmx request's target, trigger and kind."""

    htmx: HtmxDetails


class AuthenticatedHttpRequest(HtmxHttpRequest):
    """A request that passed `login_required` (or a decorator built on it): `user` is a signed-in `User`."""

    user: User


def next_path(request: HttpRequest) -> str:
    """Where the person was going (`next` in the POST, else the query): a path on this site ("/journal/..."), or ""
    for anything else. Only a path is taken, never a URL name or an address elsewhere: `redirect()` would read a
    bare word as a URL name (and fail on one that is not), and an address on another host is an open redirect."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not target.startswith("/") or target.startswith(("//", "/\\")):
        return ""
    return target if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()) else ""


# The header the phone's outbox (static/js/outbox.js) sends with every entry; its answers are JSON.
OUTBOX_HEADER = "X-Outbox"


def from_outbox(request: HttpRequest) -> bool:
    """Whether the post comes from the phone's outbox, which wants a JSON answer, never a page or a redirect."""
    return request.method == "POST" and request.headers.get(OUTBOX_HEADER) == "1"


def outbox_gate(error: str, then: str) -> JsonResponse:
    """A gate before a view (the safety notice, a red flag's follow-up question) answering the outbox: 409 with the
    reason and the page to open (`then`), so the phone keeps the entry and says what to do, not "sign in"; the
    entry is sent again once the gate is passed (`retry`)."""
    return JsonResponse({"error": error, "then": then, "retry": True}, status=409)


def client_address(request: HttpRequest) -> str:
    """The client's IP address as text ("" when unknown): the one address used by the log-in lockout (django-axes,
    through AXES_CLIENT_IP_CALLABLE), the sign-up and reset throttles, and the share-link miss limiter.

    Behind TENDERSPOT_PROXY_COUNT (DJANGO_PROXY_COUNT) trusted reverse proxies, each appends the address it saw to
    X-Forwarded-For, so the client is the entry that many hops from the right: what the outermost trusted proxy saw.
    Entries further left are written by the client and could be anything. With no proxy (0), X-Forwarded-For is
    ignored: the client wrote all of it, and honouring it would let anyone choose the address they are limited by.
    A header with fewer entries than proxies means a request that bypassed them: REMOTE_ADDR is used."""
    address = str(request.META.get("REMOTE_ADDR") or "")
    proxies = settings.TENDERSPOT_PROXY_COUNT
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR") or "")
    if proxies > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            address = hops[-proxies]
    return address
