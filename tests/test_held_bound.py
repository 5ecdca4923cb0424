"""No release claims more held seconds than the session really lasted: whatever the phone's clock says, the order in
which steps arrive, whether the server saw a hold start, or how many logs arrive at once, the held seconds of a
session's releases add up to no more than the time from its start to the last log the server received
(`Session.log_release`, `Session._existing_and_room_to_hold`)."""

import threading
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from journal.models import PHONE_CLOCK_SKEW, Release, Session, SessionStatus
from journal.redflags import RedFlag
from tests.factories import ensure_catalogue, make_running_session, session_url
from tests.test_hold_record import hold, started_ago
from tests.test_never_twice import at_once, lingering
from tests.test_outbox_replay import ms, send, whole_ms_ago
from tests.test_runner import answers

pytestmark = pytest.mark.django_db


def held_in(session: Session) -> list[int | None]:
    return list(Release.objects.filter(session=session).order_by("position").values_list("held_seconds", flat=True))


def lasted(session: Session) -> float:
    """Seconds from the session's start until now (after its last log was received)."""
    return (timezone.now() - session.started_at).total_seconds()


@pytest.mark.parametrize(
    "phone_time",
    [lambda session: session.started_at - timedelta(minutes=5), lambda session: timezone.now() + timedelta(days=1)],
    ids=["before-the-session", "far-ahead"],
)
def test_steps_whose_phone_clock_was_refused_never_add_up_to_more_than_the_session(ready, owner_client, phone_time):
    """1. The phone's clock is refused (the server's time of the sync stands in): each step once kept only the
    session-age bound, so three offline steps each claimed the full 40 s of a session 60 s old."""
    session = make_running_session(ready, steps=3, hold_seconds=40, started_at=timezone.now() - timedelta(seconds=60))
    for position in (1, 2, 3):
        body = answers(position, held_seconds="40", phone_time=ms(phone_time(session)))
        assert send(owner_client, "release_log", session, body).status_code == 201
    held = held_in(session)
    assert sum(held) <= lasted(session)
    assert held[0] == 40  # the first one still holds all it claims: the wrong clock drops nothing


def test_steps_from_a_phone_clock_a_little_ahead_never_add_up_to_more_than_the_session(ready, owner_client):
    """2. A phone clock within PHONE_CLOCK_SKEW ahead of the server's skipped the bound by the steps before."""
    session = make_running_session(ready, steps=3, hold_seconds=40, started_at=timezone.now() - timedelta(seconds=60))
    ahead = PHONE_CLOCK_SKEW / 2
    for position in (1, 2, 3):
        body = answers(position, held_seconds="40", phone_time=ms(timezone.now() + ahead))
        assert send(owner_client, "release_log", session, body).status_code == 201
    held = held_in(session)
    assert sum(held) <= lasted(session)
    assert held[0] == 40


def test_a_step_sent_before_an_earlier_one_leaves_room_only_for_what_the_session_lasted(ready, owner_client):
    """3. Step 2 (phone time: 50 s in, now) arrives first and holds 45 s; step 1 (40 s in) arrives next. It was
    bounded by the releases ended before 40 s only (none), so it kept 40 s: 85 s in a session 50 s old."""
    session = make_running_session(ready, steps=2, hold_seconds=40, started_at=whole_ms_ago(seconds=50))
    for position, seconds_in in ((2, 50), (1, 40)):
        phone_time = ms(session.started_at + timedelta(seconds=seconds_in))
        body = answers(position, held_seconds="45", phone_time=phone_time)
        assert send(owner_client, "release_log", session, body).status_code == 201
    assert held_in(session) == [5, 45]  # by 50 s, 50 s in all: step 2's 45 leave 5 for step 1
    assert sum(held_in(session)) <= lasted(session)


def test_a_hold_the_server_saw_start_never_counts_the_same_seconds_as_a_step_logged_meanwhile(ready):
    """4. Step 1's hold started (the timer told the server) 35 s into a session 40 s old; step 2 was logged without
    the timer, 30 s, before step 1. Step 1 then kept its 35 s as the server timed them: 65 s in 40."""
    session = make_running_session(ready, steps=2, hold_seconds=40, started_at=timezone.now() - timedelta(seconds=40))
    session.start_hold(1)
    Session.objects.filter(pk=session.pk).update(current_hold_started_at=timezone.now() - timedelta(seconds=35))
    session.refresh_from_db()
    _, created = session.log_release(2, held_seconds=30)
    assert created
    release, created = session.log_release(1, held_seconds=35)
    assert created and release.started_at is not None  # still the server's record of the start
    held = held_in(session)
    assert sum(held) <= lasted(session)
    assert held == [10, 30]


