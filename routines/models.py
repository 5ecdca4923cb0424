import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TypedDict

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import lock_account


class Side(models.TextChoices):
    LEFT = "left", "Left"
    RIGHT = "right", "Right"


class BodyRegion(models.TextChoices):
    FOOT = "foot", "Foot"
    HIP = "hip", "Hip and buttock"
    OTHER = "other", "Other"


class MapView(models.TextChoices):
    """Which drawing of the body map a point sits on."""

    SOLES = "soles", "Soles of the feet"
    BUTTOCKS = "buttocks", "Buttocks from behind"


class EvidenceLevel(models.TextChoices):
    NONE = "none", "No research found"
    EXPERT = "expert", "Expert description only, not tested in trials"
    LIMITED = "limited", "Limited: small trials of therapist treatment, not of self-release"


# One sentence per level, naming what the research was about (a bare "No research found" does not say on what).
EVIDENCE_SENTENCES = {
    EvidenceLevel.NONE: "No research found on pressing this spot for {problem}.",
    EvidenceLevel.EXPERT: "Expert description only: pressing this spot for {problem} has not been tested in trials.",
    EvidenceLevel.LIMITED: (
        "Limited: a few small trials of treatment by a therapist or clinician for {problem}; none tested "
        "pressing with a ball yourself."
    ),
}


HOLD_MIN_SECONDS = 10
HOLD_MAX_SECONDS = 180
# The longest free text of a point or routine description (the catalogue's longest is well under it).
LONG_TEXT_MAX_LENGTH = 5000
ARTICLE_HOLD_RANGE = (30, 60)
# Time to move the ball and settle on the next spot, counted in a routine's estimated duration.
STEP_CHANGEOVER_SECONDS = 10
# Steps are parked above this while positions are rewritten, so the unique (routine, position) never clashes.
_PARK_OFFSET = 1_000_000
# A second "Copy" of one routine within this time, with the first copy unchanged, is a double tap or a replay.
COPY_REPLAY_WINDOW = timedelta(minutes=10)


def hold_in_article_range(seconds: int) -> bool:
    return ARTICLE_HOLD_RANGE[0] <= seconds <= ARTICLE_HOLD_RANGE[1]


class PlanStep(TypedDict):
    """One step of a session's plan as Session.plan stores it (JSON): the point's id (None once a custom point is
    deleted), slug and name at the start, the side, and the hold in seconds."""

    point_id: int | None
    point_slug: str
    point_name: str
    side: str
    hold_seconds: int


def plan_step(point: "Point", side: str, hold_seconds: int) -> PlanStep:
    """One step of a session's plan (Session.plan): a copy of the point's name, so later edits or a deleted
    custom point never change a session or the history."""
    return {
        "point_id": point.pk,
        "point_slug": point.slug,
        "point_name": point.name,
        "side": side,
        "hold_seconds": hold_seconds,
    }


def estimate_seconds(step_count: int, hold_total: int) -> int:
    """A routine's estimated duration: every hold plus a short changeover per step."""
    return (hold_total or 0) + (step_count or 0) * STEP_CHANGEOVER_SECONDS


class Area(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=80)
    region = models.CharField(max_length=10, choices=BodyRegion.choices)
    order = models.PositiveSmallIntegerField(default=0)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class PointQuerySet(models.QuerySet["Point"]):
    def builtin(self) -> "PointQuerySet":
        return self.filter(owner__isnull=True)

    def visible_to(self, user: User | AnonymousUser | None) -> "PointQuerySet":
        """The built-in catalogue plus the user's own custom points (nobody else's)."""
        if user is None or not user.is_authenticated:
            return self.builtin()
        return self.filter(Q(owner__isnull=True) | Q(owner=user))

    def in_area(self, area: Area) -> "PointQuerySet":
        """Points listed under an area, including a spot shared with another area."""
        return self.filter(Q(area=area) | Q(also_listed_in=area)).distinct()


class OwnedByUser:
    """Built-in rows have no owner and nobody edits them; a user's own rows are edited by that user only."""

    owner_id: int | None

    def can_edit(self, user: User | AnonymousUser | None) -> bool:
        return self.owner_id is not None and self.owner_id == getattr(user, "pk", None)


