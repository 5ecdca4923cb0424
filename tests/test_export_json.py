"""JSON export of the whole account, and its import: versioned, all-or-nothing, idempotent, round-trip exact."""

import json
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from journal.backup.export import export_account
from journal.backup.importer import ImportFileError, import_account
from journal.backup.schema import FORMAT_NAME, FORMAT_VERSION
from journal.models import REMINDER_MAX_MINUTES, Release, Reminder, Session, ShareLink
from journal.tokens import new_token
from routines.models import Point, Routine, RoutineStep
from tests.factories import make_log, make_point, make_release, make_routine, make_session, make_user

EXPORT_URL = reverse("journal:export_json")
IMPORT_URL = reverse("journal:import_json")


def build_account(user):
    """Custom points and routines, sessions with hostile notes, a share link and a reminder."""
    user.profile.time_zone = "America/New_York"
    user.profile.default_hold_seconds = 50
    user.profile.save()
    point = make_point(owner=user, name="My calf spot", location="<b>Calf</b>", snomed_code="")
    routine = make_routine(owner=user, name="Mine =1+1", steps=2)
    RoutineStep.objects.create(routine=routine, position=3, point=point, side="right", hold_seconds=40)
    routine.copied_from = Routine.objects.builtin().get(slug="feet-only")
    routine.save()
    make_log(user, days=3, start=datetime(2026, 3, 1, 12, tzinfo=UTC), routine=routine)
    session = make_session(
        user, started_at=datetime(2026, 3, 10, 12, tzinfo=UTC), notes="<script>x</script>", back_pain_before=3
    )
    make_release(session, 1, notes="=cmd|' /C calc'!A0", tender=None, pressure=None)
    _token, token_hash = new_token()
    ShareLink.objects.create(
        user=user,
        label="Physio",
        token_hash=token_hash,
        expires_at=timezone.now() + timedelta(days=7),
        start_date=datetime(2026, 3, 1).date(),
    )
    Reminder.objects.create(user=user, routine=routine, weekdays=[0, 3], time_of_day="07:30", token_hash=new_token()[1])


def strip_volatile(data: dict) -> dict:
    data = dict(data)
    data.pop("exported_at")
    return data


def upload(client, payload: bytes, **kwargs):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile("export.json", payload)}, **kwargs)


def account_counts(user) -> tuple:
    return (
        Point.objects.filter(owner=user).count(),
        Routine.objects.owned_by(user).count(),
        RoutineStep.objects.filter(routine__owner=user).count(),
        Session.objects.filter(user=user).count(),
        Release.objects.for_user(user).count(),
        ShareLink.objects.filter(user=user).count(),
        Reminder.objects.filter(user=user).count(),
    )


def test_export_anonymous_is_sent_to_login(anonymous_client):
    for url in (EXPORT_URL, IMPORT_URL):
        response = anonymous_client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_wrong_methods(owner_client):
    assert owner_client.post(EXPORT_URL).status_code == 405
    assert owner_client.put(IMPORT_URL).status_code == 405


@pytest.mark.django_db
def test_export_holds_the_whole_account_and_no_secrets(owner, owner_client):
    build_account(owner)
    response = owner_client.get(EXPORT_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.getvalue())  # streamed in chunks
    assert data["format"] == FORMAT_NAME and data["version"] == FORMAT_VERSION
    assert data["profile"]["time_zone"] == "America/New_York"
    assert [p["name"] for p in data["points"]] == ["My calf spot"]
    assert data["routines"][0]["steps"][-1]["point"] == "custom:1"
    assert data["routines"][0]["copied_from"] == "builtin:feet-only"
    assert len(data["sessions"]) == 4
    assert data["sessions"][0]["releases"][0]["point"].startswith("builtin:")
    assert data["share_links"][0]["label"] == "Physio"
    assert data["reminders"][0]["weekdays"] == [0, 3]
    text = response.getvalue().decode()
    for link in ShareLink.objects.all():
        assert link.token_hash not in text
    for reminder in Reminder.objects.all():
        assert reminder.token_hash not in text
    assert "token" not in text
    assert '"id"' not in text and "point_id" not in text


