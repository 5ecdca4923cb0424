"""The routine builder: add, remove and move steps; bad input; HTMX partials; positions always 1..n."""

import re

import pytest
from django.db import IntegrityError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routines.models import Point, Routine, RoutineStep
from tests.factories import make_point, make_routine


def add_url(routine: Routine) -> str:
    return f"/routines/{routine.pk}/steps/add/"


def move_url(routine: Routine, step: RoutineStep | int) -> str:
    return f"/routines/{routine.pk}/steps/{getattr(step, 'pk', step)}/move/"


def remove_url(routine: Routine, step: RoutineStep | int) -> str:
    return f"/routines/{routine.pk}/steps/{getattr(step, 'pk', step)}/remove/"


def order(routine: Routine) -> list[tuple[int, str, str]]:
    return [(s.position, s.point.slug, s.side) for s in routine.steps.select_related("point").order_by("position")]


def positions(routine: Routine) -> list[int]:
    return list(routine.steps.order_by("position").values_list("position", flat=True))


def top() -> Point:
    return Point.objects.get(slug="glute-top")


@pytest.fixture
def routine(owner):
    return make_routine(owner=owner, steps=3)


# Add --------------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_add_one_side(owner_client, routine):
    response = owner_client.post(add_url(routine), {"point": top().pk, "side": "right", "hold_seconds": "40"})
    assert response.status_code == 302 and response["Location"] == f"/routines/{routine.pk}/"
    assert order(routine)[-1] == (4, "glute-top", "right")
    assert routine.steps.get(position=4).hold_seconds == 40


@pytest.mark.django_db
def test_both_sides_adds_two_steps_left_then_right(owner_client, routine):
    owner_client.post(add_url(routine), {"point": top().pk, "side": "both", "hold_seconds": "45"})
    assert order(routine)[-2:] == [(4, "glute-top", "left"), (5, "glute-top", "right")]


@pytest.mark.django_db
def test_blank_hold_uses_the_default_hold_setting(owner, owner_client, routine):
    owner.profile.default_hold_seconds = 35
    owner.profile.save()
    owner_client.post(add_url(routine), {"point": top().pk, "side": "left", "hold_seconds": ""})
    assert routine.steps.get(position=4).hold_seconds == 35 != top().default_hold_seconds


@pytest.mark.django_db
@pytest.mark.parametrize("hold", ["10", "25", "61", "180"])
def test_holds_outside_30_60_are_allowed_with_a_warning(owner_client, routine, htmx_headers, hold):
    response = owner_client.post(
        add_url(routine), {"point": top().pk, "side": "left", "hold_seconds": hold}, headers=htmx_headers
    )
    assert response.status_code == 200
    assert "outside the 30-60 seconds the article suggests" in response.content.decode()
    assert '<span class="badge text-bg-warning">outside 30-60 s</span>' in response.content.decode()
    assert routine.steps.get(position=4).hold_seconds == int(hold)


@pytest.mark.django_db
def test_hold_inside_30_60_has_no_warning(owner_client, routine, htmx_headers):
    response = owner_client.post(
        add_url(routine), {"point": top().pk, "side": "left", "hold_seconds": "30"}, headers=htmx_headers
    )
    assert "outside the" not in response.content.decode()


@pytest.mark.django_db
def test_own_custom_point_can_be_added(owner_client, owner, routine):
    mine = make_point(owner=owner, name="Calf knot")
    owner_client.post(add_url(routine), {"point": mine.pk, "side": "left", "hold_seconds": "45"})
    assert order(routine)[-1] == (4, mine.slug, "left")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"hold_seconds": "0"}, "Enter a hold between 1 and 180 seconds."),  # tests allow 1 s holds
        ({"hold_seconds": "999"}, "Enter a hold between 1 and 180 seconds."),
        ({"hold_seconds": "abc"}, "Use whole seconds"),
        ({"hold_seconds": "-5"}, "Enter a hold between"),
        ({"side": ""}, "Choose a side: left, right or both."),
        ({"side": "middle"}, "Choose left, right or both."),
        ({"point": ""}, "Choose a point."),
        ({"point": "abc"}, "Choose one of the points in the list."),
        ({"point": "999999"}, "Choose one of the points in the list."),
    ],
)
def test_bad_input_is_a_clear_error_and_nothing_is_saved(owner_client, routine, htmx_headers, data, message):
    before = order(routine)
    post = {"point": top().pk, "side": "left", "hold_seconds": "45", **data}
    for headers in [{}, htmx_headers]:
        response = owner_client.post(add_url(routine), post, headers=headers)
        body = response.content.decode()
        assert response.status_code == 422
        assert message in body and "The step was not added" in body
        if headers:  # the live region's announcement is shown as an error too
            assert '<div class="alert alert-danger mb-0">The step was not added: see the form.</div>' in body
    assert order(routine) == before


