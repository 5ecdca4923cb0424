"""The runner on phones (360 x 640 and 390 x 844, light and dark): each state's main action is on screen without
scrolling, with the point, the side and the step count; while a hold runs, a hold view readable from the floor."""

import pytest
from playwright.sync_api import expect

from journal.models import Session
from tests.conftest import log_in
from tests.e2e.test_runner_a11y import session_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONES = {"360x640": {"width": 360, "height": 640}, "390x844": {"width": 390, "height": 844}}


@pytest.fixture(params=[(size, scheme) for size in PHONES for scheme in ("light", "dark")], ids=lambda p: "-".join(p))
def phone(request, browser, live_server, owner):
    size, scheme = request.param
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONES[size], color_scheme=scheme, has_touch=True, is_mobile=True
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    log_in(page, owner)
    yield page
    context.close()


def in_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= size["height"] and box["x"] >= 0


def open_runner(page, session: Session):
    page.goto(f"/journal/sessions/{session.pk}/run/")
    page.locator("[data-timer]").wait_for(state="visible")


def test_start_hold_is_in_reach_with_the_point_side_and_step(phone, owner):
    session = session_for(owner, hold_seconds=45, lead_in=3)
    open_runner(phone, session)
    for locator in (
        phone.get_by_role("button", name="Start hold"),
        phone.locator("#runner-heading"),
        phone.get_by_text("Step 1 of 2"),
    ):
        assert in_viewport(phone, locator), locator
    heading = phone.locator("#runner-heading").inner_text()
    assert "side" in heading and session.plan[0]["point_name"] in heading
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_save_and_go_on_is_in_reach_on_the_log_form(phone, owner):
    session = session_for(owner, hold_seconds=1, lead_in=0)
    open_runner(phone, session)
    phone.get_by_role("button", name="Start hold").click()
    expect(phone.locator("#runner-log")).to_be_visible()
    phone.wait_for_timeout(700)  # the smooth scroll to the form has settled
    assert in_viewport(phone, phone.get_by_role("button", name="Save and go on"))
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def glyph_height(page, selector: str) -> float:
    """The rendered height of the digits (ink, not the line box), measured with the element's own font."""
    return page.evaluate(
        """(selector) => {
            const el = document.querySelector(selector);
            const style = getComputedStyle(el);
            const ctx = document.createElement("canvas").getContext("2d");
            ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
            const m = ctx.measureText("0123456789");
            return m.actualBoundingBoxAscent + m.actualBoundingBoxDescent;
        }""",
        selector,
    )


@pytest.mark.parametrize("phase", ["lead", "hold", "paused"])
def test_the_hold_view_fills_the_screen_with_big_digits(phone, owner, phase):
    session = session_for(owner, hold_seconds=90, lead_in=30 if phase == "lead" else 0)
    open_runner(phone, session)
    phone.get_by_role("button", name="Start hold").click()
    timer = phone.locator("[data-timer]")
    expect(timer).to_have_attribute("data-phase", "lead" if phase == "lead" else "hold")
    if phase == "paused":
        phone.get_by_role("button", name="Pause").click()
        expect(timer).to_have_attribute("data-phase", "paused")
    width = phone.viewport_size["width"]
    if width == 390:
        assert glyph_height(phone, "[data-timer-clock]") >= 120
    phase_size = phone.evaluate("parseFloat(getComputedStyle(document.querySelector('[data-timer-phase]')).fontSize)")
    assert phase_size >= 32
    # The side in letters as big as the phase's: from one step to the next it may be the only change.
    side = phone.locator(".runner-hold-side")
    assert side.inner_text() == session.plan[0]["side"].upper() and in_viewport(phone, side)
    side_size = side.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert side_size >= (48 if width == 390 else 32)
    box = timer.bounding_box()
    assert box["width"] >= width - 1 and box["height"] >= phone.viewport_size["height"] - 1  # nothing else on screen
    for name in ("Done", "Resume" if phase == "paused" else "Pause"):
        button = phone.get_by_role("button", name=name)
        assert in_viewport(phone, button)
        assert button.bounding_box()["height"] >= 56
        background = button.evaluate("b => getComputedStyle(b).backgroundColor")
        assert background not in ("rgba(0, 0, 0, 0)", "transparent"), f"{name} is filled"
    assert not phone.locator(".runner-key-hint").is_visible()  # a touch screen: no key hint
    # Opaque at once, in the page's own colour, also when the phone turns dark (or light) during the hold: the
    # view's background used to fade in, so the page showed through and a switch left white digits on white.
    colours = (
        "() => [document.querySelector('[data-timer]'), document.body].map((e) => getComputedStyle(e).backgroundColor)"
    )
    view, page_colour = phone.evaluate(colours)
    assert view == page_colour
    dark = phone.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
    phone.emulate_media(color_scheme="light" if dark else "dark")
    phone.wait_for_function(
        "(theme) => document.documentElement.dataset.bsTheme === theme", arg="light" if dark else "dark"
    )
    switched, page_switched = phone.evaluate(colours)
    assert switched == page_switched != page_colour
    assert not phone.locator("footer").evaluate(
        "f => { const r = f.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight && "
        "document.elementFromPoint(innerWidth / 2, Math.max(r.top, 1) + 1)?.closest('footer') !== null; }"
    )


def test_the_hold_view_survives_a_200_percent_zoom(browser, live_server, owner):
    # A 390 px phone at 200% zoom lays pages out in 195 CSS px.
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 195, "height": 422}, device_scale_factor=4
    )
    page = context.new_page()
    try:
        log_in(page, owner)
        session = session_for(owner, hold_seconds=125, lead_in=0)
        open_runner(page, session)
        page.get_by_role("button", name="Start hold").click()
        expect(page.locator("[data-timer]")).to_have_attribute("data-phase", "hold")
        clock = page.locator("[data-timer-clock]")
        box = clock.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 195
        assert clock.evaluate("c => c.scrollWidth <= c.clientWidth + 1")
        for name in ("Pause", "Done"):
            assert in_viewport(page, page.get_by_role("button", name=name))
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    finally:
        context.close()


@pytest.mark.parametrize("ending", ["the hold runs out", "Done"])
def test_the_log_form_opens_at_its_first_question(phone, owner, ending):
    """After a hold the log form's heading has the focus and its first question (tender?) is on screen, not
    scrolled past; the page is not left scrolled to the form's end."""
    session = session_for(owner, hold_seconds=1 if ending != "Done" else 30, lead_in=0)
    open_runner(phone, session)
    phone.get_by_role("button", name="Start hold").click()
    if ending == "Done":
        phone.locator("[data-timer][data-phase=hold]").wait_for()
        phone.get_by_role("button", name="Done").click()
    expect(phone.locator("#runner-log")).to_be_visible()
    expect(phone.locator(".runner-key-hint")).to_be_hidden()  # a touch phone: no key hint in the ended card either
    phone.wait_for_timeout(900)  # the smooth scroll to the form has settled
    first = phone.locator("#runner-log fieldset").first
    assert in_viewport(phone, phone.locator("#runner-log h3")), phone.locator("#runner-log h3").bounding_box()
    assert in_viewport(phone, first.locator("legend")), first.locator("legend").bounding_box()
    assert phone.evaluate("document.activeElement.matches('#runner-log h3')")
    if phone.viewport_size["height"] >= 844:  # room for it all: the step's count, point and side stay in view
        for locator in (phone.get_by_text("Step 1 of 2"), phone.locator("#runner-heading")):
            assert in_viewport(phone, locator), locator.bounding_box()
        assert in_viewport(phone, phone.get_by_role("button", name="Save and go on"))
