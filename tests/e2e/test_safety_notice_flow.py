"""A new user who presses "Start a session" reads the safety notice once, and the session then starts: the notice
continues what they asked for instead of dropping them back on the list."""

import pytest
from playwright.sync_api import expect

from journal.models import Session
from routines.models import Routine, RoutineStep
from tests.conftest import log_in
from tests.factories import make_point

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-js"])
def test_start_goes_ahead_after_the_notice(browser, live_server, owner, javascript):
    routine = Routine.objects.create(owner=owner, name="First routine")
    RoutineStep.objects.create(routine=routine, position=1, point=make_point(owner=owner), side="left", hold_seconds=30)
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, java_script_enabled=javascript
    )
    page = context.new_page()
    try:
        log_in(page, owner)
        page.goto(f"/routines/{routine.pk}/")
        page.get_by_role("button", name="Start a session").click()
        page.wait_for_url("**/safety/**")
        page.get_by_role("button", name="I have read this notice").click()
        page.wait_for_url("**/journal/sessions/*/run/")
        session = Session.objects.get(user=owner)
        assert session.routine == routine
        expect(page.locator("main")).to_contain_text("First routine")
    finally:
        context.close()
