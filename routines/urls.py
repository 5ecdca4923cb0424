from django.urls import path

from routines import views

app_name = "routines"

urlpatterns = [
    # The catalogue and custom points
    path("points/", views.catalogue, name="catalogue"),
    path("points/mine/new/", views.point_create, name="point_create"),
    path("points/mine/<int:pk>/edit/", views.point_edit, name="point_edit"),
    path("points/mine/<int:pk>/delete/", views.point_delete, name="point_delete"),
    path("points/<slug:slug>/", views.point_detail, name="point_detail"),
    path("points/<slug:slug>/add/", views.point_add_to_routine, name="point_add_to_routine"),
    # Routines
    path("", views.routine_list, name="routine_list"),
    path("new/", views.routine_create, name="routine_create"),
    path("<int:pk>/", views.routine_detail, name="routine_detail"),
    path("<int:pk>/edit/", views.routine_edit, name="routine_edit"),
    path("<int:pk>/copy/", views.routine_copy, name="routine_copy"),
    path("<int:pk>/archive/", views.routine_archive, name="routine_archive"),
    path("<int:pk>/unarchive/", views.routine_archive, {"archived": False}, name="routine_unarchive"),
    path("<int:pk>/delete/", views.routine_delete, name="routine_delete"),
    # Steps
    path("<int:pk>/steps/add/", views.step_add, name="step_add"),
    path("<int:pk>/steps/<int:step_pk>/remove/", views.step_remove, name="step_remove"),
    path("<int:pk>/steps/<int:step_pk>/move/", views.step_move, name="step_move"),
    path("<int:pk>/steps/<int:step_pk>/change/", views.step_change, name="step_change"),
    path("<int:pk>/steps/restore/", views.step_restore, name="step_restore"),
]
