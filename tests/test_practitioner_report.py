"""The practitioner report (issue 15): page one holds what a clinician scans for, read back from the PDF; a compact
log of one row per session with bounded pages; every release only on request, capped; one font family; "Made" in
the person's time zone; the share page shows the same content in the same order; the report's name and questions
are saved from the exports page and shown nowhere else."""

import io
import json
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import REPORT_NAME_MAX_LENGTH, REPORT_QUESTIONS_MAX_LENGTH, PainfulLeg, PrecautionProfile
from journal import redflags
from journal.exports import report
from journal.exports import views as exports
from journal.exports.pdf import render_report_pdf, report_html
from journal.exports.report_chart import MIN_PRINTED_PT, PRINT_WIDTH_PT, WIDTH, report_pain_chart
from journal.lib.daterange import DateRange
from journal.models import Release, Session, SessionStatus, ShareLink
from journal.redflags import RedFlag
from journal.trends import meaningful
from journal.trends.charts import AFTER, BEFORE, NARROW, NARROW_FONT
from tests.audit.tools import skip_unless_available
from tests.factories import PASSWORD, make_log, make_red_flag_session, make_release, make_session
from tests.test_share_links import BROWSER, make_link, view_url

PDF = reverse("journal:export_pdf")
DETAILS = reverse("journal:report_details")
EXPORTS = reverse("journal:exports")
QUESTIONS = "Is it fine to keep pressing the glute points while the leg tingles at night?"


def pages_of(content: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages]


