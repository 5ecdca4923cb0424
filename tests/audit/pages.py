"""The pages every audit visits: axe-core and the Nu HTML Checker (tests/e2e/test_audit_*.py) visit all of them,
Lighthouse (`make audit`, tests/audit/lighthouse.py) those marked `lighthouse=True`.

To audit a new page add one `AuditPage` to `PAGES`:

    AuditPage("trends", "/journal/trends/", visitors=SIGNED_IN, lighthouse=True)
    AuditPage("share page", share_page_url, visitors=ANONYMOUS, lighthouse=True)
    AuditPage("runner mid-hold", runner_url, visitors=SIGNED_IN, browser_state=start_hold)

`url` is a path, or a function `url(owner) -> path` that creates the data the page needs (with the ORM and
tests/factories) for the signed-in persona `owner` and returns the path; it runs in the process that serves the
page (the live server's test database for axe/vnu, the audit server's database for Lighthouse).
`lighthouse_skip` leaves named Lighthouse audits out of that page's score, each with its reason.
`browser_state(page)` optionally drives the Playwright page into the state to audit (e.g. a hold in progress);
the HTML checker then checks the DOM as it is at that moment.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse

ANONYMOUS = ("anonymous",)
SIGNED_IN = ("owner",)
BOTH = ("anonymous", "owner")


@dataclass(frozen=True)
class AuditPage:
    name: str
    url: str | Callable[..., str]
    visitors: tuple[str, ...] = BOTH
    lighthouse: bool = False
    browser_state: Callable | None = None
    # Expected HTTP status (error pages are audited too).
    status: int = 200
    # Lighthouse audits left out of the score for this page, each with its reason, e.g. a private share page that
    # is `noindex` on purpose: {"is-crawlable": "share links must not be indexed"}.
    lighthouse_skip: dict[str, str] = field(default_factory=dict)
    # A page that keeps one colour scheme whatever the system's (the share page is a printable report: light).
    theme: str | None = None

    def path_for(self, owner) -> str:
        return self.url(owner) if callable(self.url) else self.url

    def visits(self) -> list[tuple[str, str]]:
        """(id, visitor) pairs, for pytest parametrisation."""
        return [(f"{self.name} [{visitor}]", visitor) for visitor in self.visitors]


def _point_url(owner) -> str:
    return reverse("routines:point_detail", args=["glute-top"])


def _own_point_url(owner) -> str:
    from routines.models import Area
    from tests.factories import make_point

    point = make_point(owner=owner, area=Area.objects.first())
    return reverse("routines:point_detail", args=[point.slug])


def _point_with_precautions_url(owner) -> str:
    """A point's page for someone on blood thinners in the EU: the precaution note with its "Change your answers"
    link, and 112 as a call link in the emergency advice."""
    from accounts.models import PrecautionProfile

    PrecautionProfile.objects.update_or_create(user=owner, defaults={"blood_thinners": True})
    owner.profile.care_region = "eu"
    owner.profile.save(update_fields=["care_region"])
    return _point_url(owner)


def _safety_with_numbers_url(owner) -> str:
    """The safety notice for someone in the UK: 999, 111 and 112 as call links inside its sentences."""
    owner.profile.care_region = "gb"
    owner.profile.save(update_fields=["care_region"])
    return "/safety/"


def _builtin_routine_url(owner) -> str:
    from routines.models import Routine

    return reverse("routines:routine_detail", args=[Routine.objects.builtin().get(slug="whole-article").pk])


def _own_routine_url(owner) -> str:
    from tests.factories import make_routine

    return reverse("routines:routine_detail", args=[make_routine(owner=owner, steps=3, name="My evening").pk])


def _settings_refused(page) -> None:
    """The settings form after an htmx save that the server refused (422): errors swapped in place."""
    page.get_by_label("Default hold (seconds)").fill("5")
    with page.expect_response(lambda r: r.request.method == "POST") as response:
        page.get_by_role("button", name="Save settings").click()
    assert response.value.status == 422
    page.locator(".invalid-feedback").first.wait_for()


def _signup_refused(page) -> None:
    """The sign-up page after a plain POST with mismatched passwords and a taken username."""
    page.get_by_label("Username").fill("owner")
    page.locator("#id_password1").fill("a-long-and-unusual-passphrase")
    page.locator("#id_password2").fill("something-else-entirely-42")
    with page.expect_navigation():
        page.get_by_role("button", name="Create account").click()
    page.locator(".invalid-feedback").first.wait_for()


# The journal: a month of history, the runner in each of its states, sharing ----------------------------------


def _history(owner):
    """A month of completed sessions (idempotent per owner: the dashboard, list and trends have data to show)."""
    from journal.models import Session
    from tests.factories import make_log

    if not Session.objects.filter(user=owner).exists():
        make_log(owner, days=30)
    return Session.objects.filter(user=owner).order_by("-started_at")


def _dashboard_url(owner) -> str:
    _history(owner)
    return "/"


def _start_last_url(owner) -> str:
    """The app's shortcut with a last routine: its start button."""
    _history(owner)
    return "/start/last/"


