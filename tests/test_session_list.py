"""journal:session_list: newest first, 25 a page, filters, ownership, errors and the htmx partial."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from journal.models import SessionStatus
from routines.models import Routine
from tests.factories import make_release, make_session, make_user

pytestmark = pytest.mark.django_db
URL = reverse("journal:session_list")


def at(d: date, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(d.year, d.month, d.day, hour, minute, tzinfo=UTC)


def test_empty_state_gives_guidance(owner_client):
    response = owner_client.get(URL)
    assert response.status_code == 200
    assert "No sessions yet" in response.text and reverse("routines:routine_list") in response.text


def test_row_shows_local_time_routine_duration_pain_releases_and_status(db):
    user = make_user("tokyo", time_zone="Asia/Tokyo")
    client = Client()
    client.force_login(user)
    # 23:30 UTC on 1 March is 08:30 on 2 March in Tokyo.
    start = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    session = make_session(
        user,
        started_at=start,
        finished_at=start + timedelta(minutes=12),
        status=SessionStatus.COMPLETED,
        pain_before=6,
        pain_after=4,
    )
    make_release(session, 1)
    make_release(session, 2)
    make_release(session, 3, skipped=True, held_seconds=0)
    html = client.get(URL).text
    assert "Mon 2 Mar 2026" in html and "08:30" in html
    assert session.routine_name in html
    assert "12\xa0minutes" in html
    assert "6 → 4" in html
    assert '<td data-label="Steps">2 held, 1 skipped</td>' in html
    assert "Completed" in html
    # the same count, in the same words, on the session's own page; the CSV has all three rows, one marked skipped
    detail = client.get(reverse("journal:session_detail", args=[session.pk])).text
    assert "Releases (2 held, 1 skipped)" in detail
    rows = b"".join(client.get(reverse("journal:export_csv")).streaming_content).decode().splitlines()[1:]
    assert len(rows) == 3
    assert reverse("journal:session_detail", args=[session.pk]) in html


def test_newest_first_25_a_page(owner, owner_client):
    first = date(2026, 1, 1)
    for i in range(27):
        make_session(owner, started_at=at(first + timedelta(days=i)), status=SessionStatus.COMPLETED)
    page1 = owner_client.get(URL)
    assert page1.context["page"].paginator.count == 27
    dates = [s.local_date for s in page1.context["page"].object_list]
    assert len(dates) == 25 and dates[0] == date(2026, 1, 27) and dates == sorted(dates, reverse=True)
    assert "Page 1 of 2" in page1.text and "?page=2" in page1.text
    page2 = owner_client.get(URL, {"page": 2})
    assert [s.local_date for s in page2.context["page"].object_list] == [date(2026, 1, 2), date(2026, 1, 1)]


def test_other_users_sessions_are_never_listed(owner, other_user, owner_client):
    make_session(other_user, routine_name="Their secret routine")
    make_session(owner, routine_name="Mine")
    html = owner_client.get(URL).text
    assert "Mine" in html and "Their secret routine" not in html


def test_filter_by_date_range_and_routine(owner, owner_client):
    feet = Routine.objects.get(slug="feet-only")
    glutes = Routine.objects.get(slug="glutes-only")
    make_session(owner, feet, started_at=at(date(2026, 2, 1)))
    inside_feet = make_session(owner, feet, started_at=at(date(2026, 2, 10)))
    inside_glutes = make_session(owner, glutes, started_at=at(date(2026, 2, 12)))
    make_session(owner, feet, started_at=at(date(2026, 2, 20)))
    response = owner_client.get(URL, {"start": "2026-02-05", "end": "2026-02-15"})
    assert [s.pk for s in response.context["page"].object_list] == [inside_glutes.pk, inside_feet.pk]
    response = owner_client.get(URL, {"start": "2026-02-05", "end": "2026-02-15", "routine": feet.pk})
    assert [s.pk for s in response.context["page"].object_list] == [inside_feet.pk]
    assert "1 session matches the filter" in response.text
    # Pagination links keep the filter.
    assert response.context["filtered"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "2026-13-01"}, "Enter a real date as YYYY-MM-DD"),
        ({"end": "yesterday"}, "Enter a real date as YYYY-MM-DD"),
        ({"start": "2026-03-10", "end": "2026-03-01"}, "The start date must be on or before the end date."),
        ({"routine": "999999"}, "Select a valid choice"),
    ],
)
def test_bad_filter_is_a_clear_error_not_a_500(owner, owner_client, params, message):
    make_session(owner)
    response = owner_client.get(URL, params)
    assert response.status_code == 422
    assert "The filter could not be applied" in response.text and message in response.text


def test_other_users_routine_cannot_be_used_as_a_filter(owner, other_user, owner_client):
    theirs = Routine.objects.create(owner=other_user, name="Theirs")
    assert owner_client.get(URL, {"routine": theirs.pk}).status_code == 422


def test_filter_matching_nothing_says_so(owner, owner_client):
    make_session(owner, started_at=at(date(2026, 1, 1)))
    html = owner_client.get(URL, {"start": "2026-05-01"}).text
    assert "No sessions match this filter" in html and "No sessions yet" not in html


def test_htmx_gets_only_the_results(owner, owner_client, htmx_headers):
    make_session(owner, routine_name="Mine")
    response = owner_client.get(URL, {"start": "2026-01-01"}, headers=htmx_headers)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="session-results"')
    assert "<html" not in response.text and "Filter sessions" not in response.text
    # The page's live region (outside the swapped results) is told the outcome, out of band.
    assert '<p id="filter-status" hx-swap-oob="innerHTML">1 session matches the filter.</p>' in response.text


def test_htmx_bad_filter_is_a_422_partial(owner_client, htmx_headers):
    response = owner_client.get(URL, {"start": "nope"}, headers=htmx_headers)
    assert response.status_code == 422 and "<html" not in response.text and "Enter a real date" in response.text
