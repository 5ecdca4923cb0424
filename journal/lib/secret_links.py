"""What share links and reminder calendars have in common: a secret address shown once to its owner, and pages
reached by that address alone, which tell a stranger nothing."""

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.template.response import TemplateResponse
from django.urls import reverse

from config.http import AuthenticatedHttpRequest, HtmxHttpRequest
from config.rendering import INVALID, page_or_partial
from journal.lib.tokens import client_address_hash, hash_token, new_token
from journal.models import AccessMiss

if TYPE_CHECKING:
    from journal.reminders.forms import ReminderForm
    from journal.sharing.forms import ShareLinkForm

PRIVATE_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex, nofollow",
}


def private[R: HttpResponseBase](response: R) -> R:
    for header, value in PRIVATE_HEADERS.items():
        response[header] = value
    return response


def too_many_misses() -> HttpResponse:
    response = HttpResponse(
        "Too many unknown links from your address. Try again in a few minutes.",
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(int(settings.TENDERSPOT_SHARE_MISS_WINDOW.total_seconds()))
    return private(response)


def token_view[T: models.Model](
    usable: Callable[[], QuerySet[T]],
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """Resolves the `token` of the URL among `usable()` rows (no sign-in) and calls the view with the row. Unknown,
    expired and revoked tokens all raise the same 404; an address with too many recent misses gets 429 for every
    token until its misses age out."""

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapper(request: HtmxHttpRequest, token: str) -> HttpResponseBase:
            address = client_address_hash(request)
            if AccessMiss.objects.is_limited(address):
                return too_many_misses()
            found = usable().filter(token_hash=hash_token(token)).first()
            if found is None:
                AccessMiss.objects.record(address)
                raise Http404("No such link")
            return private(view(request, found))

        return wrapper

    return decorator


def panel(request: HtmxHttpRequest, template: str, context: dict[str, Any], status: int = 200) -> TemplateResponse:
    """The owner's page of links or reminders (for htmx, its `panel` partial alone), never stored by a cache: it
    may show a secret address, once."""
    response = TemplateResponse(request, page_or_partial(request, template, "panel"), context, status=status)
    response["Cache-Control"] = "no-store"
    return response


def secret_url(request: HtmxHttpRequest, url_name: str, token: str) -> str:
    return request.build_absolute_uri(reverse(url_name, args=[token]))


def issue(
    request: AuthenticatedHttpRequest, form: "ShareLinkForm | ReminderForm", url_name: str
) -> tuple[str | None, int]:
    """For a posted, valid `form`: saves it for the user with a new token's hash and returns the token's address
    and 201. The address is shown once, in this response: it is never stored, nor carried across a redirect.
    Otherwise (None, 200) for a GET and (None, 422) for invalid input."""
    if request.method != "POST":
        return None, 200
    if not form.is_valid():
        return None, INVALID
    token, token_hash = new_token()
    form.save_for(request.user, token_hash)
    return secret_url(request, url_name, token), 201
