"""Share links for a practitioner: the owner's list (create, revoke) and the token-only report pages."""

import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.http import AuthenticatedHttpRequest, HtmxHttpRequest
from journal.exports.report import cached_report_context
from journal.exports.responses import csv_response, every_release_asked, pdf_response, releases_bad_request
from journal.lib.daterange import BadRange, DateRange, parse_range, require_order
from journal.lib.downloads import bad_range
from journal.lib.heavy import limited, scopes_for
from journal.lib.secret_links import Issued, issue, panel, token_view
from journal.models import ShareLink
from journal.sharing.forms import ShareLinkForm

LIST_TEMPLATE = "journal/share_list.html"

# Link previews (chat apps and social sites fetch a pasted link to draw a card) and crawlers are not a person
# opening the report. Named agents first, then the generic words such fetchers put in their names.
PREVIEW_AGENTS = re.compile(
    r"slackbot|slack-imgproxy|facebookexternalhit|facebot|twitterbot|whatsapp|telegrambot|discordbot|linkedinbot"
    r"|googlebot|bingbot|applebot|skypeuripreview|microsoftpreview|embedly|iframely|mastodon|pinterest|redditbot"
    r"|ia_archiver|safelinks|microsoft office|ms-office|outlook-ios|barracuda|proofpoint|mimecast"
    # Scripts and libraries: a person opens the link in a browser, not with curl.
    r"|curl/|wget/|python-requests|python-urllib|go-http-client|okhttp|java/|libwww|httpclient|aiohttp|axios"
    r"|bot\b|bot/|crawl|spider|preview|fetcher|headless|scanner|scan\b",
    re.IGNORECASE,
)


def _list_context(
    request: AuthenticatedHttpRequest, form: ShareLinkForm, issued: Issued | None = None
) -> dict[str, Any]:
    return {
        "form": form,
        "links": ShareLink.objects.for_user(request.user),
        "new_url": issued and issued.url,
        "again": issued and issued.again,
    }


@login_required
@require_http_methods(["GET", "POST"])
def share_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ShareLinkForm(request.POST or None)
    issued = issue(request, form, "journal:share_view")
    if issued.url or issued.again:
        form = ShareLinkForm()
    return panel(request, LIST_TEMPLATE, _list_context(request, form, issued), status=issued.status)


@login_required
@require_POST
def share_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
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


def opened_by_a_person(request: HtmxHttpRequest) -> bool:
    """False for a HEAD request, an empty user agent and any link-preview fetcher or crawler (PREVIEW_AGENTS)."""
    agent = request.headers.get("User-Agent", "").strip()
    return request.method == "GET" and bool(agent) and PREVIEW_AGENTS.search(agent) is None


def count_opening(request: HtmxHttpRequest, link: ShareLink) -> None:
    """The page and both downloads count as openings of the link; previews and crawlers do not."""
    if opened_by_a_person(request):
        link.record_open()


def _with_range(
    view: Callable[[HtmxHttpRequest, ShareLink, DateRange], HttpResponseBase],
) -> Callable[[HtmxHttpRequest, ShareLink], HttpResponseBase]:
    @wraps(view)
    def wrapper(request: HtmxHttpRequest, link: ShareLink) -> HttpResponseBase:
        try:
            date_range = link_range(link, request)
        except BadRange as error:
            return bad_range(error)
        return view(request, link, date_range)

    return wrapper


@require_GET
@token_view(usable_links)
@_with_range
def share_view(request: HtmxHttpRequest, link: ShareLink, date_range: DateRange) -> HttpResponse:
    every_release = every_release_asked(request)
    if every_release is None:
        return releases_bad_request()
    count_opening(request, link)
    context = cached_report_context(link.user, date_range, every_release=every_release, for_screen=True)
    query = date_range.query()
    context.update(
        {
            "token": request.resolver_match.kwargs["token"] if request.resolver_match else "",
            # In the owner's time zone, named: the page is opened signed out, where the server's zone is active.
            "expires_local": f"{timezone.localtime(link.expires_at, link.user.profile.zone):%Y-%m-%d %H:%M}",
            "expires_zone": link.user.profile.time_zone,
            "query": query,
            # The PDF links carry the choice, so that the download shows what the page shows.
            "pdf_query": "&".join(filter(None, [query, "releases=all" if every_release else ""])),
        }
    )
    return TemplateResponse(request, "journal/share_view.html", context)


@require_GET
@token_view(usable_links)
@_with_range
def share_csv(request: HtmxHttpRequest, link: ShareLink, date_range: DateRange) -> HttpResponseBase:
    response = limited(scopes_for(link.user, link), lambda: csv_response(link.user, date_range))
    if response.status_code == 200:
        count_opening(request, link)
    return response


@require_GET
@token_view(usable_links)
@_with_range
def share_pdf(request: HtmxHttpRequest, link: ShareLink, date_range: DateRange) -> HttpResponseBase:
    response = limited(scopes_for(link.user, link, kind="pdf"), lambda: pdf_response(request, link.user, date_range))
    if response.status_code == 200:
        count_opening(request, link)
    return response
