"""Exports of a user's journal (CSV, JSON, FHIR, PDF, iCalendar) and the JSON import."""
