"""VTIMEZONE components (RFC 5545 section 3.6.5) written from the zone database, in the form every calendar client
reads the same way.

icalendar's `add_missing_timezones()` lists all of a zone's changes as dates on one RDATE line; the standard allows
that, but Mozilla's ical.js (Thunderbird and many web calendars) reads only the first date of such a line, so every
later change is lost, and its list stops in 2037. Here each change is its own RDATE line, for a window that runs
twenty years past today.
"""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

YEARS_AHEAD = 20
_DAY = timedelta(days=1)


State = tuple[timedelta, bool, str]  # (UTC offset, is DST, abbreviation)


def _state(zone: ZoneInfo, instant: datetime) -> State:
    local = instant.astimezone(zone)
    return local.utcoffset() or timedelta(0), bool(local.dst()), local.tzname() or ""


def transitions(zone: ZoneInfo, start: datetime, end: datetime) -> Iterator[tuple[datetime, State, State]]:
    """(UTC instant, state before, state after) for each change of offset, DST flag or name in [start, end), where a
    state is (UTC offset, is DST, abbreviation). Scans a day at a time and bisects to the second: zones change at
    most a few times a year, never twice in a day."""
    before = _state(zone, start)
    day = start
    while day < end:
        after_day = day + _DAY
        if _state(zone, after_day) != before:
            low, high = day, after_day  # the change is in (low, high]
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                if _state(zone, middle) == before:
                    low = middle
                else:
                    high = middle
            high = high.replace(microsecond=0)
            after = _state(zone, high)
            yield high, before, after
            before = after
        day = after_day


def vtimezone(key: str, first: datetime, now: datetime) -> Timezone:
    """The VTIMEZONE of zone `key` covering `first` (the earliest local time the calendar uses) to twenty years past
    `now`. Observances with the same offsets and name share one component, each change its own RDATE line (in the
    local time before the change, as the standard wants)."""
    zone = ZoneInfo(key)
    start = datetime(first.year, 1, 1, tzinfo=UTC) - _DAY
    end = datetime(max(first.year, now.year) + YEARS_AHEAD + 1, 1, 1, tzinfo=UTC)
    observances: dict[tuple[timedelta, timedelta, bool, str], list[datetime]] = {}  # (from, to, DST, name)
    offset, dst, name = _state(zone, start)
    # The state in force at the window's start, as an observance that begins there.
    observances[(offset, offset, dst, name)] = [(start + offset).replace(tzinfo=None)]
    for instant, (old_offset, _old_dst, _old_name), (new_offset, new_dst, new_name) in transitions(zone, start, end):
        key_ = (old_offset, new_offset, new_dst, new_name)
        observances.setdefault(key_, []).append((instant + old_offset).replace(tzinfo=None))

    tz = Timezone()
    tz.add("tzid", key)
    for (offset_from, offset_to, is_dst, tzname), onsets in observances.items():
        component = TimezoneDaylight() if is_dst else TimezoneStandard()
        component.add("dtstart", onsets[0])
        # The first onset again as an RDATE: ical.js counts DTSTART as an onset only in a component without RDATEs
        # (the standard makes the repeat harmless: a recurrence set has no duplicates).
        for onset in onsets if len(onsets) > 1 else ():
            component.add("rdate", onset)
        component.add("tzoffsetfrom", offset_from)
        component.add("tzoffsetto", offset_to)
        if tzname:
            component.add("tzname", tzname)
        tz.add_component(component)
    return tz
