from django.http import HttpResponse
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from config.http import HtmxHttpRequest


@require_GET
def robots_txt(request: HtmxHttpRequest) -> HttpResponse:
    """The public pages may be indexed; journals, accounts and share links may not."""
    return TemplateResponse(request, "robots.txt", content_type="text/plain; charset=utf-8")


def permission_denied(request: HtmxHttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HtmxHttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HtmxHttpRequest) -> HttpResponse:
    # No context processors: the request may be what failed.
    return render(request, "500.html", status=500)
