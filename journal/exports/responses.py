"""The CSV and PDF answers, the same for the owner's exports page and a share link's downloads: the file, its
name, and the errors its query can bring."""

import logging
import time
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.template.response import TemplateResponse

from config.http import HtmxHttpRequest
from journal.exports.csv_export import csv_filename, csv_lines
from journal.exports.pdf import PAPER_SIZES
from journal.exports.pdf_bounded import ReportTooLarge, render_report_pdf_bounded
from journal.exports.report import report_context
from journal.lib.daterange import DateRange
from journal.lib.downloads import attachment

logger = logging.getLogger(__name__)


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
    dates = (DateRange(start, end) if start and end else date_range).filename_part()
    every = "_every-release" if context.get("every_release") else ""
    return f"tenderspot-report_{dates}{every}_{paper}.pdf"


def report_too_large(request: HtmxHttpRequest, date_range: DateRange) -> HttpResponse:
    """503 with a page that says what to do: the render passed its time or memory limit."""
    response = TemplateResponse(request, "journal/report_too_large.html", {"range": date_range}, status=503)
    response["Retry-After"] = str(settings.TENDERSPOT_HEAVY_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response
