""" "Never twice" under real concurrency: threads, each with its own connection, hit the same promise at once.

Each promise is backed by the database: a unique constraint (the quick log's form key, one release per session
position, the import's natural keys through the account lock) or the account lock (`accounts.models.lock_account`:
PostgreSQL's row lock, SQLite's IMMEDIATE write lock) around a check-then-insert ("Start").
"""

import json
import threading
import time
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

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


def lingering(monkeypatch, owner: type, name: str, *, after: bool = False, seconds: float = 0.3) -> None:
    """Makes `owner.name` linger `seconds` before it runs (or, `after`, once it has run), so that the threads of
    `at_once` all reach it before any gets past it: without a lock between them, the race then happens every time."""
    original = getattr(owner, name)

    def slow(self, *args, **kwargs):
        if not after:
            time.sleep(seconds)
        result = original(self, *args, **kwargs)
        if after:
            time.sleep(seconds)
        return result

    monkeypatch.setattr(owner, name, slow)


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


def test_four_simultaneous_start_fresh_posts_set_aside_the_old_session_and_make_one_new(ready):
    ensure_builtin_catalogue()
    routine = make_routine(owner=ready, steps=2)
    old = Session.objects.start(ready, routine, now=timezone.now() - timedelta(minutes=2))
    url = reverse("journal:session_start", args=[routine.pk])

    def tap(_i: int) -> str:
        client = Client(raise_request_exception=True)
        client.force_login(ready, backend="django.contrib.auth.backends.ModelBackend")
        return client.post(url, {"fresh": "yes"})["Location"]

    landed = at_once(tap)
    old.refresh_from_db()
    assert old.status == SessionStatus.ABANDONED
    assert Session.objects.filter(user=ready, status=SessionStatus.ABANDONED).count() == 1  # only the old one
    new = Session.objects.get(user=ready, status=SessionStatus.IN_PROGRESS)
    assert set(landed) == {reverse("journal:session_run", args=[new.pk])}


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


def signed_in_client(user) -> Client:
    client = Client(raise_request_exception=True)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_four_simultaneous_copy_posts_make_one_copy(ready):
    """ "Copy" posts nothing but its URL (the safety notice replays it), so it works like "Start": under the account
    lock each post finds the unchanged copy the first one made."""
    from routines.models import Routine

    ensure_builtin_catalogue()
    source = Routine.objects.builtin().first()
    url = reverse("routines:routine_copy", args=[source.pk])
    statuses = at_once(lambda _i: signed_in_client(ready).post(url).status_code)
    assert statuses == [302] * THREADS
    assert Routine.objects.filter(owner=ready, copied_from=source).count() == 1


def test_a_changed_copy_is_not_reused_by_a_later_copy(ready):
    from routines.models import Routine

    ensure_builtin_catalogue()
    source = Routine.objects.builtin().first()
    first, created = source.copy_for(ready)
    assert created and source.copy_for(ready) == (first, False)
    first.name = "Mine now"
    first.save()
    second, created = source.copy_for(ready)
    assert created and second != first


@pytest.mark.parametrize("kind", ["share", "reminder"])
def test_four_simultaneous_posts_of_one_form_make_one_link(ready, kind):
    """The share link and reminder forms carry a one-time key, unique per user in the database: one row, and every
    answer shows an address (the repeats give that row a new one; the last one given is the one that works)."""
    import re

    from journal.models import Reminder, ShareLink
    from journal.tokens import hash_token
    from routines.models import Routine
    from tests.factories import form_key

    ensure_builtin_catalogue()
    key = form_key()
    if kind == "share":
        model, url, data = ShareLink, reverse("journal:share_list"), {"label": "Physio", "expires_in_days": 7}
    else:
        routine = Routine.objects.builtin().first()
        model, url = Reminder, reverse("journal:reminder_list")
        data = {"routine": routine.pk, "weekdays": [0, 2], "time_of_day": "07:30", "duration_minutes": 15}

    def post(_i: int) -> tuple[int, str]:
        response = signed_in_client(ready).post(url, {**data, "key": key})
        token = re.search(r'value="http://testserver/journal/[a-z]+/([A-Za-z0-9_-]+)', response.content.decode())
        return response.status_code, token.group(1)

    results = at_once(post)
    assert sorted(status for status, _ in results) == [200] * (THREADS - 1) + [201]
    assert model.objects.filter(user=ready).count() == 1
    assert model.objects.get(user=ready).token_hash in {hash_token(token) for _, token in results}


def test_a_burst_of_throttled_tries_never_exceeds_the_limit():
    from datetime import timedelta

    from accounts.models import ThrottleHit

    limit = 2
    allowed = at_once(lambda _i: ThrottleHit.objects.allow("burst", "address:1", limit, timedelta(minutes=5)), 6)
    assert allowed.count(True) == limit
    assert ThrottleHit.objects.filter(scope="burst").count() == limit


def test_simultaneous_sign_ups_of_one_username_in_any_case_make_one_account():
    from django.contrib.auth.models import User

    from tests.test_signup import URL, form

    names = ["samrace", "SAMRACE", "samrace", "SamRace"]

    def sign_up(i: int) -> int:
        response = Client(raise_request_exception=True).post(URL, form(username=names[i]))
        return response.status_code

    statuses = at_once(sign_up)
    assert sorted(statuses) == [302] + [422] * (THREADS - 1), statuses
    assert User.objects.filter(username__iexact="samrace").count() == 1
