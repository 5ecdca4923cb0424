"""Imported values the databases cannot hold, and files too deep or too big in shape: each gets a clear 422 that
names the field by its path, nothing is saved, and the account still works afterwards (both databases)."""

import gzip
import json

import pytest
from django.test import override_settings
from django.urls import reverse

from journal.backup import reader, schema
from journal.backup.export import export_account
from journal.backup.importer import ImportFileError, import_account
from journal.models import Session
from tests.factories import make_user
from tests.test_export_json import account_counts, build_account, mutate, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def good(owner) -> dict:
    source = make_user("source")
    build_account(source)
    return export_account(source)


def nested(depth: int) -> bytes:
    return b'{"format":"tenderspot-journal","version":1,"sessions":' + b"[" * depth + b"]" * depth + b"}"


def raw_replace(payload: dict, path: list, raw: str) -> bytes:
    """The file with the value at `path` replaced by `raw` JSON text (numbers json.dumps cannot write)."""
    marker = "__RAW_VALUE__"
    return mutate(payload, path, marker).replace(f'"{marker}"'.encode(), raw.encode())


BAD_VALUES = [
    # (path, value, the message: its field path and problem)
    (("sessions", 0, "started_at"), "0001-01-01T00:00:00+01:00", "sessions[1].started_at: must fall between"),
    (("sessions", 0, "started_at"), "9999-12-31T23:00:00-05:00", "sessions[1].started_at: must fall between"),
    (("sessions", 0, "finished_at"), "1899-12-31T23:59:59+00:00", "sessions[1].finished_at: must fall between"),
    (("sessions", 0, "local_date"), "0001-01-01", "sessions[1].local_date: must fall between"),
    (("sessions", 0, "releases", 0, "logged_at"), "2101-01-01T00:30:00+01:00", "releases[1].logged_at: must fall"),
    (("share_links", 0, "start_date"), "9999-12-31", "share_links[1].start_date: must fall between"),
    (("profile", "safety_acknowledged_at"), "0001-01-01T00:00:00+00:00", "profile.safety_acknowledged_at"),
    (("sessions", 0, "notes"), "a\u0000b", "sessions[1].notes: contains a control character"),
    (
        ("sessions", 0, "releases", 0, "point_name"),
        "\u0000",
        "sessions[1].releases[1].point_name: contains a control character",
    ),
    (("points", 0, "name"), "x\u0000", "points[1].name: contains a control character"),
    (("share_links", 0, "label"), "\u0000", "share_links[1].label: contains a control character"),
    (("sessions", 0, "routine_name"), "\u0000", "sessions[1].routine_name: contains a control character"),
    (("points", 0, "location"), "x" * 5001, "points[1].location: longer than 5000 characters"),
    (("share_links", 0, "times_opened"), 2**31, "share_links[1].times_opened: must be between 0 and 2147483647"),
    (("points", 0, "order"), 32768, "points[1].order: must be between 0 and 32767"),
    (("sessions", 0, "releases", 0, "held_seconds"), -1, "releases[1].held_seconds: must be between 0 and 600"),
    (("sessions", 0, "pain_before"), True, "sessions[1].pain_before: expected a whole number"),
    (("sessions", 0, "pain_before"), 5.0, "sessions[1].pain_before: expected a whole number"),
    (("sessions", 0, "pain_before"), "5", "sessions[1].pain_before: expected a whole number"),
    (("reminders", 0, "time_of_day"), "07:30:00+05:00", "reminders[1].time_of_day: expected a time of day without"),
    (("sessions", 0, "releases"), {"a": 1}, "sessions[1].releases: expected a list"),
    (("sessions", 0), [], "sessions[1]: expected an object"),
    (("sessions", 0, "surprise"), 1, "sessions[1].surprise: is not part of the format"),
    (("points", 0, "map_x"), "NaN", "points[1].map_x: must be between 0 and 100"),
    (("points", 0, "map_x"), "1e999999", "points[1].map_x: must be between 0 and 100"),
    (("sessions", 0, "plan", 0, "hold_seconds"), 0, "sessions[1].plan[1].hold_seconds: must be between 1 and 600"),
    (("profile", "time_zone"), "\u0000", "profile.time_zone: unknown time zone"),
    (("sessions", 0, "routine"), "routine:1\u0007", "sessions[1].routine: contains a control character"),
    (("reminders", 0, "routine"), "\u001b[2J", "reminders[1].routine: contains a control character"),
    (("points", 0, "area"), "calf\u0008", "points[1].area: contains a control character"),
    (("points", 0, "also_listed_in"), ["calf\u007f"], "points[1].also_listed_in: contains a control character"),
]


@pytest.mark.parametrize(("where", "value", "message"), BAD_VALUES, ids=[m[:40] for _w, _v, m in BAD_VALUES])
def test_values_the_databases_cannot_hold_are_refused_by_path(owner, owner_client, good, where, value, message):
    before = account_counts(owner)
    response = upload(owner_client, mutate(good, list(where), value))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert account_counts(owner) == before


SHAPES = {
    "2000 nested [ under sessions": (nested(2000), "sessions[1]: nested deeper than the format allows"),
    "2000 nested { in a note": (None, "nested deeper"),
    "a 4301-digit number": (None, "a number too long to read"),
    "a 4000-digit number": (None, "sessions[1].pain_before: must be between 0 and 10"),
    "a duplicate key": (None, "sessions[1]: the key"),
    "a duplicate list": (
        b'{"format":"tenderspot-journal","version":1,"sessions":[],"sessions":[]}',
        "sessions: appears twice",
    ),
    "trailing garbage": (b'{"format":"tenderspot-journal","version":1} x', "not valid JSON"),
    "an unknown top-level key": (b'{"format":"tenderspot-journal","version":1,"x":1}', "x: is not part of the format"),
    "items before the format": (b'{"sessions":[{}],"format":"tenderspot-journal","version":1}', "not a Tenderspot"),
    "a damaged gzip": (gzip.compress(b'{"format":"tenderspot-journal"}')[:-6], "damaged or incomplete"),
}


