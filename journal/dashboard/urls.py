from django.urls import URLPattern, path

from journal.dashboard import views

# The site's root: the dashboard for a signed-in user, the landing page for a visitor.
urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
    path("start/last/", views.start_last, name="start_last"),
]
