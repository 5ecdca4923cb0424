"""Pages that only read never wait for, nor fail on, a database busy with someone else's write: the share page's
open counter and the dashboard's and runner's abandoning of stale sessions are skipped when they cannot get their
lock at once. Another thread holds the lock (SQLite: the database's write lock; PostgreSQL: the row's)."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from journal.models import Session, SessionStatus, ShareLink
from tests.factories import make_running_session
from tests.test_share_links import BROWSER, make_link, view_url

pytestmark = pytest.mark.django_db(transaction=True)


class HeldLock:
    """Holds a write transaction on another connection (locking `rows`) until the block ends."""

    def __init__(self, rows):
        self.rows = rows
        self.ready, self.done = threading.Event(), threading.Event()
        self.thread = threading.Thread(target=self._hold, daemon=True)

    def _hold(self) -> None:
        try:
            with transaction.atomic():
                # SQLite: BEGIN IMMEDIATE has taken the database's write lock; PostgreSQL: the rows are locked.
                list(self.rows.select_for_update())
                self.ready.set()
                self.done.wait(30)
        finally:
            connection.close()

    def __enter__(self):
        self.thread.start()
        assert self.ready.wait(10)
        return self

    def __exit__(self, *exc):
        self.done.set()
        self.thread.join(10)


def test_the_share_page_answers_at_once_while_its_link_is_locked(owner, client):
    link, token = make_link(owner)
    with HeldLock(ShareLink.objects.filter(pk=link.pk)):
        started = time.perf_counter()
        response = client.get(view_url(token), headers={"User-Agent": BROWSER})
        elapsed = time.perf_counter() - started
    assert response.status_code == 200
    assert elapsed < 5, elapsed  # the busy timeout is 20 s
    link.refresh_from_db()
    assert link.times_opened == 0  # skipped, not queued
    client.get(view_url(token), headers={"User-Agent": BROWSER})
    link.refresh_from_db()
    assert link.times_opened == 1


def _stale_session(owner) -> Session:
    session = make_running_session(owner)
    Session.objects.filter(pk=session.pk).update(last_activity_at=timezone.now() - timedelta(days=2))
    return session


def test_the_dashboard_answers_at_once_while_a_stale_session_is_locked(owner, client):
    client.force_login(owner, backend="django.contrib.auth.backends.ModelBackend")
    session = _stale_session(owner)
    with HeldLock(Session.objects.filter(pk=session.pk)):
        started = time.perf_counter()
        response = client.get(reverse("home"))
        elapsed = time.perf_counter() - started
    assert response.status_code == 200 and elapsed < 5, elapsed
    client.get(reverse("home"))
    session.refresh_from_db()
    assert session.status == SessionStatus.ABANDONED  # the next load did it


def test_the_runner_page_answers_while_a_stale_session_is_locked(owner, client):
    client.force_login(owner, backend="django.contrib.auth.backends.ModelBackend")
    stale = _stale_session(owner)
    current = make_running_session(owner)
    with HeldLock(Session.objects.filter(pk=stale.pk)):
        started = time.perf_counter()
        response = client.get(reverse("journal:session_run", args=[current.pk]))
        elapsed = time.perf_counter() - started
    assert response.status_code == 200 and elapsed < 5, elapsed


def test_reading_pages_write_nothing_when_nothing_is_stale(owner, client, django_assert_max_num_queries):
    from django.test.utils import CaptureQueriesContext

    client.force_login(owner, backend="django.contrib.auth.backends.ModelBackend")
    make_running_session(owner)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE"))]
    assert not [sql for sql in writes if "journal_session" in sql], writes
