from collections.abc import Iterable
from datetime import date
from typing import Any, cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm, UserCreationForm
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.core.mail import EmailMultiAlternatives
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.template import loader

from accounts.care import CareRegion
from accounts.models import PrecautionProfile, Profile
from accounts.security import deliver_later
from accounts.timezones import region_of, zone_choices
from config.text import PlainTextForm

USERNAME_TAKEN = "That username is taken. Please choose another."


class SignUpForm(PlainTextForm, UserCreationForm[User]):
    email = forms.EmailField(required=False, help_text="Optional. Only used to reset a forgotten password.")
    time_zone = forms.ChoiceField(
        choices=zone_choices,
        initial="UTC",
        help_text="Your days and trends follow this time zone. We start from your device's; change it if it is wrong.",
        # static/js/timezone.js selects the browser's zone and lists its region first.
        widget=forms.Select(attrs={"data-detect-time-zone": ""}),
    )
    care_region = forms.ChoiceField(
        label="Where you live (for emergency numbers)",
        choices=[("", "Work it out from my time zone"), *CareRegion.choices],
        required=False,
        help_text="The safety advice shows this country's emergency numbers. You can change it in Settings.",
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(USERNAME_TAKEN)
        return username

    def save(self, commit: bool = True) -> User:
        """The new user and its profile, in one transaction. Raises IntegrityError when a sign-up at the same moment
        took the username (in any case: accounts' migration 0007 makes it unique in the database)."""
        with transaction.atomic():
            user = super().save(commit=commit)
            if commit:
                Profile.objects.filter(user=user).update(
                    time_zone=self.cleaned_data["time_zone"], care_region=self.cleaned_data["care_region"]
                )
        return user


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField()

    class Meta:
        model = Profile
        fields = [
            "time_zone",
            "care_region",
            "default_hold_seconds",
            "lead_in_seconds",
            "sound_on",
            "auto_start_next",
            "spoken_cues",
        ]
        labels = {
            "default_hold_seconds": "Default hold (seconds)",
            "lead_in_seconds": "Lead-in before each hold (seconds)",
        }
        help_texts = {
            "care_region": "The safety advice shows the emergency numbers of this country.",
            "default_hold_seconds": "Used for new steps and for routines you copy from the built-in ones. The "
            "article suggests 30 to 60 seconds. Allowed: 10 to 180.",
            "lead_in_seconds": "Time to settle onto the ball before the countdown starts (0 to 30).",
            "auto_start_next": "After you log a release, the next step's lead-in begins without a tap.",
            "spoken_cues": "Your phone says, for example, “Left glute, top: hold” and “done”. Needs the tone to be on; "
            "works offline with the phone's own voice.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zone = self.instance.time_zone
        cast(forms.ChoiceField, self.fields["time_zone"]).choices = zone_choices(
            first_region=region_of(zone), keep=zone
        )
        # Pre-selected from the time zone until the person picks one; "Somewhere else" shows no country's number.
        field = cast(forms.ChoiceField, self.fields["care_region"])
        field.choices = CareRegion.choices
        field.required = False  # not sent: the time zone decides, as before the person chose
        if not self.instance.care_region:
            self.initial["care_region"] = self.instance.region


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="This erases your account and every session, release, routine and share link. It cannot be undone.",
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That password is not right.")
        return password


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That username and password do not match. Both are case-sensitive.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Django sets the username's max_length after the field is built, so no validator enforces it: a huge
        # username would reach authenticate() and the failed-login record (a 255-character column).
        field = cast(forms.CharField, self.fields["username"])
        field.validators.append(MaxLengthValidator(field.max_length))


class QuietPasswordResetForm(PasswordResetForm):
    """Django's reset form, answering alike for known and unknown e-mails: when no account matches, a stand-in
    (never saved, never mailed) goes through the same token and rendering work, and real messages are sent on a
    thread of their own (accounts.security.deliver_later), so the answer's timing tells nothing."""

    def get_users(self, email: str) -> Iterable[User]:
        users = list(super().get_users(email))
        self._matched = bool(users)
        if users:
            return users
        return [User(username="no-account", email=email, password=make_password(None))]

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        message = EmailMultiAlternatives(subject, body, from_email, [to_email])
        if html_email_template_name is not None:
            message.attach_alternative(loader.render_to_string(html_email_template_name, context), "text/html")
        if self._matched:
            self._outbox.append(message)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._outbox: list[EmailMultiAlternatives] = []
        super().save(*args, **kwargs)
        deliver_later(self._outbox)


class RevokingPasswordChangeForm(PasswordChangeForm):
    """Django's password change, with the offer to switch off every share link and calendar feed: whoever knew
    the old password may have made some."""

    revoke_links = forms.BooleanField(
        label="Also switch off all my share links and calendar feeds",
        required=False,
        initial=True,
        help_text="Recommended if someone else may have known your password: they could have made links to your "
        "journal. You can make new links afterwards.",
    )


# Pain going down both legs is an emergency sign of the red-flag check when it is new, worse or has spread; asked
# here as a plain fact, it must still say so.
BOTH_LEGS_HELP = (
    "If pain, tingling or numbness has newly spread to both legs, or comes with numbness around your genitals, "
    "bottom or inner thighs or new trouble with your bladder or bowels, stop here and get emergency care now."
)
BOTH_LEGS_WARNING = (
    "You said both legs hurt. Pain, tingling or numbness going down both legs is a warning sign when it is new, "
    "getting worse or has spread from one leg to both: then do no releases, and get emergency care now. If a "
    "clinician has already assessed the pain in both legs, follow their advice."
)


class PrecautionForm(PlainTextForm, forms.ModelForm):
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
        help_texts = {"painful_leg": BOTH_LEGS_HELP}

    def __init__(self, *args: Any, today: date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        for name in ("painful_leg", "clinician_assessed"):
            field = cast(forms.ChoiceField, self.fields[name])
            field.choices = [("", "Rather not say"), *list(cast(list[tuple[str, str]], field.choices))[1:]]

    def clean_episode_started(self) -> date | None:
        value: date | None = self.cleaned_data.get("episode_started")
        if value and self.today and value > self.today:
            raise forms.ValidationError("The start of this episode cannot be in the future.")
        return value