@pytest.mark.parametrize("name", list(SHAPES))
def test_files_too_deep_or_odd_in_shape_get_a_clear_error(owner, owner_client, good, name):
    payload, message = SHAPES[name]
    if name == "2000 nested { in a note":
        payload = raw_replace(good, ["sessions", 0, "notes"], '{"a":' * 2000 + "1" + "}" * 2000)
    elif name == "a 4301-digit number":
        payload = raw_replace(good, ["sessions", 0, "pain_before"], "7" * 4301)
    elif name == "a 4000-digit number":
        payload = raw_replace(good, ["sessions", 0, "pain_before"], "7" * 4000)
    elif name == "a duplicate key":
        payload = raw_replace(good, ["sessions", 0, "notes"], '"a","notes":"b"')
    before = account_counts(owner)
    response = upload(owner_client, payload)
    assert response.status_code == 422, response.content[:300]
    assert message in response.content.decode()
    assert account_counts(owner) == before


def test_a_list_longer_than_the_format_allows_is_refused(owner, good, monkeypatch):
    monkeypatch.setitem(schema.LISTS, "sessions", (schema.SessionData, 3))
    with pytest.raises(ImportFileError, match="sessions: has more than 3 items"):
        import_account(owner, json.dumps(good).encode())
    assert not Session.objects.filter(user=owner).exists()


def test_an_item_with_too_many_values_is_refused(owner, good, monkeypatch):
    monkeypatch.setattr(reader, "ITEM_VALUES", 50)
    good["sessions"][0]["plan"] = good["sessions"][0]["plan"] * 20
    with pytest.raises(ImportFileError, match=r"sessions\[1\]: holds more than 50 values"):
        import_account(owner, json.dumps(good).encode())


def test_a_gzip_backup_imports(owner, good):
    newcomer = make_user("newcomer")
    report = import_account(newcomer, gzip.compress(json.dumps(good).encode()))
    assert report.sessions == 4 and report.releases == 10


@override_settings(TENDERSPOT_IMPORT_MAX_JSON_BYTES=10_000)
def test_a_gzip_bomb_stops_at_the_unpacked_limit(owner, owner_client):
    bomb = gzip.compress(b'{"format":"tenderspot-journal","version":1,"sessions":[' + b" " * 5_000_000 + b"]}")
    assert len(bomb) < 10_000
    response = upload(owner_client, bomb)
    assert response.status_code == 422 and "Unpacked, the file is larger than" in response.content.decode()


def test_the_export_is_compact_json(owner, owner_client):
    build_account(owner)
    body = owner_client.get(reverse("journal:export_json")).getvalue()
    assert b"\n" not in body and b'": ' not in body and b", " not in body[:200]


def test_refused_values_leave_every_page_working(owner, owner_client, good):
    """The PostgreSQL case of the issue: a BC date once stored broke the account. Refused now, and the account's
    pages and exports still answer."""
    upload(owner_client, mutate(good, ["sessions", 0, "started_at"], "0001-01-01T00:00:00+01:00"))
    for name in ("journal:session_list", "journal:export_csv", "journal:export_fhir", "home", "journal:export_json"):
        response = owner_client.get(reverse(name))
        assert response.status_code == 200, name
        if response.streaming:
            b"".join(response.streaming_content)  # as a browser would: the download's slot is given back


def test_limits_come_from_the_model_fields():
    from journal.models import NOTES_MAX_LENGTH, REMINDER_MAX_MINUTES, Reminder, Session
    from routines.models import LONG_TEXT_MAX_LENGTH, Point

    assert schema.integer_range(Reminder._meta.get_field("duration_minutes")) == (1, REMINDER_MAX_MINUTES)
    assert schema.integer_range(Session._meta.get_field("pain_after")) == (0, 10)
    assert schema._max_length(Session._meta.get_field("notes")) == NOTES_MAX_LENGTH
    assert schema._max_length(Point._meta.get_field("technique")) == LONG_TEXT_MAX_LENGTH
    assert schema._max_length(Point._meta.get_field("tool")) == Point._meta.get_field("tool").max_length


def test_reference_and_area_limits_come_from_the_slugs():
    from routines.models import Area, Point, Routine

    slug_max = max(Point._meta.get_field("slug").max_length, Routine._meta.get_field("slug").max_length)
    assert len("builtin:") + slug_max == schema.REF_MAX_LENGTH
    assert Area._meta.get_field("slug").max_length == schema.AREA_SLUG_MAX_LENGTH


def test_a_long_area_slug_and_a_long_built_in_reference_round_trip(owner, other_user):
    from routines.models import Area, Point, Routine, RoutineStep
    from tests.factories import make_point

    area = Area.objects.create(slug="a" * 45, name="A long-named area", region="hip")
    also = Area.objects.create(slug="b" * 50, name="Another", region="hip")
    point = make_point(owner=owner, name="Mine", area=area)
    point.also_listed_in.add(also)
    builtin = make_point(name="Built in", slug="c" * 80)
    routine = Routine.objects.create(owner=owner, name="Both")
    RoutineStep.objects.create(routine=routine, position=1, point=builtin, side="left", hold_seconds=30)
    import_account(other_user, json.dumps(export_account(owner)).encode())
    copy = Point.objects.get(owner=other_user, name="Mine")
    assert copy.area == area
    assert list(copy.also_listed_in.all()) == [also]
    assert Routine.objects.get(owner=other_user, name="Both").steps.get().point == builtin
