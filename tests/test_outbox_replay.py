"""What the server answers the phone's outbox (static/js/outbox.js, `X-Outbox: 1`): JSON, and a replay of an entry
it holds already is a success ("replay"), never an error, so the phone drops its copy; nothing is stored twice and
nothing the server refuses is answered as stored. Offline logs carry the phone's clock, checked for sense."""

import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from journal.models import HOLD_MARGIN_SECONDS, PHONE_CLOCK_SKEW, Release, Session, SessionStatus
from routines.models import Point
from tests.factories import ensure_catalogue, make_running_session, make_session, session_url
from tests.test_never_twice import at_once, lingering
from tests.test_quick_log import URL as QUICK_LOG_URL
from tests.test_quick_log import data as quick_data
from tests.test_runner import answers

pytestmark = pytest.mark.django_db
OUTBOX = {"X-Outbox": "1"}


def send(client, name: str, session: Session, body: dict):
    return client.post(session_url(name, session), body, headers=OUTBOX)


def ms(moment) -> str:
    return str(int(moment.timestamp() * 1000))


def whole_ms_ago(**ago: float):
    """The server's time `ago` (timedelta's arguments) before now, cut to a whole millisecond like a phone's clock:
    a session starting then lasts exactly 40 s until a phone time of its start plus 40 s (`ms` cuts the rest)."""
    moment = timezone.now() - timedelta(**ago)
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def test_it_stores_a_release_and_answers_a_replay_with_success(ready, owner_client):
    session = make_running_session(ready, steps=3)
    first = send(owner_client, "release_log", session, answers(1))
    assert first.status_code == 201
    assert first.json() == {"stored": "created", "position": 1, "notice": ""}
    again = send(owner_client, "release_log", session, answers(1, held_seconds="5"))
    assert again.status_code == 200
    assert again.json() == {"stored": "replay", "position": 1}
    release = Release.objects.get(session=session)
    assert release.held_seconds != 5  # the first log of a step wins; the replay changed nothing


def test_a_different_entry_for_a_stored_step_is_refused_and_said_so(ready, owner_client):
    """Step 1 is stored; an outbox entry for step 1 with other answers (another tab or device) was answered 200
    "replay": the phone marked it saved and its answers vanished. It is refused, 409 with the reason (the outbox
    keeps it, shown as not saved, and does not retry); the stored step is unchanged. A skip against a logged step,
    or a log against a skipped one, is different too."""
    session = make_running_session(ready, steps=2)
    assert send(owner_client, "release_log", session, answers(1)).status_code == 201
    other = send(owner_client, "release_log", session, answers(1, pressure="9"))
    assert other.status_code == 409
    assert other.json() == {
        "error": "Step 1 was already logged with other answers (another tab or device?); this one was not saved. "
        "You can correct the step from the session's summary."
    }
    assert Release.objects.get(session=session).pressure == 5
    skip = send(owner_client, "step_skip", session, {"position": 1})
    assert skip.status_code == 409 and "Step 1 was already logged" in skip.json()["error"]
    assert send(owner_client, "step_skip", session, {"position": 2}).status_code == 201
    assert send(owner_client, "step_skip", session, {"position": 2}).json()["stored"] == "replay"
    assert send(owner_client, "release_log", session, answers(2)).status_code == 409


def test_it_answers_a_replay_with_success_after_the_session_ended(ready, owner_client):
    session = make_running_session(ready, steps=2)
    assert send(owner_client, "release_log", session, answers(1)).status_code == 201
    session.finish(pain_after=3)
    again = send(owner_client, "release_log", session, answers(1))
    assert again.status_code == 200 and again.json()["stored"] == "replay"
    refused = send(owner_client, "release_log", session, answers(2))
    assert refused.status_code == 409
    assert "ended" in refused.json()["error"]
    assert Release.objects.filter(session=session).count() == 1


def test_it_refuses_bad_input_with_422_and_saves_nothing(ready, owner_client):
    session = make_running_session(ready, steps=2)
    response = send(owner_client, "release_log", session, answers(1, pain_now="11"))
    assert response.status_code == 422
    assert response.json()["error"]
    unknown = send(owner_client, "release_log", session, answers(7))
    assert unknown.status_code == 422 and "not part of this session" in unknown.json()["error"]
    assert not Release.objects.exists()


