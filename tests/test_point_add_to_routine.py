"""From a point's page: add the point to one of my routines (or a new one), one side or both, for my default hold."""

import pytest
from django.urls import reverse

from routines.models import Point, Routine
from tests.factories import make_point, make_routine

pytestmark = pytest.mark.django_db


def add_url(point: Point) -> str:
    return reverse("routines:point_add_to_routine", args=[point.slug])


def glute_top() -> Point:
    return Point.objects.get(slug="glute-top")


def test_the_point_page_offers_my_routines(ready, owner_client):
    mine = make_routine(ready, steps=1, name="Evening")
    body = owner_client.get(reverse("routines:point_detail", args=["glute-top"])).content.decode()
    assert "Add this point to a routine" in body and f'value="{mine.pk}"' in body
    assert "A new routine with this point" in body


def test_signed_out_visitors_see_no_form(anonymous_client):
    body = anonymous_client.get(reverse("routines:point_detail", args=["glute-top"])).content.decode()
    assert "Add this point to a routine" not in body


def test_add_both_sides_to_my_routine_for_my_default_hold(ready, owner_client):
    ready.profile.default_hold_seconds = 35
    ready.profile.save()
    routine = make_routine(ready, steps=2, name="Evening")
    response = owner_client.post(add_url(glute_top()), {"routine": routine.pk, "side": "both"})
    assert response.status_code == 302 and response["Location"] == reverse("routines:routine_detail", args=[routine.pk])
    added = list(routine.steps.order_by("position").values_list("position", "point__slug", "side", "hold_seconds"))
    assert added[2:] == [(3, "glute-top", "left", 35), (4, "glute-top", "right", 35)]


def test_a_new_routine_named_after_the_point(ready, owner_client):
    owner_client.post(add_url(glute_top()), {"routine": "", "side": "left"})
    routine = Routine.objects.get(owner=ready)
    assert routine.name == glute_top().name
    assert list(routine.steps.values_list("point__slug", "side")) == [("glute-top", "left")]


@pytest.mark.parametrize(
    "data",
    [{"routine": "", "side": "up"}, {"routine": "999999", "side": "left"}, {"side": ""}],
)
def test_bad_input_is_refused_and_nothing_is_added(ready, owner_client, data):
    response = owner_client.post(add_url(glute_top()), data)
    assert response.status_code == 422 and "Nothing was added" in response.content.decode()
    assert not Routine.objects.filter(owner=ready).exists()


def test_not_into_another_users_or_a_built_in_routine(ready, owner_client, other_user):
    theirs = make_routine(other_user, steps=1)
    builtin = Routine.objects.builtin().first()
    for routine in (theirs, builtin):
        response = owner_client.post(add_url(glute_top()), {"routine": routine.pk, "side": "left"})
        assert response.status_code == 422
    assert theirs.steps.count() == 1


def test_another_users_custom_point_is_a_404(ready, owner_client, other_user):
    point = make_point(owner=other_user)
    assert owner_client.post(add_url(point), {"routine": "", "side": "left"}).status_code == 404


def test_anonymous_and_wrong_method(anonymous_client, ready, owner_client):
    response = anonymous_client.post(add_url(glute_top()), {"side": "left"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert owner_client.get(add_url(glute_top())).status_code == 405
