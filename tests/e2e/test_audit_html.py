"""The Nu HTML Checker (vnu) on every audited page (tests/audit/pages.py), signed out and in: no errors.

vnu refuses loopback URLs, so each page's HTML is fetched here and handed to one vnu run over all pages. A page
with a `browser_state` is checked as its live DOM after that state is reached (Playwright); every other page as
the exact HTML the server sent (the Django test client).
"""

import pytest
from django.test import Client

from tests.audit.browser import open_audited
from tests.audit.pages import PAGES, AuditPage
from tests.audit.tools import skip_unless_available, vnu_check
from tests.factories import ensure_catalogue

NEEDS_BROWSER = any(p.browser_state for p in PAGES)
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=NEEDS_BROWSER),
]


def fetch(audit_page: AuditPage, visitor: str, owner, request) -> str:
    ensure_catalogue()
    if audit_page.browser_state:
        skip_unless_available("chromium")
        page = request.getfixturevalue("page")
        page.context.clear_cookies()
        open_audited(page, audit_page, visitor, owner)
        return page.content()  # the live DOM, doctype included
    client = Client()
    if visitor == "owner":
        client.force_login(owner, backend="django.contrib.auth.backends.ModelBackend")
    path = audit_page.path_for(owner)
    response = client.get(path)
    assert response.status_code == audit_page.status, f"{audit_page.name}: {path} answered {response.status_code}"
    return response.content.decode()


def describe(errors: dict[str, list[dict]]) -> str:
    lines = []
    for name, messages in errors.items():
        for m in messages:
            lines.append(f"- {name}, line {m.get('lastLine')}: {m['message']}  [{m.get('extract', '').strip()}]")
    return "\n".join(lines)


def test_every_page_is_valid_html(owner, request, tmp_path):
    skip_unless_available("java", "vnu")
    documents = {}
    for audit_page in PAGES:
        for ident, visitor in audit_page.visits():
            documents[ident] = fetch(audit_page, visitor, owner, request)
    errors = {name: found for name, found in vnu_check(documents, tmp_path).items() if found}
    assert errors == {}, f"The Nu HTML Checker found errors:\n{describe(errors)}"
    assert len(documents) == sum(len(p.visitors) for p in PAGES)


def test_checker_reports_a_planted_error(tmp_path):
    """The check can fail: a duplicate id is an error; htmx attributes alone are not."""
    skip_unless_available("java", "vnu")
    head = '<!doctype html><html lang="en"><head><title>x</title></head>'
    bad = head + '<body><p id="a"></p><p id="a"></p></body></html>'
    good = head + """<body hx-headers='{"a": 1}'><p>fine</p></body></html>"""
    errors = vnu_check({"bad": bad, "good": good}, tmp_path)
    assert errors["good"] == []
    assert any("Duplicate ID" in m["message"] for m in errors["bad"])
