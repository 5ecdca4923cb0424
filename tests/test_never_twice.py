""" "Never twice" under real concurrency: threads, each with its own connection, hit the same promise at once.

Each promise is backed by the database: a unique constraint (the quick log's form key, one release per session
position, the import's natural keys through the account lock) or the account lock (`accounts.models.lock_account`:
PostgreSQL's row lock, SQLite's IMMEDIATE write lock) around a check-then-insert ("Start").
"""

import json
import threading
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from journal.models import Release, Session, SessionStatus
from routines.catalogue import ensure_builtin_catalogue
from routines.models import Point
from tests.factories import make_routine, make_running_session

pytestmark = pytest.mark.django_db(transaction=True)
THREADS = 4


def at_once(work, count: int = THREADS) -> list:
    """Runs `work(i)` in `count` threads released together; returns their results (re-raises the first error)."""
    barrier = threading.Barrier(count)
    results: list = [None] * count
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    if errors:
        raise errors[0]
    return results


def test_four_simultaneous_start_posts_make_one_session(ready):
    ensure_builtin_catalogue()
    routine = make_routine(owner=ready, steps=2)
    url = reverse("journal:session_start", args=[routine.pk])

    def tap(_i: int) -> int:
        client = Client(raise_request_exception=True)
        client.force_login(ready, backend="django.contrib.auth.backends.ModelBackend")
        return client.post(url).status_code

    assert at_once(tap) == [302] * THREADS
    assert Session.objects.filter(user=ready, status=SessionStatus.IN_PROGRESS).count() == 1


def test_four_simultaneous_quick_logs_with_one_key_make_one_session(owner):
    ensure_builtin_catalogue()
    point = Point.objects.builtin().first()
    key = uuid.uuid4()
    results = at_once(lambda _i: Session.objects.quick_log(owner, key, point, "left", 30)[1])
    assert sorted(results) == [False] * (THREADS - 1) + [True]
    assert Session.objects.filter(user=owner).count() == 1 and Release.objects.for_user(owner).count() == 1


def test_four_simultaneous_logs_of_one_step_store_one_release(owner):
    ensure_builtin_catalogue()
    session = make_running_session(owner, steps=3)
    results = at_once(lambda _i: Session.objects.get(pk=session.pk).log_release(1, held_seconds=20)[1])
    assert sorted(results) == [False] * (THREADS - 1) + [True]
    assert session.releases.count() == 1


def test_two_simultaneous_imports_of_one_file_add_it_once(owner):
    """Each batch checks its natural keys and inserts under the account lock: the second import finds the first
    one's rows instead of doubling them (on PostgreSQL it doubled every session before)."""
    from journal.backup.export import export_account
    from journal.backup.importer import import_account
    from tests.factories import make_log, make_user
    from tests.test_export_json import account_counts, build_account

    ensure_builtin_catalogue()
    source = make_user("source")
    build_account(source)
    make_log(source, days=30)
    payload = json.dumps(export_account(source)).encode()
    reports = at_once(lambda _i: import_account(owner, payload), count=2)
    assert account_counts(owner) == account_counts(source)
    assert sum(r.sessions for r in reports) == Session.objects.filter(user=source).count()
    assert sum(r.points for r in reports) == 1 and sum(r.routines for r in reports) == 1
