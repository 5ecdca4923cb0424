from django.urls import URLPattern, path

from journal.reminders import views

urlpatterns: list[URLPattern] = [
    path("reminders/", views.reminder_list, name="reminder_list"),
    path("reminders/<int:pk>/revoke/", views.reminder_revoke, name="reminder_revoke"),
    path("reminders/<int:pk>/renew/", views.reminder_renew, name="reminder_renew"),
    path("calendar/<str:token>.ics", views.reminder_feed, name="reminder_feed"),
]
