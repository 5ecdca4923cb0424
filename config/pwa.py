"""The installable app: its web app manifest, its service worker (served from the site root so that its scope is the
whole site) and the page the service worker shows when a page that needs the server is asked for offline.

The service worker keeps the phone's copies of pages in one cache per signed-in user, named by `offline_key(user)`:
an opaque HMAC of the user's id (the id itself never reaches the device's cache names). Every HTML response tells the
service worker whose it is (`X-Offline-User`), so a cache of anyone else is dropped at the next page, and only pages
named in `OFFLINE_PAGES` are ever stored.
"""

import hashlib
import json
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

THEME_COLOR = "#2f6f73"
# The browser's bar over a dark page (Bootstrap's dark body colour); the manifest has one colour, the light one.
THEME_COLOR_DARK = "#212529"
BACKGROUND_COLOR = "#ffffff"

# The manifest's icons (path, size in px, purpose): the installed app shows them on the home screen, its splash
# screen and its shortcuts, with or without a connection, so the service worker keeps them (PRECACHED_STATIC).
MANIFEST_ICONS = (
    ("img/app/icon-192.png", 192, "any"),
    ("img/app/icon-512.png", 512, "any"),
    ("img/app/maskable-192.png", 192, "maskable"),
    ("img/app/maskable-512.png", 512, "maskable"),
)
SHORTCUT_ICON = MANIFEST_ICONS[0]
# The icons every page links (templates/base.html, pwa/offline.html): the favicon, also the header's logo, and the
# home-screen icon Safari uses instead of the manifest's.
PAGE_ICONS = ("img/favicon.svg", "img/app/apple-touch-icon-180.png")

# The static files every page needs, plus the runner's and the icons; fetched once when the service worker installs.
# Their names are whitenoise's hashed names in production, so a new release gets new cache entries, never a mix.
PRECACHED_STATIC = (
    "js/theme.js",
    "vendor/bootstrap/bootstrap.min.css",
    "css/tenderspot.css",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "django_htmx/htmx-2.min.js",
    *PAGE_ICONS,
    *(path for path, _size, _purpose in MANIFEST_ICONS),
    "js/sw-register.js",
    "js/outbox-core.js",
    "js/outbox.js",
    "js/retry.js",
    "js/timer-state.js",
    "js/timer.js",
    "js/quick-log.js",
)

# The pages the phone may keep for use without a connection (URL names): the home page, routines and the points'
# how-to, the runner and the quick log. Trends, exports, sharing and settings need the server and are never kept.
# How to press, offline: the routines and the points. Never a page with pain scores or a red flag (the dashboard,
# the runner), and never a form whose one-time key a cached copy would hand out twice (the quick log): without a
# connection the phone cannot tell whether the person who signed in is still the one holding it.
# One page is kept besides, by its view's own word (`response.offline_page`): the runner of a session whose red-flag
# check is answered (journal.runner.views.session_run), so that the session can be run to its end offline. It holds
# the steps and the answers logged so far in that session, never the red-flag answers; it is dropped at sign-out.
OFFLINE_PAGES = frozenset(
    {
        "routines:routine_list",
        "routines:routine_detail",
        "routines:catalogue",
        "routines:point_detail",
    }
)

OFFLINE_USER_HEADER = "X-Offline-User"
OFFLINE_PAGE_HEADER = "X-Offline-Page"
ANONYMOUS = "anonymous"


def offline_key(user: AbstractBaseUser | AnonymousUser) -> str:
    """The opaque name of `user`'s offline cache: 32 hex characters, stable for the user, unguessable without the
    server's secret; "anonymous" for a visitor."""
    if not user.is_authenticated:
        return ANONYMOUS
    return salted_hmac("tenderspot.offline-cache", str(user.pk), algorithm="sha256").hexdigest()[:32]


