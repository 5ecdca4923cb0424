"""CSV export: parsed back it equals the database rows; streamed; formula-safe; range-aware; owner only."""

import csv
import io
import time
import tracemalloc
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from journal.exports.csv_export import HEADER, neutralise
from journal.models import Release, Session, SessionStatus
from tests.factories import make_log, make_release, make_session, make_user

URL = reverse("journal:export_csv")


def read_csv(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body.removeprefix("\ufeff"))))


@pytest.mark.django_db
def test_csv_equals_database(owner, owner_client):
    owner.profile.time_zone = "Europe/London"
    owner.profile.save()
    start = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)  # 00:30 on 1 July in London (BST, +01:00)
    make_log(owner, days=3, start=start)
    response = owner_client.get(URL)
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    rows = read_csv(response)
    releases = list(
        Release.objects.for_user(owner).select_related("session").order_by("session__started_at", "position")
    )
    assert len(rows) == len(releases) == 12
    assert list(rows[0].keys()) == HEADER
    for row, release in zip(rows, releases, strict=True):
        session = release.session
        assert datetime.fromisoformat(row["session_started_at"]) == session.started_at
        assert datetime.fromisoformat(row["release_started_at"]) == release.started_at
        assert row["session_local_date"] == session.local_date.isoformat()
        assert row["routine_name"] == session.routine_name
        assert row["point_name"] == release.point_name and row["side"] == release.side
        assert int(row["position"]) == release.position
        assert int(row["held_seconds"]) == release.held_seconds
        assert int(row["pressure"]) == release.pressure and int(row["leg_pain_after_hold"]) == release.pain_now
        assert row["tender"] == ("yes" if release.tender else "no")
        assert int(row["leg_pain_before_session"]) == session.pain_before
        assert int(row["session_leg_pain_change"]) == session.pain_after - session.pain_before
    # Timestamps carry the user's offset, and the local date is the user's date, not UTC's.
    assert rows[0]["session_started_at"] == "2026-07-01T00:30:00+01:00"
    assert rows[0]["session_local_date"] == "2026-07-01"


@pytest.mark.django_db
@pytest.mark.parametrize("hostile", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tTAB", "\rCR", '=HYPERLINK("x")'])
def test_formula_cells_are_neutralised(owner, owner_client, hostile):
    session = make_session(owner, notes=hostile, routine_name=hostile, pain_before=6, pain_after=3)
    make_release(session, 1, notes=hostile, point_name=hostile)
    row = read_csv(owner_client.get(URL))[0]
    for column in ["session_notes", "routine_name", "release_notes", "point_name"]:
        assert row[column] == "'" + hostile
    # Numbers we write ourselves stay numbers, negative ones too.
    assert row["session_leg_pain_change"] == "-3"


def test_neutralise_leaves_plain_text_alone():
    assert neutralise("Felt looser - good") == "Felt looser - good"
    assert neutralise("") == ""
    assert neutralise("-") == "'-"


@pytest.mark.django_db
def test_script_in_notes_is_plain_text(owner, owner_client):
    session = make_session(owner, notes="<script>alert(1)</script>")
    make_release(session, 1)
    row = read_csv(owner_client.get(URL))[0]
    assert row["session_notes"] == "<script>alert(1)</script>"  # data, not markup: CSV is never rendered as HTML


@pytest.mark.django_db
def test_date_range_is_honoured(owner, owner_client):
    make_log(owner, days=10, start=datetime(2026, 3, 1, 9, tzinfo=UTC))
    rows = read_csv(owner_client.get(URL, {"start": "2026-03-03", "end": "2026-03-04"}))
    assert {row["session_local_date"] for row in rows} == {"2026-03-03", "2026-03-04"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "2026-13-01"}, "start date must look like"),
        ({"end": "yesterday"}, "end date must look like"),
        ({"start": "2026-03-05", "end": "2026-03-01"}, "on or before the end date"),
    ],
)
def test_bad_dates_are_a_clear_400(owner_client, query, message):
    response = owner_client.get(URL, query)
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.django_db
def test_only_the_owners_rows(owner, other_client):
    make_log(owner, days=2)
    assert read_csv(other_client.get(URL)) == []