@pytest.mark.django_db
def test_missing_side_field_entirely(owner_client, routine):
    response = owner_client.post(add_url(routine), {"point": top().pk, "hold_seconds": "45"})
    assert response.status_code == 422 and "Choose a side" in response.content.decode()
    assert routine.steps.count() == 3


@pytest.mark.django_db
def test_another_users_point_cannot_be_added(owner_client, other_user, routine):
    theirs = make_point(owner=other_user, name="Their secret spot")
    response = owner_client.post(add_url(routine), {"point": theirs.pk, "side": "left", "hold_seconds": "45"})
    body = response.content.decode()
    assert response.status_code == 422 and "Choose one of the points in the list." in body
    assert "Their secret spot" not in body
    assert routine.steps.count() == 3


@pytest.mark.django_db
def test_min_hold_follows_the_setting(owner_client, routine, settings):
    settings.TENDERSPOT_MIN_HOLD_SECONDS = 10
    response = owner_client.post(add_url(routine), {"point": top().pk, "side": "left", "hold_seconds": "5"})
    assert response.status_code == 422 and "Enter a hold between 10 and 180 seconds." in response.content.decode()


# HTMX -------------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_htmx_add_gets_only_the_builder_with_an_announcement(owner_client, routine, htmx_headers):
    response = owner_client.post(
        add_url(routine), {"point": top().pk, "side": "both", "hold_seconds": "45"}, headers=htmx_headers
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="routine-builder"') and "<html" not in body
    # Only the announcement moves into the page's live region, which stays (a new live region is often not read out).
    assert body.count('id="builder-status"') == 1 and '<div id="builder-status" hx-swap-oob="innerHTML">' in body
    assert 'hx-swap-oob="true"' not in body
    assert "Added Left glute, top and Right glute, top, 45 seconds." in body
    assert body.count('<li id="step-') == 5


@pytest.mark.django_db
def test_htmx_move_and_remove_get_the_builder(owner_client, routine, htmx_headers):
    first = routine.steps.get(position=1)
    response = owner_client.post(move_url(routine, first), {"direction": "down"}, headers=htmx_headers)
    assert response.status_code == 200 and "<html" not in response.content.decode()
    assert f"{first.point.label(first.side)} is now step 2." in response.content.decode()
    response = owner_client.post(remove_url(routine, first), headers=htmx_headers)
    assert response.status_code == 200 and response.content.decode().lstrip().startswith("<section")
    assert "Removed step 2" in response.content.decode()


@pytest.mark.django_db
def test_htmx_detail_get_returns_the_builder(owner_client, routine, htmx_headers):
    body = owner_client.get(f"/routines/{routine.pk}/", headers=htmx_headers).content.decode()
    assert body.lstrip().startswith('<section id="routine-builder"')


@pytest.mark.django_db
def test_plain_post_redirects_with_a_message(owner_client, routine):
    step = routine.steps.get(position=3)
    response = owner_client.post(move_url(routine, step), {"direction": "up"}, follow=True)
    assert response.redirect_chain == [(f"/routines/{routine.pk}/", 302)]
    assert "is now step 2." in response.content.decode()


# Move, remove -----------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_move_up_and_down(owner_client, routine):
    a, b, c = (s.pk for s in routine.steps.order_by("position"))
    owner_client.post(move_url(routine, c), {"direction": "up"})
    assert list(routine.steps.order_by("position").values_list("pk", flat=True)) == [a, c, b]
    owner_client.post(move_url(routine, a), {"direction": "down"})
    assert list(routine.steps.order_by("position").values_list("pk", flat=True)) == [c, a, b]


@pytest.mark.django_db
def test_moving_past_either_end_changes_nothing(owner_client, routine):
    before = order(routine)
    first, last = routine.steps.get(position=1), routine.steps.get(position=3)
    assert owner_client.post(move_url(routine, first), {"direction": "up"}).status_code == 302
    assert owner_client.post(move_url(routine, last), {"direction": "down"}).status_code == 302
    assert order(routine) == before


@pytest.mark.django_db
@pytest.mark.parametrize("direction", ["", "sideways", None])
def test_move_needs_a_direction(owner_client, routine, direction):
    before = order(routine)
    data = {} if direction is None else {"direction": direction}
    response = owner_client.post(move_url(routine, routine.steps.first()), data)
    assert response.status_code == 400 and b"up or down" in response.content
    assert order(routine) == before


@pytest.mark.django_db
def test_remove_closes_the_gap(owner_client, routine):
    middle = routine.steps.get(position=2)
    owner_client.post(remove_url(routine, middle))
    assert positions(routine) == [1, 2]
    assert not RoutineStep.objects.filter(pk=middle.pk).exists()


@pytest.mark.django_db
def test_stale_tab_acting_on_a_removed_step_gets_the_current_routine(owner_client, routine, htmx_headers):
    step = routine.steps.get(position=2)
    owner_client.post(remove_url(routine, step))  # tab A
    for url, data in [(move_url(routine, step), {"direction": "up"}), (remove_url(routine, step), {})]:
        response = owner_client.post(url, data, headers=htmx_headers)  # tab B, still showing the step
        assert response.status_code == 200
        assert "That step had already been removed" in response.content.decode()
    assert positions(routine) == [1, 2]


@pytest.mark.django_db
def test_a_step_of_another_routine_cannot_be_moved_through_mine(owner_client, owner, other_user, routine):
    theirs = make_routine(owner=other_user, steps=3)
    their_step = theirs.steps.get(position=1)
    owner_client.post(move_url(routine, their_step), {"direction": "down"})
    owner_client.post(remove_url(routine, their_step))
    assert RoutineStep.objects.get(pk=their_step.pk).position == 1
    assert positions(theirs) == [1, 2, 3]


@pytest.mark.django_db
def test_ownership_anonymous_and_methods(owner_client, other_client, anonymous_client, routine):
    step = routine.steps.first()
    for url, data in [
        (add_url(routine), {"point": top().pk, "side": "left", "hold_seconds": "45"}),
        (move_url(routine, step), {"direction": "down"}),
        (remove_url(routine, step), {}),
    ]:
        assert other_client.post(url, data).status_code == 404
        response = anonymous_client.post(url, data)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
        assert owner_client.get(url).status_code == 405
    assert positions(routine) == [1, 2, 3] and routine.steps.first().pk == step.pk


# Invariants -------------------------------------------------------------------------------------------------------

OPERATIONS = st.lists(
    st.tuples(st.sampled_from(["add", "add_both", "remove", "up", "down"]), st.integers(min_value=0, max_value=30)),
    max_size=25,
)


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=OPERATIONS)
def test_positions_stay_1_to_n_after_any_sequence(owner, operations):
    """Property: after any sequence of adds, removes and moves the positions are exactly 1..n, and the order is
    what a plain Python list given the same operations says it should be."""
    routine = make_routine(owner=owner, steps=2)
    points = list(Point.objects.builtin().order_by("order"))
    model = list(routine.steps.order_by("position").values_list("pk", flat=True))
    for operation, n in operations:
        if operation in ("add", "add_both"):
            sides = ["left", "right"] if operation == "add_both" else ["left"]
            model += [s.pk for s in routine.add_steps(points[n % len(points)], sides, 30 + n)]
        elif not model:
            assert routine.remove_step(n + 10_000) is None
        elif operation == "remove":
            pk = model.pop(n % len(model))
            assert routine.remove_step(pk) is not None
        else:
            pk = model[n % len(model)]
            index = model.index(pk)
            target = max(0, index - 1) if operation == "up" else min(len(model) - 1, index + 1)
            model.insert(target, model.pop(index))
            assert routine.move_step(pk, -1 if operation == "up" else 1).pk == pk
        assert positions(routine) == list(range(1, len(model) + 1))
    assert list(routine.steps.order_by("position").values_list("pk", flat=True)) == model


