"""Share links for a practitioner: the owner's list (create, revoke) and the token-only report pages."""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.rendering import INVALID, page_or_partial
from journal.exporters.daterange import BadRange, DateRange, parse_range
from journal.exporters.report import report_context
from journal.exporters.tokens import client_address_hash, hash_token, new_token
from journal.forms.sharing import ShareLinkForm
from journal.models import AccessMiss, ShareLink
from journal.views.exports import bad_range, csv_response, paper_of, pdf_response

LIST_TEMPLATE = "journal/share_list.html"
PRIVATE_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex, nofollow",
}


def _list_context(request: HttpRequest, form: ShareLinkForm, new_url: str | None = None) -> dict:
    return {
        "form": form,
        "links": ShareLink.objects.for_user(request.user),
        "new_url": new_url,
        "now": timezone.now(),
    }


@login_required
@require_http_methods(["GET", "POST"])
def share_list(request: HttpRequest) -> HttpResponse:
    form = ShareLinkForm(request.POST or None)
    new_url = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            token, token_hash = new_token()
            form.save_for(request.user, token_hash)
            # Shown once, right here. Not redirected: carrying the token across a redirect would mean storing it.
            new_url = request.build_absolute_uri(reverse("journal:share_view", args=[token]))
            form = ShareLinkForm()
            status = 201
        else:
            status = INVALID
    response = TemplateResponse(
        request, page_or_partial(request, LIST_TEMPLATE, "panel"), _list_context(request, form, new_url), status=status
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def share_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(ShareLink, pk=pk, user=request.user)
    link.revoke()
    if request.htmx:
        return TemplateResponse(request, f"{LIST_TEMPLATE}#panel", _list_context(request, ShareLinkForm()))
    return redirect("journal:share_list")


def _private(response: HttpResponse) -> HttpResponse:
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
    return _private(response)


def token_view(view: Callable[[HttpRequest, ShareLink], HttpResponse]) -> Callable[..., HttpResponse]:
    """Resolves a share token (no sign-in). Unknown, expired and revoked tokens all raise the same 404; an address
    with too many recent misses gets 429 for every token until its misses age out."""

    @wraps(view)
    def wrapper(request: HttpRequest, token: str) -> HttpResponse:
        address = client_address_hash(request)
        if AccessMiss.objects.is_limited(address):
            return too_many_misses()
        link = ShareLink.objects.usable().select_related("user__profile").filter(token_hash=hash_token(token)).first()
        if link is None:
            AccessMiss.objects.record(address)
            raise Http404("No such link")
        return _private(view(request, link))

    return wrapper


def link_range(link: ShareLink, request: HttpRequest) -> DateRange:
    """The link's dates, narrowed by ?start=&end= if given (never widened beyond what was shared)."""
    asked = parse_range(request.GET)
    start = max(filter(None, [link.start_date, asked.start]), default=None)
    end = min(filter(None, [link.end_date, asked.end]), default=None)
    if start and end and start > end:
        raise BadRange("Those dates are outside the dates shared with this link.")
    return DateRange(start, end)


def _with_range(view: Callable[[HttpRequest, ShareLink, DateRange], HttpResponse]):
    @wraps(view)
    def wrapper(request: HttpRequest, link: ShareLink) -> HttpResponse:
        try:
            date_range = link_range(link, request)
        except BadRange as error:
            return bad_range(error)
        return view(request, link, date_range)

    return wrapper


@require_GET
@token_view
@_with_range
def share_view(request: HttpRequest, link: ShareLink, date_range: DateRange) -> HttpResponse:
    ShareLink.objects.filter(pk=link.pk).update(times_opened=F("times_opened") + 1, last_opened_at=timezone.now())
    context = report_context(link.user, date_range)
    query = "&".join(f"{k}={v.isoformat()}" for k, v in (("start", date_range.start), ("end", date_range.end)) if v)
    context.update(
        {
            "share_label": link.label,
            "token": request.resolver_match.kwargs["token"],
            "expires_at": link.expires_at,
            "query": query,
        }
    )
    return TemplateResponse(request, "journal/share_view.html", context)


@require_GET
@token_view
@_with_range
def share_csv(request: HttpRequest, link: ShareLink, date_range: DateRange) -> HttpResponse:
    return csv_response(link.user, date_range)


@require_GET
@token_view
@_with_range
def share_pdf(request: HttpRequest, link: ShareLink, date_range: DateRange) -> HttpResponse:
    paper = paper_of(request)
    if paper is None:
        return HttpResponseBadRequest("Paper must be a4 or letter.", content_type="text/plain; charset=utf-8")
    return pdf_response(link.user, date_range, paper)
