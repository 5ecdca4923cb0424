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

    def failing_flush(self, key, batch, rows=0):
        calls.append(key)
        if key == "sessions" and calls.count("sessions") == 3:
            raise IntegrityError("the connection dropped")
        flush(self, key, batch, rows)

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


def test_an_in_progress_session_active_in_the_future_is_refused(source, owner):
    """It would never go stale: the dashboard would offer to resume it until the year 2100."""
    data = export_account(source)
    data["sessions"][0] |= {"status": "in_progress", "finished_at": None, "last_activity_at": "2100-12-31T23:00:00Z"}
    before = account_counts(owner)
    with pytest.raises(ImportFileError, match=r"sessions\[1\].last_activity_at: a session still in progress"):
        import_account(owner, json.dumps(data).encode())
    assert account_counts(owner) == before


def test_an_in_progress_session_of_the_past_is_imported(source, owner):
    data = export_account(source)
    data["sessions"][0] |= {"status": "in_progress", "finished_at": None}
    import_account(owner, json.dumps(data).encode())
    assert account_counts(owner) == account_counts(source)


def test_a_routine_copied_from_itself_is_refused(source, owner):
    data = export_account(source)
    data["routines"][0]["copied_from"] = data["routines"][0]["ref"]
    with pytest.raises(ImportFileError, match=r"routines\[1\].copied_from: a routine cannot be a copy of itself"):
        import_account(owner, json.dumps(data).encode())
    assert account_counts(owner) == (0, 0, 0, 0, 0, 0, 0)


def test_routines_copied_from_each_other_in_a_circle_are_refused(source, owner):
    data = export_account(source)
    first = data["routines"][0]
    second = {**first, "ref": "routine:99", "name": "Second", "copied_from": first["ref"]}
    first["copied_from"] = "routine:99"
    data["routines"].append(second)
    with pytest.raises(ImportFileError, match="go round in a circle"):
        import_account(owner, json.dumps(data).encode())
    assert account_counts(owner) == (0, 0, 0, 0, 0, 0, 0)


def test_unknown_built_in_references_are_reported_and_kept_by_name(source, owner, owner_client):
    """Before: silently stored without a point or routine, and nothing said so."""
    from journal.models import Release, Reminder, Session

    data = export_account(source)
    session = next(s for s in data["sessions"] if s["releases"])
    session["routine"] = "builtin:gone-routine"
    session["plan"][0]["point"] = "builtin:gone-point"
    session["releases"][0]["point"] = "builtin:gone-point"
    data["reminders"][0]["routine"] = "builtin:gone-routine"
    report = import_account(owner, json.dumps(data).encode())
    assert report.unknown_builtins == ["point “gone-point”", "routine “gone-routine”"]
    assert account_counts(owner) == account_counts(source)
    kept = Session.objects.get(user=owner, started_at=session["started_at"])
    assert kept.routine is None and kept.routine_name == session["routine_name"]
    release = Release.objects.get(session=kept, position=session["releases"][0]["position"])
    assert release.point is None and release.point_name == session["releases"][0]["point_name"]
    assert Reminder.objects.get(user=owner).routine is None
    # The page says so.
    from tests.test_export_json import upload

    Session.objects.filter(user=owner).delete()
    body = upload(owner_client, json.dumps(data).encode()).content.decode()
    assert "This server has no built-in point “gone-point”, routine “gone-routine”" in body


def test_an_unknown_built_in_point_in_a_routine_step_is_refused(source, owner):
    data = export_account(source)
    data["routines"][0]["steps"][0]["point"] = "builtin:gone-point"
    with pytest.raises(ImportFileError, match=r"routines\[1\].steps\[1\].point: the built-in point"):
        import_account(owner, json.dumps(data).encode())
    assert account_counts(owner) == (0, 0, 0, 0, 0, 0, 0)


def test_a_file_without_an_acknowledgement_keeps_the_accounts(source, owner):
    from django.utils import timezone

    acknowledged = timezone.now().replace(microsecond=0)
    owner.profile.safety_acknowledged_at = acknowledged
    owner.profile.care_region = "GB"
    owner.profile.save()
    data = export_account(source)
    for missing in (None, ...):
        if missing is None:
            data["profile"]["safety_acknowledged_at"] = None
        else:
            data["profile"].pop("safety_acknowledged_at", None)
        data["profile"].pop("care_region", None)  # an older file: the setting did not exist yet
        import_account(owner, json.dumps(data).encode())
        owner.profile.refresh_from_db()
        assert owner.profile.safety_acknowledged_at == acknowledged
        assert owner.profile.care_region == "GB"
        assert owner.profile.time_zone == "America/New_York"  # what the file has is restored


def test_a_file_without_newer_precaution_answers_keeps_the_accounts(source, owner):
    from accounts.models import PrecautionProfile

    PrecautionProfile.objects.create(user=owner, pregnant=True, diabetes=True)
    data = export_account(source)
    data["precautions"] = {"diabetes": False}
    import_account(owner, json.dumps(data).encode())
    answers = PrecautionProfile.objects.get(user=owner)
    assert answers.pregnant and not answers.diabetes
