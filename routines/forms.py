from decimal import Decimal
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.auth.models import User
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import F

from config.text import PlainTextForm
from routines.catalogue import WORDING
from routines.models import (
    ARTICLE_HOLD_RANGE,
    HOLD_MAX_SECONDS,
    Area,
    MapView,
    Point,
    Routine,
    Side,
    hold_in_article_range,
)

BOTH = "both"
SIDE_CHOICES = [
    (Side.LEFT.value, "Left"),
    (Side.RIGHT.value, "Right"),
    (BOTH, "Both (adds two steps: left, then right)"),
]
SIDE_ERRORS = {"required": "Choose a side: left, right or both.", "invalid_choice": "Choose left, right or both."}
CUSTOM_EVIDENCE_NOTE = (
    "You added this point yourself. Tenderspot has no research about it, so treat what you notice as your own "
    "observation, not proof that it helps."
)

# The same pressure message and cautions as the built-in points (one wording everywhere).
CUSTOM_PRESSURE = WORDING.PRESSURE
CUSTOM_CONTRAINDICATIONS = WORDING.CUSTOM_CONTRAINDICATIONS


ARTICLE_HOLD_HELP = f"The article suggests {ARTICLE_HOLD_RANGE[0]}-{ARTICLE_HOLD_RANGE[1]} seconds."


class SidesMixin:
    """For a form with a `side` field of SIDE_CHOICES: `sides`, the sides its answer stands for ("both" is left
    then right)."""

    cleaned_data: dict[str, Any]

    @property
    def sides(self) -> list[str]:
        side = self.cleaned_data["side"]
        return [Side.LEFT.value, Side.RIGHT.value] if side == BOTH else [side]


def min_hold_seconds() -> int:
    return settings.TENDERSPOT_MIN_HOLD_SECONDS


def hold_error_messages() -> dict[str, str]:
    text = f"Enter a hold between {min_hold_seconds()} and {HOLD_MAX_SECONDS} seconds."
    return {"min_value": text, "max_value": text, "invalid": f"{text} Use whole seconds, for example 45."}


def limit_hold(field: forms.Field) -> None:
    """A hold field takes the configured minimum to HOLD_MAX_SECONDS, with one message for every way to miss."""
    field.error_messages.update(hold_error_messages())
    field.validators = [MinValueValidator(min_hold_seconds()), MaxValueValidator(HOLD_MAX_SECONDS)]
    field.widget.attrs.update({"min": min_hold_seconds(), "max": HOLD_MAX_SECONDS, "inputmode": "numeric"})


def hold_warning(seconds: int | None) -> str:
    """The gentle note shown (not an error) when a hold lies outside the article's 30-60 seconds."""
    if seconds is None or hold_in_article_range(seconds):
        return ""
    low, high = ARTICLE_HOLD_RANGE
    return f"{seconds} seconds is outside the {low}-{high} seconds the article suggests. That is allowed."


class RoutineForm(PlainTextForm, forms.ModelForm):
    class Meta:
        model = Routine
        fields = ["name", "description"]
        labels = {"name": "Name", "description": "Notes (optional)"}
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
        error_messages = {"name": {"required": "Give the routine a name."}}


class PointChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, point: Point) -> str:
        area = point.area.name if point.area else "Other"
        return f"{area}: {point.name}" + ("" if point.is_builtin else " (your point)")


class StepAddForm(SidesMixin, forms.Form):
    """Adds one step (or two, for both sides) to a routine. A blank hold uses the point's own default."""

    point = PointChoiceField(
        queryset=Point.objects.none(),
        empty_label="Choose a point",
        error_messages={
            "required": "Choose a point.",
            "invalid_choice": "Choose one of the points in the list.",
        },
    )
    side = forms.ChoiceField(choices=SIDE_CHOICES, widget=forms.RadioSelect, error_messages=SIDE_ERRORS)
    hold_seconds = forms.IntegerField(label="Hold (seconds)", required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Point]", self.fields["point"]).queryset = (
            Point.objects.visible_to(user)
            .select_related("area")
            .order_by(F("owner").asc(nulls_first=True), "area__order", "order", "name")
        )
        self.default_hold = user.profile.default_hold_seconds
        hold = self.fields["hold_seconds"]
        limit_hold(hold)
        hold.initial = self.default_hold
        hold.help_text = f"{ARTICLE_HOLD_HELP} Left blank, your default hold from Settings ({self.default_hold} s)."

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("hold_seconds") is None and "hold_seconds" not in self.errors:
            data["hold_seconds"] = self.default_hold
        return data


