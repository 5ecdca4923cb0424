import math
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any, Self, TypedDict, Unpack, cast
from uuid import UUID

from django.conf import settings
from django.contrib.auth.models import User
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import lock_account
from config.busy import write_unless_busy
from journal import redflags
from journal.redflags import RedFlagTier
from journal.storable import STORABLE_DATE
from journal.tokens import new_token
from routines.models import PlanStep, Point, Routine, Side, estimate_seconds, plan_step

PAIN_VALIDATORS = [MinValueValidator(0), MaxValueValidator(10)]
# What "pain" means, one name everywhere (pages, CSV, PDF, share page, FHIR): the usual LEG pain of the sciatica on
# the 0-10 NRS, as sciatica trials measure it (e.g. PRECISE, NEJM 2017), never the spot under the ball. Back pain is
# asked separately and optionally.
LEG_PAIN_BEFORE = "Leg pain before the session"
LEG_PAIN_AFTER = "Leg pain at the end of the session"
LEG_PAIN_AFTER_HOLD = "Leg pain after the hold"
BACK_PAIN_BEFORE = "Back pain before the session"
BACK_PAIN_AFTER = "Back pain at the end of the session"
NOTES_MAX_LENGTH = 1000
RELEASE_MAX_SECONDS = 600  # ten minutes: a hold may run well past its plan and is still logged as held


def zero_to_ten(field: str) -> Q:
    return Q(**{f"{field}__isnull": True}) | (Q(**{f"{field}__gte": 0}) & Q(**{f"{field}__lte": 10}))


class SessionStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    ABANDONED = "abandoned", "Abandoned"
    STOPPED = "stopped", "Stopped: red flag reported"


class SafetyAnswer(models.TextChoices):
    NOT_ASKED = "", "Not answered"
    NO = "no", "No red flags"
    YES = "yes", "Red flag reported"


# A hold may run this much past its prescribed time and still count in full (the client's figure is clamped to it).
HOLD_MARGIN_SECONDS = 15
# How far ahead of the server's clock a phone's clock may run and its time still be taken for an offline log.
PHONE_CLOCK_SKEW = timedelta(minutes=2)
# The fields of the server's record of the hold now running (Session.start_hold, stop_hold, resume_hold).
HOLD_FIELDS = ["current_hold_position", "current_hold_started_at", "current_hold_stopped_at"]
# Pressing "Start" twice within this window reuses the session not yet begun.
RESTART_WINDOW = timedelta(minutes=10)
QUICK_LOG_NAME = "Quick log"


def plausible_phone_time(at: datetime | None, now: datetime, earliest: datetime) -> datetime:
    """When something saved on the phone (offline, sent later by the outbox) really happened: the phone's clock `at`,
    if it is sane (no later than `now` + PHONE_CLOCK_SKEW, not before `earliest`: the session's start, or the
    account's for a quick log); else the server's `now`. A wrong phone clock never drops the entry, it only loses
    its own timestamp."""
    if at is None or at > now + PHONE_CLOCK_SKEW or at < earliest:
        return now
    return min(at, now)


