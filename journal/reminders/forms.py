"""The form that makes a reminder (a calendar feed of practice times)."""

from typing import Any, cast

from django import forms
from django.contrib.auth.models import User
from django.core.validators import MaxValueValidator, MinValueValidator

from journal.lib.keys import OneTimeKey, one_time_key
from journal.models import REMINDER_MAX_MINUTES, Reminder, Weekday
from routines.models import Routine


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

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        routines = Routine.objects.visible_to(user).active()
        cast(forms.ModelChoiceField, self.fields["routine"]).queryset = routines
        self.fields["routine"].required = True
        # A reminder is always for a routine: no blank choice; the one last run comes first.
        cast(forms.ModelChoiceField, self.fields["routine"]).empty_label = None
        last = user.sessions.exclude(routine=None).order_by("-started_at").values_list("routine", flat=True).first()
        if last is not None and routines.filter(pk=last).exists():
            self.fields["routine"].initial = last
        self.fields["duration_minutes"].validators += [MinValueValidator(1), MaxValueValidator(REMINDER_MAX_MINUTES)]
        self.draw_key()

    def clean_weekdays(self) -> list[int]:
        return sorted(set(self.cleaned_data["weekdays"]))

    def save_for(self, user: User, token_hash: str) -> Reminder:
        reminder: Reminder = self.save(commit=False)
        reminder.user = user
        reminder.token_hash = token_hash
        reminder.idempotency_key = self.cleaned_data["key"]
        reminder.save()
        return reminder
