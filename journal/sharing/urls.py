from django.urls import URLPattern, path

from journal.sharing import views

urlpatterns: list[URLPattern] = [
    path("share/", views.share_list, name="share_list"),
    path("share/<int:pk>/revoke/", views.share_revoke, name="share_revoke"),
    path("s/<str:token>/", views.share_view, name="share_view"),
    path("s/<str:token>/log.csv", views.share_csv, name="share_csv"),
    path("s/<str:token>/report.pdf", views.share_pdf, name="share_pdf"),
]
