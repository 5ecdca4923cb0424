"""The exports page and the CSV, JSON, PDF and FHIR downloads of the signed-in user's journal."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from config.http import AuthenticatedHttpRequest
from config.rendering import INVALID, go_to, render_form_page
from journal.exports.fhir import bundle_pieces
from journal.exports.forms import ReportDetailsForm
from journal.exports.report import RELEASE_SESSIONS_LIMIT
from journal.exports.responses import csv_response, pdf_response
from journal.lib.daterange import DateRange
from journal.lib.downloads import attachment, with_date_range
from journal.lib.forms import DateRangeForm
from journal.lib.heavy import heavy

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
    # `?saved=1`: back from a plain post of the report details, which says so where they are.
    context = _export_context(request, saved=request.GET.get("saved") == "1")
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
            return go_to(request, reverse("journal:exports") + "?saved=1")
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
