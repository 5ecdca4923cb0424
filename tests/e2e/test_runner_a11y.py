"""The runner's timer in a browser, point by point of the issue: Space starts and pauses (and resumes), Enter is done;
the polite live region speaks only at the start, at 10 s left and at the end (never each second); the end cue (tone,
vibration, visual change) and the screen kept awake during a hold; `prefers-reduced-motion`; 44 px controls."""

import pytest
from playwright.sync_api import expect

from journal.models import Session
from tests.factories import ensure_catalogue, make_routine

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Records what the page asks of the device: Web Audio tones, vibrations, screen wake locks. Playwright injects it
# before the page's own scripts (an init script is not subject to the page's CSP).
DEVICE_SPY = """
(() => {
  const calls = (window.__device = { tones: 0, vibrations: [], wakeRequests: 0, wakeReleases: 0 });
  class FakeAudio {
    constructor() { this.currentTime = 0; this.destination = {}; }
    createOscillator() {
      return { type: "", frequency: {}, connect: (n) => n, start: () => { calls.tones += 1; }, stop: () => {} };
    }
    createGain() {
      const node = { gain: { setValueAtTime() {}, exponentialRampToValueAtTime() {} } };
      node.connect = (n) => n;
      return node;
    }
  }
  window.AudioContext = FakeAudio;
  navigator.vibrate = (pattern) => { calls.vibrations.push(pattern); return true; };
  Object.defineProperty(navigator, "wakeLock", {
    configurable: true,
    value: {
      request: () => {
        calls.wakeRequests += 1;
        const lock = { addEventListener() {}, release: () => { calls.wakeReleases += 1; return Promise.resolve(); } };
        return Promise.resolve(lock);
      },
    },
  });
})();
"""

# Keeps every non-empty text the live region is given, in order.
LIVE_SPY = """
() => {
  window.__said = [];
  const live = document.querySelector("[data-timer-live]");
  new MutationObserver(() => { if (live.textContent) { window.__said.push(live.textContent); } })
    .observe(live, { childList: true, characterData: true, subtree: true });
}
"""


def session_for(owner, hold_seconds: int, lead_in: int = 2) -> Session:
    ensure_catalogue()  # an earlier transactional test's flush may have emptied it
    owner.profile.acknowledge_safety()
    owner.profile.lead_in_seconds = lead_in
    owner.profile.save(update_fields=["lead_in_seconds"])
    session = Session.objects.start(owner, make_routine(owner, steps=2, hold_seconds=hold_seconds))
    session.answer_safety_check([], 5)
    return session


def open_step(page, session):
    page.goto(f"/journal/sessions/{session.pk}/run/")
    page.get_by_text("Step 1 of 2").wait_for()
    page.locator("[data-timer]").wait_for(state="visible")
    return page.locator("[data-timer]")


def hold_running(page, owner, hold_seconds: int):
    """(session, timer): a new two-step session of `owner` open at step 1 on `page`, its hold started (no lead-in)."""
    session = session_for(owner, hold_seconds=hold_seconds, lead_in=0)
    timer = open_step(page, session)
    page.get_by_role("button", name="Start hold").click()
    expect(timer).to_have_attribute("data-phase", "hold")
    return session, timer


def test_space_starts_pauses_and_resumes_and_enter_is_done(signed_in_page, owner):
    session = session_for(owner, hold_seconds=30, lead_in=0)
    page = signed_in_page
    timer = open_step(page, session)
    page.keyboard.press("Space")
    expect(timer).to_have_attribute("data-phase", "hold")
    expect(page.get_by_role("button", name="Pause")).to_be_visible()
    page.keyboard.press("Space")
    expect(timer).to_have_attribute("data-phase", "paused")
    expect(page.get_by_role("button", name="Resume")).to_be_visible()
    page.keyboard.press("Space")
    expect(timer).to_have_attribute("data-phase", "hold")
    page.wait_for_timeout(1300)
    page.keyboard.press("Enter")
    expect(timer).to_have_attribute("data-phase", "ended")
    expect(page.locator("#runner-log")).to_be_visible()
    held = int(page.locator("#id_held_seconds").input_value())
    assert 1 <= held < 30  # ended early: the time held so far is kept
    # In the form, Space and Enter keep their usual meaning (typing a note does not touch the timer).
    page.get_by_label("Notes").fill("a b")
    page.get_by_label("Notes").press("Enter")
    expect(timer).to_have_attribute("data-phase", "ended")
    assert Session.objects.get(pk=session.pk).current_hold_position == 1  # the server saw the hold start
    assert page.console_errors == []


