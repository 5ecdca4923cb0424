from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q


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


HOLD_MIN_SECONDS = 10
HOLD_MAX_SECONDS = 180
ARTICLE_HOLD_RANGE = (30, 60)


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


class PointQuerySet(models.QuerySet):
    def builtin(self) -> "PointQuerySet":
        return self.filter(owner__isnull=True)

    def visible_to(self, user) -> "PointQuerySet":
        """The built-in catalogue plus the user's own custom points (nobody else's)."""
        if user is None or not user.is_authenticated:
            return self.builtin()
        return self.filter(Q(owner__isnull=True) | Q(owner=user))

    def in_area(self, area: Area) -> "PointQuerySet":
        """Points listed under an area, including a spot shared with another area."""
        return self.filter(Q(area=area) | Q(also_listed_in=area)).distinct()


class Point(models.Model):
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
    location = models.TextField("Where it is", blank=True)
    how_to_find = models.TextField(blank=True)
    technique = models.TextField(blank=True)
    tool = models.CharField(max_length=120, blank=True, default="Lacrosse ball or tennis ball")
    default_hold_seconds = models.PositiveSmallIntegerField(
        default=45, validators=[MinValueValidator(HOLD_MIN_SECONDS), MaxValueValidator(HOLD_MAX_SECONDS)]
    )
    pressure_guidance = models.TextField(blank=True)
    referral_note = models.TextField("What sources say about referred pain", blank=True)
    evidence_level = models.CharField(max_length=10, choices=EvidenceLevel.choices, default=EvidenceLevel.NONE)
    evidence_note = models.TextField(blank=True)
    contraindications = models.TextField(blank=True)
    map_view = models.CharField(max_length=10, choices=MapView.choices, default=MapView.SOLES)
    # Position of the left-side mark in the map's coordinate system (percent of the view's width/height);
    # the right-side mark is mirrored.
    map_x = models.DecimalField(max_digits=5, decimal_places=2, default=50)
    map_y = models.DecimalField(max_digits=5, decimal_places=2, default=50)
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


class RoutineQuerySet(models.QuerySet):
    def builtin(self) -> "RoutineQuerySet":
        return self.filter(owner__isnull=True)

    def for_user(self, user) -> "RoutineQuerySet":
        """Routines a user may run: the built-in ones and their own."""
        if user is None or not user.is_authenticated:
            return self.builtin()
        return self.filter(Q(owner__isnull=True) | Q(owner=user))

    def owned_by(self, user) -> "RoutineQuerySet":
        return self.filter(owner=user)

    def active(self) -> "RoutineQuerySet":
        return self.filter(archived=False)


class Routine(models.Model):
    """An ordered list of steps. owner=None marks a built-in routine: read-only, copyable."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="routines"
    )
    slug = models.SlugField(max_length=80, blank=True, help_text="Set on built-in routines only.")
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
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

    def can_edit(self, user) -> bool:
        return self.owner_id is not None and self.owner_id == getattr(user, "pk", None)


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
        return f"{self.position}. {self.point.label(self.side)} ({self.hold_seconds} s)"
