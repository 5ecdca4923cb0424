"""Logging a release: stored at once, exactly one row per (session, step), bad input refused, held time clamped."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from journal.models import HOLD_MARGIN_SECONDS, Release, Session
from tests.factories import ensure_catalogue, make_running_session, make_user

pytestmark = pytest.mark.django_db


def answers(position=1, **extra):
    data = {"position": position, "tender": "yes", "pressure": "5", "pain_now": "4", "held_seconds": "30"}
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


def log_url(session):
    return reverse("journal:release_log", args=[session.pk])


def test_log_stores_every_answer(owner, owner_client):
    session = make_running_session(owner)
    data = answers(1, tender="no", pressure="7", pain_now="2", held_seconds="25", stopped_early="on", notes="Sharp.")
    owner_client.post(log_url(session), data)
    release = Release.objects.get(session=session)
    step = session.plan[0]
    assert (release.point_id, release.point_name, release.side, release.prescribed_seconds) == (
        step["point_id"],
        step["point_name"],
        step["side"],
        30,
    )
    assert (release.tender, release.pressure, release.pain_now, release.held_seconds) == (False, 7, 2, 25)
    assert release.stopped_early is True
    assert release.notes == "Sharp."
    assert release.skipped is False
    assert release.ended_at is not None


def test_same_post_five_times_makes_one_row_and_never_an_error(owner, owner_client, htmx_headers):
    session = make_running_session(owner)
    responses = [owner_client.post(log_url(session), answers(1, notes=f"try {n}")) for n in range(3)]
    responses += [owner_client.post(log_url(session), answers(1), headers=htmx_headers) for _ in range(2)]
    assert [r.status_code for r in responses] == [302, 302, 302, 200, 200]
    assert Release.objects.filter(session=session).count() == 1
    assert Release.objects.get(session=session).notes == "try 0"  # the first answer is kept, replays change nothing
    assert "Step 2 of 3" in responses[-1].content.decode()  # a replay just shows the current next step


def test_skip_replayed_makes_one_row(owner, owner_client):
    session = make_running_session(owner)
    for _ in range(3):
        owner_client.post(reverse("journal:step_skip", args=[session.pk]), {"position": 2})
    assert list(session.releases.values_list("position", "skipped", "held_seconds")) == [(2, True, 0)]
    # A logged answer after a skip (another tab) does not make a second row either.
    owner_client.post(log_url(session), answers(2))
    assert session.releases.count() == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_posts_of_the_same_release_make_exactly_one_row():
    ensure_catalogue()  # an earlier transactional test's flush may have emptied it
    user = make_user("parallel")
    session = make_running_session(user)
    assert session.step_count == 3
    statuses: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(6)

    def post() -> None:
        try:
            client = Client()
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
            barrier.wait(timeout=10)
            statuses.append(client.post(log_url(session), answers(1), headers={"HX-Request": "true"}).status_code)
        except BaseException as exc:  # reported below: a thread's failure must fail the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert statuses == [200] * 6
    assert Release.objects.filter(session=session).count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (answers(pain_now="11"), "pain_now"),
        (answers(pain_now="-1"), "pain_now"),
        (answers(pain_now="abc"), "pain_now"),
        (answers(pressure="11"), "pressure"),
        (answers(pressure=None), "pressure"),
        (answers(pain_now=None), "pain_now"),
        (answers(tender=None), "tender"),
        (answers(tender="perhaps"), "tender"),
        (answers(held_seconds="-5"), "held_seconds"),
        (answers(held_seconds="abc"), "held_seconds"),
        (answers(notes="x" * 10_000), "notes"),
    ],
)
def test_bad_input_is_a_clear_error_and_nothing_is_saved(owner, owner_client, htmx_headers, data, field):
    session = make_running_session(owner)
    response = owner_client.post(log_url(session), data, headers=htmx_headers)
    assert response.status_code == 422
    html = response.content.decode()
    assert "<html" not in html
    assert f'id="id_{field}_error"' in html  # the message sits under the field at fault
    assert 'data-log-open="1"' in html  # the log form stays open with what was entered
    assert Release.objects.count() == 0


def test_bad_input_keeps_what_was_entered(owner, owner_client):
    session = make_running_session(owner)
    response = owner_client.post(log_url(session), answers(pain_now="11", notes="keep me", pressure="6"))
    html = response.content.decode()
    assert response.status_code == 422
    assert "Choose a number from 0 to 10." in html
    assert "keep me</textarea>" in html
    assert 'value="6" class="btn-check" id="id_pressure_6" required checked' in html


@pytest.mark.parametrize("position", ["0", "4", "99", "abc", None])
def test_a_step_the_session_does_not_have_is_refused(owner, owner_client, position):
    session = make_running_session(owner, steps=3)
    response = owner_client.post(log_url(session), answers(position=position))
    assert response.status_code == 422
    assert Release.objects.count() == 0


def test_a_step_of_another_session_is_refused(owner, owner_client):
    long_session = make_running_session(owner, steps=5)
    short_session = make_running_session(owner, steps=2)
    response = owner_client.post(log_url(short_session), answers(position=5))
    assert response.status_code == 422
    assert "That step is not part of this session" in response.content.decode()
    assert Release.objects.count() == 0
    assert long_session.releases.count() == 0


def test_held_seconds_clamped_to_the_prescribed_hold_plus_a_margin(owner, owner_client):
    session = make_running_session(owner, hold_seconds=30)
    owner_client.post(log_url(session), answers(1, held_seconds="500"))
    assert Release.objects.get(position=1).held_seconds == 30 + HOLD_MARGIN_SECONDS


def test_held_seconds_clamped_to_the_time_since_the_server_saw_the_hold_start(owner, owner_client):
    session = make_running_session(owner, hold_seconds=30)
    owner_client.post(reverse("journal:hold_start", args=[session.pk]), {"position": 1})
    # The hold started 12 s ago by the server's clock; the client claims the full 30 s.
    Session.objects.filter(pk=session.pk).update(current_hold_started_at=timezone.now() - timedelta(seconds=12))
    owner_client.post(log_url(session), answers(1, held_seconds="30"))
    release = Release.objects.get(position=1)
    assert 12 <= release.held_seconds <= 13
    assert release.started_at is not None
    assert release.ended_at - release.started_at >= timedelta(seconds=12)
    session.refresh_from_db()
    assert session.current_hold_position is None


def test_done_early_keeps_the_client_figure_when_it_is_possible(owner, owner_client):
    session = make_running_session(owner, hold_seconds=30)
    owner_client.post(reverse("journal:hold_start", args=[session.pk]), {"position": 1})
    Session.objects.filter(pk=session.pk).update(current_hold_started_at=timezone.now() - timedelta(seconds=40))
    owner_client.post(log_url(session), answers(1, held_seconds="17", stopped_early="on"))
    release = Release.objects.get(position=1)
    assert release.held_seconds == 17
    assert release.stopped_early is True


def test_without_javascript_empty_held_seconds_are_not_timed(owner, owner_client):
    session = make_running_session(owner, hold_seconds=40)
    owner_client.post(log_url(session), answers(1, held_seconds=""))
    release = Release.objects.get(position=1)
    assert release.held_seconds is None  # not timed: never the prescribed 40 s it did not see
    assert release.started_at is None


def test_other_users_cannot_log_into_my_session(owner, other_client):
    session = make_running_session(owner)
    assert other_client.post(log_url(session), answers(1)).status_code == 404
    assert Release.objects.count() == 0
