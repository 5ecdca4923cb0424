"""Django's SQLite backend, plus `PRAGMA optimize` as each connection closes (every request's, by default).

SQLite keeps no statistics unless asked, and without them its planner cannot tell that a 90-day range is a small
part of ten years of releases: it reads them all. SQLite's documentation recommends running `PRAGMA optimize`
before closing a connection: it analyses only the tables this connection queried whose statistics are missing or
stale (a few milliseconds, now and then), and otherwise costs microseconds.
"""

import contextlib
import os
import sqlite3
from pathlib import Path
from typing import Any

from django.db.backends.sqlite3 import base

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def make_private(database: Path) -> None:
    """Creates the database file (and its folder) for the owner only, before SQLite opens it: SQLite gives the
    -wal and -shm files it makes the main file's permissions. Files already there are narrowed to the owner."""
    if not database.parent.exists():
        database.parent.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    if not database.exists():
        os.close(os.open(database, os.O_CREAT | os.O_WRONLY, PRIVATE_FILE))
    for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm"), Path(f"{database}-journal")):
        with contextlib.suppress(FileNotFoundError):
            if path.stat().st_mode & 0o077:
                path.chmod(PRIVATE_FILE)


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params: dict[str, Any]) -> sqlite3.Connection:
        name = str(conn_params.get("database", ""))
        if name and name != ":memory:" and not name.startswith("file:"):
            make_private(Path(name))
        connection: sqlite3.Connection = super().get_new_connection(conn_params)
        return connection

    def _close(self) -> None:
        if self.connection is not None:
            # Only an optimisation: a connection that cannot run it (busy, read-only) closes as before.
            with contextlib.suppress(sqlite3.Error):
                self.connection.execute("PRAGMA optimize")
        super()._close()  # type: ignore[misc]  # django-stubs leave out this private hook
