import hashlib
import zoneinfo
from datetime import date, datetime, timedelta
from typing import Protocol

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import connection, models, transaction
from django.utils import timezone

from accounts.care import CareNumbers, CareRegion, care_for, region_for_zone


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError("Choose a time zone from the list, for example Europe/London.")


class PlaceOnBody(Protocol):
    """Where a point lies, as the precaution notes need it (routines.models.Point has it; accounts never imports
    routines, which builds on it)."""

    @property
    def is_foot(self) -> bool: ...

    @property
    def is_glute(self) -> bool: ...


def lock_account(user: User) -> None:
    """Inside a transaction: waits for, then holds until commit, the lock on `user`'s profile row. Writers that
    check-then-insert one account's rows (the "Start" button, the JSON import) take it first, so two of them never
    both see "not there yet". PostgreSQL locks the row (SELECT ... FOR UPDATE); on SQLite the IMMEDIATE transaction
    already holds the database's write lock, and the same query is a plain read."""
    list(Profile.objects.select_for_update().filter(user_id=user.pk).values_list("pk", flat=True))


REPORT_NAME_MAX_LENGTH = 100
REPORT_QUESTIONS_MAX_LENGTH = 600  # a few questions; the report keeps them on its first page


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
    # For the practitioner report only (the PDF and the share page): the name the person wants on it, and their
    # questions for the practitioner. Both optional; no other page or export carries them, but the JSON backup
    # does (they are the person's own words, and a move must not lose them).
    report_name = models.CharField("Name on your report", max_length=REPORT_NAME_MAX_LENGTH, blank=True, default="")
    report_questions = models.TextField(
        "Questions for your practitioner",
        blank=True,
        default="",
        validators=[MaxLengthValidator(REPORT_QUESTIONS_MAX_LENGTH)],
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


class ThrottleHitQuerySet(models.QuerySet["ThrottleHit"]):
    def allow(self, scope: str, key: str, limit: int, window: timedelta, now: datetime | None = None) -> bool:
        """Records one try of `scope` by `key` (an address, an e-mail) unless `limit` tries already lie within
        `window` (a timedelta); True when this try may go ahead. Keys are stored as SHA-256 only, and tries older
        than the window are forgotten as new ones come in."""
        now = now or timezone.now()
        key_hash = hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()
        with transaction.atomic():
            # Count-then-insert takes turns per key, or a burst would all count the same tries and all go ahead.
            # SQLite: the IMMEDIATE transaction holds the write lock. PostgreSQL: a transaction-level advisory lock
            # on the key (there may be no row to lock yet).
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [advisory_key(key_hash)])
            self.filter(scope=scope, created_at__lt=now - window).delete()
            if self.filter(scope=scope, key_hash=key_hash, created_at__gte=now - window).count() >= limit:
                return False
            self.create(scope=scope, key_hash=key_hash, created_at=now)
        return True


def advisory_key(key_hash: str) -> int:
    """A PostgreSQL advisory lock key (a signed 64-bit integer) from a hex digest."""
    return int.from_bytes(bytes.fromhex(key_hash[:16]), "big", signed=True)


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


class PainfulLeg(models.TextChoices):
    LEFT = "left", "Left leg"
    RIGHT = "right", "Right leg"
    BOTH = "both", "Both legs"


