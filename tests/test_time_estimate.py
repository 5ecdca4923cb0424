"""One estimate of a routine's duration (routines.models.estimate_seconds: every hold plus a changeover per step):
the routine list's "about N minutes" and the runner's "about N minutes left" come from it, so before any step is
done the runner says what the list said (it had counted the holds only: "about 9 minutes" in the list, "about 8
minutes left" at step 1), and each later step, on the server or from the page's offline <template>s, counts its
own changeover too."""

import re

import pytest
from django.urls import reverse

from journal.models import Session
from routines.models import STEP_CHANGEOVER_SECONDS, Routine, RoutineStep, estimate_seconds
from routines.templatetags.routine_tags import duration_text
from tests.factories import make_routine

pytestmark = pytest.mark.django_db


def started(user, routine: Routine) -> Session:
    session = Session.objects.start(user, routine)
    session.answer_safety_check([], 5)
    return session


def test_the_estimate_is_the_holds_and_a_changeover_per_step():
    assert estimate_seconds(3, 120) == 120 + 3 * STEP_CHANGEOVER_SECONDS
    assert estimate_seconds(0, 0) == 0


def test_before_any_step_the_time_left_is_the_routines_estimate(ready):
    mixed = make_routine(ready, steps=6, hold_seconds=45)
    RoutineStep.objects.filter(routine=mixed, position__in=(2, 5)).update(hold_seconds=90)
    routines = [*Routine.objects.builtin().with_totals(), *Routine.objects.filter(pk=mixed.pk).with_totals()]
    assert len(routines) > 1
    for routine in routines:
        if not routine.step_count:
            continue
        session = started(ready, routine)
        assert session.seconds_left == routine.estimated_seconds, routine.name
        session.delete()


def test_each_step_logged_takes_its_hold_and_its_changeover(ready):
    session = started(ready, make_routine(ready, steps=3, hold_seconds=40))
    assert session.seconds_left == 3 * (40 + STEP_CHANGEOVER_SECONDS)
    session.log_release(1, held_seconds=40, tender=True, pressure=5, pain_now=4)
    session.skip(2)
    session = Session.objects.get(pk=session.pk)
    assert session.seconds_left == 40 + STEP_CHANGEOVER_SECONDS


def left_text(html: str, position: int) -> str:
    return re.search(rf"Step {position} of \d+ · (.+?) left", html).group(1)


def test_the_list_and_the_runner_say_the_same_time(ready, owner_client):
    # 7 holds of 60 s: 420 s of holds, 490 s with the changeovers. Holds alone would say "about 7 minutes".
    routine = make_routine(ready, steps=7, hold_seconds=60, name="Seven spots")
    listed = owner_client.get(reverse("routines:routine_list")).content.decode()
    in_list = re.search(r"Seven spots.*?7 steps · (about \d+ minutes?)", listed, re.S).group(1)
    assert in_list == "about 8 minutes"
    session = started(ready, routine)
    runner = owner_client.get(reverse("journal:session_run", args=[session.pk])).content.decode()
    assert left_text(runner, 1) == in_list


def test_a_later_step_shown_offline_says_what_the_server_says_there(ready, owner_client):
    routine = make_routine(ready, steps=4, hold_seconds=50)
    RoutineStep.objects.filter(routine=routine, position=3).update(hold_seconds=120)
    session = started(ready, routine)
    run = reverse("journal:session_run", args=[session.pk])
    first = owner_client.get(run).content.decode()
    offline = {n: left_text(first, n) for n in (2, 3, 4)}  # from the page's <template>s
    assert offline[4] == duration_text(50 + STEP_CHANGEOVER_SECONDS)
    for position in (1, 2, 3):
        session.log_release(position, held_seconds=30, tender=True, pressure=4, pain_now=3)
        assert left_text(owner_client.get(run).content.decode(), position + 1) == offline[position + 1], position