def test_live_region_speaks_only_at_start_ten_seconds_left_and_end(signed_in_page, owner):
    session = session_for(owner, hold_seconds=15, lead_in=2)
    page = signed_in_page
    page.clock.install()
    timer = open_step(page, session)
    live = page.locator("[data-timer-live]")
    assert live.get_attribute("aria-live") == "polite"
    assert page.locator("[data-timer-clock]").get_attribute("aria-hidden") == "true"  # the ticking clock is silent
    page.evaluate(LIVE_SPY)
    page.get_by_role("button", name="Start hold").click()
    for _ in range(20):  # 20 s of fake time in 1 s steps: lead-in 2 s + hold 15 s, and then some
        page.clock.run_for(1000)
    expect(timer).to_have_attribute("data-phase", "ended")
    said = page.evaluate("() => window.__said")
    assert said == [
        "Get into position. The hold starts in 2 seconds.",
        "Hold started: 15 seconds.",
        "10 seconds left.",
        "Hold done. Log how it went.",
    ]
    assert page.locator("#id_held_seconds").input_value() == "15"


def test_end_of_hold_plays_a_tone_vibrates_changes_visibly_and_keeps_the_screen_awake(signed_in_page, owner):
    session = session_for(owner, hold_seconds=1, lead_in=0)
    page = signed_in_page
    page.add_init_script(DEVICE_SPY)
    timer = open_step(page, session)
    page.get_by_role("button", name="Start hold").click()
    expect(timer).to_have_attribute("data-phase", "ended", timeout=5000)
    device = page.evaluate("() => window.__device")
    assert device["wakeRequests"] >= 1  # asked while the hold ran
    assert device["wakeReleases"] == device["wakeRequests"]  # and let go once it ended
    assert device["tones"] == 1
    assert device["vibrations"] == [[200, 100, 200]]
    assert "is-ended" in timer.get_attribute("class")
    assert "is-flash" in timer.get_attribute("class")
    # With the tone switched off in the settings: vibration and the visual change only.
    owner.profile.sound_on = False
    owner.profile.save(update_fields=["sound_on"])
    page.locator("label[for=id_tender_1]").click()
    page.locator("label[for=id_pressure_4]").click()
    page.locator("label[for=id_pain_now_4]").click()
    page.get_by_role("button", name="Save and go on").click()
    page.get_by_text("Step 2 of 2").wait_for()
    page.reload()
    page.get_by_role("button", name="Start hold").click()
    expect(page.locator("[data-timer]")).to_have_attribute("data-phase", "ended", timeout=5000)
    device = page.evaluate("() => window.__device")
    assert device["tones"] == 0
    assert device["vibrations"] == [[200, 100, 200]]
    assert page.console_errors == []


def test_reduced_motion_drops_the_flash_and_the_smooth_scroll(signed_in_page, owner):
    session = session_for(owner, hold_seconds=1, lead_in=0)
    page = signed_in_page
    page.emulate_media(reduced_motion="reduce")
    timer = open_step(page, session)
    page.get_by_role("button", name="Start hold").click()
    expect(timer).to_have_attribute("data-phase", "ended", timeout=5000)
    classes = timer.get_attribute("class")
    assert "is-ended" in classes  # the visual change is still there, without movement
    assert "is-flash" not in classes
    assert timer.evaluate("el => getComputedStyle(el).animationName") == "none"
    expect(page.locator("#runner-log h3")).to_be_focused()


def test_every_runner_control_is_at_least_44_px(signed_in_page, owner):
    session = session_for(owner, hold_seconds=30, lead_in=0)
    page = signed_in_page
    open_step(page, session)

    def small_controls() -> list[str]:
        return page.evaluate(
            """() => {
              const small = [];
              const panel = document.getElementById("runner-panel");
              const seen = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
              for (const el of panel.querySelectorAll("button, a[href], input, textarea, select, label")) {
                if (!seen(el) || el.type === "hidden") { continue; }
                // A scale's radio is drawn as its label (Bootstrap's btn-check): the label is the target.
                if (el.classList.contains("btn-check")) { continue; }
                let box = el.getBoundingClientRect();
                if (el.type === "checkbox") {  // the box and its label are one target
                  const label = panel.querySelector(`label[for="${el.id}"]`).getBoundingClientRect();
                  box = { width: label.right - box.left, height: Math.max(box.height, label.height) };
                }
                if (el.tagName === "LABEL" && !el.classList.contains("scale-btn")) { continue; }
                if (box.width < 44 || box.height < 44) {
                  small.push(`${el.tagName} ${el.textContent.trim() || el.name}: ${box.width}x${box.height}`);
                }
              }
              return small;
            }"""
        )

    assert small_controls() == []  # the timer's controls, skip and finish
    page.get_by_role("button", name="Log without the timer").click()
    page.locator("#runner-log").wait_for(state="visible")
    assert small_controls() == []  # the log form's scales, fields and buttons
