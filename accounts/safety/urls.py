from django.urls import URLPattern, path

from accounts.safety import views

# At the site's root, under its own name: every "start" across the site leads here first.
urlpatterns: list[URLPattern] = [
    path("safety/", views.safety, name="safety"),
]
