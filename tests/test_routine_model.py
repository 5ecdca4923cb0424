"""Routine and RoutineStep helpers the views and the journal share."""

import pytest

from routines.models import STEP_CHANGEOVER_SECONDS, Point, Routine, RoutineStep
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
