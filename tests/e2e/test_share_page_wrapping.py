"""The share page on a 390 px phone with the longest unbroken value in every user field: nothing runs past the
screen's edge (no horizontal scrolling, no element wider than the viewport)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from journal.models import ShareLink
from journal.redflags import RedFlag
from journal.tokens import new_token
from routines.models import Routine
from tests.clients.longest import LONGEST_LABEL, make_longest_log
from tests.e2e.test_page_width import PAST_THE_EDGE
from tests.factories import make_red_flag_session, make_release

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_longest_values_wrap_on_a_phone(page, owner):
    make_longest_log(owner)
    token, token_hash = new_token()
    ShareLink.objects.create(
        user=owner, label=LONGEST_LABEL, token_hash=token_hash, expires_at=timezone.now() + timedelta(days=7)
    )
    page.goto(f"/journal/s/{token}/")
    assert page.evaluate("window.innerWidth") == 390
    assert page.get_by_role("heading", name="Log: one row per session").is_visible()
    offenders = page.evaluate(PAST_THE_EDGE)  # a wide table may scroll inside its box; the page must not
    assert offenders == [], "\n".join(offenders)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.console_errors == []


def test_a_stopped_sessions_steps_and_marks_wrap_whole_on_a_phone(page, owner):
    """On a phone the log's table stacks and each cell is a row of its label and its value. A cell of several parts
    ("12 of 14" and "(stopped: red flag reported)", or marks) broke each part in two ("12 of" / "14"); now the figure
    stays on one line, the note goes below it whole, and a mark never leaves "×2" alone."""
    session = make_red_flag_session(
        owner, RedFlag.BOTH_LEGS, routine=Routine.objects.builtin().get(slug="whole-article")
    )
    for position in range(1, 13):
        make_release(session, position, pressure=8 if position <= 2 else 4, stopped_early=position == 3)
    token, token_hash = new_token()
    ShareLink.objects.create(
        user=owner, label="Physio", token_hash=token_hash, expires_at=timezone.now() + timedelta(days=7)
    )
    page.goto(f"/journal/s/{token}/")
    row = page.locator(".report-log tr.report-flag-row").first
    lines = """(cell) => {
        const range = document.createRange();
        return [...cell.querySelectorAll('span')].filter((s) => !s.querySelector('span')).map((span) => {
            range.selectNodeContents(span);
            return [span.textContent, new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size];
        }).concat([...cell.childNodes].filter((n) => n.nodeType === 3).map((n) => {
            range.selectNodeContents(n);
            return [n.textContent, new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size];
        }));
    }"""
    steps = row.locator("td").nth(2)
    expect(steps).to_contain_text("12 of 14")
    assert all(count == 1 for _, count in steps.evaluate(lines)), steps.evaluate(lines)
    marks = row.locator("td").nth(4)
    expect(marks).to_contain_text("pressure >7 ×2")
    assert all(count == 1 for _, count in marks.evaluate(lines)), marks.evaluate(lines)


def test_every_releases_notes_take_a_third_of_the_table(page, owner):
    """The notes are the one free text of the every-release table; they were squeezed into a quarter of its width
    while the figures beside them had room to spare (the PDF lays the table out with the same widths)."""
    session = make_red_flag_session(owner, RedFlag.BOTH_LEGS)
    make_release(session, 1, notes="Sharp at first, then eased off after about twenty seconds; felt it in the thigh")
    token, token_hash = new_token()
    ShareLink.objects.create(
        user=owner, label="Physio", token_hash=token_hash, expires_at=timezone.now() + timedelta(days=7)
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/journal/s/{token}/?releases=all")
    table = page.locator("table.report-every")
    notes = table.locator("thead th").last
    expect(notes).to_have_text("Notes")
    assert notes.bounding_box()["width"] >= table.bounding_box()["width"] / 3