class Point(OwnedByUser, models.Model):
    """One spot to press. A spot reachable from two areas is one row listed in both (see `also_listed_in`)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="custom_points",
    )
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.PROTECT, related_name="points")
    also_listed_in = models.ManyToManyField(Area, blank=True, related_name="shared_points")
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=80)
    location = models.TextField("Where it is", blank=True, validators=[MaxLengthValidator(LONG_TEXT_MAX_LENGTH)])
    how_to_find = models.TextField(blank=True, validators=[MaxLengthValidator(LONG_TEXT_MAX_LENGTH)])
    technique = models.TextField(blank=True, validators=[MaxLengthValidator(LONG_TEXT_MAX_LENGTH)])
    tool = models.CharField(max_length=120, blank=True, default="Lacrosse ball or tennis ball")
    default_hold_seconds = models.PositiveSmallIntegerField(
        default=45, validators=[MinValueValidator(HOLD_MIN_SECONDS), MaxValueValidator(HOLD_MAX_SECONDS)]
    )
    pressure_guidance = models.TextField(blank=True, validators=[MaxLengthValidator(LONG_TEXT_MAX_LENGTH)])
    referral_note = models.TextField(
        "What sources say about referred pain", blank=True, validators=[MaxLengthValidator(LONG_TEXT_MAX_LENGTH)]
    )
    # Evidence is graded twice: for sciatica, and for the local problem the spot belongs to (e.g. heel pain).
    evidence_level = models.CharField(
        "Evidence for sciatica", max_length=10, choices=EvidenceLevel.choices, default=EvidenceLevel.NONE
    )
    local_problem = models.CharField(
        "Local problem", max_length=80, blank=True, help_text='The problem the spot belongs to, e.g. "heel pain".'
    )
    local_evidence_level = models.CharField(
        "Evidence for the local problem", max_length=10, choices=EvidenceLevel.choices, default=EvidenceLevel.NONE
    )
    evidence_note = models.TextField(blank=True, validators=[MaxLengthValidator(LONG_TEXT_MAX_LENGTH)])
    contraindications = models.TextField(blank=True, validators=[MaxLengthValidator(LONG_TEXT_MAX_LENGTH)])
    map_view = models.CharField(max_length=10, choices=MapView.choices, default=MapView.SOLES)
    # Position of the left-side mark in the map's coordinate system (percent of the view's width/height);
    # the right-side mark is mirrored.
    map_x = models.DecimalField(
        max_digits=5, decimal_places=2, default=50, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    map_y = models.DecimalField(
        max_digits=5, decimal_places=2, default=50, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    snomed_code = models.CharField("Verified SNOMED CT body-site code", max_length=20, blank=True)
    snomed_display = models.CharField(max_length=120, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PointQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        indexes = [models.Index(fields=["owner", "order"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_builtin(self) -> bool:
        return self.owner_id is None

    def label(self, side: str) -> str:
        """An accessible name such as "Left heel, inside edge"."""
        return f"{Side(side).label} {self.name[:1].lower()}{self.name[1:]}"

    @property
    def is_foot(self) -> bool:
        """A point on the sole (the foot precautions apply to it)."""
        return self.map_view == MapView.SOLES

    @property
    def is_glute(self) -> bool:
        return self.map_view == MapView.BUTTOCKS

    @property
    def sciatica_evidence(self) -> str:
        """The evidence for sciatica as one sentence that names what was (not) researched."""
        return EVIDENCE_SENTENCES[EvidenceLevel(self.evidence_level)].format(problem="sciatica")

    @property
    def local_evidence(self) -> str:
        """The evidence for the local problem as one sentence, or "" when the point names no local problem."""
        if not self.local_problem:
            return ""
        return EVIDENCE_SENTENCES[EvidenceLevel(self.local_evidence_level)].format(problem=self.local_problem)

    @staticmethod
    def custom_slug(name: str) -> str:
        """A unique, unguessable slug for a user's own point (slugs are global: built-in ones are readable)."""
        return f"my-{slugify(name)[:50] or 'point'}-{secrets.token_hex(4)}"

    def delete_custom(self) -> list[int]:
        """Deletes a custom point. Its routine steps go and their routines are renumbered; logged releases keep
        their history (Release.point becomes NULL, Release.point_name keeps the name). Returns the routine ids."""
        with transaction.atomic():
            routine_ids = sorted(set(self.routine_steps.values_list("routine_id", flat=True)))
            # Lock in a fixed order so two deletions can never wait on each other.
            list(Routine.objects.select_for_update().filter(pk__in=routine_ids).order_by("pk").values_list("pk"))
            self.delete()
            for routine in Routine.objects.filter(pk__in=routine_ids).order_by("pk"):
                routine._write_order(list(routine.steps.order_by("position", "pk")))
        return routine_ids