def test_it_checks_ownership(ready, other_client, anonymous_client):
    session = make_running_session(ready, steps=2)
    assert send(other_client, "release_log", session, answers(1)).status_code == 404
    anonymous = send(anonymous_client, "release_log", session, answers(1))
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert not Release.objects.exists()


def test_a_session_before_its_safety_check_keeps_the_entry_refused(ready, owner_client):
    session = make_session(ready)
    response = send(owner_client, "release_log", session, answers(1))
    assert response.status_code == 409
    assert not Release.objects.exists()


def test_the_phones_clock_is_kept_when_it_makes_sense(ready, owner_client):
    session = make_running_session(ready, steps=3, hold_seconds=30)
    session.started_at = timezone.now() - timedelta(minutes=20)
    session.save(update_fields=["started_at"])
    logged_on_phone = timezone.now() - timedelta(minutes=10)
    send(owner_client, "release_log", session, answers(1, phone_time=ms(logged_on_phone)))
    release = Release.objects.get(position=1)
    assert abs(release.logged_at - logged_on_phone) < timedelta(milliseconds=2)
    assert abs(release.ended_at - logged_on_phone) < timedelta(milliseconds=2)


@pytest.mark.parametrize(
    "phone_offset", [PHONE_CLOCK_SKEW + timedelta(minutes=1), -timedelta(hours=1)], ids=["future", "before-start"]
)
def test_a_phone_time_without_sense_gives_way_to_the_servers(ready, owner_client, phone_offset):
    session = make_running_session(ready, steps=2)
    session.started_at = timezone.now() - timedelta(minutes=5)
    session.save(update_fields=["started_at"])
    before = timezone.now()
    response = send(owner_client, "release_log", session, answers(1, phone_time=ms(timezone.now() + phone_offset)))
    assert response.status_code == 201  # the log is kept; only its timestamp is the server's
    release = Release.objects.get()
    assert before <= release.logged_at <= timezone.now()


def test_held_seconds_are_still_clamped(ready, owner_client):
    session = make_running_session(ready, steps=2, hold_seconds=30)
    send(owner_client, "release_log", session, answers(1, held_seconds="600"))
    assert Release.objects.get().held_seconds == 30 + HOLD_MARGIN_SECONDS
    session.start_hold(2)
    send(owner_client, "release_log", session, answers(2, held_seconds="40"))
    assert Release.objects.get(position=2).held_seconds <= 1  # the server saw the hold start a moment ago


def test_a_skip_and_a_finish_from_the_outbox_answer_replays_with_success(ready, owner_client):
    session = make_running_session(ready, steps=1)
    assert send(owner_client, "step_skip", session, {"position": 1}).status_code == 201
    assert send(owner_client, "step_skip", session, {"position": 1}).json()["stored"] == "replay"
    finished = send(owner_client, "session_finish", session, {"pain_after": "3", "notes": "ok"})
    assert finished.status_code == 201
    assert finished.json()["summary"] == session_url("session_summary", session)
    again = send(owner_client, "session_finish", session, {"pain_after": "3", "notes": "ok"})
    assert again.status_code == 200 and again.json() == {"stored": "replay"}
    other = send(owner_client, "session_finish", session, {"pain_after": "8", "notes": ""})
    assert other.status_code == 409
    session.refresh_from_db()
    assert session.status == SessionStatus.COMPLETED and session.pain_after == 3
    assert Release.objects.get().skipped


