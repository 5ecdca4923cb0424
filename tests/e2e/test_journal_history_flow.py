"""In a real browser: edit and delete in place with htmx on a session page, and the dashboard and trends render
without a Content-Security-Policy violation (those show as console errors)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from journal.models import Release, Session, SessionStatus
from routines.models import Routine, RoutineStep
from tests.factories import make_point, make_release, make_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def errors_other_than_422(page) -> list[str]:
    """The browser logs the expected 422 of an invalid form as a failed resource; anything else is a fault."""
    return [e for e in page.console_errors if "422" not in e]


@pytest.fixture
def history(owner):
    # Transactional tests may run after a flush that removed the built-in catalogue: make our own points.
    routine = Routine.objects.create(owner=owner, name="My glutes")
    for position, side in ((1, "left"), (2, "right")):
        point = make_point(owner=owner, name=f"Glute spot {position}")
        RoutineStep.objects.create(routine=routine, position=position, point=point, side=side, hold_seconds=30)
    now = timezone.now()
    sessions = []
    for n in range(12, -1, -1):
        s = make_session(
            owner,
            routine,
            started_at=now - timedelta(days=n),
            status=SessionStatus.COMPLETED,
            pain_before=6 if n > 5 else 3,
            pain_after=4,
            finished_at=now - timedelta(days=n) + timedelta(minutes=9),
        )
        make_release(s, 1, tender=True)
        make_release(s, 2, tender=False)
        sessions.append(s)
    return sessions


def test_edit_and_delete_in_place(signed_in_page, history):
    page = signed_in_page
    session = history[-1]
    page.goto(f"/journal/sessions/{session.pk}/")
    url = page.url
    page.get_by_role("link", name="Edit session").click()
    expect(page.locator("#session-form-heading")).to_be_focused()  # focus follows the swap, not lost to <body>
    page.get_by_label("Leg pain before the session (0-10)").fill("12")
    page.get_by_role("button", name="Save session").click()
    page.get_by_text("Nothing was saved").wait_for()
    page.get_by_label("Leg pain before the session (0-10)").fill("2")
    page.get_by_role("button", name="Save session").click()
    page.get_by_text("Session saved.").wait_for()
    expect(page.get_by_role("link", name="Edit session")).to_be_focused()
    assert page.url == url  # swapped in place, no navigation
    session.refresh_from_db()
    assert session.pain_before == 2

    second = session.releases.get(position=2)
    page.get_by_role("link", name="Edit step 2").click()
    expect(page.locator(f"#release-{second.pk}-form-heading")).to_be_focused()
    page.get_by_role("button", name="Save step 2").click()
    page.get_by_text("Release saved.").wait_for()
    expect(page.get_by_role("link", name="Edit step 2")).to_be_focused()

    first = session.releases.get(position=1)
    page.get_by_text("Delete step 1…").click()
    page.get_by_role("button", name="Yes, delete step 1").click()
    page.get_by_text("Release deleted").wait_for()
    expect(page.get_by_role("status").filter(has_text="Release deleted")).to_be_focused()
    assert not Release.objects.filter(pk=first.pk).exists()
    assert errors_other_than_422(page) == []


def test_dashboard_list_and_trends_render_cleanly(signed_in_page, history):
    page = signed_in_page
    page.goto("/")
    assert page.get_by_role("heading", name="Days with a session").is_visible()
    assert page.locator("svg#week-chart").is_visible()
    page.goto("/journal/sessions/")
    assert page.get_by_role("table").is_visible()
    page.goto("/journal/trends/?range=30")
    # On a phone the pain chart shows its narrow variant (charts.Chart.narrow_svg), one drawing at a time.
    assert page.locator("#pain-chart-figure svg.chart-svg >> visible=true").count() == 1
    assert page.locator("svg#heatmap-chart").is_visible()
    page.get_by_text("The numbers in this chart").first.click()
    assert page.locator("#pain-chart-table").is_visible()
    assert page.console_errors == []
    assert Session.objects.count() == 13
