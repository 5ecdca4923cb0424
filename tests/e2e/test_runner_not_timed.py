"""A step logged with "Log without the timer" and "Seconds held" left empty, with no connection: the phone's
"Logged so far" says "not timed" (never the step's full hold), and once synced the server stores it so
(held_seconds None) and lists it in the same words."""

import re

import pytest
from playwright.sync_api import expect

from journal.models import Release
from tests.e2e.test_offline_outbox import (
    ALL_SAVED,
    alice,  # noqa: F401 (a fixture)
    answer,
    open_runner,
    started_session,
    until,
)
from tests.e2e.test_runner_logged_offline import ITEMS, PHONE_ITEMS, first_words

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_offline_step_with_empty_seconds_is_not_timed_on_the_phone_and_on_the_server(app_page, alice):  # noqa: F811
    page = app_page
    session = started_session(alice, steps=2)
    open_runner(page, alice, session)
    page.context.set_offline(True)
    page.get_by_role("button", name="Log without the timer").click()
    expect(page.locator("#id_held_seconds")).to_have_value("")
    expect(page.get_by_text("leave it empty: the step is then logged as not timed.")).to_be_visible()
    answer(page, 1, pressure=4, pain=3)
    page.get_by_text("Step 2 of 2").wait_for()
    page.locator("#runner-logged summary").click()
    expect(page.locator(PHONE_ITEMS)).to_have_count(1)
    phone_line = first_words(page.locator(ITEMS).nth(0))
    assert re.fullmatch(r"1\. Left .+: not timed, tender, pressure 4, pain 3", phone_line), phone_line

    page.context.set_offline(False)
    until(page, ALL_SAVED)
    release = Release.objects.get(session=session)
    assert release.held_seconds is None
    expect(page.locator(PHONE_ITEMS)).to_have_count(0)
    expect(page.locator(f"#release-{release.pk}")).to_be_visible()
    assert first_words(page.locator(f"#release-{release.pk}")) == phone_line