def test_a_quick_log_replayed_by_the_outbox_makes_one_row(owner, owner_client):
    owner.profile.acknowledge_safety()
    body = quick_data(Point.objects.builtin().first())
    first = owner_client.post(QUICK_LOG_URL, body, headers=OUTBOX)
    assert first.status_code == 201 and first.json()["stored"] == "created"
    again = owner_client.post(QUICK_LOG_URL, body, headers=OUTBOX)
    assert again.status_code == 200 and again.json()["stored"] == "replay"
    assert again.json()["summary"] == first.json()["summary"]
    assert Session.objects.count() == 1 and Release.objects.count() == 1
    bad = owner_client.post(QUICK_LOG_URL, {**body, "key": str(uuid.uuid4()), "pain_now": ""}, headers=OUTBOX)
    assert bad.status_code == 422 and bad.json()["error"]
    assert Session.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_tabs_sending_the_same_step_at_once_make_one_row(ready):
    """Two tabs (or a sync and its replay) send the same step at the same moment: one row, both told it is stored."""
    ensure_catalogue()  # a transactional test run before this one flushed the built-in points the routine uses
    session = make_running_session(ready, steps=2)

    def sync(i: int) -> tuple[int, str]:
        client = Client()
        client.force_login(ready, backend="django.contrib.auth.backends.ModelBackend")
        response = send(client, "release_log", session, answers(1))
        return response.status_code, response.json()["stored"]

    results = at_once(sync)
    assert Release.objects.filter(session=session).count() == 1
    assert sorted(stored for _status, stored in results).count("created") == 1
    assert all(status in (200, 201) for status, _stored in results)


def test_the_runner_of_a_started_session_may_be_kept_offline_but_never_its_red_flag_check(ready, owner_client):
    """The phone keeps the runner once the steps are on (every step's how-to and log form, in <template>s), never
    the page that asks the red-flag questions, nor an htmx panel, nor another session's summary."""
    session = make_session(ready)
    check = owner_client.get(session_url("session_run", session))
    assert 'name="rf_' in check.content.decode()
    assert "X-Offline-Page" not in check
    session.answer_safety_check([], 6)
    running = owner_client.get(session_url("session_run", session))
    html = running.content.decode()
    assert running["X-Offline-Page"] == "1"
    assert 'name="rf_' not in html and "red flag" not in html.lower()
    steps = session.step_count
    assert html.count("<template data-offline-step=") == steps - 1
    assert '<template data-offline-finish data-steps-beyond="0">' in html
    for position in range(2, steps + 1):
        assert f'data-outbox-id="release:{session.pk}:{position}"' in html
    partial = owner_client.get(session_url("session_run", session), headers={"HX-Request": "true"})
    assert "X-Offline-Page" not in partial
    session.finish(pain_after=2)
    assert "X-Offline-Page" not in owner_client.get(session_url("session_summary", session))


def run_long_ago(session: Session, hours: int = 14) -> Session:
    """A session whose last activity the server saw `hours` ago: run offline since, it is stale now."""
    long_ago = timezone.now() - timedelta(hours=hours)
    Session.objects.filter(pk=session.pk).update(started_at=long_ago, last_activity_at=long_ago)
    session.refresh_from_db()
    return session


@pytest.mark.parametrize("abandoned_first", [False, True], ids=["stale", "abandoned-by-a-page"])
def test_a_session_run_offline_and_synced_after_the_abandon_delay_is_stored(ready, owner_client, abandoned_first):
    """The phone ran the session offline and syncs the next day: its steps and finish were done while the session
    was alive (phone time), so they are stored, even when a page load abandoned the session before the sync."""
    session = run_long_ago(make_running_session(ready, steps=2))
    if abandoned_first:
        owner_client.get("/")
        session.refresh_from_db()
        assert session.status == SessionStatus.ABANDONED
    step_1 = session.started_at + timedelta(minutes=2)
    first = send(owner_client, "release_log", session, answers(1, phone_time=ms(step_1)))
    assert first.status_code == 201, first.content
    skip = send(owner_client, "step_skip", session, {"position": 2, "phone_time": ms(step_1 + timedelta(minutes=1))})
    assert skip.status_code == 201, skip.content
    finish = {"pain_after": "3", "notes": "", "phone_time": ms(step_1 + timedelta(minutes=2))}
    assert send(owner_client, "session_finish", session, finish).status_code == 201
    session.refresh_from_db()
    assert session.status == SessionStatus.COMPLETED and session.pain_after == 3
    assert Release.objects.filter(session=session).count() == 2
    assert abs(Release.objects.get(position=1).logged_at - step_1) < timedelta(milliseconds=2)