class RoutineQuerySet(models.QuerySet["Routine"]):
    def builtin(self) -> "RoutineQuerySet":
        return self.filter(owner__isnull=True)

    def visible_to(self, user: User | AnonymousUser | None) -> "RoutineQuerySet":
        """Routines a user may see and run: the built-in ones and their own (as `PointQuerySet.visible_to`)."""
        if user is None or not user.is_authenticated:
            return self.builtin()
        return self.filter(Q(owner__isnull=True) | Q(owner=user))

    def owned_by(self, user: User) -> "RoutineQuerySet":
        return self.filter(owner=user)

    def active(self) -> "RoutineQuerySet":
        return self.filter(archived=False)

    def with_totals(self) -> "RoutineQuerySet":
        """Annotates `step_count` and `hold_total` (seconds of holds), which Routine.estimated_seconds reads."""
        # django-stubs' plugin, with disallow_any_generics, reports annotating a name that load_steps() also sets
        # on the instance as a redefinition; both set the same two ints.
        return self.annotate(  # type: ignore[no-redef]
            step_count=Count("steps"), hold_total=Coalesce(Sum("steps__hold_seconds"), 0)
        )


class Routine(OwnedByUser, models.Model):
    """An ordered list of steps. owner=None marks a built-in routine: read-only, copyable."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="routines"
    )
    slug = models.SlugField(max_length=80, blank=True, help_text="Set on built-in routines only.")
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True, validators=[MaxLengthValidator(LONG_TEXT_MAX_LENGTH)])
    archived = models.BooleanField(default=False)
    copied_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RoutineQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["owner", "archived", "name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_builtin(self) -> bool:
        return self.owner_id is None

    @property
    def estimated_seconds(self) -> int:
        """Every hold plus a changeover per step, from the totals set by with_totals() or load_steps()."""
        return estimate_seconds(self.step_count, self.hold_total)

    def has_foot_points(self) -> bool:
        """Whether any step presses a point on the sole (one query)."""
        return self.steps.filter(point__map_view=MapView.SOLES).exists()

    def load_steps(self) -> list["RoutineStep"]:
        """The steps in order with their points (one query); sets the totals that with_totals() annotates."""
        steps = list(self.steps.select_related("point").order_by("position"))
        self.step_count = len(steps)
        self.hold_total = sum(step.hold_seconds for step in steps)
        return steps

    def plan_snapshot(self) -> list[PlanStep]:
        """The steps as a session stores them at its start, so later edits never change a session or history."""
        return [
            plan_step(step.point, step.side, step.hold_seconds)
            for step in self.steps.select_related("point").order_by("position")
        ]

    # Step editing. Every write locks the routine row (select_for_update inside a transaction) so that two tabs
    # editing the same routine take turns, and leaves positions exactly 1..n.

    def _lock(self) -> list["RoutineStep"]:
        """Locks this routine's row and returns its steps in order (call inside transaction.atomic)."""
        Routine.objects.select_for_update().filter(pk=self.pk).values_list("pk", flat=True).get()
        return list(self.steps.order_by("position", "pk"))

    def _write_order(self, steps: list["RoutineStep"]) -> None:
        """Stores `steps` as positions 1..n, touching only rows whose position changes (two UPDATEs at most)."""
        moved = [step for index, step in enumerate(steps, start=1) if step.position != index]
        if not moved:
            return
        RoutineStep.objects.filter(pk__in=[s.pk for s in moved]).update(position=F("position") + _PARK_OFFSET)
        for index, step in enumerate(steps, start=1):
            step.position = index
        RoutineStep.objects.bulk_update(moved, ["position"])

    def add_steps(self, point: "Point", sides: Iterable[str], hold_seconds: int) -> list["RoutineStep"]:
        """Appends one step per side (left then right for "both")."""
        with transaction.atomic():
            steps = self._lock()
            self._write_order(steps)
            new = [
                RoutineStep(routine=self, position=len(steps) + n, point=point, side=side, hold_seconds=hold_seconds)
                for n, side in enumerate(sides, start=1)
            ]
            RoutineStep.objects.bulk_create(new)
            Routine.objects.filter(pk=self.pk).update(updated_at=timezone.now())
        return new

    def remove_step(self, step_id: int) -> "RoutineStep | None":
        """Removes a step and closes the gap; returns the removed step (its pk is then None), or None when the
        step is not (any longer) in this routine."""
        with transaction.atomic():
            steps = self._lock()
            gone = next((s for s in steps if s.pk == step_id), None)
            if gone is None:
                return None
            remaining = [s for s in steps if s.pk != step_id]
            gone.delete()
            self._write_order(remaining)
            Routine.objects.filter(pk=self.pk).update(updated_at=timezone.now())
        return gone

    def change_step(self, step_id: int, side: str, hold_seconds: int) -> "RoutineStep | None":
        """Sets a step's side and hold in place; None when the step is not (any longer) in this routine."""
        with transaction.atomic():
            step = next((s for s in self._lock() if s.pk == step_id), None)
            if step is None:
                return None
            step.side, step.hold_seconds = side, hold_seconds
            step.save(update_fields=["side", "hold_seconds"])
            Routine.objects.filter(pk=self.pk).update(updated_at=timezone.now())
        return step

    def insert_step(self, position: int, point: "Point", side: str, hold_seconds: int) -> "RoutineStep":
        """Puts a step back at `position` (clamped to 1..n+1), moving later steps down: undoes a removal."""
        with transaction.atomic():
            steps = self._lock()
            index = min(max(position, 1), len(steps) + 1) - 1
            # Park the new row past every position, then let _write_order number the whole list 1..n+1.
            step = RoutineStep.objects.create(
                routine=self, position=len(steps) + 1 + _PARK_OFFSET, point=point, side=side, hold_seconds=hold_seconds
            )
            steps.insert(index, step)
            self._write_order(steps)
            Routine.objects.filter(pk=self.pk).update(updated_at=timezone.now())
        return step

    def move_step(self, step_id: int, offset: int) -> "RoutineStep | None":
        """Moves a step up (offset -1) or down (+1); a move past either end leaves it where it is."""
        with transaction.atomic():
            steps = self._lock()
            index = next((i for i, s in enumerate(steps) if s.pk == step_id), None)
            if index is None:
                return None
            step = steps.pop(index)
            steps.insert(min(max(index + offset, 0), len(steps)), step)
            self._write_order(steps)
            Routine.objects.filter(pk=self.pk).update(updated_at=timezone.now())
        return step

    def renumber(self) -> None:
        """Closes any gap in the positions (e.g. after a point's deletion removed some steps)."""
        with transaction.atomic():
            self._write_order(self._lock())

    def copy_for(self, user: User, now: datetime | None = None) -> tuple["Routine", bool]:
        """A copy owned by `user`, with the same steps, remembering where it came from. A built-in routine's copy
        is "My …" and holds each step for the user's default hold (their setting); a user's own routine's copy is
        "Copy of …" with its holds unchanged. Returns (copy, created).

        As with "Start": a double tap, a replayed request or a second tab get the copy of this routine that the user
        made within COPY_REPLAY_WINDOW and has not changed since, instead of a second one. The account lock makes
        parallel posts take turns, so each finds the copy the first one made.
        """
        now = now or timezone.now()
        name = f"Copy of {self.name}" if self.owner_id else f"My {self.name[:1].lower()}{self.name[1:]}"
        default_hold = None if self.owner_id else user.profile.default_hold_seconds
        with transaction.atomic():
            lock_account(user)
            fresh = (
                Routine.objects.owned_by(user)
                .filter(copied_from=self, created_at__gte=now - COPY_REPLAY_WINDOW, updated_at=F("created_at"))
                .order_by("-pk")
                .first()
            )
            if fresh is not None:
                return fresh, False
            copy = Routine.objects.create(
                owner=user,
                name=name[:100],
                description=self.description,
                copied_from=self,
            )
            RoutineStep.objects.bulk_create(
                RoutineStep(
                    routine=copy,
                    position=s.position,
                    point_id=s.point_id,
                    side=s.side,
                    hold_seconds=default_hold or s.hold_seconds,
                )
                for s in self.steps.order_by("position")
            )
            copy._write_order(list(copy.steps.order_by("position")))
            # "Not changed since" is updated_at == created_at: every edit (name, steps) moves updated_at on.
            Routine.objects.filter(pk=copy.pk).update(updated_at=F("created_at"))
        return copy, True


class RoutineStep(models.Model):
    routine = models.ForeignKey(Routine, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveIntegerField()
    point = models.ForeignKey(Point, on_delete=models.CASCADE, related_name="routine_steps")
    side = models.CharField(max_length=5, choices=Side.choices)
    hold_seconds = models.PositiveSmallIntegerField(validators=[MaxValueValidator(HOLD_MAX_SECONDS)])

    class Meta:
        ordering = ["routine", "position"]
        constraints = [
            models.UniqueConstraint(fields=["routine", "position"], name="routine_step_unique_position"),
            models.CheckConstraint(
                # Forms enforce HOLD_MIN_SECONDS (settings.TENDERSPOT_MIN_HOLD_SECONDS); tests may use 1 s holds.
                condition=Q(hold_seconds__gte=1) & Q(hold_seconds__lte=HOLD_MAX_SECONDS),
                name="routine_step_hold_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.label} ({self.hold_seconds} s)"

    @property
    def label(self) -> str:
        """The step's point and side, e.g. "Left heel, inside edge" (reads `point`: select_related it)."""
        return self.point.label(self.side)

    @property
    def in_article_range(self) -> bool:
        return hold_in_article_range(self.hold_seconds)