def _session_list_url(owner) -> str:
    _history(owner)
    return reverse("journal:session_list")


def _session_detail_url(owner) -> str:
    return reverse("journal:session_detail", args=[_history(owner).first().pk])


def _session_edit_url(owner) -> str:
    return reverse("journal:session_edit", args=[_history(owner).first().pk])


def _release_edit_url(owner) -> str:
    session = _history(owner).first()
    return reverse("journal:release_edit", args=[session.pk, session.releases.first().pk])


def _trends_url(owner) -> str:
    _history(owner)
    return reverse("journal:trends")


def _trends_all_url(owner) -> str:
    return _trends_url(owner) + "?range=all"


def _running_session(owner, checked: bool):
    """A fresh session of a two-step routine with a long hold (the countdown is still running when audited)."""
    from journal.models import Session
    from tests.factories import make_routine

    owner.profile.acknowledge_safety()
    owner.profile.lead_in_seconds = 0
    owner.profile.save(update_fields=["lead_in_seconds"])
    session = Session.objects.start(owner, make_routine(owner=owner, steps=2, hold_seconds=120, name="Evening"))
    if checked:
        session.answer_safety_check([], pain_before=5)
    return session


def _quick_log_url(owner) -> str:
    from journal.models import Session

    owner.profile.acknowledge_safety()  # else the page is the safety notice (audited on its own)
    Session.objects.mark_assessed(owner)  # else the follow-up question (audited on its own) comes first
    return reverse("journal:quick_log")


def _follow_up_url(owner) -> str:
    """The question after a red flag: two signs of different urgency reported today, not yet followed up."""
    from journal.models import SafetyAnswer, SessionStatus
    from tests.factories import make_session

    owner.profile.acknowledge_safety()
    make_session(owner, status=SessionStatus.STOPPED, safety_check=SafetyAnswer.YES, red_flag_items=["saddle", "fever"])
    return reverse("journal:red_flag_follow_up")


def _runner_check_url(owner) -> str:
    return reverse("journal:session_run", args=[_running_session(owner, checked=False).pk])


def _runner_step_url(owner) -> str:
    return reverse("journal:session_run", args=[_running_session(owner, checked=True).pk])


def _runner_logged_url(owner) -> str:
    """Step 2, with step 1 logged: the "Logged so far" list under the step."""
    session = _running_session(owner, checked=True)
    session.log_release(1, held_seconds=120, tender=True, pressure=6, pain_now=4)
    return reverse("journal:session_run", args=[session.pk])


def _open_logged_list(page) -> None:
    page.get_by_text("Logged so far").click()
    page.get_by_role("link", name="Correct step 1").click()
    page.locator("#runner-panel form[hx-post*='/releases/']").wait_for()


def _runner_finish_url(owner) -> str:
    return reverse("journal:session_finish", args=[_running_session(owner, checked=True).pk])


def _summary_url(owner) -> str:
    session = _running_session(owner, checked=True)
    session.log_release(1, held_seconds=120, tender=True, pressure=6, pain_now=4)
    session.log_release(2, skipped=True)
    session.finish(3, "Easier on the left today.")
    return reverse("journal:session_summary", args=[session.pk])


def _start_hold(page) -> None:
    """Start the hold and stay in it: the countdown runs (120 s) while the page is audited."""
    page.get_by_role("button", name="Start hold").click()
    page.locator("[data-timer][data-phase=hold]").wait_for()
    page.wait_for_timeout(1100)  # at least one tick of the clock rendered


def _open_log_form(page) -> None:
    """The hold ended early with "Done": the log form is shown with the seconds held."""
    page.get_by_role("button", name="Start hold").click()
    page.locator("[data-timer][data-phase=hold]").wait_for()
    page.get_by_role("button", name="Done").click()
    page.locator("#runner-log").wait_for(state="visible")


def _share_page_url(owner) -> str:
    from tests.audit.access_map import _share_link

    _history(owner)
    return reverse("journal:share_view", args=[_share_link(owner)[1]])


def _share_list_url(owner) -> str:
    from tests.audit.access_map import _share_link

    _share_link(owner)
    return reverse("journal:share_list")


def _reminders_url(owner) -> str:
    from tests.audit.access_map import _reminder

    _reminder(owner)
    return reverse("journal:reminder_list")


def _custom_point_edit_url(owner) -> str:
    from routines.models import Area
    from tests.factories import make_point

    return reverse("routines:point_edit", args=[make_point(owner=owner, area=Area.objects.first()).pk])


def _new_routine_url(owner) -> str:
    owner.profile.acknowledge_safety()  # else the page is the safety notice (audited on its own)
    return reverse("routines:routine_create")


def _routine_edit_url(owner) -> str:
    from tests.factories import make_routine

    return reverse("routines:routine_edit", args=[make_routine(owner=owner, steps=1, name="Rename me").pk])


# A signed-in page under /journal/: robots.txt keeps the private areas out of search engines on purpose.
PRIVATE_AREA = {"is-crawlable": "a private, signed-in page: robots.txt disallows /journal/ on purpose"}