def whole_seconds_between(start: datetime, end: datetime) -> int:
    """The whole seconds (int, >= 0) from `start` to `end`, rounded down: a bound on time held that never adds a
    second which did not pass (rounding up let every step of a session claim up to a second more)."""
    return max(0, (end - start) // timedelta(seconds=1))


# Sessions and releases carry a random `rev` that the database draws again whenever a row is inserted or updated
# (triggers in migration journal 0012, on SQLite and PostgreSQL alike, so that queryset.update(), bulk_create() and
# raw SQL are covered as well as save()). Python never sets it: the value an instance holds may be stale.
REV_FIELD_HELP = "Redrawn by the database on every insert and update; never set from Python."
REV_BITS = 40  # small enough that the sum over a lifetime of rows cannot overflow a 64-bit integer


class SessionClosed(Exception):
    """Raised when something tries to change a session that is no longer in progress."""


class OwnedByLocalDateQuerySet[M: models.Model](models.QuerySet[M]):
    """Rows with a `user` and a `local_date` (the user's calendar day): sessions, and releases through their copy."""

    def for_user(self, user: User) -> Self:
        return self.filter(user=user)

    def between(self, start: date | None = None, end: date | None = None) -> Self:
        """Rows whose local date lies in [start, end]; either bound may be None."""
        qs = self
        if start is not None:
            qs = qs.filter(local_date__gte=start)
        if end is not None:
            qs = qs.filter(local_date__lte=end)
        return qs

    def state(self) -> tuple[int, int]:
        """(rows, sum of their `rev`) in one aggregate query: a summary of these rows that changes whenever one of
        them is added, changed or deleted (see REV_FIELD_HELP), used to tell whether a cached report is current."""
        row = self.order_by().aggregate(rows=models.Count("pk"), revs=models.Sum("rev"))
        return row["rows"], int(row["revs"] or 0)


class SessionQuerySet(OwnedByLocalDateQuerySet["Session"]):
    def locked(self) -> "SessionQuerySet":
        """These sessions, read under their row lock, inside transaction.atomic (PostgreSQL: FOR NO KEY UPDATE,
        which leaves their releases' inserts free; SQLite: the IMMEDIATE transaction holds the write lock already).
        A log, a finish, a red-flag stop, an edit and a correction of one session take it, so they take turns."""
        return self.select_for_update(no_key=True)

    def in_progress(self) -> "SessionQuerySet":
        return self.filter(status=SessionStatus.IN_PROGRESS)

    def stale(self, now: datetime | None = None) -> "SessionQuerySet":
        """In-progress sessions untouched for longer than TENDERSPOT_ABANDON_AFTER."""
        cutoff = (now or timezone.now()) - settings.TENDERSPOT_ABANDON_AFTER
        return self.in_progress().filter(last_activity_at__lt=cutoff)

    def abandon_stale(self, now: datetime | None = None) -> int:
        return self.stale(now).update(status=SessionStatus.ABANDONED)

    def abandon_stale_for(self, user: User, now: datetime | None = None) -> int:
        """Lazy abandonment, run when the user's dashboard and runner pages load: a read (index-backed) and, only
        when a session has gone stale, one UPDATE, skipped if the database is busy (the next page load retries;
        the `abandon_stale_sessions` command is the backstop). Returns the number of sessions abandoned."""
        stale = self.for_user(user).stale(now)
        if not stale.exists():
            return 0
        abandoned = 0

        def abandon() -> None:
            nonlocal abandoned
            abandoned = stale.update(status=SessionStatus.ABANDONED)

        write_unless_busy(abandon, "abandoning stale sessions")
        return abandoned

    def to_resume(self, user: User) -> "Session | None":
        """The user's latest session still running: the dashboard offers it (its view abandons stale ones first)."""
        return self.for_user(user).in_progress().order_by("-last_activity_at").first()

    def start(
        self, user: User, routine: Routine, now: datetime | None = None, *, fresh_after: timedelta | None = None
    ) -> "Session":
        """A new in-progress session of `routine` with a snapshot of its steps, its safety check not yet answered.

        A double tap on "Start", a replayed request or a second tab reuse a session of the same routine started
        within RESTART_WINDOW that has nothing logged yet (its safety check may be answered already).
        `fresh_after` ("Start fresh"): such a session started longer ago than that is set aside (abandoned, kept in
        the history) first, under the same lock, so that repeats of the same "Start fresh" land on one new session.
        """
        now = now or timezone.now()
        with transaction.atomic():
            lock_account(user)  # four taps at once: each sees the session the first one made
            if fresh_after is not None:
                self.for_user(user).in_progress().filter(
                    routine=routine, releases__isnull=True, started_at__lt=now - fresh_after
                ).update(status=SessionStatus.ABANDONED)
            return self._start_locked(user, routine, now)

    def _start_locked(self, user: User, routine: Routine, now: datetime) -> "Session":
        fresh = (
            self.for_user(user)
            .in_progress()
            .filter(routine=routine, started_at__gte=now - RESTART_WINDOW, releases__isnull=True)
            .order_by("-started_at", "-pk")
            .first()
        )
        if fresh is not None:
            return fresh
        return self._begin(user, routine, routine.name, routine.plan_snapshot(), now)

    def _begin(
        self, user: User, routine: Routine | None, name: str, plan: list[PlanStep], now: datetime, **fields: Any
    ) -> "Session":
        """Creates a session of `plan` (a snapshot of its steps) named `name`, started `now` on the user's local
        date; `fields` set the rest (a quick log's is completed at once)."""
        return self.create(
            user=user,
            routine=routine,
            routine_name=name,
            plan=plan,
            started_at=now,
            last_activity_at=now,
            local_date=user.profile.local_date(now),
            **fields,
        )

    def start_point(self, user: User, point: Point, side: str, now: datetime | None = None) -> "Session":
        """A one-step session practising `point` on `side` for its default hold ("Practise this point now"), its
        safety check not yet answered, like any session. A double tap or a retry within RESTART_WINDOW reuses the
        same session while nothing is logged in it."""
        now = now or timezone.now()
        plan = [plan_step(point, side, point.default_hold_seconds)]
        with transaction.atomic():
            lock_account(user)
            candidates = (
                self.for_user(user)
                .in_progress()
                .filter(routine__isnull=True, started_at__gte=now - RESTART_WINDOW, releases__isnull=True)
                .order_by("-started_at", "-pk")
            )
            for session in candidates:
                if session.plan == plan:
                    return session
            return self._begin(user, None, f"Practice: {point.name}", plan, now)

    def quick_log(
        self,
        user: User,
        key: UUID,
        point: Point,
        side: str,
        held_seconds: int | None,
        red_flags: Iterable[str] = (),
        at: datetime | None = None,
        **answers: Unpack["ReleaseAnswerValues"],
    ) -> tuple["Session", bool]:
        """One release done away from the timer ("I did this at the gym"): a completed one-step session. Its plan
        is the point's usual hold; `held_seconds` None (the seconds left empty) stores the release as not timed
        (held_seconds None, as the runner does), never as that usual hold.

        `key` is the one-time key of the form the user filled in: a double tap, a replayed request or a second tab
        posting the same form finds the session made the first time (the unique key refuses a second row).
        `red_flags`: the RedFlag codes reported in the form's check; any makes the session a stopped, red-flagged one.
        `at`: the phone's clock when the user saved it (the outbox), kept when plausible (`plausible_phone_time`,
        not before the account was made): a quick log saved at 23:55 and sent the next morning stays on its day.
        Returns (session, created).
        """
        now = plausible_phone_time(at, timezone.now(), user.date_joined)
        try:
            with transaction.atomic():
                session = self._quick_log_rows(user, key, point, side, held_seconds, now, answers, list(red_flags))
        except IntegrityError:  # the same form posted in parallel: the other request made it first
            return self.for_user(user).get(idempotency_key=key), False
        return session, True

    def _quick_log_rows(
        self,
        user: User,
        key: UUID,
        point: Point,
        side: str,
        held_seconds: int | None,
        now: datetime,
        answers: "ReleaseAnswerValues",
        red_flags: list[str],
    ) -> "Session":
        # The plan (and prescribed_seconds) is the hold typed, else the point's usual one; held_seconds stays None.
        planned = held_seconds if held_seconds is not None else point.default_hold_seconds
        # The session (and its release) lasts the hold typed, ending `now`: never a session of no length holding
        # seconds. Not timed (None): no length measured, start == end.
        started = now - timedelta(seconds=held_seconds or 0)
        session = self._begin(
            user,
            None,
            QUICK_LOG_NAME,
            [plan_step(point, side, planned)],
            started,
            finished_at=now,
            status=SessionStatus.COMPLETED,
            safety_check=SafetyAnswer.NO,
            idempotency_key=key,
        )
        if red_flags:
            # The release was done already (away from the app) and is kept; the report stops whatever comes next.
            session.stop_for_red_flag(red_flags)
        Release.objects.create(
            session=session,
            position=1,
            point=point,
            point_name=point.name,
            side=side,
            prescribed_seconds=planned,
            held_seconds=held_seconds,
            started_at=started if held_seconds is not None else None,
            ended_at=now,
            logged_at=now,
            **answers,
        )
        return session

    def with_adverse_responses(self) -> "SessionQuerySet":
        """Annotates `adverse_responses`: the session's releases with a pressure above 7 or stopped early because
        it hurt (one aggregate, for lists and reports)."""
        adverse = Q(releases__pressure__gt=PRESSURE_CEILING) | Q(releases__stopped_early=True)
        return self.annotate(adverse_responses=models.Count("releases", filter=adverse))

    def red_flagged(self) -> "SessionQuerySet":
        """Sessions in which a red flag was reported: no "improvement" message may show for their days."""
        return self.filter(safety_check=SafetyAnswer.YES)

    def awaiting_assessment(self) -> "SessionQuerySet":
        """Red-flagged sessions whose person has not yet said a clinician assessed them since: while there is one,
        no session starts (the follow-up question comes first)."""
        return self.red_flagged().filter(red_flag_assessed_at__isnull=True)

    def open_red_flag(self, user: User) -> "Session | None":
        """The user's latest red-flag report still awaiting assessment, or None (one index-backed query)."""
        return self.for_user(user).awaiting_assessment().order_by("-started_at", "-pk").first()

    def mark_assessed(self, user: User, now: datetime | None = None) -> int:
        """The user says a clinician has assessed them since their reports: every open report is closed at `now`.
        Returns how many were open."""
        return self.for_user(user).awaiting_assessment().update(red_flag_assessed_at=now or timezone.now())


class Session(models.Model):
    """One sitting of a routine. `plan` is a snapshot of the routine's steps taken at the start, so that editing
    the routine later never changes a session in progress or the history."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sessions")
    routine = models.ForeignKey(Routine, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions")
    routine_name = models.CharField(max_length=100)
    plan = models.JSONField(default=list, blank=True)
    started_at = models.DateTimeField(default=timezone.now, validators=STORABLE_DATE)
    # The user's local calendar date at the start: trends and streaks group by it in SQL.
    local_date = models.DateField(validators=STORABLE_DATE)
    finished_at = models.DateTimeField(null=True, blank=True, validators=STORABLE_DATE)
    last_activity_at = models.DateTimeField(default=timezone.now, validators=STORABLE_DATE)
    status = models.CharField(max_length=12, choices=SessionStatus.choices, default=SessionStatus.IN_PROGRESS)
    pain_before = models.PositiveSmallIntegerField(LEG_PAIN_BEFORE, null=True, blank=True, validators=PAIN_VALIDATORS)
    pain_after = models.PositiveSmallIntegerField(LEG_PAIN_AFTER, null=True, blank=True, validators=PAIN_VALIDATORS)
    back_pain_before = models.PositiveSmallIntegerField(
        BACK_PAIN_BEFORE, null=True, blank=True, validators=PAIN_VALIDATORS
    )
    back_pain_after = models.PositiveSmallIntegerField(
        BACK_PAIN_AFTER, null=True, blank=True, validators=PAIN_VALIDATORS
    )
    safety_check = models.CharField(max_length=3, choices=SafetyAnswer.choices, default="", blank=True)
    # Which warning signs were reported (journal.redflags.RedFlag codes, in the order asked) and the most urgent
    # tier among them; both empty unless safety_check is "yes" (a constraint holds that).
    red_flag_items = models.JSONField(default=list, blank=True)
    red_flag_tier = models.CharField(max_length=9, choices=RedFlagTier.choices, default="", blank=True)
    # When the person said a clinician had assessed them since this report: until then no session starts.
    red_flag_assessed_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True, validators=[MaxLengthValidator(NOTES_MAX_LENGTH)])
    # The hold now running, recorded by the server when the user presses start.
    current_hold_position = models.PositiveIntegerField(null=True, blank=True)
    current_hold_started_at = models.DateTimeField(null=True, blank=True)
    # When that hold was paused or ended early (the timer posts it; null while it runs): what a release logs without
    # the tab's own figure (a lost tab, a reload after an error) is bounded by it, not by the time until the log. A
    # resume moves the start on by the pause, so that started..stopped (or now) is always the time really held.
    current_hold_stopped_at = models.DateTimeField(null=True, blank=True)
    # The one-time key of the form that made this session (the quick log): a replay finds the session by it.
    idempotency_key = models.UUIDField(null=True, blank=True, editable=False)

    rev = models.BigIntegerField(default=0, editable=False, help_text=REV_FIELD_HELP)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [
            # The model's ordering in full: with an index on the date alone, the planner may prefer scanning the
            # routines and sorting to walking the user's newest sessions.
            models.Index(fields=["user", "-started_at", "-id"], name="session_user_newest"),
            # Covers the per-day figures (pain, adherence, streaks): a session's row holds its whole plan, and ten
            # years of those are many pages to read for a few small numbers.
            models.Index(
                fields=["user", "local_date", "status", "pain_before", "pain_after"], name="session_user_day_figures"
            ),
            models.Index(fields=["status", "last_activity_at"], name="session_status_activity"),
            # The follow-up gate asks on every start whether a report is still open: few rows, read at once.
            models.Index(
                fields=["user"],
                condition=Q(safety_check="yes", red_flag_assessed_at__isnull=True),
                name="session_red_flag_open",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=zero_to_ten("pain_before"), name="session_pain_before_0_10"),
            models.CheckConstraint(condition=zero_to_ten("pain_after"), name="session_pain_after_0_10"),
            models.CheckConstraint(condition=zero_to_ten("back_pain_before"), name="session_back_pain_before_0_10"),
            models.CheckConstraint(condition=zero_to_ten("back_pain_after"), name="session_back_pain_after_0_10"),
            # Unique per user (NULLs never clash): one session per submitted form, whatever the replays.
            models.UniqueConstraint(fields=["user", "idempotency_key"], name="session_unique_user_key"),
            # A red flag always has a tier (so the follow-up knows how urgent it was); no other answer has one.
            models.CheckConstraint(
                condition=Q(safety_check="yes", red_flag_tier__in=RedFlagTier.values)
                | (~Q(safety_check="yes") & Q(red_flag_tier="", red_flag_assessed_at__isnull=True)),
                name="session_red_flag_tier_with_answer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.routine_name} on {self.local_date}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        adding = self._state.adding
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if not adding and (update_fields is None or "local_date" in update_fields):
            # Releases carry a copy of the local date (see Release.local_date): an edited start moves them too.
            self.releases.exclude(local_date=self.local_date).update(local_date=self.local_date)

    @property
    def red_flag(self) -> bool:
        return self.safety_check == SafetyAnswer.YES

    @property
    def red_flag_emergency(self) -> bool:
        return self.red_flag_tier == RedFlagTier.EMERGENCY

    @property
    def red_flag_labels(self) -> list[str]:
        """The words of the warning signs reported, in the order the check asks them."""
        return redflags.labels(self.red_flag_items)

    @property
    def red_flag_text(self) -> str:
        return redflags.as_text(self.red_flag_items)

    @property
    def is_open(self) -> bool:
        return self.status == SessionStatus.IN_PROGRESS

    @property
    def step_count(self) -> int:
        return len(self.plan)

    @property
    def pain_change(self) -> int | None:
        if self.pain_before is None or self.pain_after is None:
            return None
        return self.pain_after - self.pain_before

    @property
    def duration(self) -> timedelta | None:
        if self.finished_at is None:
            return None
        return self.finished_at - self.started_at

    def length_end(self, now: datetime | None = None) -> datetime:
        """Where the session's length is measured to: its finish; `now` (default the server's) while it runs; the
        last activity the server saw (the moment it was left) when it ended without a finish time."""
        if self.finished_at is not None:
            return self.finished_at
        return (now or timezone.now()) if self.is_open else self.last_activity_at

    def held_seconds_claimed(self, excluding: "Release | None" = None) -> int:
        """The held seconds (sum, int) its releases claim, `excluding` one of them; not timed (None) counts 0."""
        releases = self.releases.exclude(pk=excluding.pk) if excluding is not None else self.releases.all()
        return int(releases.aggregate(total=models.Sum("held_seconds"))["total"] or 0)

    def room_to_hold(self, excluding: "Release | None" = None, now: datetime | None = None) -> int:
        """The most held seconds (int, >= 0) one release may claim besides the others (`excluding` it): the whole
        seconds from the start to `length_end` less what the other releases hold (one aggregate)."""
        length = whole_seconds_between(self.started_at, self.length_end(now))
        return max(0, length - self.held_seconds_claimed(excluding))

    def touch(self, save: bool = True) -> None:
        self.last_activity_at = timezone.now()
        if save:
            self.save(update_fields=["last_activity_at"])

    # Runner ----------------------------------------------------------------------------------------------------

    @property
    def needs_safety_check(self) -> bool:
        return self.is_open and self.safety_check == SafetyAnswer.NOT_ASKED

    def step(self, position: int) -> PlanStep | None:
        """Step `position` (1-based) of the plan, or None when there is no such step."""
        if 1 <= position <= len(self.plan):
            return cast(PlanStep, self.plan[position - 1])  # a JSONField reads back untyped
        return None

    def logged_positions(self) -> set[int]:
        """Positions with a release (done or skipped); one query, cached on the instance."""
        if not hasattr(self, "_logged_positions"):
            self._logged_positions = set(self.releases.order_by().values_list("position", flat=True))
        return self._logged_positions

    def logged_releases(self) -> list["Release"]:
        """This session's releases in step order (one query); primes logged_positions() with their positions."""
        releases = list(self.releases.order_by("position"))
        self._logged_positions = {release.position for release in releases}
        return releases

    @property
    def current_position(self) -> int | None:
        """The first step without a release: where a reload resumes. None once every step is logged."""
        logged = self.logged_positions()
        for position in range(1, len(self.plan) + 1):
            if position not in logged:
                return position
        return None

    @property
    def seconds_left(self) -> int:
        """The estimated time (s) of the steps not yet logged: their holds plus a changeover each, by the routine's
        own estimate (routines.models.estimate_seconds), so that before any step is done the runner's "left" is the
        routine list's total."""
        logged = self.logged_positions()
        holds = [step["hold_seconds"] for n, step in enumerate(self.plan, start=1) if n not in logged]
        return estimate_seconds(len(holds), sum(holds))

    def _require_open(self) -> None:
        if not self.is_open:
            raise SessionClosed(self.get_status_display())

    def answer_safety_check(
        self, red_flags: list[str], pain_before: int | None = None, back_pain_before: int | None = None
    ) -> None:
        """`red_flags`: the RedFlag codes reported (none: the check is passed and the steps follow); the leg and
        back pain scores before the session (0-10 NRS, either may be missing)."""
        self._require_open()
        self.pain_before = pain_before
        self.back_pain_before = back_pain_before
        if red_flags:
            self.stop_for_red_flag(red_flags)
            return
        self.safety_check = SafetyAnswer.NO
        self.last_activity_at = timezone.now()
        self.save(update_fields=["pain_before", "back_pain_before", "safety_check", "last_activity_at"])

    def stop_for_red_flag(self, red_flags: list[str]) -> None:
        """Warning signs (RedFlag codes) were reported: the session ends at once, recording which; the day shows no
        improvement messages; the user's other sessions still running stop too (no releases until a clinician has
        seen them, whatever tab they are in). Raises ValueError for an unknown code or none."""
        tier = redflags.tier_of(red_flags)
        if not tier:
            raise ValueError("a red flag report needs at least one item")
        with transaction.atomic():
            # This session and every other running one of the user are locked, in one order (no deadlock with a
            # stop from another of them), before the stop's time is read: a log in any of them lands before the
            # stop (and counts in its time) or waits and is refused.
            running = Session.objects.filter(Q(pk=self.pk) | Q(user_id=self.user_id, status=SessionStatus.IN_PROGRESS))
            locked = running.locked().order_by("pk").values_list("pk", flat=True)
            others = [pk for pk in locked if pk != self.pk]
            self._end(
                SessionStatus.STOPPED,
                pain_before=self.pain_before,
                back_pain_before=self.back_pain_before,
                safety_check=SafetyAnswer.YES,
                red_flag_items=redflags.ordered(red_flags),
                red_flag_tier=tier,
            )
            Session.objects.filter(pk__in=others).update(
                status=SessionStatus.STOPPED,
                finished_at=self.finished_at,
                last_activity_at=self.finished_at,
                current_hold_position=None,
                current_hold_started_at=None,
            )

    def report_late_red_flag(self, red_flags: list[str]) -> bool:
        """Warning signs reported after this session's check was answered (a second tab, the Back button, a
        replayed quick log with changed answers): they are never dropped. A running session stops as at the check;
        a finished one keeps its status and gains the report, so the follow-up gate and every export show it.
        Returns True when something new was recorded."""
        items = redflags.ordered([*self.red_flag_items, *red_flags])
        if not red_flags or items == self.red_flag_items:
            return False
        if self.is_open:
            self.stop_for_red_flag(items)
            return True
        fields = {"safety_check": SafetyAnswer.YES, "red_flag_items": items, "red_flag_tier": redflags.tier_of(items)}
        for name, value in fields.items():
            setattr(self, name, value)
        self.save(update_fields=list(fields))
        return True

    def _end(self, status: str, at: datetime | None = None, *, only_if_open: bool = False, **fields: Any) -> bool:
        """Closes the session with `status`, saving `fields` with it; any hold still running is cleared. `at`: the
        phone's clock when the user ended it offline (`plausible_phone_time`), else now; never before its last
        release was logged. The session's row lock (as `log_release` takes it) comes first, so a log arriving
        meanwhile either is stored before and counted, or waits and finds the session closed. With `only_if_open`, a
        session another request closed first is left as that request left it (of two finishes at once, one wins)
        and False comes back, with this object read again."""
        with transaction.atomic(savepoint=False):
            # The session's row lock, taken by `log_release` too, before the end's time is read: a log either is
            # stored before it (and counted in `last_logged`) or waits and finds the session closed.
            locked = Session.objects.filter(pk=self.pk).locked().values_list("status", flat=True)
            current = locked.first()
            if current is None or (only_if_open and current != SessionStatus.IN_PROGRESS):
                ended = False
            else:
                ended = True
                now = timezone.now()
                finished_at = self.plausible_phone_time(at, now)
                last_logged = self.releases.aggregate(last=models.Max("logged_at"))["last"]
                if last_logged is not None and finished_at < last_logged:
                    finished_at = min(last_logged, now)
                fields |= {
                    "status": status,
                    "finished_at": finished_at,
                    "last_activity_at": now,
                    "current_hold_position": None,
                    "current_hold_started_at": None,
                    "current_hold_stopped_at": None,
                }
                Session.objects.filter(pk=self.pk).update(**fields)
        if not ended:
            self.refresh_from_db()
            return False
        for name, value in fields.items():
            setattr(self, name, value)
        return True

    def start_hold(self, position: int) -> None:
        """The server's record of when the hold of step `position` started."""
        self._require_open()
        now = timezone.now()
        self.current_hold_position = position
        self.current_hold_started_at = now
        self.current_hold_stopped_at = None
        self.last_activity_at = now
        self.save(update_fields=[*HOLD_FIELDS, "last_activity_at"])

    def stop_hold(self, position: int) -> bool:
        """The server's record that the hold of step `position` was paused or ended early, now. Returns whether it
        changed anything: a hold the server did not see start, or one stopped already, keeps its record."""
        self._require_open()
        if self.current_hold_position != position or self.current_hold_stopped_at is not None:
            return False
        now = timezone.now()
        self.current_hold_stopped_at = now
        self.last_activity_at = now
        self.save(update_fields=[*HOLD_FIELDS, "last_activity_at"])
        return True

    def resume_hold(self, position: int) -> bool:
        """The hold of step `position` runs again after a pause: its recorded start moves on by the pause, so the
        time held stays started..stopped (or now). Returns whether it changed anything."""
        self._require_open()
        stopped = self.current_hold_stopped_at
        if self.current_hold_position != position or stopped is None or self.current_hold_started_at is None:
            return False
        now = timezone.now()
        self.current_hold_started_at += now - stopped
        self.current_hold_stopped_at = None
        self.last_activity_at = now
        self.save(update_fields=[*HOLD_FIELDS, "last_activity_at"])
        return True

    def hold_record(self, position: int, now: datetime | None = None) -> tuple[float, bool] | None:
        """What the server knows of step `position`'s hold: (seconds since its start, as held until now or until it
        was stopped; whether it is stopped), or None when the server saw no start of this step's hold."""
        started = self.current_hold_started_at if self.current_hold_position == position else None
        if started is None:
            return None
        end = self.current_hold_stopped_at or now or timezone.now()
        return max(0.0, (end - started).total_seconds()), self.current_hold_stopped_at is not None

    def held_seconds_for(
        self, position: int, claimed: int | None, now: datetime | None = None
    ) -> tuple[int, datetime | None]:
        """(held seconds, hold start) for step `position`: the client's figure (the prescribed hold when it sent
        none) clamped to [0, prescribed + margin] and, when the server saw the hold start, to the whole seconds
        (rounded down) elapsed from that start until the hold was paused or ended (`stop_hold`), or until `now`
        while it runs. The rest of the session's releases bound it further in `log_release`."""
        prescribed = self.plan[position - 1]["hold_seconds"]
        held = prescribed if claimed is None else claimed
        started = self.current_hold_started_at if self.current_hold_position == position else None
        record = self.hold_record(position, now)
        if record is not None:
            held = min(held, math.floor(record[0]))
        return max(0, min(held, prescribed + HOLD_MARGIN_SECONDS)), started

    def reopen_for_phone_entry(self, at: datetime | None, now: datetime | None = None) -> bool:
        """Takes back an entry the phone's outbox logged at `at` (the phone's clock) while this session was still
        running, but sent only after the session was left too long (TENDERSPOT_ABANDON_AFTER since its last activity
        the server saw): such a session, abandoned or about to be, is set in progress again, so the entry is stored
        rather than refused. `at` must lie in the session's life: not before it started, not after it would have been
        abandoned, and not in the future (PHONE_CLOCK_SKEW). Returns whether it reopened the session; a session
        still running, ended, stopped for a red flag, or an entry outside its life changes nothing."""
        now = now or timezone.now()
        if at is None or self.status not in (SessionStatus.IN_PROGRESS, SessionStatus.ABANDONED):
            return False
        left_at = self.last_activity_at + settings.TENDERSPOT_ABANDON_AFTER
        if self.status == SessionStatus.IN_PROGRESS and left_at >= now:
            return False  # still running: nothing to take back
        if not self.started_at <= at <= min(left_at, now + PHONE_CLOCK_SKEW):
            return False
        fields = {"status": SessionStatus.IN_PROGRESS, "last_activity_at": now}
        Session.objects.filter(pk=self.pk, status=self.status).update(**fields)
        for name, value in fields.items():
            setattr(self, name, value)
        return True

    def reopen_when_left(self, now: datetime | None = None) -> datetime | None:
        """Takes back an outbox entry for this ABANDONED session that `reopen_for_phone_entry` could not place (the
        phone's clock wrong, or no time sent): the session is set in progress again and the moment it was left (its
        last activity the server saw, or its finish time when it has one) comes back, for the entry's time; the
        caller stores the entry at it and calls `leave_again`. None, changing nothing, for a session in progress
        (running, or reopened already), completed, or stopped for a red flag: those still refuse new steps."""
        if self.status != SessionStatus.ABANDONED:
            return None
        left_at = max(self.started_at, self.finished_at or self.last_activity_at)
        fields = {"status": SessionStatus.IN_PROGRESS, "last_activity_at": now or timezone.now()}
        if not Session.objects.filter(pk=self.pk, status=SessionStatus.ABANDONED).update(**fields):
            return None  # another request changed it first
        for name, value in fields.items():
            setattr(self, name, value)
        return left_at

    def leave_again(self, left_at: datetime | None = None) -> None:
        """A session reopened for one phone entry (`reopen_for_phone_entry`, `reopen_when_left`) goes back to
        abandoned once the entry is stored: a late sync fills in what was done then, it never leaves an old session
        running. `left_at`: the moment it was left (`reopen_when_left`), kept as its last activity, so that its
        length (`length_end`) and the next entry's time stay that moment, not the sync's."""
        fields: dict[str, Any] = {"status": SessionStatus.ABANDONED}
        if left_at is not None:
            fields["last_activity_at"] = left_at
        Session.objects.filter(pk=self.pk, status=SessionStatus.IN_PROGRESS).update(**fields)
        for name, value in fields.items():
            setattr(self, name, value)

    def plausible_phone_time(self, at: datetime | None, now: datetime) -> datetime:
        """When a release logged on the phone (offline, sent later by the outbox) really ended: the phone's clock
        `at`, if it is sane (no later than `now` + PHONE_CLOCK_SKEW, not before this session started); else the
        server's `now`. A wrong phone clock never drops the log, it only loses its own timestamp."""
        return plausible_phone_time(at, now, self.started_at)

    def phone_hold_start(
        self, at: datetime | None, logged: datetime | None, end: datetime, now: datetime
    ) -> datetime | None:
        """When a hold run offline (its start never reached the server) started, from the phone's clock at the
        hold's start `at` and at the log `logged`: the release's stored `end` less the phone's own span, so that a
        phone clock a little off shifts nothing. None unless it is sane as `plausible_phone_time` judges the log's
        time: both phone times given, the start not later than the server's `now` + PHONE_CLOCK_SKEW nor after
        the log, and not before the session started. A wrong clock loses only the start, never the release."""
        if at is None or logged is None or at > now + PHONE_CLOCK_SKEW or at > logged:
            return None
        started = end - (logged - at)
        return started if started >= self.started_at else None

    def log_release(
        self,
        position: int,
        *,
        skipped: bool = False,
        held_seconds: int | None = None,
        at: datetime | None = None,
        hold_started_at: datetime | None = None,
        lasted_until: datetime | None = None,
        **answers: Unpack["ReleaseAnswerValues"],
    ) -> tuple["Release", bool]:
        """Stores step `position` at once; returns (release, created). A replay, a double tap or a second tab
        finds the row already there and changes nothing. `at`: the phone's clock when the user logged it (an entry
        of the offline outbox), kept as the release's end and log time when plausible (`plausible_phone_time`),
        else the server's time of receipt. `hold_started_at`: the phone's clock when the hold started (an offline
        hold, whose start the server never saw), kept as the release's start when it is sane (`phone_hold_start`);
        its span to `at` (one clock, so no skew) bounds the held seconds whenever both are given. No
        `held_seconds` (logged without the timer, the seconds left empty) and no hold start seen by the server:
        held_seconds None, "not timed"; a skip stores 0.

        Everything is decided under a lock on the session's row, taken first (PostgreSQL: a row lock; SQLite: the
        IMMEDIATE transaction's write lock): its status and hold record are read again there, so a hold of the
        next step started meanwhile is never taken for this one's nor wiped, and a finish or red-flag stop (which
        take the same lock, `_end`) either comes after this release or refuses it. Logs of other steps arriving at
        the same time wait and then count this one, so the held seconds (whole seconds, rounded down) never make
        the session's releases claim more time than it lasted by the server's clock (`_existing_and_room_to_hold`).
        `lasted_until`: the session is known to have ended by then (an abandoned one, taking a late entry at the
        moment it was left): its length, and so the room, is measured to it rather than to the time of receipt.
        Raises SessionClosed when the session is no longer running."""
        self._require_open()
        received = timezone.now()
        room_end = min(received, lasted_until) if lasted_until is not None else received
        # No savepoint of its own inside a caller's transaction (the outbox's): the insert below has one.
        with transaction.atomic(savepoint=False):
            logged = self._log_release_locked(
                position, skipped, held_seconds, at, hold_started_at, received, answers, room_end
            )
        if logged is None:
            # Raised outside the block, so that a caller's transaction (the outbox's) is left usable.
            raise SessionClosed(self.get_status_display())
        release, created = logged
        if created and hasattr(self, "_logged_positions"):
            self._logged_positions.add(position)
        return release, created

    def _log_release_locked(
        self,
        position: int,
        skipped: bool,
        held_seconds: int | None,
        at: datetime | None,
        hold_started_at: datetime | None,
        received: datetime,
        answers: "ReleaseAnswerValues",
        room_end: datetime,
    ) -> tuple["Release", bool] | None:
        """`log_release`'s work inside its transaction: the (release, created) pair, or None (nothing stored) when
        the locked row shows the session closed."""
        # The lock is the first read: status and hold record as they are now, no other log, finish or hold
        # start of this session can change them until this one is stored.
        locked = Session.objects.filter(pk=self.pk).locked().values_list("status", *HOLD_FIELDS).first()
        if locked is None:
            return None
        self.status = locked[0]
        for name, value in zip(HOLD_FIELDS, locked[1:], strict=True):
            setattr(self, name, value)
        if not self.is_open:
            return None
        step = self.plan[position - 1]
        now = self.plausible_phone_time(at, received)
        started: datetime | None
        held: int | None
        phone_clock_sane = at is not None and self.started_at <= at <= received + PHONE_CLOCK_SKEW
        if skipped:
            held, started = 0, None
            answers = {}
        elif held_seconds is None and self.hold_record(position, received) is None:
            # Logged without the timer and no seconds given, and the server saw no hold start: not timed (None),
            # never stored as the prescribed hold it did not see.
            held, started = None, None
        else:
            # The server's record of the hold, when it saw it start, bounds what was held.
            held, started = self.held_seconds_for(position, held_seconds, received)
            if started is not None and now < started:
                # The phone's clock puts the end before the hold's start the server saw: the server's time wins.
                now = received
            if started is None and at is not None and hold_started_at is not None and hold_started_at <= at:
                # The server never saw this hold start (offline): the phone's own span from the hold's start to the
                # log (one clock, so no skew, however wrong the clock) bounds what was held.
                held = min(held, whole_seconds_between(hold_started_at, at))
            if started is None and phone_clock_sane:
                # And the phone's start, if sane, is the release's start.
                started = self.phone_hold_start(hold_started_at, at, now, received)
        # The plan is a snapshot: a custom point deleted since keeps its name here, without the link.
        point_id = step["point_id"] if Point.objects.filter(pk=step["point_id"]).exists() else None
        existing, room = self._existing_and_room_to_hold(position, room_end)
        if existing is not None:
            return existing, False  # a replay: the row as it was first stored, never clamped again
        if held is not None:
            held = min(held, room)
        try:
            with transaction.atomic():
                release = Release.objects.create(
                    session=self,
                    position=position,
                    point_id=point_id,
                    point_name=step["point_name"],
                    side=step["side"],
                    prescribed_seconds=step["hold_seconds"],
                    held_seconds=held,
                    started_at=started,
                    ended_at=None if skipped else now,
                    skipped=skipped,
                    logged_at=now,
                    **answers,
                )
        except IntegrityError:
            return Release.objects.get(session=self, position=position), False
        fields: dict[str, Any] = {"last_activity_at": received}
        if self.current_hold_position == position:
            # Read under the lock: the record is still this step's, never the next one's started meanwhile.
            fields.update(dict.fromkeys(HOLD_FIELDS))
        Session.objects.filter(pk=self.pk).update(**fields)
        for name, value in fields.items():
            setattr(self, name, value)
        return release, True

    def _existing_and_room_to_hold(self, position: int, received: datetime) -> tuple["Release | None", int]:
        """(step `position`'s release if stored already, else None; the most whole seconds a new release of that
        step may hold): one query over this session's releases, a second only to return a stored row.

        The room uses the server's clock only: the whole seconds (rounded down) from the session's start to
        `received`, the server's time of receipt of this log, less the seconds held by the session's other
        releases (a release not timed, None, holds 0), never below 0. Read under `log_release`'s lock, each release
        stored keeps the sum over the session within its age when the last of them was received, whatever the
        phone's clock says or the order in which steps arrive; a phone clock behind the server's cuts nothing."""
        rows = Release.objects.filter(session=self).values_list("pk", "position", "held_seconds")
        existing_pk = None
        others = 0
        for pk, other, other_held in rows:
            if other == position:
                existing_pk = pk
            else:
                others += other_held or 0
        if existing_pk is not None:
            return Release.objects.get(pk=existing_pk), 0
        return None, max(0, whole_seconds_between(self.started_at, received) - others)

    def skip(self, position: int, at: datetime | None = None) -> tuple["Release", bool]:
        """Step `position` skipped; `at`: the phone's clock when it was skipped offline (as for `log_release`)."""
        return self.log_release(position, skipped=True, at=at)

    def finish(
        self,
        pain_after: int | None = None,
        notes: str = "",
        back_pain_after: int | None = None,
        at: datetime | None = None,
    ) -> bool:
        """Ends the session with its answers; `at`: the phone's clock when the user finished it (an outbox entry),
        kept when plausible, so a session run offline and synced later does not last until the sync. Returns False
        (and changes nothing) when another request ended the session first; raises SessionClosed when it had ended
        before."""
        self._require_open()
        return self._end(
            SessionStatus.COMPLETED,
            at,
            only_if_open=True,
            pain_after=pain_after,
            notes=notes,
            back_pain_after=back_pain_after,
        )

    def finished_with(self, pain_after: int | None, notes: str) -> bool:
        """Whether this session was finished with exactly these answers: a finish sent again (a retry after a lost
        answer, a double tap) is then no conflict."""
        return self.status == SessionStatus.COMPLETED and (pain_after, notes) == (self.pain_after, self.notes)