@pytest.mark.django_db
def test_export_honours_the_range(owner, owner_client):
    make_log(owner, days=5, start=datetime(2026, 3, 1, 9, tzinfo=UTC))
    data = json.loads(owner_client.get(EXPORT_URL, {"start": "2026-03-02", "end": "2026-03-03"}).getvalue())
    assert [s["local_date"] for s in data["sessions"]] == ["2026-03-02", "2026-03-03"]
    assert owner_client.get(EXPORT_URL, {"start": "03/02/2026"}).status_code == 400


@pytest.mark.django_db
def test_round_trip_into_a_new_account(owner):
    build_account(owner)
    first = export_account(owner)
    newcomer = make_user("newcomer")
    report = import_account(newcomer, json.dumps(first).encode())
    assert (report.points, report.routines, report.sessions, report.share_links, report.reminders) == (1, 1, 4, 1, 1)
    assert report.releases == 10 and report.profile_updated
    second = export_account(newcomer)
    assert strip_volatile(second) == strip_volatile(first)
    assert [s["back_pain_before"] for s in second["sessions"]].count(3) == 1  # back pain travels too


@pytest.mark.django_db
def test_the_same_file_twice_creates_nothing_new(owner):
    build_account(owner)
    payload = json.dumps(export_account(owner)).encode()
    newcomer = make_user("newcomer")
    import_account(newcomer, payload)
    counts = account_counts(newcomer)
    again = import_account(newcomer, payload)
    assert not again.added_anything and not again.profile_updated
    assert again.skipped_existing > 0
    assert account_counts(newcomer) == counts
    # Importing into the account that made the file adds nothing either.
    before = account_counts(owner)
    assert not import_account(owner, payload).added_anything
    assert account_counts(owner) == before


@pytest.mark.django_db
def test_a_point_or_routine_twice_in_one_file_is_created_once(owner):
    """The natural key holds inside one file too: a repeated point or routine (another ref, same name and
    creation time) is the row made a moment before, and steps that refer to either ref use that row."""
    build_account(owner)
    data = export_account(owner)
    point_copy = {**data["points"][0], "ref": "custom:2"}
    routine_copy = json.loads(json.dumps(data["routines"][0]))
    routine_copy["ref"] = "routine:2"
    routine_copy["steps"][-1]["point"] = "custom:2"
    data["points"].append(point_copy)
    data["routines"].append(routine_copy)
    newcomer = make_user("newcomer")
    report = import_account(newcomer, json.dumps(data).encode())
    assert (report.points, report.routines) == (1, 1)
    assert report.skipped_existing == 2
    assert Point.objects.filter(owner=newcomer).count() == 1
    routine = Routine.objects.owned_by(newcomer).get()
    assert routine.steps.count() == 3
    assert routine.steps.get(position=3).point == Point.objects.get(owner=newcomer)
    # A second import of the same file adds nothing.
    counts = account_counts(newcomer)
    assert not import_account(newcomer, json.dumps(data).encode()).added_anything
    assert account_counts(newcomer) == counts


@pytest.mark.django_db
def test_imported_reminder_days_are_sorted_once_each_like_the_form(owner):
    build_account(owner)
    data = export_account(owner)
    data["reminders"][0]["weekdays"] = [3, 0, 3]
    same_days = {**data["reminders"][0], "weekdays": [0, 3]}
    data["reminders"].append(same_days)
    newcomer = make_user("newcomer")
    report = import_account(newcomer, json.dumps(data).encode())
    assert report.reminders == 1 and report.skipped_existing == 1
    assert Reminder.objects.get(user=newcomer).weekdays == [0, 3]
    # The owner already has this reminder with days [0, 3]: the unsorted copy is the same reminder.
    assert not import_account(owner, json.dumps(data).encode()).added_anything
    assert Reminder.objects.filter(user=owner).count() == 1