@pytest.mark.django_db(transaction=True)
def test_logs_of_different_steps_arriving_at_once_never_add_up_to_more_than_the_session(ready, monkeypatch):
    """5. Four steps, each claiming the 30 s of a session 30 s old, logged at once (two by plain posts, two by the
    outbox). Nothing held the session between reading the other releases and inserting: all four kept 30 s. Each
    insert here lingers a moment, so that without the lock every log has read the others before any is stored."""
    ensure_catalogue()  # an earlier transactional test's flush may have emptied it
    session = make_running_session(ready, steps=4, hold_seconds=30, started_at=timezone.now() - timedelta(seconds=30))
    lingering(monkeypatch, Release, "save")

    def log(i: int) -> int:
        client = Client(raise_request_exception=True)
        client.force_login(ready, backend="django.contrib.auth.backends.ModelBackend")
        body = answers(i + 1, held_seconds="30")
        if i % 2:
            return send(client, "release_log", session, body).status_code
        return client.post(session_url("release_log", session), body).status_code

    assert at_once(log) == [302, 201, 302, 201]
    held = held_in(session)
    assert len(held) == 4
    assert sum(held) <= lasted(session)
    assert max(held) == 30  # the first stored keeps its claim; the others, the second or so the session ran on since


def test_whole_seconds_are_rounded_down_so_steps_never_gain_a_second_each(ready, owner_client):
    """6. Each step's bound is the whole seconds (rounded down) of the session's age at receipt, less the others:
    rounding up let every step of a session claim up to a second more. Three steps, each claiming 30 s of a session
    31.2 s old: 30, then the 1 whole second left, then none."""
    session = make_running_session(ready, steps=3, hold_seconds=30, started_at=whole_ms_ago(seconds=31.2))
    for position in (1, 2, 3):
        assert send(owner_client, "release_log", session, answers(position, held_seconds="30")).status_code == 201
    held = held_in(session)
    assert held[0] == 30
    assert sum(held) <= lasted(session)  # rounded up: 30 + 2 = 32 s in a session some 31.3 s old


def test_a_hold_the_server_timed_is_rounded_down_too(ready):
    """6. The server's own record of a hold (started 12.6 s ago, the log claims 20 s) gives 12, never 13."""
    session = make_running_session(ready, steps=2, hold_seconds=30)
    session.start_hold(1)
    Session.objects.filter(pk=session.pk).update(
        current_hold_started_at=timezone.now() - timedelta(seconds=12.6), current_hold_stopped_at=timezone.now()
    )
    session.refresh_from_db()
    release, _ = session.log_release(1, held_seconds=20)
    assert release.held_seconds == 12


@pytest.mark.parametrize("headers", [{}, {"HX-Request": "true"}], ids=["plain", "htmx"])
def test_the_hold_record_of_a_finished_session_answers_as_every_runner_post_does(ready, owner_client, headers):
    """7. A start, pause or resume of a hold on a session that has ended changes nothing and answers as logging a
    step there does (a redirect to the summary with the message; htmx: HX-Redirect). Only the outbox's entries are
    answered 409, as JSON, and the outbox never sends a hold's start."""
    session = make_running_session(ready, steps=2)
    session.finish(pain_after=3)
    logged = owner_client.post(session_url("release_log", session), answers(1), headers=headers)
    for action in ("start", "stop", "resume"):
        hold = owner_client.post(session_url("hold_start", session), {"position": 1, "action": action}, headers=headers)
        assert hold.status_code == logged.status_code
        assert hold.get("Location") == logged.get("Location")
        assert hold.get("HX-Redirect") == logged.get("HX-Redirect")
    session.refresh_from_db()
    assert session.current_hold_position is None and not Release.objects.exists()


def test_the_guarantees_kept_replay_not_timed_and_skip(ready, owner_client):
    """A replay returns the row first stored, unchanged; "not timed" stays None and a skip 0, and neither takes room
    from the others."""
    session = make_running_session(ready, steps=4, hold_seconds=40, started_at=whole_ms_ago(seconds=60))
    first, _ = session.log_release(1, held_seconds=40, at=session.started_at + timedelta(seconds=40))
    session.log_release(2, held_seconds=None, at=session.started_at + timedelta(seconds=45))
    session.skip(3, at=session.started_at + timedelta(seconds=50))
    session.log_release(4, held_seconds=40, at=session.started_at + timedelta(seconds=60))
    again, created = session.log_release(1, held_seconds=10, at=session.started_at + timedelta(seconds=10))
    assert not created and again.pk == first.pk and again.held_seconds == 40
    assert held_in(session) == [40, None, 0, 20]


