"""Opening an audited page in Playwright as a persona, without going through the log-in form each time."""

from urllib.parse import urlsplit

from django.conf import settings
from django.test import Client

from tests.audit.pages import AuditPage
from tests.factories import ensure_catalogue


def sign_in(page, user) -> None:
    """Give the browser context the session cookie of `user` (a real server-side session)."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": page.base_url}])


def open_audited(page, audit_page: AuditPage, visitor: str, owner) -> str:
    """Load `audit_page` as `visitor` ('anonymous' or 'owner'), bring it into its audited state, return its path."""
    ensure_catalogue()
    if visitor == "owner":
        sign_in(page, owner)
    path = audit_page.path_for(owner)
    response = page.goto(path)
    assert response is not None and response.status == audit_page.status, (
        f"{audit_page.name}: {path} answered {response and response.status}, expected {audit_page.status}"
    )
    landed = urlsplit(response.url).path
    assert landed == urlsplit(path).path, f"{audit_page.name}: {path} was redirected to {landed}: audit that page"
    if audit_page.browser_state:
        audit_page.browser_state(page)
    return path
