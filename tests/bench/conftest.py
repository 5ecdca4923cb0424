"""Shared data for the benchmarks: one user with 365 days of history and one with 3,650, made once per run."""

import os
import time

import pytest
from django.db import connection
from django.test import Client

from tests.bench.history import seed_history

RUNS = int(os.environ.get("BENCH_RUNS", "30"))


@pytest.fixture(scope="session")
def histories(django_db_setup, django_db_blocker) -> dict:
    with django_db_blocker.unblock():
        made = {}
        for days in (365, 3650):
            start = time.perf_counter()
            user, how = seed_history(f"bench{days}", days)
            seconds = time.perf_counter() - start
            user.profile.acknowledge_safety()
            made[days] = {"user": user, "how": how, "seed_seconds": seconds}
        settle_like_a_served_app([entry["user"] for entry in made.values()])
        return made


def settle_like_a_served_app(users) -> None:
    """A served app closes its database connection after every request, and on SQLite the close runs
    `PRAGMA optimize` (config/sqlite), which gathers the planner's statistics for the tables just queried. The test
    client keeps one connection open, so the benchmarks do that once themselves: each user's trends pages, then a
    close."""
    for user in users:
        client = client_for(user)
        for path in ("/journal/trends/", "/journal/trends/?range=all", "/journal/sessions/", "/"):
            client.get(path)
    connection.close()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client