@pytest.mark.parametrize("late", [True, False], ids=["after-it-was-left", "no-phone-time"])
def test_an_entry_done_after_the_session_was_left_is_stored_when_it_was_left(ready, owner_client, settings, late):
    """A phone time outside the session's life (or none) is not taken, but the log is never dropped for it: it is
    stored at the moment the session was left, and the session is left abandoned again (tests/test_held_claims.py)."""
    session = run_long_ago(make_running_session(ready, steps=2))
    left = session.last_activity_at
    body = answers(1)
    if late:  # logged on the phone 13 hours after the server last saw the session: it had been left by then
        body = answers(
            1, phone_time=ms(session.last_activity_at + settings.TENDERSPOT_ABANDON_AFTER + timedelta(hours=1))
        )
    response = send(owner_client, "release_log", session, body)
    assert response.status_code == 201, response.content
    session.refresh_from_db()
    assert session.status == SessionStatus.ABANDONED
    assert Release.objects.get().logged_at == left


def test_a_completed_session_is_never_reopened_by_a_phone_entry(ready, owner_client):
    session = make_running_session(ready, steps=2)
    session.finish(pain_after=2)
    response = send(owner_client, "release_log", session, answers(1, phone_time=ms(timezone.now())))
    assert response.status_code == 409
    session.refresh_from_db()
    assert session.status == SessionStatus.COMPLETED and not Release.objects.exists()


def test_a_quick_log_held_back_by_an_open_red_flag_gets_409_with_the_reason(ready, owner_client):
    """The outbox reads a redirect as an expired sign-in; a gate answers it in JSON instead, to send again later."""
    from tests.test_red_flag_follow_up import report

    report(ready)
    body = quick_data(Point.objects.builtin().first())
    response = owner_client.post(QUICK_LOG_URL, body, headers=OUTBOX)
    assert response.status_code == 409
    answer = response.json()
    assert "warning sign" in answer["error"] and answer["retry"] is True
    assert answer["then"] == reverse("journal:red_flag_follow_up")
    assert Session.objects.filter(user=ready, idempotency_key=body["key"]).count() == 0


def test_a_quick_log_before_the_safety_notice_gets_409_with_the_reason(owner, owner_client):
    body = quick_data(Point.objects.builtin().first())
    response = owner_client.post(QUICK_LOG_URL, body, headers=OUTBOX)
    assert response.status_code == 409
    assert "safety notice" in response.json()["error"] and response.json()["retry"] is True
    assert not Session.objects.exists()
    plain = owner_client.post(QUICK_LOG_URL, body)  # without the outbox: the notice, as before
    assert plain.status_code == 302 and "/safety" in plain["Location"]


def test_a_finish_sent_later_keeps_the_phones_time(ready, owner_client):
    session = run_long_ago(make_running_session(ready, steps=1), hours=3)
    done_on_phone = session.started_at + timedelta(minutes=12)
    body = {"pain_after": "2", "notes": "", "phone_time": ms(done_on_phone)}
    assert send(owner_client, "session_finish", session, body).status_code == 201
    session.refresh_from_db()
    assert abs(session.finished_at - done_on_phone) < timedelta(milliseconds=2)  # not a 3-hour session


@pytest.mark.parametrize(
    "phone_offset", [PHONE_CLOCK_SKEW + timedelta(minutes=1), -timedelta(hours=1)], ids=["future", "before-start"]
)
def test_a_finish_whose_phone_time_makes_no_sense_takes_the_servers(ready, owner_client, phone_offset):
    session = make_running_session(ready, steps=1)
    before = timezone.now()
    body = {"pain_after": "2", "notes": "", "phone_time": ms(timezone.now() + phone_offset)}
    assert send(owner_client, "session_finish", session, body).status_code == 201
    session.refresh_from_db()
    assert before <= session.finished_at <= timezone.now()


