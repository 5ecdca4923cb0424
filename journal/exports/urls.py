from django.urls import URLPattern, path

from journal.exports import views

urlpatterns: list[URLPattern] = [
    path("exports/", views.export_page, name="exports"),
    path("exports/csv/", views.export_csv, name="export_csv"),
    path("exports/pdf/", views.export_pdf, name="export_pdf"),
    path("exports/report-details/", views.report_details, name="report_details"),
    path("exports/fhir/", views.export_fhir, name="export_fhir"),
]
