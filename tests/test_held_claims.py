"""The releases of a session never claim more held seconds (sum) than the session lasted, whatever edits them (the
history's session and release forms, the quick log), and a wrong phone clock never drops a log of the outbox."""

from datetime import UTC, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from journal.models import HOLD_MARGIN_SECONDS, Release, Session, SessionStatus
from routines.models import Point
from tests.factories import make_release, make_running_session, make_session
from tests.test_export_csv import read_csv
from tests.test_fhir_export import read_bundle, resources
from tests.test_outbox_replay import ms, send
from tests.test_quick_log import URL as QUICK_LOG_URL
from tests.test_quick_log import data as quick_data
from tests.test_runner import answers

pytestmark = pytest.mark.django_db
LOCAL = "%Y-%m-%dT%H:%M"


def local(moment) -> str:
    """`moment` as the history's datetime-local input sends it (the owner's time zone is UTC)."""
    return moment.astimezone(UTC).strftime(LOCAL)


def session_body(session: Session, **overrides) -> dict:
    body = {
        "started_at": local(session.started_at),
        "finished_at": local(session.finished_at) if session.finished_at else "",
        "pain_before": "6",
        "pain_after": "",
        "notes": "",
    }
    body.update(overrides)
    return body


def release_body(release: Release, **overrides) -> dict:
    body = {"side": release.side, "held_seconds": str(release.held_seconds or ""), "tender": "true", "notes": ""}
    body.update(overrides)
    return body


def edit_release(client, release: Release, **overrides):
    url = reverse("journal:release_edit", args=[release.session_id, release.pk])
    return client.post(url, release_body(release, **overrides))


# 1. The session's times ----------------------------------------------------------------------------------------


def test_a_running_sessions_start_cannot_be_moved_back(ready, owner_client):
    session = make_running_session(ready, steps=3)
    started = session.started_at
    url = reverse("journal:session_edit", args=[session.pk])
    assert "Finish or leave the session first" in owner_client.get(url).text
    owner_client.post(url, session_body(session, started_at=local(timezone.now() - timedelta(hours=11))))
    session.refresh_from_db()
    assert session.started_at == started and session.status == SessionStatus.IN_PROGRESS
    # The runner's bound, measured from the start, still holds: two minutes cannot hold 40 steps of 75 s.
    for position in (1, 2, 3):
        session.log_release(position, held_seconds=75)
    assert session.held_seconds_claimed() <= (timezone.now() - session.started_at).total_seconds()


def test_an_ended_session_cannot_be_made_shorter_than_its_releases_hold(owner, owner_client):
    start = timezone.now().replace(second=0, microsecond=0) - timedelta(days=1)
    session = make_session(
        owner, started_at=start, finished_at=start + timedelta(minutes=10), status=SessionStatus.COMPLETED
    )
    make_release(session, 1, held_seconds=45)
    make_release(session, 2, held_seconds=45)
    url = reverse("journal:session_edit", args=[session.pk])
    response = owner_client.post(url, session_body(session, finished_at=local(start + timedelta(minutes=1))))
    assert response.status_code == 422
    assert "hold 90 seconds in all" in response.text and "at least 90 seconds" in response.text
    session.refresh_from_db()
    assert session.finished_at == start + timedelta(minutes=10)
    # Long enough (two minutes for 90 s): saved.
    ok = owner_client.post(url, session_body(session, finished_at=local(start + timedelta(minutes=2))))
    assert ok.status_code == 302
    session.refresh_from_db()
    assert session.finished_at == start + timedelta(minutes=2)