@pytest.mark.django_db
def test_the_database_refuses_duplicate_positions(routine):
    with pytest.raises(IntegrityError):
        RoutineStep.objects.create(routine=routine, position=1, point=top(), side="left", hold_seconds=30)


@pytest.mark.django_db
def test_htmx_remove_moves_focus_to_the_step_that_took_its_place(owner_client, routine, htmx_headers):
    first, second, third = routine.steps.order_by("position")
    body = owner_client.post(remove_url(routine, second), headers=htmx_headers).content.decode()
    assert f'id="step-{third.pk}-remove" class="btn btn-outline-danger" autofocus' in body
    assert body.count("autofocus") == 1
    body = owner_client.post(remove_url(routine, third), headers=htmx_headers).content.decode()
    assert f'id="step-{first.pk}-remove" class="btn btn-outline-danger" autofocus' in body, "past the end: previous"
    plain = owner_client.get(f"/routines/{routine.pk}/").content.decode()
    assert "autofocus" not in plain


# The default hold, changes in place, undo -------------------------------------------------------------------------


def change_url(routine: Routine, step: RoutineStep | int) -> str:
    return f"/routines/{routine.pk}/steps/{getattr(step, 'pk', step)}/change/"


RESTORE = "/routines/{}/steps/restore/"


@pytest.mark.django_db
def test_the_add_form_starts_at_the_default_hold_setting(owner, owner_client, routine):
    owner.profile.default_hold_seconds = 35
    owner.profile.save()
    body = owner_client.get(f"/routines/{routine.pk}/").content.decode()
    assert 'name="hold_seconds" value="35"' in body and "your default hold from Settings (35 s)" in body


