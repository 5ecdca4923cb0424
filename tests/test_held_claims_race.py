"""Corrections of a session's releases sent at once never make them claim more held seconds (sum) than the session
lasted: each is validated and saved with the session's row locked (`journal.history.views._saved_under_lock`)."""

import time
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from journal.models import Session, SessionStatus
from tests.factories import ensure_catalogue, make_release, make_session
from tests.test_never_twice import THREADS, at_once, lingering

pytestmark = pytest.mark.django_db(transaction=True)


def test_corrections_sent_at_once_never_claim_more_than_the_session_lasted(owner, monkeypatch):
    ensure_catalogue()
    start = timezone.now() - timedelta(days=1)
    session = make_session(
        owner, started_at=start, finished_at=start + timedelta(seconds=60), status=SessionStatus.COMPLETED
    )
    releases = [make_release(session, n, held_seconds=0, prescribed_seconds=45) for n in range(1, THREADS + 1)]
    # Every request reads the room before any has saved, unless the lock makes them take turns.
    lingering(monkeypatch, Session, "room_to_hold", after=True)

    def correct(i: int) -> int:
        client = Client(raise_request_exception=True)
        client.force_login(owner, backend="django.contrib.auth.backends.ModelBackend")
        release = releases[i]
        url = reverse("journal:release_edit", args=[session.pk, release.pk])
        body = {"side": release.side, "held_seconds": "30", "tender": "true", "notes": ""}
        return client.post(url, body).status_code

    codes = at_once(correct)
    assert sorted(codes) == [302, 302, 422, 422]
    assert session.held_seconds_claimed() == 60


def client_of(user) -> Client:
    client = Client(raise_request_exception=True)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.mark.parametrize("ending", ["finish", "red flag"])
def test_an_edit_at_the_moment_of_a_finish_or_red_flag_stop_never_undoes_it(ready, monkeypatch, ending):
    """The session page's edit saved a copy of the session read before a finish or a red-flag stop committed: the
    status, the red flag and the finish went back, and steps could be logged again. The edit now reads the session
    under its lock and saves only its own fields. Its validation lingers here, so the race happens every time."""
    from journal.history.forms import SessionForm
    from tests.factories import make_running_session
    from tests.test_runner import answers

    ensure_catalogue()
    session = make_running_session(ready, steps=3)
    lingering(monkeypatch, SessionForm, "clean")
    edit_url = reverse("journal:session_edit", args=[session.pk])

    def act(i: int) -> int:
        client = client_of(ready)
        if i == 0:
            return client.post(edit_url, {"pain_before": "6", "notes": "edited"}).status_code
        time.sleep(0.1)  # the edit has read the session
        if ending == "finish":
            return client.post(reverse("journal:session_finish", args=[session.pk]), {"pain_after": "2"}).status_code
        check = reverse("journal:session_check", args=[session.pk])
        return client.post(check, {"pain_before": "6", "rf_both_legs": "yes"}).status_code

    at_once(act, 2)
    session.refresh_from_db()
    assert session.status == (SessionStatus.COMPLETED if ending == "finish" else SessionStatus.STOPPED)
    assert session.notes == "edited" or session.notes == ""
    late = client_of(ready).post(reverse("journal:release_log", args=[session.pk]), answers(1))
    assert late.status_code == 302 and not session.releases.exists()


def test_a_finish_moved_while_a_release_is_corrected_never_leaves_more_held_than_lasted(owner, monkeypatch):
    """Shortening an ended session and raising a release's seconds at once both passed their checks, each on the
    figures before the other (85 s held in a 60 s session). Both now take turns under the session's lock."""
    from journal.history.forms import SessionForm

    ensure_catalogue()
    start = timezone.now() - timedelta(days=1)
    session = make_session(
        owner, started_at=start, finished_at=start + timedelta(seconds=1800), status=SessionStatus.COMPLETED
    )
    first = make_release(session, 1, held_seconds=30, prescribed_seconds=45)
    make_release(session, 2, held_seconds=30, prescribed_seconds=45)
    lingering(monkeypatch, SessionForm, "clean", after=True)
    local = timezone.localtime(start, owner.profile.zone)

    def act(i: int) -> int:
        client = client_of(owner)
        if i == 0:
            body = {
                "started_at": f"{local:%Y-%m-%dT%H:%M}",
                "finished_at": f"{local + timedelta(seconds=60):%Y-%m-%dT%H:%M}",
                "notes": "",
            }
            return client.post(reverse("journal:session_edit", args=[session.pk]), body).status_code
        time.sleep(0.1)
        url = reverse("journal:release_edit", args=[session.pk, first.pk])
        return client.post(url, {"side": first.side, "held_seconds": "55", "tender": "true", "notes": ""}).status_code

    at_once(act, 2)
    session.refresh_from_db()
    lasted = (session.finished_at - session.started_at).total_seconds()
    assert session.held_seconds_claimed() <= lasted