def test_a_session_stored_shorter_than_its_holds_keeps_its_other_fields_editable(owner, owner_client):
    """A quick log made before its session lasted its hold (start == end, 180 s held) may still have its notes
    changed, and be made longer; never shorter."""
    start = timezone.now().replace(second=0, microsecond=0) - timedelta(days=1)
    session = make_session(owner, started_at=start, finished_at=start, status=SessionStatus.COMPLETED)
    make_release(session, 1, held_seconds=180)
    url = reverse("journal:session_edit", args=[session.pk])
    assert owner_client.post(url, session_body(session, notes="Gym")).status_code == 302
    longer = session_body(session, finished_at=local(start + timedelta(minutes=3)))
    assert owner_client.post(url, longer).status_code == 302
    session.refresh_from_db()
    shorter = session_body(session, finished_at=local(start + timedelta(minutes=2)))
    assert owner_client.post(url, shorter).status_code == 422


# 2. "Correct": a release's held seconds ----------------------------------------------------------------------


def test_a_correction_is_bounded_by_the_room_the_running_session_leaves(ready, owner_client):
    session = make_running_session(ready, steps=3, hold_seconds=30, started_at=timezone.now())
    for position in (1, 2, 3):
        session.skip(position)
    release = session.releases.get(position=1)
    response = edit_release(owner_client, release, held_seconds="600", skipped="")
    assert response.status_code == 422
    form_errors = response.context["release_form"].errors["held_seconds"]
    assert any("At most 0 seconds" in error for error in form_errors), form_errors
    assert session.releases.filter(skipped=True).count() == 3
    assert session.held_seconds_claimed() == 0


def test_a_correction_is_bounded_by_the_steps_hold_plus_the_margin(ready, owner_client):
    session = make_running_session(ready, steps=2, hold_seconds=30)  # begun two minutes ago
    release, _ = session.log_release(1, held_seconds=20)
    most = 30 + HOLD_MARGIN_SECONDS
    response = edit_release(owner_client, release, held_seconds=str(most + 1))
    assert response.status_code == 422 and f"At most {most} seconds" in response.text
    release.refresh_from_db()
    assert release.held_seconds == 20
    assert edit_release(owner_client, release, held_seconds=str(most)).status_code == 302
    release.refresh_from_db()
    assert release.held_seconds == most


def test_a_correction_counts_the_other_releases_against_an_ended_sessions_length(owner, owner_client):
    start = timezone.now() - timedelta(days=1)
    session = make_session(
        owner, started_at=start, finished_at=start + timedelta(seconds=60), status=SessionStatus.COMPLETED
    )
    first = make_release(session, 1, held_seconds=40, prescribed_seconds=45)
    make_release(session, 2, held_seconds=15, prescribed_seconds=45)
    response = edit_release(owner_client, first, held_seconds="46")
    assert response.status_code == 422 and "At most 45 seconds" in response.text
    first.refresh_from_db()
    assert first.held_seconds == 40
    assert edit_release(owner_client, first, held_seconds="45").status_code == 302
    # The summary never reads more held than the session lasted.
    assert session.held_seconds_claimed() <= 60


def test_a_skipped_step_may_become_a_held_one_within_the_same_bounds(owner, owner_client):
    start = timezone.now() - timedelta(days=1)
    session = make_session(
        owner, started_at=start, finished_at=start + timedelta(minutes=10), status=SessionStatus.COMPLETED
    )
    skipped = make_release(session, 1, held_seconds=0, skipped=True, prescribed_seconds=45)
    over = edit_release(owner_client, skipped, held_seconds="61", skipped="")
    assert over.status_code == 422 and f"At most {45 + HOLD_MARGIN_SECONDS} seconds" in over.text
    skipped.refresh_from_db()
    assert skipped.skipped and skipped.held_seconds == 0
    assert edit_release(owner_client, skipped, held_seconds="50", skipped="").status_code == 302
    skipped.refresh_from_db()
    assert (skipped.skipped, skipped.held_seconds) == (False, 50)


def test_a_correction_that_leaves_the_seconds_or_lowers_them_is_always_taken(owner, owner_client):
    """A figure stored before these bounds stays editable (notes, pressure) and may be lowered."""
    start = timezone.now() - timedelta(days=1)
    session = make_session(
        owner, started_at=start, finished_at=start + timedelta(seconds=30), status=SessionStatus.COMPLETED
    )
    release = make_release(session, 1, held_seconds=200, prescribed_seconds=45)
    assert edit_release(owner_client, release, notes="Fine").status_code == 302
    assert edit_release(owner_client, release, held_seconds="100", notes="Fine").status_code == 302
    release.refresh_from_db()
    assert (release.held_seconds, release.notes) == (100, "Fine")


