"""The CSV as LibreOffice Calc imports it with "Evaluate formulas" and "Trim spaces" on: no cell is a formula,
whatever leading whitespace or control characters a value starts with; numbers stay numbers (negatives too) and
dates stay dates; commas, semicolons, backslashes, newlines, non-ASCII text and emoji survive."""

import unicodedata
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from journal.exports.csv_export import HEADER
from journal.models import SessionStatus
from tests.audit.tools import skip_unless_available
from tests.clients.calc import calc_cells
from tests.factories import make_release, make_session

TRIGGERS = ["=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20"]
LEADS = ["", " ", "   ", "\t", "\n", "\r\n", "\u00a0", "\u3000", "\x01", " \x0b "]
PAYLOAD = "1+1+cmd|' /C calc'!A0"
AWKWARD = [
    "Glutes, then heel; left\\right",
    'Two\nlines, "quoted"',
    "Ça va 👍🏽 — fessier ; 臀部",
    "-3",
    "+44 20 7946 0000",
]


def visible(text: str) -> str:
    """`text` without whitespace and control characters (a cell holds no control characters; Calc trims)."""
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) != "Cc")


@pytest.mark.django_db
def test_calc_reads_no_formula_and_keeps_numbers_dates_and_text(owner, owner_client, tmp_path):
    skip_unless_available("soffice")
    values = [lead + trigger + PAYLOAD for trigger in TRIGGERS for lead in LEADS] + AWKWARD
    session = make_session(
        owner,
        started_at=datetime(2026, 7, 1, 8, 0, tzinfo=UTC),
        status=SessionStatus.COMPLETED,
        finished_at=datetime(2026, 7, 1, 8, 20, tzinfo=UTC),
        pain_before=7,
        pain_after=4,
        routine_name=' =HYPERLINK("http://x";"y"), my routine 🙂',
        notes=" @SUM(1;2)\nsecond line; with \\ and ,",
    )
    for position, value in enumerate(values, start=1):
        make_release(session, position, notes=value, point_name=value, pressure=position % 11)
    response = owner_client.get(reverse("journal:export_csv"))
    path = tmp_path / "log.csv"
    path.write_bytes(b"".join(response.streaming_content))

    rows = calc_cells(path, tmp_path)

    header, body = rows[0], rows[1:]
    assert [cell["text"] for cell in header] == HEADER
    assert len(body) == len(values)
    formulas = [(r, c, cell["text"]) for r, row in enumerate(rows) for c, cell in enumerate(row) if cell["formula"]]
    assert not formulas, f"{len(formulas)} formula cells, e.g. {formulas[:3]}"
    column = {name: index for index, name in enumerate(HEADER)}
    for row, value in zip(body, values, strict=True):
        for name in ("release_notes", "point_name"):
            cell = row[column[name]]
            assert cell["type"] == "string", (value, cell)
            # Calc trims whitespace as it likes; the visible characters are the value's, after at most our apostrophe.
            assert visible(cell["text"].removeprefix("'")) == visible(value), (value, cell)
        assert row[column["leg_pain_before_session"]] == {"type": "float", "value": "7", "text": "7", "formula": None}
        assert row[column["session_leg_pain_change"]]["type"] == "float"
        assert row[column["session_leg_pain_change"]]["value"] == "-3"
        assert row[column["session_local_date"]]["type"] == "date"
        assert row[column["session_local_date"]]["value"].startswith("2026-07-01")
    first = body[0]
    assert "my routine 🙂" in first[column["routine_name"]]["text"]
    notes = first[column["session_notes"]]["text"].removeprefix("'").lstrip(" ")
    assert notes == "@SUM(1;2)\nsecond line; with \\ and ,"
    # Instants keep their UTC offset, which no spreadsheet cell can hold: they stay exact ISO 8601 text.
    assert first[column["session_started_at"]]["text"] == "2026-07-01T08:00:00+00:00"
    awkward = {row[column["release_notes"]]["text"].removeprefix("'") for row in body[-len(AWKWARD) :]}
    assert awkward == set(AWKWARD)
