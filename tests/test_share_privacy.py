"""What a share link shows and counts: nothing from outside its dates, never the owner's label for it, and an
"opening" only when a person opened it (link previews and crawlers are not counted; downloads are)."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.urls import reverse

from journal.models import SafetyAnswer, SessionStatus
from journal.trends import series
from tests.factories import make_release, make_session
from tests.test_share_links import BROWSER, make_link, view_url

RANGE_START = date(2026, 3, 10)
RANGE_END = date(2026, 3, 20)


def _session_on(user, day: date, **fields):
    fields.setdefault("status", SessionStatus.COMPLETED)
    session = make_session(user, started_at=datetime.combine(day, time(9), tzinfo=UTC), **fields)
    make_release(session, 1)
    return session


def _history_around_the_range(user, red_flag_before: bool = True) -> None:
    """Severe pain (10) on the six days before the range, mild pain (1) inside it, and a red flag reported the
    day before the range starts."""
    for offset in range(1, 7):
        _session_on(user, RANGE_START - timedelta(days=offset), pain_before=10, pain_after=10)
    for offset in range(11):
        _session_on(user, RANGE_START + timedelta(days=offset), pain_before=1, pain_after=1)
    if red_flag_before:
        _session_on(
            user,
            RANGE_START - timedelta(days=1),
            status=SessionStatus.STOPPED,
            safety_check=SafetyAnswer.YES,
            pain_before=9,
        )


@pytest.mark.django_db
def test_the_rolling_mean_at_the_range_start_uses_no_earlier_day(owner):
    _history_around_the_range(owner)
    trend = series.pain_trend(owner, RANGE_START, RANGE_END, today=RANGE_END, strict=True)
    assert trend.rolling[0] == (RANGE_START, 1.0)
    assert all(value == 1.0 for _, value in trend.rolling)
    # The trends page (the owner's own view of a period) keeps the lead-in: its first point is a true 7-day mean.
    assert series.pain_trend(owner, RANGE_START, RANGE_END, today=RANGE_END).rolling[0][1] > 1.0


@pytest.mark.django_db
def test_a_share_page_shows_nothing_from_before_its_range(owner, anonymous_client):
    _history_around_the_range(owner)
    _, token = make_link(owner, start_date=RANGE_START, end_date=RANGE_END)
    response = anonymous_client.get(view_url(token))
    body = response.content.decode()
    assert response.status_code == 200
    assert "red flag was reported" not in body
    assert "with a red flag reported" not in body
    # The chart's table lists leg pain before sessions: 1 throughout (the days before the range had about 10).
    before_column = [row[1] for row in response.context["chart"].rows]
    assert before_column and set(before_column) == {"1.0"}, before_column


@pytest.mark.django_db
def test_the_pdf_through_a_link_shows_nothing_from_before_its_range(owner, anonymous_client):
    _history_around_the_range(owner)
    _, token = make_link(owner, start_date=RANGE_START, end_date=RANGE_END)
    response = anonymous_client.get(reverse("journal:share_pdf", args=[token]))
    assert response.status_code == 200
    from tests.test_pdf_report import pdf_of, text_of

    text = " ".join(text_of(pdf_of(response)))
    assert "red flag was reported" not in text and "with a red flag" not in text


@pytest.mark.django_db
def test_a_red_flag_after_the_range_end_is_not_shown_either(owner, anonymous_client):
    for offset in range(11):
        _session_on(owner, RANGE_START + timedelta(days=offset), pain_before=3)
    _session_on(owner, RANGE_END + timedelta(days=1), status=SessionStatus.STOPPED, safety_check=SafetyAnswer.YES)
    _, token = make_link(owner, start_date=RANGE_START, end_date=RANGE_END)
    body = anonymous_client.get(view_url(token)).content.decode()
    assert "red flag was reported" not in body and "with a red flag reported" not in body
    assert "None reported in this period." in body


@pytest.mark.django_db
def test_the_share_page_never_shows_the_links_label(owner, anonymous_client):
    _, token = make_link(owner, label="Dr Secret-Nickname")
    body = anonymous_client.get(view_url(token), headers={"User-Agent": BROWSER}).content.decode()
    assert "Secret-Nickname" not in body


PREVIEWS = [
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "Slackbot 1.0 (+https://api.slack.com/robots)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Twitterbot/1.0",
    "WhatsApp/2.23.20.0 A",
    "TelegramBot (like TwitterBot)",
    "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
    "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; SomeNewBot/0.1)",
    "Mozilla/5.0 (Macintosh) LinkPreview/2.0",
    "Iframely/1.3.1 (+https://iframely.com/docs/about)",
    # Link scanners, archivers and scripts: not a person reading either.
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) SafeLinks",
    "ia_archiver (+http://www.alexa.com/site/help/webmasters; crawler@alexa.com)",
    "curl/8.5.0",
    "Wget/1.21.4",
    "python-requests/2.32.3",
    "Go-http-client/1.1",
    "",
]


@pytest.mark.django_db
@pytest.mark.parametrize("agent", PREVIEWS)
def test_a_link_preview_is_not_an_opening(owner, anonymous_client, agent):
    link, token = make_link(owner)
    for url_name in ("journal:share_view", "journal:share_csv"):
        response = anonymous_client.get(reverse(url_name, args=[token]), headers={"User-Agent": agent})
        assert response.status_code == 200
    assert anonymous_client.head(view_url(token), headers={"User-Agent": BROWSER}).status_code in (200, 405)
    link.refresh_from_db()
    assert link.times_opened == 0 and link.last_opened_at is None


@pytest.mark.django_db
def test_the_page_and_both_downloads_count_as_openings(owner, anonymous_client):
    link, token = make_link(owner)
    for url_name in ("journal:share_view", "journal:share_csv", "journal:share_pdf"):
        response = anonymous_client.get(reverse(url_name, args=[token]), headers={"User-Agent": BROWSER})
        assert response.status_code == 200
        if url_name == "journal:share_csv":
            b"".join(response.streaming_content)
    link.refresh_from_db()
    assert link.times_opened == 3 and link.last_opened_at is not None
