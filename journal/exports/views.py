"""The exports page and the CSV, JSON, PDF and FHIR downloads of the signed-in user's journal."""

import logging
import time
from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import (
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.template.response import TemplateResponse
from django.utils.html import escape
from django.views.decorators.http import require_GET, require_POST

from config.http import AuthenticatedHttpRequest, HtmxHttpRequest
from config.rendering import INVALID, go_to, render_form_page
from journal.exports.csv_export import csv_filename, csv_lines
from journal.exports.fhir import bundle_pieces
from journal.exports.forms import ReportDetailsForm
from journal.exports.pdf import PAPER_SIZES
from journal.exports.pdf_bounded import ReportTooLarge, render_report_pdf_bounded
from journal.exports.report import RELEASE_SESSIONS_LIMIT, report_context
from journal.lib.daterange import BadRange, DateRange, parse_range
from journal.lib.forms import DateRangeForm
from journal.lib.heavy import heavy

logger = logging.getLogger(__name__)


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


def csv_response(user: User, date_range: DateRange) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in csv_lines(user, date_range)), content_type="text/csv; charset=utf-8"
    )
    return attachment(response, csv_filename(date_range))


def every_release_asked(request: HtmxHttpRequest) -> bool | None:
    """`?releases=all` asks for every release of the latest sessions; absent, the compact log alone. None for any
    other value (a 400)."""
    value = request.GET.get("releases", "")
    return {"": False, "all": True}.get(value)


def releases_bad_request() -> HttpResponseBadRequest:
    return HttpResponseBadRequest("releases must be all or left out.", content_type="text/plain; charset=utf-8")


def pdf_response(request: HtmxHttpRequest, user: User, date_range: DateRange) -> HttpResponse:
    """The report as a PDF on the paper `?paper=` names (A4 by default), with every release of the latest sessions
    when `?releases=all`."""
    paper = request.GET.get("paper", "a4").lower()
    if paper not in PAPER_SIZES:
        return HttpResponseBadRequest("Paper must be a4 or letter.", content_type="text/plain; charset=utf-8")
    every_release = every_release_asked(request)
    if every_release is None:
        return releases_bad_request()
    started = time.perf_counter()
    context = report_context(user, date_range, every_release=every_release)
    try:
        pdf = render_report_pdf_bounded(context, paper)
    except ReportTooLarge as error:
        logger.warning("PDF report not made for user %s (%s): %s", user.pk, date_range.describe(), error)
        return report_too_large(request, date_range)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Server-Timing"] = f"pdf;dur={1000 * (time.perf_counter() - started):.0f}"
    return attachment(response, report_filename(context, date_range, paper))


def report_filename(context: dict[str, Any], date_range: DateRange, paper: str) -> str:
    """`tenderspot-report_2025-12-01_to_2026-11-30_a4.pdf`, with `_every-release` before the paper when every
    release is listed: the two PDFs of the same dates differ, and a saved pair must not overwrite each other. The
    dates are the report's period (an open range names the first session and today), or the range asked for when
    the period is empty."""
    start, end = context.get("period_start"), context.get("period_end")
    dates = f"{start:%Y-%m-%d}_to_{end:%Y-%m-%d}" if start and end else date_range.filename_part()
    every = "_every-release" if context.get("every_release") else ""
    return f"tenderspot-report_{dates}{every}_{paper}.pdf"


def report_too_large(request: HtmxHttpRequest, date_range: DateRange) -> HttpResponse:
    """503 with a page that says what to do: the render passed its time or memory limit."""
    response = TemplateResponse(request, "journal/report_too_large.html", {"range": date_range}, status=503)
    response["Retry-After"] = str(settings.TENDERSPOT_HEAVY_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


EXPORTS_TEMPLATE = "journal/exports.html"


def _export_context(
    request: AuthenticatedHttpRequest, details_form: ReportDetailsForm | None = None, **extra: object
) -> dict[str, Any]:
    form = DateRangeForm(request.GET or None)
    date_range = DateRange()
    if form.is_bound and form.is_valid():
        date_range = DateRange(form.cleaned_data["start"], form.cleaned_data["end"])
    return {
        "form": form,
        "query": date_range.query(),
        "range": date_range,
        "details_form": details_form or ReportDetailsForm(instance=request.user.profile),
        "release_sessions_limit": RELEASE_SESSIONS_LIMIT,
        **extra,
    }


@login_required
@require_GET
def export_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = _export_context(request)
    status = INVALID if context["form"].is_bound and context["form"].errors else 200
    return TemplateResponse(request, EXPORTS_TEMPLATE, context, status=status)


@login_required
@require_POST
def report_details(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Saves the name and the questions the person's report shows; 422 with the form's errors, nothing saved."""
    form = ReportDetailsForm(request.POST, instance=request.user.profile)
    if form.is_valid():
        form.save()
        if not request.htmx:
            return go_to(request, "journal:exports")
        form = ReportDetailsForm(instance=request.user.profile)
        return render_form_page(request, EXPORTS_TEMPLATE, "report-details", _export_context(request, form, saved=True))
    return render_form_page(request, EXPORTS_TEMPLATE, "report-details", _export_context(request, form), "details_form")


@login_required
@require_GET
@heavy("export")
@with_date_range
def export_csv(request: AuthenticatedHttpRequest, date_range: DateRange) -> HttpResponseBase:
    return csv_response(request.user, date_range)


@login_required
@require_GET
@heavy("pdf")
@with_date_range
def export_pdf(request: AuthenticatedHttpRequest, date_range: DateRange) -> HttpResponseBase:
    return pdf_response(request, request.user, date_range)


@login_required
@require_GET
@heavy("export")
@with_date_range
def export_fhir(request: AuthenticatedHttpRequest, date_range: DateRange) -> HttpResponseBase:
    # Streamed entry by entry: a ten-year Bundle built in memory took over half a gigabyte.
    response = StreamingHttpResponse(
        (piece.encode("utf-8") for piece in bundle_pieces(request.user, date_range)),
        content_type="application/fhir+json",
    )
    return attachment(response, f"tenderspot-fhir_{date_range.filename_part()}.json")
