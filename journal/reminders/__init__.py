"""Reminders: a private iCalendar feed of the user's practice times."""
