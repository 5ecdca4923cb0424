from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from accounts.forms import DeleteAccountForm, ProfileForm, SignUpForm
from accounts.services import erase_account
from config.rendering import render_form_page

# Signing out (or erasing the account) drops what the browser kept of the site: its cache, and its storage, where
# htmx keeps snapshots of pages for the back button.
CLEAR_SITE_DATA = '"cache", "storage"'


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome to Tenderspot. Your account is ready.")
        return redirect("home")
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
        response = redirect("home")
        response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response
    return render_form_page(request, "accounts/delete.html", "form", {"form": form})


class LogoutView(auth_views.LogoutView):
    """Django's logout, plus `Clear-Site-Data`: the browser drops its cache and storage of the site (htmx's
    history snapshots in sessionStorage among them), so no copy of a signed-in page survives the logout."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = CLEAR_SITE_DATA
        response["Cache-Control"] = "private, no-store"
        return response