def test_a_quick_log_saved_at_23_55_and_sent_the_next_day_stays_on_its_day(ready, owner_client):
    ready.date_joined = timezone.now() - timedelta(days=30)
    ready.save(update_fields=["date_joined"])
    yesterday = ready.profile.local_date() - timedelta(days=1)
    saved_on_phone = timezone.make_aware(
        timezone.datetime.combine(yesterday, timezone.datetime.min.time()).replace(hour=23, minute=55),
        ready.profile.zone,
    )
    body = {**quick_data(Point.objects.builtin().first()), "phone_time": ms(saved_on_phone)}
    assert owner_client.post(QUICK_LOG_URL, body, headers=OUTBOX).status_code == 201
    session = Session.objects.get(user=ready)
    release = session.releases.get()
    assert session.local_date == yesterday and release.local_date == yesterday
    assert abs(release.ended_at - saved_on_phone) < timedelta(milliseconds=2)
    assert abs(session.finished_at - saved_on_phone) < timedelta(milliseconds=2)


@pytest.mark.parametrize("phone_offset", [PHONE_CLOCK_SKEW + timedelta(minutes=1), -timedelta(days=400)])
def test_a_quick_log_whose_phone_time_makes_no_sense_takes_the_servers(ready, owner_client, phone_offset):
    before = timezone.now()
    body = {**quick_data(Point.objects.builtin().first()), "phone_time": ms(timezone.now() + phone_offset)}
    assert owner_client.post(QUICK_LOG_URL, body, headers=OUTBOX).status_code == 201
    assert before <= Session.objects.get(user=ready).releases.get().ended_at <= timezone.now()


@pytest.mark.parametrize("phone", ["ten-seconds-in", "none", "years-ahead"])
def test_held_seconds_are_bounded_by_the_time_since_the_session_started(ready, owner_client, phone):
    """Without a hold start the server saw, the session's age bounds what was held: by the phone's clock when it
    makes sense, else by the server's (no phone time, or one ten years ahead, once bypassed the bound)."""
    session = make_running_session(ready, steps=2, hold_seconds=30, started_at=whole_ms_ago(seconds=10))
    times = {
        "ten-seconds-in": ms(session.started_at + timedelta(seconds=10)),
        "none": "",
        "years-ahead": ms(timezone.now() + timedelta(days=3650)),
    }
    body = answers(1, held_seconds="40", phone_time=times[phone])
    assert send(owner_client, "release_log", session, body).status_code == 201
    assert 10 <= Release.objects.get().held_seconds <= 11  # not 30 + margin: the session was 10 seconds old


def test_a_plain_post_is_bounded_by_the_time_since_the_session_started_too(ready, owner_client):
    session = make_running_session(ready, steps=2, hold_seconds=30, started_at=timezone.now() - timedelta(seconds=5))
    assert owner_client.post(session_url("release_log", session), answers(1, held_seconds="30")).status_code == 302
    assert 5 <= Release.objects.get().held_seconds <= 7


def test_a_session_reopened_for_a_late_entry_is_left_again_once_it_is_stored(ready, owner_client):
    """A sync days later fills in what was done then, and never leaves an old session running."""
    session = run_long_ago(make_running_session(ready, steps=3), hours=48)
    body = answers(1, phone_time=ms(session.started_at + timedelta(minutes=2)))
    assert send(owner_client, "release_log", session, body).status_code == 201
    session.refresh_from_db()
    assert session.status == SessionStatus.ABANDONED
    assert Session.objects.to_resume(ready) is None
    assert owner_client.get(session_url("session_run", session)).status_code == 302  # to its summary


@pytest.mark.parametrize("entry", ["refused", "replay"])
def test_a_refused_or_replayed_entry_reopens_nothing(ready, owner_client, entry):
    session = make_running_session(ready, steps=2)
    if entry == "replay":
        session.log_release(1, held_seconds=30, tender=True, pressure=5, pain_now=4)
    session = run_long_ago(session, hours=48)
    owner_client.get("/")  # a page load abandons it
    before = Session.objects.get(pk=session.pk)
    assert before.status == SessionStatus.ABANDONED
    body = answers(1 if entry == "replay" else 999, phone_time=ms(session.started_at + timedelta(minutes=2)))
    response = send(owner_client, "release_log", session, body)
    assert response.status_code == (200 if entry == "replay" else 422)
    after = Session.objects.get(pk=session.pk)
    assert (after.status, after.last_activity_at) == (before.status, before.last_activity_at)


