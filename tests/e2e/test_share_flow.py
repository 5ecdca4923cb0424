import re

import pytest
from playwright.sync_api import expect

from journal.models import ShareLink
from routines.models import Routine, RoutineStep
from tests.factories import make_log, make_point

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_make_copy_open_and_revoke_a_share_link(signed_in_page, owner, browser):
    page = signed_in_page
    # Transactional tests may run after a flush emptied the catalogue: use the owner's own point and routine.
    routine = Routine.objects.create(owner=owner, name="My routine")
    RoutineStep.objects.create(routine=routine, position=1, point=make_point(owner=owner), side="left", hold_seconds=30)
    make_log(owner, days=5, routine=routine)
    page.goto("/journal/exports/")
    page.get_by_role("link", name="Share a read-only link with a practitioner").click()
    page.get_by_label("Who is it for?").fill("Physio <Anna>")
    page.get_by_label("Link works for").select_option("7")
    page.get_by_role("button", name="Make the link").click()
    url_box = page.get_by_label("New share link")
    expect(url_box).to_be_focused()  # the address shown once is where focus lands, ready to copy
    url = url_box.input_value()
    assert re.search(r"/journal/s/[A-Za-z0-9_-]{43}/$", url)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Copy").click()
    page.wait_for_function("() => document.querySelector('[data-copy-status=\"new-share-url\"]').textContent !== ''")
    assert page.evaluate("navigator.clipboard.readText()") == url
    assert page.locator('[data-copy-status="new-share-url"]').inner_text() in {
        "Copied.",
        "Selected: press Ctrl+C or Cmd+C to copy.",
    }
    assert page.locator("td", has_text="Physio <Anna>").first.is_visible()

    practitioner = browser.new_context(base_url=page.base_url).new_page()
    errors = []
    practitioner.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    practitioner.goto(url)
    assert practitioner.get_by_role("heading", name="Trigger-point self-release log", exact=True).is_visible()
    assert practitioner.get_by_role("link", name="Download PDF (A4)").is_visible()
    assert errors == []  # no CSP violations, nothing missing

    page.get_by_role("button", name="Revoke the link for Physio <Anna>").click()
    page.get_by_text("Revoked").wait_for()
    assert ShareLink.objects.get().revoked_at is not None
    response = practitioner.goto(url)
    assert response.status == 404
    assert page.console_errors == []
