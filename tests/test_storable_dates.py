"""Dates the databases cannot hold, through the forms: the model fields' validators refuse them with a clear 422
and nothing saved (before: year 1 in a zone east of UTC gave a 500 on SQLite and a BC date on PostgreSQL that broke
the account)."""

from datetime import timedelta

import pytest
from django.urls import reverse

from journal.models import Session, SessionStatus, ShareLink
from journal.storable import YEAR_MAX, YEAR_MIN, StorableDateValidator, year_in_range
from tests.factories import form_key, make_session

pytestmark = pytest.mark.django_db
FAR_DATETIMES = ["0001-01-01T00:00", "0002-01-01T00:00", "1899-12-31T23:00", "2101-01-01T00:00", "9999-12-31T23:59"]


@pytest.mark.parametrize("value", FAR_DATETIMES)
def test_a_session_edit_to_a_far_date_is_refused(owner, owner_client, value):
    owner.profile.time_zone = "Europe/Paris"
    owner.profile.save()
    session = make_session(owner, status=SessionStatus.COMPLETED)  # a running session's times are not offered
    before = (session.started_at, session.local_date)
    response = owner_client.post(
        reverse("journal:session_edit", args=[session.pk]), {"started_at": value, "finished_at": "", "notes": ""}
    )
    assert response.status_code == 422
    assert f"between the years {YEAR_MIN} and {YEAR_MAX}" in response.content.decode()
    session.refresh_from_db()
    assert (session.started_at, session.local_date) == before
    assert owner_client.get(reverse("journal:session_list")).status_code == 200


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "1899-12-31"])
def test_a_share_link_with_a_far_date_is_refused(owner, owner_client, value):
    response = owner_client.post(
        reverse("journal:share_list"), {"label": "Physio", "start_date": value, "key": form_key(), "expires_in_days": 7}
    )
    assert response.status_code == 422
    assert not ShareLink.objects.filter(user=owner).exists()


def test_the_validator_checks_the_utc_value_too():
    from datetime import UTC, datetime, timedelta, timezone

    east = timezone(timedelta(hours=14))
    assert year_in_range(datetime(YEAR_MIN, 1, 1, 12, tzinfo=UTC))
    assert not year_in_range(datetime(YEAR_MIN, 1, 1, 1, tzinfo=east))  # 1899 in UTC
    assert not year_in_range(datetime(1, 1, 1, tzinfo=east))  # overflows when moved to UTC
    validator = StorableDateValidator()
    assert validator in Session._meta.get_field("started_at").validators
    assert validator in Session._meta.get_field("local_date").validators


@pytest.mark.parametrize(
    ("edited_start", "release_offset"),
    [("2100-12-31T23:00", timedelta(hours=2)), ("1900-01-01T00:30", -timedelta(hours=1))],
    ids=["past-2100", "before-1900"],
)
def test_an_edited_start_that_would_push_a_release_out_of_range_is_refused(
    owner, owner_client, edited_start, release_offset
):
    """The releases move with the start: a start inside the range may still push them outside it (a release two
    hours after a start at 23:00 on 31 December 2100, which the backup could then never restore)."""
    from journal.backup.export import export_account
    from tests.factories import make_release

    session = make_session(owner, status="completed")
    release = make_release(session, 1, started_at=session.started_at + release_offset)
    before = (session.started_at, release.started_at, release.ended_at, release.logged_at)
    response = owner_client.post(
        reverse("journal:session_edit", args=[session.pk]), {"started_at": edited_start, "finished_at": "", "notes": ""}
    )
    assert response.status_code == 422
    assert "This start would move the times of the releases" in response.content.decode()
    session.refresh_from_db()
    release.refresh_from_db()
    assert (session.started_at, release.started_at, release.ended_at, release.logged_at) == before
    export_account(owner)  # the account still exports


def test_an_edited_start_that_keeps_the_releases_in_range_is_saved(owner, owner_client):
    from tests.factories import make_release

    session = make_session(owner, status="completed")
    make_release(session, 1)
    # Early on 1 January 1900 (a release later in the future is refused: it cannot have ended yet).
    response = owner_client.post(
        reverse("journal:session_edit", args=[session.pk]),
        {"started_at": "1900-01-01T04:00", "finished_at": "", "notes": ""},
    )
    assert response.status_code == 302
    assert session.releases.get().started_at.year == 1900
