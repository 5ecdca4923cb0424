from django.urls import path

from routines import views

app_name = "routines"

urlpatterns = [
    path("points/", views.catalogue, name="catalogue"),
    path("points/<slug:slug>/", views.point_detail, name="point_detail"),
    path("", views.routine_list, name="routine_list"),
    path("<int:pk>/", views.routine_detail, name="routine_detail"),
]
