""" "Practise this point now" on a point's page: a one-step session of that point on the chosen side, which opens
at the same safety check as any session (and, with a red flag awaiting its follow-up, at that question)."""

import pytest
from django.urls import reverse

from journal.models import SafetyAnswer, Session, SessionStatus
from routines.models import Area
from tests.factories import make_point, make_session

pytestmark = pytest.mark.django_db


def practise_url(slug: str = "glute-top") -> str:
    return reverse("journal:point_practise", args=[slug])


def test_the_point_page_offers_it_on_each_side(ready, owner_client):
    html = owner_client.get(reverse("routines:point_detail", args=["glute-top"])).content.decode()
    assert "Practise this point now" in html
    assert practise_url() in html
    assert "Practise on the left" in html and "Practise on the right" in html


def test_signed_out_the_page_does_not_offer_it(anonymous_client):
    html = anonymous_client.get(reverse("routines:point_detail", args=["glute-top"])).content.decode()
    assert practise_url() not in html


def test_it_starts_a_one_step_session_at_the_safety_check(ready, owner_client):
    response = owner_client.post(practise_url(), {"side": "left"})
    session = Session.objects.get(user=ready)
    assert response["Location"] == reverse("journal:session_run", args=[session.pk])
    assert session.status == SessionStatus.IN_PROGRESS
    assert session.safety_check == ""
    assert [(step["point_slug"], step["side"]) for step in session.plan] == [("glute-top", "left")]
    assert session.routine is None and session.routine_name.startswith("Practice: ")
    page = owner_client.get(response["Location"]).content.decode()
    assert "Before you start" in page  # the safety check, as for any session


def test_a_double_tap_starts_one_session(ready, owner_client):
    owner_client.post(practise_url(), {"side": "right"})
    owner_client.post(practise_url(), {"side": "right"})
    assert Session.objects.filter(user=ready).count() == 1
    owner_client.post(practise_url(), {"side": "left"})  # the other side is another practice
    assert Session.objects.filter(user=ready).count() == 2


def test_an_open_red_flag_goes_to_its_follow_up_first(ready, owner_client):
    make_session(ready, status=SessionStatus.STOPPED, safety_check=SafetyAnswer.YES)
    response = owner_client.post(practise_url(), {"side": "left"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("journal:red_flag_follow_up"))
    assert Session.objects.filter(user=ready, status=SessionStatus.IN_PROGRESS).count() == 0


def test_a_bad_side_is_refused_and_starts_nothing(ready, owner_client):
    response = owner_client.post(practise_url(), {"side": "middle"})
    assert response.status_code == 422
    assert "Choose the left or the right side to practise." in response.content.decode()
    assert not Session.objects.filter(user=ready).exists()


def test_anonymous_goes_to_log_in(anonymous_client):
    response = anonymous_client.post(practise_url(), {"side": "left"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_get_is_not_allowed(ready, owner_client):
    assert owner_client.get(practise_url()).status_code == 405


def test_another_users_point_is_not_found(ready, owner_client, other_user):
    theirs = make_point(owner=other_user, area=Area.objects.first())
    assert owner_client.post(practise_url(theirs.slug), {"side": "left"}).status_code == 404
    assert not Session.objects.exists()
