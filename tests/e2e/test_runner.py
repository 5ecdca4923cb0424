"""The runner in a real browser: timer with lead-in, pause/resume, done early, keyboard, the log forms, a reload
mid-session that resumes, a dropped request kept on screen with a retry, and no CSP errors."""

import pytest
from playwright.sync_api import expect

from journal.models import Release, Session, SessionStatus
from tests.conftest import log_in
from tests.factories import ensure_catalogue, make_routine

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def session(owner):
    ensure_catalogue()  # an earlier transactional test's flush may have emptied it
    owner.profile.acknowledge_safety()
    owner.profile.lead_in_seconds = 2
    owner.profile.save(update_fields=["lead_in_seconds"])
    routine = make_routine(owner, steps=2, hold_seconds=1)
    assert routine.steps.count() == 2
    return Session.objects.start(owner, routine)


def run_url(session):
    return f"/journal/sessions/{session.pk}/run/"


def answer_check(page):
    page.get_by_text("Before you start").wait_for()
    page.locator("label[for=id_pain_before_6]").click()
    page.locator("label[for=id_none_apply]").click()  # "None of these apply to me"
    page.get_by_role("button", name="Continue").click()


def log_release(page, pressure="5", pain="4"):
    page.locator("label[for=id_tender_0]").click()  # "Yes"
    page.locator(f"label[for=id_pressure_{pressure}]").click()
    page.locator(f"label[for=id_pain_now_{pain}]").click()
    page.get_by_role("button", name="Save and go on").click()


def test_run_a_short_routine_with_the_timer_reload_and_resume(signed_in_page, session):
    page = signed_in_page
    page.goto(run_url(session))
    answer_check(page)

    page.get_by_text("Step 1 of 2").wait_for()
    timer = page.locator("[data-timer]")
    timer.wait_for(state="visible")
    log_form = page.locator("#runner-log")
    assert timer.is_visible()
    assert log_form.is_hidden()  # with JavaScript, the log form waits for the end of the hold

    page.get_by_role("button", name="Start hold").click()
    page.get_by_role("button", name="Pause").click()
    assert timer.get_attribute("data-phase") == "paused"
    frozen = page.locator("[data-timer-clock]").text_content()
    page.wait_for_timeout(1200)
    assert page.locator("[data-timer-clock]").text_content() == frozen
    assert log_form.is_hidden()
    page.get_by_role("button", name="Resume").click()

    log_form.wait_for(state="visible", timeout=8000)
    assert timer.get_attribute("data-phase") == "ended"
    assert "is-ended" in timer.get_attribute("class")
    assert page.locator("#id_held_seconds").input_value() == "1"
    # The polite live region announces the end (set a moment after it is cleared, so that it is read again).
    expect(page.locator("[data-timer-live]")).to_contain_text("Hold done")
    started = Session.objects.get(pk=session.pk)
    assert started.current_hold_position == 1 and started.current_hold_started_at is not None

    log_release(page)
    page.get_by_text("Step 2 of 2").wait_for()
    assert Release.objects.filter(session=session).count() == 1

    # Leave mid-session: a reload comes back to step 2 with step 1 kept.
    page.reload()
    page.get_by_text("Step 2 of 2").wait_for()
    assert page.locator("#runner-log").is_hidden()
    assert list(Release.objects.filter(session=session).values_list("position", "pressure")) == [(1, 5)]

    # Keyboard: Space starts, Enter ends the hold early (during the lead-in: nothing held).
    page.locator("#runner-heading").click()
    page.keyboard.press("Space")
    expect(timer).to_have_attribute("data-phase", "lead")
    page.keyboard.press("Enter")
    page.locator("#runner-log").wait_for(state="visible")
    assert page.locator("#id_held_seconds").input_value() == "0"
    page.locator("#id_stopped_early").check()
    log_release(page, pressure="3", pain="2")

    page.get_by_role("heading", name="Finish the session").wait_for()
    page.locator("label[for=id_pain_after_3]").click()
    page.get_by_label("Notes").fill("Calmer now.")
    page.get_by_role("button", name="Finish and see the summary").click()
    page.get_by_role("heading", name="Each release").wait_for()
    assert page.locator("table tbody tr").count() == 2
    assert "3 points lower than before" in page.content()

    finished = Session.objects.get(pk=session.pk)
    assert finished.status == SessionStatus.COMPLETED
    assert (finished.pain_before, finished.pain_after) == (6, 3)
    second = Release.objects.get(session=session, position=2)
    assert (second.held_seconds, second.stopped_early, second.pressure) == (0, True, 3)
    assert page.console_errors == []


