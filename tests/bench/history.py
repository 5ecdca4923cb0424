"""Journal history for the benchmarks: `seed_history(username, days)` returns a user with `days` days of sessions
and releases.

When the `seed_demo` management command exists it makes the data (the realistic mix the demo account gets).
Until then the history comes from the same rows tests/factories makes, bulk-created: one completed session a day on
the glutes-only routine, a release per step, with tenderness, pressure and pain that drift over time.
"""

from datetime import timedelta

from django.core.management import call_command, get_commands
from django.utils import timezone

from journal.models import Release, Session, SessionStatus
from routines.models import Routine
from tests.factories import PASSWORD, make_user, plan_of


def seed_demo_available() -> bool:
    return "seed_demo" in get_commands()


def seed_history(username: str, days: int) -> tuple:
    """(user, how): `how` says which path made the data, for the report."""
    if seed_demo_available():
        from django.contrib.auth import get_user_model

        call_command("seed_demo", username=username, password=PASSWORD, days=days, verbosity=0)
        return get_user_model().objects.get(username=username), f"seed_demo --days {days}"
    print(f"\n[bench] seed_demo is not available yet: {days} days of history for {username!r} come from bulk-created "
          "factory rows (one session a day, a release per step) instead.")  # fmt: skip
    return bulk_history(make_user(username), days), f"bulk factory rows, {days} days"


def bulk_history(user, days: int):
    user.profile.acknowledge_safety()
    routine = Routine.objects.builtin().get(slug="glutes-only")
    plan = plan_of(routine)
    now = timezone.now().replace(hour=7, minute=30, second=0, microsecond=0)
    sessions = []
    for day in range(days, 0, -1):
        started = now - timedelta(days=day)
        sessions.append(
            Session(
                user=user,
                routine=routine,
                routine_name=routine.name,
                plan=plan,
                started_at=started,
                last_activity_at=started + timedelta(minutes=12),
                finished_at=started + timedelta(minutes=12),
                local_date=user.profile.local_date(started),
                status=SessionStatus.COMPLETED,
                pain_before=3 + day % 5,
                pain_after=2 + day % 5,
                safety_check="no",
            )
        )
    Session.objects.bulk_create(sessions, batch_size=500)
    releases = []
    for n, session in enumerate(Session.objects.filter(user=user).order_by("started_at").only("pk", "started_at")):
        for position, step in enumerate(plan, start=1):
            start = session.started_at + timedelta(minutes=position)
            releases.append(
                Release(
                    session_id=session.pk,
                    position=position,
                    point_id=step["point_id"],
                    point_name=step["point_name"],
                    side=step["side"],
                    prescribed_seconds=step["hold_seconds"],
                    held_seconds=step["hold_seconds"],
                    started_at=start,
                    ended_at=start + timedelta(seconds=step["hold_seconds"]),
                    tender=(n + position) % 3 != 0,
                    pressure=(n + position) % 11,
                    pain_now=(n * 7 + position) % 11,
                    logged_at=start + timedelta(seconds=step["hold_seconds"]),
                )
            )
    Release.objects.bulk_create(releases, batch_size=1000)
    return user
