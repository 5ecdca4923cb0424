"""A post whose answer never arrives (the server did the work, then the network dropped): start and the safety
check keep the screen as it was with "Try again", and the retry lands where the first post did; a skip, a finish and
the quick log go through the outbox (static/js/outbox.js), which keeps the entry on the phone and replays it, and
the server answers the replay as stored: nothing is duplicated, skipped twice or lost. Then: a reload resumes at the
first unlogged step after a skip with JavaScript and a release logged without it."""

import pytest
from playwright.sync_api import expect

from journal.models import Release, SafetyAnswer, Session, SessionStatus
from routines.models import Point
from tests.conftest import log_in
from tests.factories import make_routine

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The network errors of the dropped requests (and htmx's log of them) are the only console errors allowed.
EXPECTED_ERRORS = ("net::ERR_FAILED", "htmx:sendError", "htmx:afterRequest")


def lose_the_answer(page, pattern: str) -> list[int]:
    """The next request to `pattern` reaches the server, but its answer is lost on the way back."""
    done: list[int] = []

    def handler(route):
        if done:
            route.continue_()
            return
        response = route.fetch()
        done.append(response.status)
        route.abort()

    page.route(pattern, handler)
    return done


def wait_for(page, condition, timeout_ms: int = 15_000) -> None:
    """Waits (letting Playwright run its route handlers) until `condition()` holds: the outbox shows an entry as saved
    on the phone before it sends it, so the server's answer comes some time after the screen says so."""
    waited = 0
    while not condition():
        assert waited < timeout_ms, "timed out"
        page.wait_for_timeout(50)
        waited += 50


def retry(page):
    button = page.get_by_role("button", name="Try again")
    expect(button).to_be_visible()
    expect(button).to_be_focused()
    button.click()


def only_expected_errors(page) -> bool:
    return all(any(e in error for e in EXPECTED_ERRORS) for error in page.console_errors)


def test_start_whose_answer_was_lost_retries_into_the_same_session(signed_in_page, ready):
    routine = make_routine(ready, steps=2)
    page = signed_in_page
    page.goto(f"/routines/{routine.pk}/")
    served = lose_the_answer(page, "**/start/")
    page.get_by_role("button", name="Start a session").click()
    retry(page)
    page.get_by_text("Before you start").wait_for()
    assert served and served[0] == 200
    session = Session.objects.get(user=ready)
    assert page.url.endswith(f"/journal/sessions/{session.pk}/run/")
    assert only_expected_errors(page), page.console_errors


def test_safety_check_whose_answer_was_lost_keeps_the_answers_and_retries(signed_in_page, ready):
    session = Session.objects.start(ready, make_routine(ready, steps=2))
    page = signed_in_page
    page.goto(f"/journal/sessions/{session.pk}/run/")
    page.locator("label[for=id_pain_before_7]").click()
    page.locator("label[for=id_none_apply]").click()  # "None of these apply to me"
    lose_the_answer(page, "**/check/")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("button", name="Try again")).to_be_visible()
    assert page.locator("#id_pain_before_7").is_checked()  # what was entered is still on screen
    assert page.locator("#id_none_apply").is_checked()
    assert page.get_by_text("Your answers have not been sent yet").is_visible()
    retry(page)
    page.get_by_text("Step 1 of 2").wait_for()
    session.refresh_from_db()
    assert (session.safety_check, session.pain_before) == (SafetyAnswer.NO, 7)
    assert only_expected_errors(page), page.console_errors


def sync_now(page) -> None:
    """The user's "Sync now"; waits until the outbox has nothing waiting."""
    status = page.locator("[data-outbox-status]")
    status.get_by_role("button", name="Sync now").click()
    expect(status.locator('[data-outbox-state="waiting"]')).to_have_count(0)
    expect(status.locator("[data-outbox-saved]")).to_contain_text("saved in your journal")


def test_skip_whose_answer_was_lost_skips_one_step_only(signed_in_page, ready):
    session = Session.objects.start(ready, make_routine(ready, steps=3))
    session.answer_safety_check([])
    page = signed_in_page
    page.goto(f"/journal/sessions/{session.pk}/run/")
    page.get_by_text("Step 1 of 3").wait_for()
    served = lose_the_answer(page, "**/skip/")
    page.get_by_role("button", name="Skip this step").click()
    page.get_by_text("Step 2 of 3").wait_for()  # the phone goes on; the skip waits in the outbox
    expect(page.locator("[data-outbox-status]")).to_contain_text("1 entry saved on this phone, will sync")
    sync_now(page)
    assert served == [201]
    assert list(Release.objects.filter(session=session).values_list("position", "skipped")) == [(1, True)]
    assert page.get_by_text("Step 2 of 3").is_visible()
    assert only_expected_errors(page), page.console_errors


