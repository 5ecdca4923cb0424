"""iCalendar (RFC 5545) feed for a reminder: a weekly recurring event with an alarm, in the user's own zone."""

from datetime import date, datetime, timedelta

from django.utils import timezone
from icalendar import Alarm, Calendar, Event

from journal.models import Reminder
from journal.reminders.vtimezone import vtimezone

BYDAY = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
ALARM_LEAD_MINUTES = 5  # the calendar's alert comes this long before the session: time to fetch the ball


def first_occurrence(reminder: Reminder, today: date) -> date:
    """The first listed weekday on or after `today`: RFC 5545 wants DTSTART to be an instance of the rule."""
    for offset in range(7):
        day = today + timedelta(days=offset)
        if day.weekday() in reminder.weekdays:
            return day
    return today


def reminder_calendar(reminder: Reminder, now: datetime | None = None) -> bytes:
    now = now or timezone.now()
    profile = reminder.user.profile
    zone = profile.zone
    name = reminder.routine.name if reminder.routine else "your routine"
    # Anchored at the reminder's creation so the feed is the same on every fetch.
    anchor = profile.local_date(reminder.created_at or now)
    start = datetime.combine(first_occurrence(reminder, anchor), reminder.time_of_day, tzinfo=zone)

    cal = Calendar()
    cal.add("prodid", "-//Tenderspot//Reminders//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Tenderspot reminders")

    event = Event()
    event.add("uid", f"reminder-{reminder.pk}@tenderspot")
    event.add("dtstamp", reminder.created_at or now)
    event.add("dtstart", start)
    event.add("duration", timedelta(minutes=reminder.duration_minutes))
    event.add("rrule", {"freq": "weekly", "byday": [BYDAY[d] for d in sorted(reminder.weekdays)]})
    event.add("summary", f"Tenderspot: {name}")
    event.add(
        "description",
        "Time for your release routine, if it suits you today. Stop and get care if a red flag shows.",
    )
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f"Tenderspot: {name}")
    alarm.add("trigger", timedelta(minutes=-ALARM_LEAD_MINUTES))
    event.add_component(alarm)
    # Our own VTIMEZONE, not icalendar's add_missing_timezones(): see journal/reminders/vtimezone.py.
    cal.add_component(vtimezone(zone.key, start, now))
    cal.add_component(event)
    ical: bytes = cal.to_ical()
    return ical
