"""config/sqlite: a connection that closes (at the end of every request) leaves the planner statistics behind."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from journal.trends import aggregates
from routines.catalogue import ensure_builtin_catalogue
from tests.factories import make_log

pytestmark = [
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only: PostgreSQL's autovacuum analyses"),
    pytest.mark.django_db(transaction=True),
]


def analysed_indexes() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            return set()
        cursor.execute("SELECT idx FROM sqlite_stat1 WHERE tbl = 'journal_release'")
        return {idx for (idx,) in cursor.fetchall()}


@pytest.fixture
def no_statistics():
    def forget():
        if analysed_indexes():
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM sqlite_stat1")
        connection.close()

    forget()
    yield
    forget()  # later tests start from a database without statistics, as before


def test_closing_the_connection_analyses_the_tables_it_queried(owner, no_statistics):
    ensure_builtin_catalogue()  # an earlier transactional test may have flushed the database
    make_log(owner, days=5)
    today = timezone.localdate()
    aggregates.point_side_stats(owner, today - timedelta(days=3), today)
    assert "release_user_point_side" not in analysed_indexes()
    connection.close()
    assert "release_user_point_side" in analysed_indexes()
