"""Forms for share links and reminders."""

from datetime import timedelta

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone

from journal.exporters.daterange import require_bounds, require_order
from journal.forms.history import DATE_INPUT
from journal.forms.keys import OneTimeKey, one_time_key
from journal.models import REMINDER_MAX_MINUTES, Reminder, ShareLink, Weekday
from routines.models import Routine

EXPIRY_CHOICES = [(1, "1 day"), (7, "7 days"), (30, "30 days"), (90, "90 days")]


class ShareLinkForm(OneTimeKey, forms.ModelForm):
    key = one_time_key("Make the link")
    expires_in_days = forms.TypedChoiceField(label="Link works for", choices=EXPIRY_CHOICES, coerce=int, initial=30)

    class Meta:
        model = ShareLink
        fields = ["label", "start_date", "end_date"]
        labels = {"label": "Who is it for?", "start_date": "From", "end_date": "To"}
        help_texts = {
            "label": "For example “Physio, March”. Only you see this.",
            "start_date": "Leave both dates empty to share your whole log.",
        }
        widgets = {"start_date": DATE_INPUT, "end_date": DATE_INPUT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.draw_key()

    def clean(self):
        data = super().clean()
        for name in ("start_date", "end_date"):
            try:
                require_bounds(data.get(name), forms.ValidationError)
            except forms.ValidationError as error:
                self.add_error(name, error)
        require_order(data.get("start_date"), data.get("end_date"), forms.ValidationError)
        return data

    def save_for(self, user, token_hash: str) -> ShareLink:
        link = self.save(commit=False)
        link.user = user
        link.token_hash = token_hash
        link.idempotency_key = self.cleaned_data["key"]
        link.expires_at = timezone.now() + timedelta(days=self.cleaned_data["expires_in_days"])
        link.save()
        return link


class ReminderForm(OneTimeKey, forms.ModelForm):
    key = one_time_key("Make the reminder")
    weekdays = forms.TypedMultipleChoiceField(
        label="Days", choices=Weekday.choices, coerce=int, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Reminder
        fields = ["routine", "weekdays", "time_of_day", "duration_minutes"]
        labels = {"time_of_day": "Time", "duration_minutes": "Length (minutes)"}
        widgets = {"time_of_day": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        routines = Routine.objects.for_user(user).active()
        self.fields["routine"].queryset = routines
        self.fields["routine"].required = True
        # A reminder is always for a routine: no blank choice; the one last run comes first.
        self.fields["routine"].empty_label = None
        last = user.sessions.exclude(routine=None).order_by("-started_at").values_list("routine", flat=True).first()
        if last is not None and routines.filter(pk=last).exists():
            self.fields["routine"].initial = last
        self.fields["duration_minutes"].validators += [MinValueValidator(1), MaxValueValidator(REMINDER_MAX_MINUTES)]
        self.draw_key()

    def clean_weekdays(self):
        return sorted(set(self.cleaned_data["weekdays"]))

    def save_for(self, user, token_hash: str) -> Reminder:
        reminder = self.save(commit=False)
        reminder.user = user
        reminder.token_hash = token_hash
        reminder.idempotency_key = self.cleaned_data["key"]
        reminder.save()
        return reminder
