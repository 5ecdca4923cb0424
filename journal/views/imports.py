"""Import a JSON export into the signed-in user's account."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from config.rendering import INVALID, page_or_partial, render_form_page
from journal.exporters.json_export import ImportFileError, import_account
from journal.forms.sharing import ImportForm

TEMPLATE = "journal/import.html"
MULTIPART_OVERHEAD = 64 * 1024


def _declared_too_big(request: HttpRequest) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > settings.TENDERSPOT_IMPORT_MAX_BYTES + MULTIPART_OVERHEAD


@login_required
@require_http_methods(["GET", "POST"])
def import_json(request: HttpRequest) -> HttpResponse:
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
            # The size limit is parse_file's: the Content-Length check above keeps this read bounded.
            report = import_account(request.user, form.cleaned_data["file"].read())
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            form = ImportForm()
    # The report is shown in place (no redirect): it describes this one upload and is not worth storing.
    return render_form_page(request, TEMPLATE, "panel", {"form": form, "report": report})