def client_of(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def seeded_year(db):
    """A year of seed_demo history, with the profile answers, a red flag with its items, back pain and a name."""
    call_command("seed_demo", username="year", password=PASSWORD, days=365, seed=7, verbosity=0)
    user = get_user_model().objects.get(username="year")
    profile = user.profile
    profile.report_name = "Sam Example"
    profile.report_questions = QUESTIONS
    profile.save()
    PrecautionProfile.objects.update_or_create(
        user=user,
        defaults={"painful_leg": PainfulLeg.LEFT, "episode_started": date(2026, 1, 5), "clinician_assessed": "no"},
    )
    today = profile.local_date()
    flagged = make_red_flag_session(user, RedFlag.FEVER, started_at=timezone.now() - timedelta(days=3))
    Session.objects.filter(user=user, local_date__gte=today - timedelta(days=20)).update(back_pain_before=4)
    return user, flagged


@pytest.mark.django_db
def test_page_one_holds_what_a_clinician_scans_for(seeded_year):
    user, flagged = seeded_year
    pages = pages_of(client_of(user).get(PDF).content)
    first = pages[0]
    assert "Trigger-point self-release log: Sam Example" in first
    assert "Period:" in first and "Made " in first
    assert "Painful leg: Left leg" in first and "Episode started: 2026-01-05" in first
    assert "Episode assessed by a clinician: No" in first
    assert re.search(r"\d+ sessions? with a red flag reported", first)
    assert f"{flagged.local_date:%Y-%m-%d}" in first and redflags.FOR_CLINICIAN[RedFlag.FEVER] in first
    assert "No comparison shown: a red flag was reported in the recent period." in first
    assert "Weekly mean pain before and after sessions" in first and "Back pain before" in first
    assert "Adverse responses" in first and "Stopped early because it hurt" in first
    assert "Pressure above 7" in first and "Leg pain higher at the end than at the start" in first
    assert "Points most often tender" in first and "order of the steps" in first
    assert "Questions for my practitioner" in first and QUESTIONS[:40] in first
    assert "Releases held" in first and first.index("Releases held") < first.index("Red flags")  # the period's size
    # Red flags come before the pain figures, the questions last.
    assert first.index("Red flags") < first.index("Weekly mean pain") < first.index("Adverse responses")
    assert first.index("Adverse responses") < first.index("Questions for my practitioner")
    assert "Log: one row per session" not in first and pages[1].startswith("Log: one row per session")
    # A year of sessions in a few pages (seed_demo makes about 280).
    assert len(pages) <= 10, len(pages)


@pytest.mark.django_db
def test_a_red_flag_only_session_is_on_page_one(owner, owner_client):
    make_log(owner, days=20, start=datetime(2026, 3, 1, 9, tzinfo=UTC))
    make_red_flag_session(owner, RedFlag.SADDLE, started_at=datetime(2026, 3, 30, 8, tzinfo=UTC))
    first = pages_of(owner_client.get(PDF).content)[0]
    assert "1 session with a red flag reported" in first
    assert "2026-03-30" in first and redflags.FOR_CLINICIAN[RedFlag.SADDLE] in first
    # Read by the clinician: the sign in neutral words, the tier named for the reader, never "you" or "your".
    flags = first[first.index("Red flags") : first.index("Leg pain")]
    assert "(emergency sign)" in flags and not re.search(r"\b(you|your)\b", flags, re.IGNORECASE), flags


@pytest.mark.django_db
def test_the_shown_baseline_and_recent_means_subtract_to_the_shown_change(owner, owner_client):
    # Baseline 45/7 = 6.43 (shown 6.4), recent 32/7 = 4.57 (shown 4.6): the unrounded change -1.86 would show as
    # -1.9, which the shown numbers do not give; the report says 1.8.
    start = datetime(2026, 3, 1, 9, tzinfo=UTC)
    for day, pain in enumerate([6, 6, 6, 7, 7, 6, 7, 5, 5, 4, 5, 4, 5, 4]):
        make_session(owner, started_at=start + timedelta(days=day), status=SessionStatus.COMPLETED, pain_before=pain)
    change = meaningful.meaningful_change(owner, start=date(2026, 3, 1), end=date(2026, 3, 14), today=date(2026, 3, 14))
    assert (change.baseline_shown, change.recent_shown, change.points) == (
        Decimal("6.4"),
        Decimal("4.6"),
        Decimal("-1.8"),
    )
    assert change.recent_shown - change.baseline_shown == change.points
    first = pages_of(owner_client.get(PDF, {"start": "2026-03-01", "end": "2026-03-14"}).content)[0]
    assert "baseline 6.4" in first and "recent 4.6" in first and "1.8 points lower" in first


@pytest.mark.django_db
def test_made_is_in_the_persons_time_zone(owner, owner_client):
    owner.profile.time_zone = "Pacific/Auckland"
    owner.profile.save()
    before = timezone.localtime(timezone.now(), owner.profile.zone)
    first = pages_of(owner_client.get(PDF).content)[0]
    after = timezone.localtime(timezone.now(), owner.profile.zone)
    shown = re.search(r"Made (\d{4}-\d\d-\d\d \d\d:\d\d) \(Pacific/Auckland\)", first)
    assert shown and shown.group(1) in {f"{before:%Y-%m-%d %H:%M}", f"{after:%Y-%m-%d %H:%M}"}


@pytest.mark.django_db
def test_one_font_family_throughout_the_footer_included(owner, owner_client):
    make_log(owner, days=5)
    reader = PdfReader(io.BytesIO(owner_client.get(PDF).content))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts and all("DejaVu-Sans" in name for name in fonts), fonts


@pytest.mark.django_db
def test_emoji_in_notes_print_as_emoji_not_boxes(owner, owner_client):
    """People write emoji in their notes; DejaVu Sans has none, so without a colour emoji font on the server they
    printed as empty boxes. With Debian's fonts-noto-color-emoji installed (CI and the README's deployment install
    it) WeasyPrint falls back to it for them, and the rest stays in DejaVu Sans."""
    skip_unless_available("emoji")
    make_log(owner, days=3, notes="Much easier today \U0001f600\U0001f44d after the ball \U0001f3be")
    reader = PdfReader(io.BytesIO(owner_client.get(PDF).content))
    fonts = {
        str(font.get_object()["/BaseFont"]) for page in reader.pages for font in page["/Resources"]["/Font"].values()
    }
    assert any("Emoji" in name for name in fonts), fonts
    assert all("DejaVu-Sans" in name or "Emoji" in name for name in fonts), fonts


def test_chart_labels_print_at_8_pt_or_more():
    chart = report_pain_chart(
        {date(2026, 1, 1) + timedelta(days=d): 5.0 for d in range(200)},
        {date(2026, 1, 1) + timedelta(days=d): 4.0 for d in range(200)},
        {date(2026, 1, 1): 3.0},
        period_days=200,
    )
    sizes = [float(size) for size in re.findall(r'font-size="([\d.]+)"', str(chart.svg))]
    assert sizes and min(sizes) * PRINT_WIDTH_PT / WIDTH >= MIN_PRINTED_PT
    assert chart.columns[0] == "Week from" and "Back pain before" in chart.columns
    # Three months or less: a point a day.
    daily = report_pain_chart({date(2026, 1, 1): 5.0, date(2026, 3, 1): 4.0}, {}, {}, period_days=60)
    assert daily.columns[0] == "Date" and len(daily.columns) == 3  # no back pain logged, no back pain line


@pytest.mark.django_db
def test_the_log_has_one_row_per_session_with_steps_marks_and_cut_notes(owner, owner_client):
    session = make_session(
        owner,
        started_at=datetime(2026, 4, 2, 9, tzinfo=UTC),
        status=SessionStatus.COMPLETED,
        pain_before=4,
        pain_after=6,
        notes="N" * 70 + " and then a long tail that the log cuts",
    )
    make_release(session, 1, stopped_early=True)
    make_release(session, 2, pressure=9)
    rows = report.report_context(owner, DateRange())["log"]
    assert len(rows) == 1
    row = rows[0]
    assert (row["releases_done"], row["planned"]) == (2, len(session.plan)) and len(session.plan) > 2
    assert row["marks"] == "stopped early; pressure >7; pain rose"
    pages = pages_of(owner_client.get(PDF).content)
    log = "".join(pages[1].split())
    assert f"2of{len(session.plan)}" in log and "4→6" in log and "stoppedearly;pressure>7;painrose" in log
    assert "N" * 70 + "andthen…" in log and "cuts" not in log


@pytest.mark.django_db
def test_the_log_is_capped_and_says_so(owner, monkeypatch):
    monkeypatch.setattr(report, "LOG_LIMIT", 5)
    make_log(owner, days=8)
    context = report.report_context(owner, DateRange())
    assert len(context["log"]) == 5 and context["log_hidden"] == 3
    text = " ".join(pages_of(render_report_pdf(context))[1].split())
    assert "The 5 most recent sessions are listed; 3 older ones are counted on page one but not listed." in text


@pytest.mark.django_db
def test_long_release_notes_add_no_pages_to_the_report(owner):
    sessions = make_log(owner, days=60, start=datetime(2026, 1, 1, 9, tzinfo=UTC))
    plain = len(pages_of(render_report_pdf(report.report_context(owner, DateRange()))))
    ids = Release.objects.filter(session__in=sessions[-10:], position=1).values_list("pk", flat=True)
    Release.objects.filter(pk__in=list(ids)).update(notes="W" * 1000)
    assert len(pages_of(render_report_pdf(report.report_context(owner, DateRange())))) == plain


@pytest.mark.django_db
def test_every_release_only_when_asked_and_capped(owner, owner_client, monkeypatch):
    monkeypatch.setattr(report, "RELEASE_SESSIONS_LIMIT", 3)
    make_log(owner, days=6, start=datetime(2026, 5, 1, 9, tzinfo=UTC))
    Release.objects.filter(user=owner).update(notes="x" * 300)
    plain = " ".join(pages_of(owner_client.get(PDF).content))
    assert "Every release of the latest sessions" not in plain
    pages = pages_of(owner_client.get(PDF, {"releases": "all"}).content)
    text = " ".join(pages)
    assert "Every release of the latest sessions" in text
    assert "Every release of the 3 most recent sessions at most (here 3)" in text
    every = text[text.index("Every release of the latest sessions") :]
    assert "2026-05-06 · " in every and "2026-05-04 · " in every and "2026-05-03 · " not in every  # the latest three
    assert "x" * 160 not in "".join(text.split())  # notes cut at 160 characters
    assert owner_client.get(PDF, {"releases": "some"}).status_code == 400
    cap = exports.RELEASE_SESSIONS_LIMIT  # the page says the same cap as the report
    assert f"Include every release of the {cap} most recent sessions" in owner_client.get(EXPORTS).content.decode()


@pytest.mark.django_db
def test_ten_years_stay_within_a_few_pages(owner, owner_client, monkeypatch):
    monkeypatch.setattr(report, "LOG_LIMIT", 40)
    make_log(owner, days=60, start=datetime(2016, 1, 1, 9, tzinfo=UTC))
    make_log(owner, days=60, start=datetime(2026, 1, 1, 9, tzinfo=UTC))
    pages = pages_of(owner_client.get(PDF, {"start": "1926-01-01"}).content)
    assert 2 <= len(pages) <= 4, len(pages)


# The share page mirrors the PDF --------------------------------------------------------------------------------

HEADINGS = [
    "Red flags",
    "Leg pain and back pain",
    "No comparison shown",  # the red flag three days ago: the comparison gives way to it
    "Adverse responses",
    "Points most often tender",
    "Questions for my practitioner",
    "Log: one row per session",
]


@pytest.mark.django_db
def test_the_share_page_mirrors_the_pdf(seeded_year, anonymous_client):
    user, flagged = seeded_year
    _link, token = make_link(user)
    page = anonymous_client.get(view_url(token), headers={"User-Agent": BROWSER}).content.decode()
    page_text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    pdf_text = " ".join(pages_of(anonymous_client.get(reverse("journal:share_pdf", args=[token])).content))
    for text in (page_text, pdf_text):
        positions = [text.index(heading) for heading in HEADINGS]
        assert positions == sorted(positions), text[:300]
        assert "Sam Example" in text and QUESTIONS[:40] in text and f"{flagged.local_date:%Y-%m-%d}" in text
    sessions = re.search(r'data-figure="sessions">(\d+)<', page).group(1)
    assert f"Sessions {sessions} " in pdf_text
    # Each listed date of a red flag or an adverse response is kept whole on a narrow screen ("2026-12-" / "01").
    for section in ("red-flags", "adverse"):
        listed = re.search(rf'data-figure="{section}">(.*?)</(ul|div)>', page, re.S).group(1)
        dates = re.findall(r"\d{4}-\d{2}-\d{2}", listed)
        assert dates and len(dates) == listed.count('<span class="report-date">'), section


@pytest.mark.django_db
def test_the_share_page_offers_every_release_and_its_pdf_links_carry_it(owner, anonymous_client):
    make_log(owner, days=3)
    _link, token = make_link(owner)
    plain = anonymous_client.get(view_url(token)).content.decode()
    assert "Every release of the latest sessions" not in plain and "releases=all" in plain
    full = anonymous_client.get(view_url(token), {"releases": "all"}).content.decode()
    assert "Every release of the latest sessions" in full
    assert "report.pdf?releases=all&amp;paper=a4" in full
    assert anonymous_client.get(view_url(token), {"releases": "1"}).status_code == 400


# The report's name and questions --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_details_are_saved_and_shown_on_the_report(owner, owner_client):
    response = owner_client.post(DETAILS, {"report_name": "Sam Example", "report_questions": QUESTIONS})
    assert response.status_code == 302 and response["Location"] == EXPORTS + "?saved=1"
    owner.profile.refresh_from_db()
    assert (owner.profile.report_name, owner.profile.report_questions) == ("Sam Example", QUESTIONS)
    page = owner_client.get(response["Location"]).content.decode()
    assert 'value="Sam Example"' in page and QUESTIONS in page
    assert '<span class="ms-2" role="status">Saved.</span>' in page  # said where the details are
    assert "Saved." not in owner_client.get(EXPORTS).content.decode()


@pytest.mark.django_db
def test_bad_details_are_a_clear_422_and_nothing_is_saved(owner, owner_client):
    too_long = {"report_name": "N" * (REPORT_NAME_MAX_LENGTH + 1), "report_questions": "Q" * 10}
    response = owner_client.post(DETAILS, too_long)
    assert response.status_code == 422
    assert "Ensure this value has at most 100 characters" in response.content.decode()
    response = owner_client.post(DETAILS, {"report_questions": "Q" * (REPORT_QUESTIONS_MAX_LENGTH + 1)})
    assert response.status_code == 422
    owner.profile.refresh_from_db()
    assert (owner.profile.report_name, owner.profile.report_questions) == ("", "")


@pytest.mark.django_db
def test_htmx_gets_the_details_partial_only(owner_client):
    response = owner_client.post(DETAILS, {"report_name": "Sam"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200 and body.lstrip().startswith('<section aria-labelledby="details-heading"')
    assert "Saved." in body and "<html" not in body
    invalid = owner_client.post(DETAILS, {"report_name": "N" * 101}, headers={"HX-Request": "true"})
    assert invalid.status_code == 422 and "<html" not in invalid.content.decode()


def test_details_need_a_signed_in_post(anonymous_client):
    response = anonymous_client.post(DETAILS, {"report_name": "Sam"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_details_are_private_to_the_report(owner, owner_client, other_client):
    owner.profile.report_name = "Sam Private-Name"
    owner.profile.report_questions = "A private question about my back"
    owner.profile.save()
    make_log(owner, days=2)
    # The JSON backup is the person's own copy and keeps them (so that a restore brings them back); the exports
    # meant for other software do not carry them.
    for name in ("journal:export_csv", "journal:export_fhir"):
        response = owner_client.get(reverse(name))
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"Private-Name" not in body and b"private question" not in body, name
    for path in ("/", reverse("journal:trends"), reverse("journal:session_list"), reverse("accounts:settings")):
        body = owner_client.get(path).content.decode()
        assert "Private-Name" not in body and "private question" not in body, path
    assert "Private-Name" not in other_client.get(EXPORTS).content.decode()
    json.dumps(report.report_context(owner, DateRange())["display_name"])  # a plain string


# After the physiotherapist's review ----------------------------------------------------------------------------


def test_every_sign_has_neutral_words_for_the_reader():
    for sign in RedFlag:
        words = redflags.FOR_CLINICIAN[sign]
        assert words and not re.search(r"\b(you|your|yours)\b", words, re.IGNORECASE), (sign, words)
    assert redflags.as_text(["fever", "both_legs"], for_clinician=True) == (
        f"{redflags.FOR_CLINICIAN[RedFlag.BOTH_LEGS]}; {redflags.FOR_CLINICIAN[RedFlag.FEVER]}"
    )


def polylines_of(svg: str, colour: str) -> int:
    return len(re.findall(rf'<polyline [^>]*stroke="{re.escape(colour)}"', svg))


def test_the_lines_do_not_join_across_days_without_a_session():
    days = [date(2026, 3, d) for d in (1, 2, 3, 4, 10, 11, 12)]
    chart = report_pain_chart({d: 5.0 for d in days}, {d: 4.0 for d in days}, {}, 12)

    # Two runs each (1-4 March, 10-12 March): no line drawn over 5-9 March.
    assert polylines_of(chart.svg, BEFORE) == 2 and polylines_of(chart.svg, AFTER) == 2
    joined = report_pain_chart({d: 5.0 for d in days[:4]}, {}, {}, 12)
    assert polylines_of(joined.svg, BEFORE) == 1


def test_the_phone_drawing_is_made_for_the_share_page_only():
    days = {date(2026, 3, d): 5.0 for d in range(1, 20)}
    assert report_pain_chart(days, days, {}, 19).narrow_svg is None  # the PDF's chart
    chart = report_pain_chart(days, days, days, 19, with_narrow=True)
    assert 'class="chart-svg chart-narrow"' in chart.narrow_svg and f'viewBox="0 0 {NARROW} ' in chart.narrow_svg
    sizes = {float(size) for size in re.findall(r'<text [^>]*font-size="([\d.]+)"', chart.narrow_svg)}
    assert sizes == {NARROW_FONT}  # every label at the trends page's phone size (about 14 px in a 350 px column)
    assert "DejaVu Sans" in chart.narrow_svg  # the report's one family


@pytest.mark.django_db
def test_the_share_page_has_the_phone_chart_and_the_log_table_and_the_pdf_its_lines(owner, anonymous_client):
    make_log(owner, days=3, start=datetime(2026, 3, 1, 9, tzinfo=UTC))
    _link, token = make_link(owner)
    page = anonymous_client.get(view_url(token), headers={"User-Agent": BROWSER}).content.decode()
    assert "chart-narrow" in page and 'class="report-table report-log"' in page and "log-row" not in page
    context = report.report_context(owner, DateRange())
    assert context["chart"].narrow_svg is None and context["log_html"] == ""
    html = report_html(context)
    assert '<table class="report-table report-log' not in html
    assert [len(lines) for _kind, lines in printed_log(html)] == [2, 1]  # Monday and Tuesday, then Sunday
    rows = re.findall(r"<tr( class=\"[^\"]*\")?><td>(2026-03-0\d)</td>", page)
    assert rows == [("", "2026-03-03"), ("", "2026-03-02"), (' class="log-week"', "2026-03-01")]  # a rule per week


def printed_log(html: str) -> list[tuple[str, list[str]]]:
    """The printed log's paragraphs: (their classes, their lines)."""
    return [(kind, text.split("\n")) for kind, text in re.findall(r'<p class="(log-[^"]*)">(.*?)</p>', html, re.S)]


@pytest.mark.django_db
def test_the_printed_log_is_a_line_per_session_a_paragraph_per_week_and_one_for_a_line_that_may_wrap(owner):
    _sun, mon, tue, _wed = make_log(owner, days=4, start=datetime(2026, 3, 1, 9, tzinfo=UTC))  # Sunday to Wednesday
    Session.objects.filter(pk=tue.pk).update(notes="Calmer.\nSlept   well.")
    Session.objects.filter(pk=mon.pk).update(notes="Worse after sitting " * 5)  # too long for one line: it wraps
    flagged = make_red_flag_session(owner, RedFlag.BOTH_LEGS, started_at=datetime(2026, 3, 4, 18, tzinfo=UTC))
    html = report_html(report.report_context(owner, DateRange()))
    paragraphs = printed_log(html)
    assert [(kind, [line[:10] for line in lines]) for kind, lines in paragraphs] == [
        ("log-row log-flag", ["2026-03-04"]),  # newest first; a red flag on its own, shaded
        ("log-lines", ["2026-03-04", "2026-03-03"]),  # the week's short lines, one paragraph
        ("log-row", ["2026-03-02"]),  # its own paragraph: the second line indented under the date
        ("log-lines log-week", ["2026-03-01"]),  # the week before, under a rule
    ]
    assert paragraphs[1][1][1].endswith("“Calmer. Slept well.”")  # a note's line breaks never make a new line
    assert flagged.pk and "⚠ red flag" in paragraphs[0][1][0]
    text = "\n".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO(render_report_pdf(report.report_context(owner, DateRange())))).pages
    )
    assert "Calmer. Slept well." in text and text.count("2026-03-03 ") == 1
    assert "a thin rule above each week" in text


def test_a_printed_log_line_is_judged_to_fit_only_when_it_surely_does():
    assert report._ems("2026-03-04 Whole routine, both sides · 14 of 14 steps · leg pain 5 → 4 · ⚠ pressure >7") < (
        report.LOG_LINE_EMS
    )
    assert report._ems("W" * 65) > report.LOG_LINE_EMS > report._ems("W" * 60)  # W: 0.989 em in DejaVu Sans
    assert report._ems("漢" * 50) > report.LOG_LINE_EMS > report._ems("é" * 55)  # wider than in any face we use


def test_the_weekly_chart_leaves_out_the_last_part_week_and_says_so():

    start = date(2025, 12, 1)  # a Monday
    end = date(2026, 11, 25)  # a Wednesday: its week has 3 days in the period
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    chart = report_pain_chart({d: 5.0 for d in days}, {}, {}, len(days), period_end=end)
    weeks = [row[0] for row in chart.rows]
    assert len(weeks) == 51 and chart.rows[-1][0] != chart.rows[0][0]
    assert "The week from 23 Nov 2026 is left out: the period ends on its day 3 of 7" in chart.desc
    assert polylines_of(chart.svg, BEFORE) == 1
    # A period ending on a Sunday has no part week: every week is drawn and nothing is said.
    sunday = date(2026, 11, 29)
    whole = report_pain_chart({d: 5.0 for d in days}, {}, {}, len(days), period_end=sunday)
    assert len(whole.rows) == 52 and "left out" not in whole.desc


@pytest.mark.django_db
def test_the_baseline_is_said_plainly(owner, owner_client):
    make_log(owner, days=30, start=datetime(2026, 3, 1, 9, tzinfo=UTC))
    first = pages_of(owner_client.get(PDF).content)[0]
    assert "baseline = the first 7 days with a score in this period, recent = the last 7" in first
    assert "baseline " in first and "(7 days, 2026-03-01 to 2026-03-07)" in first


@pytest.mark.django_db
def test_the_pdf_file_name_names_the_dates_and_every_release(owner, owner_client):
    make_log(owner, days=10, start=datetime(2026, 3, 1, 9, tzinfo=UTC))

    def name(**query) -> str:
        response = owner_client.get(PDF, {"start": "2026-03-01", "end": "2026-03-31", **query})
        return re.search(r'filename="([^"]+)"', response["Content-Disposition"]).group(1)

    assert name() == "tenderspot-report_2026-03-01_to_2026-03-31_a4.pdf"
    assert name(releases="all") == "tenderspot-report_2026-03-01_to_2026-03-31_every-release_a4.pdf"
    assert name(releases="all", paper="letter").endswith("_every-release_letter.pdf")
    # The whole log names its first session and today, not "all".
    whole = re.search(r'filename="([^"]+)"', owner_client.get(PDF)["Content-Disposition"]).group(1)
    today = owner.profile.local_date()
    assert whole == f"tenderspot-report_2026-03-01_to_{today:%Y-%m-%d}_a4.pdf"
    # A range wholly after today keeps its own dates: the period never ends before it starts.
    assert name(start="2030-01-01", end="2030-01-02") == "tenderspot-report_2030-01-01_to_2030-01-02_a4.pdf"
    future = pages_of(owner_client.get(PDF, {"start": "2030-01-01", "end": "2030-01-02"}).content)[0]
    assert "2030-01-01 to 2030-01-02" in future and "to 2026-" not in future


@pytest.mark.django_db
def test_the_share_page_gives_the_expiry_in_the_owners_time_zone(owner, anonymous_client):
    owner.profile.time_zone = "America/New_York"
    owner.profile.save()
    link, token = make_link(owner)
    ShareLink.objects.filter(pk=link.pk).update(expires_at=datetime(2026, 12, 7, 3, 30, tzinfo=UTC))
    body = anonymous_client.get(view_url(token), headers={"User-Agent": BROWSER}).content.decode()
    # 03:30 UTC on the 7th is 22:30 on the 6th in New York.
    assert "This link works until 2026-12-06 22:30 (America/New_York)." in body
    assert "2026-12-07 03:30" not in body


@pytest.mark.django_db
def test_an_assessment_date_is_the_persons_local_date(owner, owner_client):
    owner.profile.time_zone = "Pacific/Auckland"
    owner.profile.save()
    make_red_flag_session(
        owner,
        RedFlag.CALF,
        started_at=datetime(2026, 3, 1, 20, tzinfo=UTC),
        # 23:00 UTC on 3 March is the 4th in Auckland: the report says the 4th, with no time.
        red_flag_assessed_at=datetime(2026, 3, 3, 23, tzinfo=UTC),
    )
    first = pages_of(owner_client.get(PDF).content)[0]
    assert "assessed by a clinician by 2026-03-04" in first and "2026-03-03" not in first


def words_past_the_margin(pdf: bytes, tmp_path) -> list[str]:
    """Words (pdftotext -bbox) that end to the right of the page's text area (13 mm margins, 1 pt of slack)."""
    import subprocess

    source = tmp_path / "report.pdf"
    source.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-bbox", str(source), "-"], capture_output=True, check=True, text=True).stdout
    width = float(re.search(r'<page width="([\d.]+)"', out).group(1))
    limit = width - 13 / 25.4 * 72 + 1
    return [word for x_max, word in re.findall(r'xMax="([\d.]+)"[^>]*>([^<]*)</word>', out) if float(x_max) > limit]


@pytest.mark.django_db
def test_long_unbroken_text_stays_on_the_page(owner, owner_client, tmp_path):
    sessions = make_log(owner, days=5, start=datetime(2026, 3, 1, 9, tzinfo=UTC))
    Session.objects.filter(pk__in=[s.pk for s in sessions]).update(notes="N" * 500, routine_name="R" * 100)
    Release.objects.filter(user=owner).update(notes="W" * 1000, point_name="P" * 80)
    owner.profile.report_name = "M" * REPORT_NAME_MAX_LENGTH
    owner.profile.report_questions = "Q" * REPORT_QUESTIONS_MAX_LENGTH
    owner.profile.save()
    for query in ({}, {"releases": "all"}, {"paper": "letter", "releases": "all"}):
        pdf = owner_client.get(PDF, query).content
        assert words_past_the_margin(pdf, tmp_path) == [], query
        text = "".join(" ".join(pages_of(pdf)).split())
        assert "M" * 60 in text and "Q" * 300 in text  # broken across lines, not cut or lost


@pytest.mark.django_db
def test_the_logs_small_print_is_no_larger_than_its_row(owner, owner_client, tmp_path):
    import subprocess

    make_log(owner, days=3, start=datetime(2026, 3, 1, 9, tzinfo=UTC))
    make_session(owner, started_at=datetime(2026, 3, 5, 9, tzinfo=UTC), status=SessionStatus.STOPPED)
    source = tmp_path / "report.pdf"
    source.write_bytes(owner_client.get(PDF).content)
    out = subprocess.run(["pdftotext", "-bbox", str(source), "-"], capture_output=True, check=True, text=True).stdout
    heights = {
        word: float(y_max) - float(y_min)
        for y_min, y_max, word in re.findall(r'yMin="([\d.]+)"[^>]*yMax="([\d.]+)">([^<]*)</word>', out)
    }
    small = [height for word, height in heights.items() if word.startswith("(stopped")]
    assert small and max(small) <= heights["2026-03-05"], heights


def test_a_long_chart_dots_only_the_points_no_line_passes():
    days = [date(2026, 1, 1) + timedelta(days=n) for n in range(60)]
    lone = date(2026, 3, 20)  # nine days after the last of the others
    before = {d: 5.0 for d in [*days, lone]}
    chart = report_pain_chart(before, {}, {}, 80)
    assert len(re.findall(rf'<circle [^>]*fill="{BEFORE}"', chart.svg)) == 1  # the lone day, which has no line
    short = report_pain_chart({d: 5.0 for d in days[:20]}, {}, {}, 20)
    assert len(re.findall(rf'<circle [^>]*fill="{BEFORE}"', short.svg)) == 20
