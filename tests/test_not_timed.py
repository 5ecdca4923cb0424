"""A step logged without the timer and with "Seconds held" left empty is stored as not timed (held_seconds None),
never as the prescribed hold: the plain form and the phone's outbox alike, and every place that shows a release
(summary, "Logged so far", detail, the practitioner report, CSV, FHIR, the JSON backup) says "not timed" instead of
a number. Release counts are unchanged: a release not timed is still a release held. The quick log ("I did this at
the gym") does the same with its seconds left empty: not timed, never the point's usual hold."""

import json
import re

import pytest
from django.urls import reverse

from journal.backup.export import export_account
from journal.backup.importer import import_account
from journal.models import Release, Session
from routines.models import Point
from tests.factories import make_running_session, make_user, session_url, time_passes
from tests.test_export_csv import URL as CSV_URL
from tests.test_export_csv import read_csv
from tests.test_fhir_export import URL as FHIR_URL
from tests.test_fhir_export import read_bundle, resources
from tests.test_outbox_replay import OUTBOX, send
from tests.test_practitioner_report import PDF, pages_of
from tests.test_quick_log import URL as QUICK_LOG_URL
from tests.test_quick_log import data as quick_data
from tests.test_runner import answers

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def logged_untimed(client, user, steps: int = 2) -> Session:
    """A session (holds of 40 s) whose step 1 was logged with a plain POST, "Seconds held" left empty, and step 2
    held for 35 s by the timer."""
    session = make_running_session(user, steps=steps, hold_seconds=40)
    response = client.post(session_url("release_log", session), answers(1, held_seconds="", stopped_early="on"))
    assert response.status_code == 302
    return session


def finished(client, user) -> Session:
    session = time_passes(logged_untimed(client, user))  # step 2's 35 s fit in the time the session has lasted
    session.log_release(2, held_seconds=35, tender=True, pressure=4, pain_now=3)
    session.finish(pain_after=3)
    return session


def test_the_log_form_says_what_empty_seconds_mean(ready, owner_client):
    session = make_running_session(ready, hold_seconds=40)
    page = owner_client.get(session_url("session_run", session)).content.decode()
    assert "or leave it empty: the step is then logged as not timed." in page
    assert "held for the full" not in page


def test_a_plain_post_with_empty_seconds_stores_not_timed(ready, owner_client):
    session = logged_untimed(owner_client, ready)
    release = Release.objects.get(session=session, position=1)
    assert release.held_seconds is None and release.started_at is None
    assert release.ended_at is not None and release.prescribed_seconds == 40
    assert release.stopped_early and not release.skipped


def test_seconds_typed_without_the_timer_are_kept(ready, owner_client):
    session = make_running_session(ready, hold_seconds=40)
    session.started_at = session.started_at.replace(year=session.started_at.year - 1)  # old enough for 25 s
    session.save()
    owner_client.post(session_url("release_log", session), answers(1, held_seconds="25"))
    assert Release.objects.get(session=session).held_seconds == 25


def test_empty_seconds_after_a_hold_the_server_saw_keep_the_servers_figure(ready, owner_client):
    session = make_running_session(ready, hold_seconds=40)
    owner_client.post(reverse("journal:hold_start", args=[session.pk]), {"position": 1})
    owner_client.post(session_url("release_log", session), answers(1, held_seconds=""))
    held = Release.objects.get(session=session).held_seconds
    assert held is not None and held <= 1  # timed by the server (a moment), not "not timed"


def test_the_outbox_stores_not_timed_too(ready, owner_client):
    session = make_running_session(ready, hold_seconds=40)
    response = send(owner_client, "release_log", session, answers(1, held_seconds=""))
    assert response.status_code == 201 and response.json()["stored"] == "created"
    assert Release.objects.get(session=session).held_seconds is None
    again = send(owner_client, "release_log", session, answers(1, held_seconds=""))
    assert again.json()["stored"] == "replay" and Release.objects.count() == 1


