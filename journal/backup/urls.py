from django.urls import URLPattern, path

from journal.backup import views

urlpatterns: list[URLPattern] = [
    path("exports/json/", views.export_json, name="export_json"),
    path("import/", views.import_json, name="import_json"),
]
