from django.urls import URLPattern, path

from journal.history import views

urlpatterns: list[URLPattern] = [
    path("sessions/", views.session_list, name="session_list"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/delete/", views.session_delete, name="session_delete"),
    path("sessions/<int:pk>/releases/<int:release_pk>/edit/", views.release_edit, name="release_edit"),
    path("sessions/<int:pk>/releases/<int:release_pk>/delete/", views.release_delete, name="release_delete"),
]
