from django.urls import path

from journal.trends import views

urlpatterns: list = [
    path("trends/", views.trends, name="trends"),
]
