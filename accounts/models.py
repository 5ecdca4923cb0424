import hashlib
import zoneinfo
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from accounts.care import CareNumbers, CareRegion, care_for, region_for_zone


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError("Choose a time zone from the list, for example Europe/London.")


def lock_account(user) -> None:
    """Inside a transaction: waits for, then holds until commit, the lock on `user`'s profile row. Writers that
    check-then-insert one account's rows (the "Start" button, the JSON import) take it first, so two of them never
    both see "not there yet". PostgreSQL locks the row (SELECT ... FOR UPDATE); on SQLite the IMMEDIATE transaction
    already holds the database's write lock, and the same query is a plain read."""
    list(Profile.objects.select_for_update().filter(user_id=user.pk).values_list("pk", flat=True))


class Profile(models.Model):
    """Per-user settings. Days, streaks and trends are counted in `time_zone`."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    default_hold_seconds = models.PositiveSmallIntegerField(
        default=45, validators=[MinValueValidator(10), MaxValueValidator(180)]
    )
    sound_on = models.BooleanField("Play a tone at the end of a hold", default=True)
    lead_in_seconds = models.PositiveSmallIntegerField(
        default=5, validators=[MinValueValidator(0), MaxValueValidator(30)]
    )
    safety_acknowledged_at = models.DateTimeField(null=True, blank=True)
    # Hands-free running, for a phone on the floor out of reach: both off until the person turns them on.
    auto_start_next = models.BooleanField("Start the next step by itself after each log", default=False)
    spoken_cues = models.BooleanField("Say the point and side when a hold starts and ends", default=False)
    # Where the person lives, for the emergency and urgent-care numbers. Empty: worked out from the time zone.
    care_region = models.CharField(
        "Where you live (for emergency numbers)", max_length=5, choices=CareRegion.choices, blank=True, default=""
    )

    def __str__(self) -> str:
        return f"Profile of {self.user}"

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def local_date(self, moment: datetime | None = None) -> date:
        """The calendar date in the user's own time zone at `moment` (now by default)."""
        return timezone.localtime(moment or timezone.now(), self.zone).date()

    @property
    def region(self) -> str:
        """The chosen care region, else the one the time zone names without doubt, else OTHER."""
        return self.care_region or region_for_zone(self.time_zone)

    @property
    def care(self) -> CareNumbers:
        """The emergency and urgent-care numbers to show this person (accounts.care)."""
        return care_for(self.region)

    @property
    def has_acknowledged_safety(self) -> bool:
        return self.safety_acknowledged_at is not None

    def acknowledge_safety(self) -> None:
        self.safety_acknowledged_at = timezone.now()
        self.save(update_fields=["safety_acknowledged_at"])


class ThrottleHitQuerySet(models.QuerySet):
    def allow(self, scope: str, key: str, limit: int, window, now=None) -> bool:
        """Records one try of `scope` by `key` (an address, an e-mail) unless `limit` tries already lie within
        `window` (a timedelta); True when this try may go ahead. Keys are stored as SHA-256 only, and tries older
        than the window are forgotten as new ones come in."""
        now = now or timezone.now()
        key_hash = hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()
        self.filter(scope=scope, created_at__lt=now - window).delete()
        if self.filter(scope=scope, key_hash=key_hash, created_at__gte=now - window).count() >= limit:
            return False
        self.create(scope=scope, key_hash=key_hash, created_at=now)
        return True


class ThrottleHit(models.Model):
    """One try of a throttled account action (sign-up, password reset) by an address or for an e-mail. In the
    database so that every app server counts the same tries."""

    scope = models.CharField(max_length=40)
    key_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ThrottleHitQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["scope", "key_hash", "created_at"], name="throttlehit_scope_key_created")]

    def __str__(self) -> str:
        return f"{self.scope} at {self.created_at}"
