"""Adverse responses: a logged pressure above 7, or a hold stopped early because it hurt, gets a kind answer at once
and is counted wherever sessions are summarised (session page and summary, trends, the report's figures)."""

import re

import pytest
from django.urls import reverse

from accounts.models import PrecautionProfile
from journal.exports.report import report_context
from journal.lib.daterange import DateRange
from journal.models import (
    ADVERSE_FOLLOW_UP,
    ADVERSE_PRESSURE_MESSAGE,
    LIGHT_PRESSURE_MESSAGE,
    Release,
    Session,
    adverse_response_message,
)
from journal.trends import aggregates
from tests.factories import make_release, make_running_session, on_day, session_url

pytestmark = pytest.mark.django_db


def answers(position, **extra):
    data = {"position": position, "tender": "yes", "pressure": "5", "pain_now": "4", "held_seconds": "30"}
    data.update(extra)
    return data


@pytest.mark.parametrize(
    ("extra", "adverse"),
    [
        ({"pressure": "7"}, False),  # the ceiling itself is not above it
        ({"pressure": "8"}, True),
        ({"pressure": "5", "stopped_early": "on"}, True),
    ],
)
def test_the_runner_answers_an_adverse_response_at_once(ready, owner_client, htmx_headers, extra, adverse):
    session = make_running_session(ready, steps=2)
    response = owner_client.post(session_url("release_log", session), answers(1, **extra), headers=htmx_headers)
    html = response.content.decode()
    assert response.status_code == 200 and "Step 2 of 2" in html
    assert ("data-adverse-response" in html) is adverse
    if adverse:
        assert "ease off" in html.lower() or "start lighter" in html.lower()
    assert Release.objects.get(session=session, position=1).is_adverse is adverse


def test_the_answer_says_why_and_is_kind():
    pressed = adverse_response_message(Release(pressure=9))
    assert "7 is a ceiling, not a target" in pressed and "irritate a nerve" in pressed
    stopped = adverse_response_message(Release(pressure=3, stopped_early=True))
    assert "the right thing to do" in stopped and "physiotherapist or doctor" in stopped
    assert adverse_response_message(Release(pressure=7)) == ""


@pytest.mark.parametrize(("pressure", "answered"), [("3", False), ("4", True), ("9", True)])
def test_the_light_pressure_rule_gets_its_own_answer_above_its_limit(
    ready, owner_client, htmx_headers, pressure, answered
):
    """Blood thinners or a bleeding disorder: light pressure only, about 3. A 6 is not above the general ceiling of
    7, but it is far above what these answers call for, and the phone says so at once (online, offline below)."""
    PrecautionProfile.objects.create(user=ready, blood_thinners=True)
    session = make_running_session(ready, steps=2)
    html = owner_client.post(
        session_url("release_log", session), answers(1, pressure=pressure), headers=htmx_headers
    ).content.decode()
    said = re.findall(r"data-adverse-response>(.*?)</div>", html, re.S)
    # The rule's own words, and above the ceiling the ceiling's too (they were left out under the rule).
    ceiling = f" {ADVERSE_PRESSURE_MESSAGE}" if int(pressure) > 7 else ""
    assert said == ([f"{LIGHT_PRESSURE_MESSAGE}{ceiling} {ADVERSE_FOLLOW_UP}"] if answered else [])
    assert f'data-adverse-light="{LIGHT_PRESSURE_MESSAGE}"' in html and 'data-adverse-light-limit="3"' in html
    outbox = owner_client.post(
        session_url("release_log", session), answers(2, pressure=pressure), headers={"X-Outbox": "1"}
    ).json()
    assert (outbox.get("notice", "").startswith(LIGHT_PRESSURE_MESSAGE)) is answered


def test_without_the_light_pressure_rule_a_6_is_no_adverse_response(ready, owner_client, htmx_headers):
    session = make_running_session(ready, steps=2)
    html = owner_client.post(
        session_url("release_log", session), answers(1, pressure="6"), headers=htmx_headers
    ).content.decode()
    assert "data-adverse-response" not in html and "data-adverse-light" not in html


def test_a_plain_post_gets_the_answer_on_the_next_page(ready, owner_client):
    session = make_running_session(ready, steps=2)
    response = owner_client.post(session_url("release_log", session), answers(1, pressure="9"), follow=True)
    assert "7 is a ceiling, not a target" in response.content.decode()


def test_the_quick_log_answers_too(ready, owner_client):
    from routines.models import Point

    point = Point.objects.get(slug="glute-top")
    page = owner_client.get(reverse("journal:quick_log"))
    key = page.context["form"].initial["key"]
    data = {"key": key, "point": point.pk, "side": "left", "pressure": "8", "pain_now": "3"}
    response = owner_client.post(reverse("journal:quick_log"), data, follow=True)
    assert "7 is a ceiling, not a target" in response.content.decode()


def test_adverse_responses_are_counted_wherever_sessions_are_summarised(ready, owner_client):
    session = on_day(ready, 1, pain_before=5)
    make_release(session, 1, pressure=8)
    make_release(session, 2, pressure=7)
    make_release(session, 3, pressure=4, stopped_early=True)
    make_release(session, 4, pressure=9, stopped_early=True)  # one release, one adverse response
    make_release(session, 5, skipped=True, pressure=None)
    assert Release.objects.adverse().filter(session=session).count() == 3
    assert Session.objects.with_adverse_responses().get(pk=session.pk).adverse_responses == 3
    assert aggregates.period_summary(ready).adverse == 3
    rows = aggregates.point_side_stats(ready)
    assert sum(r.adverse for r in rows) == 3 and sum(r.adverse for r in aggregates.sides_from_points(rows)) == 3
    detail = owner_client.get(reverse("journal:session_detail", args=[session.pk])).content.decode()
    assert "Adverse responses: 3" in detail
    summary = owner_client.get(session_url("session_summary", session)).content.decode()
    assert "Adverse responses: 3" in summary
    trends = owner_client.get(reverse("journal:trends")).content.decode()
    assert "Adverse responses in this period: 3" in trends
    assert report_context(ready, DateRange(None, None))["totals"].adverse == 3


def test_no_adverse_response_no_count_line(ready, owner_client):
    session = on_day(ready, 1, pain_before=5)
    make_release(session, 1, pressure=6)
    assert "data-adverse-count" not in owner_client.get(reverse("journal:trends")).content.decode()
    assert Session.objects.with_adverse_responses().get(pk=session.pk).adverse_responses == 0
