"""The installed app's shortcut "Start my last routine" (config.pwa manifest): a GET page whose main action is the
dashboard's start button for the user's own last routine, or which says plainly that there is none yet. The GET
changes nothing; the start is the button's POST, which leads to the red-flag check as from the dashboard."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from journal.models import Session, SessionStatus
from routines.models import Routine
from tests.factories import make_routine, make_session, on_day

pytestmark = pytest.mark.django_db

URL = reverse("start_last")


def test_the_manifest_shortcut_opens_this_page(anonymous_client):
    shortcuts = json.loads(anonymous_client.get("/manifest.webmanifest").content)["shortcuts"]
    last = next(s for s in shortcuts if s["name"] == "Start my last routine")
    assert last["url"].split("?")[0] == URL


def test_anonymous_is_asked_to_log_in_and_comes_back(anonymous_client):
    response = anonymous_client.get(URL + "?source=shortcut")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login")) and "next=/start/last/" in response["Location"]


def test_no_last_routine_says_so_and_offers_the_routines(ready, owner_client):
    response = owner_client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is no last routine yet" in html
    assert f'href="{reverse("routines:routine_list")}">Choose a routine</a>' in html
    assert "/start/" not in html.replace(URL, "")  # no start button


def test_the_last_routine_is_the_main_action_and_the_get_changes_nothing(
    ready, owner_client, django_assert_max_num_queries
):
    feet = Routine.objects.get(slug="feet-only")
    glutes = Routine.objects.get(slug="glutes-only")
    on_day(ready, 3, routine=feet, routine_name=feet.name)
    on_day(ready, 1, routine=glutes, routine_name=glutes.name)
    before = list(Session.objects.values_list("pk", "status"))
    with django_assert_max_num_queries(8):
        html = owner_client.get(URL).content.decode()
    assert list(Session.objects.values_list("pk", "status")) == before
    start = reverse("journal:session_start", args=[glutes.pk])
    assert f'action="{start}"' in html and f"Start your last routine: {glutes.name}" in html
    assert reverse("journal:session_start", args=[feet.pk]) not in html
    # The button does what the dashboard's does: a session of that routine, at its red-flag check.
    response = owner_client.post(start)
    session = Session.objects.get(user=ready, status=SessionStatus.IN_PROGRESS)
    assert session.routine == glutes and session.needs_safety_check
    assert response["Location"] == reverse("journal:session_run", args=[session.pk])


def test_only_the_users_own_last_routine_is_offered(ready, owner_client, other_user):
    mine = make_routine(ready, name="Mine")
    theirs = make_routine(other_user, name="Theirs")
    on_day(ready, 5, routine=mine, routine_name=mine.name)
    on_day(other_user, 0, routine=theirs, routine_name=theirs.name)  # someone else's, and newer
    html = owner_client.get(URL).content.decode()
    assert "Start your last routine: Mine" in html
    assert "Theirs" not in html and reverse("journal:session_start", args=[theirs.pk]) not in html


def test_another_users_sessions_never_make_a_last_routine(ready, owner_client, other_user):
    theirs = make_routine(other_user, name="Theirs")
    on_day(other_user, 0, routine=theirs, routine_name=theirs.name)
    html = owner_client.get(URL).content.decode()
    assert "There is no last routine yet" in html and "Theirs" not in html


def test_a_session_in_progress_is_offered_to_resume(ready, owner_client):
    glutes = Routine.objects.get(slug="glutes-only")
    running = make_session(ready, routine=glutes, status=SessionStatus.IN_PROGRESS)
    html = owner_client.get(URL).content.decode()
    assert "You have a session in progress" in html
    assert f'href="{reverse("journal:session_run", args=[running.pk])}">Resume the session</a>' in html
    assert 'action="' + reverse("journal:session_start", args=[glutes.pk]) not in html


def test_a_session_left_for_hours_is_not_offered_and_stays_as_it_was(ready, owner_client):
    glutes = Routine.objects.get(slug="glutes-only")
    long_ago = timezone.now() - timedelta(days=2)
    left = make_session(ready, routine=glutes, status=SessionStatus.IN_PROGRESS, started_at=long_ago)
    html = owner_client.get(URL).content.decode()
    assert "You have a session in progress" not in html
    assert f"Start your last routine: {glutes.name}" in html
    left.refresh_from_db()
    assert left.status == SessionStatus.IN_PROGRESS  # a GET closes nothing; the runner does that


def test_an_open_red_flag_goes_to_its_follow_up_question(ready, owner_client):
    on_day(ready, 0, status=SessionStatus.STOPPED, red_flag_items=["saddle"], safety_check="yes")
    assert Session.objects.open_red_flag(ready) is not None
    response = owner_client.get(URL)
    assert response.status_code == 302 and response["Location"] == reverse("journal:red_flag_follow_up")


def test_post_is_refused(ready, owner_client):
    assert owner_client.post(URL).status_code == 405
