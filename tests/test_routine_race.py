"""Two tabs editing one routine at the same time: every request answers (no 500) and positions stay 1..n.

Real threads, each with its own database connection, drive the real views. Writers lock the routine row
(select_for_update on PostgreSQL; on SQLite the IMMEDIATE transaction takes the write lock) and take turns.
"""

import random
import threading

import pytest
from django.db import connection
from django.test import Client

from routines.catalogue import ensure_builtin_catalogue
from routines.models import Point, Routine
from tests.factories import make_routine

pytestmark = pytest.mark.django_db(transaction=True)


def tab(user, routine_pk: int, seed: int, statuses: list[int], errors: list[BaseException]) -> None:
    rng = random.Random(seed)
    client = Client(raise_request_exception=True)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    points = list(Point.objects.builtin().values_list("pk", flat=True))
    try:
        for _ in range(25):
            step_ids = list(Routine.objects.get(pk=routine_pk).steps.values_list("pk", flat=True))
            operation = rng.choice(["add", "add", "up", "down", "remove"])
            base = f"/routines/{routine_pk}/steps/"
            if operation == "add" or not step_ids:
                data = {"point": rng.choice(points), "side": rng.choice(["left", "right", "both"]), "hold_seconds": 45}
                response = client.post(base + "add/", data, headers={"HX-Request": "true"})
            elif operation == "remove":
                response = client.post(f"{base}{rng.choice(step_ids)}/remove/", headers={"HX-Request": "true"})
            else:
                response = client.post(f"{base}{rng.choice(step_ids)}/move/", {"direction": operation})
            statuses.append(response.status_code)
    except BaseException as exc:
        errors.append(exc)
    finally:
        connection.close()


def test_two_tabs_racing_keep_positions_contiguous(owner):
    ensure_builtin_catalogue()  # a transactional test may follow another that flushed the database
    routine = make_routine(owner=owner, steps=4)
    statuses: list[int] = []
    errors: list[BaseException] = []
    threads = [threading.Thread(target=tab, args=(owner, routine.pk, seed, statuses, errors)) for seed in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert len(statuses) == 50 and set(statuses) <= {200, 302}
    positions = list(routine.steps.order_by("position").values_list("position", flat=True))
    assert positions == list(range(1, len(positions) + 1))
