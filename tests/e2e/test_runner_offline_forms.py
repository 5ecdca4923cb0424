""" "Finish the session now" before the last step, with no connection: the page's own finish form opens in place (the
link's server page needs a connection, and offline it showed only "This page needs a connection"), says that the
steps not done stay unlogged, and the finish goes through the outbox after the step waiting on the phone."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from journal.models import Release, Session, SessionStatus
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


def test_finish_now_works_offline_and_says_the_rest_stay_unlogged(app_page, alice):  # noqa: F811
    page = app_page
    session = first_step_logged_offline(page, alice, steps=4, held=20)
    page.get_by_role("link", name="Finish the session now").click()
    panel = page.locator("#runner-panel")
    expect(page.get_by_role("heading", name="Finish the session")).to_be_focused()
    expect(panel).to_contain_text("You can finish here: the steps you have not done stay unlogged.")
    expect(panel).not_to_contain_text("That was the last step")
    expect(panel).not_to_contain_text("needs a connection")
    # The way back, with no connection too: the phone's copy of the runner, at the first step not logged.
    page.get_by_role("link", name="Back to the steps").click()
    page.locator(".runner-meta", has_text="Step 2 of 4").wait_for()
    page.wait_for_timeout(700)  # a person's next tap
    page.get_by_role("link", name="Finish the session now").click()
    expect(page.get_by_role("heading", name="Finish the session")).to_be_focused()
    # A tap within 600 ms at the spot of the last one is taken as a double tap's second and ignored (the runner's
    # guard): a person's next tap comes later.
    page.wait_for_timeout(700)
    page.locator("label[for=id_pain_after_2]").click()
    page.get_by_role("button", name="Finish", exact=True).click()
    expect(panel).to_contain_text("It will be sent when you are back online.")
    page.context.set_offline(False)
    until(page, ALL_SAVED)
    expect(panel).to_contain_text("Your session is saved in your journal.")
    session.refresh_from_db()
    assert session.status == SessionStatus.COMPLETED and session.pain_after == 2
    assert list(Release.objects.filter(session=session).values_list("position", flat=True)) == [1]
    assert all("ERR_INTERNET_DISCONNECTED" in error for error in page.console_errors), page.console_errors


def test_a_missing_answer_offline_is_named_not_taken_for_a_lost_connection(app_page, alice):  # noqa: F811
    page = app_page
    session = started_session(alice, steps=2)
    open_runner(page, alice, session)
    page.context.set_offline(True)
    log_without_timer(page, held=20)
    page.locator("label[for=id_tender_0]").click()
    page.locator("label[for=id_pressure_4]").click()
    page.get_by_role("button", name="Save and go on").click()  # leg pain left out
    # Marked in the page as the server marks it, the question focused: not a bubble that fades.
    missing = page.locator("#runner-log fieldset.is-invalid")
    expect(missing).to_have_count(1)
    expect(missing.locator("[data-missing]")).to_have_text("Choose an answer.")
    expect(missing.locator("legend")).to_be_focused()
    box = missing.locator("legend").bounding_box()
    assert box and box["y"] + box["height"] <= page.viewport_size["height"] - 80, box  # above the sticky save bar
    page.wait_for_timeout(500)  # time enough for a failed send to show its "Try again"
    expect(page.locator("[data-retry]:visible")).to_have_count(0)
    expect(page.locator(".runner-meta", has_text="Step 1 of 2")).to_be_visible()
    assert page.evaluate("async () => (await window.TenderspotOutbox.all()).length") == 0
    page.locator("label[for=id_pain_now_3]").click()
    expect(missing).to_have_count(0)  # answered: the mark goes
    page.get_by_role("button", name="Save and go on").click()
    page.locator(".runner-meta", has_text="Step 2 of 2").wait_for()


def test_seconds_cut_at_sync_are_said_until_read(app_page, alice):  # noqa: F811
    """Typed offline, 60 s in a session begun moments before: the server keeps only the time it lasted. Online the
    answer says so at once; sent after a wait, it was lost ("1 entry saved in your journal." and nothing else)."""
    page = app_page
    session = started_session(alice, steps=2)
    Session.objects.filter(pk=session.pk).update(started_at=timezone.now())
    open_runner(page, alice, session)
    page.context.set_offline(True)
    log_without_timer(page, held=60)
    answer(page, 1, pressure=4, pain=3)
    page.locator(".runner-meta", has_text="Step 2 of 2").wait_for()
    page.context.set_offline(False)
    until(page, ALL_SAVED)
    note = page.locator("[data-outbox-note]")
    expect(note).to_contain_text("Step 1 is saved as ")
    expect(note).to_contain_text("not the 60 s typed")
    page.wait_for_timeout(9000)  # past the moment "saved in your journal" is shown for
    expect(note).to_be_visible()
    page.locator("[data-outbox-status]").get_by_role("button", name="OK").click()
    expect(note).to_have_count(0)
    held = Release.objects.get(session=session).held_seconds
    assert held is not None and held < 60
