"""CSV export: one row per release with its session's columns, and one row for each session without a release
(a session stopped by a red flag, one abandoned before the first hold), streamed from a chunked database cursor."""

import csv
import io
import itertools
import json
import operator
import unicodedata
import zoneinfo
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import connection
from django.db.models import Case, CharField, Q, QuerySet, Value, When

from config.text import CONTROL_CHARACTER
from journal import redflags
from journal.lib.daterange import DateRange
from journal.models import Session

CHUNK_SIZE = 2000
# A spreadsheet treats a cell starting with one of these as a formula (or as the start of one); the full-width
# forms are what East Asian input methods type, and some spreadsheets fold them to the ASCII ones.
FORMULA_STARTS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
# What a spreadsheet may drop before it looks at the first character: spaces ("Trim spaces" in LibreOffice, Excel
# ignoring leading blanks), other whitespace and invisible control or format characters.
_SKIPPED_CATEGORIES = {"Zs", "Zl", "Zp", "Cc", "Cf"}

# A release column worked out by the database (`export_queryset`): the held_seconds cell stays a number or empty.
HELD_TIMING = "release_held_timing"
NOT_TIMED = Case(
    When(Q(releases__held_seconds__isnull=True, releases__skipped=False), then=Value("not timed")),
    default=Value(""),
    output_field=CharField(),
)

FIELDS = [
    # (column header, queryset field, kind). Read from sessions joined to their releases (a LEFT JOIN): a session
    # without a release gives one row with the release columns empty. Pain is the usual leg pain on the 0-10 NRS
    # (journal.models.LEG_PAIN_*), never the pressed spot.
    ("session_started_at", "started_at", "datetime"),
    ("session_local_date", "local_date", "date"),
    ("session_finished_at", "finished_at", "datetime"),
    ("routine_name", "routine_name", "text"),
    ("session_status", "status", "text"),
    ("leg_pain_before_session", "pain_before", "number"),
    ("leg_pain_end_of_session", "pain_after", "number"),
    ("safety_check", "safety_check", "text"),
    ("red_flag_tier", "red_flag_tier", "text"),
    ("red_flag_items", "red_flag_items", "red_flags"),
    ("red_flag_assessed_at", "red_flag_assessed_at", "datetime"),
    ("session_notes", "notes", "text"),
    ("position", "releases__position", "number"),
    ("point_name", "releases__point_name", "text"),
    ("side", "releases__side", "text"),
    ("prescribed_seconds", "releases__prescribed_seconds", "number"),
    ("held_seconds", "releases__held_seconds", "number"),
    # "not timed" for a release logged without the timer and no seconds given (held_seconds empty), else empty.
    ("held_timing", HELD_TIMING, "text"),
    ("release_started_at", "releases__started_at", "datetime"),
    ("release_ended_at", "releases__ended_at", "datetime"),
    ("skipped", "releases__skipped", "bool"),
    ("tender", "releases__tender", "bool"),
    ("pressure", "releases__pressure", "number"),
    ("leg_pain_after_hold", "releases__pain_now", "number"),
    ("stopped_early", "releases__stopped_early", "bool"),
    ("release_notes", "releases__notes", "text"),
    ("back_pain_before_session", "back_pain_before", "number"),
    ("back_pain_end_of_session", "back_pain_after", "number"),
]
HEADER = [name for name, _field, _kind in FIELDS] + ["session_leg_pain_change"]


def _first_visible(text: str) -> str:
    for char in text:
        if not (char.isspace() or unicodedata.category(char) in _SKIPPED_CATEGORIES):
            return char
    return ""


def neutralise(text: str) -> str:
    """Text a spreadsheet could run as a formula gets a leading apostrophe, which keeps it plain text: text whose
    first character, or first character after any leading whitespace and control characters, starts a formula.

    Only for text columns: the numbers we write ourselves (negative pain changes too) are never prefixed. Control
    characters other than tab and line breaks are dropped: forms refuse them, but a row saved before they did may
    hold one, and an escape character in a CSV shown in a terminal drives the terminal.
    """
    text = CONTROL_CHARACTER.sub("", text) if text else text
    if text and (text[0] in FORMULA_STARTS or _first_visible(text) in FORMULA_STARTS):
        return "'" + text
    return text


YES_NO = {None: "", True: "yes", False: "no"}
# Distinct texts remembered by one export (each neutralised once): most repeat from row to row (a side, a status, a
# point's name, an empty note). Bounded, so a log of unique notes keeps memory flat.
TEXT_CACHE_SIZE = 4096


def _remembered(make: Callable[[Any], str]) -> Callable[[Any], str]:
    """`make`, remembering up to TEXT_CACHE_SIZE distinct values for one export; None is an empty cell."""
    made: dict[Any, str] = {}

    def cell(value: Any) -> str:
        if value is None:
            return ""
        text = made.get(value)
        if text is None:
            text = make(value)
            if len(made) < TEXT_CACHE_SIZE:
                made[value] = text
        return text

    return cell


