from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy
from django.views.decorators.http import require_http_methods

from accounts import views
from accounts.forms import LoginForm, QuietPasswordResetForm

app_name = "accounts"

# Django's form views also take PUT (as a POST); Tenderspot answers only GET and POST (anything else: 405).
get_or_post = require_http_methods(["GET", "POST"])

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path(
        "login/",
        get_or_post(auth_views.LoginView.as_view(template_name="accounts/login.html", authentication_form=LoginForm)),
        name="login",
    ),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("settings/", views.settings_view, name="settings"),
    path("precautions/", views.precautions, name="precautions"),
    path("delete/", views.delete_account, name="delete"),
    path(
        "password/change/",
        get_or_post(
            views.PasswordChangeView.as_view(
                template_name="accounts/password_change.html",
                success_url=reverse_lazy("accounts:password_change_done"),
            )
        ),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html"),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        get_or_post(
            views.PasswordResetView.as_view(
                form_class=QuietPasswordResetForm,
                template_name="accounts/password_reset.html",
                email_template_name="accounts/email/password_reset.txt",
                subject_template_name="accounts/email/password_reset_subject.txt",
                success_url=reverse_lazy("accounts:password_reset_done"),
            )
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        get_or_post(
            views.PasswordResetConfirmView.as_view(
                template_name="accounts/password_reset_confirm.html",
                success_url=reverse_lazy("accounts:password_reset_complete"),
            )
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
]
