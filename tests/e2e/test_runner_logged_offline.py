"""The runner's "Logged so far" list with no connection: a step logged or skipped offline (kept in the phone's
outbox, static/js/outbox.js) is listed at once with its values, marked "saved on this phone", also after a reload
offline; once it reaches the server the list shows the server's rows instead (with their "Correct" links), without a
page reload and without listing a step twice."""

import re

import pytest
from playwright.sync_api import expect

from journal.models import Release
from tests.e2e.test_offline_outbox import (
    ALL_SAVED,
    alice,  # noqa: F401 (a fixture)
    answer,
    first_step_logged_offline,
    log_without_timer,
    open_runner,
    started_session,
    until,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ITEMS = "#runner-logged [data-logged-list] > .runner-logged-item"
PHONE_ITEMS = "#runner-logged [data-logged-phone]"


def first_words(item) -> str:
    return " ".join(item.locator("span").first.inner_text().split())


def test_steps_logged_offline_are_listed_with_their_values_then_as_the_servers_rows(app_page, alice):  # noqa: F811
    page = app_page
    session = first_step_logged_offline(page, alice, steps=4)
    page.locator("#runner-panel [data-step-body]").get_by_role("button", name="Skip this step").click()
    page.get_by_text("Step 3 of 4").wait_for()
    log_without_timer(page, held=18)
    page.locator("label[for=id_stopped_early]").click()
    answer(page, 3, pressure=6, pain=5)
    page.get_by_text("Step 4 of 4").wait_for()

    def listed_on_the_phone() -> None:
        summary = page.locator("#runner-logged summary")
        expect(summary).to_have_text("Logged so far (2 held, 1 skipped)")
        summary.click()
        expect(page.locator(PHONE_ITEMS)).to_have_count(3)
        expect(page.locator(ITEMS)).to_have_count(3)
        first, second, third = (page.locator(ITEMS).nth(n) for n in range(3))
        assert re.fullmatch(r"1\. Left .+: 25 s, tender, pressure 4, pain 3", first_words(first)), first_words(first)
        expect(first).to_contain_text("Saved on this phone, will sync.")
        assert re.fullmatch(r"2\. Right .+: skipped", first_words(second)), first_words(second)
        expect(second).to_contain_text("Saved on this phone, will sync.")
        words = first_words(third)
        assert re.fullmatch(r"3\. Left .+: 18 s, tender, pressure 6, pain 5, stopped early", words), words
        expect(page.locator("#runner-logged").get_by_role("link", name=re.compile("Correct"))).to_have_count(0)

    listed_on_the_phone()
    phone_line = first_words(page.locator(ITEMS).nth(0))
    page.reload()  # offline: the service worker's copy, drawn before any step was logged
    page.get_by_text("Step 4 of 4").wait_for()
    listed_on_the_phone()

    page.evaluate("() => { window.notReloaded = true; }")
    page.context.set_offline(False)  # the "online" event sends them
    until(page, ALL_SAVED)
    assert Release.objects.filter(session=session).count() == 3
    expect(page.locator(PHONE_ITEMS)).to_have_count(0)
    expect(page.locator(ITEMS)).to_have_count(3)  # the server's rows in place of the phone's, never both
    expect(page.locator("#runner-logged summary")).to_have_text("Logged so far (2 held, 1 skipped)")
    expect(page.locator("#runner-logged details")).to_have_attribute("open", "")  # still open as the user left it
    releases = {r.position: r for r in Release.objects.filter(session=session)}
    expect(page.locator(f"#release-{releases[1].pk}")).to_be_visible()
    assert first_words(page.locator(f"#release-{releases[1].pk}")) == phone_line  # the same words as the server's
    expect(page.locator(f"#release-{releases[2].pk}")).to_contain_text("skipped")
    expect(page.locator(f"#release-{releases[3].pk}")).to_contain_text("stopped early")
    expect(page.get_by_role("link", name="Correct step 1")).to_be_visible()
    assert page.evaluate("() => window.notReloaded === true")
    # Its "Correct" works in place, as for a step logged online.
    page.get_by_role("link", name="Correct step 1").click()
    expect(page.locator(f"#release-{releases[1].pk} form")).to_be_visible()


def test_a_step_logged_online_is_listed_once_with_the_servers_row(app_page, alice):  # noqa: F811
    page = app_page
    session = started_session(alice, steps=3)
    open_runner(page, alice, session)
    log_without_timer(page, held=25)
    answer(page, 1, pressure=4, pain=3)
    page.get_by_text("Step 2 of 3").wait_for()
    until(page, ALL_SAVED)
    page.locator("#runner-logged summary").click()
    release = Release.objects.get(session=session)
    expect(page.locator(f"#release-{release.pk}")).to_be_visible()
    expect(page.locator(ITEMS)).to_have_count(1)
    expect(page.locator(PHONE_ITEMS)).to_have_count(0)
    expect(page.locator("#runner-logged summary")).to_have_text("Logged so far (1 held)")
