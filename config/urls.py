from django.contrib import admin
from django.urls import include, path

from config import pwa, views

urlpatterns = [
    path("", include("journal.dashboard.urls")),
    path("", include("accounts.safety.urls")),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("offline/", pwa.offline, name="offline"),
    path("accounts/", include("accounts.urls")),
    path("routines/", include("routines.urls")),
    path("journal/", include("journal.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
