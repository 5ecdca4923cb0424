"""Request types for views: what the middleware adds, so that mypy checks it.

Follows healthchecks' `AuthenticatedHttpRequest` and the django-htmx example project's `HtmxHttpRequest`: they exist
only for type checking (Django builds a plain `HttpRequest`; django-htmx's middleware sets `htmx`, Django's
authentication middleware sets `user`).
"""

from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """Any request: `htmx` is falsy for a plain request, and tells an htmx request's target, trigger and kind."""

    htmx: HtmxDetails


class AuthenticatedHttpRequest(HtmxHttpRequest):
    """A request that passed `login_required` (or a decorator built on it): `user` is a signed-in `User`."""

    user: User


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
