"""An import writes in short transactions: other users' writes keep working while it runs, each waiting about a
second at most (SQLite holds one write lock for the whole database; the import lets go of it after every batch)."""

import json
import statistics
import threading
import time

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from journal.backup.export import export_account
from journal.backup.importer import import_account
from journal.models import Session
from routines.catalogue import ensure_builtin_catalogue
from tests.factories import make_user

pytestmark = pytest.mark.django_db(transaction=True)
# "About a second": one batch plus the busy handler's last sleep, with room for a loaded CI machine (1.7 s was seen
# with a load average of 17 on two cores); the benchmark holds 1.5 s.
WAIT_GOAL_SECONDS = 2.0


def write_for(user) -> float:
    """One small write of another user (a session row in its own transaction); returns its seconds."""
    started = time.perf_counter()
    with transaction.atomic():
        now = timezone.now()
        Session.objects.create(user=user, routine_name="Other", started_at=now, last_activity_at=now, local_date=now)
    return time.perf_counter() - started


def test_other_users_keep_writing_during_an_import():
    ensure_builtin_catalogue()
    call_command("seed_demo", username="heavy", password="demo-pass-123", days=900, seed=3)
    payload = json.dumps(export_account(get_user_model().objects.get(username="heavy"))).encode()
    importer, other = make_user("importer"), make_user("other")
    errors: list[BaseException] = []
    done = threading.Event()

    def run() -> None:
        try:
            import_account(importer, payload)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()
            done.set()

    thread = threading.Thread(target=run)
    thread.start()
    waits = []
    while not done.is_set():
        waits.append(write_for(other))
        time.sleep(0.02)
    thread.join()
    assert not errors, errors
    assert Session.objects.filter(user=importer).count() == Session.objects.filter(user__username="heavy").count()
    assert len(waits) >= 5, "the import ended before the writes could measure it"
    print(f"\nwrites during the import: {len(waits)}, median {statistics.median(waits):.3f} s, max {max(waits):.3f} s")
    assert max(waits) < WAIT_GOAL_SECONDS