@pytest.mark.django_db
def test_a_copied_built_in_routine_uses_the_default_hold_setting(ready, owner_client):
    ready.profile.default_hold_seconds = 30
    ready.profile.save()
    builtin = Routine.objects.builtin().get(slug="glutes-only")
    assert set(builtin.steps.values_list("hold_seconds", flat=True)) != {30}
    owner_client.post(f"/routines/{builtin.pk}/copy/")
    copy = Routine.objects.get(owner=ready, copied_from=builtin)
    assert set(copy.steps.values_list("hold_seconds", flat=True)) == {30}
    # a copy of one's own routine keeps its holds
    owner_client.post(f"/routines/{copy.pk}/copy/")
    assert set(Routine.objects.get(copied_from=copy).steps.values_list("hold_seconds", flat=True)) == {30}


@pytest.mark.django_db
@pytest.mark.parametrize("headers", [{}, {"HX-Request": "true"}], ids=["plain", "htmx"])
def test_a_steps_side_and_hold_change_in_place(owner_client, routine, headers):
    step = routine.steps.get(position=2)
    response = owner_client.post(change_url(routine, step), {"side": "right", "hold_seconds": "50"}, headers=headers)
    assert response.status_code == (200 if headers else 302)
    step.refresh_from_db()
    assert (step.position, step.side, step.hold_seconds) == (2, "right", 50)
    if headers:
        body = response.content.decode()
        assert body.lstrip().startswith('<section id="routine-builder"') and "is now" in body
        assert f'id="step-{step.pk}-change" autofocus' in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [{"side": "both", "hold_seconds": "40"}, {"side": "left", "hold_seconds": "0"}, {"side": "left"}, {}],
)
def test_a_bad_change_is_refused_and_changes_nothing(owner_client, routine, data):
    step = routine.steps.get(position=1)
    before = (step.side, step.hold_seconds)
    response = owner_client.post(change_url(routine, step), data, headers={"HX-Request": "true"})
    assert "The step was not changed." in response.content.decode()
    step.refresh_from_db()
    assert (step.side, step.hold_seconds) == before


@pytest.mark.django_db
def test_a_removed_step_can_be_put_back_where_it_was(owner_client, routine, htmx_headers):
    before = order(routine)
    holds = list(routine.steps.order_by("position").values_list("hold_seconds", flat=True))
    response = owner_client.post(remove_url(routine, routine.steps.get(position=2)), headers=htmx_headers)
    body = response.content.decode()
    assert "Undo" in body
    fields = dict(re.findall(r'<input type="hidden" name="(point|side|hold_seconds|position)" value="([^"]*)"', body))
    owner_client.post(RESTORE.format(routine.pk), fields, headers=htmx_headers)
    assert order(routine) == before
    assert list(routine.steps.order_by("position").values_list("hold_seconds", flat=True)) == holds


@pytest.mark.django_db
def test_undo_works_without_javascript(owner_client, routine):
    before = order(routine)
    response = owner_client.post(remove_url(routine, routine.steps.get(position=1)), follow=True)
    body = response.content.decode()
    fields = dict(re.findall(r'<input type="hidden" name="(point|side|hold_seconds|position)" value="([^"]*)"', body))
    assert fields["position"] == "1"
    owner_client.post(RESTORE.format(routine.pk), fields)
    assert order(routine) == before
    # the offer is shown once
    assert "Undo" not in owner_client.get(f"/routines/{routine.pk}/").content.decode()


@pytest.mark.django_db
def test_undo_cannot_bring_in_another_users_point(owner_client, other_user, routine):
    foreign = make_point(owner=other_user)
    response = owner_client.post(
        RESTORE.format(routine.pk), {"point": foreign.pk, "side": "left", "hold_seconds": 40, "position": 1}
    )
    assert response.status_code == 302 and routine.steps.count() == 3
