from django.urls import path

from accounts.safety import views

# At the site's root, under its own name: every "start" across the site leads here first.
urlpatterns: list = [
    path("safety/", views.safety, name="safety"),
]
