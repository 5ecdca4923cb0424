"""DATABASE_URL=sqlite:///path gives the same SQLite as the default file: the config.sqlite backend (PRAGMA optimize
on close), WAL, IMMEDIATE transactions and a busy timeout."""

import json
import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.db import connections
connection = connections["default"]
entry = dict(settings.DATABASES["default"])
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    journal_mode = cursor.fetchone()[0]
    cursor.execute("PRAGMA busy_timeout")
    busy_timeout = cursor.fetchone()[0]
print(json.dumps({
    "engine": entry["ENGINE"],
    "options": entry["OPTIONS"],
    "name": str(entry["NAME"]),
    "backend": type(connection).__module__,
    "journal_mode": journal_mode,
    "busy_timeout": busy_timeout,
    "transaction_mode": connection.transaction_mode,
}))
"""


def probe(tmp_path, database_url: str | None) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_DEBUG": "1"}
    if database_url is not None:
        env["DATABASE_URL"] = database_url
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_sqlite_url_gets_the_default_sqlite_settings(tmp_path):
    path = tmp_path / "other.sqlite3"
    from_url = probe(tmp_path, f"sqlite:///{path}")
    default = probe(tmp_path, None)
    assert from_url["name"] == str(path)
    for key in ("engine", "options", "backend", "journal_mode", "busy_timeout", "transaction_mode"):
        assert from_url[key] == default[key], key
    assert from_url["engine"] == "config.sqlite" and from_url["backend"] == "config.sqlite.base"
    assert from_url["journal_mode"] == "wal" and from_url["busy_timeout"] == 20_000
    assert from_url["transaction_mode"] == "IMMEDIATE"