# 3. The quick log lasts its hold -------------------------------------------------------------------------------


def test_a_quick_log_session_lasts_the_hold_typed(ready, owner_client):
    point = Point.objects.builtin().first()
    assert owner_client.post(QUICK_LOG_URL, quick_data(point, held_seconds="180")).status_code == 302
    session = Session.objects.get(user=ready)
    release = session.releases.get()
    assert session.finished_at - session.started_at == timedelta(seconds=180)
    assert (release.started_at, release.ended_at) == (session.started_at, session.finished_at)
    assert release.held_seconds == 180
    summary = owner_client.get(reverse("journal:session_summary", args=[session.pk])).text
    assert "180 of 180 s" in summary
    (procedure,) = resources(read_bundle(owner_client.get(reverse("journal:export_fhir"))), "Procedure")
    period = procedure["performedPeriod"]
    assert period == {"start": release.started_at.isoformat(), "end": release.ended_at.isoformat()}
    assert "Held 180 s of 180 s prescribed." in [note["text"] for note in procedure["note"]]
    (row,) = read_csv(owner_client.get(reverse("journal:export_csv")))
    assert (row["held_seconds"], row["held_timing"]) == ("180", "")
    started = session.started_at.replace(microsecond=0).isoformat()
    assert row["session_started_at"] == row["release_started_at"] == started
    assert row["session_finished_at"] == row["release_ended_at"]


def test_a_quick_log_not_timed_keeps_start_and_end_together(ready, owner_client):
    point = Point.objects.builtin().first()
    owner_client.post(QUICK_LOG_URL, quick_data(point, held_seconds=""))
    session = Session.objects.get(user=ready)
    assert session.started_at == session.finished_at
    assert session.releases.get().held_seconds is None


# 4. A wrong phone clock never drops a log ----------------------------------------------------------------------


def left_13_hours_ago(ready) -> Session:
    session = make_running_session(ready, steps=3)
    now = timezone.now()
    Session.objects.filter(pk=session.pk).update(
        started_at=now - timedelta(hours=14), last_activity_at=now - timedelta(hours=13)
    )
    session.refresh_from_db()
    return session


@pytest.mark.parametrize(
    "phone_clock", [timedelta(days=-1), timedelta(hours=14), None], ids=["day-behind", "14h-ahead", "none"]
)
@pytest.mark.parametrize("name", ["release_log", "step_skip"])
def test_an_abandoned_sessions_log_with_a_wrong_phone_clock_is_stored_when_it_was_left(
    ready, owner_client, phone_clock, name
):
    session = left_13_hours_ago(ready)
    left = session.last_activity_at
    owner_client.get("/")  # a page load abandons it
    session.refresh_from_db()
    assert session.status == SessionStatus.ABANDONED
    body = answers(1) if name == "release_log" else {"position": 1}
    if phone_clock is not None:
        body["phone_time"] = ms(timezone.now() - timedelta(hours=13, minutes=5) + phone_clock)
    response = send(owner_client, name, session, body)
    assert response.status_code == 201, response.content
    release = Release.objects.get(session=session)
    assert release.logged_at == left
    assert release.held_seconds == (30 if name == "release_log" else 0)
    session.refresh_from_db()
    assert session.status == SessionStatus.ABANDONED  # left again, as a late sync leaves it
    assert session.last_activity_at == left  # the moment it was left, still: its length does not grow by the sync
    assert session.room_to_hold() <= (left - session.started_at).total_seconds()
    assert send(owner_client, name, session, body).json()["stored"] == "replay"


