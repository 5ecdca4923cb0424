"""A reload during a hold continues the hold from the server's recorded start instead of starting it over."""

import time

import pytest
from playwright.sync_api import expect

from journal.models import Session
from tests.e2e.test_runner_a11y import hold_running, open_step, session_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reload_mid_hold_keeps_the_time_left(signed_in_page, owner):
    page = signed_in_page
    session, timer = hold_running(page, owner, hold_seconds=30)
    page.wait_for_function("() => Number(document.querySelector('[data-timer-clock]').textContent) <= 27")
    started = Session.objects.get(pk=session.pk).current_hold_started_at
    assert started is not None
    page.reload()
    expect(timer).to_have_attribute("data-phase", "hold")
    # The clock and the time it was read, in one go in the page (a loaded machine cannot slip between them).
    clock, now_ms = page.evaluate("[document.querySelector('[data-timer-clock]').textContent, Date.now()]")
    left = 30 - (now_ms / 1000 - started.timestamp())
    # Shown rounded up, redrawn every 200 ms: within a second of the time really left, never below it.
    assert left - 0.25 <= int(clock) <= left + 1.25, (clock, left)
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


# With a lead-in the server records the start when "Start hold" is tapped, before the hold: the end kept in the
# tab must still win over that start.
@pytest.mark.parametrize("lead_in", [0, 3])
def test_a_reload_after_done_keeps_the_seconds_held(signed_in_page, owner, lead_in):
    session = session_for(owner, hold_seconds=60, lead_in=lead_in)
    page = signed_in_page
    timer = open_step(page, session)
    page.get_by_role("button", name="Start hold").click()
    expect(timer).to_have_attribute("data-phase", "hold", timeout=10_000)
    page.wait_for_timeout(2200)
    page.get_by_role("button", name="Done").click()
    expect(page.locator("#runner-log")).to_be_visible()
    held = page.locator("#id_held_seconds").input_value()
    assert held in ("2", "3")
    page.reload()
    expect(page.locator("#runner-log")).to_be_visible()  # not the hold running again
    assert page.locator("#id_held_seconds").input_value() == held