@pytest.mark.parametrize("name", ["release_log", "session_finish"])
def test_no_phone_entry_is_stored_while_a_red_flag_awaits_its_follow_up(ready, owner_client, name):
    """An old session left long ago, a red flag reported in a new one: an entry dated in the old session's life
    is held back (409, kept on the phone) until the follow-up question is answered, and reopens nothing."""
    old = run_long_ago(make_running_session(ready, steps=2), hours=24 * 365)
    owner_client.get("/")
    make_running_session(ready, steps=2).stop_for_red_flag(["both_legs"])
    in_its_life = ms(old.started_at + timedelta(minutes=1))
    body = (
        answers(1, phone_time=in_its_life) if name == "release_log" else {"pain_after": "3", "phone_time": in_its_life}
    )
    response = send(owner_client, name, old, body)
    assert response.status_code == 409
    assert response.json()["retry"] is True and response.json()["then"] == reverse("journal:red_flag_follow_up")
    old.refresh_from_db()
    assert old.status == SessionStatus.ABANDONED and not old.releases.exists()


@pytest.mark.django_db(transaction=True)
def test_finishes_sent_at_once_store_the_first_and_never_overwrite_it(ready):
    """Several devices finish the same session at the same moment with different answers: one is stored (201),
    the others are refused (409), and what was stored is what the 201 said."""
    ensure_catalogue()
    session = make_running_session(ready, steps=2)

    def finish(i: int) -> tuple[int, int]:
        client = Client()
        client.force_login(ready, backend="django.contrib.auth.backends.ModelBackend")
        response = send(client, "session_finish", session, {"pain_after": str(i % 10), "notes": f"device {i}"})
        return response.status_code, i

    results = at_once(finish)
    created = [i for status, i in results if status == 201]
    assert len(created) == 1
    assert all(status == 409 for status, i in results if i not in created)
    session.refresh_from_db()
    assert session.notes == f"device {created[0]}"


def test_a_finish_never_ends_before_the_last_release_was_logged(ready, owner_client):
    session = make_running_session(ready, steps=2, started_at=timezone.now() - timedelta(minutes=2))
    assert send(owner_client, "release_log", session, answers(1)).status_code == 201
    logged = Release.objects.get().logged_at
    early = {"pain_after": "3", "phone_time": ms(session.started_at + timedelta(seconds=1))}
    assert send(owner_client, "session_finish", session, early).status_code == 201
    session.refresh_from_db()
    assert session.finished_at >= logged


def test_a_release_never_ends_before_its_hold_started(ready, owner_client):
    session = run_long_ago(make_running_session(ready, steps=2, hold_seconds=30), hours=1)
    session.start_hold(1)  # the server saw the hold start now; the phone's clock says it ended 5 minutes ago
    body = answers(1, phone_time=ms(timezone.now() - timedelta(minutes=5)))
    assert send(owner_client, "release_log", session, body).status_code == 201
    release = Release.objects.get()
    assert release.started_at is not None and release.ended_at >= release.started_at
    assert release.logged_at >= release.started_at


def test_a_quick_log_sent_by_the_outbox_leaves_no_message_for_another_page(owner, owner_client):
    """The sync may run while the phone shows another page: that page must not say "Logged" for it later."""
    owner.profile.acknowledge_safety()
    ensure_catalogue()
    body = {**quick_data(Point.objects.builtin().first()), "pressure": "9"}
    answer = owner_client.post(QUICK_LOG_URL, body, headers=OUTBOX)
    assert answer.status_code == 201 and "ease off" in answer.json()["notice"].lower()
    page = owner_client.get("/").content.decode()
    assert "Logged. Thank you" not in page and "ease off" not in page.lower()


