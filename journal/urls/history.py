from django.urls import path

from journal.views import history, trends

urlpatterns: list = [
    path("sessions/", history.session_list, name="session_list"),
    path("sessions/<int:pk>/", history.session_detail, name="session_detail"),
    path("sessions/<int:pk>/edit/", history.session_edit, name="session_edit"),
    path("sessions/<int:pk>/delete/", history.session_delete, name="session_delete"),
    path("sessions/<int:pk>/releases/<int:release_pk>/edit/", history.release_edit, name="release_edit"),
    path("sessions/<int:pk>/releases/<int:release_pk>/delete/", history.release_delete, name="release_delete"),
    path("trends/", trends.trends, name="trends"),
]
