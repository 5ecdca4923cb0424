"""The pages the page-cost and growth benchmarks time, each against the catalogue taken in the same run.

Add a page with one line (a path, or `url(user) -> path` that may create what the page needs for that user):

    BenchPage("journal", "/journal/", goal=2.0),
    BenchPage("session", lambda user: f"/journal/sessions/{user.sessions.first().pk}/", goal=2.0),
    BenchPage("trends", "/journal/trends/", goal=4.0),
    BenchPage("trends (all)", "/journal/trends/?range=all", goal=8.0, grows_with_history=True),
    BenchPage("share page", share_page_url, goal=None),

`goal`: the largest allowed median-time ratio to the catalogue with 3,650 days of history (None: reported only).
`grows_with_history`: the page's content grows with history, so the growth benchmark does not hold it to 1.3x
(its query count must still not grow).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class BenchPage:
    name: str
    url: str | Callable[..., str]
    goal: float | None = None
    grows_with_history: bool = False

    def path_for(self, user) -> str:
        return self.url(user) if callable(self.url) else self.url


def _builtin_routine(user) -> str:
    from routines.models import Routine

    return reverse("routines:routine_detail", args=[Routine.objects.builtin().get(slug="whole-article").pk])


def _newest_session(user) -> str:
    """The newest session of the longest built-in routine: the same content, whatever the length of the history
    (the newest session of any routine may have 3 steps in one history and 12 in another)."""
    from journal.models import Session

    newest = Session.objects.filter(user=user, routine__slug="whole-article").order_by("-started_at").first()
    return reverse("journal:session_detail", args=[newest.pk])


def share_page_url(user, days: int | None) -> str:
    """The share page of a new link for the last `days` days (None: the whole log)."""
    from datetime import timedelta

    from django.utils import timezone

    from journal.models import ShareLink
    from journal.tokens import new_token

    token, token_hash = new_token()
    today = user.profile.local_date(timezone.now())
    ShareLink.objects.create(
        user=user,
        label="Physio",
        token_hash=token_hash,
        start_date=today - timedelta(days=days) if days else None,
        expires_at=timezone.now() + timedelta(days=30),
    )
    return reverse("journal:share_view", args=[token])


def _share_page(user) -> str:
    """A link for the last 90 days (what a practitioner is usually sent): its content does not grow with history."""
    return share_page_url(user, 90)


BASELINE = BenchPage("catalogue", "/routines/points/")

PAGES: list[BenchPage] = [
    BenchPage("dashboard", "/", goal=2.0),
    BenchPage("routine list", "/routines/", goal=2.0),
    BenchPage("routine detail", _builtin_routine, goal=2.0),
    BenchPage("journal list", "/journal/sessions/", goal=2.0),
    BenchPage("session page", _newest_session, goal=2.0),
    BenchPage("trends", "/journal/trends/", goal=4.0),
    BenchPage("trends (all)", "/journal/trends/?range=all", goal=8.0, grows_with_history=True),
    BenchPage("share page (90 days)", _share_page),
]

# Growth: content that does not grow with history may take at most this much longer at 3,650 days than at 365.
GROWTH_GOAL = 1.3
