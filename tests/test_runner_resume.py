"""Data never lost: a reload at any point of a session resumes at the first unlogged step, with everything logged so
far intact: before the safety check, during a hold, after a skip, after a release logged without JavaScript (the
plain form as the page drew it), over htmx or not, and at the finish."""

import re

import pytest
from django.urls import reverse

from journal.models import Release, SafetyAnswer, Session
from tests.factories import begun_a_while_ago, make_routine, session_url

pytestmark = pytest.mark.django_db

RELEASE_FIELDS = ("position", "skipped", "tender", "pressure", "pain_now", "held_seconds", "stopped_early", "notes")


def logged(session) -> list[tuple]:
    return list(Release.objects.filter(session=session).order_by("position").values_list(*RELEASE_FIELDS))


def reload(client, session) -> str:
    response = client.get(session_url("session_run", session))
    assert response.status_code == 200
    return response.content.decode()


def plain_form_values(html: str, form_id: str = "runner-log") -> dict:
    """The values a browser without JavaScript would send from the form as drawn (hidden and pre-filled inputs)."""
    form = html[html.index(f'id="{form_id}"') :]
    form = form[: form.index("</form>")]
    values = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        kind = re.search(r'type="([^"]+)"', tag)
        if name and value and (kind is None or kind.group(1) not in ("radio", "checkbox")):
            values[name.group(1)] = value.group(1)
    return values


def test_a_reload_at_every_point_resumes_at_the_first_unlogged_step(ready, owner_client, htmx_headers):
    routine = make_routine(ready, steps=4, hold_seconds=45)
    owner_client.post(reverse("journal:session_start", args=[routine.pk]))
    session = begun_a_while_ago(Session.objects.get(user=ready))

    # Before the safety check: the check again, nothing logged.
    assert "Before you start" in reload(owner_client, session)
    owner_client.post(
        session_url("session_check", session), {"pain_before": "7", "none_apply": "on"}, headers=htmx_headers
    )
    html = reload(owner_client, session)
    assert "Step 1 of 4" in html

    # Step 1 logged without JavaScript: the plain form as drawn (position filled in; "Seconds held" empty, which
    # is logged as not timed: None, never the full hold).
    values = plain_form_values(html)
    assert values["position"] == "1"
    assert values.get("held_seconds", "") == ""
    owner_client.post(
        session_url("release_log", session), {**values, "tender": "yes", "pressure": "5", "pain_now": "6"}
    )
    after_one = logged(session)
    assert after_one == [(1, False, True, 5, 6, None, False, "")]
    html = reload(owner_client, session)
    assert "Step 2 of 4" in html
    assert 'max="4" value="1"' in html

    # Step 2 skipped over htmx: the reload shows step 3 and keeps step 1 as it was.
    owner_client.post(session_url("step_skip", session), {"position": 2}, headers=htmx_headers)
    html = reload(owner_client, session)
    assert "Step 3 of 4" in html
    assert 'max="4" value="2"' in html
    assert logged(session)[0] == after_one[0]
    assert logged(session)[1][:2] == (2, True)

    # A hold under way on step 3 (the server saw it start): a reload comes back to step 3 and tells the timer when
    # the hold started, so that it carries on from there (tests/e2e/test_runner_reload.py).
    owner_client.post(session_url("hold_start", session), {"position": 3}, headers=htmx_headers)
    html = reload(owner_client, session)
    assert "Step 3 of 4" in html
    assert 'data-log-open="0"' in html
    assert 0 <= int(re.search(r'data-hold-started-ms-ago="(\d+)"', html).group(1)) < 5000
    assert len(logged(session)) == 2

    # Step 3 logged over htmx with notes, then step 4 left: the reload shows step 4, all three rows intact.
    owner_client.post(
        session_url("release_log", session),
        {"position": 3, "tender": "no", "pressure": "3", "pain_now": "5", "held_seconds": "40", "notes": "Calf."},
        headers=htmx_headers,
    )
    before_reload = logged(session)
    html = reload(owner_client, session)
    assert "Step 4 of 4" in html
    assert logged(session) == before_reload
    assert before_reload[2][-1] == "Calf."

    # Every step logged: the reload shows the finish form, and the rows are still all there.
    owner_client.post(session_url("step_skip", session), {"position": 4})
    html = reload(owner_client, session)
    assert "Finish the session" in html
    assert not re.search(r"You logged \d+ of", html)  # every step has a row (a skip counts as logged)
    assert [row[:2] for row in logged(session)] == [(1, False), (2, True), (3, False), (4, True)]
    session.refresh_from_db()
    assert (session.status, session.pain_before, session.safety_check) == ("in_progress", 7, SafetyAnswer.NO)


def test_a_skip_before_earlier_steps_resumes_at_the_first_gap(ready, owner_client):
    routine = make_routine(ready, steps=3)
    owner_client.post(reverse("journal:session_start", args=[routine.pk]))
    session = Session.objects.get(user=ready)
    owner_client.post(session_url("session_check", session), {"none_apply": "on"})
    owner_client.post(session_url("step_skip", session), {"position": 2})  # from another tab, say
    html = reload(owner_client, session)
    assert "Step 1 of 3" in html
    assert 'name="position" value="1"' in html
    owner_client.post(
        session_url("release_log", session), {"position": 1, "tender": "yes", "pressure": "4", "pain_now": "4"}
    )
    assert "Step 3 of 4" not in reload(owner_client, session)
    assert "Step 3 of 3" in reload(owner_client, session)


def test_a_failed_log_post_loses_nothing_logged_before(ready, owner_client, htmx_headers):
    routine = make_routine(ready, steps=3)
    owner_client.post(reverse("journal:session_start", args=[routine.pk]))
    session = Session.objects.get(user=ready)
    owner_client.post(session_url("session_check", session), {"none_apply": "on"})
    owner_client.post(
        session_url("release_log", session), {"position": 1, "tender": "yes", "pressure": "5", "pain_now": "4"}
    )
    kept = logged(session)
    bad = owner_client.post(
        session_url("release_log", session), {"position": 2, "pressure": "5", "pain_now": "99"}, headers=htmx_headers
    )
    assert bad.status_code == 422
    assert logged(session) == kept
    assert "Step 2 of 3" in reload(owner_client, session)


def test_time_left_counts_the_steps_not_yet_logged(ready, owner_client):
    routine = make_routine(ready, steps=3, hold_seconds=50)
    owner_client.post(reverse("journal:session_start", args=[routine.pk]))
    session = Session.objects.get(user=ready)
    owner_client.post(session_url("session_check", session), {"none_apply": "on"})
    assert "Step 1 of 3 · about 3 minutes left" in reload(owner_client, session)  # 3 x (50 + 10 s), as the list says
    owner_client.post(session_url("step_skip", session), {"position": 1})
    owner_client.post(session_url("step_skip", session), {"position": 2})
    assert "Step 3 of 3 · about 1 minute left" in reload(owner_client, session)  # 50 s hold + 10 s to move there
