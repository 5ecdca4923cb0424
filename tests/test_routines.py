"""Routines: list, detail, create, rename, copy, archive, delete; built-in ones are read-only."""

import pytest

from journal.models import Session
from routines.models import Routine, RoutineStep
from tests.factories import make_routine, make_session

LIST = "/routines/"
NEW = "/routines/new/"


def builtin(slug: str = "glutes-only") -> Routine:
    return Routine.objects.builtin().get(slug=slug)


def positions(routine: Routine) -> list[int]:
    return list(routine.steps.order_by("position").values_list("position", flat=True))


# Anonymous, methods -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_is_sent_to_log_in_everywhere(anonymous_client, owner):
    routine = make_routine(owner=owner)
    base = f"/routines/{routine.pk}/"
    gets = [LIST, NEW, base, f"{base}edit/", f"{base}delete/"]
    posts = [NEW, f"{base}copy/", f"{base}archive/", f"{base}delete/"]
    for response in [anonymous_client.get(u) for u in gets] + [anonymous_client.post(u) for u in posts]:
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert Routine.objects.filter(owner=owner).count() == 1


@pytest.mark.django_db
def test_wrong_methods(owner_client, ready):
    routine = make_routine(owner=ready)
    assert owner_client.post(LIST).status_code == 405
    assert owner_client.post(f"/routines/{routine.pk}/").status_code == 405
    assert owner_client.get(f"/routines/{routine.pk}/copy/").status_code == 405
    assert owner_client.get(f"/routines/{routine.pk}/archive/").status_code == 405
    assert owner_client.get(f"/routines/{routine.pk}/unarchive/").status_code == 405
    assert owner_client.put(f"/routines/{routine.pk}/delete/").status_code == 405
    assert owner_client.delete(NEW).status_code == 405


# List -------------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_list_shows_builtin_and_own_but_not_others(owner_client, owner, other_user):
    make_routine(owner=owner, name="Morning feet", steps=3, hold_seconds=40)
    make_routine(owner=other_user, name="Their secret routine")
    response = owner_client.get(LIST)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Morning feet" in body and "Their secret routine" not in body
    for routine in Routine.objects.builtin():
        assert routine.name in body
    assert "3 steps · about 3 minutes" in body  # 3 x 40 s holds + 3 x 10 s changeovers = 150 s
    assert "journal/_start_button.html" in [t.name for t in response.templates]


@pytest.mark.django_db
def test_archived_routines_are_listed_apart(owner_client, owner):
    make_routine(owner=owner, name="Old routine", archived=True)
    body = owner_client.get(LIST).content.decode()
    archived = body.split('id="archived-heading"')[1]
    assert "Old routine" in archived and "Unarchive" in archived
    assert "Old routine" not in body.split('id="archived-heading"')[0]


@pytest.mark.django_db
def test_list_query_count_is_flat(owner_client, owner, django_assert_num_queries):
    owner_client.get(LIST)
    make_routine(owner=owner, steps=1)
    with django_assert_num_queries(4) as few:  # session, user, profile, routines with their totals
        assert owner_client.get(LIST).status_code == 200
    for _ in range(10):
        make_routine(owner=owner, steps=7)
    make_routine(owner=owner, steps=7, archived=True)
    with django_assert_num_queries(len(few)):
        response = owner_client.get(LIST)
    assert response.status_code == 200
    assert response.content.decode().count("7 steps") == 11