def test_a_phone_clock_behind_the_servers_never_cuts_a_hold_the_server_timed(ready, owner_client):
    """8a. The outbox sends the phone's clock with every log, online too. The server saw step 1's hold start a
    second into the session and ten seconds ago; the log claims those 10 s, with a phone clock 8 s behind. The room
    was measured from the session's start (server's clock) to the phone's time of the log: 3 s were stored."""
    session = make_running_session(ready, steps=2, hold_seconds=30, started_at=timezone.now() - timedelta(seconds=11))
    assert hold(owner_client, session).status_code == 204
    started_ago(session, 10)
    body = answers(1, held_seconds="10", phone_time=ms(timezone.now() - timedelta(seconds=8)))
    assert send(owner_client, "release_log", session, body).status_code == 201
    assert held_in(session) == [10]


def test_offline_holds_from_a_phone_clock_behind_the_servers_keep_their_seconds(ready, owner_client):
    """8b. Offline, the phone's clock 15 s behind the server's: three honest holds of 12 s, one after the other from
    the session's start, synced together 40 s into the session. They were cut by the phone's times of the logs,
    read against the server's start of the session: step 2 kept 9 s here, and other timings cut a hold to 0."""
    session = make_running_session(ready, steps=3, hold_seconds=12, started_at=whole_ms_ago(seconds=40))
    behind = timedelta(seconds=15)
    for position in (1, 2, 3):
        hold_start = session.started_at + timedelta(seconds=12 * (position - 1)) - behind
        logged = session.started_at + timedelta(seconds=12 * position) - behind
        body = answers(position, held_seconds="12", phone_time=ms(logged), hold_started_time=ms(hold_start))
        assert send(owner_client, "release_log", session, body).status_code == 201
    held = held_in(session)
    assert held == [12, 12, 12]
    assert sum(held) <= lasted(session)


def logging_client(user) -> Client:
    client = Client(raise_request_exception=True)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.mark.django_db(transaction=True)
def test_logging_a_step_never_wipes_the_record_of_the_next_steps_hold(ready, monkeypatch):
    """9. Step 1 is logged while step 2's hold starts (the timer's post). The log read which step's hold the server
    had before taking the session's lock, then cleared the hold record unchecked: step 2's start was wiped, and its
    held seconds lost the server's bound. Here the log, once under way, waits (up to a second) for step 2's start
    to be answered: before the fix that start was stored first and then wiped; now it waits for the log's lock."""
    ensure_catalogue()  # an earlier transactional test's flush may have emptied it
    session = make_running_session(ready, steps=2, hold_seconds=30, started_at=timezone.now() - timedelta(seconds=60))
    session.start_hold(1)
    started_ago(session, 40)
    log_under_way, next_hold_answered = threading.Event(), threading.Event()
    held_seconds_for = Session.held_seconds_for

    def waiting_for_the_next_hold(self, *args, **kwargs):
        log_under_way.set()
        next_hold_answered.wait(timeout=1)
        return held_seconds_for(self, *args, **kwargs)

    monkeypatch.setattr(Session, "held_seconds_for", waiting_for_the_next_hold)

    def work(i: int) -> int:
        client = logging_client(ready)
        if i == 0:
            return client.post(session_url("release_log", session), answers(1, held_seconds="30")).status_code
        assert log_under_way.wait(timeout=10)
        status = client.post(session_url("hold_start", session), {"position": 2}).status_code
        next_hold_answered.set()
        return status

    assert at_once(work, 2) == [302, 204]
    session.refresh_from_db()
    assert session.current_hold_position == 2 and session.current_hold_started_at is not None
    assert held_in(session) == [30]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("end", ["finish", "red-flag", "red-flag-elsewhere"])
