"""Download the signed-in user's JSON backup, and import one into their account."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_http_methods

from config.http import AuthenticatedHttpRequest, HtmxHttpRequest
from config.rendering import INVALID, page_or_partial, render_form_page
from journal.backup.export import export_stream
from journal.backup.forms import ImportForm
from journal.backup.importer import ImportFileError, import_account
from journal.lib.daterange import DateRange
from journal.lib.downloads import attachment, with_date_range
from journal.lib.heavy import heavy

TEMPLATE = "journal/import.html"
MULTIPART_OVERHEAD = 64 * 1024


@login_required
@require_GET
@heavy("export")
@with_date_range
def export_json(request: AuthenticatedHttpRequest, date_range: DateRange) -> HttpResponseBase:
    """The backup as compact JSON, streamed in chunks (the whole document is never held in memory)."""
    response = StreamingHttpResponse(export_stream(request.user, date_range), content_type="application/json")
    return attachment(response, f"tenderspot-journal_{date_range.filename_part()}.json")


def _declared_too_big(request: HtmxHttpRequest) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > settings.TENDERSPOT_IMPORT_MAX_BYTES + MULTIPART_OVERHEAD


@login_required
@require_http_methods(["GET", "POST"])
def import_json(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "POST" and _declared_too_big(request):
        # Refused before the body is read, so an oversized upload is never spooled.
        limit_mb = settings.TENDERSPOT_IMPORT_MAX_BYTES / (1024 * 1024)
        context = {
            "form": ImportForm(),
            "report": None,
            "refused": f"The file is larger than the {limit_mb:g} MB this server accepts. Nothing was imported.",
        }
        # htmx swaps only 2xx and 422 answers (base.html), so it gets 422 to show the message in place.
        status = INVALID if request.htmx else 413
        return TemplateResponse(request, page_or_partial(request, TEMPLATE, "panel"), context, status=status)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if form.is_bound and form.is_valid():
        try:
            # Read as a stream from the uploaded file (on disk past Django's in-memory limit); never whole.
            report = import_account(request.user, form.cleaned_data["file"])
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            form = ImportForm()
    # The report is shown in place (no redirect): it describes this one upload and is not worth storing.
    return render_form_page(request, TEMPLATE, "panel", {"form": form, "report": report})
