"""Starting a session: one POST from a routine page, then the pain-now and safety-check question."""

import pytest
from django.urls import reverse

from journal.models import SafetyAnswer, Session, SessionStatus
from routines.models import Routine
from tests.factories import make_routine

pytestmark = pytest.mark.django_db


def start(client, routine):
    return client.post(reverse("journal:session_start", args=[routine.pk]))


def test_start_builtin_routine_snapshots_the_plan_and_redirects_to_the_runner(ready, owner_client):
    routine = Routine.objects.builtin().get(slug="glutes-only")
    response = start(owner_client, routine)
    session = Session.objects.get(user=ready)
    assert response.status_code == 302
    assert response["Location"] == reverse("journal:session_run", args=[session.pk])
    assert session.status == SessionStatus.IN_PROGRESS
    assert session.routine_name == routine.name
    assert [s["point_slug"] for s in session.plan] == [
        s.point.slug for s in routine.steps.select_related("point").order_by("position")
    ]
    assert session.local_date == ready.profile.local_date(session.started_at)
    assert session.safety_check == SafetyAnswer.NOT_ASKED


def test_start_own_routine_and_double_tap_makes_one_session(ready, owner_client):
    routine = make_routine(ready, steps=3)
    start(owner_client, routine)
    start(owner_client, routine)
    assert Session.objects.filter(user=ready).count() == 1


def test_runner_asks_the_safety_check_first_and_steps_are_refused_until_answered(ready, owner_client):
    start(owner_client, make_routine(ready))
    session = Session.objects.get(user=ready)
    page = owner_client.get(reverse("journal:session_run", args=[session.pk]))
    html = page.content.decode()
    assert "Before you start" in html
    assert "Pain, tingling or numbness going down both legs" in html
    assert 'name="rf_both_legs"' in html and 'name="none_apply"' in html
    log = owner_client.post(
        reverse("journal:release_log", args=[session.pk]),
        {"position": 1, "tender": "yes", "pressure": 5, "pain_now": 3},
    )
    assert log.status_code == 302
    assert log["Location"] == reverse("journal:session_run", args=[session.pk])
    assert session.releases.count() == 0


def test_answering_no_records_pain_before_and_shows_step_one(ready, owner_client, htmx_headers):
    start(owner_client, make_routine(ready))
    session = Session.objects.get(user=ready)
    response = owner_client.post(
        reverse("journal:session_check", args=[session.pk]),
        {"pain_before": "6", "none_apply": "on"},
        headers=htmx_headers,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="runner-panel"' in html
    assert "Step 1 of 2" in html
    session.refresh_from_db()
    assert session.safety_check == SafetyAnswer.NO
    assert session.pain_before == 6


def test_pain_before_is_optional(ready, owner_client):
    start(owner_client, make_routine(ready))
    session = Session.objects.get(user=ready)
    response = owner_client.post(reverse("journal:session_check", args=[session.pk]), {"none_apply": "on"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.pain_before is None
    assert session.safety_check == SafetyAnswer.NO


def test_red_flag_stops_the_session_at_once_and_says_what_to_do(ready, owner_client):
    start(owner_client, make_routine(ready))
    session = Session.objects.get(user=ready)
    response = owner_client.post(
        reverse("journal:session_check", args=[session.pk]), {"pain_before": "8", "rf_both_legs": "yes"}, follow=True
    )
    assert response.redirect_chain == [(reverse("journal:session_summary", args=[session.pk]), 302)]
    html = response.content.decode()
    assert "Please get help now" in html
    assert "emergency" in html
    assert "lower than before" not in html
    session.refresh_from_db()
    assert session.status == SessionStatus.STOPPED
    assert session.safety_check == SafetyAnswer.YES
    assert session.finished_at is not None
    assert list(Session.objects.red_flagged()) == [session]
    # Nothing more can be logged; the runner now shows the summary with the red flags.
    refused = owner_client.post(
        reverse("journal:release_log", args=[session.pk]),
        {"position": 1, "tender": "yes", "pressure": 5, "pain_now": 3},
    )
    assert refused.status_code == 302
    assert refused["Location"] == reverse("journal:session_summary", args=[session.pk])
    assert session.releases.count() == 0
    summary = owner_client.get(reverse("journal:session_run", args=[session.pk]), follow=True)
    assert "Please get help now" in summary.content.decode()


def test_red_flag_over_htmx_returns_only_the_panel(ready, owner_client, htmx_headers):
    start(owner_client, make_routine(ready))
    session = Session.objects.get(user=ready)
    response = owner_client.post(
        reverse("journal:session_check", args=[session.pk]), {"rf_both_legs": "yes"}, headers=htmx_headers
    )
    html = response.content.decode()
    assert "<html" not in html
    assert "Please get help now" in html


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"rf_both_legs": "maybe"},
        {"none_apply": "on", "pain_before": "11"},
        {"none_apply": "on", "pain_before": "abc"},
    ],
)
def test_bad_safety_answers_are_refused_and_nothing_changes(ready, owner_client, data):
    start(owner_client, make_routine(ready))
    session = Session.objects.get(user=ready)
    response = owner_client.post(reverse("journal:session_check", args=[session.pk]), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "invalid-feedback" in html or "Answer each question below" in html
    session.refresh_from_db()
    assert session.safety_check == SafetyAnswer.NOT_ASKED
    assert session.pain_before is None


def test_start_requires_the_safety_notice(owner, owner_client):
    routine = make_routine(owner)
    response = start(owner_client, routine)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("safety"))
    assert not Session.objects.exists()


def test_start_anonymous_goes_to_login(anonymous_client):
    routine = Routine.objects.builtin().first()
    response = start(anonymous_client, routine)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert not Session.objects.exists()


def test_start_get_is_405(ready, owner_client):
    routine = Routine.objects.builtin().first()
    assert owner_client.get(reverse("journal:session_start", args=[routine.pk])).status_code == 405


def test_start_another_users_routine_is_404(ready, owner_client, other_user):
    routine = make_routine(other_user)
    assert start(owner_client, routine).status_code == 404
    assert not Session.objects.exists()


def test_start_button_seam_posts_to_session_start(ready, owner_client):
    from django.template.loader import render_to_string

    routine = Routine.objects.builtin().first()
    html = render_to_string("journal/_start_button.html", {"routine": routine, "csrf_token": "x"})
    assert f'action="{reverse("journal:session_start", args=[routine.pk])}"' in html
    assert 'method="post"' in html
    assert "Start a session" in html