def test_logged_so_far_says_not_timed(ready, owner_client, htmx_headers):
    session = logged_untimed(owner_client, ready)
    page = text_of(owner_client.get(session_url("session_run", session)))
    assert "Logged so far (1 held)" in page
    assert "1. Left sole, behind the ball of the foot: not timed, tender, pressure 5, pain 4, stopped early" in page
    partial = text_of(owner_client.get(reverse("journal:session_logged", args=[session.pk]), headers=htmx_headers))
    assert ": not timed, tender" in partial


def test_the_summary_and_the_detail_say_not_timed(ready, owner_client):
    session = finished(owner_client, ready)
    summary = text_of(owner_client.get(reverse("journal:session_summary", args=[session.pk])))
    assert "not timed (plan: 40 s) (stopped early: it hurt)" in summary
    assert "35 of 40 s" in summary and "40 of 40 s" not in summary
    assert "You held 2 points." in summary  # counted as a release held, as before
    detail = text_of(owner_client.get(reverse("journal:session_detail", args=[session.pk])))
    assert "Not timed (plan: 40 s), stopped early because it hurt" in detail
    assert "40 s of 40 s" not in detail


def test_the_practitioner_report_says_not_timed(ready, owner_client):
    finished(owner_client, ready)
    text = " ".join(pages_of(owner_client.get(PDF, {"releases": "all"}).content))
    every = text[text.index("Every release of the latest sessions") :]
    assert "not timed, stopped early" in every and "35 s" in every
    assert "40 s" not in every


def test_csv_leaves_the_seconds_empty_and_says_not_timed(ready, owner_client):
    session = finished(owner_client, ready)
    session.releases.create(
        position=3, point_name="Calf", side="left", prescribed_seconds=40, held_seconds=0, skipped=True
    )
    rows = read_csv(owner_client.get(CSV_URL))
    assert [(r["position"], r["held_seconds"], r["held_timing"]) for r in rows] == [
        ("1", "", "not timed"),
        ("2", "35", ""),
        ("3", "0", ""),
    ]
    assert rows[0]["held_timing"] == "not timed" and rows[0]["prescribed_seconds"] == "40"


def test_csv_row_of_a_session_without_a_release_has_no_timing(ready, owner_client):
    make_running_session(ready).finish(pain_after=2)
    (row,) = read_csv(owner_client.get(CSV_URL))
    assert (row["position"], row["held_seconds"], row["held_timing"]) == ("", "", "")


def test_fhir_notes_say_not_timed_and_the_period_stays_in_order(ready, owner_client):
    session = finished(owner_client, ready)
    procedures = resources(read_bundle(owner_client.get(FHIR_URL)), "Procedure")
    notes = [[n["text"] for n in p["note"]] for p in procedures]
    assert notes[0][0] == "Not timed: logged without the timer and no seconds given (40 s prescribed)."
    assert notes[1][0] == "Held 35 s of 40 s prescribed."
    period = procedures[0]["performedPeriod"]
    assert period["start"] <= period["end"]
    assert period["start"].startswith(session.started_at.strftime("%Y-%m-%dT"))


def test_the_json_backup_round_trips_not_timed(ready, owner_client):
    finished(owner_client, ready)
    first = export_account(ready)
    assert [r["held_seconds"] for s in first["sessions"] for r in s["releases"]] == [None, 35]
    newcomer = make_user("newcomer")
    report = import_account(newcomer, json.dumps(first).encode())
    assert report.releases == 2
    assert list(Release.objects.for_user(newcomer).values_list("held_seconds", flat=True)) == [None, 35]
    second = export_account(newcomer)
    first.pop("exported_at"), second.pop("exported_at")
    assert second == first


def test_a_correction_may_leave_the_seconds_empty(ready, owner_client):
    session = finished(owner_client, ready)
    timed = session.releases.get(position=2)
    url = reverse("journal:release_edit", args=[session.pk, timed.pk])
    data = {"side": "left", "held_seconds": "", "tender": "true", "pressure": "4", "pain_now": "3", "notes": ""}
    assert owner_client.post(url, data).status_code == 302
    timed.refresh_from_db()
    assert timed.held_seconds is None
    assert owner_client.post(url, data | {"skipped": "on"}).status_code == 302
    timed.refresh_from_db()
    assert (timed.skipped, timed.held_seconds) == (True, 0)  # a skipped step holds 0 s, not "not timed"


