"""The reminder feed as Mozilla's calendar engine (ical.js, in Thunderbird and many web calendars) reads it: every
occurrence for twenty years falls at the reminder's local time, as Python's zone database says, in zones with and
without daylight saving time."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from journal.models import Reminder
from journal.reminders.ics import reminder_calendar
from tests.audit.tools import skip_unless_available
from tests.clients.judges import node
from tests.factories import make_user

YEARS = 20


def utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def expected_starts(zone: str, weekdays: list[int], at: time, first: date, until: datetime) -> list[set[str]]:
    """The UTC instants each occurrence may have. One, except in the hour a zone repeats when it leaves DST: there
    RFC 5545 means the first, but ical.js takes the second (its Timezone.utcOffset prefers standard time), and no
    VTIMEZONE can change that, so either reading is accepted there."""
    tz = ZoneInfo(zone)
    starts, day = [], first
    while True:
        local = datetime.combine(day, at, tzinfo=tz)
        if local > until:
            return starts
        if day.weekday() in weekdays:
            starts.append({utc(local), utc(local.replace(fold=1))})
        day += timedelta(days=1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "zone, weekdays, at, created",
    [
        ("Europe/London", [0, 1, 2, 3, 4], time(7, 30), datetime(2026, 6, 15, 9, tzinfo=UTC)),
        ("Europe/Berlin", [0, 1, 2, 3, 4], time(7, 30), datetime(2026, 11, 30, 9, tzinfo=UTC)),
        # 01:30 on Sundays: also the hour New York repeats in November.
        ("America/New_York", [5, 6], time(1, 30), datetime(2026, 2, 20, 12, tzinfo=UTC)),
        ("Australia/Sydney", [2], time(2, 30), datetime(2026, 3, 1, 0, tzinfo=UTC)),
        ("Asia/Kolkata", [0, 3, 6], time(21, 15), datetime(2026, 1, 1, 0, tzinfo=UTC)),
    ],
)
def test_icaljs_expands_every_occurrence_at_the_local_time(tmp_path, zone, weekdays, at, created):
    skip_unless_available("node", "icaljs")
    user = make_user("zoned", time_zone=zone)
    reminder = Reminder.objects.create(user=user, weekdays=weekdays, time_of_day=at, token_hash="x")
    Reminder.objects.filter(pk=reminder.pk).update(created_at=created)
    reminder.refresh_from_db()
    feed = tmp_path / "feed.ics"
    feed.write_bytes(reminder_calendar(reminder, now=created))
    until = created.replace(year=created.year + YEARS)

    [event] = node("ical_expand.mjs", str(feed), until.isoformat())

    assert event["zone"] == zone
    expected = expected_starts(zone, weekdays, at, created.astimezone(ZoneInfo(zone)).date(), until)
    assert len(expected) > 50 * YEARS * len(weekdays) - 10
    wrong = [(got, want) for got, want in zip(event["starts"], expected, strict=False) if got not in want]
    assert not wrong, f"{len(wrong)} occurrences off, first {wrong[:3]}"
    assert len(event["starts"]) == len(expected)
