from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from accounts.forms import DeleteAccountForm, PrecautionForm, ProfileForm, SignUpForm
from accounts.models import PrecautionProfile
from accounts.services import erase_account
from config.rendering import go_to, render_form_page


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome to Tenderspot. Your account is ready.")
        # A skippable step: the precaution questions, once, right after sign-up.
        return redirect("accounts:precautions")
    return render_form_page(request, "accounts/signup.html", "form", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def settings_view(request: HttpRequest) -> HttpResponse:
    profile = request.user.profile
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Settings saved.")
        if not request.htmx:
            return redirect("accounts:settings")
        form = ProfileForm(instance=profile)
    return render_form_page(request, "accounts/settings.html", "form", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        erase_account(user)
        messages.info(request, "Your account and all its data have been erased.")
        return redirect("home")
    return render_form_page(request, "accounts/delete.html", "form", {"form": form})


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return ""


@login_required
@require_http_methods(["GET", "POST"])
def precautions(request: HttpRequest) -> HttpResponse:
    """The optional precaution profile: save the answers, or skip for now (offered again in about 6 months)."""
    profile = PrecautionProfile.for_user(request.user)
    today = request.user.profile.local_date()
    if request.method == "POST" and "skip" in request.POST:
        profile.mark_reviewed()
        return go_to(request, _safe_next(request) or "home")
    form = PrecautionForm(request.POST if request.method == "POST" else None, instance=profile, today=today)
    if request.method == "POST" and form.is_valid():
        form.instance.user = request.user
        form.save()
        profile.mark_reviewed()
        messages.success(request, "Your answers are saved. Only you can see them, and you can change them any time.")
        return go_to(request, _safe_next(request) or "accounts:precautions")
    context = {"form": form, "next": _safe_next(request), "is_new": profile.pk is None}
    return render_form_page(request, "accounts/precautions.html", "form", context)
