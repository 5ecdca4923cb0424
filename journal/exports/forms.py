"""What the person adds to their practitioner report: a name and questions (kept on their profile)."""

from django import forms

from accounts.models import REPORT_QUESTIONS_MAX_LENGTH, Profile
from config.text import PlainTextForm


class ReportDetailsForm(PlainTextForm, forms.ModelForm):
    """What the person adds to their practitioner report (the PDF and the share page): a name and questions."""

    class Meta:
        model = Profile
        fields = ["report_name", "report_questions"]
        help_texts = {
            "report_name": "Optional. Printed at the top of the report, so that it can be filed.",
            "report_questions": (
                f"Optional, up to {REPORT_QUESTIONS_MAX_LENGTH} characters. Shown on page one of the PDF and on the "
                "page your share links open, and nowhere else."
            ),
        }
        widgets = {
            "report_questions": forms.Textarea(attrs={"rows": 3, "maxlength": REPORT_QUESTIONS_MAX_LENGTH}),
        }