# An adverse response: a logged pressure above the ceiling of 7, or a hold stopped early because it hurt.
PRESSURE_CEILING = 7
# The one wording of the 0-10 pressure-discomfort scale (clinical notes, "Measuring"), wherever pressure is asked
# or explained: 3 light, 5 moderate, the ceiling strong; start light, moderate is usually enough, the ceiling is
# not a target.
PRESSURE_SCALE_HINT = (
    f"0 none, 3 light, 5 moderate, {PRESSURE_CEILING} strong. Start light; moderate is usually enough; "
    f"{PRESSURE_CEILING} is a ceiling, not a target."
)
# For someone on blood thinners or with a bleeding disorder (accounts.PrecautionProfile.light_pressure_only): light
# pressure only (clinical notes, "Precautions").
LIGHT_PRESSURE_HINT = (
    "Light pressure only, about 3 out of 10, because of your blood thinners or bleeding disorder (your health answers)."
)
# The light pressure those answers call for: a logged pressure above it gets its own answer (LIGHT_PRESSURE_MESSAGE).
LIGHT_PRESSURE_LIMIT = 3
LIGHT_PRESSURE_MESSAGE = (
    f"You logged a pressure above {LIGHT_PRESSURE_LIMIT}. Your health answers (blood thinners or a bleeding "
    f"disorder) call for light pressure only, about {LIGHT_PRESSURE_LIMIT} out of 10: more can bruise or bleed under "
    "the skin. Please ease off next time."
)
ADVERSE_RELEASE = Q(pressure__gt=PRESSURE_CEILING) | Q(stopped_early=True)
ADVERSE_PRESSURE_MESSAGE = (
    f"You logged a pressure above {PRESSURE_CEILING}. Please ease off next time: {PRESSURE_CEILING} is a ceiling, "
    "not a target. More pressure adds risk, not benefit: it can bruise the tissue or irritate a nerve nearby. "
    "Moderate pressure is usually enough."
)
ADVERSE_STOPPED_MESSAGE = (
    "You stopped because it hurt, and that was the right thing to do. Next time, start lighter or leave that spot "
    "out: a release should never need you to push through pain."
)
ADVERSE_FOLLOW_UP = "If your leg pain keeps rising after releases, ease off and ask a physiotherapist or doctor."


