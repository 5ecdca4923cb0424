"""Streaks computed in the database (aggregates.streaks_in_sql, gaps and islands) agree with the plain Python
`aggregates.streaks` on any set of days: gaps, runs across today and yesterday, future days, several sessions a day,
and sessions that do not count (not completed) or belong to someone else."""

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal.models import Session, SessionStatus
from journal.trends import aggregates
from tests.factories import make_session, make_user

TODAY = date(2026, 3, 10)


def add_sessions(user, offsets: list[int], status=SessionStatus.COMPLETED) -> None:
    for offset in offsets:
        day = TODAY + timedelta(days=offset)
        make_session(user, local_date=day, status=status)


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    offsets=st.lists(st.integers(-40, 3), max_size=30),
    not_counted=st.lists(st.integers(-40, 3), max_size=5),
)
def test_sql_streaks_match_python(owner, offsets, not_counted):
    Session.objects.all().delete()
    add_sessions(owner, offsets)
    add_sessions(owner, not_counted, status=SessionStatus.ABANDONED)
    days = [TODAY + timedelta(days=o) for o in offsets]
    assert aggregates.streaks_in_sql(owner, TODAY) == aggregates.streaks(days, TODAY)


@pytest.mark.django_db
def test_known_streaks(owner):
    other = make_user()
    add_sessions(other, range(-30, 1))  # someone else's month counts for nothing here
    add_sessions(owner, [-10, -9, -8, -7, -3, -2, -1, -1])  # 4 long ago; 3 up to yesterday (two sessions on -1)
    assert aggregates.streaks_in_sql(owner, TODAY) == (3, 4)
    add_sessions(owner, [0, 1])  # today (and a future day, which the current streak does not count)
    assert aggregates.streaks_in_sql(owner, TODAY) == (4, 5)  # -3 to +1 is the longest now
    assert aggregates.streaks_in_sql(make_user(), TODAY) == (0, 0)


@pytest.mark.django_db
def test_other_databases_take_the_plain_way(owner, monkeypatch):
    add_sessions(owner, [-10, -9, -8, -7, -3, -2, -1, -1])
    add_sessions(owner, [-6], status=SessionStatus.ABANDONED)
    monkeypatch.setattr(aggregates, "_DAY_NUMBER", {})  # no SQL fragment for this vendor
    assert aggregates.streaks_in_sql(owner, TODAY) == (3, 4)
