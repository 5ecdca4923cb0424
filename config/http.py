"""Request types for views: what the middleware adds, so that mypy checks it.

Follows healthchecks' `AuthenticatedHttpRequest` and the django-htmx example project's `HtmxHttpRequest`: they exist
only for type checking (Django builds a plain `HttpRequest`; django-htmx's middleware sets `htmx`, Django's
authentication middleware sets `user`).
"""

from django.contrib.auth.models import User
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """Any request: `htmx` is falsy for a plain request, and tells an htmx request's target, trigger and kind."""

    htmx: HtmxDetails


class AuthenticatedHttpRequest(HtmxHttpRequest):
    """A request that passed `login_required` (or a decorator built on it): `user` is a signed-in `User`."""

    user: User