class ReleaseAnswerValues(TypedDict, total=False):
    """What the person answers about one release (the runner's step form, the quick log), by Release field."""

    tender: bool | None
    pressure: int | None
    pain_now: int | None
    stopped_early: bool
    notes: str


def count_adverse(releases: Iterable["Release"]) -> int:
    """How many of `releases` (already loaded) are adverse responses (`Release.is_adverse`); for a queryset not yet
    loaded, `ReleaseQuerySet.adverse().count()` counts in SQL."""
    return sum(1 for release in releases if release.is_adverse)


def adverse_response_message(release: "Release", *, light_pressure: bool = False) -> str:
    """The kind, immediate answer to an adverse response ("" when the release was not one). `light_pressure`: the
    person's health answers call for light pressure only, so a pressure above LIGHT_PRESSURE_LIMIT is answered too,
    with that rule's own words."""
    parts = []
    if light_pressure and release.pressure is not None and release.pressure > LIGHT_PRESSURE_LIMIT:
        parts.append(LIGHT_PRESSURE_MESSAGE)
    if release.pressure is not None and release.pressure > PRESSURE_CEILING:
        parts.append(ADVERSE_PRESSURE_MESSAGE)  # above the ceiling, said too under the light-pressure rule
    if release.stopped_early:
        parts.append(ADVERSE_STOPPED_MESSAGE)
    return " ".join([*parts, ADVERSE_FOLLOW_UP]) if parts else ""


