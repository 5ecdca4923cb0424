"""How views answer htmx and plain requests alike."""

from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, resolve_url
from django.template.response import TemplateResponse
from django_htmx.http import HttpResponseClientRedirect

from config.http import HtmxHttpRequest

# Invalid form input answers 422; htmx is configured (base.html) to swap 422 responses so errors show in place.
INVALID = 422


def page_or_partial(request: HtmxHttpRequest, template: str, part: str) -> str:
    """`template#part` for an htmx request that targets part of a page, the whole template otherwise (also when
    htmx restores a page from history that its cache no longer holds: it asks for the whole page)."""
    # getattr: a request that never passed the middleware (a test's RequestFactory) counts as a plain one.
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.boosted and not htmx.history_restore_request:
        return f"{template}#{part}"
    return template


def render_form_page(
    request: HtmxHttpRequest, template: str, part: str, context: dict[str, Any], form_key: str = "form"
) -> TemplateResponse:
    """Renders a page (or its partial) holding a form; invalid bound forms answer 422."""
    form = context.get(form_key)
    status = INVALID if form is not None and form.is_bound and form.errors else 200
    return TemplateResponse(request, page_or_partial(request, template, part), context, status=status)


def go_to(request: HtmxHttpRequest, to: str, *args: Any) -> HttpResponse:
    """A redirect (to a URL or a URL name with its arguments) that an htmx request follows as a full page load
    (django-htmx's HttpResponseClientRedirect: an `HX-Redirect` header). Other requests get a plain redirect."""
    url = resolve_url(to, *args)
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)
    return redirect(url)