def test_the_runner_carries_a_bounded_number_of_later_steps(ready, owner_client):
    """A 600-step plan made a 10 MB runner page that took 16 s to draw: the page carries the next steps up to a
    bound, and the finish."""
    from journal.runner.views import OFFLINE_STEPS_AHEAD

    session = make_running_session(ready, steps=2)
    session.plan = (session.plan * OFFLINE_STEPS_AHEAD)[: OFFLINE_STEPS_AHEAD + 20]
    session.save(update_fields=["plan"])
    html = owner_client.get(session_url("session_run", session)).content.decode()
    assert html.count("<template data-offline-step=") == OFFLINE_STEPS_AHEAD
    # After them the phone says that the other 19 need a connection (step 1 is the page's own), never "the last".
    end = html[html.index("<template data-offline-finish") :]
    assert end.startswith('<template data-offline-finish data-steps-beyond="19">')
    assert "The next steps need a connection" in end
    assert f"19 more steps, from step {OFFLINE_STEPS_AHEAD + 2} of {OFFLINE_STEPS_AHEAD + 20}" in end
    assert f"Go on to step {OFFLINE_STEPS_AHEAD + 2}</a>" in end
    assert "saved on this phone and will sync" in end and "That was the last step" not in end
    assert 'data-outbox-form="finish"' in end  # finishing early still works offline


@pytest.mark.parametrize("logged", [0, 1], ids=["one-beyond", "all-carried"])
def test_the_runner_says_the_last_step_only_when_it_carries_them_all(ready, owner_client, monkeypatch, logged):
    monkeypatch.setattr("journal.runner.views.OFFLINE_STEPS_AHEAD", 2)
    session = make_running_session(ready, steps=4)
    if logged:
        session.log_release(4, held_seconds=30)
    html = owner_client.get(session_url("session_run", session)).content.decode()
    end = html[html.index("<template data-offline-finish") :]
    assert html.count("<template data-offline-step=") == 2
    if logged:
        assert end.startswith('<template data-offline-finish data-steps-beyond="0">')
        assert "That was the last step" in end and "need a connection" not in end
    else:
        assert end.startswith('<template data-offline-finish data-steps-beyond="1">')
        assert "The next step needs a connection" in end and "1 more step, from step 4 of 4" in end


def logged_offline(client, session: Session, position: int, seconds_in: int, held: str = "100", skip: bool = False):
    """Step `position` sent by the outbox as logged on the phone `seconds_in` seconds after the session started,
    with no hold start the server saw (offline, or without the timer)."""
    phone_time = ms(session.started_at + timedelta(seconds=seconds_in))
    if skip:
        return send(client, "step_skip", session, {"position": position, "phone_time": phone_time})
    return send(client, "release_log", session, answers(position, held_seconds=held, phone_time=phone_time))


@pytest.mark.parametrize("phone_clock", [True, False], ids=["phone-times", "no-phone-time"])
def test_steps_logged_offline_never_add_up_to_more_than_the_session_lasted(ready, owner_client, phone_clock):
    """Each claims 100 s in a session two minutes old: each is bounded by the session's age at its log less what the
    others hold, not by the session's age alone (which let them add up to 220 s, or 300 s when sent at once)."""
    session = make_running_session(ready, steps=3, hold_seconds=90, started_at=whole_ms_ago(minutes=2))
    for position in (1, 2, 3):
        if phone_clock:
            assert logged_offline(owner_client, session, position, seconds_in=40 * position).status_code == 201
        else:
            assert send(owner_client, "release_log", session, answers(position, held_seconds="100")).status_code == 201
    held = list(Release.objects.order_by("position").values_list("held_seconds", flat=True))
    age = (timezone.now() - session.started_at).total_seconds()
    assert sum(held) <= age  # whole seconds rounded down: never a second that did not pass
    assert held == [100, 20, 0]  # the session's age at receipt (120 s) less what the others hold


def test_a_step_logged_out_of_order_is_bounded_by_what_the_others_hold(ready, owner_client):
    """The bound is the server's: the session's age when the log was received less the seconds of the other
    releases, in whatever order they arrive; the phone's times of the logs bound nothing (a clock behind the
    server's would cut honest holds)."""
    session = make_running_session(ready, steps=3, hold_seconds=90, started_at=whole_ms_ago(minutes=2))
    assert logged_offline(owner_client, session, 1, seconds_in=30, held="30").status_code == 201
    assert logged_offline(owner_client, session, 3, seconds_in=110, held="20").status_code == 201
    assert logged_offline(owner_client, session, 2, seconds_in=70, held="100").status_code == 201
    assert Release.objects.get(position=2).held_seconds == 70  # 120 s less step 1's 30 and step 3's 20
    assert sum(Release.objects.values_list("held_seconds", flat=True)) <= (timezone.now() - session.started_at).seconds


