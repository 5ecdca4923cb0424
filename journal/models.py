from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from routines.models import Point, Routine, Side

PAIN_VALIDATORS = [MinValueValidator(0), MaxValueValidator(10)]
NOTES_MAX_LENGTH = 1000


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


class SessionQuerySet(models.QuerySet):
    def for_user(self, user) -> "SessionQuerySet":
        return self.filter(user=user)

    def in_progress(self) -> "SessionQuerySet":
        return self.filter(status=SessionStatus.IN_PROGRESS)

    def stale(self, now=None) -> "SessionQuerySet":
        """In-progress sessions untouched for longer than TENDERSPOT_ABANDON_AFTER."""
        cutoff = (now or timezone.now()) - settings.TENDERSPOT_ABANDON_AFTER
        return self.in_progress().filter(last_activity_at__lt=cutoff)

    def abandon_stale(self, now=None) -> int:
        return self.stale(now).update(status=SessionStatus.ABANDONED)

    def red_flagged(self) -> "SessionQuerySet":
        """Sessions in which a red flag was reported: no "improvement" message may show for their days."""
        return self.filter(safety_check=SafetyAnswer.YES)

    def between(self, start=None, end=None) -> "SessionQuerySet":
        """Sessions whose local date lies in [start, end] (either bound may be None)."""
        qs = self
        if start:
            qs = qs.filter(local_date__gte=start)
        if end:
            qs = qs.filter(local_date__lte=end)
        return qs


class Session(models.Model):
    """One sitting of a routine. `plan` is a snapshot of the routine's steps taken at the start, so that editing
    the routine later never changes a session in progress or the history."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sessions")
    routine = models.ForeignKey(Routine, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions")
    routine_name = models.CharField(max_length=100)
    plan = models.JSONField(default=list, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    # The user's local calendar date at the start: trends and streaks group by it in SQL.
    local_date = models.DateField()
    finished_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=12, choices=SessionStatus.choices, default=SessionStatus.IN_PROGRESS)
    pain_before = models.PositiveSmallIntegerField(null=True, blank=True, validators=PAIN_VALIDATORS)
    pain_after = models.PositiveSmallIntegerField(null=True, blank=True, validators=PAIN_VALIDATORS)
    safety_check = models.CharField(max_length=3, choices=SafetyAnswer.choices, default="", blank=True)
    notes = models.TextField(blank=True, validators=[MaxLengthValidator(NOTES_MAX_LENGTH)])
    # The hold now running, recorded by the server when the user presses start.
    current_hold_position = models.PositiveIntegerField(null=True, blank=True)
    current_hold_started_at = models.DateTimeField(null=True, blank=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "-started_at"], name="session_user_started"),
            models.Index(fields=["user", "local_date"], name="session_user_local_date"),
            models.Index(fields=["status", "last_activity_at"], name="session_status_activity"),
        ]
        constraints = [
            models.CheckConstraint(condition=zero_to_ten("pain_before"), name="session_pain_before_0_10"),
            models.CheckConstraint(condition=zero_to_ten("pain_after"), name="session_pain_after_0_10"),
        ]

    def __str__(self) -> str:
        return f"{self.routine_name} on {self.local_date}"

    @property
    def red_flag(self) -> bool:
        return self.safety_check == SafetyAnswer.YES

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

    def touch(self, save: bool = True) -> None:
        self.last_activity_at = timezone.now()
        if save:
            self.save(update_fields=["last_activity_at"])


class ReleaseQuerySet(models.QuerySet):
    def for_user(self, user) -> "ReleaseQuerySet":
        return self.filter(session__user=user)

    def done(self) -> "ReleaseQuerySet":
        """Releases actually held (not skipped)."""
        return self.filter(skipped=False)


class Release(models.Model):
    """One logged hold on one point and side. At most one per (session, position): replays update nothing new."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="releases")
    position = models.PositiveIntegerField()
    point = models.ForeignKey(Point, null=True, blank=True, on_delete=models.SET_NULL, related_name="releases")
    point_name = models.CharField(max_length=80)
    side = models.CharField(max_length=5, choices=Side.choices)
    prescribed_seconds = models.PositiveSmallIntegerField(validators=[MaxValueValidator(600)])
    held_seconds = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(600)])
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    skipped = models.BooleanField(default=False)
    tender = models.BooleanField("Tender spot found", null=True, blank=True)
    pressure = models.PositiveSmallIntegerField(null=True, blank=True, validators=PAIN_VALIDATORS)
    pain_now = models.PositiveSmallIntegerField(null=True, blank=True, validators=PAIN_VALIDATORS)
    stopped_early = models.BooleanField("Stopped early because it hurt", default=False)
    notes = models.TextField(blank=True, validators=[MaxLengthValidator(NOTES_MAX_LENGTH)])
    logged_at = models.DateTimeField(default=timezone.now)

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["session", "position"]
        constraints = [
            models.UniqueConstraint(fields=["session", "position"], name="release_unique_session_position"),
            models.CheckConstraint(condition=zero_to_ten("pressure"), name="release_pressure_0_10"),
            models.CheckConstraint(condition=zero_to_ten("pain_now"), name="release_pain_now_0_10"),
        ]
        indexes = [models.Index(fields=["point", "side"], name="release_point_side")]

    def __str__(self) -> str:
        return f"{self.point_name} ({self.side}), step {self.position}"


class ShareLinkQuerySet(models.QuerySet):
    def for_user(self, user) -> "ShareLinkQuerySet":
        return self.filter(user=user)

    def usable(self, now=None) -> "ShareLinkQuerySet":
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())


class ShareLink(models.Model):
    """A read-only link for a practitioner. Only the SHA-256 of the token is stored, never the token."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="share_links")
    label = models.CharField(max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_opened_at = models.DateTimeField(null=True, blank=True)
    times_opened = models.PositiveIntegerField(default=0)

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.label


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class Reminder(models.Model):
    """Days and a time to run a routine, served as a private iCalendar feed (only the token's hash is stored)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders")
    routine = models.ForeignKey(Routine, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    weekdays = models.JSONField(default=list)
    time_of_day = models.TimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=15)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["time_of_day", "pk"]

    def __str__(self) -> str:
        return f"Reminder at {self.time_of_day}"


class AccessMissQuerySet(models.QuerySet):
    def recent(self, address_hash: str, now=None) -> "AccessMissQuerySet":
        since = (now or timezone.now()) - settings.TENDERSPOT_SHARE_MISS_WINDOW
        return self.filter(address_hash=address_hash, created_at__gte=since)

    def is_limited(self, address_hash: str, now=None) -> bool:
        return self.recent(address_hash, now).count() >= settings.TENDERSPOT_SHARE_MISS_LIMIT

    def record(self, address_hash: str, now=None) -> None:
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
