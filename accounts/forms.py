import zoneinfo

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.core.validators import MaxLengthValidator

from accounts.models import PrecautionProfile, Profile

User = get_user_model()


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class SignUpForm(UserCreationForm):
    email = forms.EmailField(required=False, help_text="Optional. Only used to reset a forgotten password.")
    time_zone = forms.ChoiceField(
        choices=time_zone_choices,
        initial="UTC",
        help_text="Your days, streaks and trends follow this time zone.",
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ["username", "email"]

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("That username is taken. Please choose another.")
        return username

    def save(self, commit: bool = True):
        user = super().save(commit=commit)
        if commit:
            Profile.objects.filter(user=user).update(time_zone=self.cleaned_data["time_zone"])
        return user


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(choices=time_zone_choices)

    class Meta:
        model = Profile
        fields = ["time_zone", "default_hold_seconds", "lead_in_seconds", "sound_on"]
        labels = {
            "default_hold_seconds": "Default hold (seconds)",
            "lead_in_seconds": "Lead-in before each hold (seconds)",
        }
        help_texts = {
            "default_hold_seconds": "The article suggests 30 to 60 seconds. Allowed: 10 to 180.",
            "lead_in_seconds": "Time to settle onto the ball before the countdown starts (0 to 30).",
        }


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="This erases your account and every session, release, routine and share link. It cannot be undone.",
    )

    def __init__(self, user, *args, **kwargs) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That password is not right.")
        return password


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That username and password do not match. Both are case-sensitive.",
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Django sets the username's max_length after the field is built, so no validator enforces it: a huge
        # username would reach authenticate() and the failed-login record (a 255-character column).
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


class PrecautionForm(forms.ModelForm):
    """The precaution profile: every answer optional. A start date in the future is refused."""

    class Meta:
        model = PrecautionProfile
        fields = [
            "diabetes",
            "reduced_foot_feeling",
            "foot_ulcer",
            "blood_thinners",
            "bleeding_disorder",
            "past_cancer",
            "osteoporosis",
            "long_term_steroids",
            "recent_surgery",
            "pregnant",
            "painful_leg",
            "episode_started",
            "clinician_assessed",
        ]
        widgets = {
            "painful_leg": forms.RadioSelect,
            "clinician_assessed": forms.RadioSelect,
            "episode_started": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        error_messages = {"episode_started": {"invalid": "Enter a date such as 2026-03-01."}}

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        for name in ("painful_leg", "clinician_assessed"):
            self.fields[name].choices = [("", "Rather not say"), *list(self.fields[name].choices)[1:]]

    def clean_episode_started(self):
        value = self.cleaned_data.get("episode_started")
        if value and self.today and value > self.today:
            raise forms.ValidationError("The start of this episode cannot be in the future.")
        return value
