from django.urls import path

from journal.views import red_flags, runner

urlpatterns: list = [
    path("routines/<int:routine_pk>/start/", runner.session_start, name="session_start"),
    path("points/<slug:slug>/practise/", runner.point_practise, name="point_practise"),
    path("sessions/<int:pk>/run/", runner.session_run, name="session_run"),
    path("sessions/<int:pk>/check/", runner.safety_check, name="session_check"),
    path("sessions/<int:pk>/hold/", runner.hold_start, name="hold_start"),
    path("sessions/<int:pk>/log/", runner.release_log, name="release_log"),
    path("sessions/<int:pk>/skip/", runner.step_skip, name="step_skip"),
    path("sessions/<int:pk>/finish/", runner.session_finish, name="session_finish"),
    path("sessions/<int:pk>/summary/", runner.session_summary, name="session_summary"),
    path("log/", runner.quick_log, name="quick_log"),
    path("safety/follow-up/", red_flags.red_flag_follow_up, name="red_flag_follow_up"),
]