def test_done_early_and_a_dropped_request_keeps_the_log_on_the_phone_until_it_syncs(signed_in_page, session):
    """A log whose request fails is not lost nor left on screen to retry: the outbox keeps it on the phone, says so,
    the runner goes on to the next step, and "Sync now" sends it with its answers (static/js/outbox.js)."""
    page = signed_in_page
    page.goto(run_url(session))
    answer_check(page)
    page.get_by_text("Step 1 of 2").wait_for()
    page.get_by_role("button", name="Start hold").click()
    page.get_by_role("button", name="Done").click()
    page.locator("#runner-log").wait_for(state="visible")
    page.get_by_label("Notes").fill("Keep this note.")

    page.route("**/log/", lambda route: route.abort())
    log_release(page, pressure="6", pain="5")
    page.get_by_text("Step 2 of 2").wait_for()
    status = page.locator("[data-outbox-status]")
    expect(status).to_contain_text("1 entry saved on this phone, will sync")
    assert Release.objects.count() == 0

    page.unroute("**/log/")
    page.get_by_role("button", name="Sync now").click()
    expect(status.locator("[data-outbox-saved]")).to_have_text("1 entry saved in your journal.")
    release = Release.objects.get(session=session)
    assert (release.notes, release.pressure, release.pain_now) == ("Keep this note.", 6, 5)
    # Only the failed request may show in the console (the browser's network error).
    assert all("net::ERR_FAILED" in error for error in page.console_errors), page.console_errors


def test_without_javascript_the_runner_is_plain_forms(browser, live_server, owner, session):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, owner)
        page.goto(run_url(session))
        answer_check(page)
        page.get_by_text("Step 1 of 2").wait_for()
        assert page.locator("[data-timer]").is_hidden()
        assert page.locator("#id_held_seconds").input_value() == ""  # empty counts as the full hold, as it says
        log_release(page)
        page.get_by_text("Step 2 of 2").wait_for()
        page.get_by_role("button", name="Skip this step").click()
        page.get_by_role("heading", name="Finish the session").wait_for()
        assert list(Release.objects.filter(session=session).values_list("position", "skipped")) == [
            (1, False),
            (2, True),
        ]
    finally:
        context.close()


def test_red_flag_answer_stops_the_session_in_place(signed_in_page, session):
    page = signed_in_page
    page.goto(run_url(session))
    # Each sign is its own question; "Not sure" about an emergency sign counts as yes.
    page.locator("label[for=id_rf_saddle_1]").click()  # "Not sure"
    page.get_by_role("button", name="Continue").click()
    heading = page.get_by_role("heading", name="Please stop here")
    heading.wait_for()
    expect(page.locator("#runner-heading")).to_be_focused()
    assert page.get_by_role("heading", name="Please get help now").is_visible()
    assert page.get_by_text("Numbness or a changed feeling around your genitals").is_visible()
    stopped = Session.objects.get(pk=session.pk)
    assert stopped.status == SessionStatus.STOPPED
    assert stopped.red_flag and stopped.red_flag_items == ["saddle"]
    # The next start asks the follow-up question first.
    page.goto("/")
    assert page.get_by_role("link", name="Tell us once you have been assessed").is_visible()
    assert page.get_by_text("Start your last routine").count() == 0
    assert page.console_errors == []


def test_the_check_without_an_answer_says_what_is_missing(signed_in_page, session):
    page = signed_in_page
    page.goto(run_url(session))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Answer each question below")).to_be_visible()
    assert Session.objects.get(pk=session.pk).is_open
