"""Routine and RoutineStep helpers the views and the journal share."""

import uuid

import pytest

from journal.models import Session
from routines.models import STEP_CHANGEOVER_SECONDS, Point, Routine, RoutineStep, plan_step
from tests.factories import make_routine


@pytest.mark.django_db
def test_a_steps_label_is_its_points_label_for_its_side():
    point = Point.objects.get(slug="glute-top")
    step = RoutineStep(position=2, point=point, side="right", hold_seconds=45)
    assert step.label == point.label("right") == "Right glute, top"
    assert str(step) == "2. Right glute, top (45 s)"


@pytest.mark.django_db
def test_with_totals_and_load_steps_give_the_same_estimate(owner):
    routine = make_routine(owner=owner, steps=3, hold_seconds=40)
    annotated = Routine.objects.with_totals().get(pk=routine.pk)
    assert (annotated.step_count, annotated.hold_total) == (3, 120)
    assert annotated.estimated_seconds == 120 + 3 * STEP_CHANGEOVER_SECONDS
    steps = routine.load_steps()
    assert [s.position for s in steps] == [1, 2, 3]
    assert (routine.step_count, routine.hold_total, routine.estimated_seconds) == (3, 120, annotated.estimated_seconds)


@pytest.mark.django_db
def test_an_empty_routine_totals_zero(owner):
    routine = make_routine(owner=owner, steps=0)
    annotated = Routine.objects.with_totals().get(pk=routine.pk)
    assert (annotated.step_count, annotated.hold_total, annotated.estimated_seconds) == (0, 0, 0)
    assert routine.load_steps() == [] and routine.estimated_seconds == 0


@pytest.mark.django_db
def test_a_routine_and_a_quick_log_store_plan_steps_alike(owner):
    routine = make_routine(owner=owner, steps=2, hold_seconds=35)
    steps = routine.load_steps()
    assert routine.plan_snapshot() == [plan_step(s.point, s.side, s.hold_seconds) for s in steps]
    point = steps[0].point
    assert plan_step(point, "left", 35) == {
        "point_id": point.pk,
        "point_slug": point.slug,
        "point_name": point.name,
        "side": "left",
        "hold_seconds": 35,
    }
    session, _ = Session.objects.quick_log(owner, uuid.uuid4(), point, "right", 50)
    assert session.plan == [plan_step(point, "right", 50)]


@pytest.mark.django_db
def test_a_copy_of_a_long_name_fits_the_field(owner):
    own = make_routine(owner=owner, name="x" * 100)
    copy, _ = own.copy_for(owner)
    assert copy.name == ("Copy of " + "x" * 100)[:100] and len(copy.name) == 100
    assert list(copy.steps.values_list("position", "point", "side")) == list(
        own.steps.values_list("position", "point", "side")
    )
