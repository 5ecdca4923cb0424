"""The end tone plays after the phone was locked or the app was in the background: browsers suspend the audio
context then (and create it suspended until a tap); the timer resumes it before the tone, and unlocks it on a tap."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_runner_a11y import open_step, session_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A Web Audio context that behaves like a phone's: suspended when made, running only after resume(), and suspended
# again by window.__lock() (the screen locked). Every call is logged in order.
SUSPENDING_AUDIO = """
(() => {
  const log = (window.__audio = []);
  class PhoneAudio {
    constructor() { this.state = "suspended"; this.currentTime = 0; this.destination = {}; log.push("new"); }
    resume() { log.push("resume"); this.state = "running"; return Promise.resolve(); }
    createOscillator() {
      const ctx = this;
      return { type: "", frequency: {}, connect: (n) => n, stop() {},
               start() { log.push(ctx.state === "running" ? "tone" : "tone-while-suspended"); } };
    }
    createGain() {
      const node = { gain: { setValueAtTime() {}, exponentialRampToValueAtTime() {} } };
      node.connect = (n) => n;
      return node;
    }
  }
  window.__contexts = [];
  window.AudioContext = class extends PhoneAudio {
    constructor() { super(); window.__contexts.push(this); }
  };
  window.__lock = () => window.__contexts.forEach((ctx) => { ctx.state = "suspended"; });
})();
"""


def test_the_tone_plays_after_the_phone_was_locked(signed_in_page, owner):
    session = session_for(owner, hold_seconds=2, lead_in=0)
    page = signed_in_page
    page.add_init_script(SUSPENDING_AUDIO)
    timer = open_step(page, session)
    page.get_by_role("button", name="Start hold").click()
    page.evaluate("window.__lock()")  # the phone locks during the hold: the context is suspended again
    expect(timer).to_have_attribute("data-phase", "ended", timeout=5000)
    page.wait_for_function("() => window.__audio.includes('tone') || window.__audio.includes('tone-while-suspended')")
    log = page.evaluate("window.__audio")
    assert "tone-while-suspended" not in log
    assert log.index("tone") > max(i for i, call in enumerate(log) if call == "resume")
    assert log.count("new") == 1  # one context for the page, resumed, never a new one per tone


def test_the_first_tap_unlocks_audio(signed_in_page, owner):
    session = session_for(owner, hold_seconds=30, lead_in=0)
    page = signed_in_page
    page.add_init_script(SUSPENDING_AUDIO)
    open_step(page, session)
    page.locator("main").click(position={"x": 5, "y": 5})
    assert page.evaluate("window.__audio") == ["new", "resume"]
