"""A reload during a hold continues the hold from the server's recorded start instead of starting it over."""

import time

import pytest
from playwright.sync_api import expect

from journal.models import Session
from tests.e2e.test_runner_a11y import open_step, session_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def seconds_on_clock(page) -> int:
    text = page.locator("[data-timer-clock]").inner_text()
    minutes, _, seconds = text.rpartition(":")
    return int(minutes or 0) * 60 + int(seconds)


def test_a_reload_mid_hold_keeps_the_time_left(signed_in_page, owner):
    session = session_for(owner, hold_seconds=30, lead_in=0)
    page = signed_in_page
    timer = open_step(page, session)
    page.get_by_role("button", name="Start hold").click()
    expect(timer).to_have_attribute("data-phase", "hold")
    page.wait_for_function("() => Number(document.querySelector('[data-timer-clock]').textContent) <= 27")
    started = Session.objects.get(pk=session.pk).current_hold_started_at
    assert started is not None
    page.reload()
    expect(timer).to_have_attribute("data-phase", "hold")
    elapsed = time.time() - started.timestamp()
    assert abs(seconds_on_clock(page) - (30 - elapsed)) <= 1.0
    expect(page.get_by_role("button", name="Pause")).to_be_visible()
    expect(page.get_by_role("button", name="Start hold")).to_be_hidden()
    assert page.console_errors == []


def test_a_hold_that_ran_out_while_away_opens_its_log_form(signed_in_page, owner):
    session = session_for(owner, hold_seconds=2, lead_in=0)
    page = signed_in_page
    open_step(page, session)
    session.start_hold(1)
    time.sleep(2.5)
    page.reload()
    expect(page.locator("#runner-log")).to_be_visible()
    assert page.locator("#id_held_seconds").input_value() == "2"
