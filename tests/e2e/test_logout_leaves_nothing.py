"""In a real browser: after htmx swaps on the trends page and a logout, sessionStorage holds no snapshot of a
signed-in page, and going back shows no pain data (the server is asked again and wants a log-in)."""

import pytest

from tests.conftest import tap_log_out
from tests.factories import make_log

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_no_copy_of_a_signed_in_page_survives_logout(signed_in_page, owner):
    page = signed_in_page
    make_log(owner, days=10)
    page.goto("/journal/trends/")
    page.get_by_text("Last 30 days").click()
    page.get_by_role("button", name="Show", exact=True).click()
    page.wait_for_url("**range=30**")
    page.get_by_text("Last year").click()
    page.get_by_role("button", name="Show", exact=True).click()
    page.wait_for_url("**range=365**")
    assert page.evaluate("() => window.sessionStorage.getItem('htmx-history-cache')") is None
    tap_log_out(page)
    page.wait_for_url(lambda address: "/journal/" not in address)
    stored = page.evaluate("() => Object.entries(window.sessionStorage)")
    assert not [key for key, value in stored if key == "htmx-history-cache" or "Your trends" in value], stored
    page.go_back()
    page.wait_for_load_state()
    assert "Your trends" not in page.content() or "/accounts/login/" in page.url
