"""Hands-free running (settings, off by default): the next step's lead-in starts by itself after a log, and the
phone's voice names the point and side when a hold starts and ends; both follow the tone setting."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_runner_a11y import open_step, session_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SPEECH_SPY = """
(() => {
  window.__spoken = [];
  window.SpeechSynthesisUtterance = function (text) { this.text = text; };
  Object.defineProperty(window, "speechSynthesis", {
    configurable: true, value: { speak: (u) => window.__spoken.push(u.text), cancel() {} },
  });
})();
"""


def log_step(page):
    page.locator("label[for=id_tender_0]").click()
    page.locator("label[for=id_pressure_4]").click()
    page.locator("label[for=id_pain_now_4]").click()
    page.get_by_role("button", name="Save and go on").click()


def hands_free(owner, auto: bool, speak: bool, sound: bool = True):
    owner.profile.auto_start_next, owner.profile.spoken_cues, owner.profile.sound_on = auto, speak, sound
    owner.profile.save()


def test_the_next_step_starts_by_itself_and_the_voice_names_the_point(signed_in_page, owner):
    session = session_for(owner, hold_seconds=1, lead_in=2)
    hands_free(owner, auto=True, speak=True)
    page = signed_in_page
    page.add_init_script(SPEECH_SPY)
    timer = open_step(page, session)
    page.get_by_role("button", name="Start hold").click()
    expect(timer).to_have_attribute("data-phase", "ended", timeout=6000)
    first = session.plan[0]
    label = f"{first['side'].capitalize()} {first['point_name'][:1].lower()}{first['point_name'][1:]}"
    assert page.evaluate("window.__spoken") == [f"{label}: hold", f"{label}: done"]
    log_step(page)
    page.get_by_text("Step 2 of 2").wait_for()
    expect(page.locator("[data-timer]")).to_have_attribute("data-phase", "lead")  # no tap needed
    expect(page.get_by_role("button", name="Pause")).to_be_visible()


def test_off_by_default_and_silent_without_the_tone(signed_in_page, owner):
    session = session_for(owner, hold_seconds=1, lead_in=0)
    hands_free(owner, auto=False, speak=True, sound=False)
    page = signed_in_page
    page.add_init_script(SPEECH_SPY)
    timer = open_step(page, session)
    page.get_by_role("button", name="Start hold").click()
    expect(timer).to_have_attribute("data-phase", "ended", timeout=6000)
    log_step(page)
    page.get_by_text("Step 2 of 2").wait_for()
    page.wait_for_timeout(500)
    expect(page.locator("[data-timer]")).to_have_attribute("data-phase", "idle")
    assert page.evaluate("window.__spoken") == []
