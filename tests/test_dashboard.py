"""The signed-in home page: today's state, days with a session, the last 7 days and the meaningful-change callout."""

import re

import pytest
from django.urls import reverse

from journal.dashboard.views import dashboard_context
from journal.models import SafetyAnswer, Session, SessionStatus
from routines.models import Routine
from tests.factories import ensure_catalogue, make_routine, make_session, on_day

pytestmark = pytest.mark.django_db
HOME = reverse("home")


def test_anonymous_sees_the_welcome_page(anonymous_client):
    assert "Create a free account" in anonymous_client.get(HOME).text


def test_new_user_gets_guidance_and_no_error(owner_client):
    response = owner_client.get(HOME)
    assert response.status_code == 200
    assert "Choose a routine" in response.text and "What you will see here" in response.text
    assert "Days with a session" not in response.text


def test_in_progress_session_offers_resume(owner, owner_client):
    open_session = make_session(owner, status=SessionStatus.IN_PROGRESS)  # started now: not yet stale
    html = owner_client.get(HOME).text
    assert "You have a session in progress" in html
    assert "Resume the session" in html
    assert f'href="{reverse("journal:session_run", args=[open_session.pk])}"' in html


def test_otherwise_start_the_last_routine(owner, owner_client):
    feet = Routine.objects.get(slug="feet-only")
    glutes = Routine.objects.get(slug="glutes-only")
    on_day(owner, 3, routine=feet, routine_name=feet.name)
    on_day(owner, 1, routine=glutes, routine_name=glutes.name)
    html = owner_client.get(HOME).text
    assert f"Start your last routine: {glutes.name}" in html
    start = reverse("journal:session_start", args=[glutes.pk])
    assert f'action="{start}"' in html  # the button starts it (a POST), not a link to the routine page
    owner.profile.acknowledge_safety()
    response = owner_client.post(start)
    session = Session.objects.get(user=owner, status=SessionStatus.IN_PROGRESS)
    assert session.routine == glutes and response["Location"] == reverse("journal:session_run", args=[session.pk])


def test_the_last_routine_that_cannot_start_says_why(owner, owner_client):
    routine = make_routine(owner, steps=1, name="Emptied")
    on_day(owner, 1, routine=routine, routine_name=routine.name)
    routine.steps.all().delete()
    owner.profile.acknowledge_safety()
    response = owner_client.post(reverse("journal:session_start", args=[routine.pk]), follow=True)
    assert "This routine has no steps yet" in response.text


def test_the_week_chart_has_a_visible_title_and_readable_axis_text(owner, owner_client):
    on_day(owner, 1, pain_before=5)
    html = owner_client.get(HOME).text
    assert '<figcaption class="chart-title">Leg pain before sessions, last 7 days</figcaption>' in html
    sizes = [int(size) for size in re.findall(r'<text [^>]*font-size="(\d+)"', html[html.index('id="week-chart"') :])]
    assert sizes and min(sizes) >= 11  # the day labels were 9


def test_days_with_a_session_and_last_seven_days(owner, owner_client):
    for n, pain in [(9, 7), (3, 6), (2, 5), (1, 4)]:
        on_day(owner, n, pain_before=pain)
    on_day(owner, 0, status=SessionStatus.ABANDONED, pain_before=2)
    response = owner_client.get(HOME)
    assert response.context["days_with_session"] == 3  # days 3, 2 and 1 of the last 7; day 0 was abandoned
    assert "3 of 7" in response.text and "streak" not in response.text.lower()
    rows = response.context["week_chart"].rows
    assert [r[1] for r in rows] == ["–", "–", "–", "6.0", "5.0", "4.0", "2.0"]
    assert 'id="week-chart"' in response.text and "<desc" in response.text


def test_callout_shows_with_enough_days(owner, owner_client):
    for n in range(20, 13, -1):
        on_day(owner, n, pain_before=5)
    for n in range(3, 0, -1):
        on_day(owner, n, pain_before=4)
    html = owner_client.get(HOME).text
    # 3 recent days: the numbers show, without a label until each window has 7 days with a score
    assert "1.0 point lower" in html and "(20% lower)" in html and "IMMPACT calls" not in html
    assert "at least 7 days" in html


def test_callout_waits_for_three_recent_days(owner, owner_client):
    for n in range(20, 13, -1):
        on_day(owner, n, pain_before=5)
    for n in (2, 1):
        on_day(owner, n, pain_before=1)
    html = owner_client.get(HOME).text
    assert "No comparison yet" in html and "Substantial" not in html


def test_red_flag_gives_way_to_safety_advice(owner, owner_client):
    for n in range(20, 13, -1):
        on_day(owner, n, pain_before=5)
    for n in range(3, 0, -1):
        on_day(owner, n, pain_before=2)
    on_day(owner, 0, status=SessionStatus.STOPPED, safety_check=SafetyAnswer.YES)
    html = owner_client.get(HOME).text
    assert "Please get help now" in html and "decrease" not in html


def test_context_is_the_users_own(owner, other_user):
    on_day(other_user, 1, pain_before=9)
    context = dashboard_context(owner)
    assert context["has_history"] is False and context["days_with_session"] == 0


def test_counts_only_todays_completed_sessions(owner, owner_client):
    on_day(owner, 1)
    on_day(owner, 0, status=SessionStatus.ABANDONED)
    assert "No session yet today." in owner_client.get(HOME).text
    on_day(owner, 0, hour=1)
    on_day(owner, 0, hour=2)
    assert "You have completed 2 sessions today." in owner_client.get(HOME).text


def test_the_last_routine_skips_an_archived_one(owner):
    ensure_catalogue()  # an earlier transactional test's flush may have emptied it
    kept = make_routine(owner=owner, name="Kept")
    shelved = make_routine(owner=owner, name="Shelved", archived=True)
    on_day(owner, 2, routine=kept, routine_name=kept.name)
    on_day(owner, 1, routine=shelved, routine_name=shelved.name)
    assert dashboard_context(owner)["last_routine"] == kept
    shelved.archived = False
    shelved.save(update_fields=["archived"])
    assert dashboard_context(owner)["last_routine"] == shelved
