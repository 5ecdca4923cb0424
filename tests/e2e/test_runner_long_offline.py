"""A plan longer than the runner page carries (journal.runner.views.OFFLINE_STEPS_AHEAD later steps, 40; two here to
keep it quick), run with no connection: after the steps it carries, the phone says plainly that the next ones need a
connection, how many there are, and that what was logged is kept; it goes on by itself once online (unless the
person has begun to finish there), and still lets the person finish the session there. It never says "That was the
last step"."""

import pytest
from playwright.sync_api import expect

from journal.models import Release, SessionStatus
from tests.e2e.test_offline_outbox import (
    ALL_SAVED,
    alice,  # noqa: F401 (a fixture)
    answer,
    log_without_timer,
    open_runner,
    started_session,
    until,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def carries_two(monkeypatch):
    monkeypatch.setattr("journal.runner.views.OFFLINE_STEPS_AHEAD", 2)


def three_steps_offline(page, user):
    """A five-step session opened online (its page carries steps 2 and 3), its first three steps logged offline."""
    session = started_session(user, steps=5)
    open_runner(page, user, session)
    page.context.set_offline(True)
    for position in (1, 2, 3):
        page.get_by_text(f"Step {position} of 5").wait_for()
        log_without_timer(page, held=10)
        answer(page, position, pressure=4, pain=3)
    panel = page.locator("#runner-panel")
    expect(page.get_by_role("heading", name="The next steps need a connection")).to_be_visible()
    expect(panel).to_contain_text("2 more steps, from step 4 of 5, load from your server once you are online.")
    expect(panel).to_contain_text("What you logged is saved on this phone and will sync.")
    expect(panel).not_to_contain_text("That was the last step")
    return session


def test_offline_after_the_steps_it_carries_the_runner_says_the_rest_need_a_connection(
    app_page,
    alice,  # noqa: F811
    carries_two,
):
    page = app_page
    session = three_steps_offline(page, alice)
    go_on = page.get_by_role("link", name="Go on to step 4")
    go_on.click()  # still offline: it stays, and says why
    expect(page.locator("[data-steps-beyond-note]")).to_contain_text("Your server cannot be reached yet.")
    expect(page.get_by_role("heading", name="The next steps need a connection")).to_be_visible()
    page.context.set_offline(False)
    # Back online, it goes on by itself: what waited is sent first, then the server's runner, which carries the
    # next steps.
    page.locator(".runner-meta", has_text="Step 4 of 5").wait_for()  # the step itself, not the note
    assert sorted(Release.objects.filter(session=session).values_list("position", flat=True)) == [1, 2, 3]
    log_without_timer(page, held=10)
    answer(page, 4, pressure=4, pain=3)
    page.get_by_text("Step 5 of 5").wait_for()


def test_back_online_it_stays_when_the_finish_was_begun(app_page, alice, carries_two):  # noqa: F811
    """Going on by itself would drop the answers the person has begun to give in the finish form below."""
    page = app_page
    session = three_steps_offline(page, alice)
    page.locator("label[for=id_pain_after_2]").click()
    page.context.set_offline(False)
    until(page, ALL_SAVED)
    page.wait_for_timeout(500)  # time enough for a navigation that must not come
    expect(page.get_by_role("heading", name="The next steps need a connection")).to_be_visible()
    expect(page.locator("#id_pain_after_2")).to_be_checked()
    page.get_by_role("link", name="Go on to step 4").click()  # the person still chooses to go on
    page.locator(".runner-meta", has_text="Step 4 of 5").wait_for()  # the step itself, not the note
    assert sorted(Release.objects.filter(session=session).values_list("position", flat=True)) == [1, 2, 3]


def test_the_session_can_still_be_finished_there_offline(app_page, alice, carries_two):  # noqa: F811
    page = app_page
    session = three_steps_offline(page, alice)
    page.locator("label[for=id_pain_after_2]").click()
    page.get_by_role("button", name="Finish", exact=True).click()
    expect(page.locator("#runner-panel")).to_contain_text("It will be sent when you are back online.")
    page.context.set_offline(False)
    until(page, ALL_SAVED)
    session.refresh_from_db()
    assert session.status == SessionStatus.COMPLETED and session.pain_after == 2
    assert sorted(Release.objects.filter(session=session).values_list("position", flat=True)) == [1, 2, 3]
