"""'I did this at the gym': one release logged without the timer, kept as a completed one-step session."""

import pytest
from django.urls import reverse

from journal.models import QUICK_LOG_NAME, Release, Session, SessionStatus
from routines.models import Point
from tests.factories import make_point

pytestmark = pytest.mark.django_db

URL = reverse("journal:quick_log")


def data(point, **extra):
    values = {"point": point.pk, "side": "right", "pressure": "6", "pain_now": "3", "tender": "yes", "notes": "Gym."}
    values.update(extra)
    return {k: v for k, v in values.items() if v is not None}


def test_form_lists_catalogue_and_own_points_only(owner, other_user, owner_client):
    mine = make_point(owner, name="My calf spot")
    theirs = make_point(other_user, name="Their spot")
    html = owner_client.get(URL).content.decode()
    assert "My calf spot" in html
    assert "Their spot" not in html
    assert Point.objects.builtin().first().name in html
    assert 'name="pressure"' in html
    assert "7<" in html and "strong" in html  # the anchors of the pressure scale are shown
    response = owner_client.post(URL, data(theirs))
    assert response.status_code == 422
    assert not Session.objects.exists()
    owner_client.post(URL, data(mine))
    assert Release.objects.get().point == mine


def test_quick_log_makes_a_completed_one_release_session(owner, owner_client):
    point = Point.objects.builtin().get(slug="glute-top")
    response = owner_client.post(URL, data(point))
    session = Session.objects.get(user=owner)
    assert response.status_code == 302
    assert response["Location"] == reverse("journal:session_summary", args=[session.pk])
    assert session.status == SessionStatus.COMPLETED
    assert session.routine is None
    assert session.routine_name == QUICK_LOG_NAME
    assert session.finished_at is not None
    assert session.local_date == owner.profile.local_date(session.started_at)
    release = session.releases.get()
    assert (release.position, release.point, release.side, release.pressure, release.pain_now) == (
        1,
        point,
        "right",
        6,
        3,
    )
    assert release.tender is True
    assert release.held_seconds == point.default_hold_seconds
    summary = owner_client.get(response["Location"]).content.decode()
    assert point.name in summary
    assert "Logged." in summary


def test_quick_log_over_htmx_redirects_the_page(owner, owner_client, htmx_headers):
    point = Point.objects.builtin().first()
    response = owner_client.post(URL, data(point, held_seconds="50"), headers=htmx_headers)
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith("/journal/sessions/")
    assert Release.objects.get().held_seconds == 50


@pytest.mark.parametrize(
    "bad",
    [
        {"pain_now": "11"},
        {"pain_now": "-1"},
        {"pain_now": "abc"},
        {"pressure": None},
        {"side": "middle"},
        {"side": None},
        {"held_seconds": "0"},
        {"held_seconds": "9999"},
        {"notes": "x" * 10_000},
        {"point": "999999"},
    ],
)
def test_bad_input_is_refused_and_nothing_saved(owner, owner_client, htmx_headers, bad):
    values = data(Point.objects.builtin().first())
    values.update(bad)
    values = {k: v for k, v in values.items() if v is not None}
    response = owner_client.post(URL, values, headers=htmx_headers)
    assert response.status_code == 422
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="quick-log-form"' in html
    assert "invalid-feedback" in html
    assert not Session.objects.exists()


def test_anonymous_goes_to_login(anonymous_client):
    for response in (anonymous_client.get(URL), anonymous_client.post(URL, {})):
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]
    assert not Session.objects.exists()


def test_wrong_method_is_405(owner_client):
    assert owner_client.put(URL).status_code == 405
    assert owner_client.delete(URL).status_code == 405


def test_quick_log_summary_is_private(owner, owner_client, other_client):
    owner_client.post(URL, data(Point.objects.builtin().first()))
    session = Session.objects.get()
    assert other_client.get(reverse("journal:session_summary", args=[session.pk])).status_code == 404
