"""The timer tells the server when a hold is paused, resumed or ended early, so a lost tab or a reload after an
error shows the hold paused where it stopped and never stores the full prescribed hold; and no audio context is
made before the user's first tap on the page (Chromium would warn "The AudioContext was not allowed to start")."""

import time

import pytest
from playwright.sync_api import expect

from journal.models import Release, Session
from tests.e2e.test_runner_a11y import hold_running
from tests.e2e.test_runner_sound import SUSPENDING_AUDIO

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def server_saw(session, field: str) -> None:
    """Waits (up to 5 s) until the server has recorded the hold's start or stop (`field` set on the session)."""
    for _ in range(100):
        if getattr(Session.objects.get(pk=session.pk), field) is not None:
            return
        time.sleep(0.05)
    raise AssertionError(f"the server never recorded {field}")


def lose_the_tabs_memory(page) -> None:
    """The phone forgot what the page kept (another browser, or its site data cleared)."""
    page.evaluate("sessionStorage.clear(); localStorage.clear()")


def test_a_pause_is_recorded_and_a_lost_tab_comes_back_paused_where_it_stopped(signed_in_page, owner):
    page = signed_in_page
    session, timer = hold_running(page, owner, hold_seconds=60)
    page.wait_for_function("() => Number(document.querySelector('[data-timer-clock]').textContent) <= 57")
    page.get_by_role("button", name="Pause").click()
    expect(timer).to_have_attribute("data-phase", "paused")
    shown = int(page.locator("[data-timer-clock]").text_content())
    server_saw(session, "current_hold_stopped_at")
    page.wait_for_timeout(2500)  # time passes while paused
    lose_the_tabs_memory(page)
    page.reload()
    expect(timer).to_have_attribute("data-phase", "paused")
    assert abs(int(page.locator("[data-timer-clock]").text_content()) - shown) <= 1
    expect(page.get_by_role("button", name="Resume")).to_be_visible()
    page.get_by_role("button", name="Done").click()
    held = int(page.locator("#id_held_seconds").input_value())
    assert 2 <= held <= 5, held
    page.locator("#id_held_seconds").fill("")  # the tab's figure lost as well: the server's record bounds the log
    page.locator("label[for=id_tender_0]").click()
    page.locator("label[for=id_pressure_4]").click()
    page.locator("label[for=id_pain_now_3]").click()
    page.get_by_role("button", name="Save and go on").click()
    page.get_by_text("Step 2 of 2").wait_for()
    assert 2 <= Release.objects.get(session=session).held_seconds <= 5  # never the prescribed 60


def test_done_early_is_recorded_so_a_lost_tab_never_logs_the_full_hold(signed_in_page, owner):
    page = signed_in_page
    session, timer = hold_running(page, owner, hold_seconds=60)
    page.wait_for_timeout(2200)
    page.get_by_role("button", name="Done").click()
    expect(page.locator("#runner-log")).to_be_visible()
    server_saw(session, "current_hold_stopped_at")
    page.wait_for_timeout(3000)
    lose_the_tabs_memory(page)
    page.reload()
    expect(timer).to_have_attribute("data-phase", "paused")  # where Done stopped it, not run on
    page.get_by_role("button", name="Done").click()
    assert 2 <= int(page.locator("#id_held_seconds").input_value()) <= 4


def test_a_reload_mid_hold_makes_no_audio_context_before_a_tap(signed_in_page, owner):
    page = signed_in_page
    messages: list[str] = []
    page.on("console", lambda msg: messages.append(msg.text))
    session, timer = hold_running(page, owner, hold_seconds=60)
    server_saw(session, "current_hold_position")
    page.reload()  # a new document: no tap on it yet
    expect(timer).to_have_attribute("data-phase", "hold")
    page.wait_for_timeout(1000)
    assert not [m for m in messages if "AudioContext" in m or "vibrate" in m], messages


def test_no_context_is_made_before_the_first_tap_after_a_reload(signed_in_page, owner):
    page = signed_in_page
    page.add_init_script(SUSPENDING_AUDIO)
    session, timer = hold_running(page, owner, hold_seconds=60)
    server_saw(session, "current_hold_position")
    page.reload()
    expect(timer).to_have_attribute("data-phase", "hold")
    page.wait_for_timeout(500)
    assert page.evaluate("window.__audio") == []
    page.get_by_role("button", name="Pause").click()  # the first tap makes it and resumes it
    assert page.evaluate("window.__audio") == ["new", "resume"]