def test_finish_whose_answer_was_lost_is_replayed_once(signed_in_page, ready):
    session = Session.objects.start(ready, make_routine(ready, steps=1))
    session.answer_safety_check([], 6)
    session.skip(1)
    page = signed_in_page
    page.goto(f"/journal/sessions/{session.pk}/run/")
    page.get_by_role("heading", name="Finish the session").wait_for()
    page.locator("label[for=id_pain_after_4]").click()
    page.get_by_label("Notes").fill("Calmer.")
    served = lose_the_answer(page, "**/finish/")
    page.get_by_role("button", name="Finish and see the summary").click()
    page.get_by_role("heading", name="Session finished").wait_for()
    expect(page.get_by_text("saved on this phone", exact=False).first).to_be_visible()
    sync_now(page)
    assert served == [201]  # the first post had finished the session already; the replay found it so
    session.refresh_from_db()
    assert (session.status, session.pain_after, session.notes) == (SessionStatus.COMPLETED, 4, "Calmer.")
    assert only_expected_errors(page), page.console_errors


def test_quick_log_whose_answer_was_lost_logs_once(signed_in_page, ready):
    page = signed_in_page
    page.goto("/journal/log/")
    point = Point.objects.builtin().order_by("order", "name").first()
    page.get_by_label("Point").select_option(str(point.pk))
    page.locator("label[for=id_side_0]").click()
    page.locator("label[for=id_pressure_5]").click()
    page.locator("label[for=id_pain_now_3]").click()
    page.get_by_label("Notes").fill("At the gym.")
    page.locator("label[for=id_none_apply]").click()
    served = lose_the_answer(page, "**/journal/log/")
    page.get_by_role("button", name="Save to my journal").click()
    expect(page.get_by_text("Saved on this phone, will sync.", exact=False)).to_be_visible()
    wait_for(page, lambda: served)  # the post reached the server; its answer was then lost
    assert served == [201]
    assert Session.objects.filter(user=ready).count() == 1  # the server had saved it
    sync_now(page)
    assert served == [201]
    session = Session.objects.get(user=ready)
    assert session.releases.get().notes == "At the gym."
    assert only_expected_errors(page), page.console_errors


def test_reload_resumes_after_a_skip_and_a_release_logged_without_javascript(
    signed_in_page, browser, live_server, ready
):
    session = Session.objects.start(ready, make_routine(ready, steps=3, hold_seconds=1))
    page = signed_in_page
    page.goto(f"/journal/sessions/{session.pk}/run/")
    page.locator("label[for=id_none_apply]").click()
    page.get_by_role("button", name="Continue").click()
    page.get_by_text("Step 1 of 3").wait_for()
    # Skip can sit where Continue was: a tap there within 600 ms is the runner's double-tap guard at work.
    page.wait_for_timeout(650)
    page.get_by_role("button", name="Skip this step").click()  # over htmx
    page.get_by_text("Step 2 of 3").wait_for()
    page.reload()
    page.get_by_text("Step 2 of 3").wait_for()

    # Step 2 logged in a browser without JavaScript (plain page, plain post).
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    plain = context.new_page()
    try:
        log_in(plain, ready)
        plain.goto(f"/journal/sessions/{session.pk}/run/")
        plain.get_by_text("Step 2 of 3").wait_for()
        plain.locator("label[for=id_tender_0]").click()
        plain.locator("label[for=id_pressure_6]").click()
        plain.locator("label[for=id_pain_now_3]").click()
        plain.get_by_label("Notes").fill("No JavaScript here.")
        plain.get_by_role("button", name="Save and go on").click()
        plain.get_by_text("Step 3 of 3").wait_for()
    finally:
        context.close()

    page.reload()
    page.get_by_text("Step 3 of 3").wait_for()
    expect(page.locator("progress.runner-progress")).to_have_attribute("value", "2")
    rows = list(
        Release.objects.filter(session=session).order_by("position").values_list("position", "skipped", "notes")
    )
    assert rows == [(1, True, ""), (2, False, "No JavaScript here.")]
    assert page.console_errors == []