class ReleaseQuerySet(OwnedByLocalDateQuerySet["Release"]):
    def bulk_create(self, objs: Iterable["Release"], *args: Any, **kwargs: Any) -> list["Release"]:
        """As Django's, with each release's user and local date copied from its session (pass `session=`, not
        `session_id=`, or each session is fetched)."""
        objs = list(objs)
        for release in objs:
            release.copy_from_session()
        return super().bulk_create(objs, *args, **kwargs)

    def done(self) -> "ReleaseQuerySet":
        """Releases actually held (not skipped)."""
        return self.filter(skipped=False)

    def shift(self, delta: timedelta) -> int:
        """Moves every time of these releases (start, end, logged) by `delta`, in one UPDATE; a missing time stays
        missing. Returns the number of rows."""
        if not delta:
            return 0
        return self.update(
            started_at=F("started_at") + delta, ended_at=F("ended_at") + delta, logged_at=F("logged_at") + delta
        )

    def adverse(self) -> "ReleaseQuerySet":
        """Adverse responses: a pressure above 7 or "stopped early because it hurt" (ADVERSE_RELEASE)."""
        return self.filter(ADVERSE_RELEASE)


class Release(models.Model):
    """One logged hold on one point and side. At most one per (session, position): replays update nothing new."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="releases")
    # Copies of the session's user and local date, set on save (bulk creators set them): the per-point trends
    # aggregate a user's releases from one covering index, without joining ten years of sessions and sorting them.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", editable=False, db_index=False
    )
    local_date = models.DateField(editable=False)
    position = models.PositiveIntegerField()
    point = models.ForeignKey(Point, null=True, blank=True, on_delete=models.SET_NULL, related_name="releases")
    point_name = models.CharField(max_length=80)
    side = models.CharField(max_length=5, choices=Side.choices)
    prescribed_seconds = models.PositiveSmallIntegerField(validators=[MaxValueValidator(RELEASE_MAX_SECONDS)])
    # None: not timed (logged without the timer and no seconds given); never counted as the prescribed hold.
    held_seconds = models.PositiveSmallIntegerField(
        default=0, null=True, blank=True, validators=[MaxValueValidator(RELEASE_MAX_SECONDS)]
    )
    started_at = models.DateTimeField(null=True, blank=True, validators=STORABLE_DATE)
    ended_at = models.DateTimeField(null=True, blank=True, validators=STORABLE_DATE)
    skipped = models.BooleanField(default=False)
    tender = models.BooleanField("Tender spot found", null=True, blank=True)
    pressure = models.PositiveSmallIntegerField(null=True, blank=True, validators=PAIN_VALIDATORS)
    pain_now = models.PositiveSmallIntegerField(LEG_PAIN_AFTER_HOLD, null=True, blank=True, validators=PAIN_VALIDATORS)
    stopped_early = models.BooleanField("Stopped early because it hurt", default=False)
    notes = models.TextField(blank=True, validators=[MaxLengthValidator(NOTES_MAX_LENGTH)])
    logged_at = models.DateTimeField(default=timezone.now, validators=STORABLE_DATE)

    rev = models.BigIntegerField(default=0, editable=False, help_text=REV_FIELD_HELP)

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["session", "position"]
        constraints = [
            models.UniqueConstraint(fields=["session", "position"], name="release_unique_session_position"),
            models.CheckConstraint(condition=zero_to_ten("pressure"), name="release_pressure_0_10"),
            models.CheckConstraint(condition=zero_to_ten("pain_now"), name="release_pain_now_0_10"),
        ]
        indexes = [
            # Covers `stats.point_side_stats`: rows come out grouped by point and side, ready to aggregate.
            models.Index(
                fields=[
                    "user",
                    "point",
                    "side",
                    "skipped",
                    "local_date",
                    "tender",
                    "pressure",
                    "pain_now",
                    "point_name",
                ],
                name="release_user_point_side",
            ),
            # A user's releases in a date range (the exports, a report's totals).
            models.Index(fields=["user", "local_date"], name="release_user_date"),
        ]

    def __str__(self) -> str:
        return f"{self.point_name} ({self.side}), step {self.position}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding:
            self.copy_from_session()
        super().save(*args, **kwargs)

    def copy_from_session(self) -> None:
        self.user_id = self.session.user_id
        self.local_date = self.session.local_date

    @property
    def is_adverse(self) -> bool:
        """A pressure above 7, or stopped early because it hurt: counted as an adverse response."""
        return self.stopped_early or (self.pressure is not None and self.pressure > PRESSURE_CEILING)


class ShareLinkQuerySet(models.QuerySet["ShareLink"]):
    def for_user(self, user: User) -> "ShareLinkQuerySet":
        return self.filter(user=user)

    def usable(self, now: datetime | None = None) -> "ShareLinkQuerySet":
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())


class Revocable:
    """A private link that its owner can switch off for good (share links, calendar feeds). `idempotency_key` is
    the one-time key of the form that made it: a double tap, a replay or a second tab posting that form again finds
    this row (a unique constraint per user refuses a second one)."""

    def new_address(self) -> str:
        """Gives the link a new secret address (the old one stops working). Returns the new token: only its hash is
        stored, so the caller shows it once."""
        token, self.token_hash = new_token()
        cast(models.Model, self).save(update_fields=["token_hash"])
        return token

    revoked_at: datetime | None  # each model declares the fields
    token_hash: str

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            cast(models.Model, self).save(update_fields=["revoked_at"])


class ShareLink(Revocable, models.Model):
    """A read-only link for a practitioner. Only the SHA-256 of the token is stored, never the token."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="share_links")
    label = models.CharField(max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    start_date = models.DateField(null=True, blank=True, validators=STORABLE_DATE)
    end_date = models.DateField(null=True, blank=True, validators=STORABLE_DATE)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_opened_at = models.DateTimeField(null=True, blank=True)
    times_opened = models.PositiveIntegerField(default=0)
    idempotency_key = models.UUIDField(null=True, blank=True, editable=False)

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # NULLs never clash (links made before keys, imported links): one link per submitted form.
            models.UniqueConstraint(fields=["user", "idempotency_key"], name="sharelink_unique_user_key"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_usable(self) -> bool:
        """What `ShareLinkQuerySet.usable` selects, for one link already loaded."""
        return self.revoked_at is None and self.expires_at > timezone.now()

    def record_open(self) -> bool:
        """Counts one opening of the report, in the database (simultaneous openings all count; this instance is
        not refreshed). Bookkeeping only: skipped, and False returned, when the database is busy, so that the
        report itself never waits for it."""
        return write_unless_busy(
            lambda: ShareLink.objects.filter(pk=self.pk).update(
                times_opened=F("times_opened") + 1, last_opened_at=timezone.now()
            ),
            "counting a share link's opening",
        )


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


REMINDER_MAX_MINUTES = 240  # the longest calendar event a reminder makes (the form and the import allow 1 to this)


class Reminder(Revocable, models.Model):
    """Days and a time to run a routine, served as a private iCalendar feed (only the token's hash is stored)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders")
    routine = models.ForeignKey(Routine, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    weekdays = models.JSONField(default=list)
    time_of_day = models.TimeField()
    duration_minutes = models.PositiveSmallIntegerField(
        default=15, validators=[MinValueValidator(1), MaxValueValidator(REMINDER_MAX_MINUTES)]
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    idempotency_key = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["time_of_day", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "idempotency_key"], name="reminder_unique_user_key"),
        ]

    def __str__(self) -> str:
        return f"Reminder at {self.time_of_day}"

    @property
    def day_names(self) -> str:
        return ", ".join(Weekday(d).label for d in sorted(self.weekdays))

    def renew(self) -> str:
        """Gives the feed a new secret address (the old one stops working) and revives a revoked reminder. Returns
        the new token: only its hash is stored, so the caller shows it once."""
        token, self.token_hash = new_token()
        self.revoked_at = None
        self.save(update_fields=["token_hash", "revoked_at"])
        return token


class AccessMissQuerySet(models.QuerySet["AccessMiss"]):
    def recent(self, address_hash: str, now: datetime | None = None) -> "AccessMissQuerySet":
        since = (now or timezone.now()) - settings.TENDERSPOT_SHARE_MISS_WINDOW
        return self.filter(address_hash=address_hash, created_at__gte=since)

    def is_limited(self, address_hash: str, now: datetime | None = None) -> bool:
        return self.recent(address_hash, now).count() >= settings.TENDERSPOT_SHARE_MISS_LIMIT

    def record(self, address_hash: str, now: datetime | None = None) -> None:
        """Records one miss and forgets misses older than the window (for every address)."""
        now = now or timezone.now()
        self.filter(created_at__lt=now - settings.TENDERSPOT_SHARE_MISS_WINDOW).delete()
        self.create(address_hash=address_hash, created_at=now)


class AccessMiss(models.Model):
    """A request for an unknown, expired or revoked share or calendar token. Kept in the database (not in process
    memory) so that every app server sees the same count; the address is stored as its SHA-256 only."""

    address_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    objects = AccessMissQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["address_hash", "created_at"], name="accessmiss_address_created"),
            models.Index(fields=["created_at"], name="accessmiss_created"),
        ]

    def __str__(self) -> str:
        return f"Miss at {self.created_at}"


class HeavyLeaseQuerySet(models.QuerySet["HeavyLease"]):
    def take(self, scopes: dict[str, int], seconds: float, now: datetime | None = None) -> "list[HeavyLease] | None":
        """One slot in each scope (`{scope: slots}`), all or none: the leases, or None when a scope is full. A
        lease left behind by a crashed worker frees itself after `seconds`."""
        now = now or timezone.now()
        taken: list[HeavyLease] = []
        for scope, slots in scopes.items():
            self.filter(scope=scope, expires_at__lt=now).delete()
            lease = None
            for slot in range(slots):
                try:
                    with transaction.atomic():
                        lease = self.create(
                            scope=scope, slot=slot, expires_at=now + timedelta(seconds=seconds), created_at=now
                        )
                    break
                except IntegrityError:
                    continue
            if lease is None:
                self.filter(pk__in=[held.pk for held in taken]).delete()
                return None
            taken.append(lease)
        return taken

    def give_back(self, leases: "list[HeavyLease]") -> None:
        self.filter(pk__in=[lease.pk for lease in leases]).delete()

    def renew(self, leases: "list[HeavyLease]", seconds: float, now: datetime | None = None) -> None:
        """Pushes the leases' expiry `seconds` past now: a long download keeps its slots while it runs (an expired
        lease is taken over by the next request)."""
        expires = (now or timezone.now()) + timedelta(seconds=seconds)
        self.filter(pk__in=[lease.pk for lease in leases]).update(expires_at=expires)


class HeavyLease(models.Model):
    """A slot held by one heavy request (a PDF render, an export) while it runs. In the database, not in process
    memory, so that the limit per user, per share link and per instance holds across every gunicorn process and
    host; the unique (scope, slot) pair is what makes two requests unable to take the same slot."""

    scope = models.CharField(max_length=80)
    slot = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    objects = HeavyLeaseQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "slot"], name="heavylease_one_per_slot")]

    def __str__(self) -> str:
        return f"{self.scope} #{self.slot}"
