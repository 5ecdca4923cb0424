"""Form pieces every date-range form shares: a date field within the bounds every date query accepts, and an
optional range in order."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from journal.lib.daterange import require_bounds, require_order

DATE_ERRORS = {"invalid": "Enter a real date as YYYY-MM-DD, for example 2026-03-01."}
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def date_field(label: str) -> forms.DateField:
    """An optional local date within the bounds every date query shares (journal.lib.daterange)."""
    return forms.DateField(
        label=label,
        required=False,
        widget=DATE_INPUT,
        error_messages=DATE_ERRORS,
        validators=[lambda day: require_bounds(day, ValidationError)],
    )


class DateRangeForm(forms.Form):
    """An optional local date range (`start`, `end`), in order: the exports page, and the session list's filter."""

    start = date_field("From")
    end = date_field("To")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        require_order(data.get("start"), data.get("end"), ValidationError)
        return data
