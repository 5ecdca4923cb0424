"""Extreme but valid dates in ?start=/?end= (year 1, year 9999, reversed, a century): every view that reads dates
from the query string answers a clear 400 (or 422 for a form page) and never 500; a 100-year range works."""

import pytest
from django.urls import reverse

from tests.factories import form_key, make_log
from tests.test_share_links import make_link

OWNER_URLS = [
    "journal:export_csv",
    "journal:export_json",
    "journal:export_pdf",
    "journal:export_fhir",
    "journal:exports",
    "journal:trends",
    "journal:session_list",
]
SHARE_URLS = ["journal:share_view", "journal:share_csv", "journal:share_pdf"]

EXTREMES = [
    {"start": "0001-01-01"},
    {"end": "0001-01-01"},
    {"start": "9999-12-31"},
    {"end": "9999-12-31"},
    {"start": "0001-01-01", "end": "9999-12-31"},
    {"start": "9999-12-31", "end": "0001-01-01"},
    {"start": "2026-03-02", "end": "2026-03-01"},
    {"start": "1899-12-31", "end": "2026-01-01"},
    {"end": "2101-01-01"},  # past the years every stored date keeps to
]


def _query(url_name: str, query: dict) -> dict:
    # The trends page reads custom dates only with range=custom, and takes a baseline period too.
    return {"range": "custom", **query} if url_name == "journal:trends" else query


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", OWNER_URLS)
@pytest.mark.parametrize("query", EXTREMES, ids=lambda q: "&".join(f"{k}={v}" for k, v in q.items()))
def test_it_refuses_extreme_dates_on_owner_views(owner, owner_client, url_name, query):
    make_log(owner, days=3)
    response = owner_client.get(reverse(url_name), _query(url_name, query))
    assert response.status_code in (400, 422), response.status_code
    body = response.content.decode()
    assert "between the years 1900 and 2100" in body or "before" in body or "after" in body


@pytest.mark.django_db
@pytest.mark.parametrize("query", EXTREMES[:6], ids=str)
def test_it_refuses_extreme_baselines_on_trends(owner, owner_client, query):
    baseline = {f"baseline_{key}": value for key, value in query.items()}
    baseline.setdefault("baseline_start", "2026-01-01")
    baseline.setdefault("baseline_end", "2026-01-05")
    response = owner_client.get(reverse("journal:trends"), baseline)
    assert response.status_code == 422


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", SHARE_URLS)
@pytest.mark.parametrize("query", EXTREMES, ids=lambda q: "&".join(f"{k}={v}" for k, v in q.items()))
def test_it_refuses_extreme_dates_through_a_share_link(owner, anonymous_client, url_name, query):
    make_log(owner, days=3)
    _, token = make_link(owner)
    response = anonymous_client.get(reverse(url_name, args=[token]), query)
    assert response.status_code == 400, response.status_code


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", OWNER_URLS)
def test_a_century_is_a_valid_range(owner, owner_client, url_name):
    make_log(owner, days=3)
    response = owner_client.get(reverse(url_name), _query(url_name, {"start": "2001-01-01", "end": "2100-12-31"}))
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", SHARE_URLS)
def test_a_century_is_a_valid_range_through_a_share_link(owner, anonymous_client, url_name):
    make_log(owner, days=3)
    _, token = make_link(owner)
    response = anonymous_client.get(reverse(url_name, args=[token]), {"start": "2001-01-01", "end": "2100-12-31"})
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("fields", [{"start_date": "0001-01-01"}, {"end_date": "9999-12-31"}], ids=str)
def test_a_share_link_cannot_be_made_with_extreme_dates(owner_client, fields):
    response = owner_client.post(
        reverse("journal:share_list"), {"label": "Physio", "key": form_key(), "expires_in_days": 7, **fields}
    )
    assert response.status_code == 422
    assert "between the years 1900 and 2100" in response.content.decode()


@pytest.mark.django_db
def test_a_query_a_form_and_the_stored_dates_name_one_limit(owner, owner_client):
    """A query's date past 2100 and a share link's date past 2100 get the same words as a stored date."""
    query = owner_client.get(reverse("journal:export_csv"), {"end": "2150-01-01"})
    assert query.status_code == 400 and "between the years 1900 and 2100" in query.text
    for end in ("2150-01-01", "2200-01-01"):
        form = owner_client.post(
            reverse("journal:share_list"), {"label": "x", "end_date": end, "expires_in_days": 7, "key": form_key()}
        )
        assert form.status_code == 422 and "between the years 1900 and 2100" in form.text
