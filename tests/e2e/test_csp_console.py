"""No Content-Security-Policy violation and no console error while the runner and the quick log are used: htmx is
configured (the htmx-config meta tag) to inject no indicator <style> and to copy no `style` attribute when it settles
a swap, both of which the strict CSP would refuse."""

import pytest

from journal.models import Session
from tests.audit.browser import sign_in
from tests.e2e.test_runner_a11y import open_step, session_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every CSP violation the page sees, kept on window (the listener is added before any page script runs).
RECORD_VIOLATIONS = """window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sample || ""));
});"""


@pytest.fixture
def watched(page, owner):
    page.add_init_script(RECORD_VIOLATIONS)
    sign_in(page, owner)
    return page


def violations(page) -> list[str]:
    return page.evaluate("window.__violations")


def test_the_runner_raises_no_csp_violation(watched, owner):
    page = watched
    session = session_for(owner, hold_seconds=30, lead_in=0)
    open_step(page, session)
    page.get_by_role("button", name="Start hold").click()
    page.locator("[data-timer][data-phase=hold]").wait_for()
    page.get_by_role("button", name="Done").click()
    page.locator("label[for=id_tender_0]").click()
    page.locator("label[for=id_pressure_4]").click()
    page.locator("label[for=id_pain_now_4]").click()
    page.get_by_role("button", name="Save and go on").click()  # an htmx swap
    page.get_by_text("Step 2 of 2").wait_for()
    assert violations(page) == []
    assert page.console_errors == []


def test_the_quick_log_raises_no_csp_violation(watched, owner):
    page = watched
    owner.profile.acknowledge_safety()
    Session.objects.mark_assessed(owner)
    page.goto("/journal/log/")
    page.get_by_role("button", name="Save to my journal").click()  # refused (422) and swapped in place by htmx
    page.locator(".invalid-feedback").first.wait_for()
    assert violations(page) == []
    # The refusal itself is logged by the browser as a failed load; nothing else may be.
    assert [e for e in page.console_errors if "status of 422" not in e] == []


def test_an_inline_style_is_reported(watched):
    """The check can fail: a style element added to the page is refused by the CSP and recorded."""
    page = watched
    page.goto("/safety/")
    page.evaluate("document.head.insertAdjacentHTML('beforeend', '<style>body { color: red; }</style>')")
    page.wait_for_timeout(200)
    assert any("style-src" in v for v in violations(page))


def test_a_runner_save_copies_no_style_attribute(watched, owner):
    """htmx's settle step copies `style` (with class, width, height) from each old element onto the new element with the
    same id, by setAttribute, which the strict CSP refuses. An element that holds a style attribute before the swap,
    even an empty one left by a script's `el.style` (CSSOM, allowed) or by the browser's own autofill, made every
    online save log one "Applying inline style violates ... style-src 'self'" per such element. The htmx-config meta
    tag takes `style` out of `attributesToSettle`."""
    page = watched
    messages: list[str] = []
    page.on("console", lambda msg: messages.append(msg.text))
    session = session_for(owner, hold_seconds=30, lead_in=0)
    open_step(page, session)
    # CSSOM writes are allowed by the CSP; they leave style="" on every element that has an id.
    styled = page.evaluate(
        "() => { const els = document.querySelectorAll('#runner-panel [id]');"
        " els.forEach((el) => { el.style.color = 'inherit'; el.style.removeProperty('color'); }); return els.length; }"
    )
    assert styled > 5
    page.get_by_role("button", name="Log without the timer").click()
    page.locator("label[for=id_tender_0]").click()
    page.locator("label[for=id_pressure_4]").click()
    page.locator("label[for=id_pain_now_4]").click()
    page.get_by_role("button", name="Save and go on").click()  # the htmx path
    page.get_by_text("Step 2 of 2").wait_for()
    page.wait_for_timeout(300)  # htmx settles after 20 ms
    csp = [m for m in messages if "Content Security Policy" in m or "inline style" in m] + violations(page)
    assert csp == [], "\n".join(csp)