@pytest.mark.django_db
def test_imported_reminder_length_has_the_form_limit(owner):
    build_account(owner)
    data = export_account(owner)
    newcomer = make_user("newcomer")
    for minutes in (0, REMINDER_MAX_MINUTES + 1):
        data["reminders"][0]["duration_minutes"] = minutes
        with pytest.raises(
            ImportFileError, match=f"reminders\\[1\\].duration_minutes: must be between 1 and {REMINDER_MAX_MINUTES}"
        ):
            import_account(newcomer, json.dumps(data).encode())
    data["reminders"][0]["duration_minutes"] = REMINDER_MAX_MINUTES
    assert import_account(newcomer, json.dumps(data).encode()).reminders == 1
    assert Reminder.objects.get(user=newcomer).duration_minutes == REMINDER_MAX_MINUTES


@pytest.mark.django_db
def test_imported_links_cannot_be_opened(owner, anonymous_client):
    build_account(owner)
    newcomer = make_user("newcomer")
    import_account(newcomer, json.dumps(export_account(owner)).encode())
    imported = ShareLink.objects.get(user=newcomer)
    original = ShareLink.objects.get(user=owner)
    assert imported.token_hash != original.token_hash


@pytest.mark.django_db
def test_import_view_reports_what_was_added(owner, owner_client):
    source = make_user("source")
    build_account(source)
    payload = json.dumps(export_account(source)).encode()
    response = upload(owner_client, payload)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Import finished" in body and "4 sessions with 10 releases" in body and "1 custom point" in body
    assert '<div class="alert alert-success" role="status" tabindex="-1" autofocus>' in body  # focus lands on it
    response = upload(owner_client, payload)
    assert "Nothing new" in response.content.decode()


@pytest.mark.django_db
def test_import_htmx_gets_the_partial(owner_client, htmx_headers):
    payload = json.dumps(export_account(make_user("source"))).encode()
    response = upload(owner_client, payload, headers=htmx_headers)
    body = response.content.decode()
    assert response.status_code == 200 and 'id="import-panel"' in body and "<html" not in body


def mutate(payload: dict, path: list, value) -> bytes:
    data = json.loads(json.dumps(payload))
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return json.dumps(data).encode()


@pytest.mark.django_db
def test_failed_imports_change_nothing(owner, owner_client):
    source = make_user("source")
    build_account(source)
    good = export_account(source)
    make_log(owner, days=2)
    owner.profile.refresh_from_db()
    before = account_counts(owner)
    time_zone = owner.profile.time_zone
    bad_files = {
        b"{not json": "not valid JSON",
        b"\xff\xfe\x00": "not valid JSON",
        json.dumps({"format": "someone-else", "version": 1}).encode(): "not a Tenderspot journal export",
        json.dumps([1, 2]).encode(): "not a Tenderspot journal export",
        mutate(good, ["version"], FORMAT_VERSION + 1): "newer than this server understands",
        mutate(good, ["version"], "1"): "format version is missing",
        # Valid up to the last session: the first sessions, the points and the profile must not be kept.
        mutate(good, ["sessions", 3, "pain_before"], 11): "sessions[4].pain_before: must be between 0 and 10",
        mutate(good, ["sessions", 3, "releases", 0, "side"], "middle"): "sessions[4].releases[1].side",
        mutate(good, ["reminders", 0, "weekdays"], [9]): "reminders[1].weekdays",
        mutate(good, ["reminders", 0, "weekdays"], [1.0]): "reminders[1].weekdays: expected day numbers",
        mutate(good, ["sessions", 0, "started_at"], "2026-03-01T12:00:00"): "needs its UTC offset",
        mutate(good, ["routines", 0, "steps", 0, "point"], "custom:99"): "does not define",
        mutate(good, ["profile", "time_zone"], "Mars/Olympus"): "unknown time zone",
        mutate(good, ["sessions", 0, "notes"], "x" * 1001): "longer than 1000 characters",
    }
    for payload, message in bad_files.items():
        response = upload(owner_client, payload)
        assert response.status_code == 422, message
        assert message in response.content.decode(), message
        assert account_counts(owner) == before, message
        owner.profile.refresh_from_db()
        assert owner.profile.time_zone == time_zone, message