@pytest.mark.parametrize("phone_time", ["garbage", "", "-5", "99999999999999999999"])
def test_late_logs_of_an_abandoned_session_hold_no_more_than_it_lived(ready, owner_client, phone_time):
    """A session that lived 10 s, left 13 hours ago: late outbox logs with an unusable clock are stored at the moment
    it was left, and their room is measured to that moment too (it was measured to the sync: four 60 s holds in a
    10 s session)."""
    session = make_running_session(ready, steps=4, hold_seconds=60)
    now = timezone.now()
    started = now - timedelta(hours=13)
    Session.objects.filter(pk=session.pk).update(started_at=started, last_activity_at=started + timedelta(seconds=10))
    owner_client.get("/")  # a page load abandons it
    for position in (1, 2, 3, 4):
        body = answers(position, held_seconds="60", phone_time=phone_time)
        assert send(owner_client, "release_log", session, body).status_code == 201
    session.refresh_from_db()
    held = list(session.releases.order_by("position").values_list("held_seconds", flat=True))
    assert sum(held) <= 10 and held[0] == 10, held


@pytest.mark.parametrize("status", [SessionStatus.COMPLETED, SessionStatus.STOPPED])
def test_an_ended_or_stopped_session_still_refuses_a_new_step_whatever_the_clock(ready, owner_client, status):
    session = left_13_hours_ago(ready)
    Session.objects.filter(pk=session.pk).update(status=status, finished_at=session.last_activity_at)
    response = send(owner_client, "release_log", session, answers(1))
    assert response.status_code == 409
    assert not Release.objects.exists()
    assert Session.objects.get(pk=session.pk).status == status


def test_an_ended_sessions_finish_cannot_be_cleared_nor_its_releases_moved_into_the_future(owner, owner_client):
    """Cleared, an ended session's finish left its length to its last activity, which the start does not move: a start
    moved 19 minutes later left 150 s held in a session of 75 s, its releases ending in the future."""
    start = timezone.now() - timedelta(minutes=20)
    session = make_session(
        owner, started_at=start, finished_at=start + timedelta(minutes=15), status=SessionStatus.COMPLETED
    )
    for position in (1, 2, 3):  # the last ends some 14 minutes in: moved 19 minutes on, past now and its slack
        later = start + timedelta(minutes=10 + position)
        make_release(session, position, held_seconds=50, prescribed_seconds=60, started_at=later)
    local = timezone.localtime(start + timedelta(minutes=19), owner.profile.zone)
    url = reverse("journal:session_edit", args=[session.pk])
    cleared = owner_client.post(url, {"started_at": f"{local:%Y-%m-%dT%H:%M}", "finished_at": "", "notes": ""})
    assert cleared.status_code == 422
    assert "A session that ended keeps a finish time" in cleared.text
    assert "past the present moment" in cleared.text
    session.refresh_from_db()
    assert session.started_at == start and session.finished_at == start + timedelta(minutes=15)


def test_a_not_timed_quick_log_can_be_given_its_seconds_later(ready, owner_client):
    """A quick log left not timed lasts no time (start == end); a correction to 30 s was refused "At most 0 seconds",
    with nothing to tell the person to move the session first. The quick log now takes the hold's own bound, and its
    session is moved to last the corrected hold, as a quick log with seconds does from the start."""
    owner_client.post(QUICK_LOG_URL, quick_data(Point.objects.builtin().first(), held_seconds=""))
    release = Release.objects.get()
    url = reverse("journal:release_edit", args=[release.session.pk, release.pk])
    body = {"side": release.side, "held_seconds": "30", "tender": "true", "pressure": "4", "pain_now": "3", "notes": ""}
    assert owner_client.post(url, body).status_code == 302
    release.refresh_from_db()
    session = release.session
    assert release.held_seconds == 30
    assert (session.finished_at - session.started_at).total_seconds() == 30
    assert release.started_at == release.ended_at - timedelta(seconds=30)
    too_long = {**body, "held_seconds": str(release.prescribed_seconds + 16)}
    assert owner_client.post(url, too_long).status_code == 422  # the hold's own bound still holds
