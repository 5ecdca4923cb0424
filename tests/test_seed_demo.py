"""seed_demo: a user with N days of realistic history, replaced (not doubled) on a second run."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count

from journal.models import Release, Session, SessionStatus
from journal.trends import aggregates

pytestmark = pytest.mark.django_db


def seed(days: int = 120, seed: int | None = 7, username: str = "demo") -> str:
    out = StringIO()
    call_command("seed_demo", username=username, password="demo-pass-123", days=days, seed=seed, stdout=out)
    return out.getvalue()


def test_makes_a_user_who_can_log_in_with_a_time_zone():
    output = seed()
    user = get_user_model().objects.get(username="demo")
    assert user.check_password("demo-pass-123") and user.is_active
    assert user.profile.time_zone == "Europe/London" and user.profile.has_acknowledged_safety
    assert "Seeded demo:" in output and "sessions" in output and " s " in output


def test_history_is_realistic():
    seed(days=240)
    user = get_user_model().objects.get(username="demo")
    sessions = Session.objects.filter(user=user)
    today = user.profile.local_date()
    dates = set(sessions.values_list("local_date", flat=True))
    # Within the N days ending today, with some days skipped.
    assert min(dates) >= today - timedelta(days=239) and max(dates) <= today
    assert 0.5 * 240 < len(dates) < 240
    # Every session's local date matches its start in the user's zone.
    for s in sessions.order_by("?")[:50]:
        assert user.profile.local_date(s.started_at) == s.local_date
    # Both sides, several routines, varied pain.
    releases = Release.objects.for_user(user)
    assert set(releases.values_list("side", flat=True)) == {"left", "right"}
    assert sessions.values("routine").distinct().count() >= 2
    assert len(set(sessions.values_list("pain_before", flat=True))) >= 4
    # Some points are tender far more often than others.
    shares = [r.tender_share for r in aggregates.point_side_stats(user) if r.tender_share is not None]
    assert max(shares) - min(shares) > 0.3
    # Completed sessions have releases held in order and a pain after.
    done = sessions.filter(status=SessionStatus.COMPLETED).annotate(n=Count("releases"))
    assert all(s.n == len(s.plan) and s.pain_after is not None and s.finished_at > s.started_at for s in done[:50])


def test_pain_drifts_over_months():
    seed(days=720, seed=3)
    user = get_user_model().objects.get(username="demo")
    days = aggregates.daily_pain(user)
    first, last = days[:60], days[-60:]
    mean = lambda rows: sum(r.before for r in rows) / len(rows)  # noqa: E731
    assert mean(first) - mean(last) > 0.5


def test_rerun_replaces_the_data_and_the_seed_repeats():
    seed(days=90, seed=11)
    user = get_user_model().objects.get(username="demo")
    first = list(Session.objects.filter(user=user).order_by("started_at").values_list("local_date", "pain_before"))
    releases = Release.objects.for_user(user).count()
    seed(days=90, seed=11)
    again = list(Session.objects.filter(user=user).order_by("started_at").values_list("local_date", "pain_before"))
    assert again == first and Release.objects.for_user(user).count() == releases
    assert get_user_model().objects.filter(username="demo").count() == 1


def test_leaves_other_users_alone(owner):
    from tests.factories import make_session

    mine = make_session(owner)
    seed(days=30)
    assert Session.objects.filter(pk=mine.pk).exists()


@pytest.mark.parametrize("days", [0, -5])
def test_rejects_a_bad_number_of_days(days):
    with pytest.raises(CommandError, match="--days"):
        seed(days=days)