def offline_user(request: HttpRequest) -> dict[str, str]:
    """Template context: `offline_user`, the signed-in user's offline key (or "anonymous"). The outbox
    (static/js/outbox.js) saves it with each entry and sends an entry only under the same sign-in."""
    user = getattr(request, "user", None)
    return {"offline_user": offline_key(user) if user is not None else ANONYMOUS}


def is_offline_page(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether the service worker may keep this response: a whole page (not an htmx partial) of `OFFLINE_PAGES`, or
    one its view marked `response.offline_page = True` (the runner of a started session), answered 200 to a
    signed-in GET."""
    match = getattr(request, "resolver_match", None)
    return (
        match is not None
        and (match.view_name in OFFLINE_PAGES or getattr(response, "offline_page", False) is True)
        and request.method == "GET"
        and response.status_code == 200
        and request.user.is_authenticated
        and not getattr(request, "htmx", False)
    )


class OfflineUserMiddleware:
    """Names the signed-in user's offline cache (or "anonymous") on every HTML page, and marks the pages the service
    worker may keep in it (`X-Offline-Page: 1`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response: HttpResponse = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html") and hasattr(request, "user"):
            response[OFFLINE_USER_HEADER] = offline_key(request.user)
            if is_offline_page(request, response):
                response[OFFLINE_PAGE_HEADER] = "1"
        return response


def _icon(path: str, size: int, purpose: str) -> dict[str, str]:
    return {"src": static(path), "sizes": f"{size}x{size}", "type": "image/png", "purpose": purpose}


@require_GET
@cache_control(public=True, max_age=3600)
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest (application/manifest+json): names, icons (any and maskable, 192 and 512 px), colours,
    start URL, scope, standalone display and two shortcuts."""
    data = {
        "id": "/",
        "name": "Tenderspot",
        "short_name": "Tenderspot",
        "description": "A private journal for self-guided trigger-point release with a ball.",
        "lang": "en",
        "dir": "ltr",
        "start_url": "/?source=app",
        "scope": "/",
        "display": "standalone",
        "orientation": "any",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "categories": ["health", "medical", "lifestyle"],
        "icons": [_icon(*icon) for icon in MANIFEST_ICONS],
        "shortcuts": [
            {
                "name": "Start my last routine",
                "short_name": "Last routine",
                # A page whose main action is the dashboard's start button for the last routine (a GET changes
                # nothing; the start is that button's POST), or which says there is none yet.
                "url": reverse("start_last") + "?source=shortcut",
                "icons": [_icon(*SHORTCUT_ICON)],
            },
            {
                "name": "Quick log",
                "short_name": "Quick log",
                "url": reverse("journal:quick_log") + "?source=shortcut",
                "icons": [_icon(*SHORTCUT_ICON)],
            },
        ],
    }
    return HttpResponse(json.dumps(data, indent=2), content_type="application/manifest+json")


def service_worker_source() -> str:
    """The service worker's script: the template with this release's hashed static names and cache version."""
    from django.template.loader import render_to_string

    precache = [static(path) for path in PRECACHED_STATIC] + [reverse("offline")]
    version = hashlib.sha256("\n".join(precache).encode()).hexdigest()[:12]
    return render_to_string(
        "pwa/sw.js",
        {
            "version": version,
            "precache_json": json.dumps(precache),
            "offline_url_json": json.dumps(reverse("offline")),
            "logout_url_json": json.dumps(reverse("accounts:logout")),
            "static_url_json": json.dumps(settings.STATIC_URL),
        },
    )


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, at the site root so it may control every page. Never cached by HTTP caches: the browser
    checks it for an update on each visit, and a new release's script differs (its version and hashed names)."""
    response = HttpResponse(service_worker_source(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """What the service worker shows for a page that needs the server while the phone has no connection. The same
    for everyone (no user, no token in it), so it can be kept in the shared static cache."""
    from django.template.response import TemplateResponse

    return TemplateResponse(
        request, "pwa/offline.html", {"theme_color": THEME_COLOR, "theme_color_dark": THEME_COLOR_DARK}
    )
