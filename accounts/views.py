from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from accounts.forms import DeleteAccountForm, ProfileForm, SignUpForm
from accounts.services import erase_account
from config.rendering import render_form_page


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
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        erase_account(user)
        messages.info(request, "Your account and all its data have been erased.")
        return redirect("home")
    return render_form_page(request, "accounts/delete.html", "form", {"form": form})
