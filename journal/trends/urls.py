from django.urls import URLPattern, path

from journal.trends import views

urlpatterns: list[URLPattern] = [
    path("trends/", views.trends, name="trends"),
]
