"""`python manage.py seed_demo --username demo --password demo-pass-123 --days N [--seed S]`

Makes a user (or replaces the journal of an existing one) with N days of realistic history ending today in the
user's time zone: some days skipped (now and then a break of several days), the built-in routines on both sides,
some points tender far more often than others, pain before sessions drifting slowly over the months, a small
drop within most sessions, and very rarely a session stopped by a red flag. Everything is written with
bulk_create inside one transaction; the same seed gives the same journal.
"""

import math
import random
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from journal import redflags
from journal.models import Release, SafetyAnswer, Session, SessionStatus
from routines.models import PlanStep, Routine

TIME_ZONE = "Europe/London"
# How likely each built-in point is to feel tender (the glutes more than the feet, the left a little more).
TENDER_BASE = {
    "glute-side": 0.75,
    "glute-top": 0.6,
    "heel-inside-edge": 0.55,
    "plantar-fascia-bottom-of-foot": 0.4,
    "heel-behind-ball-of-foot": 0.3,
    "ball-of-foot-under": 0.2,
    "ball-of-foot-behind-big-toe": 0.15,
}
LEFT_EXTRA = 0.12
ROUTINE_WEIGHTS = {"whole-article": 0.5, "glutes-only": 0.35, "feet-only": 0.15}
RED_FLAG_CHANCE = 1 / 600
BATCH = 2000


def clamp(value: float, low: int = 0, high: int = 10) -> int:
    return max(low, min(high, round(value)))


