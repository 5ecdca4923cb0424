"""What every download shares, whoever asks (the owner's exports and backup, a share link's CSV and PDF): the date
range read from the query, its error, and the attachment headers."""

from collections.abc import Callable
from functools import wraps
from typing import Concatenate

from django.http import HttpResponseBadRequest
from django.http.response import HttpResponseBase
from django.utils.html import escape

from config.http import HtmxHttpRequest
from journal.lib.daterange import BadRange, DateRange, parse_range


def bad_range(error: BadRange) -> HttpResponseBadRequest:
    return HttpResponseBadRequest(f"Bad date range: {escape(str(error))}", content_type="text/plain; charset=utf-8")


def with_date_range[Request: HtmxHttpRequest, **P](
    view: Callable[Concatenate[Request, DateRange, P], HttpResponseBase],
) -> Callable[Concatenate[Request, P], HttpResponseBase]:
    """Reads ?start=&end= into a DateRange passed to the view; a bad range answers 400 with the reason."""

    @wraps(view)
    def wrapper(request: Request, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        try:
            date_range = parse_range(request.GET)
        except BadRange as error:
            return bad_range(error)
        return view(request, date_range, *args, **kwargs)

    return wrapper


def attachment[R: HttpResponseBase](response: R, filename: str) -> R:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