@pytest.mark.django_db
def test_query_count_does_not_grow_with_rows(owner, owner_client):
    make_log(owner, days=2)
    with CaptureQueriesContext(connection) as small:
        read_csv(owner_client.get(URL))
    make_log(owner, days=20, start=datetime(2025, 1, 1, tzinfo=UTC))
    with CaptureQueriesContext(connection) as large:
        assert len(read_csv(owner_client.get(URL))) == 88
    assert len(large) == len(small)


@pytest.mark.django_db
def test_100k_rows_stream_with_bounded_memory(owner_client, owner):
    """100,000 releases: the export streams with a tracemalloc peak well under 50 MB."""
    user = make_user("bulk")
    base = datetime(2020, 1, 1, 8, tzinfo=UTC)
    sessions = Session.objects.bulk_create(
        [
            Session(
                user=owner,
                routine_name="Bulk routine =danger",
                plan=[],
                started_at=base + timedelta(hours=n),
                last_activity_at=base + timedelta(hours=n),
                local_date=(base + timedelta(hours=n)).date(),
                status=SessionStatus.COMPLETED,
                pain_before=5,
                pain_after=4,
                notes="Some notes about how it went, long enough to matter " * 3,
            )
            for n in range(10_000)
        ],
        batch_size=2000,
    )
    Release.objects.bulk_create(
        [
            Release(
                session=s,
                position=p,
                point_name="Top of the glute",
                side="left" if p % 2 else "right",
                prescribed_seconds=45,
                held_seconds=44,
                started_at=s.started_at,
                ended_at=s.started_at + timedelta(seconds=44),
                tender=True,
                pressure=5,
                pain_now=4,
                notes="-felt ok",
            )
            for s in sessions
            for p in range(1, 11)
        ],
        batch_size=5000,
    )
    assert Release.objects.for_user(owner).count() == 100_000
    assert user.pk  # another account's presence changes nothing
    started = time.perf_counter()
    size = sum(len(chunk) for chunk in owner_client.get(URL).streaming_content)
    elapsed = time.perf_counter() - started  # timed without tracemalloc, which slows every allocation

    response = owner_client.get(URL)
    tracemalloc.start()
    baseline, _ = tracemalloc.get_traced_memory()
    lines = 0
    for chunk in response.streaming_content:
        lines += chunk.count(b"\n")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    growth_mb = (peak - baseline) / 1024 / 1024
    print(f"\nCSV 100k rows: {elapsed:.2f} s, {size / 1024 / 1024:.1f} MB written, peak growth {growth_mb:.2f} MB")
    assert lines == 100_001
    assert growth_mb < 50
    # Whole file in memory would be ~size; streaming keeps the peak a small fraction of it.
    assert peak - baseline < size / 4


@pytest.mark.parametrize("lead", [" ", "   ", "\n", "\r\n", "\u00a0", "\u3000", "\x01", "\u200b", " \x0b "])
@pytest.mark.parametrize("trigger", ["=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20"])
def test_a_formula_after_leading_whitespace_or_control_characters_is_neutralised(lead, trigger):
    kept = lead.replace("\x01", "").replace("\x0b", "")  # control characters are dropped, the rest is kept
    assert neutralise(lead + trigger + "1+1") == "'" + kept + trigger + "1+1"


def test_text_that_starts_plainly_after_whitespace_is_left_alone():
    assert neutralise("  Felt looser") == "  Felt looser"
    assert neutralise(" 3 out of 10") == " 3 out of 10"
    assert neutralise("   ") == "   "


@pytest.mark.django_db
def test_pain_columns_say_leg_pain_and_back_pain_apart(owner):
    from journal.exports.csv_export import HEADER

    assert "leg_pain_before_session" in HEADER and "leg_pain_after_hold" in HEADER
    assert "back_pain_before_session" in HEADER and "back_pain_end_of_session" in HEADER
    assert not [name for name in HEADER if name.startswith("pain") or name == "session_pain_change"]
