"""A hold ended early with Done reads as what it was on a 390 x 844 phone: the big digits show the seconds held, the
phase says "Stopped at 7 of 60 s", the bar stays at the fraction reached, and the timer keeps the calm accent colour
(the end-of-hold colour and flash are for a hold run to its end, which still reads "Done"). Light and dark."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.test_runner_a11y import hold_running, open_step, session_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The timer's border colour and the two colours it may take (resolved in the page's current light or dark mode).
COLOURS = """
(timer) => {
  const probe = document.createElement("span");
  timer.appendChild(probe);
  probe.style.color = "var(--ts-accent)";
  const accent = getComputedStyle(probe).color;
  probe.style.color = "var(--ts-tender)";
  const tender = getComputedStyle(probe).color;
  probe.remove();
  return { border: getComputedStyle(timer).borderTopColor, accent, tender };
}
"""


def review_shot(target, name: str) -> None:
    """A screenshot of `target` (a page or a locator) for a person to look at, only when TENDERSPOT_REVIEW_SHOTS
    names a folder (e.g. /tmp): light and dark are checked by eye, not by pixels."""
    folder = os.environ.get("TENDERSPOT_REVIEW_SHOTS")
    if folder:
        target.screenshot(path=Path(folder) / name)


BAR = "() => { const b = document.querySelector('[data-timer-bar]'); return b.value / b.max; }"


def hold_for(page, owner, seconds: int):
    """A 60 s hold (no lead-in) on the fake clock, run for `seconds`: (session, timer)."""
    session = session_for(owner, hold_seconds=60, lead_in=0)
    page.clock.install()
    timer = open_step(page, session)
    page.get_by_role("button", name="Start hold").click()
    expect(timer).to_have_attribute("data-phase", "hold")
    for _ in range(seconds):
        page.clock.run_for(1000)
    return session, timer


def calm_colours(page, timer) -> dict:
    # The border eases over 0.4 s (a CSS transition, real time): wait until it has settled on a colour it may take.
    page.wait_for_function(
        f"(t) => {{ const c = ({COLOURS})(t); return c.border === c.accent || c.border === c.tender; }}",
        arg=timer.element_handle(),
    )
    return timer.evaluate(COLOURS)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_hold_stopped_early_shows_the_time_held_and_stays_calm(signed_in_page, owner, scheme):
    page = signed_in_page
    page.emulate_media(color_scheme=scheme)
    _session, timer = hold_for(page, owner, 7)
    page.get_by_role("button", name="Done").click()
    expect(timer).to_have_attribute("data-phase", "ended")
    expect(page.locator("[data-timer-phase]")).to_have_text("Stopped at 7 of 60 s")
    expect(page.locator("[data-timer-clock]")).to_have_text("7")
    assert page.evaluate(BAR) == pytest.approx(7 / 60)
    expect(timer).to_have_class(re.compile(r"(^|\s)is-stopped(\s|$)"))
    expect(timer).not_to_have_class(re.compile(r"(^|\s)is-ended(\s|$)"))
    colours = calm_colours(page, timer)
    assert colours["border"] == colours["accent"] != colours["tender"]
    assert page.locator("#id_held_seconds").input_value() == "7"
    page.locator("[data-timer]").scroll_into_view_if_needed()
    review_shot(page, f"h31-stopped-{scheme}.png")
    assert page.console_errors == []


def test_a_reload_after_an_early_done_still_shows_it_stopped(signed_in_page, owner):
    """The tab keeps the end across a reload (real time here: the kept end is checked against the server's start)."""
    page = signed_in_page
    _session, timer = hold_running(page, owner, hold_seconds=60)
    page.wait_for_function("() => Number(document.querySelector('[data-timer-clock]').textContent) <= 58")
    page.get_by_role("button", name="Done").click()
    phase = page.locator("[data-timer-phase]")
    expect(phase).to_have_text(re.compile(r"^Stopped at \d of 60 s$"))
    stopped = phase.text_content()
    held = int(page.locator("#id_held_seconds").input_value())
    page.reload()
    expect(phase).to_have_text(stopped or "")
    expect(page.locator("[data-timer-clock]")).to_have_text(str(held))
    assert page.evaluate(BAR) == pytest.approx(held / 60)
    expect(timer).to_have_class(re.compile(r"(^|\s)is-stopped(\s|$)"))
    # The phone closed the tab and it was opened again: still stopped, never "Paused" with a Resume that would carry
    # on a hold the person had ended.
    again = page.context.new_page()
    again.goto(page.url)
    expect(again.locator("[data-timer-phase]")).to_have_text(stopped or "")
    expect(again.get_by_role("button", name="Resume")).to_be_hidden()
    expect(again.locator("#id_held_seconds")).to_have_value(str(held))
    again.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_hold_run_to_its_end_still_reads_done(signed_in_page, owner, scheme):
    page = signed_in_page
    page.emulate_media(color_scheme=scheme)
    _session, timer = hold_for(page, owner, 61)
    expect(timer).to_have_attribute("data-phase", "ended")
    expect(page.locator("[data-timer-phase]")).to_have_text("Done")
    expect(page.locator("[data-timer-clock]")).to_have_text("0")
    assert page.evaluate(BAR) == 1
    colours = calm_colours(page, timer)
    assert colours["border"] == colours["tender"]
    assert "is-ended" in (timer.get_attribute("class") or "").split()
    page.locator("[data-timer]").scroll_into_view_if_needed()
    review_shot(page, f"h31-done-{scheme}.png")


def test_sent_back_for_a_missing_answer_it_shows_the_question_not_a_fresh_timer(signed_in_page, owner):
    """ "Save and go on" with nothing picked after an early Done: the server sends the form back. The timer card came
    back as "Ready when you are" with Start (inviting the hold again), and the first error sat under the sticky save
    bar or off the screen. Now the card stays away, the seconds stay, and the first question to answer has the focus
    high on the screen."""
    page = signed_in_page
    hold_for(page, owner, 7)
    page.get_by_role("button", name="Done").click()
    expect(page.locator("[data-timer-phase]")).to_have_text("Stopped at 7 of 60 s")
    page.wait_for_timeout(700)  # a person's next tap (a faster one at the same spot is taken as a double tap)
    page.get_by_role("button", name="Save and go on").click()
    tender = page.locator("#runner-log fieldset.is-invalid legend").first
    expect(tender).to_be_focused()
    expect(page.get_by_role("button", name="Start hold")).to_be_hidden()
    expect(page.get_by_text("Ready when you are")).to_be_hidden()
    assert page.locator("#id_held_seconds").input_value() == "7"
    box = tender.bounding_box()
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= 844 - 80, box  # above the sticky save bar
    error = page.locator("#runner-log .invalid-feedback").first
    error_box = error.bounding_box()
    assert error_box and error_box["y"] + error_box["height"] <= 844 - 80, error_box
