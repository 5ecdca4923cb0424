"""Choosing a pressure above the ceiling (8, 9 or 10) shows a warning under the scale at once, before the log is
sent; a pressure at or under 7 shows none. On the runner's log form and on the quick log."""

import pytest
from playwright.sync_api import expect

from journal.models import Session
from tests.e2e.test_runner_a11y import open_step, session_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check_warning(page) -> None:
    warning = page.get_by_text("That is above 7, the ceiling.")
    expect(warning).to_be_hidden()
    page.locator("label[for=id_pressure_8]").click()
    expect(warning).to_be_visible()
    page.locator("label[for=id_pressure_10]").click()
    expect(warning).to_be_visible()
    page.locator("label[for=id_pressure_7]").click()
    expect(warning).to_be_hidden()


def test_the_runner_warns_before_a_high_pressure_is_sent(signed_in_page, owner):
    session = session_for(owner, hold_seconds=30, lead_in=0)
    page = signed_in_page
    open_step(page, session)
    page.get_by_role("button", name="Log without the timer").click()
    check_warning(page)


def test_the_quick_log_warns_too(signed_in_page, owner):
    owner.profile.acknowledge_safety()
    Session.objects.mark_assessed(owner)
    page = signed_in_page
    page.goto("/journal/log/")
    check_warning(page)
