from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.contrib.auth.models import User
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.forms import (
    BOTH_LEGS_WARNING,
    USERNAME_TAKEN,
    DeleteAccountForm,
    PrecautionForm,
    ProfileForm,
    RevokingPasswordChangeForm,
    SignUpForm,
)
from accounts.models import PainfulLeg, PrecautionProfile
from accounts.security import (
    clear_login_lockout,
    remember_device,
    revoke_private_links,
    throttled,
    too_many_tries,
)
from accounts.services import erase_account
from config.http import AuthenticatedHttpRequest, HtmxHttpRequest, next_path
from config.rendering import go_to, render_form_page

# Signing out (or erasing the account) drops what the browser kept of the site: its cache, and its storage, where
# htmx keeps snapshots of pages for the back button.
CLEAR_SITE_DATA = '"cache", "storage"'
# The log-out of a phone where another person's offline entries still wait to be sent (static/js/outbox.js sends
# `keep_others`, having deleted the leaving user's own entries, kept pages and tab storage itself): the storage,
# which holds those entries, is spared.
CLEAR_CACHE_ONLY = '"cache"'


@require_http_methods(["GET", "POST"])
def signup(request: HtmxHttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    # Every posted try counts, valid or not: "that username is taken" is an answer about someone else's account
    # (unavoidable with unique usernames), so how many a network may ask for is what limits enumeration.
    # Where the person was going (e.g. "log in to add points of your own"): checked, carried through the form's
    # address and the precaution step after it.
    next_url = next_path(request)
    action = reverse("accounts:signup") + (f"?{urlencode({'next': next_url}, safe='/')}" if next_url else "")
    if request.method == "POST" and throttled(request, "signup"):
        return too_many_tries(request, "accounts/signup.html", {"form": SignUpForm(), "action": action})
    if request.method == "POST" and form.is_valid():
        try:
            user = form.save()
        except IntegrityError:  # taken by a sign-up at the same moment, after the form's check
            form.add_error("username", USERNAME_TAKEN)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Welcome to Tenderspot. Your account is ready.")
            # A skippable step: the precaution questions, once, right after sign-up; saving or skipping goes on home.
            return redirect(reverse("accounts:precautions") + "?" + urlencode({"next": next_url or "/"}, safe="/"))
    return render_form_page(request, "accounts/signup.html", "form", {"form": form, "action": action})


@login_required
@require_http_methods(["GET", "POST"])
def settings_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    profile = request.user.profile
    form = ProfileForm(request.POST or None, instance=profile)
    saved = False
    if request.method == "POST" and form.is_valid():
        form.save()
        if not request.htmx:
            messages.success(request, "Settings saved.")
            return redirect("accounts:settings")
        # htmx swaps the form in place: the confirmation goes with it, not into the next page's messages.
        form, saved = ProfileForm(instance=profile), True
    return render_form_page(request, "accounts/settings.html", "form", {"form": form, "saved": saved})


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        erase_account(user)
        messages.info(request, "Your account and all its data have been erased.")
        response = redirect("home")
        response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response
    return render_form_page(request, "accounts/delete.html", "form", {"form": form})


class LogoutView(auth_views.LogoutView):
    """Django's logout, plus `Clear-Site-Data`: the browser drops its cache and storage of the site (htmx's
    history snapshots in sessionStorage among them), so no copy of a signed-in page survives the logout."""

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = CLEAR_CACHE_ONLY if request.POST.get("keep_others") == "1" else CLEAR_SITE_DATA
        response["Cache-Control"] = "private, no-store"
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change; with the box ticked (the default), every share link and calendar feed is
    revoked too."""

    form_class = RevokingPasswordChangeForm
    request: AuthenticatedHttpRequest  # Django decorates its dispatch with login_required

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        if form.cleaned_data.get("revoke_links"):
            count = revoke_private_links(self.request.user)
            if count:
                messages.info(self.request, f"Share links and calendar feeds switched off: {count}.")
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset request, throttled per address and per e-mail asked for (the same answer either way)."""

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        email = form.cleaned_data["email"].strip().lower()
        per_email = (f"email:{email}", settings.TENDERSPOT_THROTTLE_PER_EMAIL)
        if throttled(self.request, "password-reset", per_email):
            return too_many_tries(self.request, self.get_template_names()[0], {"form": form})
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's new-password step. Proving the e-mail proves the owner: the log-in lockout on the username is
    lifted, and every share link and calendar feed is revoked (someone else may have had the password)."""

    def form_valid(self, form: "SetPasswordForm[User]") -> HttpResponse:
        response = super().form_valid(form)
        clear_login_lockout(form.user)
        remember_device(self.request, form.user)  # proven by the e-mail: the address-wide limit spares it
        revoke_private_links(form.user)
        return response


@login_required
@require_http_methods(["GET", "POST"])
def precautions(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The optional precaution profile: save the answers, or skip for now (offered again in about 6 months)."""
    profile = PrecautionProfile.for_user(request.user)
    today = request.user.profile.local_date()
    if request.method == "POST" and "skip" in request.POST:
        profile.mark_reviewed()
        return go_to(request, next_path(request) or "home")
    form = PrecautionForm(request.POST if request.method == "POST" else None, instance=profile, today=today)
    if request.method == "POST" and form.is_valid():
        form.instance.user = request.user
        form.save()
        profile.mark_reviewed()
        messages.success(request, "Your answers are saved. Only you can see them, and you can change them any time.")
        if form.instance.painful_leg == PainfulLeg.BOTH:
            messages.warning(request, BOTH_LEGS_WARNING)
        return go_to(request, next_path(request) or "accounts:precautions")
    context = {"form": form, "next": next_path(request), "is_new": profile.pk is None}
    return render_form_page(request, "accounts/precautions.html", "form", context)
