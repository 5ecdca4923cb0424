"""What share links and reminder calendars have in common: a secret address shown once to its owner, and pages
reached by that address alone, which tell a stranger nothing."""

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import wraps
from typing import Any, Protocol

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, models, transaction
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.template.response import TemplateResponse
from django.urls import reverse

from config.http import AuthenticatedHttpRequest, HtmxHttpRequest
from config.rendering import INVALID, page_or_partial
from journal.models import AccessMiss, Revocable
from journal.tokens import client_address_hash, hash_token, new_token


class SecretAddressForm(Protocol):
    """What `issue` needs of a form making a row with a secret address (a share link, a reminder's feed): a model form
    with a one-time key (journal.lib.keys.OneTimeKey) that saves its row for a user with the token's hash."""

    instance: Any

    def posted_key(self, data: Mapping[str, Any]) -> uuid.UUID | None: ...
    def is_valid(self) -> bool: ...
    def renew_stale_key(self) -> None: ...
    def save_for(self, user: User, token_hash: str) -> Revocable: ...


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


@dataclass(frozen=True)
class Issued:
    """What a post to a list of private links did: `url`, the secret address to show once (None when there is
    none), the status, and `again` when the same form had been posted before (no second row was made)."""

    url: str | None
    status: int
    again: bool = False


def issue(request: AuthenticatedHttpRequest, form: SecretAddressForm, url_name: str) -> Issued:
    """For a posted, valid `form`: saves it for the user with a new token's hash and returns the token's address
    and 201. The address is shown once, in this response: it is never stored, nor carried across a redirect.

    The form's one-time key is stored with the row, unique per user: the same form posted twice (a double tap, a
    replay, a second tab, at once or later) never makes a second row. The answer to the repeat gives that row a new
    address and shows it (200), since only the hash was kept and the first answer may never have been seen; a row
    revoked since keeps its old, dead address. Otherwise no address: 200 for a GET and 422 for invalid input."""
    if request.method != "POST":
        return Issued(None, 200)
    model = type(form.instance)
    key = form.posted_key(request.POST)
    if key is not None and (made := model.objects.filter(user=request.user, idempotency_key=key).first()):
        return _issued_again(request, made, url_name)
    if not form.is_valid():
        form.renew_stale_key()
        return Issued(None, INVALID)
    token, token_hash = new_token()
    try:
        with transaction.atomic():
            form.save_for(request.user, token_hash)
    except IntegrityError:  # the same form posted in parallel: the other request made the row first
        return _issued_again(request, model.objects.get(user=request.user, idempotency_key=key), url_name)
    return Issued(secret_url(request, url_name, token), 201)


def _issued_again(request: AuthenticatedHttpRequest, made: Revocable, url_name: str) -> Issued:
    if made.revoked_at is not None:
        return Issued(None, 200, again=True)
    return Issued(secret_url(request, url_name, made.new_address()), 200, again=True)
