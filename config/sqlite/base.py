"""Django's SQLite backend, plus `PRAGMA optimize` as each connection closes (every request's, by default).

SQLite keeps no statistics unless asked, and without them its planner cannot tell that a 90-day range is a small
part of ten years of releases: it reads them all. SQLite's documentation recommends running `PRAGMA optimize`
before closing a connection: it analyses only the tables this connection queried whose statistics are missing or
stale (a few milliseconds, now and then), and otherwise costs microseconds.
"""

import contextlib
import sqlite3

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    def _close(self) -> None:
        if self.connection is not None:
            # Only an optimisation: a connection that cannot run it (busy, read-only) closes as before.
            with contextlib.suppress(sqlite3.Error):
                self.connection.execute("PRAGMA optimize")
        super()._close()