class Command(BaseCommand):
    help = "Create or refill a demo user with N days of realistic journal history."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--password", required=True)
        parser.add_argument("--days", type=int, required=True)
        parser.add_argument("--seed", type=int, default=None)

    def handle(
        self, *args: object, username: str, password: str, days: int, seed: int | None, **options: object
    ) -> None:
        if days < 1 or days > 36500:
            raise CommandError("--days must be between 1 and 36500.")
        rng = random.Random(seed)
        routines = {r.slug: (r, r.plan_snapshot()) for r in Routine.objects.builtin().filter(slug__in=ROUTINE_WEIGHTS)}
        if len(routines) != len(ROUTINE_WEIGHTS):
            raise CommandError("The built-in routines are missing: run `manage.py migrate` first.")
        started = timezone.now()
        with transaction.atomic():
            user = self._user(username, password)
            Release.objects.for_user(user).delete()
            Session.objects.filter(user=user).delete()
            sessions, release_specs = self._sessions(user, days, rng, routines)
            Session.objects.bulk_create(sessions, batch_size=BATCH)
            releases = [Release(session=sessions[index], **fields) for index, fields in release_specs]
            Release.objects.bulk_create(releases, batch_size=BATCH)
        seconds = (timezone.now() - started).total_seconds()
        self.stdout.write(
            f"Seeded {username}: {len(sessions)} sessions and {len(releases)} releases over {days} days "
            f"in {seconds:.1f} s (time zone {TIME_ZONE})."
        )

    def _user(self, username: str, password: str) -> User:
        user, _ = User.objects.get_or_create(username=username)
        user.set_password(password)
        user.save()
        profile = user.profile
        profile.time_zone = TIME_ZONE
        profile.safety_acknowledged_at = profile.safety_acknowledged_at or timezone.now()
        profile.save()
        return user

    def _sessions(
        self, user: User, days: int, rng: random.Random, routines: dict[str, tuple[Routine, list[PlanStep]]]
    ) -> tuple[list[Session], list[tuple[int, dict[str, Any]]]]:
        zone = ZoneInfo(TIME_ZONE)
        today = user.profile.local_date()
        now = timezone.now()
        slugs, weights = zip(*ROUTINE_WEIGHTS.items(), strict=True)
        sessions: list[Session] = []
        release_specs: list[tuple[int, dict[str, Any]]] = []
        break_left = 0
        phase = rng.uniform(0, 2 * math.pi)
        for offset in range(days - 1, -1, -1):
            day = today - timedelta(days=offset)
            if break_left:
                break_left -= 1
                continue
            if rng.random() < 0.02:
                break_left = rng.randint(2, 9)  # a holiday or a bad week
                continue
            if rng.random() < 0.22:
                continue  # an ordinary skipped day
            progress = (days - offset) / days
            # Slow drift over the months: a long seasonal wave plus a gentle trend down over the whole history.
            level = 5.8 - 1.8 * progress + 1.2 * math.sin(phase + 2 * math.pi * (days - offset) / 240)
            for repeat in range(2 if rng.random() < 0.12 else 1):
                hour = rng.choice((7, 8, 12, 18, 20, 21)) + repeat * 2
                start = datetime.combine(day, time(min(hour, 23), rng.randint(0, 59)), zone)
                if start > now:
                    start = now - timedelta(minutes=30)
                slug = rng.choices(slugs, weights)[0]
                routine, plan = routines[slug]
                pain_before = clamp(rng.gauss(level, 1.1))
                session = Session(
                    user=user,
                    routine=routine,
                    routine_name=routine.name,
                    plan=plan,
                    started_at=start,
                    local_date=day,
                    last_activity_at=start,
                    status=SessionStatus.COMPLETED,
                    pain_before=pain_before,
                    safety_check=SafetyAnswer.NO,
                )
                if rng.random() < RED_FLAG_CHANCE:
                    session.safety_check = SafetyAnswer.YES
                    session.red_flag_items = [rng.choice(redflags.ASKED_ITEMS).value]
                    session.red_flag_tier = redflags.tier_of(session.red_flag_items)
                    # Seen by a clinician the next day: the demo journal is not held at the follow-up question.
                    session.red_flag_assessed_at = min(start + timedelta(days=1), now)
                    session.status = SessionStatus.STOPPED
                    session.finished_at = start + timedelta(minutes=1)
                    session.last_activity_at = session.finished_at
                    sessions.append(session)
                    continue
                index = len(sessions)
                sessions.append(session)
                moment = start + timedelta(minutes=1)
                for position, step in enumerate(plan, start=1):
                    fields = self._release(rng, step, position, moment, pain_before)
                    release_specs.append((index, fields))
                    moment = fields["ended_at"] + timedelta(seconds=rng.randint(20, 60))
                session.finished_at = moment
                session.last_activity_at = moment
                session.pain_after = clamp(pain_before - rng.choice((0, 0, 1, 1, 1, 2)) + rng.choice((0, 0, 0, 1)))
        return sessions, release_specs

    @staticmethod
    def _release(
        rng: random.Random, step: PlanStep, position: int, moment: datetime, pain_before: int
    ) -> dict[str, Any]:
        prescribed = step["hold_seconds"]
        skipped = rng.random() < 0.04
        chance = TENDER_BASE.get(step["point_slug"], 0.4) + (LEFT_EXTRA if step["side"] == "left" else 0)
        tender = None if skipped else rng.random() < chance
        stopped_early = not skipped and tender and rng.random() < 0.05
        held = 0 if skipped else (rng.randint(10, prescribed - 5) if stopped_early else prescribed + rng.randint(-5, 5))
        return {
            "position": position,
            "point_id": step["point_id"],
            "point_name": step["point_name"],
            "side": step["side"],
            "prescribed_seconds": prescribed,
            "held_seconds": max(held, 0),
            "started_at": moment,
            "ended_at": moment + timedelta(seconds=max(held, 0)),
            "logged_at": moment + timedelta(seconds=max(held, 0) + 5),
            "skipped": skipped,
            "tender": tender,
            "stopped_early": bool(stopped_early),
            "pressure": None if skipped else clamp(rng.gauss(6 if tender else 4, 1.2), 1, 9),
            "pain_now": None if skipped else clamp(pain_before + rng.choice((-2, -1, -1, 0, 0, 1))),
        }
