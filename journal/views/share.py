"""Share links for a practitioner: the owner's list (create, revoke) and the token-only report pages."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from journal.exporters.daterange import BadRange, DateRange, parse_range, require_order
from journal.exporters.report import report_context
from journal.forms.sharing import ShareLinkForm
from journal.models import ShareLink
from journal.views.exports import bad_range, csv_response, pdf_response
from journal.views.private import issue, panel, token_view

LIST_TEMPLATE = "journal/share_list.html"


def _list_context(request: HttpRequest, form: ShareLinkForm, new_url: str | None = None) -> dict:
    return {
        "form": form,
        "links": ShareLink.objects.for_user(request.user),
        "new_url": new_url,
    }


@login_required
@require_http_methods(["GET", "POST"])
def share_list(request: HttpRequest) -> HttpResponse:
    form = ShareLinkForm(request.POST or None)
    new_url, status = issue(request, form, "journal:share_view")
    if new_url:
        form = ShareLinkForm()
    return panel(request, LIST_TEMPLATE, _list_context(request, form, new_url), status=status)


@login_required
@require_POST
def share_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(ShareLink, pk=pk, user=request.user)
    link.revoke()
    if request.htmx:
        return panel(request, LIST_TEMPLATE, _list_context(request, ShareLinkForm()))
    return redirect("journal:share_list")


def usable_links() -> QuerySet[ShareLink]:
    """The links a token may open, with the owner's profile that their report pages need."""
    return ShareLink.objects.usable().select_related("user__profile")


def link_range(link: ShareLink, request: HttpRequest) -> DateRange:
    """The link's dates, narrowed by ?start=&end= if given (never widened beyond what was shared)."""
    asked = parse_range(request.GET)
    start = max(filter(None, [link.start_date, asked.start]), default=None)
    end = min(filter(None, [link.end_date, asked.end]), default=None)
    require_order(start, end, message="Those dates are outside the dates shared with this link.")
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
@token_view(usable_links)
@_with_range
def share_view(request: HttpRequest, link: ShareLink, date_range: DateRange) -> HttpResponse:
    link.record_open()
    context = report_context(link.user, date_range)
    context.update(
        {
            "share_label": link.label,
            "token": request.resolver_match.kwargs["token"],
            "expires_at": link.expires_at,
            "query": date_range.query(),
        }
    )
    return TemplateResponse(request, "journal/share_view.html", context)


@require_GET
@token_view(usable_links)
@_with_range
def share_csv(request: HttpRequest, link: ShareLink, date_range: DateRange) -> HttpResponse:
    return csv_response(link.user, date_range)


@require_GET
@token_view(usable_links)
@_with_range
def share_pdf(request: HttpRequest, link: ShareLink, date_range: DateRange) -> HttpResponse:
    return pdf_response(request, link.user, date_range)
