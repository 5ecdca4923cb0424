"""Small factories: each makes one valid row with sensible defaults; pass keyword arguments to override."""

import itertools
import uuid
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from journal.models import Release, SafetyAnswer, Session, SessionStatus
from journal.redflags import RedFlag, tier_of
from routines.models import Point, Routine, RoutineStep

PASSWORD = "correct-horse-battery-9"
_counter = itertools.count(1)


def form_key() -> str:
    """A fresh one-time form key, as a drawn form carries it (quick log, share links, reminders)."""
    return str(uuid.uuid4())


def make_user(username: str | None = None, password: str = PASSWORD, time_zone: str = "UTC", **extra):
    username = username or f"user{next(_counter)}"
    user = get_user_model().objects.create_user(username=username, password=password, **extra)
    if time_zone != "UTC":
        user.profile.time_zone = time_zone
        user.profile.save(update_fields=["time_zone"])
    return user


def builtin_point(slug: str = "glute-top") -> Point:
    return Point.objects.get(slug=slug)


def make_point(owner=None, **fields) -> Point:
    n = next(_counter)
    defaults = {"slug": f"custom-{n}", "name": f"Custom spot {n}", "default_hold_seconds": 40, "owner": owner}
    defaults.update(fields)
    return Point.objects.create(**defaults)


def make_routine(owner=None, steps: int = 2, hold_seconds: int = 30, **fields) -> Routine:
    routine = Routine.objects.create(owner=owner, name=fields.pop("name", f"Routine {next(_counter)}"), **fields)
    points = list(Point.objects.builtin().order_by("order")[:steps])
    for position, point in enumerate(points, start=1):
        side = "left" if position % 2 else "right"
        RoutineStep.objects.create(
            routine=routine, position=position, point=point, side=side, hold_seconds=hold_seconds
        )
    return routine


def plan_of(routine: Routine) -> list[dict]:
    return routine.plan_snapshot()


def make_session(user, routine: Routine | None = None, started_at=None, **fields) -> Session:
    started_at = started_at or timezone.now()
    routine = routine or Routine.objects.builtin().get(slug="glutes-only")
    defaults = {
        "user": user,
        "routine": routine,
        "routine_name": routine.name,
        "plan": plan_of(routine),
        "started_at": started_at,
        "last_activity_at": started_at,
        "local_date": user.profile.local_date(started_at),
        "status": SessionStatus.IN_PROGRESS,
    }
    if fields.get("safety_check") == SafetyAnswer.YES:  # a red flag always says which sign, and its tier
        fields.setdefault("red_flag_items", [RedFlag.BOTH_LEGS.value])
        fields.setdefault("red_flag_tier", tier_of(fields["red_flag_items"]))
    defaults.update(fields)
    return Session.objects.create(**defaults)


def make_red_flag_session(user, *items: RedFlag, started_at=None, **fields) -> Session:
    """A session stopped at the red-flag check with `items` reported (their tier worked out as the check does)."""
    return make_session(
        user,
        started_at=started_at,
        status=SessionStatus.STOPPED,
        safety_check=SafetyAnswer.YES,
        red_flag_items=[item.value for item in items],
        **fields,
    )


def make_running_session(user, steps: int = 3, hold_seconds: int = 30, **fields) -> Session:
    """A session of a new routine of `user` past the safety check (answered "no", pain before 6): on its steps."""
    fields.setdefault("safety_check", SafetyAnswer.NO)
    fields.setdefault("pain_before", 6)
    # Begun two minutes ago: a step's held seconds are bounded by the time since the session began.
    fields.setdefault("started_at", timezone.now() - RUNNING_FOR)
    return make_session(user, make_routine(user, steps=steps, hold_seconds=hold_seconds), **fields)


RUNNING_FOR = timedelta(minutes=2)


def begun_a_while_ago(session: Session) -> Session:
    """`session` (started just now through the views) as if begun RUNNING_FOR ago, so that its steps can be logged
    with their full holds at once (held seconds are bounded by the time since the session began)."""
    Session.objects.filter(pk=session.pk).update(started_at=F("started_at") - RUNNING_FOR)
    session.refresh_from_db()
    return session


def time_passes(session: Session, by: timedelta = timedelta(seconds=45)) -> Session:
    """`session` and its releases as if `by` had passed since they were logged: a step then logged without the
    timer may count its full hold (the session's releases never hold more seconds than it has lasted)."""
    Session.objects.filter(pk=session.pk).update(started_at=F("started_at") - by)
    Release.objects.filter(session=session).update(
        started_at=F("started_at") - by, ended_at=F("ended_at") - by, logged_at=F("logged_at") - by
    )
    session.refresh_from_db()
    return session


def session_url(name: str, session: Session) -> str:
    """The address of the session view `journal:<name>` for `session`."""
    return reverse(f"journal:{name}", args=[session.pk])


def on_day(user, days_ago: int, hour: int = 12, **fields) -> Session:
    """A session (completed unless `status` is given) `days_ago` days before the user's today, at `hour` o'clock in
    the user's time zone. Today's never starts in the future: before `hour` it starts now."""
    day = user.profile.local_date() - timedelta(days=days_ago)
    fields.setdefault("status", SessionStatus.COMPLETED)
    started_at = min(datetime.combine(day, time(hour), tzinfo=user.profile.zone), timezone.now())
    return make_session(user, started_at=started_at, **fields)


def make_release(session: Session, position: int | None = None, **fields) -> Release:
    position = position or session.releases.count() + 1
    step = session.plan[position - 1] if session.plan and position <= len(session.plan) else None
    started = fields.pop("started_at", session.started_at + timedelta(minutes=position))
    defaults = {
        "session": session,
        "position": position,
        "point_id": step["point_id"] if step else builtin_point().pk,
        "point_name": step["point_name"] if step else builtin_point().name,
        "side": step["side"] if step else "left",
        "prescribed_seconds": step["hold_seconds"] if step else 45,
        "held_seconds": step["hold_seconds"] if step else 45,
        "started_at": started,
        "ended_at": started + timedelta(seconds=45),
        "tender": True,
        "pressure": 5,
        "pain_now": 4,
    }
    defaults.update(fields)
    return Release.objects.create(**defaults)


def make_log(user, days: int = 30, start=None, routine: Routine | None = None, **session_fields) -> list[Session]:
    """One completed session a day for `days` days with every step released (pain easing slowly)."""
    start = start or timezone.now() - timedelta(days=days)
    sessions = []
    for day in range(days):
        pain = max(0, 7 - day // 5)
        session = make_session(
            user,
            routine,
            started_at=start + timedelta(days=day),
            status=SessionStatus.COMPLETED,
            pain_before=pain,
            pain_after=max(0, pain - 1),
            finished_at=start + timedelta(days=day, minutes=20),
            **session_fields,
        )
        for position in range(1, len(session.plan) + 1):
            make_release(session, position, pain_now=pain, tender=position % 2 == 1)
        sessions.append(session)
    return sessions


def ensure_catalogue() -> None:
    """Put the built-in catalogue back, as migrated (rows and renames), when a transactional test before this one
    flushed it away: a flush empties every table, the data migrations' rows too. (`serialized_rollback` cannot be
    mixed with plain transactional tests: the flush recreates content types that the restore then inserts again.)"""
    if not Point.objects.builtin().exists():
        from routines.catalogue import ensure_builtin_catalogue

        ensure_builtin_catalogue()


def migrate(targets) -> MigrationExecutor:
    """The database migrated to `targets` ([(app, migration)]); the executor holds the state there, for the
    migration tests' historical models."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor
