"""The server's record of a hold (journal:hold_start with `action`: start, stop, resume) and what it bounds: a
release logged without the tab's own figure (a lost tab, a reload after an error) never stores more than was really
held before the pause or the early Done; and an offline hold's start, sent by the phone, is kept when it is sane."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from journal.models import PHONE_CLOCK_SKEW, Release, Session
from tests.factories import make_running_session
from tests.test_outbox_replay import OUTBOX, ms, send
from tests.test_runner import answers

pytestmark = pytest.mark.django_db


def hold(client, session, action: str | None = None, position: int = 1):
    body = {"position": position} | ({"action": action} if action else {})
    return client.post(reverse("journal:hold_start", args=[session.pk]), body)


def started_ago(session, seconds: float) -> None:
    Session.objects.filter(pk=session.pk).update(current_hold_started_at=timezone.now() - timedelta(seconds=seconds))


def test_a_hold_stopped_early_bounds_a_log_that_claims_the_full_hold(ready, owner_client):
    session = make_running_session(ready, steps=2, hold_seconds=60)
    assert hold(owner_client, session).status_code == 204
    assert hold(owner_client, session, "stop").status_code == 204  # Done early, then the tab was lost
    session.refresh_from_db()
    assert session.current_hold_stopped_at is not None
    now = timezone.now()
    # Started 62 s ago, Done 12 s later; 50 s after that the reloaded form comes without the tab's figure.
    Session.objects.filter(pk=session.pk).update(
        current_hold_started_at=now - timedelta(seconds=62), current_hold_stopped_at=now - timedelta(seconds=50)
    )
    owner_client.post(reverse("journal:release_log", args=[session.pk]), answers(1, held_seconds=""))
    assert Release.objects.get().held_seconds == 12  # not the prescribed 60, nor the 62 s since the start
    session.refresh_from_db()
    assert (session.current_hold_position, session.current_hold_started_at, session.current_hold_stopped_at) == (
        None,
        None,
        None,
    )


def test_a_pause_does_not_count_as_held(ready, owner_client):
    session = make_running_session(ready, steps=2, hold_seconds=60)
    hold(owner_client, session)
    started_ago(session, 10)
    hold(owner_client, session, "stop")
    session.refresh_from_db()
    paused_for = timedelta(seconds=30)
    Session.objects.filter(pk=session.pk).update(
        current_hold_started_at=session.current_hold_started_at - paused_for,
        current_hold_stopped_at=session.current_hold_stopped_at - paused_for,
    )
    assert hold(owner_client, session, "resume").status_code == 204  # resumed after a 30 s pause
    session.refresh_from_db()
    assert session.current_hold_stopped_at is None
    seconds, stopped = session.hold_record(1)
    assert 9.5 <= seconds <= 11 and not stopped  # the 30 s pause is not time held
    owner_client.post(reverse("journal:release_log", args=[session.pk]), answers(1, held_seconds="60"))
    assert 10 <= Release.objects.get().held_seconds <= 11


def test_stop_and_resume_change_nothing_for_a_hold_the_server_did_not_see_start(ready, owner_client):
    session = make_running_session(ready, steps=2)
    assert hold(owner_client, session, "stop").status_code == 204
    assert hold(owner_client, session, "resume").status_code == 204
    session.refresh_from_db()
    assert (session.current_hold_position, session.current_hold_stopped_at) == (None, None)
    hold(owner_client, session)
    hold(owner_client, session, "stop", position=2)  # another step's hold: not this one's record
    session.refresh_from_db()
    assert session.current_hold_stopped_at is None


def test_a_second_stop_keeps_the_first(ready, owner_client):
    session = make_running_session(ready, steps=2)
    hold(owner_client, session)
    hold(owner_client, session, "stop")
    first = Session.objects.get(pk=session.pk).current_hold_stopped_at
    hold(owner_client, session, "stop")
    assert Session.objects.get(pk=session.pk).current_hold_stopped_at == first


def test_an_unknown_action_is_refused_and_records_nothing(ready, owner_client):
    session = make_running_session(ready, steps=2)
    response = hold(owner_client, session, "explode")
    assert response.status_code == 422 and b"Unknown action" in response.content
    session.refresh_from_db()
    assert session.current_hold_position is None


def test_the_hold_record_checks_ownership_and_method(ready, owner_client, other_client, anonymous_client):
    session = make_running_session(ready, steps=2)
    hold(owner_client, session)
    assert hold(other_client, session, "stop").status_code == 404
    anonymous = hold(anonymous_client, session, "stop")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert owner_client.get(reverse("journal:hold_start", args=[session.pk])).status_code == 405
    assert Session.objects.get(pk=session.pk).current_hold_stopped_at is None


def test_a_reload_after_a_stop_shows_the_hold_paused_where_it_stopped(ready, owner_client):
    session = make_running_session(ready, steps=2, hold_seconds=60)
    hold(owner_client, session)
    started_ago(session, 8)
    hold(owner_client, session, "stop")
    page = owner_client.get(reverse("journal:session_run", args=[session.pk])).content.decode()
    stopped_ms = int(page.split('data-hold-stopped-ms="')[1].split('"')[0])
    assert 7900 <= stopped_ms <= 9000
    hold(owner_client, session, "resume")
    page = owner_client.get(reverse("journal:session_run", args=[session.pk])).content.decode()
    assert "data-hold-stopped-ms" not in page and "data-hold-started-ms-ago" in page


# An offline hold: the server never saw it start; the phone sends its own clock's start with the log.


def offline_session(ready, minutes_ago: int = 20):
    session = make_running_session(ready, steps=2, hold_seconds=60)
    session.started_at = timezone.now() - timedelta(minutes=minutes_ago)
    session.save(update_fields=["started_at"])
    return session


def test_an_offline_holds_start_is_stored_and_bounds_the_held_seconds(ready, owner_client):
    session = offline_session(ready)
    logged = timezone.now() - timedelta(minutes=5)
    began = logged - timedelta(seconds=25)
    body = answers(1, held_seconds="60", phone_time=ms(logged), hold_started_time=ms(began))
    assert send(owner_client, "release_log", session, body).status_code == 201
    release = Release.objects.get()
    assert abs(release.started_at - began) < timedelta(milliseconds=2)
    assert abs(release.ended_at - logged) < timedelta(milliseconds=2)
    assert release.held_seconds == 25  # no more than the phone's own start-to-log time


@pytest.mark.parametrize(
    "start",
    [
        lambda session, logged: timezone.now() + PHONE_CLOCK_SKEW + timedelta(minutes=1),
        lambda session, logged: session.started_at - timedelta(seconds=1),
        lambda session, logged: logged + timedelta(seconds=1),
    ],
    ids=["in-the-future", "before-the-session", "after-the-log"],
)
def test_an_offline_holds_start_without_sense_is_dropped_and_the_release_kept(ready, owner_client, start):
    session = offline_session(ready)
    logged = timezone.now() - timedelta(minutes=5)
    body = answers(1, held_seconds="40", phone_time=ms(logged), hold_started_time=ms(start(session, logged)))
    assert send(owner_client, "release_log", session, body).status_code == 201
    release = Release.objects.get()
    assert release.started_at is None
    assert release.held_seconds == 40


def test_the_servers_own_record_of_the_start_wins_over_the_phones(ready, owner_client):
    session = offline_session(ready)
    hold(owner_client, session)
    started_ago(session, 20)
    server_start = Session.objects.get(pk=session.pk).current_hold_started_at
    body = answers(1, held_seconds="20", phone_time=ms(timezone.now()), hold_started_time=ms(timezone.now()))
    send(owner_client, "release_log", session, body)
    assert Release.objects.get().started_at == server_start


@pytest.mark.parametrize("garbage", ["soon", "-5", "1.5", str(2**53 + 1), "9" * 400])
@pytest.mark.parametrize("field", ["phone_time", "hold_started_time"])
def test_a_phone_clock_that_is_not_a_time_is_taken_as_absent_never_refusing_the_log(
    ready, owner_client, field, garbage
):
    """A phone clock field that is not a usable time (not a whole number, negative, above 2**53) answered 422, so
    the outbox kept the log and never stored it: a wrong clock must never drop a log. It counts as absent: the
    release is stored with the server's time, and without a phone's start of the hold."""
    session = offline_session(ready)
    before = timezone.now()
    response = owner_client.post(
        reverse("journal:release_log", args=[session.pk]), answers(1, **{field: garbage}), headers=OUTBOX
    )
    assert response.status_code == 201
    release = Release.objects.get()
    assert release.held_seconds == 30 and release.started_at is None and release.logged_at >= before


def test_a_phone_clock_a_little_ahead_keeps_the_holds_length(ready, owner_client):
    """The phone's clock runs 60 s ahead (within PHONE_CLOCK_SKEW): the log time is the server's, and the start
    stands the phone's own span before it, never after the end."""
    session = offline_session(ready)
    ahead = timedelta(seconds=60)
    logged = timezone.now() + ahead
    body = answers(1, held_seconds="60", phone_time=ms(logged), hold_started_time=ms(logged - timedelta(seconds=30)))
    assert send(owner_client, "release_log", session, body).status_code == 201
    release = Release.objects.get()
    assert release.started_at is not None
    assert abs((release.ended_at - release.started_at).total_seconds() - 30) < 0.01
    assert release.held_seconds == 30