class YesNo(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"


PRECAUTION_REVIEW_AFTER = timedelta(days=182)  # the profile is offered again about every 6 months

FOOT_TEAM = "Ask your diabetes foot team or podiatrist before pressing here."
NUMB_FOOT = (
    "On a foot with reduced feeling, the discomfort scale cannot tell you how hard you are pressing, so it cannot "
    "guide the pressure."
)
LIGHT_PRESSURE = (
    "Light pressure only (about 3 out of 10), because of your blood thinners or bleeding disorder. Stop and ask "
    "your doctor or pharmacist if you see bruising or swelling."
)
NEW_PAIN_CHECK = (
    "With past cancer, osteoporosis or long-term steroids, get any new back or leg pain checked by a doctor before "
    "you start pressing."
)
ASK_CLINICIAN = "After recent hip or spine surgery, or in pregnancy, ask your clinician before you start."
WALL_POSITION = (
    "Use the wall position for the glutes: stand with your back or side to a wall, the ball between the wall and "
    "the spot, and lean in to press. Do not lie on the ball."
)


class PrecautionProfile(models.Model):
    """Optional, private answers that change what the app shows (cautions, hidden points). Every answer may stay empty.

    Kept apart from `Profile` (settings) so that health answers have their own form, their own review date and
    never travel with the settings. Only the leg pain context (`report_context`) is meant for a practitioner.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="precautions")
    diabetes = models.BooleanField("I have diabetes", default=False)
    reduced_foot_feeling = models.BooleanField("I have reduced feeling in my feet", default=False)
    foot_ulcer = models.BooleanField("I have a foot ulcer now, or have had one", default=False)
    blood_thinners = models.BooleanField("I take blood thinners (anticoagulants)", default=False)
    bleeding_disorder = models.BooleanField("I have a bleeding disorder", default=False)
    past_cancer = models.BooleanField("I have had cancer", default=False)
    osteoporosis = models.BooleanField("I have osteoporosis", default=False)
    long_term_steroids = models.BooleanField("I take steroid tablets long term", default=False)
    recent_surgery = models.BooleanField("I have had hip or spine surgery recently", default=False)
    pregnant = models.BooleanField("I am pregnant", default=False)
    painful_leg = models.CharField("Which leg hurts", max_length=5, choices=PainfulLeg.choices, blank=True)
    episode_started = models.DateField("When this episode of leg pain started", null=True, blank=True)
    clinician_assessed = models.CharField(
        "Has a doctor or physiotherapist assessed this episode?", max_length=3, choices=YesNo.choices, blank=True
    )
    # When the user last saved or skipped the questions: they are offered again PRECAUTION_REVIEW_AFTER later.
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # When the user confirmed, once, that the foot points are cleared by their foot team or podiatrist.
    feet_confirmed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Precautions of {self.user}"

    @classmethod
    def for_user(cls, user: User) -> "PrecautionProfile":
        """The user's answers, or an empty unsaved profile (nothing is stored until the user answers)."""
        try:
            return user.precautions
        except cls.DoesNotExist:
            return cls(user=user)

    # What each answer changes ---------------------------------------------------------------------------------

    @property
    def foot_caution(self) -> bool:
        """Diabetes, reduced feeling or a foot ulcer: the foot points need the foot team's or podiatrist's word."""
        return self.diabetes or self.reduced_foot_feeling or self.foot_ulcer

    @property
    def light_pressure_only(self) -> bool:
        return self.blood_thinners or self.bleeding_disorder

    @property
    def check_new_pain(self) -> bool:
        return self.past_cancer or self.osteoporosis or self.long_term_steroids

    @property
    def ask_clinician_first(self) -> bool:
        return self.recent_surgery or self.pregnant

    def needs_foot_confirmation(self, has_foot_points: bool) -> bool:
        """Whether starting a routine with foot points must first ask, once, for the foot team's clearance."""
        return has_foot_points and self.foot_caution and self.feet_confirmed_at is None

    def confirm_feet(self) -> None:
        self.feet_confirmed_at = timezone.now()
        self.save()

    def notes(self, *, foot: bool = True, glute: bool = True) -> list[str]:
        """The precaution messages to show where a session starts or a point is pressed: `foot` / `glute` say
        whether foot or glute points are involved. Plain sentences, most important first; [] when none apply."""
        out = []
        if self.check_new_pain:
            out.append(NEW_PAIN_CHECK)
        if self.ask_clinician_first:
            out.append(ASK_CLINICIAN)
            if glute:
                out.append(WALL_POSITION)
        if foot and self.foot_caution:
            out += [FOOT_TEAM, NUMB_FOOT]
        if self.light_pressure_only:
            out.append(LIGHT_PRESSURE)
        return out

    def notes_for_point(self, point: "PlaceOnBody") -> list[str]:
        """`notes` for one point (routines.models.Point): foot notes only on the sole, the wall on the glutes."""
        return self.notes(foot=point.is_foot, glute=point.is_glute)

    # Review -----------------------------------------------------------------------------------------------------

    def review_due(self, now: datetime | None = None) -> bool:
        """Never answered or skipped, or last reviewed about 6 months ago or more."""
        return self.reviewed_at is None or (now or timezone.now()) - self.reviewed_at >= PRECAUTION_REVIEW_AFTER

    def mark_reviewed(self) -> None:
        self.reviewed_at = timezone.now()
        self.save()

    # Context for trends and the practitioner report -------------------------------------------------------------

    def report_context(self, today: date | None = None) -> list[tuple[str, str]]:
        """[(label, value)] of the leg pain context for a practitioner (which leg, since when, assessed or not),
        only what the user answered. Never the health answers above, which stay private."""
        rows = []
        if self.painful_leg:
            rows.append(("Painful leg", self.get_painful_leg_display()))
        if self.episode_started:
            weeks = ((today or timezone.localdate()) - self.episode_started).days // 7
            ago = "1 week" if weeks == 1 else f"{weeks} weeks"
            rows.append(("Episode started", f"{self.episode_started:%Y-%m-%d} (about {ago} ago)"))
        if self.clinician_assessed:
            # This episode's assessment, as the person answered the health questions: never a red flag's.
            rows.append(("Episode assessed by a clinician", self.get_clinician_assessed_display()))
        return rows