def test_a_skipped_step_takes_no_room_from_the_next_hold(ready, owner_client):
    """A skip holds 0 s: the next step may hold the whole time since the session started (a person typing the
    seconds of several steps in a row after the session is never cut to the seconds between their taps)."""
    session = make_running_session(ready, steps=2, hold_seconds=90, started_at=whole_ms_ago(minutes=2))
    assert logged_offline(owner_client, session, 1, seconds_in=50, skip=True).status_code == 201
    assert logged_offline(owner_client, session, 2, seconds_in=80).status_code == 201
    assert list(Release.objects.order_by("position").values_list("held_seconds", flat=True)) == [0, 100]


def test_a_replayed_step_keeps_the_row_first_stored(ready):
    """The same step again (a double tap, a replayed request) returns the stored row, never one clamped anew by a
    step logged since."""
    session = make_running_session(ready, steps=3, hold_seconds=90, started_at=timezone.now() - timedelta(minutes=2))
    first, created = session.log_release(2, held_seconds=100, at=session.started_at + timedelta(seconds=60))
    assert created and first.held_seconds == 100
    session.log_release(1, held_seconds=20, at=session.started_at + timedelta(seconds=50))
    again, created = session.log_release(2, held_seconds=10, at=session.started_at + timedelta(seconds=60))
    assert not created and again.pk == first.pk and again.held_seconds == 100
    assert Release.objects.get(position=2).held_seconds == 100


def test_a_hold_the_server_saw_start_is_not_bounded_by_the_step_before(ready, owner_client):
    """The timer's start reached the server: its own record bounds the hold, whatever was logged just before."""
    session = make_running_session(ready, steps=2, hold_seconds=30, started_at=timezone.now() - timedelta(minutes=2))
    session.log_release(1, held_seconds=30)  # logged now
    session.start_hold(2)
    Session.objects.filter(pk=session.pk).update(current_hold_started_at=timezone.now() - timedelta(seconds=35))
    session.refresh_from_db()
    assert owner_client.post(session_url("release_log", session), answers(2, held_seconds="30")).status_code == 302
    assert Release.objects.get(position=2).held_seconds == 30


def test_steps_whose_phone_clock_was_refused_keep_the_session_age_bound(ready, owner_client):
    """A phone clock far off is refused and the server's time of the sync stands in: steps sent together then say
    nothing of when each was done, so they are not cut to the seconds between their requests."""
    session = make_running_session(ready, steps=2, hold_seconds=30, started_at=timezone.now() - timedelta(minutes=2))
    ahead = ms(timezone.now() + timedelta(days=1))
    for position in (1, 2):
        body = answers(position, held_seconds="30", phone_time=ahead)
        assert send(owner_client, "release_log", session, body).status_code == 201
    assert list(Release.objects.order_by("position").values_list("held_seconds", flat=True)) == [30, 30]


@pytest.mark.django_db(transaction=True)
def test_two_different_entries_for_one_step_at_the_same_moment_one_is_refused(ready, monkeypatch):
    """Two devices send step 1 with other answers at the same moment: both pass the look for a stored row before
    either is stored, and the second used to be answered "replay" (200), its answers silently dropped. It is refused
    with the reason, as when it comes later. Each insert lingers, so that the race happens every time."""

    ensure_catalogue()  # an earlier transactional test's flush may have emptied it
    session = make_running_session(ready, steps=2)
    lingering(monkeypatch, Release, "save")

    def log(i: int) -> int:
        client = Client(raise_request_exception=True)
        client.force_login(ready, backend="django.contrib.auth.backends.ModelBackend")
        return send(client, "release_log", session, answers(1, pressure=str(3 + i))).status_code

    assert sorted(at_once(log, 2)) == [201, 409]
    assert Release.objects.filter(session=session).count() == 1
