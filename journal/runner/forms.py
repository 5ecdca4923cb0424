"""Forms of the session runner. The 0-10 scales render as rows of large radio buttons (runner_scale.html)."""

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, cast

from django import forms
from django.contrib.auth.models import AnonymousUser, User
from django.forms import BoundField

from accounts.models import PrecautionProfile
from config.text import PlainTextForm
from journal.lib.keys import OneTimeKey, one_time_key
from journal.models import (
    LIGHT_PRESSURE_HINT,
    NOTES_MAX_LENGTH,
    PRESSURE_CEILING,
    PRESSURE_SCALE_HINT,
    RELEASE_MAX_SECONDS,
    ReleaseAnswerValues,
    Session,
)
from journal.redflags import EMERGENCY_ITEMS, TODAY_ITEMS, RedFlag
from routines.models import HOLD_MAX_SECONDS, Point, Side

SCALE_ERROR = "Choose a number from 0 to 10."
ZERO_TO_TEN = [(n, str(n)) for n in range(11)]
YES_NO = [("yes", "Yes"), ("no", "No")]

PRESSURE_ANCHORS = {0: "none", 3: "light", 5: "moderate", 7: "strong"}
PAIN_ANCHORS = {0: "no pain", 10: "worst pain imaginable"}


class ButtonRadios(forms.RadioSelect):
    """Radio inputs drawn as large buttons (Bootstrap's btn-check); `anchors` add words to some choices."""

    def __init__(self, anchors: dict[int, str] | None = None, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"class": "btn-check", **(attrs or {})})
        self.anchors = anchors or {}

    def create_option(
        self,
        name: str,
        value: Any,  # Django passes each choice's value as it was declared, of any type
        label: int | str,
        selected: bool,
        index: int,
        subindex: int | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["anchor"] = self.anchors.get(value, "")
        return option


class ScaleField(forms.TypedChoiceField):
    """A 0-10 answer: a row of large radio buttons. `anchors` label some numbers; `hint` is shown with the legend."""

    def __init__(
        self,
        *,
        anchors: dict[int, str],
        hint: str = "",
        warn_above: int | None = None,
        warning: str = "",
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("error_messages", {"invalid_choice": SCALE_ERROR, "required": SCALE_ERROR})
        super().__init__(choices=ZERO_TO_TEN, coerce=int, empty_value=None, widget=ButtonRadios(anchors), **kwargs)
        self.anchors = anchors
        self.hint = hint
        # `warning` shows under the row as soon as a number above `warn_above` is chosen (CSS :has, no script),
        # before the form is sent; the server still answers an adverse response after saving.
        self.warn_above = warn_above
        self.warning = warning


LEG_PAIN_HINT = (
    "Your usual leg pain: the sciatica in your leg, not the spot under the ball. 0 means no pain, 10 the worst pain "
    "you can imagine."
)
BACK_PAIN_HINT = "0 means no pain, 10 the worst pain you can imagine."


def pain_field(label: str, required: bool = False, hint: str = LEG_PAIN_HINT) -> ScaleField:
    """A 0-10 NRS question; by default about the usual leg pain (journal.models.LEG_PAIN_*)."""
    return ScaleField(label=label, required=required, anchors=PAIN_ANCHORS, hint=hint)


def back_pain_field(label: str) -> ScaleField:
    return pain_field(label, hint=BACK_PAIN_HINT)


def pressure_field() -> ScaleField:
    return ScaleField(
        label="How strong was the pressure?",
        anchors=PRESSURE_ANCHORS,
        hint=PRESSURE_SCALE_HINT,
        warn_above=PRESSURE_CEILING,
        warning=PRESSURE_WARNING,
    )


PRESSURE_WARNING = (
    f"That is above {PRESSURE_CEILING}, the ceiling. Ease off: more pressure adds risk, not benefit, and it can "
    "bruise the tissue or irritate a nerve. If this was the pressure you used, log it as it was."
)


def notes_field() -> forms.CharField:
    return forms.CharField(
        label="Notes",
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": NOTES_MAX_LENGTH}),
        help_text=f"Optional, up to {NOTES_MAX_LENGTH:,} characters.",
    )


def yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


YES_UNSURE_NO = [("yes", "Yes"), ("unsure", "Not sure"), ("no", "No")]
REPORTED = {"yes", "unsure"}  # "Not sure" about an emergency sign counts as yes
CHECK_INCOMPLETE = "Answer each question below, or tick “None of these apply to me”."


def red_flag_field_name(item: RedFlag) -> str:
    return f"rf_{item.value}"


class RedFlagCheck(forms.Form):
    """The red-flag check: one question per warning sign (journal.redflags), in two groups by urgency, and one
    "none of these" box for the usual day when nothing applies. Never one compound question.

    Valid when every sign is answered or the box is ticked. A sign answered "yes" (or "not sure", for an emergency
    sign) is reported even when the box is ticked too: a contradiction counts the safer way.
    """

    none_apply = forms.BooleanField(label="None of these apply to me", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for items, choices in ((EMERGENCY_ITEMS, YES_UNSURE_NO), (TODAY_ITEMS, YES_NO)):
            for item in items:
                self.fields[red_flag_field_name(item)] = forms.ChoiceField(
                    label=item.label, choices=choices, required=False, widget=ButtonRadios()
                )

    def red_flag_fields(self, items: Iterable[RedFlag]) -> list[BoundField]:
        return [self[red_flag_field_name(item)] for item in items]

    @property
    def emergency_fields(self) -> list[BoundField]:
        return self.red_flag_fields(EMERGENCY_ITEMS)

    @property
    def today_fields(self) -> list[BoundField]:
        return self.red_flag_fields(TODAY_ITEMS)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        answered = [data.get(red_flag_field_name(item)) for item in (*EMERGENCY_ITEMS, *TODAY_ITEMS)]
        if not data.get("none_apply") and not any(a in REPORTED for a in answered) and not all(answered):
            raise forms.ValidationError(CHECK_INCOMPLETE, code="check_incomplete")
        return data

    @property
    def reported_red_flags(self) -> list[str]:
        """The RedFlag codes answered "yes" or "not sure", in the order asked (empty: nothing applies)."""
        return [
            item.value
            for item in (*EMERGENCY_ITEMS, *TODAY_ITEMS)
            if self.cleaned_data.get(red_flag_field_name(item)) in REPORTED
        ]


class SafetyCheckForm(RedFlagCheck):
    pain_before = pain_field("How bad is your leg pain right now?")
    back_pain_before = back_pain_field("And your back pain right now?")

    field_order = ["pain_before", "back_pain_before"]


class StepForm(forms.Form):
    """Names one step of a session; rejects a step the session does not have."""

    position = forms.IntegerField(
        widget=forms.HiddenInput, min_value=1, error_messages={"required": "Which step is this? Reload the page."}
    )

    def __init__(self, *args: Any, session: Session, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.session = session

    def clean_position(self) -> int:
        position: int = self.cleaned_data["position"]
        if self.session.step(position) is None:
            raise forms.ValidationError("That step is not part of this session. Reload the page to carry on.")
        return position


class ReleaseAnswers:
    """What a logged release stores from the form, as `Session.log_release` and `quick_log` take it."""

    answer_fields: tuple[str, ...] = ("pressure", "pain_now", "notes")
    cleaned_data: dict[str, Any]  # a mixin of forms: Django's form sets it

    def release_answers(self) -> ReleaseAnswerValues:
        data = self.cleaned_data
        # `answer_fields` name keys of ReleaseAnswerValues, each a form field of the same type.
        return cast(
            ReleaseAnswerValues, {"tender": yes_no(data["tender"]), **{name: data[name] for name in self.answer_fields}}
        )


class PhoneClockField(forms.Field):
    """A hidden phone clock (ms since 1970): an int, or None when absent or unusable (not a whole number, negative,
    above 2**53). A wrong clock never refuses the entry it comes with: the server's time stands in."""

    widget = forms.HiddenInput

    def __init__(self) -> None:
        super().__init__(required=False)

    def to_python(self, value: Any) -> int | None:
        try:
            ms = int(str(value).strip())
        except (TypeError, ValueError):
            return None
        return ms if 0 <= ms <= 2**53 else None


class ReleaseForm(PlainTextForm, ReleaseAnswers, StepForm):
    tender = forms.ChoiceField(
        label="Did you find a tender spot?",
        choices=YES_NO,
        widget=ButtonRadios(),
        error_messages={"required": "Please answer yes or no."},
    )
    pressure = pressure_field()
    pain_now = pain_field("How bad is your leg pain now, after the hold?", required=True)
    held_seconds = forms.IntegerField(
        label="Seconds held",
        min_value=0,
        max_value=RELEASE_MAX_SECONDS,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    stopped_early = forms.BooleanField(label="I stopped early because it hurt", required=False)
    notes = notes_field()
    # Set by the outbox (static/js/outbox.js): the phone's clock, in ms since 1970, when the user logged the step.
    phone_time = PhoneClockField()

    # Set by the timer (static/js/timer.js): the phone's clock, in ms since 1970, when this step's hold started.
    hold_started_time = PhoneClockField()

    answer_fields = ("pressure", "pain_now", "stopped_early", "notes")

    def ask_light_pressure(self) -> None:
        """Blood thinners or a bleeding disorder (PrecautionProfile.light_pressure_only): the pressure question asks
        for light pressure, as the quick log and the correction form do, instead of the general scale."""
        cast(ScaleField, self.fields["pressure"]).hint = LIGHT_PRESSURE_HINT

    def _phone_clock(self, name: str) -> datetime | None:
        ms = self.cleaned_data.get(name)
        if ms is None:
            return None
        try:
            return datetime.fromtimestamp(ms / 1000, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None

    def logged_at(self) -> datetime | None:
        """The phone's time of the log as an aware datetime (None when the post carries none)."""
        return self._phone_clock("phone_time")

    def hold_started_at(self) -> datetime | None:
        """The phone's time of the hold's start as an aware datetime (None when the post carries none)."""
        return self._phone_clock("hold_started_time")


class FinishForm(PlainTextForm, forms.Form):
    pain_after = pain_field("How bad is your leg pain now, at the end?")
    back_pain_after = back_pain_field("And your back pain now?")
    notes = notes_field()


class QuickLogForm(PlainTextForm, OneTimeKey, ReleaseAnswers, RedFlagCheck):
    # A one-time key made when the form is drawn: a replay of the same form finds the session it made.
    key = one_time_key("Save")
    point = forms.ModelChoiceField(label="Point", queryset=Point.objects.none(), empty_label="Choose a point")
    side = forms.ChoiceField(label="Side", choices=Side.choices, widget=ButtonRadios())
    held_seconds = forms.IntegerField(
        label="About how many seconds did you hold it?",
        min_value=1,
        max_value=HOLD_MAX_SECONDS,
        required=False,
        help_text="Leave it empty if you did not time it: the release is then logged as not timed.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    tender = forms.ChoiceField(
        label="Did you find a tender spot?", choices=YES_NO, widget=ButtonRadios(), required=False
    )
    pressure = pressure_field()
    pain_now = pain_field("How bad is your leg pain now, after the hold?", required=True)
    notes = notes_field()

    def __init__(self, *args: Any, user: User | AnonymousUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Point]", self.fields["point"]).queryset = Point.objects.visible_to(user).order_by(
            "order", "name"
        )
        if user.is_authenticated and PrecautionProfile.for_user(user).light_pressure_only:
            # Blood thinners or a bleeding disorder: the pressure question asks for light pressure, as the runner does.
            cast(ScaleField, self.fields["pressure"]).hint = LIGHT_PRESSURE_HINT
        self.draw_key()
