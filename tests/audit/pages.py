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


PAGES: list[AuditPage] = [
    AuditPage("home", "/", lighthouse=True),  # signed in, this is the dashboard
    AuditPage("safety notice", "/safety/"),
    AuditPage("catalogue", "/routines/points/"),
    AuditPage("point detail", _point_url),
    AuditPage("own custom point", _own_point_url, visitors=SIGNED_IN),
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
]


def visits() -> list:
    """Every (page, visitor) pair as pytest params."""
    import pytest

    return [pytest.param(page, visitor, id=ident) for page in PAGES for ident, visitor in page.visits()]
