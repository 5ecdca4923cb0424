"""The SQLite database (with its -wal and -shm files), var/ and the generated secret key are the owner's only."""

import os
import stat

import pytest
from django.db.utils import ConnectionHandler

from config.env import secret_key


def sqlite_connection(database, options=None):
    """A connection of the app's SQLite backend to `database`, outside the test database's settings."""
    handler = ConnectionHandler({"default": {"ENGINE": "config.sqlite", "NAME": database, "OPTIONS": options or {}}})
    return handler["default"]


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def open_umask():
    """The usual umask (022), under which files are created readable by everyone unless the app says otherwise."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_a_new_sqlite_database_and_its_wal_files_are_owner_only(tmp_path, open_umask, django_db_blocker):
    database = tmp_path / "var" / "tenderspot.sqlite3"
    options = {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE", "timeout": 5}
    connection = sqlite_connection(database, options)
    try:
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute("CREATE TABLE t (x integer)")
            cursor.execute("INSERT INTO t VALUES (1)")
        assert mode(database.parent) == 0o700
        for path in (database, f"{database}-wal", f"{database}-shm"):
            assert mode(path) == 0o600, path
    finally:
        connection.close()


def test_an_existing_world_readable_database_is_narrowed(tmp_path, open_umask, django_db_blocker):
    database = tmp_path / "old.sqlite3"
    database.touch(mode=0o644)
    connection = sqlite_connection(database)
    try:
        with django_db_blocker.unblock():
            connection.ensure_connection()
        assert mode(database) == 0o600
    finally:
        connection.close()


def test_the_generated_secret_key_is_owner_only(tmp_path, open_umask, monkeypatch):
    monkeypatch.delenv("DJANGO_SECRET_KEY", raising=False)
    key_file = tmp_path / "var" / "secret_key"
    key = secret_key(True, key_file)
    assert len(key) > 40 and mode(key_file) == 0o600 and mode(key_file.parent) == 0o700
    assert secret_key(True, key_file) == key


def test_var_is_owner_only():
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "config.sqlite":
        pytest.skip("var/ holds the database only on SQLite")
    assert mode(settings.VAR_DIR) == 0o700
