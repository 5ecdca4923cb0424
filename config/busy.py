"""Writes that a page which only reads may skip: a bookkeeping update (a share link's open counter, abandoning
stale sessions) must never make the page wait for, or fail on, a database busy with someone else's long write."""

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import DatabaseError, OperationalError, connection, transaction

logger = logging.getLogger(__name__)

SKIPPABLE_WAIT_MS = 250  # how long a skippable write may wait for a lock before it is skipped


@contextmanager
def _short_lock_wait(wait_ms: int) -> Iterator[None]:
    """Lets the statements inside wait at most `wait_ms` for a lock (SQLite: the database's write lock;
    PostgreSQL: a row or table lock), then raise OperationalError instead of waiting the full busy timeout."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        raw = connection.connection
        previous = raw.execute("PRAGMA busy_timeout").fetchone()[0]
        raw.execute(f"PRAGMA busy_timeout = {int(wait_ms)}")
        try:
            yield
        finally:
            raw.execute(f"PRAGMA busy_timeout = {int(previous)}")
    elif connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = %s", [f"{int(wait_ms)}ms"])
            yield
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        yield


def write_unless_busy(write: Callable[[], object], what: str, wait_ms: int = SKIPPABLE_WAIT_MS) -> bool:
    """Runs `write()` if the database lets it within `wait_ms`; otherwise skips it (logged) and returns False.
    Only for writes that may be lost without harm: the caller's page must not depend on them."""
    try:
        with _short_lock_wait(wait_ms):
            write()
    except OperationalError as error:
        logger.warning("Skipped %s: the database is busy (%s)", what, error)
        return False
    except DatabaseError as error:  # PostgreSQL's lock timeout ("canceling statement due to lock timeout")
        if "lock" not in str(error).lower():
            raise
        logger.warning("Skipped %s: the database is busy (%s)", what, error)
        return False
    return True
