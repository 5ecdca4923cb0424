"""Tenderspot's SQLite backend (see base.py) and the one set of options every SQLite database it runs on gets."""

from pathlib import Path
from typing import Any


def sqlite_database(path: str | Path) -> dict[str, Any]:
    """The DATABASES entry for the SQLite file at `path`: this backend (`PRAGMA optimize` on close), WAL, IMMEDIATE
    transactions and a busy timeout. The default database and `DATABASE_URL=sqlite:///...` both use it, so the
    concurrency guarantees the README states hold whichever way SQLite was chosen."""
    return {
        "ENGINE": "config.sqlite",
        "NAME": path,
        "OPTIONS": {
            # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at BEGIN so that
            # concurrent writers queue for `timeout` seconds instead of failing with "database is locked".
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }


def is_sqlite(entry: dict[str, Any]) -> bool:
    return entry.get("ENGINE") in {"django.db.backends.sqlite3", "config.sqlite"}
