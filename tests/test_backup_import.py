"""The import's two passes: the whole file is checked before anything is written, lists may come in any order,
and an import interrupted between two batches finishes on a second run without doubling anything."""

import json

import pytest
from django.db import IntegrityError

from journal.backup import importer
from journal.backup.export import export_account
from journal.backup.importer import ImportFileError, import_account
from tests.factories import make_log, make_user
from tests.test_export_json import account_counts, build_account

pytestmark = pytest.mark.django_db


@pytest.fixture
def source():
    user = make_user("source")
    build_account(user)
    make_log(user, days=12)
    return user


def test_lists_in_any_order_import_the_same(source, owner):
    data = export_account(source)
    reordered = {key: data[key] for key in ("reminders", "sessions", "share_links", "routines", "points")}
    reordered |= {key: data[key] for key in ("format", "version", "profile")}
    payload = json.dumps({"format": data["format"], "version": data["version"], **reordered}).encode()
    import_account(owner, payload)
    assert account_counts(owner) == account_counts(source)


def test_an_interrupted_import_finishes_on_a_second_run(source, owner, monkeypatch):
    payload = json.dumps(export_account(source)).encode()
    monkeypatch.setattr(importer, "BATCH_SESSIONS", 3)
    flush, calls = importer._Writer.flush, []

    def failing_flush(self, key, batch):
        calls.append(key)
        if key == "sessions" and calls.count("sessions") == 3:
            raise IntegrityError("the connection dropped")
        flush(self, key, batch)

    monkeypatch.setattr(importer._Writer, "flush", failing_flush)
    with pytest.raises(ImportFileError, match="Import the same file again"):
        import_account(owner, payload)
    partial = account_counts(owner)
    assert 0 < partial[3] < account_counts(source)[3]  # some sessions were written, not all
    monkeypatch.setattr(importer._Writer, "flush", flush)
    report = import_account(owner, payload)
    assert account_counts(owner) == account_counts(source)
    assert report.skipped_existing >= partial[3]


def test_a_problem_at_the_end_of_the_file_writes_nothing(source, owner):
    data = export_account(source)
    data["reminders"][0]["weekdays"] = [7]
    before = account_counts(owner)
    with pytest.raises(ImportFileError, match=r"reminders\[1\].weekdays"):
        import_account(owner, json.dumps(data).encode())
    assert account_counts(owner) == before
