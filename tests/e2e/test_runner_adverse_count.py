"""Correcting a logged release during a session (htmx, in the runner's "Logged so far" list) updates the
adverse-response count shown there, without a reload."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_runner_a11y import session_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_correcting_a_release_updates_the_adverse_count(signed_in_page, owner):
    page = signed_in_page
    session = session_for(owner, hold_seconds=30, lead_in=0)
    release, _ = session.log_release(1, held_seconds=30, tender=True, pressure=9, pain_now=4)
    page.goto(f"/journal/sessions/{session.pk}/run/")
    page.get_by_text("Logged so far").click()
    count = page.locator("#adverse-count")
    expect(count).to_contain_text("Adverse responses: 1")
    page.get_by_role("link", name="Correct step 1").click()
    form = page.locator(f"#release-{release.pk} form")
    form.locator("[name=pressure]").fill("5")
    form.get_by_role("button", name="Save step 1").click()
    expect(page.get_by_text("Step 1 corrected.")).to_be_visible()
    expect(count).not_to_contain_text("Adverse responses")
    assert page.console_errors == []
