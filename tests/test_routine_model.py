"""Routine and RoutineStep helpers the views and the journal share."""

import pytest

from routines.models import Point, RoutineStep


@pytest.mark.django_db
def test_a_steps_label_is_its_points_label_for_its_side():
    point = Point.objects.get(slug="glute-top")
    step = RoutineStep(position=2, point=point, side="right", hold_seconds=45)
    assert step.label == point.label("right") == "Right glute, top"
    assert str(step) == "2. Right glute, top (45 s)"
