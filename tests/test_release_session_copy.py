"""Every release carries its session's user and local date (journal 0004), whichever way it was made, and keeps
them when the session moves: the per-point trends read these copies instead of joining the sessions."""

import json
import uuid
from datetime import UTC, date, datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import F, Q
from django.urls import reverse

from journal.backup.export import export_account
from journal.backup.importer import import_account
from journal.models import Release, Session, SessionStatus
from journal.trends import aggregates
from routines.catalogue import ensure_builtin_catalogue
from tests.factories import builtin_point, make_log, make_release, make_session, make_user

pytestmark = pytest.mark.django_db


def out_of_step():
    """Releases whose copies differ from their session (none, ever)."""
    return Release.objects.filter(~Q(user_id=F("session__user_id")) | ~Q(local_date=F("session__local_date")))


def test_runner_quick_log_and_factories_copy_the_session(owner, other_user):
    session = make_log(owner, days=2)[0]
    session.status = SessionStatus.IN_PROGRESS
    session.save(update_fields=["status"])
    fresh = Session.objects.start(other_user, session.routine)
    fresh.log_release(1, held_seconds=30, tender=True)
    Session.objects.quick_log(owner, uuid.uuid4(), builtin_point(), "right", 40, tender=False)
    assert Release.objects.count() > 2 and not out_of_step().exists()
    assert set(Release.objects.for_user(other_user).values_list("session_id", flat=True)) == {fresh.pk}


def test_bulk_creators_copy_the_session(owner):
    session = make_session(owner, started_at=datetime(2026, 3, 1, 9, tzinfo=UTC))
    template = make_release(session, 1)
    copies = [Release(session=session, position=n, point_name="x", side="left", prescribed_seconds=30) for n in (2, 3)]
    Release.objects.bulk_create(copies)
    newcomer = make_user("newcomer")
    import_account(newcomer, json.dumps(export_account(owner)).encode())
    call_command("seed_demo", username="demo", password="demo-pass-123", days=20, seed=3, verbosity=0)
    assert template.local_date == date(2026, 3, 1) and {r.user_id for r in copies} == {owner.pk}
    assert Release.objects.for_user(newcomer).count() == 3
    assert not out_of_step().exists()


def test_moving_a_session_to_another_day_moves_its_releases(owner, owner_client):
    session = make_session(owner, started_at=datetime(2026, 3, 5, 9, tzinfo=UTC), status=SessionStatus.COMPLETED)
    make_release(session, 1, tender=True)
    response = owner_client.post(
        reverse("journal:session_edit", args=[session.pk]),
        {"started_at": "2026-03-08T09:00", "finished_at": "2026-03-08T09:20", "pain_before": "", "pain_after": ""},
    )
    assert response.status_code == 302
    assert set(Release.objects.values_list("local_date", flat=True)) == {date(2026, 3, 8)}
    assert not out_of_step().exists()
    assert aggregates.point_side_stats(owner, date(2026, 3, 5), date(2026, 3, 5)) == []
    assert [r.releases for r in aggregates.point_side_stats(owner, date(2026, 3, 8), date(2026, 3, 8))] == [1]


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_in_existing_releases():
    ensure_builtin_catalogue()  # an earlier transactional test may have flushed the database
    owner = make_user("before-0004")
    make_log(owner, days=3)
    executor = MigrationExecutor(connection)
    executor.migrate([("journal", "0003_runner_idempotency_key")])
    with connection.cursor() as cursor:  # the columns are gone, the releases are still there
        columns = {c.name for c in connection.introspection.get_table_description(cursor, "journal_release")}
        cursor.execute("SELECT COUNT(*) FROM journal_release")
        (count,) = cursor.fetchone()
    assert count > 0 and "local_date" not in columns and "user_id" not in columns
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert Release.objects.count() == count and not out_of_step().exists()
