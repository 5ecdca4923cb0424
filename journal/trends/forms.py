"""The trends page's period, baseline and sort order."""

from datetime import date, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from journal.lib.daterange import require_order
from journal.lib.forms import date_field

DEFAULT_RANGE = "90"  # days, when no period is chosen
RANGE_CHOICES = [
    ("30", "Last 30 days"),
    ("90", "Last 90 days"),
    ("365", "Last year"),
    ("all", "All time"),
    ("custom", "Custom"),
]


# The per-point table's sort orders: (value, the words on its button).
SORT_CHOICES = [
    ("point", "Point"),
    ("releases", "Releases"),
    ("tender", "How often tender"),
    ("pressure", "Mean pressure"),
]


class TrendsRangeForm(forms.Form):
    """GET form of the trends page: a range (30, 90, 365 days, all or custom), an optional baseline period and
    the sort order of the per-point table."""

    range = forms.ChoiceField(label="Period", choices=RANGE_CHOICES, required=False)
    start = date_field("From")
    end = date_field("To")
    baseline_start = date_field("Baseline from")
    baseline_end = date_field("Baseline to")
    sort = forms.ChoiceField(
        label="Sort points by",
        required=False,
        choices=SORT_CHOICES,
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("range") == "custom" and not (data.get("start") or data.get("end")):
            raise ValidationError("For a custom period, give a start date, an end date or both.")
        require_order(data.get("start"), data.get("end"), ValidationError)
        b_start, b_end = data.get("baseline_start"), data.get("baseline_end")
        if bool(b_start) != bool(b_end):
            raise ValidationError("A baseline period needs both a start and an end date.")
        require_order(b_start, b_end, ValidationError, "The baseline must start on or before its end.")
        return data

    def choice(self) -> str:
        """The period chosen, as the buttons name it: dates without a range are a custom period."""
        data = self.cleaned_data
        if data.get("range"):
            return str(data["range"])
        return "custom" if data.get("start") or data.get("end") else DEFAULT_RANGE

    def period(self, today: date) -> tuple[date | None, date]:
        """(start, end) local dates for a valid form; start None means all history."""
        data = self.cleaned_data
        choice = self.choice()
        if choice == "custom":
            return data.get("start"), data.get("end") or today
        if choice == "all":
            return None, today
        return today - timedelta(days=int(choice) - 1), today

    def baseline(self) -> tuple[date, date] | None:
        data = self.cleaned_data
        if data.get("baseline_start") and data.get("baseline_end"):
            return data["baseline_start"], data["baseline_end"]
        return None
