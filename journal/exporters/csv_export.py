"""CSV export: one row per release with its session's columns, streamed from a chunked database cursor."""

import csv
import io
import zoneinfo
from collections.abc import Iterator

from journal.exporters.daterange import DateRange
from journal.models import Release

CHUNK_SIZE = 2000
# A spreadsheet treats a cell starting with one of these as a formula (or as the start of one).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

FIELDS = [
    # (column header, queryset field, kind)
    ("session_started_at", "session__started_at", "datetime"),
    ("session_local_date", "session__local_date", "date"),
    ("session_finished_at", "session__finished_at", "datetime"),
    ("routine_name", "session__routine_name", "text"),
    ("session_status", "session__status", "text"),
    # Pain is the usual leg pain on the 0-10 NRS (journal.models.LEG_PAIN_*), never the pressed spot.
    ("leg_pain_before_session", "session__pain_before", "number"),
    ("leg_pain_end_of_session", "session__pain_after", "number"),
    ("safety_check", "session__safety_check", "text"),
    ("session_notes", "session__notes", "text"),
    ("position", "position", "number"),
    ("point_name", "point_name", "text"),
    ("side", "side", "text"),
    ("prescribed_seconds", "prescribed_seconds", "number"),
    ("held_seconds", "held_seconds", "number"),
    ("release_started_at", "started_at", "datetime"),
    ("release_ended_at", "ended_at", "datetime"),
    ("skipped", "skipped", "bool"),
    ("tender", "tender", "bool"),
    ("pressure", "pressure", "number"),
    ("leg_pain_after_hold", "pain_now", "number"),
    ("stopped_early", "stopped_early", "bool"),
    ("release_notes", "notes", "text"),
    ("back_pain_before_session", "session__back_pain_before", "number"),
    ("back_pain_end_of_session", "session__back_pain_after", "number"),
]
HEADER = [name for name, _field, _kind in FIELDS] + ["session_leg_pain_change"]


def neutralise(text: str) -> str:
    """Text a spreadsheet could run as a formula gets a leading apostrophe, which it shows as plain text."""
    if text and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _converter(kind: str, zone: zoneinfo.ZoneInfo):
    if kind == "datetime":
        return lambda v: "" if v is None else v.astimezone(zone).isoformat(timespec="seconds")
    if kind == "date":
        return lambda v: "" if v is None else v.isoformat()
    if kind == "bool":
        return lambda v: "" if v is None else ("yes" if v else "no")
    if kind == "number":
        return lambda v: "" if v is None else int(v)  # numbers we write ourselves stay numbers, negatives too
    return lambda v: "" if v is None else neutralise(str(v))


def release_rows(user, date_range: DateRange) -> Iterator[tuple]:
    """Raw value tuples, in order, fetched in chunks so memory stays flat however long the log is."""
    qs = Release.objects.for_user(user).between(date_range.start, date_range.end)
    qs = qs.order_by("session__started_at", "session_id", "position")
    return qs.values_list(*(field for _name, field, _kind in FIELDS)).iterator(chunk_size=CHUNK_SIZE)


def row_formatter(zone: zoneinfo.ZoneInfo):
    converters = [_converter(kind, zone) for _name, _field, kind in FIELDS]

    def format_row(values: tuple) -> list:
        row = [convert(value) for convert, value in zip(converters, values, strict=True)]
        before, after = values[5], values[6]
        row.append(after - before if before is not None and after is not None else "")
        return row

    return format_row


ROWS_PER_CHUNK = 500


def csv_lines(user, date_range: DateRange) -> Iterator[str]:
    """The CSV text in pieces of a few hundred rows (a byte-order mark first, so spreadsheets read UTF-8)."""
    format_row = row_formatter(user.profile.zone)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow(HEADER)
    pending = 0
    for values in release_rows(user, date_range):
        writer.writerow(format_row(values))
        pending += 1
        if pending == ROWS_PER_CHUNK:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    yield buffer.getvalue()


def csv_filename(date_range: DateRange) -> str:
    return f"tenderspot-log_{date_range.filename_part()}.csv"
