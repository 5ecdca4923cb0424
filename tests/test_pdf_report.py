"""PDF report: page one is the practitioner summary with the key figures; page numbers; A4 and Letter; inert."""

import io
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from weasyprint.urls import URLFetchingError

from journal.exports.pdf import NoFetcher, render_report_pdf
from journal.exports.report import report_context
from journal.lib.daterange import DateRange
from journal.models import SafetyAnswer, SessionStatus
from routines.models import Routine
from tests.factories import make_log, make_release, make_session

URL = reverse("journal:export_pdf")
A4 = (595, 842)
LETTER = (612, 792)


def pdf_of(response) -> PdfReader:
    assert response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content))


def text_of(reader: PdfReader) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def test_anonymous_is_sent_to_login(anonymous_client):
    response = anonymous_client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_wrong_method(owner_client):
    assert owner_client.post(URL).status_code == 405


@pytest.mark.django_db
def test_summary_page_holds_the_period_and_key_figures(owner, owner_client):
    make_log(owner, days=40, start=datetime(2026, 1, 1, 9, tzinfo=UTC))
    flagged = make_session(
        owner,
        started_at=datetime(2026, 2, 9, 18, tzinfo=UTC),
        status=SessionStatus.STOPPED,
        safety_check=SafetyAnswer.YES,
        notes="Numb on both sides, called 111",
    )
    make_release(flagged, 1)
    started = time.perf_counter()
    response = owner_client.get(URL, {"start": "2026-01-01", "end": "2026-02-09"})
    elapsed = time.perf_counter() - started
    print(f"\nPDF render, 41 sessions: {elapsed:.2f} s")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    pages = text_of(pdf_of(response))
    summary = pages[0]
    assert "Period: 2026-01-01 to 2026-02-09 (40 days)" in summary
    assert "Sessions 41" in summary and "Completed 40" in summary
    assert "Days with a completed session 40 of 40 (100%)" in summary
    assert "decrease" not in summary  # a red flag in the recent window: no comparison, let alone "improvement"
    assert "No comparison shown: a red flag was reported in the recent period." in summary
    assert "1 session with a red flag reported" in summary and "2026-02-09" in summary
    assert "Glute, top Left 41" in summary  # most often tender, and its side
    assert "Numb on both sides, called 111" in pages[1]  # its note, in the log
    assert "Page 1 of" in summary
    assert "Log: one row per session" in pages[1] and "Log: one row" not in summary
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]


def test_a_period_running_past_today_counts_the_days_up_to_today(owner):
    sessions = make_log(owner, days=10, start=timezone.now() - timedelta(days=9))
    today = owner.profile.local_date()
    report = report_context(owner, DateRange(sessions[0].local_date, today + timedelta(days=20)))
    assert report["period_end"] == today
    assert report["period_days"] == (today - sessions[0].local_date).days + 1 == 10
    assert report["adherence_percent"] == 100


@pytest.mark.django_db
def test_baseline_against_recent_label(owner, owner_client):
    make_log(owner, days=40, start=datetime(2026, 1, 1, 9, tzinfo=UTC))
    summary = text_of(pdf_of(owner_client.get(URL)))[0]
    assert "Leg pain lower by an amount IMMPACT calls substantial" in summary
    assert "cannot show that the releases helped" in summary
    assert "baseline 6.7 (7 days, 2026-01-01 to 2026-01-07)" in summary
    assert "recent 0.3 (7 days, 2026-02-03 to 2026-02-09)" in summary
    assert "6.4 points lower (96%)" in summary  # 6.7 - 0.3, as shown


@pytest.mark.django_db
@pytest.mark.parametrize(("paper", "size"), [("a4", A4), ("letter", LETTER), ("LETTER", LETTER)])
def test_paper_sizes(owner, owner_client, paper, size):
    make_log(owner, days=5)
    reader = pdf_of(owner_client.get(URL, {"paper": paper}))
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == size


@pytest.mark.django_db
def test_bad_paper_or_dates_are_a_clear_400(owner_client):
    assert owner_client.get(URL, {"paper": "a3"}).status_code == 400
    response = owner_client.get(URL, {"start": "2026-02-31"})
    assert response.status_code == 400 and "start date" in response.content.decode()


@pytest.mark.django_db
def test_empty_log_still_renders(owner_client):
    pages = text_of(pdf_of(owner_client.get(URL)))
    assert "no sessions recorded" in pages[0] and "No pain scores in this period." in pages[0]


@pytest.mark.django_db
def test_hostile_notes_render_as_text_and_fetch_nothing(owner, monkeypatch):
    fetched = []
    monkeypatch.setattr(NoFetcher, "fetch", lambda self, url, headers=None: fetched.append(url) or 1 / 0)
    session = make_session(
        owner,
        notes='<img src="http://example.invalid/x.png"><script>alert(1)</script>=1+1',
        pain_before=5,
        status=SessionStatus.COMPLETED,
    )
    make_release(session, 1, notes='<link rel="stylesheet" href="http://example.invalid/a.css">')
    pdf = render_report_pdf(report_context(owner, DateRange()))
    text = "".join("".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "<script>alert(1)</script>=1+1" in text  # wrapped in its column: compared without the spaces
    assert fetched == []  # escaped markup is text: nothing to fetch


def test_the_fetcher_refuses_everything():
    for url in ("http://example.com/a.png", "https://example.com/", "file:///etc/passwd", "data:text/plain,hi"):
        with pytest.raises(URLFetchingError):
            NoFetcher().fetch(url)


@pytest.mark.django_db
def test_other_users_data_never_appears(owner, other_user, owner_client):
    theirs = make_session(other_user, notes="Other person's note", started_at=datetime.now(UTC) - timedelta(days=1))
    make_release(theirs, 1)
    text = " ".join(text_of(pdf_of(owner_client.get(URL))))
    assert "Other person" not in text and "Sessions 0" in text


@pytest.mark.django_db
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_a_full_summary_still_fits_on_page_one(owner, owner_client, paper):
    """Worst case: many tender points, many red flags and long notes; the summary stays on page one."""
    whole = Routine.objects.get(slug="whole-article")
    make_log(owner, days=30, start=datetime(2026, 1, 1, 9, tzinfo=UTC), routine=whole)
    for day in range(12):
        session = make_session(
            owner,
            started_at=datetime(2026, 1, 1 + day, 20, tzinfo=UTC),
            status=SessionStatus.STOPPED,
            safety_check=SafetyAnswer.YES,
            notes=f"Note {day}: " + "a long account of how this session went, with many words in it. " * 6,
        )
        make_release(session, 1)
    pages = text_of(pdf_of(owner_client.get(URL, {"paper": paper})))
    assert "12 sessions with a red flag reported" in pages[0] and "4 earlier" in pages[0]
    assert "Points most often tender" in pages[0] and "Adverse responses" in pages[0]
    assert pages[1].startswith("Log: one row per session")
