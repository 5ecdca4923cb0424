"""Replays of the runner's posts (a retry after a lost answer, a double tap, a second tab): start, safety check,
skip and finish each land where the first post did, never duplicate, never skip twice and never show an error."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from journal.models import RESTART_WINDOW, Release, SafetyAnswer, Session, SessionStatus
from tests.factories import (
    ensure_catalogue,
    make_release,
    make_routine,
    make_running_session,
    make_session,
    session_url,
)
from tests.test_runner import without_templates

pytestmark = pytest.mark.django_db


def target(response) -> str:
    return response.get("Location") or response["HX-Redirect"]


# Start --------------------------------------------------------------------------------------------------------


def test_start_replayed_five_times_returns_the_same_session(ready, owner_client, htmx_headers):
    routine = make_routine(ready, steps=2)
    start = reverse("journal:session_start", args=[routine.pk])
    responses = [owner_client.post(start) for _ in range(3)]
    responses += [owner_client.post(start, headers=htmx_headers) for _ in range(2)]
    session = Session.objects.get(user=ready)
    assert [r.status_code for r in responses] == [302, 302, 302, 200, 200]
    assert {target(r) for r in responses} == {session_url("session_run", session)}


def test_start_replayed_after_the_safety_check_still_returns_the_same_session(ready, owner_client):
    routine = make_routine(ready, steps=2)
    start = reverse("journal:session_start", args=[routine.pk])
    owner_client.post(start)
    session = Session.objects.get(user=ready)
    owner_client.post(session_url("session_check", session), {"pain_before": "5", "none_apply": "on"})
    again = owner_client.post(start)
    assert again["Location"] == session_url("session_run", session)
    assert Session.objects.filter(user=ready).count() == 1
    session.refresh_from_db()
    assert (session.safety_check, session.pain_before) == (SafetyAnswer.NO, 5)  # kept as answered


def test_start_makes_a_new_session_once_something_is_logged_or_the_window_passed(ready, owner_client):
    routine = make_routine(ready, steps=2)
    start = reverse("journal:session_start", args=[routine.pk])
    begun = make_session(ready, routine, safety_check=SafetyAnswer.NO)
    make_release(begun, 1)
    old = make_session(ready, routine, started_at=timezone.now() - RESTART_WINDOW - timedelta(minutes=1))
    owner_client.post(start)
    new = Session.objects.filter(user=ready).exclude(pk__in=[begun.pk, old.pk]).get()
    assert new.releases.count() == 0
    assert begun.releases.count() == 1  # the session under way is kept as it is


def test_start_over_htmx_without_steps_redirects_the_page(ready, owner_client, htmx_headers):
    routine = make_routine(ready, steps=0)
    response = owner_client.post(reverse("journal:session_start", args=[routine.pk]), headers=htmx_headers)
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("routines:routine_detail", args=[routine.pk])
    assert not Session.objects.exists()


def test_start_button_offers_a_retry_when_the_request_fails(ready, owner_client):
    routine = make_routine(ready)
    html = owner_client.get(reverse("routines:routine_detail", args=[routine.pk])).content.decode()
    form = html[html.index(f'action="{reverse("journal:session_start", args=[routine.pk])}"') :]
    form = form[: form.index("</form>")]
    assert 'hx-post="' in form
    assert "data-retry hidden" in form
    assert ">Try again</button>" in form
    assert "js/retry.js" in html


# Safety check -------------------------------------------------------------------------------------------------


def test_safety_check_replayed_keeps_the_first_answer_and_shows_step_one(ready, owner_client, htmx_headers):
    session = make_session(ready, make_routine(ready, steps=2))
    check = session_url("session_check", session)
    responses = [owner_client.post(check, {"pain_before": "6", "none_apply": "on"}) for _ in range(3)]
    # A second tab answering differently after the first answer changes nothing either.
    responses += [owner_client.post(check, {"pain_before": "9", "none_apply": "on"}, headers=htmx_headers)]
    assert [r.status_code for r in responses] == [302, 302, 302, 200]
    assert {r["Location"] for r in responses[:3]} == {session_url("session_run", session)}
    html = responses[-1].content.decode()
    assert "<html" not in html
    assert "Step 1 of 2" in html
    session.refresh_from_db()
    assert (session.safety_check, session.pain_before, session.status) == (SafetyAnswer.NO, 6, "in_progress")


def test_red_flag_answer_replayed_gives_the_same_urgent_advice(ready, owner_client, htmx_headers):
    session = make_session(ready, make_routine(ready, steps=2))
    check = session_url("session_check", session)
    first = owner_client.post(check, {"rf_both_legs": "yes"}, headers=htmx_headers)
    replay = owner_client.post(check, {"rf_both_legs": "yes"}, headers=htmx_headers)
    plain = owner_client.post(check, {"rf_both_legs": "yes"}, follow=True)
    assert first.status_code == replay.status_code == 200
    assert replay.content == first.content
    assert "Please get help now" in replay.content.decode()
    assert plain.redirect_chain == [(session_url("session_summary", session), 302)]
    assert "nothing was changed" not in plain.content.decode()
    assert "Please get help now" in plain.content.decode()
    session.refresh_from_db()
    assert session.status == SessionStatus.STOPPED
    # A different answer to a stopped session changes nothing: the follow-up question comes first.
    refused = owner_client.post(check, {"none_apply": "on"}, follow=True)
    assert refused.redirect_chain[0][0].startswith(reverse("journal:red_flag_follow_up"))
    assert "Has a doctor, nurse or physiotherapist assessed you since then?" in refused.content.decode()
    session.refresh_from_db()
    assert session.safety_check == SafetyAnswer.YES


# Skip ---------------------------------------------------------------------------------------------------------


def test_skip_replayed_skips_its_own_step_once(ready, owner_client, htmx_headers):
    session = make_running_session(ready, steps=3)
    skip = session_url("step_skip", session)
    first = owner_client.post(skip, {"position": 1}, headers=htmx_headers)
    replay = owner_client.post(skip, {"position": 1}, headers=htmx_headers)
    plain = owner_client.post(skip, {"position": 1})
    assert first.status_code == replay.status_code == 200
    assert "Step 2 of 3" in first.content.decode()
    assert "Step 2 of 3" in replay.content.decode()  # not step 3: the replay did not skip step 2
    assert plain["Location"] == session_url("session_run", session)
    assert list(session.releases.values_list("position", "skipped")) == [(1, True)]


def test_skip_replayed_after_the_next_step_was_logged_changes_nothing(ready, owner_client, htmx_headers):
    session = make_running_session(ready, steps=3)
    owner_client.post(session_url("step_skip", session), {"position": 1})
    owner_client.post(
        session_url("release_log", session), {"position": 2, "tender": "no", "pressure": "4", "pain_now": "3"}
    )
    replay = owner_client.post(session_url("step_skip", session), {"position": 1}, headers=htmx_headers)
    assert "Step 3 of 3" in replay.content.decode()
    assert list(session.releases.values_list("position", "skipped", "pressure")) == [(1, True, None), (2, False, 4)]


def test_skip_of_a_logged_step_keeps_its_release(ready, owner_client):
    session = make_running_session(ready, steps=2)
    make_release(session, 1, pressure=6, notes="Kept.")
    owner_client.post(session_url("step_skip", session), {"position": 1})
    release = Release.objects.get(session=session)
    assert (release.skipped, release.pressure, release.notes) == (False, 6, "Kept.")


# Finish -------------------------------------------------------------------------------------------------------


def test_finish_replayed_returns_the_summary_without_a_warning(ready, owner_client, htmx_headers):
    session = make_running_session(ready, steps=1)
    make_release(session, 1)
    finish = session_url("session_finish", session)
    values = {"pain_after": "3", "notes": "Looser."}
    responses = [owner_client.post(finish, values, headers=htmx_headers) for _ in range(3)]
    responses += [owner_client.post(finish, values) for _ in range(2)]
    assert [r.status_code for r in responses] == [200, 200, 200, 302, 302]
    assert {target(r) for r in responses} == {session_url("session_summary", session)}
    page = owner_client.get(session_url("session_summary", session)).content.decode()
    assert "nothing was changed" not in page.lower()
    session.refresh_from_db()
    assert (session.status, session.pain_after, session.notes) == (SessionStatus.COMPLETED, 3, "Looser.")


def test_a_different_finish_after_the_first_is_refused_and_changes_nothing(ready, owner_client):
    session = make_running_session(ready, steps=1)
    owner_client.post(session_url("session_finish", session), {"pain_after": "3"})
    session.refresh_from_db()
    finished_at = session.finished_at
    response = owner_client.post(
        session_url("session_finish", session), {"pain_after": "8", "notes": "Other tab."}, follow=True
    )
    assert response.redirect_chain[-1][0] == session_url("session_summary", session)
    assert "already ended, so nothing was changed" in response.content.decode()
    session.refresh_from_db()
    assert (session.pain_after, session.notes, session.finished_at) == (3, "", finished_at)


def test_finish_form_posts_over_htmx_with_a_retry(ready, owner_client):
    session = make_running_session(ready, steps=1)
    html = owner_client.get(session_url("session_finish", session)).content.decode()
    form = html[html.index(f'action="{session_url("session_finish", session)}"') :]
    form = form[: form.index("</form>")]
    assert f'hx-post="{session_url("session_finish", session)}"' in form
    assert "data-retry hidden" in form
    assert "The session has not been finished yet" in form


def test_every_runner_form_offers_a_retry(ready, owner_client):
    session = make_session(ready, make_routine(ready, steps=2))
    check = owner_client.get(session_url("session_run", session)).content.decode()
    assert check.count("data-retry hidden") == 1
    owner_client.post(session_url("session_check", session), {"none_apply": "on"})
    step = without_templates(owner_client.get(session_url("session_run", session)).content.decode())
    assert step.count("data-retry hidden") == 2  # the log form and the skip form
    assert "The step has not been skipped yet" in step
    assert step.count("js/retry.js") == 1


# Session.finished_with: a finish sent again is the same finish (a replay), not a conflicting one.


@pytest.fixture
def finishing(owner):
    ensure_catalogue()  # an earlier transactional test's flush may have emptied it
    return make_session(owner)


def test_an_open_session_was_not_finished_with_anything(finishing):
    assert finishing.finished_with(None, "") is False


def test_a_finished_session_was_finished_with_its_own_answers_only(finishing):
    finishing.finish(3, "Easier today.")
    assert finishing.finished_with(3, "Easier today.") is True
    assert finishing.finished_with(4, "Easier today.") is False
    assert finishing.finished_with(3, "") is False
    assert finishing.finished_with(None, "Easier today.") is False


def test_a_session_finished_without_answers_matches_empty_answers(finishing):
    finishing.finish()
    assert finishing.finished_with(None, "") is True


@pytest.mark.parametrize("status", [SessionStatus.STOPPED, SessionStatus.ABANDONED])
def test_a_session_that_ended_otherwise_was_never_finished(finishing, status):
    finishing.status = status
    finishing.save(update_fields=["status"])
    assert finishing.finished_with(None, "") is False