PAGES: list[AuditPage] = [
    AuditPage("home", "/", lighthouse=True),  # signed in, this is the dashboard
    AuditPage("safety notice", "/safety/"),
    AuditPage("offline page", "/offline/", visitors=ANONYMOUS),
    AuditPage("catalogue", "/routines/points/"),
    AuditPage("point detail", _point_url),
    AuditPage("own custom point", _own_point_url, visitors=SIGNED_IN),
    AuditPage("point detail with precautions", _point_with_precautions_url, visitors=SIGNED_IN),
    AuditPage("safety notice with care numbers", _safety_with_numbers_url, visitors=SIGNED_IN),
    AuditPage("routine list", "/routines/", visitors=SIGNED_IN),
    AuditPage("built-in routine", _builtin_routine_url, visitors=SIGNED_IN),
    AuditPage("own routine", _own_routine_url, visitors=SIGNED_IN),
    AuditPage("log in", "/accounts/login/", visitors=ANONYMOUS),
    AuditPage("sign up", "/accounts/signup/", visitors=ANONYMOUS),
    AuditPage("sign up refused", "/accounts/signup/", visitors=ANONYMOUS, browser_state=_signup_refused),
    AuditPage("password reset", "/accounts/password/reset/", visitors=ANONYMOUS),
    AuditPage("password reset sent", "/accounts/password/reset/sent/", visitors=ANONYMOUS),
    AuditPage("password reset bad link", "/accounts/password/reset/MQ/bad-token/", visitors=ANONYMOUS),
    AuditPage("password reset complete", "/accounts/password/reset/complete/", visitors=ANONYMOUS),
    AuditPage("settings", "/accounts/settings/", visitors=SIGNED_IN),
    AuditPage("settings refused (htmx)", "/accounts/settings/", visitors=SIGNED_IN, browser_state=_settings_refused),
    AuditPage("password change", "/accounts/password/change/", visitors=SIGNED_IN),
    AuditPage("password change done", "/accounts/password/change/done/", visitors=SIGNED_IN),
    AuditPage("delete account", "/accounts/delete/", visitors=SIGNED_IN),
    AuditPage("not found", "/no-such-page/", status=404),
    # routines: the builder and custom points
    AuditPage("new routine", _new_routine_url, visitors=SIGNED_IN),
    AuditPage("rename routine", _routine_edit_url, visitors=SIGNED_IN),
    AuditPage("new custom point", "/routines/points/mine/new/", visitors=SIGNED_IN),
    AuditPage("edit custom point", _custom_point_edit_url, visitors=SIGNED_IN),
    # the session runner
    AuditPage("runner: safety check", _runner_check_url, visitors=SIGNED_IN),
    AuditPage("red-flag follow-up", _follow_up_url, visitors=SIGNED_IN),
    AuditPage("runner: step", _runner_step_url, visitors=SIGNED_IN, lighthouse=True, lighthouse_skip=PRIVATE_AREA),
    AuditPage("runner: mid-hold", _runner_step_url, visitors=SIGNED_IN, browser_state=_start_hold),
    AuditPage("runner: log form", _runner_step_url, visitors=SIGNED_IN, browser_state=_open_log_form),
    AuditPage("runner: step with one logged", _runner_logged_url, visitors=SIGNED_IN),
    AuditPage(
        "runner: correcting a logged step", _runner_logged_url, visitors=SIGNED_IN, browser_state=_open_logged_list
    ),
    AuditPage("runner: finish", _runner_finish_url, visitors=SIGNED_IN),
    AuditPage("session summary", _summary_url, visitors=SIGNED_IN),
    AuditPage("quick log", _quick_log_url, visitors=SIGNED_IN),
    # the journal
    AuditPage("dashboard with data", _dashboard_url, visitors=SIGNED_IN),
    AuditPage("start my last routine", _start_last_url, visitors=SIGNED_IN),
    AuditPage("session list", _session_list_url, visitors=SIGNED_IN),
    AuditPage("session detail", _session_detail_url, visitors=SIGNED_IN),
    AuditPage("session edit", _session_edit_url, visitors=SIGNED_IN),
    AuditPage("release edit", _release_edit_url, visitors=SIGNED_IN),
    AuditPage("trends", _trends_url, visitors=SIGNED_IN, lighthouse=True, lighthouse_skip=PRIVATE_AREA),
    AuditPage("trends: all", _trends_all_url, visitors=SIGNED_IN),
    # exports, import, sharing, reminders
    AuditPage("exports", "/journal/exports/", visitors=SIGNED_IN),
    AuditPage("import", "/journal/import/", visitors=SIGNED_IN),
    AuditPage("share links", _share_list_url, visitors=SIGNED_IN),
    AuditPage(
        "share page",
        _share_page_url,
        visitors=ANONYMOUS,
        lighthouse=True,
        lighthouse_skip={"is-crawlable": "a share page is private to its link: noindex on purpose"},
        theme="light",
    ),
    AuditPage("reminders", _reminders_url, visitors=SIGNED_IN),
]


def visits() -> list:
    """Every (page, visitor) pair as pytest params."""
    import pytest

    return [pytest.param(page, visitor, id=ident) for page in PAGES for ident, visitor in page.visits()]
