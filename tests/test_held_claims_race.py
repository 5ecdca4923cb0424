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
from tests.test_never_twice import THREADS, at_once

pytestmark = pytest.mark.django_db(transaction=True)


def test_corrections_sent_at_once_never_claim_more_than_the_session_lasted(owner, monkeypatch):
    ensure_catalogue()
    start = timezone.now() - timedelta(days=1)
    session = make_session(
        owner, started_at=start, finished_at=start + timedelta(seconds=60), status=SessionStatus.COMPLETED
    )
    releases = [make_release(session, n, held_seconds=0, prescribed_seconds=45) for n in range(1, THREADS + 1)]
    room_to_hold = Session.room_to_hold

    def slow_room(self, *args, **kwargs):
        # Every request reads the room before any has saved, unless the lock makes them take turns.
        room = room_to_hold(self, *args, **kwargs)
        time.sleep(0.3)
        return room

    monkeypatch.setattr(Session, "room_to_hold", slow_room)

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