@pytest.mark.django_db
@override_settings(TENDERSPOT_IMPORT_MAX_BYTES=1000)
def test_oversized_files_are_refused(owner, owner_client):
    source = make_user("source")
    build_account(source)
    payload = json.dumps(export_account(source)).encode()
    assert len(payload) > 1000
    before = account_counts(owner)
    response = upload(owner_client, payload)
    assert response.status_code == 422
    # The import's own check (parse_file) answers, on the file field.
    assert re.search(r'id="file-errors"[^>]*>The file is larger than', response.content.decode())
    with pytest.raises(ImportFileError, match="larger than"):
        import_account(owner, payload)
    assert account_counts(owner) == before


@pytest.mark.django_db
@override_settings(TENDERSPOT_IMPORT_MAX_BYTES=10)
def test_declared_huge_uploads_are_refused_before_reading(owner_client):
    response = upload(owner_client, b"x" * (70 * 1024))
    assert response.status_code == 413
    assert "larger than" in response.content.decode()


@pytest.mark.django_db
def test_hostile_text_survives_as_text_and_renders_inert(owner, owner_client):
    source = make_user("source")
    session = make_session(source, notes="<script>alert('x')</script>")
    make_release(session, 1)
    payload = json.dumps(export_account(source)).encode()
    import_account(owner, payload)
    assert Session.objects.get(user=owner).notes == "<script>alert('x')</script>"
    body = owner_client.get(reverse("journal:export_pdf")).status_code
    assert body == 200


@pytest.mark.django_db
@override_settings(TENDERSPOT_IMPORT_MAX_BYTES=10)
def test_declared_huge_uploads_show_in_place_for_htmx(owner_client, htmx_headers):
    response = upload(owner_client, b"x" * (70 * 1024), headers=htmx_headers)
    assert response.status_code == 422 and "larger than" in response.content.decode()


@pytest.mark.django_db
def test_export_query_count_does_not_grow_with_the_log(owner, owner_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    build_account(owner)
    with CaptureQueriesContext(connection) as small:
        owner_client.get(EXPORT_URL).getvalue()
    make_log(owner, days=15, start=datetime(2025, 1, 1, tzinfo=UTC))
    make_point(owner=owner, name="Another")
    with CaptureQueriesContext(connection) as large:
        assert len(json.loads(owner_client.get(EXPORT_URL).getvalue())["sessions"]) == 19
    assert len(large) == len(small)


@pytest.mark.django_db
def test_the_precaution_profile_round_trips(owner, other_user):
    from accounts.models import PrecautionProfile
    from journal.backup.export import export_stream

    PrecautionProfile.objects.create(
        user=owner, diabetes=True, blood_thinners=True, painful_leg="left", episode_started=date(2026, 9, 1)
    )
    import_account(other_user, b"".join(export_stream(owner)))
    copy = PrecautionProfile.objects.get(user=other_user)
    assert (copy.diabetes, copy.blood_thinners, copy.pregnant) == (True, True, False)
    assert (copy.painful_leg, copy.episode_started) == ("left", date(2026, 9, 1))


@pytest.mark.django_db
def test_the_report_name_and_questions_round_trip(owner, other_user):
    from journal.backup.export import export_stream

    owner.profile.report_name = "A. Walker"
    owner.profile.report_questions = "Is the left calf worth a scan?\nShould I hold longer?"
    owner.profile.save()
    import_account(other_user, b"".join(export_stream(owner)))
    other_user.profile.refresh_from_db()
    assert other_user.profile.report_name == "A. Walker"
    assert other_user.profile.report_questions == "Is the left calf worth a scan?\nShould I hold longer?"


@pytest.mark.django_db
def test_a_backup_without_the_report_fields_keeps_the_accounts(owner, other_user):
    other_user.profile.report_name = "Kept"
    other_user.profile.save()
    data = export_account(owner)
    for key in ("report_name", "report_questions"):
        data["profile"].pop(key)
    import_account(other_user, json.dumps(data).encode())
    other_user.profile.refresh_from_db()
    assert other_user.profile.report_name == "Kept"


@pytest.mark.django_db
def test_a_backup_without_precautions_leaves_them_alone(owner, other_user):
    from accounts.models import PrecautionProfile
    from journal.backup.export import export_stream

    PrecautionProfile.objects.create(user=other_user, osteoporosis=True)
    import_account(other_user, b"".join(export_stream(owner)))  # the owner answered nothing
    assert PrecautionProfile.objects.get(user=other_user).osteoporosis