def test_no_release_is_stored_after_the_session_was_finished_or_stopped(ready, monkeypatch, end):
    """10. The session is finished (or stopped for a red flag, from another tab; or another running session of the
    user is, which stops this one too) while three steps are logged (two plain posts, one by the outbox). The end
    read its time and the last release's without the session's lock, and the logs did not look at the status again
    under theirs: releases were stored logged after the session's end. Here the end, once it has its time, waits
    (up to a second) for the logs: before the fix they were stored meanwhile; now they wait for the end's lock and
    are refused."""
    ensure_catalogue()
    session = make_running_session(ready, steps=3, hold_seconds=30, started_at=timezone.now() - timedelta(seconds=120))
    ended = session
    if end == "red-flag-elsewhere":
        ended = make_running_session(ready, steps=2, started_at=timezone.now() - timedelta(seconds=60))
    ender: list[int] = []
    ending, logs_done = threading.Event(), threading.Event()
    done = [0]
    counting = threading.Lock()
    plausible_phone_time = Session.plausible_phone_time

    def waiting_for_the_logs(self, at, now):
        if threading.get_ident() in ender:
            ending.set()
            logs_done.wait(timeout=1)
        return plausible_phone_time(self, at, now)

    monkeypatch.setattr(Session, "plausible_phone_time", waiting_for_the_logs)

    def work(i: int) -> int | None:
        if i == 0:
            ender.append(threading.get_ident())
            own = Session.objects.get(pk=ended.pk)
            if end == "finish":
                assert own.finish(pain_after=3)
            else:
                own.stop_for_red_flag([RedFlag.BOTH_LEGS])
            return None
        assert ending.wait(timeout=10)
        try:
            client = logging_client(ready)
            if i == 2:
                return send(client, "release_log", session, answers(i, held_seconds="20")).status_code
            return client.post(session_url("release_log", session), answers(i, held_seconds="20")).status_code
        finally:
            with counting:
                done[0] += 1
                if done[0] == 3:
                    logs_done.set()

    statuses = at_once(work)
    session.refresh_from_db()
    assert session.status == (SessionStatus.COMPLETED if end == "finish" else SessionStatus.STOPPED)
    assert session.finished_at is not None
    assert not Release.objects.filter(session=session, logged_at__gt=session.finished_at).exists()
    assert not Release.objects.filter(session=session).exists()  # each log waited for the end, then was refused
    assert statuses == [None, 302, 409, 302]


def test_the_phones_own_span_of_an_offline_hold_bounds_it_however_wrong_its_clock(ready, owner_client):
    """8c. The phone's times of an offline hold's start and of its log come from one clock: their span bounds the
    held seconds even when that clock is too far off to be believed (here 5 minutes behind, before the session
    started), which let such a log claim all the room the session had."""
    session = make_running_session(ready, steps=2, hold_seconds=60, started_at=whole_ms_ago(seconds=90))
    logged = timezone.now() - timedelta(minutes=5)
    body = answers(1, held_seconds="60", phone_time=ms(logged), hold_started_time=ms(logged - timedelta(seconds=12)))
    assert send(owner_client, "release_log", session, body).status_code == 201
    release = Release.objects.get(session=session)
    assert release.held_seconds == 12 and release.started_at is None  # the clock's own times are not kept


def test_typed_seconds_cut_by_the_bound_are_said_not_silently_stored(ready, owner_client):
    """Seconds typed in the runner and cut by the session's length were stored cut without a word (40 typed, 4
    stored, "4 s of 45 s" in every export). The answer now says so, with the reason; a cut of a second or two (a timed
    hold's figure against the server's own record) says nothing."""
    session = make_running_session(ready, steps=3, hold_seconds=30, started_at=whole_ms_ago(seconds=12.5))
    first = send(owner_client, "release_log", session, answers(1, held_seconds="40"))
    assert first.status_code == 201
    assert first.json()["notice"].startswith("Step 1 is saved as ")
    assert "not the 40 s typed: together, a session's steps cannot hold more" in first.json()["notice"]
    plain = owner_client.post(session_url("release_log", session), answers(2, held_seconds="40"), follow=True)
    assert "Step 2 is saved as 0 s held, not the 40 s typed" in plain.text
    Session.objects.filter(pk=session.pk).update(started_at=timezone.now() - timedelta(minutes=10))
    third = send(owner_client, "release_log", session, answers(3, held_seconds="300"))
    assert (
        "Step 3 is saved as 45 s held, not the 300 s typed: a step holds at most its plan (30 s)"
        in third.json()["notice"]
    )
    assert held_in(session) == [12, 0, 45]


def test_a_cut_of_a_second_or_two_says_nothing(ready, owner_client):
    session = make_running_session(ready, steps=2, hold_seconds=30, started_at=whole_ms_ago(seconds=29.5))
    answer = send(owner_client, "release_log", session, answers(1, held_seconds="30"))
    assert held_in(session) == [29] and answer.json().get("notice", "") == ""
