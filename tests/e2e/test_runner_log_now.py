"""Logging a step without the timer ("Log without the timer") never claims the full hold: "Seconds held" is empty
(the help says what empty means), and after a real hold it holds the seconds really held."""

from datetime import timedelta

import pytest
from django.db.models import F
from playwright.sync_api import expect

from journal.models import Release, Session
from tests.e2e.test_runner_a11y import open_step, session_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_log_now_leaves_the_seconds_held_empty(signed_in_page, owner):
    session = session_for(owner, hold_seconds=90, lead_in=0)
    # Begun a minute ago: held seconds are bounded by the time since the session began (the 25 typed below fit).
    Session.objects.filter(pk=session.pk).update(started_at=F("started_at") - timedelta(minutes=1))
    page = signed_in_page
    open_step(page, session)
    page.get_by_role("button", name="Log without the timer").click()
    held = page.get_by_label("Seconds held")
    expect(held).to_have_value("")
    expect(page.get_by_text("Not timed? Type about how long you held it (the plan: 90 s)")).to_be_visible()
    held.fill("25")
    page.locator("label[for=id_tender_0]").click()
    page.locator("label[for=id_pressure_4]").click()
    page.locator("label[for=id_pain_now_4]").click()
    page.get_by_role("button", name="Save and go on").click()
    page.get_by_text("Step 2 of 2").wait_for()
    assert Release.objects.get(session=session, position=1).held_seconds == 25


def test_after_a_hold_the_seconds_held_are_filled_in(signed_in_page, owner):
    session = session_for(owner, hold_seconds=90, lead_in=0)
    page = signed_in_page
    open_step(page, session)
    page.get_by_role("button", name="Start hold").click()
    page.locator("[data-timer][data-phase=hold]").wait_for()
    page.wait_for_timeout(2200)
    page.get_by_role("button", name="Done").click()
    value = int(page.get_by_label("Seconds held").input_value())
    assert 1 <= value <= 4