@pytest.fixture
def gym(owner):
    """The owner, safety notice acknowledged (the quick log needs it), and the point they log: its usual hold."""
    owner.profile.acknowledge_safety()
    return Point.objects.builtin().get(slug="glute-top")


def test_the_quick_log_form_says_empty_seconds_are_not_timed(gym, owner_client):
    page = text_of(owner_client.get(QUICK_LOG_URL))
    assert "Leave it empty if you did not time it: the release is then logged as not timed." in page
    assert "usual hold" not in page


def test_a_quick_log_with_empty_seconds_stores_not_timed_and_says_so(owner, gym, owner_client):
    usual = gym.default_hold_seconds
    response = owner_client.post(QUICK_LOG_URL, quick_data(gym, held_seconds=""))
    assert response.status_code == 302
    release = Release.objects.get()
    assert release.held_seconds is None and release.prescribed_seconds == usual
    session = release.session
    summary = text_of(owner_client.get(reverse("journal:session_summary", args=[session.pk])))
    # No "plan" for a quick log: the person planned nothing, the point's usual hold is only kept as the figure.
    assert "not timed" in summary and "plan:" not in summary and f"{usual} of {usual} s" not in summary
    assert "your leg pain after the hold is with the release below" in summary
    assert "No leg pain ratings" not in summary
    detail = text_of(owner_client.get(reverse("journal:session_detail", args=[session.pk])))
    assert "Not timed" in detail and "plan:" not in detail and f"{usual} s of {usual} s" not in detail
    listing = text_of(owner_client.get(reverse("journal:session_list")))
    assert "1 held" in listing and f"{usual} s" not in listing  # counted as a release held; no seconds claimed
    (row,) = read_csv(owner_client.get(CSV_URL))
    assert (row["held_seconds"], row["held_timing"], row["prescribed_seconds"]) == ("", "not timed", str(usual))
    text = " ".join(pages_of(owner_client.get(PDF, {"releases": "all"}).content))
    every = text[text.index("Every release of the latest sessions") :]
    assert "not timed" in every and f"{usual} s" not in every


def test_a_quick_log_keeps_the_seconds_typed(gym, owner_client):
    owner_client.post(QUICK_LOG_URL, quick_data(gym, held_seconds="25"))
    release = Release.objects.get()
    assert (release.held_seconds, release.prescribed_seconds) == (25, 25)


def test_a_replayed_quick_log_not_timed_makes_no_second_row(gym, owner_client):
    body = quick_data(gym, held_seconds="")
    assert [owner_client.post(QUICK_LOG_URL, body).status_code for _ in range(3)] == [302, 302, 302]
    outbox = quick_data(gym, held_seconds="")
    assert owner_client.post(QUICK_LOG_URL, outbox, headers=OUTBOX).json()["stored"] == "created"
    assert owner_client.post(QUICK_LOG_URL, outbox, headers=OUTBOX).json()["stored"] == "replay"
    assert Session.objects.count() == 2
    assert list(Release.objects.values_list("held_seconds", flat=True)) == [None, None]


def test_a_quick_logs_leg_pain_is_shown_as_the_one_after_its_hold(owner, gym, owner_client):
    """A quick log asks only for the leg pain after the hold: its session page said "not recorded → not recorded"
    and the report's log "leg pain – → –", as if the person had given none."""
    owner_client.post(QUICK_LOG_URL, quick_data(gym, held_seconds="30", pain_now="6"))
    session = Release.objects.get().session
    detail = text_of(owner_client.get(reverse("journal:session_detail", args=[session.pk])))
    assert "not recorded → not recorded" not in detail and "the leg pain after the hold is with the release" in detail
    text = " ".join(pages_of(owner_client.get(PDF).content))
    assert "leg pain after the hold 6" in text and "leg pain – → –" not in text
