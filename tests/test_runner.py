"""The runner from start to summary, plain and over htmx; resuming; closed sessions; access; query counts."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from journal.models import Release, SafetyAnswer, Session, SessionStatus
from tests.factories import (
    begun_a_while_ago,
    make_release,
    make_routine,
    make_running_session,
    make_session,
    session_url,
    time_passes,
)

pytestmark = pytest.mark.django_db

# Untouched a minute longer, or a minute less, than the time after which a running session counts as abandoned.
STALE = settings.TENDERSPOT_ABANDON_AFTER + timedelta(minutes=1)
ALMOST_STALE = settings.TENDERSPOT_ABANDON_AFTER - timedelta(minutes=1)


def answers(position, **extra):
    data = {"position": position, "tender": "yes", "pressure": "5", "pain_now": "4", "held_seconds": "30"}
    data.update(extra)
    return data


def test_whole_flow_plain_posts(ready, owner_client):
    routine = make_routine(ready, steps=3, hold_seconds=30)
    response = owner_client.post(reverse("journal:session_start", args=[routine.pk]), follow=True)
    session = begun_a_while_ago(Session.objects.get(user=ready))
    assert "Before you start" in response.content.decode()
    response = owner_client.post(
        session_url("session_check", session), {"pain_before": "6", "none_apply": "on"}, follow=True
    )
    html = response.content.decode()
    assert "Step 1 of 3" in html
    assert "<html" in html  # a whole page without htmx
    assert 'name="position" value="1"' in html
    for position in (1, 2):
        time_passes(session)  # the hold, done without the timer
        response = owner_client.post(session_url("release_log", session), answers(position))
        assert response.status_code == 302
        assert response["Location"] == session_url("session_run", session)
    response = owner_client.post(session_url("step_skip", session), {"position": 3})
    assert response.status_code == 302
    page = owner_client.get(session_url("session_run", session)).content.decode()
    assert "Finish the session" in page
    assert "That was the last step" in page
    response = owner_client.post(session_url("session_finish", session), {"pain_after": "3", "notes": "Felt looser."})
    assert response.status_code == 302
    assert response["Location"] == session_url("session_summary", session)
    session.refresh_from_db()
    assert session.status == SessionStatus.COMPLETED
    assert session.finished_at is not None
    assert (session.pain_before, session.pain_after, session.notes) == (6, 3, "Felt looser.")
    releases = list(session.releases.order_by("position"))
    assert [(r.position, r.skipped, r.held_seconds, r.pressure) for r in releases] == [
        (1, False, 30, 5),
        (2, False, 30, 5),
        (3, True, 0, None),
    ]
    summary = owner_client.get(session_url("session_summary", session)).content.decode()
    assert "6</span> → <span" in summary
    assert "3 points lower than before" in summary
    assert "Skipped" in summary
    assert "one session says little on its own" in summary
    assert "worked" not in summary.lower()


def test_whole_flow_over_htmx_returns_only_partials(ready, owner_client, htmx_headers):
    session = make_running_session(ready, steps=2)
    first = owner_client.get(session_url("session_run", session), headers=htmx_headers)
    assert first.status_code == 200
    assert "<html" not in first.content.decode()
    step_two = owner_client.post(session_url("release_log", session), answers(1), headers=htmx_headers)
    html = step_two.content.decode()
    assert step_two.status_code == 200
    assert "<html" not in html
    assert html.lstrip().startswith('<section id="runner-panel"')
    assert "Step 2 of 2" in html
    finish = owner_client.post(session_url("release_log", session), answers(2), headers=htmx_headers)
    assert "Finish the session" in finish.content.decode()
    done = owner_client.post(session_url("session_finish", session), {"pain_after": "5"}, headers=htmx_headers)
    assert done.status_code == 200
    assert done["HX-Redirect"] == session_url("session_summary", session)
    session.refresh_from_db()
    assert session.status == SessionStatus.COMPLETED


def test_step_page_shows_point_side_map_progress_and_time_left(ready, owner_client):
    session = make_running_session(ready, steps=3, hold_seconds=60)
    make_release(session, 1)
    html = owner_client.get(session_url("session_run", session)).content.decode()
    step = session.plan[1]
    assert "Step 2 of 3" in html
    assert f"{step['side'].capitalize()} side: {step['point_name']}" in html
    assert '<progress class="runner-progress" max="3" value="1">' in html
    assert "about 2 minutes left" in html
    assert "body-map-mark is-highlight" in html
    html = without_templates(html)  # the later steps wait, inert, in <template>s for the phone to run offline
    assert html.count("body-map-mark is-highlight") == 1  # only that point, only that side, on the map
    assert 'data-hold="60"' in html
    assert 'data-lead-in="5"' in html
    # "Seconds held" starts empty (never a claim of the full hold); empty means "not timed", as it says.
    assert 'name="held_seconds"' in html and 'name="held_seconds" value=' not in html
    assert "leave it empty: the step is then logged as not timed." in html
    from routines.catalogue import WORDING

    assert WORDING.PRESSURE in html and "keep the pressure strong" not in html.lower()
    assert "style=" not in html
    assert "<script>" not in html
    assert " hx-on" not in html
    assert 'aria-live="polite"' in html
    assert "<select" not in html  # the 0-10 scales are rows of buttons
    assert html.count('<fieldset class="scale') == 3  # tender, pressure, pain now: each a fieldset with a legend
    assert html.count("<legend") == 3
    assert '7</span><span class="scale-anchor">strong' in html
    assert "worst pain imaginable" in html


def test_reload_resumes_at_first_unlogged_step_with_everything_kept(ready, owner_client):
    session = make_running_session(ready, steps=4)
    owner_client.post(session_url("release_log", session), answers(1, notes="first"))
    owner_client.post(session_url("release_log", session), answers(3))
    html = owner_client.get(session_url("session_run", session)).content.decode()
    assert "Step 2 of 4" in html
    assert list(session.releases.values_list("position", "notes")) == [(1, "first"), (3, "")]
    owner_client.post(session_url("release_log", session), answers(2))
    assert "Step 4 of 4" in owner_client.get(session_url("session_run", session)).content.decode()


def test_finish_early_leaves_remaining_steps_unlogged(ready, owner_client):
    session = make_running_session(ready, steps=3)
    owner_client.post(session_url("release_log", session), answers(1))
    form = owner_client.get(session_url("session_finish", session)).content.decode()
    assert "You logged 1 of 3 steps" in form
    owner_client.post(session_url("session_finish", session), {"pain_after": "6"})
    session.refresh_from_db()
    assert session.status == SessionStatus.COMPLETED
    assert session.releases.count() == 1
    summary = owner_client.get(session_url("session_summary", session)).content.decode()
    assert "The same as before" in summary


@pytest.mark.parametrize("status", [SessionStatus.COMPLETED, SessionStatus.ABANDONED, SessionStatus.STOPPED])
@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("release_log", answers(1)),
        ("step_skip", {"position": 1}),
        ("hold_start", {"position": 1}),
        ("session_finish", {"pain_after": "2"}),
        ("session_check", {"none_apply": "on"}),
    ],
)
def test_posting_to_a_closed_session_is_refused_with_a_message(ready, owner_client, status, name, data):
    session = make_running_session(ready, status=status, finished_at=timezone.now())
    response = owner_client.post(session_url(name, session), data, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == session_url("session_summary", session)
    html = response.content.decode()
    assert "nothing was changed" in html.lower()
    assert Release.objects.count() == 0
    session.refresh_from_db()
    assert session.status == status


def test_posting_to_a_closed_session_over_htmx_redirects_the_page(ready, owner_client, htmx_headers):
    session = make_running_session(ready, status=SessionStatus.COMPLETED, finished_at=timezone.now())
    response = owner_client.post(session_url("release_log", session), answers(1), headers=htmx_headers)
    assert response.status_code == 200
    assert response["HX-Redirect"] == session_url("session_summary", session)
    assert Release.objects.count() == 0


def test_runner_of_a_finished_session_shows_the_summary(ready, owner_client):
    session = make_running_session(ready, status=SessionStatus.COMPLETED, finished_at=timezone.now())
    response = owner_client.get(session_url("session_run", session))
    assert response["Location"] == session_url("session_summary", session)
    response = owner_client.get(session_url("session_finish", session))
    assert response["Location"] == session_url("session_summary", session)


def test_summary_of_a_running_session_returns_to_the_runner(ready, owner_client):
    session = make_running_session(ready)
    assert owner_client.get(session_url("session_summary", session))["Location"] == session_url("session_run", session)


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("session_run", "get"),
        ("session_check", "post"),
        ("hold_start", "post"),
        ("release_log", "post"),
        ("step_skip", "post"),
        ("session_finish", "get"),
        ("session_finish", "post"),
        ("session_summary", "get"),
    ],
)
def test_another_users_session_is_404(ready, other_user, other_client, name, method):
    other_user.profile.acknowledge_safety()
    session = make_running_session(ready)
    response = getattr(other_client, method)(session_url(name, session), answers(1))
    assert response.status_code == 404
    assert Release.objects.count() == 0
    session.refresh_from_db()
    assert session.status == SessionStatus.IN_PROGRESS
    assert session.current_hold_position is None


SESSION_VIEWS = ["session_run", "session_check", "hold_start", "release_log", "step_skip", "session_finish"]


@pytest.mark.parametrize("name", [*SESSION_VIEWS, "session_summary"])
def test_anonymous_goes_to_login(ready, anonymous_client, name):
    session = make_running_session(ready)
    response = anonymous_client.post(session_url(name, session), answers(1))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert Release.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("session_run", "post"),
        ("session_summary", "post"),
        ("session_check", "get"),
        ("hold_start", "get"),
        ("release_log", "get"),
        ("step_skip", "get"),
        ("session_finish", "put"),
    ],
)
def test_wrong_method_is_405(ready, owner_client, name, method):
    session = make_running_session(ready)
    assert getattr(owner_client, method)(session_url(name, session)).status_code == 405


def test_hold_start_records_the_start_on_the_server(ready, owner_client, htmx_headers):
    session = make_running_session(ready)
    before = timezone.now()
    response = owner_client.post(session_url("hold_start", session), {"position": 2}, headers=htmx_headers)
    assert response.status_code == 204
    session.refresh_from_db()
    assert session.current_hold_position == 2
    assert session.current_hold_started_at >= before
    bad = owner_client.post(session_url("hold_start", session), {"position": 99}, headers=htmx_headers)
    assert bad.status_code == 422
    session.refresh_from_db()
    assert session.current_hold_position == 2


def test_stale_sessions_are_abandoned_lazily_and_kept(ready, owner_client):
    old = timezone.now() - STALE
    session = make_running_session(ready, started_at=old, last_activity_at=old)
    make_release(session, 1)
    fresh = make_running_session(ready)
    response = owner_client.post(session_url("release_log", session), answers(2), follow=True)
    assert "left for a long time" in response.content.decode()
    session.refresh_from_db()
    fresh.refresh_from_db()
    assert session.status == SessionStatus.ABANDONED
    assert fresh.status == SessionStatus.IN_PROGRESS
    assert session.releases.count() == 1
    summary = owner_client.get(session_url("session_summary", session)).content.decode()
    assert "Everything you logged is kept" in summary


def test_logging_keeps_a_session_alive(ready, owner_client):
    almost = timezone.now() - ALMOST_STALE
    session = make_running_session(ready, started_at=almost, last_activity_at=almost)
    posted = timezone.now()
    owner_client.post(session_url("release_log", session), answers(1))
    session.refresh_from_db()
    assert session.last_activity_at >= posted  # the post touched it
    assert Session.objects.stale(now=timezone.now() + timedelta(hours=1)).count() == 0


def test_abandon_stale_sessions_command(owner, other_user, capsys):
    old = timezone.now() - STALE
    stale = [
        make_running_session(owner, started_at=old, last_activity_at=old),
        make_running_session(other_user, last_activity_at=old),
    ]
    fresh = make_running_session(owner)
    call_command("abandon_stale_sessions")
    assert "Abandoned 2 session(s)" in capsys.readouterr().out
    assert {s.status for s in Session.objects.filter(pk__in=[s.pk for s in stale])} == {SessionStatus.ABANDONED}
    fresh.refresh_from_db()
    assert fresh.status == SessionStatus.IN_PROGRESS


def test_query_count_per_step_is_flat(ready, owner_client, django_assert_num_queries, htmx_headers):
    """Logging step 1 and step 10 of a 12-step session, and loading the runner at either, cost the same."""
    session = make_running_session(ready, steps=1)
    session.plan = session.plan * 12
    session.save(update_fields=["plan"])
    # The precaution profile is one of them; the later steps' points (for the phone, offline) one more; the lock
    # on the session while the other steps' held seconds are read one more.
    with django_assert_num_queries(16) as log_first:
        first = owner_client.post(session_url("release_log", session), answers(1), headers=htmx_headers)
    assert first.status_code == 200
    with django_assert_num_queries(9) as page_two:
        second = owner_client.get(session_url("session_run", session))
    assert second.status_code == 200 and "Step 2 of 12" in second.content.decode()
    for position in range(2, 10):
        make_release(session, position)
    with django_assert_num_queries(len(log_first.captured_queries)):
        response = owner_client.post(session_url("release_log", session), answers(10), headers=htmx_headers)
    assert response.status_code == 200 and "Step 11 of 12" in response.content.decode()
    with django_assert_num_queries(len(page_two.captured_queries)):
        page = owner_client.get(session_url("session_run", session))
    assert page.status_code == 200 and "Step 11 of 12" in page.content.decode()


def test_dashboard_offers_to_resume_the_running_session(ready, owner_client, other_user):
    session = make_running_session(ready, steps=3)
    make_release(session, 1)
    make_running_session(other_user)
    html = owner_client.get(reverse("home")).content.decode()
    assert "You have a session in progress" in html
    assert f'href="{session_url("session_run", session)}"' in html
    assert "1 of 3 steps logged" in html
    assert html.count("Resume") == 1
    assert f'href="{reverse("journal:quick_log")}"' in html


def test_dashboard_abandons_stale_sessions_and_offers_no_resume(ready, owner_client):
    old = timezone.now() - STALE
    stale = make_running_session(ready, started_at=old, last_activity_at=old)
    make_running_session(ready, status=SessionStatus.COMPLETED, finished_at=timezone.now())
    html = owner_client.get(reverse("home")).content.decode()
    assert "You have a session in progress" not in html
    stale.refresh_from_db()
    assert stale.status == SessionStatus.ABANDONED


def test_no_improvement_message_on_a_day_a_red_flag_was_reported(ready, owner_client):
    make_session(ready, safety_check=SafetyAnswer.YES, status=SessionStatus.STOPPED, finished_at=timezone.now())
    session = make_running_session(ready, status=SessionStatus.COMPLETED, pain_after=2, finished_at=timezone.now())
    html = owner_client.get(session_url("session_summary", session)).content.decode()
    assert "lower than before" not in html
    assert "A warning sign was reported today" in html


BAD_FINISH = [{"pain_after": "11"}, {"pain_after": "-1"}, {"pain_after": "abc"}, {"notes": "x" * 10_000}]


@pytest.mark.parametrize("data", BAD_FINISH)
def test_bad_finish_input_is_refused_and_the_session_stays_open(ready, owner_client, htmx_headers, data):
    session = make_running_session(ready)
    response = owner_client.post(session_url("session_finish", session), data, headers=htmx_headers)
    assert response.status_code == 422
    assert "<html" not in response.content.decode()
    assert "invalid-feedback" in response.content.decode()
    session.refresh_from_db()
    assert session.status == SessionStatus.IN_PROGRESS
    assert session.pain_after is None
    assert session.notes == ""


def test_a_step_whose_custom_point_was_deleted_still_runs_from_the_snapshot(ready, owner_client):
    from routines.models import RoutineStep
    from tests.factories import make_point

    point = make_point(ready, name="My calf spot")
    routine = make_routine(ready, steps=1)
    RoutineStep.objects.create(routine=routine, position=2, point=point, side="left", hold_seconds=20)
    session = make_session(ready, routine, safety_check=SafetyAnswer.NO)
    make_release(session, 1)
    point.delete()
    html = owner_client.get(session_url("session_run", session)).content.decode()
    assert "Left side: My calf spot" in html
    assert "body-map" not in html
    owner_client.post(session_url("release_log", session), answers(2))
    release = session.releases.get(position=2)
    assert (release.point, release.point_name) == (None, "My calf spot")


def without_templates(html: str) -> str:
    """The page as shown: without the inert <template>s of the later steps (kept for running offline)."""
    return re.sub(r"<template[ >].*?</template>", "", html, flags=re.S)
