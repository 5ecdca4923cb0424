from django.urls import path

from journal.views import exports, reminders, share

urlpatterns: list = [
    path("exports/", exports.export_page, name="exports"),
    path("exports/csv/", exports.export_csv, name="export_csv"),
    path("exports/pdf/", exports.export_pdf, name="export_pdf"),
    path("exports/report-details/", exports.report_details, name="report_details"),
    path("exports/fhir/", exports.export_fhir, name="export_fhir"),
    path("share/", share.share_list, name="share_list"),
    path("share/<int:pk>/revoke/", share.share_revoke, name="share_revoke"),
    path("s/<str:token>/", share.share_view, name="share_view"),
    path("s/<str:token>/log.csv", share.share_csv, name="share_csv"),
    path("s/<str:token>/report.pdf", share.share_pdf, name="share_pdf"),
    path("reminders/", reminders.reminder_list, name="reminder_list"),
    path("reminders/<int:pk>/revoke/", reminders.reminder_revoke, name="reminder_revoke"),
    path("reminders/<int:pk>/renew/", reminders.reminder_renew, name="reminder_renew"),
    path("calendar/<str:token>.ics", reminders.reminder_feed, name="reminder_feed"),
]