# Detail -----------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_builtin_detail_is_read_only_and_copyable(owner_client):
    routine = builtin("whole-article")
    response = owner_client.get(f"/routines/{routine.pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "read-only" in body and f'action="/routines/{routine.pk}/copy/"' in body
    assert "/steps/" not in body and "Rename" not in body and "Add a step" not in body
    assert body.count('<li id="step-') == 14
    assert "14 steps: 690 seconds of holds; about 14 minutes in all" in body
    assert "journal/_start_button.html" in [t.name for t in response.templates]
    assert body.count('class="body-map-link"') == 14


@pytest.mark.django_db
def test_own_detail_has_the_builder(owner_client, owner):
    routine = make_routine(owner=owner, steps=2)
    body = owner_client.get(f"/routines/{routine.pk}/").content.decode()
    assert f'hx-post="/routines/{routine.pk}/steps/add/"' in body
    assert body.count('name="direction" value="up"') == 2 and "Rename" in body


@pytest.mark.django_db
def test_another_users_routine_is_404(other_client, other_user, owner):
    other_user.profile.acknowledge_safety()
    routine = make_routine(owner=owner)
    for url in ["", "edit/", "delete/"]:
        assert other_client.get(f"/routines/{routine.pk}/{url}").status_code == 404
    for url in ["copy/", "archive/", "unarchive/", "delete/", "edit/"]:
        assert other_client.post(f"/routines/{routine.pk}/{url}", {"name": "x"}).status_code == 404
    assert Routine.objects.filter(pk=routine.pk, archived=False).exists()
    assert not Routine.objects.filter(owner__username="other").exists()


@pytest.mark.django_db
def test_detail_query_count_is_flat(owner_client, owner, django_assert_num_queries):
    routine = make_routine(owner=owner, steps=2)
    url = f"/routines/{routine.pk}/"
    owner_client.get(url)
    with django_assert_num_queries(7) as few:  # session, user, profile, routine, steps+points, choices, precautions
        assert owner_client.get(url).status_code == 200
    for point in Routine.objects.builtin().get(slug="whole-article").steps.all():
        routine.add_steps(point.point, ["left", "right"], 45)
    with django_assert_num_queries(len(few)):
        response = owner_client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('<li id="step-') == 30


# Create, rename ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_create_needs_the_safety_notice_first(owner_client, owner):
    response = owner_client.get(NEW)
    assert response.status_code == 302 and response["Location"] == "/safety/?next=%2Froutines%2Fnew%2F"
    response = owner_client.post(NEW, {"name": "Mine"})
    assert response.status_code == 302 and response["Location"].startswith("/safety/")
    assert not Routine.objects.filter(owner=owner).exists()


@pytest.mark.django_db
def test_create(owner_client, ready):
    response = owner_client.post(NEW, {"name": "  Evening glutes ", "description": "After work"})
    routine = Routine.objects.get(owner=ready)
    assert response.status_code == 302 and response["Location"] == f"/routines/{routine.pk}/"
    assert routine.name == "Evening glutes" and routine.description == "After work" and not routine.is_builtin


@pytest.mark.django_db
def test_create_needs_a_name(owner_client, ready, htmx_headers):
    response = owner_client.post(NEW, {"name": "  "})
    assert response.status_code == 422 and "Give the routine a name." in response.content.decode()
    partial = owner_client.post(NEW, {"name": ""}, headers=htmx_headers)
    assert partial.status_code == 422 and "<html" not in partial.content.decode()
    assert partial.content.decode().lstrip().startswith('<div id="routine-form">')
    assert not Routine.objects.filter(owner=ready).exists()


@pytest.mark.django_db
def test_rename(owner_client, owner):
    routine = make_routine(owner=owner, name="Old name")
    response = owner_client.post(f"/routines/{routine.pk}/edit/", {"name": "New name", "description": ""})
    assert response.status_code == 302
    routine.refresh_from_db()
    assert routine.name == "New name"
    response = owner_client.post(f"/routines/{routine.pk}/edit/", {"name": ""})
    assert response.status_code == 422
    routine.refresh_from_db()
    assert routine.name == "New name"


@pytest.mark.django_db
def test_builtin_cannot_be_edited_with_a_clear_message(owner_client, ready):
    routine = builtin()
    before = list(routine.steps.values_list("pk", "position"))
    for url, data in [
        ("edit/", {"name": "Hijacked"}),
        ("archive/", {}),
        ("delete/", {}),
        ("steps/add/", {"point": routine.steps.first().point_id, "side": "left", "hold_seconds": "30"}),
        (f"steps/{before[0][0]}/remove/", {}),
        (f"steps/{before[0][0]}/move/", {"direction": "down"}),
    ]:
        response = owner_client.post(f"/routines/{routine.pk}/{url}", data)
        assert response.status_code == 403, url
        assert "Built-in routines cannot be changed" in response.content.decode()
    routine.refresh_from_db()
    assert routine.name == "Glutes only, both sides" and not routine.archived
    assert list(routine.steps.values_list("pk", "position")) == before


# Copy, archive, delete --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_copy_a_builtin(owner_client, ready):
    source = builtin("whole-article")
    response = owner_client.post(f"/routines/{source.pk}/copy/")
    copy = Routine.objects.get(owner=ready)
    assert response.status_code == 302 and response["Location"] == f"/routines/{copy.pk}/"
    assert copy.name == "My whole routine, both sides" and copy.copied_from == source
    assert [(s.point_id, s.side) for s in copy.steps.order_by("position")] == [
        (s.point_id, s.side) for s in source.steps.order_by("position")
    ]
    # each step holds for the user's default hold (the "Default hold" setting), not the built-in's own holds
    assert {s.hold_seconds for s in copy.steps.all()} == {ready.profile.default_hold_seconds}
    assert positions(copy) == list(range(1, 15))
    assert source.steps.count() == 14


@pytest.mark.django_db
def test_copy_own_routine(owner_client, ready):
    routine = make_routine(owner=ready, name="Feet", steps=3)
    owner_client.post(f"/routines/{routine.pk}/copy/")
    copy = Routine.objects.get(owner=ready, name="Copy of Feet")
    assert positions(copy) == [1, 2, 3]


@pytest.mark.django_db
def test_copy_needs_the_safety_notice(owner_client, owner):
    response = owner_client.post(f"/routines/{builtin().pk}/copy/", headers={"Referer": "/routines/"})
    assert response.status_code == 302
    assert response["Location"] == "/safety/?next=%2Froutines%2F&then=%2Froutines%2F" + f"{builtin().pk}%2Fcopy%2F"
    assert not Routine.objects.filter(owner=owner).exists()


@pytest.mark.django_db
def test_archive_and_unarchive(owner_client, owner):
    routine = make_routine(owner=owner)
    assert owner_client.post(f"/routines/{routine.pk}/archive/").status_code == 302
    routine.refresh_from_db()
    assert routine.archived
    assert owner_client.post(f"/routines/{routine.pk}/unarchive/").status_code == 302
    routine.refresh_from_db()
    assert not routine.archived


@pytest.mark.django_db
def test_delete_keeps_sessions(owner_client, owner):
    routine = make_routine(owner=owner, name="Going away")
    session = make_session(owner, routine=routine)
    body = owner_client.get(f"/routines/{routine.pk}/delete/").content.decode()
    assert "The 1 session you ran with it stays in your journal under its name" in body
    response = owner_client.post(f"/routines/{routine.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == LIST
    assert not Routine.objects.filter(pk=routine.pk).exists()
    assert not RoutineStep.objects.filter(routine_id=routine.pk).exists()
    session = Session.objects.get(pk=session.pk)
    assert session.routine is None and session.routine_name == "Going away"
