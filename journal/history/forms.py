"""Forms of the journal history: the session list filter and in-place edits of sessions and releases."""

from datetime import datetime, timedelta
from typing import Any, cast

from django import forms
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from config.text import PlainTextForm
from journal.lib.forms import DateRangeForm
from journal.models import (
    HOLD_MARGIN_SECONDS,
    LIGHT_PRESSURE_HINT,
    PHONE_CLOCK_SKEW,
    PRESSURE_SCALE_HINT,
    RELEASE_MAX_SECONDS,
    Release,
    Session,
    whole_seconds_between,
)
from journal.runner.forms import notes_field
from journal.storable import YEAR_MAX, YEAR_MIN, year_in_range
from routines.forms import ARTICLE_HOLD_HELP
from routines.models import Routine, Side

PAIN_HELP = "Your usual leg pain (the sciatica, not the pressed spot): 0 = no pain, 10 = worst pain imaginable."
PRESSURE_HELP = PRESSURE_SCALE_HINT
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local", "step": "60"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


def score_field(label: str, help_text: str) -> forms.IntegerField:
    """An optional 0-10 score typed as a number (the runner draws the same scales as buttons)."""
    return forms.IntegerField(label=label, required=False, min_value=0, max_value=10, help_text=help_text)


class SessionFilterForm(DateRangeForm):
    """GET filter of the session list: a local date range and a routine."""

    routine = forms.ModelChoiceField(
        label="Routine",
        queryset=Routine.objects.none(),
        required=False,
        empty_label="All routines",
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelChoiceField[Routine]", self.fields["routine"])
        field.queryset = Routine.objects.visible_to(user).order_by("name", "pk")


RED_FLAG_AFTER_ASSESSMENT = (
    "This session reported a red flag that you later confirmed a clinician had assessed: it cannot move to after "
    "that confirmation. Log a new session instead, and answer the safety check again."
)
RELEASES_OUT_OF_RANGE = (
    f"This start would move the times of the releases logged in this session outside the years {YEAR_MIN} to "
    f"{YEAR_MAX}, or past the present moment, so nothing was saved. Check the date."
)

RUNNING_TIMES = "Finish or leave the session first: the times of a session still running cannot be changed."
SHORTER_THAN_HELD = (
    "The releases of this session hold {seconds} seconds in all: its finish must be at least {seconds} seconds "
    "after its start. Check the times, or correct the releases first."
)


SESSION_FORM_FIELDS = ["started_at", "finished_at", "pain_before", "pain_after", "notes"]


class SessionForm(PlainTextForm, forms.ModelForm):
    """Edit a logged session. Changing the start time moves the session to that local date, and its releases'
    times by the same amount: a release never ends before its session starts (FHIR per-1 in the export)."""

    started_at = forms.DateTimeField(label="Started", widget=DATETIME_INPUT, input_formats=DATETIME_FORMATS)
    finished_at = forms.DateTimeField(
        label="Finished", required=False, widget=DATETIME_INPUT, input_formats=DATETIME_FORMATS
    )
    pain_before = score_field("Leg pain before the session (0-10)", PAIN_HELP)
    pain_after = score_field("Leg pain at the end of the session (0-10)", PAIN_HELP)
    notes = notes_field()

    class Meta:
        model = Session
        fields = SESSION_FORM_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.original_start = self.instance.started_at
        if self.instance.pk is not None and self.instance.is_open:
            # The runner bounds each step's held seconds by the time since the start: a start moved back while it
            # runs would let its steps claim hours it never lasted. Disabled fields keep the stored times, whatever
            # is posted.
            for name in ("started_at", "finished_at"):
                self.fields[name].disabled = True
                self.fields[name].help_text = RUNNING_TIMES

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if self.fields["started_at"].disabled:  # running: the stored times, to the microsecond the form drops
            data["started_at"], data["finished_at"] = self.instance.started_at, self.instance.finished_at
        started, finished = data.get("started_at"), data.get("finished_at")
        if finished is None and self.instance.finished_at is not None and not self.instance.is_open:
            # Cleared, an ended session's length would run to its last activity, which the start does not move.
            self.add_error("finished_at", "A session that ended keeps a finish time: change it rather than clear it.")
        if started and finished and finished < started:
            self.add_error("finished_at", "The finish must come after the start.")
        elif started and finished and self.instance.pk is not None:
            # Its releases never claim more held seconds than the session lasted. (With no finish time the
            # releases move with the start, so what they claim stays within the span they had.) Only an edit that
            # shortens it is checked: a session stored shorter than its holds (a quick log of before) keeps its
            # other fields editable.
            length = whole_seconds_between(started, finished)
            stored = self.instance.finished_at
            if stored is None or length < whole_seconds_between(self.original_start, stored):
                claimed = self.instance.held_seconds_claimed()
                if length < claimed:
                    self.add_error("finished_at", SHORTER_THAN_HELD.format(seconds=claimed))
        if started and finished and finished - started > timedelta(hours=12):
            self.add_error("finished_at", "A session longer than 12 hours is not likely: check the times.")
        if started and not self._releases_stay_storable(started):
            self.add_error("started_at", RELEASES_OUT_OF_RANGE)
        assessed = self.instance.red_flag_assessed_at
        if started and assessed and started > assessed:
            # The report says "assessed by a clinician by <date>" under the red flag: an assessment cannot come
            # before the sign it followed up.
            self.add_error("started_at", RED_FLAG_AFTER_ASSESSMENT)
        return data

    def _releases_stay_storable(self, started: datetime) -> bool:
        """Whether the releases' times, moved with the start (see save), stay in YEAR_MIN..YEAR_MAX (a release
        pushed past them could not be stored by every database, nor restored from a backup) and, moved later, not
        past now (one aggregate)."""
        if self.instance.pk is None or not self.original_start or started == self.original_start:
            return True
        delta = started - self.original_start
        times = self.instance.releases.aggregate(
            *(agg(name) for name in ("started_at", "ended_at", "logged_at") for agg in (Min, Max))
        )
        try:
            moved = [value + delta for value in times.values() if value is not None]
            # Nor moved past now: a release cannot have ended in the future.
            ended = times["ended_at__max"]
            return all(year_in_range(value) for value in moved) and (
                delta <= timedelta(0) or ended is None or ended + delta <= timezone.now() + PHONE_CLOCK_SKEW
            )
        except OverflowError:
            return False

    def save(self, commit: bool = True) -> Session:
        session: Session = super().save(commit=False)
        session.local_date = session.user.profile.local_date(session.started_at)
        if commit:
            with transaction.atomic():
                # Its own fields only: the status, the red flag and the hold record are the runner's.
                session.save(update_fields=[*SESSION_FORM_FIELDS, "local_date"])
                if self.original_start:
                    session.releases.shift(session.started_at - self.original_start)
        return session


HELD_OVER_BOUND = (
    "At most {most} seconds: a step holds no longer than its planned hold plus "
    f"{HOLD_MARGIN_SECONDS} seconds, and a session's releases no longer than it lasted (the seconds the other "
    "releases hold count against it)."
)
TENDER_CHOICES = [("", "Not answered"), ("true", "Yes, a tender spot"), ("false", "No tender spot")]


class ReleaseEditForm(PlainTextForm, forms.ModelForm):
    """Edit one logged release."""

    side = forms.ChoiceField(label="Side", choices=Side.choices)
    held_seconds = forms.IntegerField(
        label="Held (seconds)",
        min_value=0,
        max_value=RELEASE_MAX_SECONDS,
        required=False,
        help_text=f"{ARTICLE_HOLD_HELP} Empty: not timed.",
    )
    tender = forms.TypedChoiceField(
        label="Tender spot found",
        required=False,
        choices=TENDER_CHOICES,
        coerce=lambda v: {"true": True, "false": False}.get(v),
        empty_value=None,
    )
    pressure = score_field("Pressure (0-10)", PRESSURE_HELP)
    pain_now = score_field("Leg pain after the hold (0-10)", PAIN_HELP)
    notes = notes_field()

    class Meta:
        model = Release
        fields = ["side", "held_seconds", "tender", "pressure", "pain_now", "stopped_early", "skipped", "notes"]

    def __init__(self, *args: Any, light_pressure: bool = False, **kwargs: Any) -> None:
        """`light_pressure`: the user's health answers call for light pressure only (blood thinners or a bleeding
        disorder); the pressure question says so instead of the general scale."""
        super().__init__(*args, **kwargs)
        if light_pressure:
            self.fields["pressure"].help_text = LIGHT_PRESSURE_HINT
        if self.instance.pk:
            self.initial["tender"] = {True: "true", False: "false", None: ""}[self.instance.tender]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("skipped") and data.get("held_seconds"):
            self.add_error("held_seconds", "A skipped step has no hold: set 0 seconds or untick “Skipped”.")
        elif data.get("skipped") and "held_seconds" in data:
            data["held_seconds"] = 0  # a skipped step holds 0 seconds, not "not timed"
        elif data.get("held_seconds"):
            self._check_held_bound(data["held_seconds"])
        return data

    def _check_held_bound(self, held: int) -> None:
        """A correction claims no more than the runner would store: the step's prescribed hold plus
        HOLD_MARGIN_SECONDS, and the room the session leaves (its length, less the other releases' held seconds:
        `Session.room_to_hold`). A skipped step may become a held one within the same bounds. Figures stored before
        these bounds (or by a runner's clock) stay as they are unless raised."""
        release: Release = self.instance
        stored = 0 if release.skipped else (release.held_seconds or 0)
        if held <= stored:
            return
        if release.session.idempotency_key is not None:
            # A quick log's session lasts its one hold (it is moved to, on save): only the hold's own bound applies.
            most = release.prescribed_seconds + HOLD_MARGIN_SECONDS
        else:
            most = min(
                release.prescribed_seconds + HOLD_MARGIN_SECONDS, release.session.room_to_hold(excluding=release)
            )
        if held > most:
            self.add_error("held_seconds", HELD_OVER_BOUND.format(most=max(most, stored)))

    def save(self, commit: bool = True) -> Release:
        release: Release = super().save(commit=commit)
        session = release.session
        if commit and session.idempotency_key is not None and session.finished_at is not None:
            # A quick log lasts the hold it logs (SessionQuerySet.quick_log): a corrected hold moves its start, so
            # the session never holds more than it lasted, and not timed (None) has no length.
            held = timedelta(seconds=release.held_seconds or 0)
            started = session.finished_at - held
            local_date = session.user.profile.local_date(started)
            Session.objects.filter(pk=session.pk).update(started_at=started, local_date=local_date)
            session.started_at, session.local_date = started, local_date
            end = release.ended_at or session.finished_at
            Release.objects.filter(pk=release.pk).update(started_at=end - held if release.held_seconds else None)
        return release
