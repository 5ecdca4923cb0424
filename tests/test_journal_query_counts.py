"""The number of queries of the dashboard, the session list, a session and the trends is the same with one year
and with ten years of history: everything is aggregated in SQL."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.urls import reverse

from journal.models import Release, SafetyAnswer, Session, SessionStatus
from routines.models import Routine
from tests.factories import plan_of

pytestmark = pytest.mark.django_db

# Queries per page, including the session, the user and the profile that every signed-in request loads.
EXPECTED = {
    # Includes abandoning stale sessions before offering to resume, the open red-flag report and the precaution
    # profile; no page shows a streak any more (no prescribed frequency), so none pays for the streak query.
    "dashboard": 12,
    "session_list": 6,
    "session_list_filtered": 7,
    "session_detail": 5,
    # Left-against-right comes from the per-point rows already fetched, so it costs no query; the leg pain
    # context (precaution profile) costs one.
    "trends": 8,
    "trends_all": 8,
    "trends_custom_sorted": 8,
}


def history(user, days: int) -> Session:
    """`days` days of history ending today: one completed session on four days out of five, three releases each,
    and one red-flagged session long ago. Returns the newest session."""
    routine = Routine.objects.get(slug="glutes-only")
    plan = plan_of(routine)
    today = user.profile.local_date()
    sessions = []
    for offset in range(days):
        if offset % 5 == 4:
            continue
        d = today - timedelta(days=offset)
        start = datetime.combine(d, time(0, 30), tzinfo=UTC)
        sessions.append(
            Session(
                user=user,
                routine=routine,
                routine_name=routine.name,
                plan=plan,
                started_at=start,
                finished_at=start + timedelta(minutes=6),
                last_activity_at=start,
                local_date=d,
                status=SessionStatus.COMPLETED,
                pain_before=3 + offset % 5,
                pain_after=2 + offset % 4,
                safety_check=SafetyAnswer.YES if offset == days - 1 else SafetyAnswer.NO,
                red_flag_items=["both_legs"] if offset == days - 1 else [],
                red_flag_tier="emergency" if offset == days - 1 else "",
            )
        )
    Session.objects.bulk_create(sessions, batch_size=1000)
    releases = [
        Release(
            session=s,
            position=p,
            point_id=plan[p - 1]["point_id"],
            point_name=plan[p - 1]["point_name"],
            side=plan[p - 1]["side"],
            prescribed_seconds=60,
            held_seconds=60,
            tender=(s.pk + p) % 3 != 0,
            pressure=(s.pk + p) % 8,
            pain_now=(s.pk * p) % 7,
        )
        for s in sessions
        for p in (1, 2, 3)
    ]
    Release.objects.bulk_create(releases, batch_size=2000)
    return sessions[0]


def pages(newest: Session, routine_pk: int) -> dict[str, str]:
    today = newest.local_date
    return {
        "dashboard": reverse("home"),
        "session_list": reverse("journal:session_list") + "?page=2",
        "session_list_filtered": reverse("journal:session_list")
        + f"?start={today - timedelta(days=200)}&end={today}&routine={routine_pk}&page=3",
        "session_detail": reverse("journal:session_detail", args=[newest.pk]),
        "trends": reverse("journal:trends"),
        "trends_all": reverse("journal:trends") + "?range=all",
        "trends_custom_sorted": reverse("journal:trends")
        + f"?range=custom&start={today - timedelta(days=300)}&end={today}&sort=tender"
        f"&baseline_start={today - timedelta(days=300)}&baseline_end={today - timedelta(days=250)}",
    }


@pytest.mark.parametrize("years", [1, 10])
def test_query_counts_do_not_grow_with_history(owner, owner_client, django_assert_num_queries, years):
    newest = history(owner, 365 * years)
    assert Session.objects.filter(user=owner).count() == 292 * years
    routine_pk = Routine.objects.get(slug="glutes-only").pk
    for name, url in pages(newest, routine_pk).items():
        with django_assert_num_queries(EXPECTED[name]):
            response = owner_client.get(url)
        assert response.status_code == 200, name
