"""Heavy requests (the PDF report, the CSV, JSON and FHIR downloads): few at a time per user, per share link and,
for the PDF, per instance, so that one person (or anyone holding a share link) cannot occupy every worker.

The slots are rows of `HeavyLease` in the database: gunicorn processes and hosts keep no state of their own, and
Django's cache is process-local unless configured otherwise. A request that finds its scope full gets 429 with
Retry-After at once, instead of queueing behind a worker.
"""

import time
from collections.abc import Callable, Iterable, Iterator
from functools import wraps
from typing import Any, cast

from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase

from config.http import AuthenticatedHttpRequest
from journal.models import HeavyLease, ShareLink


def scopes_for(user: User, link: ShareLink | None = None, kind: str = "export") -> dict[str, int]:
    """The scopes a heavy request of `kind` for `user`'s data (through `link`, if any) takes a slot in."""
    scopes = {f"user:{user.pk}": settings.TENDERSPOT_HEAVY_PER_USER}
    if link is not None:
        scopes[f"link:{link.pk}"] = settings.TENDERSPOT_HEAVY_PER_LINK
    if kind == "pdf":
        scopes["pdf"] = settings.TENDERSPOT_PDF_CONCURRENCY
    return scopes


def busy_response() -> HttpResponse:
    response = HttpResponse(
        "Another download of this report is being prepared. Try again in a few seconds.",
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(settings.TENDERSPOT_HEAVY_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


class _ReleasedAfter:
    """Iterates `chunks` and gives `leases` back after the last chunk, on an error, or when the server closes the
    response: a client that went away before the first chunk included (a generator that never started would
    never reach its `finally`)."""

    def __init__(self, chunks: Iterable[bytes], leases: list[HeavyLease]) -> None:
        self._chunks: Iterator[bytes] = iter(chunks)
        self._leases: list[HeavyLease] | None = leases
        self._renewed = time.monotonic()

    def __iter__(self) -> "_ReleasedAfter":
        return self

    def __next__(self) -> bytes:
        try:
            chunk = next(self._chunks)
        except BaseException:
            self.close()
            raise
        # A slow reader keeps the download running past the lease's life: renew it at half-life, so that the
        # slot is not taken over (and the limit exceeded) while this stream still runs.
        lease_seconds = settings.TENDERSPOT_HEAVY_LEASE_SECONDS
        if self._leases and time.monotonic() - self._renewed > lease_seconds / 2:
            HeavyLease.objects.renew(self._leases, lease_seconds)
            self._renewed = time.monotonic()
        return chunk

    def close(self) -> None:
        leases, self._leases = self._leases, None
        if leases is not None:
            HeavyLease.objects.give_back(leases)
        close = getattr(self._chunks, "close", None)
        if close is not None:
            close()


def limited(scopes: dict[str, int], respond: Callable[[], HttpResponseBase]) -> HttpResponseBase:
    """`respond()` holding a slot in each scope, or 429 when one is full. A streaming response keeps its slots
    until its last chunk is sent (or the client goes away and the server closes the iterator); a lease left
    behind by a crashed worker expires after TENDERSPOT_HEAVY_LEASE_SECONDS."""
    leases = HeavyLease.objects.take(scopes, seconds=settings.TENDERSPOT_HEAVY_LEASE_SECONDS)
    if leases is None:
        return busy_response()
    try:
        response = respond()
    except BaseException:
        HeavyLease.objects.give_back(leases)
        raise
    if isinstance(response, StreamingHttpResponse):
        response.streaming_content = _ReleasedAfter(cast(Iterator[bytes], response.streaming_content), leases)
    else:
        HeavyLease.objects.give_back(leases)
    return response


def heavy(kind: str = "export") -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """Decorates a signed-in user's download view: it runs holding a slot of the user's (and, for "pdf", the
    instance's) heavy requests, or answers 429."""

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapper(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            return limited(scopes_for(request.user, kind=kind), lambda: view(request, *args, **kwargs))

        return wrapper

    return decorator
