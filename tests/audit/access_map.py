"""Who may reach each URL. tests/test_access_control.py walks every URL pattern from the resolver and fails on any
URL name missing here (or listed here but gone).

Add one entry per new URL name:

    "journal:session_detail": Route(OWNER, methods=("GET",), kwargs=lambda owner: {"pk": make_session(owner).pk}),
    "journal:release_log": Route(OWNER, methods=("POST",), kwargs=lambda owner: {"pk": make_session(owner).pk}),
    "journal:shared": Route(TOKEN, kwargs=lambda owner: {"token": make_share_link(owner).token},
                            bad_kwargs=lambda owner: {"token": "x" * 43}),

Kinds:
- PUBLIC: anyone may request it (anonymous: never a log-in redirect, never a 404 or an error).
  `owner_kwargs` optionally builds the URL of an object private to its owner under a public view (a custom point):
  anonymous and another user then get 404.
- SIGNED_IN: anonymous -> redirect to the log-in page; any signed-in user may use it.
- OWNER: anonymous -> log-in redirect; `kwargs(owner)` creates the owner's object; another user -> 404 on every
  method.
- TOKEN: reached with a secret in the URL; `bad_kwargs(owner)` gives a wrong token -> `bad_token_status` (404).

`methods` are the methods the view accepts (every other of GET/POST/PUT/PATCH/DELETE must answer 405, asked with
`wrong_method_kwargs` when given, else `kwargs`); each POST is also sent without a CSRF token (must be 403).
`signed_in_methods` marks methods of a PUBLIC view that need a signed-in user. `kwargs(owner)` runs inside the test
with the ORM and tests/factories.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

PUBLIC = "public"
SIGNED_IN = "signed-in"
OWNER = "owner-only object"
TOKEN = "token"

ALL_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def no_kwargs(owner) -> dict:
    return {}


@dataclass(frozen=True)
class Route:
    kind: str
    methods: tuple[str, ...] = ("GET",)
    kwargs: Callable[..., dict] = no_kwargs
    owner_kwargs: Callable[..., dict] | None = None
    bad_kwargs: Callable[..., dict] | None = None
    bad_token_status: int = 404
    bad_token_check: Callable[..., bool] | None = None
    wrong_method_kwargs: Callable[..., dict] | None = None
    signed_in_methods: tuple[str, ...] = ()
    note: str = ""

    def __post_init__(self) -> None:
        assert self.kind in (PUBLIC, SIGNED_IN, OWNER, TOKEN), self.kind
        assert set(self.methods) <= set(ALL_METHODS), self.methods
        if self.kind == OWNER:
            assert self.kwargs is not no_kwargs, "an OWNER route needs kwargs(owner) creating the owner's object"
        if self.kind == TOKEN:
            assert self.bad_kwargs is not None, "a TOKEN route needs bad_kwargs(owner) with a wrong token"

    def kwargs_for_wrong_methods(self, owner) -> dict:
        return (self.wrong_method_kwargs or self.kwargs)(owner)

    def wrong_methods(self) -> list[str]:
        return [m for m in ALL_METHODS if m not in self.methods]

    def needs_login(self, method: str) -> bool:
        return self.kind in (SIGNED_IN, OWNER) or method in self.signed_in_methods


# Builders of URL arguments ----------------------------------------------------------------------------------


def _builtin_point(owner) -> dict:
    return {"slug": "glute-top"}


def _custom_point(owner) -> dict:
    from tests.factories import make_point

    return {"slug": make_point(owner=owner).slug}


def _own_routine(owner) -> dict:
    from tests.factories import make_routine

    return {"pk": make_routine(owner=owner).pk}


def _own_point_pk(owner) -> dict:
    from tests.factories import make_point

    return {"pk": make_point(owner=owner).pk}


def _own_routine_step(owner) -> dict:
    from tests.factories import make_routine

    routine = make_routine(owner=owner, steps=2)
    return {"pk": routine.pk, "step_pk": routine.steps.order_by("position").first().pk}


def _own_session(owner) -> dict:
    from tests.factories import make_session

    return {"pk": make_session(owner).pk}


def _own_session_release(owner) -> dict:
    from tests.factories import make_release, make_session

    session = make_session(owner)
    return {"pk": session.pk, "release_pk": make_release(session, 1).pk}


def _own_share_link(owner) -> dict:
    return {"pk": _share_link(owner)[0].pk}


def _share_link(owner):
    from datetime import timedelta

    from django.utils import timezone

    from journal.models import ShareLink
    from journal.tokens import new_token

    token, token_hash = new_token()
    link = ShareLink.objects.create(
        user=owner, label="Physio", token_hash=token_hash, expires_at=timezone.now() + timedelta(days=30)
    )
    return link, token


def _share_token(owner) -> dict:
    return {"token": _share_link(owner)[1]}


def _bad_token(owner) -> dict:
    from journal.tokens import new_token

    return {"token": new_token()[0]}


def _reminder(owner):
    from datetime import time

    from journal.models import Reminder
    from journal.tokens import new_token

    token, token_hash = new_token()
    return Reminder.objects.create(user=owner, weekdays=[0, 3], time_of_day=time(7, 30), token_hash=token_hash), token


def _own_reminder(owner) -> dict:
    return {"pk": _reminder(owner)[0].pk}


def _reminder_token(owner) -> dict:
    return {"token": _reminder(owner)[1]}


def _own_routine_start(owner) -> dict:
    from tests.factories import make_routine

    return {"routine_pk": make_routine(owner=owner).pk}


def _password_reset_token(owner) -> dict:
    return {"uidb64": urlsafe_base64_encode(force_bytes(owner.pk)), "token": default_token_generator.make_token(owner)}


def _password_reset_bad_token(owner) -> dict:
    return {"uidb64": urlsafe_base64_encode(force_bytes(owner.pk)), "token": "bad-token"}


def _reset_link_refused(response) -> bool:
    return response.context["validlink"] is False and response.context.get("form") is None


# The map ----------------------------------------------------------------------------------------------------

ROUTES: dict[str, Route] = {
    # config
    "home": Route(PUBLIC, note="visitors see the landing page, signed-in users the dashboard"),
    "start_last": Route(SIGNED_IN, note="the app's shortcut: the start button of the user's own last routine"),
    "safety": Route(PUBLIC, methods=("GET", "POST"), signed_in_methods=("POST",), note="POST acknowledges"),
    "robots_txt": Route(PUBLIC),
    "manifest": Route(PUBLIC),
    "service_worker": Route(PUBLIC),
    "offline": Route(PUBLIC),
    # accounts
    "accounts:signup": Route(PUBLIC, methods=("GET", "POST")),
    "accounts:login": Route(PUBLIC, methods=("GET", "POST")),
    "accounts:logout": Route(PUBLIC, methods=("POST",), note="Django's LogoutView: POST only"),
    "accounts:settings": Route(SIGNED_IN, methods=("GET", "POST")),
    "accounts:precautions": Route(SIGNED_IN, methods=("GET", "POST")),
    "accounts:delete": Route(SIGNED_IN, methods=("GET", "POST")),
    "accounts:password_change": Route(SIGNED_IN, methods=("GET", "POST")),
    "accounts:password_change_done": Route(SIGNED_IN),
    "accounts:password_reset": Route(PUBLIC, methods=("GET", "POST")),
    "accounts:password_reset_done": Route(PUBLIC),
    "accounts:password_reset_confirm": Route(
        TOKEN,
        methods=("GET", "POST"),
        kwargs=_password_reset_token,
        bad_kwargs=_password_reset_bad_token,
        bad_token_status=200,
        bad_token_check=_reset_link_refused,
        wrong_method_kwargs=_password_reset_bad_token,
        note="Django's view answers a bad link with a 200 page saying the link is not valid; a good link first swaps "
        "its token into the session with a redirect, whatever the method",
    ),
    "accounts:password_reset_complete": Route(PUBLIC),
    # routines
    "routines:catalogue": Route(PUBLIC),
    "routines:point_detail": Route(PUBLIC, kwargs=_builtin_point, owner_kwargs=_custom_point),
    "routines:routine_list": Route(SIGNED_IN),
    "routines:routine_detail": Route(OWNER, kwargs=_own_routine, note="built-in routines are visible to everyone"),
    "routines:point_create": Route(SIGNED_IN, methods=("GET", "POST")),
    "routines:point_edit": Route(OWNER, methods=("GET", "POST"), kwargs=_own_point_pk),
    "routines:point_delete": Route(OWNER, methods=("GET", "POST"), kwargs=_own_point_pk),
    "routines:routine_create": Route(SIGNED_IN, methods=("GET", "POST")),
    "routines:routine_edit": Route(OWNER, methods=("GET", "POST"), kwargs=_own_routine),
    "routines:routine_copy": Route(OWNER, methods=("POST",), kwargs=_own_routine, note="built-in ones too"),
    "routines:routine_archive": Route(OWNER, methods=("POST",), kwargs=_own_routine),
    "routines:routine_unarchive": Route(OWNER, methods=("POST",), kwargs=_own_routine),
    "routines:routine_delete": Route(OWNER, methods=("GET", "POST"), kwargs=_own_routine),
    "routines:step_add": Route(OWNER, methods=("POST",), kwargs=_own_routine),
    "routines:step_remove": Route(OWNER, methods=("POST",), kwargs=_own_routine_step),
    "routines:step_move": Route(OWNER, methods=("POST",), kwargs=_own_routine_step),
    "routines:step_change": Route(OWNER, methods=("POST",), kwargs=_own_routine_step),
    "routines:point_add_to_routine": Route(OWNER, methods=("POST",), kwargs=_custom_point),
    "routines:step_restore": Route(OWNER, methods=("POST",), kwargs=_own_routine),
    # journal: the runner
    "journal:session_start": Route(
        OWNER, methods=("POST",), kwargs=_own_routine_start, note="built-in routines may be started by anyone"
    ),
    "journal:point_practise": Route(
        OWNER, methods=("POST",), kwargs=_custom_point, note="built-in points may be practised by anyone"
    ),
    "journal:session_run": Route(OWNER, kwargs=_own_session),
    "journal:session_logged": Route(OWNER, kwargs=_own_session),
    "journal:session_check": Route(OWNER, methods=("POST",), kwargs=_own_session),
    "journal:hold_start": Route(OWNER, methods=("POST",), kwargs=_own_session),
    "journal:release_log": Route(OWNER, methods=("POST",), kwargs=_own_session),
    "journal:step_skip": Route(OWNER, methods=("POST",), kwargs=_own_session),
    "journal:session_finish": Route(OWNER, methods=("GET", "POST"), kwargs=_own_session),
    "journal:session_summary": Route(OWNER, kwargs=_own_session),
    "journal:quick_log": Route(SIGNED_IN, methods=("GET", "POST")),
    "journal:red_flag_follow_up": Route(SIGNED_IN, methods=("GET", "POST")),
    # journal: history and trends
    "journal:session_list": Route(SIGNED_IN),
    "journal:session_detail": Route(OWNER, kwargs=_own_session),
    "journal:session_edit": Route(OWNER, methods=("GET", "POST"), kwargs=_own_session),
    "journal:session_delete": Route(OWNER, methods=("POST",), kwargs=_own_session),
    "journal:release_edit": Route(OWNER, methods=("GET", "POST"), kwargs=_own_session_release),
    "journal:release_delete": Route(OWNER, methods=("POST",), kwargs=_own_session_release),
    "journal:trends": Route(SIGNED_IN),
    # journal: exports, import, share links, reminders
    "journal:exports": Route(SIGNED_IN),
    "journal:export_csv": Route(SIGNED_IN),
    "journal:export_json": Route(SIGNED_IN),
    "journal:export_pdf": Route(SIGNED_IN),
    "journal:report_details": Route(SIGNED_IN, methods=("POST",)),
    "journal:export_fhir": Route(SIGNED_IN),
    "journal:import_json": Route(SIGNED_IN, methods=("GET", "POST")),
    "journal:share_list": Route(SIGNED_IN, methods=("GET", "POST")),
    "journal:share_revoke": Route(OWNER, methods=("POST",), kwargs=_own_share_link),
    "journal:share_view": Route(TOKEN, kwargs=_share_token, bad_kwargs=_bad_token),
    "journal:share_csv": Route(TOKEN, kwargs=_share_token, bad_kwargs=_bad_token),
    "journal:share_pdf": Route(TOKEN, kwargs=_share_token, bad_kwargs=_bad_token),
    "journal:reminder_list": Route(SIGNED_IN, methods=("GET", "POST")),
    "journal:reminder_revoke": Route(OWNER, methods=("POST",), kwargs=_own_reminder),
    "journal:reminder_renew": Route(OWNER, methods=("POST",), kwargs=_own_reminder),
    "journal:reminder_feed": Route(TOKEN, kwargs=_reminder_token, bad_kwargs=_bad_token),
}
