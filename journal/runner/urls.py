from django.urls import URLPattern, path

from journal.runner import red_flags, views

urlpatterns: list[URLPattern] = [
    path("routines/<int:routine_pk>/start/", views.session_start, name="session_start"),
    path("sessions/<int:pk>/run/", views.session_run, name="session_run"),
    path("sessions/<int:pk>/logged/", views.session_logged, name="session_logged"),
    path("sessions/<int:pk>/check/", views.safety_check, name="session_check"),
    path("sessions/<int:pk>/hold/", views.hold_start, name="hold_start"),
    path("sessions/<int:pk>/log/", views.release_log, name="release_log"),
    path("sessions/<int:pk>/skip/", views.step_skip, name="step_skip"),
    path("sessions/<int:pk>/finish/", views.session_finish, name="session_finish"),
    path("sessions/<int:pk>/summary/", views.session_summary, name="session_summary"),
    path("log/", views.quick_log, name="quick_log"),
    path("points/<slug:slug>/practise/", views.point_practise, name="point_practise"),
    path("safety/follow-up/", red_flags.red_flag_follow_up, name="red_flag_follow_up"),
]
