"""The migration that lets held_seconds be NULL ("not timed") keeps the rev triggers of journal_release (SQLite
rebuilds the table to alter a column, which drops its triggers), both ways; going back, a release not timed counts
its prescribed hold again, as it did before."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from journal.models import Release
from tests.factories import ensure_catalogue, make_release, make_session, make_user, migrate

pytestmark = pytest.mark.django_db(transaction=True)

# Renumbered with the migration at merge.
BEFORE = [("journal", "0012_rev_for_cached_reports")]
AFTER = [("journal", "0013_release_held_seconds_null_when_not_timed")]


def rev_changes_on_update(pk: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE journal_release SET rev = 0 WHERE id = %s", [pk])
        cursor.execute("SELECT rev FROM journal_release WHERE id = %s", [pk])
        return cursor.fetchone()[0] != 0


def test_the_rev_triggers_survive_both_ways_and_not_timed_goes_back_to_the_prescribed_hold():
    ensure_catalogue()  # another transactional test may have flushed it
    user = make_user("not-timed")
    release = make_release(make_session(user), 1, prescribed_seconds=40, held_seconds=None)
    assert rev_changes_on_update(release.pk)
    try:
        migrate(BEFORE)
        assert rev_changes_on_update(release.pk)
        with connection.cursor() as cursor:
            cursor.execute("SELECT held_seconds FROM journal_release WHERE id = %s", [release.pk])
            assert cursor.fetchone()[0] == 40
    finally:
        migrate(AFTER)
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert rev_changes_on_update(release.pk)
    assert Release.objects.get(pk=release.pk).held_seconds == 40