class AddToRoutineForm(SidesMixin, forms.Form):
    """From a point's page: add it to one of the user's routines, or start a new routine with it."""

    routine = forms.ModelChoiceField(
        queryset=Routine.objects.none(),
        required=False,
        empty_label="A new routine with this point",
        label="Add it to",
        error_messages={"invalid_choice": "Choose one of your routines, or a new one."},
    )
    side = forms.ChoiceField(
        choices=SIDE_CHOICES,
        initial=BOTH,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a side: left, right or both.",
            "invalid_choice": "Choose left, right or both.",
        },
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Routine]", self.fields["routine"]).queryset = (
            Routine.objects.owned_by(user).active().order_by("name", "pk")
        )


class StepChangeForm(forms.Form):
    """Changes one step's side and hold in place."""

    side = forms.ChoiceField(
        choices=Side.choices,
        error_messages={"required": "Choose left or right.", "invalid_choice": "Choose left or right."},
    )
    hold_seconds = forms.IntegerField(label="Hold (seconds)")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_hold(self.fields["hold_seconds"])
        self.fields["hold_seconds"].error_messages["required"] = hold_error_messages()["min_value"]


class StepRestoreForm(StepChangeForm):
    """Puts a removed step back ("Undo"): the point (one the user may see), side, hold and position it had."""

    point = forms.ModelChoiceField(queryset=Point.objects.none())
    position = forms.IntegerField(min_value=1, max_value=10_000)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Point]", self.fields["point"]).queryset = Point.objects.visible_to(user)


class CustomPointForm(PlainTextForm, forms.ModelForm):
    area = forms.ModelChoiceField(
        queryset=Area.objects.all(),
        required=False,
        empty_label="Other",
        label="Area",
        help_text="Choose Other if it belongs to none of these.",
    )
    map_x = forms.DecimalField(
        label="Across (0-50)",
        min_value=0,
        max_value=50,
        decimal_places=1,
        initial=Decimal(30),
        help_text="Where the left-side mark sits, from the left edge of the drawing (0) to its middle (50). The "
        "right-side mark is mirrored.",
    )
    map_y = forms.DecimalField(
        label="Down (0-100)",
        min_value=0,
        max_value=100,
        decimal_places=1,
        initial=Decimal(50),
        help_text="From the top of the drawing (0: toes, or the waist) to the bottom (100: heel, or the thighs).",
    )

    class Meta:
        model = Point
        fields = ["name", "area", "location", "default_hold_seconds", "map_view", "map_x", "map_y"]
        labels = {
            "name": "Name",
            "location": "Where it is",
            "default_hold_seconds": "Default hold (seconds)",
            "map_view": "Which drawing of the map",
        }
        widgets = {"location": forms.Textarea(attrs={"rows": 3}), "map_view": forms.RadioSelect}
        error_messages = {"name": {"required": "Give the point a name."}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        hold = self.fields["default_hold_seconds"]
        limit_hold(hold)
        hold.help_text = ARTICLE_HOLD_HELP
        cast(forms.ChoiceField, self.fields["map_view"]).choices = MapView.choices

    def save(self, commit: bool = True, owner: User | None = None) -> Point:
        point: Point = super().save(commit=False)
        if point.pk is None:
            point.owner = owner
            point.slug = Point.custom_slug(point.name)
            point.evidence_note = CUSTOM_EVIDENCE_NOTE
            point.pressure_guidance = CUSTOM_PRESSURE
            point.contraindications = CUSTOM_CONTRAINDICATIONS
        if commit:
            point.save()
        return point
