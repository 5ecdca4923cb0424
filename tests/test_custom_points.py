"""A user's own points: add, edit, delete; private to them; deleting keeps history readable."""

import pytest

from journal.models import Release
from routines.models import Area, Point, RoutineStep
from tests.factories import make_point, make_release, make_routine, make_session

NEW = "/routines/points/mine/new/"


def edit_url(point: Point) -> str:
    return f"/routines/points/mine/{point.pk}/edit/"


def delete_url(point: Point) -> str:
    return f"/routines/points/mine/{point.pk}/delete/"


def valid(**overrides) -> dict:
    data = {
        "name": "Calf knot",
        "area": "",
        "location": "Middle of the left calf, a hand below the knee.",
        "default_hold_seconds": "45",
        "map_view": "soles",
        "map_x": "20",
        "map_y": "70",
    }
    data.update(overrides)
    return data


# Create -----------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_is_sent_to_log_in(anonymous_client):
    for response in [anonymous_client.get(NEW), anonymous_client.post(NEW, valid())]:
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not Point.objects.filter(owner__isnull=False).exists()


@pytest.mark.django_db
def test_form_prefills_the_users_default_hold(owner_client, owner):
    owner.profile.default_hold_seconds = 50
    owner.profile.save()
    body = owner_client.get(NEW).content.decode()
    assert 'name="default_hold_seconds" value="50"' in body
    assert "body-map" in body


@pytest.mark.django_db
def test_create_with_area_other(owner_client, owner):
    response = owner_client.post(NEW, valid())
    point = Point.objects.get(owner=owner)
    assert response.status_code == 302 and response["Location"] == f"/routines/points/{point.slug}/"
    assert point.area is None and point.name == "Calf knot" and point.default_hold_seconds == 45
    assert (point.map_view, float(point.map_x), float(point.map_y)) == ("soles", 20.0, 70.0)
    assert point.slug.startswith("my-calf-knot-")
    assert point.evidence_level == "none" and "no research" in point.evidence_note
    assert "7" in point.pressure_guidance
    page = owner_client.get(response["Location"]).content.decode()
    assert "Other" in page and "Calf knot" in page


@pytest.mark.django_db
def test_create_in_an_area(owner_client, owner):
    glutes = Area.objects.get(slug="glutes")
    owner_client.post(NEW, valid(area=str(glutes.pk), map_view="buttocks"))
    assert Point.objects.get(owner=owner).area == glutes


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("default_hold_seconds", "0", "Enter a hold between"),
        ("default_hold_seconds", "999", "Enter a hold between"),
        ("default_hold_seconds", "abc", "Use whole seconds"),
        ("name", "   ", "Give the point a name."),
        ("map_x", "51", "less than or equal to 50"),
        ("map_y", "-1", "greater than or equal to 0"),
        ("map_view", "knees", "Select a valid choice"),
        ("area", "99999", "Select a valid choice"),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(owner_client, field, value, message):
    response = owner_client.post(NEW, valid(**{field: value}))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert "Nothing was saved" in response.content.decode()
    assert not Point.objects.filter(owner__isnull=False).exists()


@pytest.mark.django_db
def test_htmx_gets_only_the_form(owner_client, htmx_headers):
    response = owner_client.post(NEW, valid(default_hold_seconds="0"), headers=htmx_headers)
    body = response.content.decode()
    assert response.status_code == 422 and body.lstrip().startswith('<div id="point-form">')
    assert "<html" not in body


@pytest.mark.django_db
def test_wrong_method(owner_client, owner):
    point = make_point(owner=owner)
    assert owner_client.put(NEW).status_code == 405
    assert owner_client.delete(edit_url(point)).status_code == 405
    assert owner_client.patch(delete_url(point)).status_code == 405


# Edit -------------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_edit_own_point_keeps_its_slug(owner_client, owner):
    point = make_point(owner=owner, name="Calf knot")
    response = owner_client.post(edit_url(point), valid(name="Calf knot, lower", default_hold_seconds="90"))
    point.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == f"/routines/points/{point.slug}/"
    assert point.name == "Calf knot, lower" and point.default_hold_seconds == 90 and point.owner == owner


@pytest.mark.django_db
def test_another_users_point_is_404_everywhere(other_client, owner):
    point = make_point(owner=owner, name="Calf knot")
    assert other_client.get(edit_url(point)).status_code == 404
    assert other_client.post(edit_url(point), valid(name="Hijacked")).status_code == 404
    assert other_client.get(delete_url(point)).status_code == 404
    assert other_client.post(delete_url(point)).status_code == 404
    point.refresh_from_db()
    assert point.name == "Calf knot"


@pytest.mark.django_db
def test_builtin_points_cannot_be_edited_or_deleted_by_users(owner_client):
    point = Point.objects.get(slug="glute-top")
    assert owner_client.post(edit_url(point), valid(name="Hijacked")).status_code == 404
    assert owner_client.post(delete_url(point)).status_code == 404
    assert Point.objects.get(slug="glute-top").name == "Glute, top"


# Delete -----------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_delete_confirmation_says_what_happens(owner_client, owner):
    point = make_point(owner=owner, name="Calf knot")
    routine = make_routine(owner=owner, steps=2)
    routine.add_steps(point, ["left", "right"], 40)
    session = make_session(owner, routine=routine)
    make_release(session, position=3)
    body = owner_client.get(delete_url(point)).content.decode()
    assert "removed from 1 of your routines (2 steps)" in body
    assert "Your 1 logged release on it stays in your journal" in body


@pytest.mark.django_db
def test_delete_keeps_history_readable_and_closes_routine_gaps(owner_client, owner):
    point = make_point(owner=owner, name="Calf knot")
    routine = make_routine(owner=owner, steps=2)
    routine.add_steps(point, ["left", "right"], 40)
    routine.add_steps(Point.objects.get(slug="glute-top"), ["left"], 40)
    session = make_session(owner, routine=routine)
    release = make_release(session, position=3)
    assert release.point == point and release.point_name == "Calf knot"

    response = owner_client.post(delete_url(point))

    assert response.status_code == 302 and response["Location"] == "/routines/points/"
    assert not Point.objects.filter(pk=point.pk).exists()
    release.refresh_from_db()
    assert release.point is None and release.point_name == "Calf knot"
    session.refresh_from_db()
    assert session.plan[2]["point_name"] == "Calf knot", "the session's plan snapshot is untouched"
    steps = list(RoutineStep.objects.filter(routine=routine).order_by("position"))
    assert [s.position for s in steps] == [1, 2, 3]
    assert steps[-1].point.slug == "glute-top"
    assert Release.objects.filter(pk=release.pk).exists()


@pytest.mark.django_db
def test_deleting_one_users_point_leaves_others_alone(owner_client, owner, other_user):
    mine = make_point(owner=owner)
    theirs = make_point(owner=other_user)
    owner_client.post(delete_url(mine))
    assert Point.objects.filter(pk=theirs.pk).exists()