def _red_flags(value: Any) -> str:
    """The words of the signs reported, as the person answered them (`value`: the stored JSON list)."""
    items = json.loads(value) if isinstance(value, str) else value
    return neutralise(redflags.as_text(items)) if items else ""


def _converters(zone: zoneinfo.ZoneInfo) -> dict[str, Callable[[Any], Any] | None]:
    """The cell of each kind of value, for one export, from the database driver's values (`release_rows`: no
    Django field conversion). None: the value as it is (csv.writer writes None as an empty cell). Numbers are never
    neutralised: the ones we write stay numbers, negatives too.

    What each database hands back: SQLite (through the converters Django registers with its driver) times without
    a zone, in the zone Django stored them in (UTC), dates, booleans, and a JSON list as its text; PostgreSQL
    (psycopg) times with their zone, dates, booleans, and JSON as its text too (Django loads jsonb as text).
    """
    stored_zone = connection.timezone  # what Django's own conversion gives a time that has none (UTC)

    def moment(value: Any) -> str:
        if value is None:
            return ""
        if value.tzinfo is None:  # combine() is several times faster than replace(tzinfo=), and the same
            value = datetime.combine(value, value.time(), stored_zone)
        return value.astimezone(zone).isoformat(timespec="seconds")  # type: ignore[no-any-return]

    def day(value: Any) -> str:
        return "" if value is None else value.isoformat()

    return {
        "datetime": moment,
        "date": day,
        "bool": YES_NO.__getitem__,
        "red_flags": _remembered(_red_flags),
        "number": None,
        "text": _remembered(lambda value: neutralise(str(value))),
    }


def export_queryset(user: User, date_range: DateRange) -> "QuerySet[Session, tuple[Any, ...]]":
    """Every session in the range with each of its releases (one row per release; one row for a session without
    any), in the order of the log, as value tuples of FIELDS."""
    qs = Session.objects.for_user(user).between(date_range.start, date_range.end)
    qs = qs.order_by("started_at", "pk", "releases__position").annotate(**{HELD_TIMING: NOT_TIMED})
    return qs.values_list(*(field for _name, field, _kind in FIELDS))


def release_rows(user: User, date_range: DateRange) -> Iterator[tuple[Any, ...]]:
    """The rows of `export_queryset` as the database driver gives them (see `_converters`), in order, fetched in
    chunks (a server-side cursor on PostgreSQL) so memory stays flat however long the log is. Django's conversion
    of each value to its field's type is left out: the export turns each straight into its cell."""
    sql, params = export_queryset(user, date_range).query.sql_with_params()
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(CHUNK_SIZE):
            yield from rows


def _release_column(field: str) -> bool:
    return field.startswith("releases__") or field == HELD_TIMING


def row_formatter(zone: zoneinfo.ZoneInfo) -> Callable[[tuple[Any, ...]], tuple[Any, ...]]:
    """The cells of one row of FIELDS' values, and the session's leg pain change. A session's columns repeat on
    each of its releases' rows (the rows come in the log's order), so they are made once per session."""
    kinds = _converters(zone)
    session_at = [n for n, (_name, field, _kind) in enumerate(FIELDS) if not _release_column(field)]
    release_at = [n for n in range(len(FIELDS)) if n not in session_at]
    session_values = operator.itemgetter(*session_at)
    session_cells_of = [kinds[FIELDS[n][2]] for n in session_at]
    release_cells_of = [(n, kinds[FIELDS[n][2]]) for n in release_at]
    # From (session cells..., pain change, release cells...) to the order of HEADER.
    made = [*session_at, len(FIELDS), *release_at]
    layout = operator.itemgetter(*(made.index(n) for n in range(len(FIELDS) + 1)))
    fields = [field for _name, field, _kind in FIELDS]
    pain_before, pain_after = fields.index("pain_before"), fields.index("pain_after")
    last_session: tuple[Any, ...] | None = None
    session_cells: list[Any] = []

    def format_row(values: tuple[Any, ...]) -> tuple[Any, ...]:
        nonlocal last_session, session_cells
        session = session_values(values)
        if session != last_session:
            last_session = session
            session_cells = [
                value if cell is None else cell(value) for cell, value in zip(session_cells_of, session, strict=True)
            ]
            before, after = values[pain_before], values[pain_after]
            session_cells.append(after - before if before is not None and after is not None else "")
        release_cells = [values[n] if cell is None else cell(values[n]) for n, cell in release_cells_of]
        return layout(session_cells + release_cells)  # type: ignore[no-any-return]

    return format_row


ROWS_PER_CHUNK = 500


def csv_lines(user: User, date_range: DateRange) -> Iterator[str]:
    """The CSV text in pieces of a few hundred rows (a byte-order mark first, so spreadsheets read UTF-8)."""
    format_row = row_formatter(user.profile.zone)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow(HEADER)
    rows = release_rows(user, date_range)
    while chunk := list(itertools.islice(rows, ROWS_PER_CHUNK)):
        writer.writerows(map(format_row, chunk))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def csv_filename(date_range: DateRange) -> str:
    return f"tenderspot-log_{date_range.filename_part()}.csv"
