"""The form that makes a share link."""

from datetime import timedelta
from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.utils import timezone

from config.text import PlainTextForm
from journal.lib.daterange import require_bounds, require_order
from journal.lib.forms import DATE_INPUT
from journal.lib.keys import OneTimeKey, one_time_key
from journal.models import ShareLink

EXPIRY_CHOICES = [(1, "1 day"), (7, "7 days"), (30, "30 days"), (90, "90 days")]


class ShareLinkForm(PlainTextForm, OneTimeKey, forms.ModelForm):
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.draw_key()

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        for name in ("start_date", "end_date"):
            try:
                require_bounds(data.get(name), forms.ValidationError)
            except forms.ValidationError as error:
                self.add_error(name, error)
        require_order(data.get("start_date"), data.get("end_date"), forms.ValidationError)
        return data

    def save_for(self, user: User, token_hash: str) -> ShareLink:
        link: ShareLink = self.save(commit=False)
        link.user = user
        link.token_hash = token_hash
        link.idempotency_key = self.cleaned_data["key"]
        link.expires_at = timezone.now() + timedelta(days=self.cleaned_data["expires_in_days"])
        link.save()
        return link
